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
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

from . import grading

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
# Every line costs python-markdown a block-parser pass (list items most).
MAX_LINES = 3_000
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
        "section",
        "span",
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


# Absolute http(s) and mailto links, fragments on the page, and paths on this
# site: a single "/" (a "//host" or "/\\host" path would leave the site).
SAFE_HREF_RE = re.compile(r"(?:https?://|mailto:|#|/(?![/\\]))", re.IGNORECASE)
# Browsers drop tabs and newlines inside URLs ("/\t/host" is "//host").
CONTROL_RE = re.compile(r"[\x00-\x20\x7f]")


def is_safe_href(value: str) -> bool:
    """Whether a link target may stay: see ``SAFE_HREF_RE``."""
    value = value.strip()
    return SAFE_HREF_RE.match(value) is not None and not CONTROL_RE.search(value)


# What the recommendation boxes carry (see RecommendationBoxes).
BOX_ID = r"(?:recommendation|good-practice)-\d+"
BOX_CLASSES = frozenset(
    {"recommendation", *(f"recommendation--{kind}" for kind in grading.Kind.values)}
)
BADGE_CLASSES = frozenset(
    {
        "badge",
        "badge--grade",
        *(
            f"badge--{value}"
            for choices in (grading.Strength, grading.Certainty, grading.Kind)
            for value in choices.values
        ),
    }
)


def _classes_in(value, allowed):
    return bool(value) and set(value.split()) <= allowed


def _allowed_attribute(tag, name, value):
    if tag == "section":
        if name == "class":
            return _classes_in(value, BOX_CLASSES)
        if name == "id":
            return re.fullmatch(BOX_ID, value) is not None
        return name == "aria-labelledby" and bool(
            re.fullmatch(BOX_ID + "-heading", value)
        )
    if tag == "span":
        return name == "class" and _classes_in(value, BADGE_CLASSES)
    if tag == "p" and name == "class":
        return value == "recommendation__grade"
    if re.fullmatch(r"h[2-6]", tag) and name == "id":
        if tag == "h2" and HEADING_ID_RE.fullmatch(value):
            return True
        return re.fullmatch(BOX_ID + "-heading", value) is not None
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
    # One dict per recommendation box, in order: kind, number, anchor,
    # strength and certainty (empty for a good practice statement), text.
    recommendations: list[dict] = field(default_factory=list)


class CitationProcessor(InlineProcessor):
    """Turn ``[@a; @b]`` into superscript links, numbered by ``NumberCitations``."""

    def handleMatch(self, m, data):  # noqa: N802 (python-markdown's API)
        sup = etree.Element("sup", {"class": "citation"})
        link = None
        for key in KEY_RE.findall(m.group(1)):
            if link is not None:
                link.tail = ", "
            link = etree.SubElement(sup, "a", {"data-key": key})
        return sup, m.start(0), m.end(0)


class NumberCitations(Treeprocessor):
    """Number the citation links by first appearance in the document.

    Done on the finished tree, in document order: python-markdown parses the
    inline text of nested blocks (list items, recommendation boxes) after
    the paragraphs around them, so numbering while parsing would not follow
    the order a reader meets the citations in.
    """

    def __init__(self, md, numbering, occurrences):
        super().__init__(md)
        self.numbering = numbering
        self.occurrences = occurrences

    def run(self, root):
        for link in root.iter("a"):
            key = link.attrib.pop("data-key", None)
            if key is None:
                continue
            number = self.numbering.setdefault(key, len(self.numbering) + 1)
            self.occurrences[key] = self.occurrences.get(key, 0) + 1
            link.set("href", f"#ref-{number}")
            link.set("id", f"cite-{number}-{self.occurrences[key]}")
            link.set("aria-label", _("Reference %(number)s") % {"number": number})
            link.text = str(number)


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
            if el.get("id"):
                continue
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


