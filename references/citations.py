"""Citations in Vancouver and AMA style, formatted by citeproc-py.

The CSL style files are bundled in ``references/csl/`` (see its README), so
formatting never touches the network. ``format_citation`` is the one way the
portal formats a reference as a citation. It is slow (milliseconds per
reference and style), so its results are stored on the reference
(``citation_vancouver`` and ``citation_ama``) with the fingerprint of what
they were made from (``citation_source``: the CSL item citeproc was given),
and pages read them through ``stored_citation`` (the ``citation`` filter):
the "Cite" box on a reference page and article reference lists never format
a citation that is still current. A reference whose fields changed by any
path (a form, the admin, an import, a bulk update, the link checker) no
longer matches its fingerprint and is formatted again on first use, once;
the editorial services format it when they save, so readers rarely wait.
A change to how citations are formatted (this module, the CSL files) needs a
migration that empties ``citation_source``.
"""

import functools
import hashlib
import html
import json
import logging
import re
import threading
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from django.db import DatabaseError, transaction
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .formats.csljson import csl_item

logger = logging.getLogger(__name__)

CSL_DIR = Path(__file__).resolve().parent / "csl"
STYLES = {
    "vancouver": (_("Vancouver"), "nlm-citation-sequence.csl"),
    "ama": (_("AMA"), "american-medical-association.csl"),
}
CSL_NS = {"cs": "http://purl.org/net/xbiblio/csl"}
# A numeric style puts the entry's number first ("1."); a single citation
# shown on its own has no number.
_NUMBER_RE = re.compile(r"^\s*\[?\d+\]?\.?\s*")
# citeproc-py keeps state while it renders: one rendering at a time.
_lock = threading.Lock()


@functools.cache
def _style(name):
    style = CitationStylesStyle(str(CSL_DIR / STYLES[name][1]), validate=False)
    # citeproc-py joins the parts of a localised date ("2013 Feb 5") with the
    # delimiter of the element that asks for it, which has none, giving
    # "2013Feb5". Give those elements the locale's delimiter, as CSL intends.
    for date in style.root.xpath("//cs:date[@form][@variable]", namespaces=CSL_NS):
        if date.get("delimiter") is None:
            form = date.get("form")
            local = style.root.xpath(
                f"//cs:locale/cs:date[@form='{form}']", namespaces=CSL_NS
            )
            date.set("delimiter", local[0].get("delimiter", " ") if local else " ")
    return style


_RANGE_RE = re.compile(
    r"^(?P<prefix>[^\d\s-]*)(?P<first>\d+)\s*[-\u2013]\s*(?P=prefix)?(?P<last>\d+)$"
)


def expand_page_range(pages: str) -> str:
    """Page ranges written in full: "1453-4" becomes "1453-1454".

    Files abbreviate ranges in many ways; each CSL style then says how it
    prints them (``page-range-format``: Vancouver "minimal", AMA "expanded").
    citeproc-py can shorten a full range but does not lengthen a short one,
    so it is given every range in full. Anything not a plain numeric range
    ("S12-S14", "iii-v", "e1234") stays as it is.
    """

    def expand(part):
        match = _RANGE_RE.match(part.strip())
        if not match:
            return part
        first, last = match["first"], match["last"]
        if len(last) < len(first):
            full = first[: len(first) - len(last)] + last
            if int(full) > int(first):
                last = full
        return f"{match['prefix']}{first}-{match['prefix']}{last}"

    return ", ".join(expand(part) for part in pages.split(","))


def _escaped(value):
    """The CSL item with every text escaped: citeproc's HTML output is not."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


def _citeproc_item(reference) -> dict:
    """What citeproc is given for ``reference``: its CSL item, escaped."""
    item = _escaped(csl_item(reference))
    if item.get("page"):
        item["page"] = expand_page_range(item["page"])
    item["id"] = "ref"
    # The export keeps our kind as "genre"; a style would print it.
    item.pop("genre", None)
    if reference.is_expired:
        # A dead link is no use in a citation; the DOI or PMID still is.
        item.pop("URL", None)
    return item


def fingerprint(reference) -> str:
    """A digest of what the reference's citations are made of: when it
    changes, the stored citations are out of date."""
    item = json.dumps(_citeproc_item(reference), sort_keys=True, default=str)
    return hashlib.sha256(item.encode()).hexdigest()


def format_citation(reference, style="vancouver"):
    """The reference as one formatted citation, as safe HTML.

    ``style`` is "vancouver" or "ama". Titles and names are escaped, so the
    only markup is the style's own (italic journal titles in AMA).
    """
    if style not in STYLES:
        raise ValueError(f"Unknown citation style {style!r}; use one of {list(STYLES)}")
    item = _citeproc_item(reference)
    with _lock:
        bibliography = CitationStylesBibliography(
            _style(style), CiteProcJSON([item]), formatter.html
        )
        bibliography.register(Citation([CitationItem("ref")]))
        text = str(bibliography.bibliography()[0])
    return mark_safe(_NUMBER_RE.sub("", text, count=1))


def stored_citation(reference, style="vancouver"):
    """The reference's stored citation in ``style``, as safe HTML.

    A reference never formatted (written in bulk: an import) or changed since
    it was formatted is formatted now and stored, once, unless another
    request or a save stored a newer one meanwhile.
    """
    if style not in STYLES:
        raise ValueError(f"Unknown citation style {style!r}; use one of {list(STYLES)}")
    stored = reference.citation_source
    if not reference.refresh_citations():
        # Stored by format_citation, which escapes every value it was given.
        return mark_safe(getattr(reference, f"citation_{style}"))
    if reference.pk is not None:
        # Storing is a saving for later requests, not part of this one: a
        # database that refuses the write (locked by a long import on SQLite,
        # read-only during maintenance) must not cost the reader the page.
        try:
            with transaction.atomic():
                type(reference).objects.filter(
                    pk=reference.pk, citation_source=stored
                ).update(
                    **{
                        name: getattr(reference, name)
                        for name in reference.CITATION_FIELDS
                    }
                )
        except DatabaseError:
            logger.warning(
                "Could not store the citations of reference %s",
                reference.pk,
                exc_info=True,
            )
    return mark_safe(getattr(reference, f"citation_{style}"))
