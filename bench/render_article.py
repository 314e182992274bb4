"""Benchmark: what a save costs the renderer, for the demo article and a large one.

Run from the repository root: ``python bench/render_article.py [--rounds N]``.
It renders the demo article's two bodies (with the graded recommendations, as
``seed_demo`` saves them) and a generated article near the renderer's limits
(sections of prose with citations, emphasis, a link, a list and a table), and
prints for each text its length, the median CPU milliseconds of one render and
of the sanitising alone (``sanitize_html`` on the HTML python-markdown made),
and the Python function calls of one render (counted by cProfile: the same on
every run, however busy the machine). Nothing touches a database.
"""

import argparse
import cProfile
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

import markdown  # noqa: E402

from articles import rendering  # noqa: E402
from articles.rendering import extensions  # noqa: E402
from portal.demo.loader import _article_text  # noqa: E402


def large_article() -> str:
    """Sections of ordinary article text, as many as the limits allow."""
    sections = []
    number = 0
    while True:
        number += 1
        section = (
            f"## Treatment question {number}\n\n"
            + " ".join(
                f"Sentence {k} of section {number} weighs the **evidence** on "
                f"steroid-sparing treatment in adult myositis [@study-{number}-{k}]."
                for k in range(8)
            )
            + f" See [the trial registry](https://example.org/trials/{number}).\n\n"
            + "".join(
                f"- Point {k}: a dose, a duration, a caution.\n" for k in range(4)
            )
            + "\n| Drug | Dose | Evidence |\n|---|---|---|\n"
            + "| IVIG | 2 g/kg | moderate |\n| Rituximab | 1 g twice | low |\n"
        )
        candidate = "\n".join([*sections, section])
        try:
            rendering.check_limits(candidate)
        except rendering.ValidationError:
            return "\n".join(sections)
        sections.append(section)


def markdown_html(text: str) -> str:
    """The HTML python-markdown makes of ``text``, before sanitising."""
    md = markdown.Markdown(
        extensions=[
            "mdx_truly_sane_lists",
            "tables",
            extensions.CitationExtension({}),
            extensions.RecommendationBlocksExtension(),
        ],
        extension_configs={
            "mdx_truly_sane_lists": {
                "nested_indent": extensions.NESTED_INDENT,
                "truly_sane": True,
            }
        },
        output_format="html",
    )
    return md.convert(rendering.defuse(text))


def cpu_ms(function, rounds: int) -> float:
    """Median CPU milliseconds of ``function()`` over ``rounds`` calls."""
    times = []
    for _ in range(rounds):
        started = time.process_time()
        function()
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def calls(function) -> int:
    profile = cProfile.Profile()
    profile.runcall(function)
    return sum(stat[1] for stat in profile.getstats())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    demo = _article_text(recommendations=True)
    texts = {
        "demo body": demo["body"],
        "demo plain body": demo["plain_body"],
        "large article": large_article(),
    }
    print(
        f"{'text':16} {'chars':>7} {'render ms':>10} {'sanitise ms':>12} {'calls':>8}"
    )
    for name, text in texts.items():
        html = markdown_html(text)
        render_ms = cpu_ms(lambda text=text: rendering.render(text), rounds)
        sanitise_ms = cpu_ms(lambda html=html: rendering.sanitize_html(html), rounds)
        count = calls(lambda text=text: rendering.render(text))
        print(
            f"{name:16} {len(text):7,} {render_ms:10.1f} {sanitise_ms:12.1f} "
            f"{count:8,}",
            flush=True,
        )
    print(f"median of {rounds} rounds (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
