"""Benchmark: the worst render of any text the renderer accepts.

Run from the repository root: ``python bench/render_hostile.py``.
Renders the values the fuzz test posts (tests/production/test_fuzz.py) and
runs of each markup character up to the renderer's limits (a block of
10,000 characters, 100,000 in all), prints for each whether it was accepted
and the CPU milliseconds of its render (best of three, so a busy machine
shows less), and the worst accepted one. Nothing touches a database.
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
from articles.rendering import limits  # noqa: E402
from bench.render_article import large_article  # noqa: E402
from tests.production.test_fuzz import HOSTILE  # noqa: E402

RUNS = ["`", "[", "]", "(", "*", "_", "<", "&", "![", "](", "> ", "- ", "<b>", "\\"]


def cases():
    for value in HOSTILE:
        yield f"fuzz value {value[:12]!r}… ({len(value):,} chars)", value
    block = limits.MAX_BLOCK_CHARS - 1
    for run in RUNS:
        one = (run * (block // len(run)))[:block]
        yield f"one block of {run!r}", one
        blocks = "\n\n".join([one] * (limits.MAX_CHARS // (block + 2)))
        yield f"{len(blocks):,} chars of {run!r} in blocks", blocks
        # The markup allowed, run together, and prose up to the length limit.
        markup = (run * (limits.MAX_MARKUP_CHARS // len(run)))[
            : min(block, limits.MAX_MARKUP_CHARS - 10)
        ]
        prose = ("Rituximab was studied in refractory myositis. " * 200)[:block]
        filled = "\n\n".join([markup] + [prose] * 8)
        yield f"{run!r} run and prose, {len(filled):,} chars", filled
    yield "the large article of bench/render_article.py", large_article()


def cpu_ms(text):
    best, accepted = None, True
    for _ in range(3):
        start = time.process_time()
        try:
            rendering.render(text)
        except rendering.ValidationError:
            accepted = False
        spent = (time.process_time() - start) * 1000
        best = spent if best is None else min(best, spent)
    return accepted, best


def main():
    worst = ("", 0.0)
    for label, text in cases():
        accepted, ms = cpu_ms(text)
        print(f"{'accepted' if accepted else 'refused '}  {ms:9.1f} ms  {label}")
        if accepted and ms > worst[1]:
            worst = (label, ms)
    print(f"\nworst accepted render: {worst[1]:.1f} CPU ms ({worst[0]})")


if __name__ == "__main__":
    main()
