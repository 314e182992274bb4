"""Article rendering: Markdown with Pandoc-style citations, then sanitising.

``render()`` turns Markdown into HTML once, when an article is saved; the HTML
is stored and served as it is. ``sanitize_html()`` is the only place HTML is
cleaned: everything that reaches a page from an editor's text goes through it.
"""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import bleach
import markdown
from django.utils.text import slugify
from django.utils.translation import gettext as _
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

# Pandoc citation keys: a letter, digit or _ first, then letters, digits and
# the internal punctuation :.#$%&-+?<>~/ (trailing punctuation is not part of
# the key).
KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_]|[:.#$%&+?<>~/-](?=[A-Za-z0-9_]))*"
CITATION_RE = rf"\[(@{KEY}(?:\s*;\s*@{KEY})*)\]"
KEY_RE = re.compile(rf"@({KEY})")
# A list item: its indent, marker ("-", "*", "+", "1." or "1)") and the rest.
LIST_ITEM_RE = re.compile(r"^( *)([*+-]|\d+[.)])(\s.*)?$")
# Nested list items are indented by this many spaces for mdx_truly_sane_lists.
NESTED_INDENT = 2

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Ids the renderer gives section headings, for the "On this page" contents.
HEADING_ID_PREFIX = "h-"
HEADING_ID_RE = re.compile(rf"{HEADING_ID_PREFIX}[a-z0-9]+(?:-[a-z0-9]+)*")
# The renderer's wrapper that lets a wide table scroll on a narrow screen.
TABLE_WRAPPER = {
    "class": "table-scroll",
    "role": "region",
    "tabindex": "0",
}


def _allowed_attribute(tag, name, value):
    if tag == "a":
        if name in {"href", "title"}:
            return True
        # Only the citation links the renderer makes carry ids and labels.
        if name == "id":
            return re.fullmatch(r"cite-\d+-\d+", value) is not None
        return name == "aria-label"
    if tag == "sup":
        return name == "class" and value == "citation"
    if tag == "abbr":
        return name == "title"
    if tag in {"td", "th"}:
        return name in {"colspan", "rowspan", "scope"} and value.isalnum()
    if tag == "ol":
        return name == "start" and value.isdigit()
    if tag == "h2":
        return name == "id" and HEADING_ID_RE.fullmatch(value) is not None
    if tag == "div":
        if name == "aria-label":
            return True
        return TABLE_WRAPPER.get(name) == value
    return False


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def sanitize_html(html):
    """Clean HTML against the allowlist: the one sanitiser of the portal.

    Disallowed tags are removed (their text kept, as text), attributes outside
    the allowlist dropped, and links kept only for http, https and mailto.
    """
    # Script and style bodies are code, not prose: drop them with their tags
    # rather than leaving their source behind as visible text.
    html = re.sub(
        r"<(script|style)\b[^>]*>.*?</\1\s*>", "", html, flags=re.IGNORECASE | re.DOTALL
    )
    return _cleaner.clean(html)


@dataclass
class Rendered:
    """The result of rendering: the safe HTML and the keys cited, in order."""

    html: str
    keys: list[str] = field(default_factory=list)


class CitationProcessor(InlineProcessor):
    """Turn ``[@a; @b]`` into superscript links numbered by first appearance."""

    def __init__(self, pattern, numbering, occurrences):
        super().__init__(pattern)
        self.numbering = numbering
        self.occurrences = occurrences

    def handleMatch(self, m, data):  # noqa: N802 (python-markdown's API)
        sup = etree.Element("sup", {"class": "citation"})
        link = None
        for key in KEY_RE.findall(m.group(1)):
            number = self.numbering.setdefault(key, len(self.numbering) + 1)
            self.occurrences[key] = self.occurrences.get(key, 0) + 1
            if link is not None:
                link.tail = ", "
            link = etree.SubElement(
                sup,
                "a",
                {
                    "href": f"#ref-{number}",
                    "id": f"cite-{number}-{self.occurrences[key]}",
                    "aria-label": _("Reference %(number)s") % {"number": number},
                },
            )
            link.text = str(number)
        return sup, m.start(0), m.end(0)


class DemoteHeadings(Treeprocessor):
    """The page title is the only h1, so body headings start at h2."""

    def run(self, root):
        levels = [
            int(el.tag[1]) for el in root.iter() if re.fullmatch(r"h[1-6]", el.tag)
        ]
        if not levels or min(levels) >= 2:
            return
        shift = 2 - min(levels)
        for el in root.iter():
            if re.fullmatch(r"h[1-6]", el.tag):
                el.tag = f"h{min(int(el.tag[1]) + shift, 6)}"


class SectionAnchors(Treeprocessor):
    """Give each h2 an id from its words, for the page's contents box."""

    def run(self, root):
        taken = set()
        for el in root.iter("h2"):
            words = slugify("".join(el.itertext()))[:60].strip("-") or "section"
            anchor, n = f"{HEADING_ID_PREFIX}{words}", 1
            while anchor in taken:
                n += 1
                anchor = f"{HEADING_ID_PREFIX}{words}-{n}"
            taken.add(anchor)
            el.set("id", anchor)


class ScrollableTables(Treeprocessor):
    """Wrap each table in a focusable region that scrolls sideways on phones."""

    def run(self, root):
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "table":
                    continue
                wrapper = etree.Element("div", dict(TABLE_WRAPPER))
                wrapper.set("aria-label", _("Table"))
                wrapper.tail, child.tail = child.tail, None
                parent.remove(child)
                wrapper.append(child)
                parent.insert(index, wrapper)


class NormaliseListIndent(Preprocessor):
    """Give nested list items one indent width, however the editor wrote them.

    Editors indent sub-items by two spaces (most editors' habit) or by four
    (Markdown's own rule); either means "one level deeper than the item
    above". Each item's level is found from the indents of the items open
    above it, and the item is rewritten with ``NESTED_INDENT`` spaces per
    level, which ``mdx_truly_sane_lists`` then nests. Lines indented under an
    item (a second paragraph) follow their item; text outside lists is left
    as it is.
    """

    def run(self, lines):
        out, open_items = [], []  # open_items: (source indent, level)
        for line in lines:
            expanded = line.expandtabs(4)
            indent = len(expanded) - len(expanded.lstrip(" "))
            item = LIST_ITEM_RE.match(expanded)
            if item:
                while open_items and indent < open_items[-1][0]:
                    open_items.pop()
                if not open_items or indent > open_items[-1][0]:
                    open_items.append((indent, len(open_items)))
                level = open_items[-1][1]
                out.append(" " * (NESTED_INDENT * level) + expanded.lstrip(" "))
            elif not expanded.strip():
                out.append(line)
            elif open_items and indent > 0:
                owner = next(
                    (lvl for ind, lvl in reversed(open_items) if ind < indent), 0
                )
                out.append(" " * (NESTED_INDENT * (owner + 1)) + expanded.lstrip(" "))
            else:
                open_items = []
                out.append(line)
        return out


class CitationExtension(Extension):
    def __init__(self, numbering, **kwargs):
        self.numbering = numbering
        self.occurrences = {}
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's API)
        # Priority above links (160) so "[@key]" is never read as a link.
        md.inlinePatterns.register(
            CitationProcessor(CITATION_RE, self.numbering, self.occurrences),
            "citation",
            175,
        )
        md.treeprocessors.register(DemoteHeadings(md), "demote_headings", 5)
        md.treeprocessors.register(SectionAnchors(md), "section_anchors", 4)
        md.treeprocessors.register(ScrollableTables(md), "scrollable_tables", 3)
        # Before everything else, so the list parser sees even indents.
        md.preprocessors.register(NormaliseListIndent(md), "normalise_lists", 100)


def render(text, numbering=None):
    """Render Markdown with citations to sanitised HTML.

    ``numbering`` maps citation keys to numbers already given (so a second
    body of the same article, such as its plain-language version, reuses the
    reference list's numbers); new keys are numbered after them. It is updated
    in place. Keys are returned in the order they were first cited.
    """
    numbering = {} if numbering is None else numbering
    citations = CitationExtension(numbering)
    md = markdown.Markdown(
        extensions=["mdx_truly_sane_lists", "tables", citations],
        extension_configs={
            "mdx_truly_sane_lists": {"nested_indent": NESTED_INDENT, "truly_sane": True}
        },
        output_format="html",
    )
    html = sanitize_html(md.convert(text or ""))
    cited = list(citations.occurrences)
    return Rendered(html=html, keys=cited)