class RecommendationBlock(Block):
    """``/// recommendation | strength=… certainty=…``: a graded recommendation.

    pymdown-extensions' generic blocks parse the fences and the Markdown
    inside; this only makes the box. ``check_blocks()`` has already refused,
    naming the line, any grade that cannot be read.
    """

    NAME = grading.Kind.RECOMMENDATION
    ARGUMENT = True

    def on_validate(self, parent):
        try:
            self.grade = grading.parse_grade(self.argument)
        except grading.GradeError:
            return False
        # No HTML attributes from the text: the box's are the renderer's.
        return not self.options["attrs"]

    def on_create(self, parent):
        strength, certainty = self.grade
        return etree.SubElement(
            parent,
            "section",
            {
                "class": f"recommendation recommendation--{self.NAME}",
                "data-strength": strength,
                "data-certainty": certainty,
            },
        )


class GoodPracticeBlock(Block):
    """``/// good-practice``: an ungraded good practice statement."""

    NAME = grading.Kind.GOOD_PRACTICE
    ARGUMENT = False

    def on_validate(self, parent):
        return not self.options["attrs"]

    def on_create(self, parent):
        return etree.SubElement(
            parent, "section", {"class": f"recommendation recommendation--{self.NAME}"}
        )


class RecommendationBlocksExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md, block_mgr):  # noqa: N802 (pymdownx's API)
        block_mgr.register(RecommendationBlock, {})
        block_mgr.register(GoodPracticeBlock, {})


def _statement_text(element):
    """The words of a statement, without its citation numbers."""
    parts = []

    def walk(el):
        if el.tag == "sup" and el.get("class") == "citation":
            parts.append(el.tail or "")
            return
        parts.append(el.text or "")
        for child in el:
            walk(child)
        parts.append(el.tail or "")

    for child in element:
        walk(child)
    return re.sub(r"\s+([.,;:])", r"\1", " ".join("".join(parts).split()))


class RecommendationBoxes(Treeprocessor):
    """Number each box, give it an anchor, a heading and its grade as badges.

    Runs after the headings are demoted, so the box's heading sits one level
    below the heading it follows. Collects what the boxes say into
    ``collected`` for the "at a glance" list and the structured data.
    """

    def __init__(self, md, *, plain, collected):
        super().__init__(md)
        self.plain = plain
        self.collected = collected

    def run(self, root):
        level = 1
        counts = {}
        for el in list(root.iter()):
            if re.fullmatch(r"h[1-6]", el.tag):
                level = int(el.tag[1])
            elif el.tag == "section" and el.get("class", "").startswith(
                "recommendation "
            ):
                self._box(el, level, counts)

    def _box(self, box, level, counts):
        kind = grading.Kind(box.get("class").split("--", 1)[1])
        number = counts[kind] = counts.get(kind, 0) + 1
        anchor = f"{kind}-{number}"
        strength = box.attrib.pop("data-strength", "")
        certainty = box.attrib.pop("data-certainty", "")
        self.collected.append(
            {
                "kind": str(kind),
                "number": number,
                "anchor": anchor,
                "strength": strength,
                "certainty": certainty,
                "text": _statement_text(box),
            }
        )
        box.set("id", anchor)
        box.set("aria-labelledby", f"{anchor}-heading")
        heading = etree.Element(f"h{min(level + 1, 6)}", {"id": f"{anchor}-heading"})
        heading.text = str(grading.HEADINGS[kind]) % {"number": number}
        grade = etree.Element("p", {"class": "recommendation__grade"})
        values = (strength, certainty) if strength else (kind,)
        for index, value in enumerate(values):
            badge = etree.SubElement(
                grade, "span", {"class": f"badge badge--grade badge--{value}"}
            )
            badge.text = grading.wording(value, plain=self.plain)
            if index:
                # A space between badges, so they read as two phrases.
                grade[index - 1].tail = " "
        # Every label links to the page's one explanation of the grades.
        explained = etree.SubElement(
            grade, "a", {"href": f"#{grading.EXPLANATION_ANCHOR}"}
        )
        explained.text = str(grading.EXPLANATION_LINK[self.plain])
        grade[-2].tail = " "
        box.insert(0, grade)
        box.insert(0, heading)


