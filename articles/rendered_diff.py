"""What changed in the text readers see: a diff of two rendered articles.

The board reviews the page readers will read, not its Markdown. Both sides
are the renderer's HTML (``articles.rendering.render``, already sanitised);
``rendered_diff()`` reads them into trees, pairs their blocks (paragraphs,
headings, lists, tables, recommendation boxes) and marks the words inserted
and deleted inside the blocks where they happen with ``<ins>`` and
``<del>``. Blocks are grouped in sections by their ``<h2>``, so a page can
fold the sections that did not change, and the changes are numbered and
anchored for a summary to link to.

Citations are compared by the reference they point at, not by their number:
adding a reference early in the text renumbers the later ones, which is no
change a reviewer needs to read.

The output is rebuilt from the parsed trees with every text and attribute
escaped again, so it is as safe as the HTML it was made from.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html import escape
from html.parser import HTMLParser

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import grading
from .rendering import with_id_prefix

VOID = frozenset({"br", "hr", "img", "wbr", "col"})
BLOCK = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "section",
        "div",
        "blockquote",
        "pre",
        "hr",
        "figure",
    }
)
# Attributes that name something on the page: a deleted block drops them, so
# the old and the new block never share an id.
HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
NAMING = frozenset({"id", "aria-labelledby", "aria-describedby"})
WORD_RE = re.compile(r"\s+|[^\s]+")
REF_HREF_RE = re.compile(r"#ref-(\d+)")
BOX_ID_RE = re.compile(r"(?:recommendation|good-practice)-\d+")
# Words two blocks must share (of the longer one's) to be read as one block
# edited rather than one removed and another added.
SAME_BLOCK = 0.4
# How many blocks ahead an edited block's old self is looked for.
LOOK_AHEAD = 40


class Element:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag, attrs):
        self.tag, self.attrs, self.children = tag, attrs, []

    def attr(self, name):
        return next((v for k, v in self.attrs if k == name), None)

    @property
    def is_block(self):
        return self.tag in BLOCK


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("", [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Element(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, attrs))

    def handle_endtag(self, tag):
        # The sanitiser's output is balanced; a stray end tag is ignored.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    """The tree of ``html``: Elements, with text as ``str`` children."""
    builder = _TreeBuilder()
    builder.feed(html or "")
    builder.close()
    return builder.root


def start_tag(node: Element, *, drop=frozenset()) -> str:
    attrs = "".join(
        f' {name}="{escape(value or "", quote=True)}"'
        if value is not None
        else f" {name}"
        for name, value in node.attrs
        if name not in drop
    )
    return f"<{node.tag}{attrs}>"


def end_tag(node: Element) -> str:
    return "" if node.tag in VOID else f"</{node.tag}>"


@dataclass(slots=True)
class Token:
    """One word, space or tag of a block's text: what it shows, what it is
    compared by, and what it shows struck out (tags show nothing)."""

    html: str
    key: str
    struck: str = ""
    is_text: bool = False
    reference: object = None


class Side:
    """One version's rendered text and the reference each citation number means."""

    def __init__(self, html: str, references: dict):
        self.tree = parse(html)
        self.references = references


def tokens(node, side: Side, cite=None):
    """The tokens of ``node`` (an Element or text), depth first."""
    if isinstance(node, str):
        for word in WORD_RE.findall(node):
            if word.isspace():
                yield Token(escape(word, quote=False), " ", " ", True)
            elif cite is not None:
                yield Token(
                    escape(word, quote=False),
                    f"@{cite}",
                    f"[{escape(word)}]",
                    True,
                    cite,
                )
            else:
                yield Token(escape(word, quote=False), word, escape(word), True)
        return
    key = node.tag
    if node.tag == "a":
        match = REF_HREF_RE.fullmatch(node.attr("href") or "")
        if match:
            number = int(match.group(1))
            cite = side.references.get(number, f"#{number}")
            key = f"a@{cite}"
    elif node.attr("class"):
        key = f"{node.tag}.{node.attr('class')}"
    yield Token(start_tag(node), f"<{key}>")
    for child in node.children:
        yield from tokens(child, side, cite)
    if node.tag not in VOID:
        yield Token(end_tag(node), f"</{node.tag}>")


def signature(node, side: Side) -> str:
    return "\x00".join(token.key for token in tokens(node, side) if token.key != " ")


def words(node, side: Side) -> set:
    return {
        token.key for token in tokens(node, side) if token.is_text and token.key != " "
    }


