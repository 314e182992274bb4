"""Word-level differences between two versions of a text, as safe HTML."""

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words and the whitespace between them are separate tokens, so a change of
# one word shows as that word, and line breaks survive.
TOKEN_RE = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> SafeString:
    """Mark what ``new`` removed from ``old`` with <del> and added with <ins>.

    Lines are compared first and words only inside the lines that changed:
    a word-level comparison of whole articles costs seconds, one of the few
    lines an edit touches costs nothing. Every piece of text is escaped
    before it is wrapped, so the result is safe to put in a page whatever
    the texts contain.
    """
    a = (old or "").splitlines(keepends=True)
    b = (new or "").splitlines(keepends=True)
    parts = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
        else:
            parts.append(_words("".join(a[i1:i2]), "".join(b[j1:j2])))
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped)


def _words(old: str, new: str) -> str:
    """The word-level diff of two stretches of text, escaped."""
    a, b = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    parts = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return "".join(parts)


def field_diffs(old: dict, new: dict, labels: dict) -> list:
    """(label, diff HTML, changed?) for each text field, in ``labels`` order."""
    rows = []
    for name, label in labels.items():
        before, after = old.get(name, ""), new.get(name, "")
        rows.append((label, word_diff(before, after), before != after))
    return rows


def citation_changes(before, after) -> tuple[list, list]:
    """The references ``after`` cites that ``before`` did not (added) and those
    ``before`` cited that ``after`` does not (removed), each in its own
    citation order. ``before`` and ``after``: two versions' cited references.
    """
    old = {reference.pk: reference for reference in before}
    new = {reference.pk: reference for reference in after}
    added = [reference for pk, reference in new.items() if pk not in old]
    removed = [reference for pk, reference in old.items() if pk not in new]
    return added, removed
