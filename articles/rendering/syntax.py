"""The Markdown the renderer reads beyond python-markdown's own: citations
and list items, and the walk that places each line in the lists around it.

The limits, the block checks and the Markdown extensions all read the text
the same way, so they share these definitions.
"""

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

# Pandoc citation keys: a letter, digit or _ first, then letters, digits and
# the internal punctuation :.#$%&-+?<>~/ (trailing punctuation is not part of
# the key).
KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_]|[:.#$%&+?<>~/-](?=[A-Za-z0-9_]))*"
# A citation marker in Markdown, "[@a]" or "[@a; @b]" (the rendered HTML's
# citations are portal.search.indexing.HTML_CITATION_RE's).
MARKDOWN_CITATION_RE = re.compile(rf"\[(@{KEY}(?:\s*;\s*@{KEY})*)\]")
KEY_RE = re.compile(rf"@({KEY})")
# A list item: its indent, marker ("-", "*", "+", "1." or "1)") and the rest.
LIST_ITEM_RE = re.compile(r"^( *)([*+-]|\d+[.)])(\s.*)?$")


def citation_lines(text: str) -> dict[str, int]:
    """The line (counted from 1) where each citation key is first cited."""
    lines = {}
    for number, line in enumerate((text or "").split("\n"), start=1):
        for marker in MARKDOWN_CITATION_RE.finditer(line):
            for key in KEY_RE.findall(marker.group(1)):
                lines.setdefault(key, number)
    return lines


class ListLine(NamedTuple):
    """One line of text, placed in the lists around it."""

    line: str
    # The line with its tabs expanded to four columns.
    expanded: str
    # Whether the line is a list item ("- x", "1. x").
    item: bool
    # For an item, its level (0 for a top-level item); for a line indented
    # under an item (a second paragraph), the level of the item it belongs
    # to; None for a blank line and for text outside lists.
    level: int | None


def walk_lists(lines: Iterable[str]) -> Iterator[ListLine]:
    """Each line with its place in the lists around it, in one pass.

    Editors indent sub-items by two spaces (most editors' habit) or by four
    (Markdown's own rule); either means "one level deeper than the item
    above", so any deeper indent is one level more, however small. A line
    indented under an item belongs to the deepest item open above it that is
    indented less; a line at the margin ends the lists. The list normaliser
    rewrites indents from these levels and the limits count them, so what is
    checked is what is rendered.
    """
    open_items = []  # the source indents of the items open above, outermost first
    for line in lines:
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        if LIST_ITEM_RE.match(expanded):
            while open_items and indent < open_items[-1]:
                open_items.pop()
            if not open_items or indent > open_items[-1]:
                open_items.append(indent)
            yield ListLine(line, expanded, True, len(open_items) - 1)
        elif not expanded.strip():
            yield ListLine(line, expanded, False, None)
        elif open_items and indent > 0:
            owner = next(
                (
                    level
                    for level in reversed(range(len(open_items)))
                    if open_items[level] < indent
                ),
                0,
            )
            yield ListLine(line, expanded, False, owner)
        else:
            open_items = []
            yield ListLine(line, expanded, False, None)