def has_blocks(node: Element) -> bool:
    return any(isinstance(child, Element) and child.is_block for child in node.children)


def units(node: Element) -> list:
    """The children of a block holding blocks: each block alone, and each run
    of text and inline elements between them as one list (blank runs dropped)."""
    result, run = [], []
    for child in node.children:
        if isinstance(child, Element) and child.is_block:
            if any(not isinstance(c, str) or c.strip() for c in run):
                result.append(run)
            run = []
            result.append(child)
        else:
            run.append(child)
    if any(not isinstance(c, str) or c.strip() for c in run):
        result.append(run)
    return result


def kind(unit) -> str:
    if isinstance(unit, list):
        return "#inline"
    return f"{unit.tag}.{unit.attr('class') or ''}"


class _Run(Element):
    """A run of inline content, diffed like a paragraph without its tags."""

    def __init__(self, children):
        super().__init__("", [])
        self.children = children


def _as_node(unit):
    return _Run(unit) if isinstance(unit, list) else unit


def marked(node, side: Side, mark: str) -> str:
    """``node`` with all its text inside ``<mark>`` (``ins`` or ``del``); a
    deleted node drops its ids, which the new text may use."""
    if isinstance(node, str):
        text = escape(node, quote=False)
        return f"<{mark}>{text}</{mark}>" if node.strip() else text
    drop = NAMING if mark == "del" else frozenset()
    inner = "".join(marked(child, side, mark) for child in node.children)
    if isinstance(node, _Run):
        return inner
    return start_tag(node, drop=drop) + inner + end_tag(node)


def serialise(node) -> str:
    if isinstance(node, str):
        return escape(node, quote=False)
    inner = "".join(serialise(child) for child in node.children)
    if isinstance(node, _Run):
        return inner
    return start_tag(node) + inner + end_tag(node)


def inline_diff(old, new, before: Side, after: Side) -> str:
    """The new block's content with the words it lost struck out and the
    words it gained marked, word by word."""
    a = [t for child in old.children for t in tokens(child, before)]
    b = [t for child in new.children for t in tokens(child, after)]
    parts = []
    matcher = SequenceMatcher(None, [t.key for t in a], [t.key for t in b], False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.extend(t.html for t in b[j1:j2])
            continue
        if op in ("delete", "replace"):
            struck = "".join(t.struck for t in a[i1:i2])
            if struck.strip():
                parts.append(f"<del>{struck}</del>")
        if op in ("insert", "replace"):
            run = []
            for token in b[j1:j2]:
                if token.is_text:
                    run.append(token.html)
                    continue
                parts.append(_ins(run))
                run = []
                parts.append(token.html)
            parts.append(_ins(run))
    return "".join(parts)


def _ins(run) -> str:
    text = "".join(run)
    return f"<ins>{text}</ins>" if text.strip() else text


@dataclass
class Piece:
    """One block of the new text (or a deleted one of the old), as HTML."""

    html: str
    status: str  # "equal", "changed", "added" or "removed"
    old: object = None
    new: object = None


def diff_units(old_units, new_units, before: Side, after: Side) -> list[Piece]:
    """Pair the blocks of two versions and diff each pair."""
    a = [signature(_as_node(u), before) for u in old_units]
    b = [signature(_as_node(u), after) for u in new_units]
    pieces = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, False).get_opcodes():
        if op == "equal":
            pieces.extend(
                Piece(serialise(_as_node(u)), "equal", old_units[i1 + k], u)
                for k, u in enumerate(new_units[j1:j2])
            )
            continue
        pieces.extend(_pair(old_units[i1:i2], new_units[j1:j2], before, after))
    return pieces


