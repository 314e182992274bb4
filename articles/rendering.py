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
from django.utils.translation import gettext as _
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

# Pandoc citation keys: a letter, digit or _ first, then letters, digits and
# the internal punctuation :.#$%&-+?<>~/ (trailing punctuation is not part of
# the key).
KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_]|[:.#$%&+?<>~/-](?=[A-Za-z0-9_]))*"
CITATION_RE = rf"\[(@{KEY}(?:\s*;\s*@{KEY})*)\]"
KEY_RE = re.compile(rf"@({KEY})")

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "dd",
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
        extensions=["sane_lists", "tables", citations], output_format="html"
    )
    html = sanitize_html(md.convert(text or ""))
    cited = list(citations.occurrences)
    return Rendered(html=html, keys=cited)
