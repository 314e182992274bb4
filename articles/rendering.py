"""Article rendering: Markdown with Pandoc-style citations, then sanitising.

``render()`` turns Markdown into HTML once, when an article is saved; the HTML
is stored and served as it is. ``sanitize_html()`` is the only place HTML is
cleaned: everything that reaches a page from an editor's text goes through it.

Rendering is bounded, because an editor's paste buffer or a stolen account can
hold anything: ``check_limits()`` refuses text that is too long, nested too
deep or cites too much, with a message saying so, and ``defuse()`` escapes the
brackets and parentheses python-markdown would scan quadratically (unmatched
ones, and those nested deeper than any link needs) before it sees the text.
"""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import bleach
import markdown
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

# Pandoc citation keys: a letter, digit or _ first, then letters, digits and
# the internal punctuation :.#$%&-+?<>~/ (trailing punctuation is not part of
# the key).
KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_]|[:.#$%&+?<>~/-](?=[A-Za-z0-9_]))*"
CITATION_RE = rf"\[(@{KEY}(?:\s*;\s*@{KEY})*)\]"
KEY_RE = re.compile(rf"@({KEY})")

# Bounds on one Markdown text (an article has two: body and plain body).
MAX_CHARS = 100_000
# Lists and block quotes deeper than this are refused (python-markdown
# recurses once per level and runs out of stack near 200).
MAX_NESTING = 12
# Citation markers ("[@a; @b]" counts as one) in one text.
MAX_CITATION_MARKERS = 1_000
# Python-markdown's inline pass costs time per piece of markup and, within a
# paragraph, per piece times the paragraph's length: both are bounded.
MAX_BLOCK_CHARS = 10_000
MAX_MARKUP_CHARS = 10_000
MARKUP_CHARS = frozenset("[]()*_`<&!\\")
# A link needs one level of brackets, an image in a link two; deeper openers
# are text.
MAX_BRACKET_DEPTH = 8

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


# Absolute http(s) and mailto links, fragments on the page, and paths on this
# site: a single "/" (a "//host" or "/\\host" path would leave the site).
SAFE_HREF_RE = re.compile(r"(?:https?://|mailto:|#|/(?![/\\]))", re.IGNORECASE)
# Browsers drop tabs and newlines inside URLs ("/\t/host" is "//host").
CONTROL_RE = re.compile(r"[\x00-\x20\x7f]")


def is_safe_href(value: str) -> bool:
    """Whether a link target may stay: see ``SAFE_HREF_RE``."""
    value = value.strip()
    return SAFE_HREF_RE.match(value) is not None and not CONTROL_RE.search(value)


def _allowed_attribute(tag, name, value):
    if tag == "a":
        if name == "href":
            return is_safe_href(value)
        if name == "title":
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
    the allowlist dropped, and links kept only for http, https and mailto,
    fragments and same-site paths starting with a single "/".
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


# What opens a line: quote markers, list markers and indentation.
BLOCK_MARKER = r">|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)"
LINE_PREFIX_RE = re.compile(rf"(?:[ \t]*(?:{BLOCK_MARKER}))*[ \t]*")
BLOCK_MARKER_RE = re.compile(BLOCK_MARKER)
# What defuse() looks at: an escaped character, a code span, a bracket.
DEFUSE_TOKEN_RE = re.compile(r"\\.|(?<!\\)(`+).+?(?<!`)\1(?!`)|[\[\]()]")
CLOSES = {"]": "[", ")": "("}


def _nesting(line: str) -> int:
    """How many lists, quotes and indented blocks a line opens with.

    Each marker is a level, and each four columns of indentation beyond the
    one space a marker needs ("- - - x" is three lists deep).
    """
    prefix = LINE_PREFIX_RE.match(line).group()
    markers = len(BLOCK_MARKER_RE.findall(prefix))
    columns = prefix.count(" ") + 4 * prefix.count("\t") - markers
    return markers + -(-max(columns, 0) // 4)


def check_limits(text: str) -> None:
    """Raise ValidationError if ``text`` is beyond what renders in bounded time.

    Too long, a paragraph too long, nested too deep, too much markup or too
    many citations; the message says which and where. Linear in the text; run
    before anything else looks at it.
    """
    text = text or ""
    if len(text) > MAX_CHARS:
        raise ValidationError(
            gettext_lazy(
                "This text is %(length)s characters long; the most is %(limit)s. "
                "Split it into several articles."
            ),
            code="too_long",
            params={"length": f"{len(text):,}", "limit": f"{MAX_CHARS:,}"},
        )
    block_start, block_length = 1, 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            block_start, block_length = number + 1, 0
            continue
        depth = _nesting(line)
        if depth > MAX_NESTING:
            raise ValidationError(
                gettext_lazy(
                    "Line %(line)s is nested %(depth)s levels deep (lists, quotes "
                    "or indentation); the most is %(limit)s."
                ),
                code="too_deep",
                params={"line": number, "depth": depth, "limit": MAX_NESTING},
            )
        block_length += len(line) + 1
        if block_length > MAX_BLOCK_CHARS:
            raise ValidationError(
                gettext_lazy(
                    "The paragraph, list or table starting at line %(line)s is "
                    "longer than %(limit)s characters: separate it into "
                    "shorter ones with blank lines."
                ),
                code="block_too_long",
                params={"line": block_start, "limit": f"{MAX_BLOCK_CHARS:,}"},
            )
    markup = sum(text.count(char) for char in MARKUP_CHARS)
    if markup > MAX_MARKUP_CHARS:
        raise ValidationError(
            gettext_lazy(
                "This text has %(count)s markup characters (brackets, asterisks, "
                "underscores, backticks, <, &, !, \\); the most is %(limit)s."
            ),
            code="too_much_markup",
            params={"count": f"{markup:,}", "limit": f"{MAX_MARKUP_CHARS:,}"},
        )
    markers = len(re.findall(CITATION_RE, text))
    if markers > MAX_CITATION_MARKERS:
        raise ValidationError(
            gettext_lazy(
                "This text has %(count)s citations; the most is %(limit)s. "
                "Cite a review instead of every study."
            ),
            code="too_many_citations",
            params={"count": f"{markers:,}", "limit": f"{MAX_CITATION_MARKERS:,}"},
        )


def defuse(text: str) -> str:
    """Escape the brackets python-markdown would scan quadratically.

    An opening "[" or "(" that is never closed makes python-markdown look for
    its partner to the end of the paragraph, once per opener; so do openers
    nested deeper than ``MAX_BRACKET_DEPTH``. Those become escaped text
    (``\\[``), which renders as the same character. Code spans are left
    alone. Linear in the text.
    """
    stacks = {"[": [], "(": []}
    escape = []
    for match in DEFUSE_TOKEN_RE.finditer(text):
        token = match.group()
        if token in stacks:
            stack = stacks[token]
            if len(stack) < MAX_BRACKET_DEPTH:
                stack.append(match.start())
            else:
                escape.append(match.start())
        elif token in CLOSES and stacks[CLOSES[token]]:
            stacks[CLOSES[token]].pop()
    escape.extend(stacks["["] + stacks["("])
    if not escape:
        return text
    pieces, last = [], 0
    for position in sorted(escape):
        pieces.append(text[last:position])
        pieces.append("\\")
        last = position
    pieces.append(text[last:])
    return "".join(pieces)


def render(text, numbering=None):
    """Render Markdown with citations to sanitised HTML.

    ``numbering`` maps citation keys to numbers already given (so a second
    body of the same article, such as its plain-language version, reuses the
    reference list's numbers); new keys are numbered after them. It is updated
    in place. Keys are returned in the order they were first cited. Text over
    the limits raises ValidationError (``check_limits``).
    """
    text = text or ""
    check_limits(text)
    numbering = {} if numbering is None else numbering
    citations = CitationExtension(numbering)
    md = markdown.Markdown(
        extensions=["sane_lists", "tables", citations], output_format="html"
    )
    html = sanitize_html(md.convert(defuse(text)))
    cited = list(citations.occurrences)
    return Rendered(html=html, keys=cited)