def _pair(olds, news, before: Side, after: Side) -> list[Piece]:
    """Pieces for a stretch where the blocks differ: blocks of one kind are
    read as edited when they share enough words (or stand one for one),
    the others as removed and added."""
    one_for_one = len(olds) == len(news) and all(
        kind(o) == kind(n) for o, n in zip(olds, news, strict=True)
    )
    old_words = [None] * len(olds)
    pieces, start = [], 0
    for new in news:
        match = None
        if one_for_one:
            match = start
        else:
            new_words = words(_as_node(new), after)
            # A bounded look-ahead keeps a text rewritten throughout linear.
            for index in range(start, min(len(olds), start + LOOK_AHEAD)):
                if kind(olds[index]) != kind(new):
                    continue
                if old_words[index] is None:
                    old_words[index] = words(_as_node(olds[index]), before)
                shared = len(old_words[index] & new_words)
                longest = max(len(old_words[index]), len(new_words)) or 1
                if shared / longest >= SAME_BLOCK:
                    match = index
                    break
        if match is None:
            pieces.append(Piece(marked(_as_node(new), after, "ins"), "added", new=new))
            continue
        pieces.extend(
            Piece(marked(_as_node(old), before, "del"), "removed", old=old)
            for old in olds[start:match]
        )
        pieces.append(_edited(olds[match], new, before, after))
        start = match + 1
    pieces.extend(
        Piece(marked(_as_node(old), before, "del"), "removed", old=old)
        for old in olds[start:]
    )
    return pieces


def _edited(old, new, before: Side, after: Side) -> Piece:
    old_node, new_node = _as_node(old), _as_node(new)
    if has_blocks(old_node) or has_blocks(new_node):
        inner = "".join(
            piece.html
            for piece in diff_units(units(old_node), units(new_node), before, after)
        )
    else:
        inner = inline_diff(old_node, new_node, before, after)
    if isinstance(new_node, _Run):
        return Piece(inner, "changed", old, new)
    return Piece(start_tag(new_node) + inner + end_tag(new_node), "changed", old, new)


@dataclass
class Part:
    """Shown blocks of a changed section, or a run of unchanged ones to fold
    (``folded`` counts them)."""

    html: str
    folded: int = 0


@dataclass
class Section:
    """The blocks under one ``<h2>`` (or before the first), as diffed HTML."""

    title: str
    html: str = ""
    anchor: str = ""  # the first change's id, if the section changed
    # (html, changed?, a heading?) of each block, in order.
    pieces: list = field(default_factory=list)
    parts: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.anchor)

    def fold(self) -> None:
        """Split a changed section into ``parts``: its heading, each change
        (with the heading right above it, if any), and the unchanged runs
        between them folded, so that the changes follow each other closely."""
        parts, run = [], []
        pieces = list(self.pieces)
        if pieces and pieces[0][2] and not pieces[0][1]:
            parts.append(Part(pieces.pop(0)[0]))
        for html, changed, heading in pieces:
            if not changed:
                run.append((html, heading))
                continue
            keep = len(run) - 1 if run and run[-1][1] else len(run)
            parts.extend(_folded(run[:keep]))
            parts.extend(Part(shown) for shown, _heading in run[keep:])
            parts.append(Part(html))
            run = []
        parts.extend(_folded(run))
        self.parts = parts


def _folded(run) -> list:
    if not run:
        return []
    return [Part(_safe("\n".join(html for html, _heading in run)), len(run))]


def _safe(html: str):
    # Rebuilt from the parsed sanitised HTML, every text and attribute
    # escaped again (serialise, marked, inline_diff).
    return mark_safe(html)  # noqa: S308


@dataclass
class RenderedDiff:
    """A rendered text compared with an earlier one, ready for a page."""

    sections: list[Section]
    changes: int
    # Reference (as the sides name it) -> the anchor of the first change
    # citing it, on the side where it is cited.
    cited_in: dict
    uncited_in: dict
    # Box id (recommendation-2) -> anchor of its change, new and old side.
    boxes_new: dict
    boxes_old: dict

    @property
    def changed_sections(self):
        return [section for section in self.sections if section.changed]

    @property
    def groups(self) -> list:
        """(changed?, sections): each changed section alone, and each run of
        unchanged sections together, to fold as one."""
        groups = []
        for section in self.sections:
            if section.changed or not groups or groups[-1][0]:
                groups.append((section.changed, [section]))
            else:
                groups[-1][1].append(section)
        return groups


def _text(node) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text(child) for child in node.children)


def _ids(node, pattern=BOX_ID_RE):
    if isinstance(node, Element):
        value = node.attr("id") or ""
        if pattern.fullmatch(value):
            yield value
        for child in node.children:
            yield from _ids(child, pattern)


def _cited(node, side: Side):
    return {t.reference for t in tokens(node, side) if t.reference is not None}


