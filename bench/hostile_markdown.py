"""Benchmark: the slowest Markdown an editor can save, rendered once each.

Run from the repository root: ``python bench/hostile_markdown.py``. Each case fills
one text up to the renderer's limits (``articles.rendering``: length,
paragraph length, markup) with one pathological pattern, renders it as a save
does, and prints the CPU and wall-clock seconds; the last column says whether it
stayed under a CPU second. Nothing touches a database.
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

# One unit of each pattern, repeated (a space keeps most units apart).
PATTERNS = {
    "unmatched [": "[ ",
    "image openers ![": "![ ",
    "nested brackets": "[[[[]]]] ",
    "link openers [a](": "[a]( ",
    "emphasis *a": "*a ",
    "emphasis *a* joined": "*a*",
    "strong **a": "**a",
    "underscores _a": "_a",
    "mixed emphasis *_": "*_ ",
    "code spans `a`": "`a` ",
    "one run of `": "`",
    "code spans ``a": "``a",
    "escaped backticks": "\\`",
    "angle brackets <": "< ",
    "tag openers <a": "<a ",
    "attributes <b x=": "<b x=",
    "end tags </a": "</a ",
    "ampersands &": "& ",
    "char refs &#": "&#",
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


def list_items(depth: int) -> str:
    """As many one-word list items as the line limit allows, ``depth`` deep."""
    lines = ["  " * (n % depth) + "- x" for n in range(rendering.MAX_LINES - 200)]
    # A blank line every 150 items keeps lists under the paragraph limit.
    return "\n".join(
        line + ("\n" if n % 150 == 149 else "") for n, line in enumerate(lines)
    )


def growing_backtick_runs() -> str:
    """Runs of 1, 2, 3 ... backticks: no run closes an earlier one."""
    runs = []
    while len(" ".join([*runs, "`" * (len(runs) + 1)])) < rendering.MAX_BLOCK_CHARS:
        runs.append("`" * (len(runs) + 1))
    return " ".join(runs)


EXTRA = {
    "flat list items": list_items(1),
    "lists 12 deep": list_items(rendering.MAX_NESTING),
    "growing ` runs": growing_backtick_runs(),
}


def main():
    # CPU seconds are what the text costs; wall seconds also count the other
    # processes sharing the machine.
    print(f"{'pattern':22} {'chars':>8} {'cpu s':>8} {'wall s':>8}")
    slowest = 0.0
    cases = {name: fill(unit) for name, unit in PATTERNS.items()} | EXTRA
    for name, text in cases.items():
        rendering.check_limits(text)  # what is measured is accepted text
        started, cpu_started = time.perf_counter(), time.process_time()
        rendering.render(text)
        cpu = time.process_time() - cpu_started
        wall = time.perf_counter() - started
        slowest = max(slowest, cpu)
        flag = "ok" if cpu < 1 else "OVER 1 s"
        print(f"{name:22} {len(text):8,} {cpu:8.2f} {wall:8.2f} {flag}", flush=True)
    print(f"slowest: {slowest:.2f} CPU seconds (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
