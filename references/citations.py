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

What citeproc-py is given is ``citation_item``: the CSL-JSON export's item
with the style's "et al." for an incomplete author list. The test suite
formats the same items with citeproc-js and the same CSL and locale files
(tests/references/test_citeproc_js.py); where citeproc-py alone would differ
from it, this module reads the data as citeproc-js does: straight quotes in
titles and names become typographic ones, ``<i>``, ``<b>``, ``<sup>`` and
``<sub>`` in a title are markup, and a title ending in "?" or "!" takes no
period after it.
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

from .formats import ET_AL, with_et_al
from .formats.csljson import csl_item, csl_name

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


@functools.cache
def _et_al_min(name) -> int:
    """From how many names the style's bibliography shortens a list itself."""
    found = _style(name).root.xpath("//cs:bibliography/@et-al-min", namespaces=CSL_NS)
    return int(found[0]) if found else 0


def _authors(reference, style) -> list[dict]:
    """The CSL names of ``reference`` as ``style`` cites them.

    An incomplete list gets "et al." as a name of its own where pages show it
    (after the people), unless the style will shorten the list and say "et
    al." itself: then the mark goes last, where the style cuts it off.
    """
    names = reference.author_list
    if not reference.has_more_authors:
        return [csl_name(name) for name in names]
    limit = _et_al_min(style)
    if limit and len(names) + 1 >= limit:
        marked = [*names, ET_AL] if len(names) < limit else names
    else:
        marked = with_et_al(names, incomplete=True)
    return [{"literal": ET_AL} if n == ET_AL else csl_name(n) for n in marked]


def citation_item(reference, style="vancouver") -> dict:
    """The CSL item a processor is given to cite ``reference`` in ``style``:
    the export's item, with "et al." for an incomplete author list, page
    ranges in full, and no URL once the link has expired. Plain text: any
    CSL processor may be given it (the tests give it to citeproc-js)."""
    item = csl_item(reference)
    item["id"] = "ref"
    item["author"] = _authors(reference, style)
    if item.get("page"):
        item["page"] = expand_page_range(item["page"])
    # The export writes our kind in words (genre); the site's citations
    # leave it out, as a style would print it after the title.
    item.pop("genre", None)
    if reference.is_expired:
        # A dead link is no use in a citation; the DOI or PMID still is.
        item.pop("URL", None)
    return item


# What citeproc-js reads as markup in a title (its "micro-HTML"), and what
# the site keeps of it: the same tags, balanced, or the text as written.
_MARKUP_RE = re.compile(
    r"<(/?)(i|b|sup|sub)>|<span class=\"nocase\">|"
    r"<span style=\"font-variant:\s*small-caps;?\">|</span>"
)


def _title_html(title: str) -> str:
    """A title as HTML: escaped, but for balanced <i>, <b>, <sup> and <sub>,
    which stay markup as citeproc-js keeps them ("<i>Candida</i> species").
    A span citeproc-js knows keeps its text (a small-caps style attribute
    would break the site's Content Security Policy); an unbalanced or other
    tag is text."""
    tokens, stack, pairs = [], [], {}
    position = 0
    for match in _MARKUP_RE.finditer(title):
        tokens.append(("text", title[position : match.start()]))
        token = match.group(0)
        index = len(tokens)
        tokens.append(("tag", token))
        if token.startswith("<span"):
            stack.append(("span", index))
        elif token == "</span>" or match.group(1):
            name = "span" if token == "</span>" else match.group(2)
            if stack and stack[-1][0] == name:
                pairs[stack.pop()[1]] = index
        else:
            stack.append((match.group(2), index))
        position = match.end()
    tokens.append(("text", title[position:]))
    closing = set(pairs.values())
    out = []
    for index, (kind, text) in enumerate(tokens):
        if kind == "tag" and (index in pairs or index in closing):
            out.append("" if "span" in text else text)
        else:
            out.append(html.escape(text, quote=False))
    return "".join(out)


