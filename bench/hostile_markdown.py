"""Benchmark: the slowest Markdown an editor can save, rendered once each.

Run from the repository root: ``python bench/hostile_markdown.py``. Each case fills
one text up to the renderer's limits (``articles.rendering``: length,
paragraph length, markup) with one pathological pattern, renders it as a save
does, and prints the seconds; the last column says whether it stayed under a
second. Nothing touches a database.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from articles import rendering  # noqa: E402

# One unit of each pattern, repeated; a space keeps units apart.
PATTERNS = {
    "unmatched [": "[ ",
    "image openers ![": "![ ",
    "nested brackets": "[[[[]]]] ",
    "link openers [a](": "[a]( ",
    "emphasis *a": "*a ",
    "mixed emphasis *_": "*_ ",
    "code spans `a`": "`a` ",
    "angle brackets <": "< ",
    "ampersands &": "& ",
    "plain words": "word ",
}


def fill(unit: str) -> str:
    """Paragraphs just under the paragraph limit, markup until its budget ends."""
    paragraphs, markup, length = [], 0, 0
    per_paragraph = rendering.MAX_BLOCK_CHARS - 500
    while length + per_paragraph + 2 <= rendering.MAX_CHARS:
        paragraph = unit * (per_paragraph // len(unit))
        cost = sum(paragraph.count(c) for c in rendering.MARKUP_CHARS)
        if markup + cost > rendering.MAX_MARKUP_CHARS:
            paragraph = "word " * (per_paragraph // 5)
        else:
            markup += cost
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def main():
    print(f"{'pattern':20} {'chars':>8} {'seconds':>8}")
    slowest = 0.0
    for name, unit in PATTERNS.items():
        text = fill(unit)
        rendering.check_limits(text)  # what is measured is accepted text
        started = time.perf_counter()
        rendering.render(text)
        seconds = time.perf_counter() - started
        slowest = max(slowest, seconds)
        flag = "ok" if seconds < 1 else "OVER 1 s"
        print(f"{name:20} {len(text):8,} {seconds:8.2f} {flag}")
    print(f"slowest: {slowest:.2f} s (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
