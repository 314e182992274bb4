"""The bounds on what an editor may save, and ``defuse()``.

An editor's paste buffer or a stolen account can hold anything, and
python-markdown's time grows faster than the text in places, so rendering is
bounded: ``check_limits()`` refuses text that is too long, nested too deep or
cites too much, with a message saying so, and ``defuse()`` escapes what
python-markdown would scan quadratically before it sees the text.
"""

import bisect
import re
import threading

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from .syntax import MARKDOWN_CITATION_RE, walk_lists

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

# What opens a line: quote markers, list markers and indentation.
BLOCK_MARKER = r">|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)"
LINE_PREFIX_RE = re.compile(rf"(?:[ \t]*(?:{BLOCK_MARKER}))*[ \t]*")
BLOCK_MARKER_RE = re.compile(BLOCK_MARKER)
# What defuse() stops at: a backslash, a backtick, a bracket.
DEFUSE_STOP_RE = re.compile(r"[\\`\[\]()]")
BACKTICKS_RE = re.compile(r"`+")
CLOSES = {"]": "[", ")": "("}
# The texts check_limits() accepted last (see already_checked()), per thread:
# threads serving requests never share them.
_recent = threading.local()


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
    the text; run before anything else looks at it. The text is remembered
    as accepted (``already_checked()``).
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
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # Half of a UTF-16 pair (from a JSON "\ud800" escape, say): no
            # page, database or sanitiser can encode it.
            raise ValidationError(
                gettext_lazy(
                    "This text holds half of a character (a lone surrogate). "
                    "Paste it again from its source."
                ),
                code="lone_surrogate",
            ) from None
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ValidationError(
            gettext_lazy("This text has %(count)s lines; the most is %(limit)s."),
            code="too_many_lines",
            params={"count": f"{len(lines):,}", "limit": f"{MAX_LINES:,}"},
        )
    block_start, block_length = 1, 0
    for number, place in enumerate(walk_lists(lines), start=1):
        line = place.line
        if not line.strip():
            block_start, block_length = number + 1, 0
            continue
        if place.item:
            depth = place.level + _nesting(place.expanded.lstrip(" "))
        else:
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
    markers = len(MARKDOWN_CITATION_RE.findall(text))
    if markers > MAX_CITATION_MARKERS:
        raise ValidationError(
            gettext_lazy(
                "This text has %(count)s citations; the most is %(limit)s. "
                "Cite a review instead of every study."
            ),
            code="too_many_citations",
            params={"count": f"{markers:,}", "limit": f"{MAX_CITATION_MARKERS:,}"},
        )
    _recent.accepted = (text, *getattr(_recent, "accepted", ()))[:2]


def already_checked(text: str) -> bool:
    """Whether ``check_limits()`` has just accepted this very text.

    A save checks each body before it reads the recommendation blocks, then
    renders it, and ``render()`` must refuse text over the limits when it is
    called alone: remembering the last two texts accepted (an article has two
    bodies) spares the second check. The very objects are kept and compared
    by identity, which costs nothing and cannot be fooled: a str never
    changes once made.
    """
    return any(text is accepted for accepted in getattr(_recent, "accepted", ()))


class _CodeSpans:
    """Where the code spans of a text end, found in time linear in the text.

    A run of backticks opens a code span closed, on the same line, by the
    next run of exactly as many; failing that, by the longest shorter run
    that follows (its extra backticks are then code). Scanning the line once
    per opener and length, as a regular expression does, is cubic in the
    length of a run of backticks: here each run's closers are looked up by
    length instead.
    """

    def __init__(self, text: str):
        self.text = text
        self.runs = [match.span() for match in BACKTICKS_RE.finditer(text)]
        self.starts = [start for start, _ in self.runs]
        # The run indices of each length, in order, and each run's line.
        self.by_length = {}
        self.lines = []
        line, previous_end = 0, 0
        for index, (start, end) in enumerate(self.runs):
            line += text.count("\n", previous_end, start)
            previous_end = end
            self.lines.append(line)
            self.by_length.setdefault(end - start, []).append(index)

    def resume_after(self, position: int) -> int:
        """Where to read on after the backtick at ``position``: past the code
        span it opens, or past its run if it opens none. A backtick right
        after a backslash opens nothing; the next one may."""
        index = bisect.bisect_right(self.starts, position) - 1
        run_end = self.runs[index][1]
        if position > 0 and self.text[position - 1] == "\\":
            return position + 1
        for length in range(run_end - position, 0, -1):
            closers = self.by_length.get(length, ())
            after = bisect.bisect_right(closers, index)
            if after < len(closers) and self.lines[closers[after]] == self.lines[index]:
                return self.runs[closers[after]][1]
        return run_end


def defuse(text: str) -> str:
    """Escape the brackets python-markdown would scan quadratically.

    An opening "[" or "(" that is never closed makes python-markdown look for
    its partner to the end of the paragraph, once per opener; so do openers
    nested deeper than ``MAX_BRACKET_DEPTH``. Those become escaped text
    (``\\[``), which renders as the same character. Code spans and escaped
    characters are left alone. Linear in the text.
    """
    spans = None
    stacks = {"[": [], "(": []}
    escape = []
    position = 0
    while (stop := DEFUSE_STOP_RE.search(text, position)) is not None:
        start = stop.start()
        token = text[start]
        position = start + 1
        if token == "\\":
            # An escaped character is text (a line break is not escaped).
            if text[position : position + 1] not in ("", "\n"):
                position += 1
        elif token == "`":
            spans = spans or _CodeSpans(text)
            position = spans.resume_after(start)
        elif token in stacks:
            stack = stacks[token]
            if len(stack) < MAX_BRACKET_DEPTH:
                stack.append(start)
            else:
                escape.append(start)
        elif stacks[CLOSES[token]]:
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
