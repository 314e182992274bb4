"""The checks of the recommendation blocks an editor writes.

``check_blocks()`` reads the fences line by line, before rendering, and
names the line of every fault, so nothing an editor meant as a
recommendation is published as plain text.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .. import grading
from .syntax import MARKDOWN_CITATION_RE

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
            if name == grading.Kind.RECOMMENDATION and not (
                MARKDOWN_CITATION_RE.search("\n".join(body))
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
