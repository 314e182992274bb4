"""Citations in Vancouver and AMA style, formatted by citeproc-py.

The CSL style files are bundled in ``references/csl/`` (see its README), so
formatting never touches the network. ``format_citation`` is the one way the
portal formats a reference as a citation. It is slow (milliseconds per
reference and style), so its results are stored on the reference when it is
saved (``Reference.format_citations``) and pages read them through
``stored_citation`` (the ``citation`` filter): the "Cite" box on a reference
page and article reference lists never format anything per request.
A change to how citations are formatted (this module, the CSL files, the CSL
item) needs a migration that empties the stored citations
(``citation_vancouver`` and ``citation_ama``): each is then formatted again
on first use.
"""

import functools
import html
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
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .formats.csljson import csl_item

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


def format_citation(reference, style="vancouver"):
    """The reference as one formatted citation, as safe HTML.

    ``style`` is "vancouver" or "ama". Titles and names are escaped, so the
    only markup is the style's own (italic journal titles in AMA).
    """
    if style not in STYLES:
        raise ValueError(f"Unknown citation style {style!r}; use one of {list(STYLES)}")
    item = _escaped(csl_item(reference))
    if item.get("page"):
        item["page"] = expand_page_range(item["page"])
    item["id"] = "ref"
    # The export keeps our kind as "genre"; a style would print it.
    item.pop("genre", None)
    if reference.is_expired:
        # A dead link is no use in a citation; the DOI or PMID still is.
        item.pop("URL", None)
    with _lock:
        bibliography = CitationStylesBibliography(
            _style(style), CiteProcJSON([item]), formatter.html
        )
        bibliography.register(Citation([CitationItem("ref")]))
        text = str(bibliography.bibliography()[0])
    return mark_safe(_NUMBER_RE.sub("", text, count=1))


def stored_citation(reference, style="vancouver"):
    """The reference's stored citation in ``style``, as safe HTML.

    A reference written in bulk (an import) has none yet: it is formatted on
    first use and stored, once, unless a save stored a newer one meanwhile.
    """
    if style not in STYLES:
        raise ValueError(f"Unknown citation style {style!r}; use one of {list(STYLES)}")
    text = getattr(reference, f"citation_{style}")
    if not text:
        reference.format_citations()
        fields = {name: getattr(reference, name) for name in reference.CITATION_FIELDS}
        if reference.pk is not None:
            type(reference).objects.filter(
                pk=reference.pk, **{name: "" for name in fields}
            ).update(**fields)
        text = fields[f"citation_{style}"]
    # Stored by format_citation, which escapes every value it was given.
    return mark_safe(text)