# A quote opens after a space, a bracket, a dash or another quote, and closes
# before one or before punctuation.
_OPENS = r"(^|(?<=[\s(\[{‘“—–-]))"
_CLOSES = r"(?=$|[\s)\]},.;:!?’”—–-])"
_DOUBLE_QUOTES_RE = re.compile(_OPENS + r'"(?=\S)(.*?)(?<=\S)"' + _CLOSES)
_SINGLE_QUOTES_RE = re.compile(_OPENS + r"'(?=[^\W\d_])(.*?)(?<=\S)'" + _CLOSES)


def typographic_quotes(text: str) -> str:
    """Straight quotes as citeproc-js prints them: paired "..." and '...' as
    “...” and ‘...’, and every other ' as an apostrophe (’). A lone " (5' 6")
    stays as it is."""
    text = _DOUBLE_QUOTES_RE.sub(r"\1“\2”", text)
    text = _SINGLE_QUOTES_RE.sub(r"\1‘\2’", text)
    return text.replace("'", "’")


# The CSL variables citeproc-js reads quotes in (text of the publication,
# never an address or an identifier).
_QUOTED = ("title", "container-title")
# Where a style strips periods (a journal's abbreviation in Vancouver),
# citeproc-js keeps those followed by a small letter ("ClinicalTrials.gov",
# but "Dr.Oracle" becomes "DrOracle"); citeproc-py strips all. Such a period
# is given to citeproc-py as this character and put back afterwards.
_KEPT_PERIOD = "\ue000"
_KEPT_PERIOD_RE = re.compile(r"\.(?=[a-z])")


def _citeproc_item(reference, style) -> dict:
    """What citeproc-py is given for ``reference``: ``citation_item`` read as
    citeproc-js reads it (typographic quotes, a title's markup), escaped,
    since citeproc-py's HTML output escapes nothing."""
    item = citation_item(reference, style)
    for key in _QUOTED:
        if key in item:
            item[key] = typographic_quotes(item[key])
    if _KEPT_PERIOD not in item.get("container-title", _KEPT_PERIOD):
        item["container-title"] = _KEPT_PERIOD_RE.sub(
            _KEPT_PERIOD, item["container-title"]
        )
    for name in item["author"]:
        for part, value in name.items():
            name[part] = typographic_quotes(value)
    escaped = {
        key: (html.escape(value, quote=False) if isinstance(value, str) else value)
        for key, value in item.items()
    }
    escaped["author"] = [
        {part: html.escape(value, quote=False) for part, value in name.items()}
        for name in item["author"]
    ]
    escaped["title"] = _title_html(item["title"])
    return escaped


def fingerprint(reference) -> str:
    """A digest of what the reference's citations are made of: when it
    changes, the stored citations are out of date."""
    items = [_citeproc_item(reference, style) for style in STYLES]
    source = json.dumps(items, sort_keys=True, default=str)
    return hashlib.sha256(source.encode()).hexdigest()


# A period a style puts after a title or name that ends in "?" or "!":
# citeproc-js drops it ("How is it treated?" not "...treated?."); citeproc-py
# does not. Only directly after the mark and before a space or the end (not
# in an address): after closing markup ("<i>Journal?</i>.") citeproc-js
# keeps it too.
_DOUBLE_PUNCTUATION_RE = re.compile(r"(?<=[?!])\.(?=\s|$)")


def format_citation(reference, style="vancouver"):
    """The reference as one formatted citation, as safe HTML.

    ``style`` is "vancouver" or "ama". Titles and names are escaped, so the
    only markup is the style's own (italic journal titles in AMA).
    """
    if style not in STYLES:
        raise ValueError(f"Unknown citation style {style!r}; use one of {list(STYLES)}")
    item = _citeproc_item(reference, style)
    with _lock:
        bibliography = CitationStylesBibliography(
            _style(style), CiteProcJSON([item]), formatter.html
        )
        bibliography.register(Citation([CitationItem("ref")]))
        text = str(bibliography.bibliography()[0])
    text = _DOUBLE_PUNCTUATION_RE.sub("", _NUMBER_RE.sub("", text, count=1))
    return mark_safe(text.replace(_KEPT_PERIOD, "."))


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