class CitationExtension(Extension):
    def __init__(self, numbering, *, plain=False, **kwargs):
        self.numbering = numbering
        self.occurrences = {}
        self.plain = plain
        self.recommendations = []
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's API)
        # Priority above links (160) so "[@key]" is never read as a link.
        md.inlinePatterns.register(CitationProcessor(CITATION_RE), "citation", 175)
        # After the inline text of every block is parsed (python-markdown's
        # "inline" is 20, pymdown's blocks finish at 19.99).
        md.treeprocessors.register(
            NumberCitations(md, self.numbering, self.occurrences),
            "number_citations",
            10,
        )
        md.treeprocessors.register(DemoteHeadings(md), "demote_headings", 5)
        md.treeprocessors.register(
            RecommendationBoxes(md, plain=self.plain, collected=self.recommendations),
            "recommendation_boxes",
            4,
        )
        # After the boxes, whose headings already carry their own ids.
        md.treeprocessors.register(SectionAnchors(md), "section_anchors", 3)
        md.treeprocessors.register(ScrollableTables(md), "scrollable_tables", 2)
        # Before everything else, so the list parser sees even indents.
        md.preprocessors.register(NormaliseListIndent(md), "normalise_lists", 100)


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

    Too long, too many lines, a paragraph too long, nested too deep, too much
    markup or too many citations; the message says which and where. Linear in
    the text; run before anything else looks at it.
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
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ValidationError(
            gettext_lazy("This text has %(count)s lines; the most is %(limit)s."),
            code="too_many_lines",
            params={"count": f"{len(lines):,}", "limit": f"{MAX_LINES:,}"},
        )
    block_start, block_length = 1, 0
    # The indents of the list items open above, kept as NormaliseListIndent
    # keeps them: any deeper indent is one level more, however small.
    open_items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            block_start, block_length = number + 1, 0
            continue
        expanded = line.expandtabs(4)
        item = LIST_ITEM_RE.match(expanded)
        if item:
            indent = len(item.group(1))
            while open_items and indent < open_items[-1]:
                open_items.pop()
            if not open_items or indent > open_items[-1]:
                open_items.append(indent)
            depth = len(open_items) - 1 + _nesting(expanded.lstrip(" "))
        else:
            if not expanded.startswith(" "):
                open_items = []
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


# A generic block's opening fence (pymdown-extensions: "/// name | argument")
# and its closing fence, as check_blocks() reads them line by line. Leading
# spaces and ">" allow for blocks in lists and quotes.
_BLOCK_START = re.compile(r"^[ >]*/{3,}[ ]*([\w-]+)[ ]*(?:\|[ ]*(.*?)[ ]*)?$")
_BLOCK_END = re.compile(r"^[ >]*/{3,}[ ]*$")
_CODE_FENCE = re.compile(r"^[ >]*(`{3,}|~{3,})")
_OPTION_LINE = re.compile(r"^[ >]* {4,}\S")


@dataclass
class BlockError:
    """A recommendation block the renderer refuses, and the line it starts on."""

    line: int
    message: str

    def __str__(self):
        return _("Line %(line)s: %(message)s") % {
            "line": self.line,
            "message": self.message,
        }


def _check_opening(name, argument, number, lines) -> list[BlockError]:
    """The faults of one block's opening fence (on line ``number``)."""
    errors = []
    if name not in grading.Kind.values:
        errors.append(
            BlockError(
                number,
                _("unknown block “%(name)s”: use %(names)s.")
                % {
                    "name": name[:40],
                    "names": " or ".join(sorted(grading.Kind.values)),
                },
            )
        )
    elif name == grading.Kind.GOOD_PRACTICE and argument:
        errors.append(
            BlockError(
                number,
                _("a good practice statement is not graded: remove “| %(text)s”.")
                % {"text": argument[:40]},
            )
        )
    elif name == grading.Kind.RECOMMENDATION:
        try:
            grading.parse_grade(argument)
        except grading.GradeError as exc:
            errors.append(BlockError(number, str(exc)))
    if number < len(lines) and _OPTION_LINE.match(lines[number]):
        errors.append(
            BlockError(
                number + 1,
                _(
                    "a block takes no options: leave a blank line or start the "
                    "text at the margin."
                ),
            )
        )
    return errors


