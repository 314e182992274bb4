"""The Markdown extensions of the renderer: citations, headings, tables,
lists and the recommendation boxes.

python-markdown and pymdown-extensions parse; these shape the tree into the
markup the sanitiser's allowlist (``sanitising``) expects.
"""

import itertools
import re
import xml.etree.ElementTree as etree

from django.utils.text import slugify
from django.utils.translation import gettext as _
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pymdownx import util as pymdownx_util
from pymdownx.blocks import (
    BlocksExtension,
    BlocksMgrExtension,
    BlocksProcessor,
    BlocksTreeprocessor,
)
from pymdownx.blocks.block import Block

from .. import grading
from .sanitising import HEADING_ID_PREFIX, TABLE_WRAPPER
from .syntax import KEY_RE, MARKDOWN_CITATION_RE, walk_lists

# Nested list items are indented by this many spaces for mdx_truly_sane_lists.
NESTED_INDENT = 2


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

    Each item is rewritten with ``NESTED_INDENT`` spaces per level of the
    list walk (``syntax.walk_lists``: two spaces or four both mean one level
    deeper), which ``mdx_truly_sane_lists`` then nests. Lines indented under
    an item (a second paragraph) follow their item; text outside lists is
    left as it is.
    """

    def run(self, lines):
        out = []
        for place in walk_lists(lines):
            if place.level is None:
                out.append(place.line)
                continue
            level = place.level if place.item else place.level + 1
            out.append(" " * (NESTED_INDENT * level) + place.expanded.lstrip(" "))
        return out


# Private-use characters: the first the text does not hold stands in for "<"
# (more than a text may hold, so one is always free).
STAND_IN_RANGES = (
    range(0xE000, 0xF900),
    range(0xF0000, 0xFFFFE),
    range(0x100000, 0x10FFFE),
)


class HideLoneAngleBrackets(Preprocessor):
    """Hide from python-markdown's HTML reader every "<" no ">" follows.

    Such a "<" opens no tag, comment or autolink; but the reader (the
    standard library's HTMLParser) reads on from it to the end of the text
    before it gives up, once per "<", which is quadratic ("<a " repeated
    took seconds). It reads a stand-in character instead, and
    ``RestoreLoneAngleBrackets``, the next step, puts the "<" back: every
    later step reads the text as written, and the "<" renders as it would.
    """

    def __init__(self, md):
        super().__init__(md)
        self.stand_in = None

    def run(self, lines):
        self.stand_in = None
        text = "\n".join(lines)
        tail = text.rfind(">") + 1
        if text.find("<", tail) < 0:
            return lines
        used = set(text)
        self.stand_in = next(
            chr(code)
            for code in itertools.chain(*STAND_IN_RANGES)
            if chr(code) not in used
        )
        return (text[:tail] + text[tail:].replace("<", self.stand_in)).split("\n")


class RestoreLoneAngleBrackets(Preprocessor):
    """Put back the "<" ``HideLoneAngleBrackets`` hid, in the text and in any
    raw HTML the reader set aside (an unclosed block holds what follows it)."""

    def __init__(self, md, hidden):
        super().__init__(md)
        self.hidden = hidden

    def run(self, lines):
        stand_in = self.hidden.stand_in
        if stand_in is None:
            return lines
        stash = self.md.htmlStash.rawHtmlBlocks
        for index, block in enumerate(stash):
            if isinstance(block, str):
                stash[index] = block.replace(stand_in, "<")
        return [line.replace(stand_in, "<") for line in lines]


class RecommendationBlock(Block):
    """``/// recommendation | strength=… certainty=…``: a graded recommendation.

    pymdown-extensions' generic blocks parse the fences and the Markdown
    inside; this only makes the box. ``blocks.check_blocks()`` has refused,
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


class FoundBlocksProcessor(BlocksProcessor):
    """pymdownx's block processor, keeping each block it finds until its run.

    pymdownx 13.1 remembers the block ``test()`` found in one attribute, then
    parses the text before the fence, and that parse may find, remember and
    run a block of its own (a quote or list item holding a block, followed by
    a heading and another block): the outer block is lost, ``run()`` consumes
    nothing and python-markdown's parser loops for ever. Kept as a stack, each
    ``run()`` takes the block its own ``test()`` found.
    """

    def __init__(self, parser, md):
        self._found = []
        super().__init__(parser, md)

    @property
    def cached_block(self):
        return self._found[-1] if self._found else None

    @cached_block.setter
    def cached_block(self, value):
        if value is not None:
            self._found.append(value)
        elif self._found:
            self._found.pop()

    def _reset(self):
        super()._reset()
        self._found.clear()


class FoundBlocksManager(BlocksMgrExtension):
    """pymdownx's block manager with ``FoundBlocksProcessor``, registered as
    ``BlocksMgrExtension.extendMarkdown`` registers its own."""

    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's API)
        md.registerExtension(self)
        pymdownx_util.escape_chars(md, ["/"])
        self.extension = FoundBlocksProcessor(md.parser, md)
        md.parser.blockprocessors.register(self.extension, "blocks", 89.99)
        md.treeprocessors.register(
            BlocksTreeprocessor(md, self.extension), "blocks_on_inline_end", 19.99
        )


class RecommendationBlocksExtension(BlocksExtension):
    def register_block_mgr(self, md):
        if "blocks" not in md.parser.blockprocessors:
            manager = FoundBlocksManager()
            manager.extendMarkdown(md)
            return manager.extension
        return md.parser.blockprocessors["blocks"]

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


# How long a statement's words are kept for the evidence profile: enough for
# the board to find it in the text.
STATEMENT_EXCERPT_CHARS = 160
_CITATION_HREF_RE = re.compile(r"#ref-(\d+)")


def _excerpt(text):
    if len(text) <= STATEMENT_EXCERPT_CHARS:
        return text
    return text[: STATEMENT_EXCERPT_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _words(text, children):
    """The words of a statement whose own text is ``text`` followed by
    ``children`` (their tails included), without citation numbers."""
    holder = etree.Element("div")
    span = etree.SubElement(holder, "span")
    span.text = text
    span.extend(children)
    return _statement_text(holder)


class CollectStatements(Treeprocessor):
    """Collect each statement that cites something, with the keys it cites:
    paragraphs, list items and recommendation boxes, in document order.

    What the evidence profile (``articles.evidence_profile``) reads: it asks
    of each statement whether anything it cites can be checked. A list
    item's own words are one statement and its sub-items others; a box is
    one statement, whatever paragraphs it holds. Runs after the boxes are
    numbered, so a box is named as readers see it.
    """

    def __init__(self, md, numbering, collected):
        super().__init__(md)
        self.numbering = numbering
        self.collected = collected

    def run(self, root):
        self.keys = {number: key for key, number in self.numbering.items()}
        for child in root:
            self._walk(child)

    def _cited(self, element, *, skip=()):
        found = []

        def walk(el):
            if el.tag in skip:
                return
            if el.tag == "sup" and el.get("class") == "citation":
                for link in el.iter("a"):
                    match = _CITATION_HREF_RE.fullmatch(link.get("href", ""))
                    key = match and self.keys.get(int(match.group(1)))
                    if key and key not in found:
                        found.append(key)
                return
            for child in el:
                walk(child)

        for child in element:
            walk(child)
        return found

    def _add(self, kind, keys, text, anchor=""):
        if keys:
            self.collected.append(
                {"kind": kind, "anchor": anchor, "text": _excerpt(text), "keys": keys}
            )

    def _walk(self, el):
        if el.tag == "section" and el.get("class", "").startswith("recommendation "):
            # The box's words, without the heading and grade it was given.
            words = etree.Element("div")
            words.extend(
                child
                for child in el
                if not re.fullmatch(r"h[1-6]", child.tag)
                and child.get("class") != "recommendation__grade"
            )
            kind = el.get("class").split("--", 1)[1]
            self._add(kind, self._cited(el), _statement_text(words), el.get("id", ""))
            return
        if el.tag == "p":
            self._add("paragraph", self._cited(el), _words(el.text, el))
            return
        if el.tag == "li":
            nested = ("ul", "ol", "p")
            own = [child for child in el if child.tag not in nested]
            self._add("item", self._cited(el, skip=nested), _words(el.text, own))
        for child in el:
            self._walk(child)


class CitationExtension(Extension):
    def __init__(self, numbering, *, plain=False, **kwargs):
        self.numbering = numbering
        self.occurrences = {}
        self.plain = plain
        self.recommendations = []
        self.statements = []
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's API)
        # Priority above links (160) so "[@key]" is never read as a link.
        md.inlinePatterns.register(
            CitationProcessor(MARKDOWN_CITATION_RE.pattern), "citation", 175
        )
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
        md.treeprocessors.register(
            CollectStatements(md, self.numbering, self.statements),
            "collect_statements",
            3.5,
        )
        # After the boxes, whose headings already carry their own ids.
        md.treeprocessors.register(SectionAnchors(md), "section_anchors", 3)
        md.treeprocessors.register(ScrollableTables(md), "scrollable_tables", 2)
        # Before everything else, so the list parser sees even indents.
        md.preprocessors.register(NormaliseListIndent(md), "normalise_lists", 100)
        # Around python-markdown's HTML reader ("html_block", 20).
        hidden = HideLoneAngleBrackets(md)
        md.preprocessors.register(hidden, "hide_lone_angle_brackets", 25)
        md.preprocessors.register(
            RestoreLoneAngleBrackets(md, hidden), "restore_lone_angle_brackets", 15
        )