def rendered_diff(
    old_html: str,
    new_html: str,
    *,
    old_references: dict,
    new_references: dict,
    prefix: str,
    opening: str = "",
) -> RenderedDiff:
    """Compare two rendered texts, block by block and word by word.

    ``old_references`` and ``new_references`` map each side's citation
    numbers to what they cite (a reference's id), so a renumbered citation
    is no change. ``prefix`` starts every id of the result (two texts share
    the review page with the proposed text); the changes are anchored
    ``{prefix}change-N``. ``opening`` names the section before the first
    heading.
    """
    before, after = Side(old_html, old_references), Side(new_html, new_references)
    pieces = diff_units(units(before.tree), units(after.tree), before, after)
    sections = [Section(title=str(opening or _("Opening")))]
    cited_in, uncited_in, boxes_new, boxes_old = {}, {}, {}, {}
    count = 0
    for piece in pieces:
        node = piece.new if piece.new is not None else piece.old
        if isinstance(node, Element) and node.tag == "h2":
            sections.append(Section(title=" ".join(_text(node).split())))
        section = sections[-1]
        html = with_id_prefix(piece.html, prefix)
        if piece.status != "equal":
            count += 1
            anchor = f"{prefix}change-{count}"
            html = (
                f'<div class="diff-change diff-change--{piece.status}" id="{anchor}">'
                f"{html}</div>"
            )
            section.anchor = section.anchor or anchor
            if piece.new is not None:
                for reference in _cited(_as_node(piece.new), after):
                    cited_in.setdefault(reference, anchor)
                for box in _ids(_as_node(piece.new)):
                    boxes_new.setdefault(box, anchor)
            if piece.old is not None:
                for reference in _cited(_as_node(piece.old), before):
                    uncited_in.setdefault(reference, anchor)
                for box in _ids(_as_node(piece.old)):
                    boxes_old.setdefault(box, anchor)
        is_heading = isinstance(node, Element) and node.tag in HEADINGS
        section.pieces.append((_safe(html), piece.status != "equal", is_heading))
    for section in sections:
        section.html = _safe("\n".join(html for html, _c, _h in section.pieces))
        if section.changed:
            section.fold()
    if not sections[0].pieces:
        sections.pop(0)
    return RenderedDiff(sections, count, cited_in, uncited_in, boxes_new, boxes_old)


@dataclass
class RecommendationChange:
    """How one recommendation box changed: added, removed or edited."""

    status: str
    heading: str
    anchor: str
    details: list = field(default_factory=list)


def _heading(box) -> str:
    return str(grading.HEADINGS[box["kind"]]) % {"number": box["number"]}


def _grade(value) -> str:
    return str(grading.wording(value)) if value else str(_("not graded"))


def recommendation_changes(old: list, new: list, diff: RenderedDiff) -> list:
    """What changed in the recommendation boxes (each a dict of
    ``rendering.Rendered.recommendations``): which were added and removed,
    and for the others a change of strength, certainty or statement,
    each linked to its place in ``diff``."""

    def key(box):
        return (box["kind"], box["text"])

    changes = []
    matcher = SequenceMatcher(None, [key(b) for b in old], [key(b) for b in new], False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs = zip(old[i1:i2], new[j1:j2], strict=True)
        else:
            paired = min(i2 - i1, j2 - j1)
            pairs = zip(old[i1 : i1 + paired], new[j1 : j1 + paired], strict=True)
            for box in new[j1 + paired : j2]:
                changes.append(
                    RecommendationChange(
                        "added",
                        _heading(box),
                        diff.boxes_new.get(box["anchor"], ""),
                        [_grade(box.get("strength")), _grade(box.get("certainty"))]
                        if box.get("strength")
                        else [],
                    )
                )
            for box in old[i1 + paired : i2]:
                changes.append(
                    RecommendationChange(
                        "removed",
                        str(_("%(heading)s of the earlier version"))
                        % {"heading": _heading(box)},
                        diff.boxes_old.get(box["anchor"], ""),
                    )
                )
        for was, now in pairs:
            details = []
            for name, label in (
                ("strength", _("strength")),
                ("certainty", _("certainty")),
            ):
                if was.get(name) != now.get(name):
                    details.append(
                        f"{label}: {_grade(was.get(name))} → {_grade(now.get(name))}"
                    )
            if was["kind"] != now["kind"]:
                details.append(str(_("now a %(kind)s")) % {"kind": _heading(now)})
            if was["text"] != now["text"]:
                details.append(str(_("statement reworded")))
            if details:
                changes.append(
                    RecommendationChange(
                        "changed",
                        _heading(now),
                        diff.boxes_new.get(now["anchor"], ""),
                        details,
                    )
                )
    return changes