def check_blocks(text) -> list[BlockError]:
    """The faults of the recommendation blocks in ``text``, each with its line.

    An unknown block or grade, options after the fence, a block inside
    another, one never closed, a stray closing fence and a recommendation
    that cites nothing are refused, so nothing an editor meant as a
    recommendation is published as plain text.
    """
    errors = []
    open_block = None  # (name, line, text so far)
    fence = None
    lines = (text or "").splitlines()
    for number, line in enumerate(lines, start=1):
        code = _CODE_FENCE.match(line)
        if fence is not None:
            if (
                code
                and code.group(1)[0] == fence[0]
                and len(code.group(1)) >= len(fence)
            ):
                fence = None
            continue
        if code:
            fence = code.group(1)
            continue
        start = _BLOCK_START.match(line)
        if _BLOCK_END.match(line):
            if open_block is None:
                errors.append(
                    BlockError(number, _("this closing /// has no block to close."))
                )
                continue
            name, first, body = open_block
            if name == grading.Kind.RECOMMENDATION and not re.search(
                CITATION_RE, "\n".join(body)
            ):
                errors.append(
                    BlockError(
                        first,
                        _(
                            "the recommendation cites no evidence: cite it "
                            "inside the block, e.g. [@key]."
                        ),
                    )
                )
            open_block = None
        elif start and open_block is not None:
            errors.append(
                BlockError(
                    number,
                    _(
                        "a block starts inside the block opened on line "
                        "%(line)s: close that one first with ///."
                    )
                    % {"line": open_block[1]},
                )
            )
        elif start:
            name, argument = start.group(1), start.group(2) or ""
            errors.extend(_check_opening(name, argument, number, lines))
            open_block = (name, number, [])
        elif open_block is not None:
            open_block[2].append(line)
    if open_block is not None:
        errors.append(
            BlockError(
                open_block[1],
                _("the %(name)s block is never closed: end it with a line ///.")
                % {"name": open_block[0]},
            )
        )
    return errors


def render(text, numbering=None, *, plain=False):
    """Render Markdown with citations and recommendation boxes to sanitised HTML.

    ``numbering`` maps citation keys to numbers already given (so a second
    body of the same article, such as its plain-language version, reuses the
    reference list's numbers); new keys are numbered after them. It is updated
    in place. Keys are returned in the order they were first cited. ``plain``
    words the boxes' grades for patients. Check the text with
    ``check_blocks()`` first: a block it refuses is not made into a box.
    Text over the limits raises ValidationError (``check_limits``).
    """
    text = text or ""
    check_limits(text)
    numbering = {} if numbering is None else numbering
    citations = CitationExtension(numbering, plain=plain)
    md = markdown.Markdown(
        extensions=[
            "mdx_truly_sane_lists",
            "tables",
            citations,
            RecommendationBlocksExtension(),
        ],
        extension_configs={
            "mdx_truly_sane_lists": {"nested_indent": NESTED_INDENT, "truly_sane": True}
        },
        output_format="html",
    )
    html = sanitize_html(md.convert(defuse(text)))
    cited = list(citations.occurrences)
    return Rendered(html=html, keys=cited, recommendations=citations.recommendations)


# Attributes of the rendered HTML that name an id on the page.
_ID_REF_RE = re.compile(r'\b(id|aria-labelledby)="([^"]*)"|\bhref="#([^"]*)"')


def with_id_prefix(html: str, prefix: str) -> str:
    """Rendered HTML whose ids (and the links and labels naming them) start
    with ``prefix``, so two texts can share one page without repeating ids
    (the review page shows the clinical and the plain-language text).

    Citation links keep pointing at the page's one reference list, and the
    recommendations' labels at the page's one explanation of the grades.
    """

    def rename(match):
        if match.group(3) is not None:
            if re.fullmatch(r"ref-\d+", match.group(3)) or (
                match.group(3) == grading.EXPLANATION_ANCHOR
            ):
                return match.group(0)
            return f'href="#{prefix}{match.group(3)}"'
        return f'{match.group(1)}="{prefix}{match.group(2)}"'

    return _ID_REF_RE.sub(rename, html)
