"""Benchmark: the review page's rendered diff of a 100,000-character article.

Run from the repository root: ``python bench/render_diff.py [--rounds N]``.
It takes the large generated article of ``bench/render_article.py`` (as long
as the renderer's limits allow, about 100,000 characters), makes a revision
of it as an editor would (a dose changed in every tenth section, a paragraph
added, a section removed, a table cell and a list item edited, a
recommendation's grade changed, a reference added early so that every later
citation is renumbered), renders both once, and prints the median CPU
milliseconds of the comparison the review page computes from the two
renderings (``rendered_diff`` and ``recommendation_changes``), with the number
of changes found, and of the Markdown diff the page keeps one click away
(``articles.diff.word_diff``). Rendering is timed apart: the page renders
nothing for either comparison (each version's HTML is stored, rendered on
save). Nothing touches a database.
"""

import argparse
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

from articles import rendering  # noqa: E402
from articles.diff import word_diff  # noqa: E402
from articles.rendered_diff import recommendation_changes, rendered_diff  # noqa: E402
from bench.render_article import large_article  # noqa: E402

BOX = (
    "/// recommendation | strength=conditional certainty=low\n"
    "We suggest rituximab in refractory disease [@study-1-1].\n///\n\n"
)


def revise(text: str) -> str:
    """The text as an editor might revise it, in several places at once."""
    sections = text.split("## ")
    for number in range(1, len(sections), 10):
        sections[number] = sections[number].replace("2 g/kg", "1 g/kg", 1)
    sections[3] = sections[3].replace("Point 2: a dose", "Point 2: a lower dose")
    sections[5] = sections[5].replace("| low |", "| very low |")
    sections[7] += "A new paragraph on monitoring creatine kinase [@study-7-1].\n\n"
    del sections[9]
    revised = "## ".join(sections)
    revised = revised.replace("[@study-1-0]", "[@new-trial] [@study-1-0]", 1).replace(
        "strength=conditional certainty=low", "strength=strong certainty=low"
    )
    return revised


def cpu_ms(function, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.process_time()
        function()
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    old_text = large_article()
    # Room for the recommendation box within the renderer's limits.
    old_text = BOX + old_text[: rendering.MAX_CHARS - len(BOX) - 2000]
    old_text = old_text[: old_text.rindex("\n## ")]
    new_text = revise(old_text)
    started = time.process_time()
    before, after = rendering.render(old_text), rendering.render(new_text)
    render_ms = (time.process_time() - started) * 1000 / 2

    def compare():
        result = rendered_diff(
            before.html,
            after.html,
            old_references=dict(enumerate(before.keys, start=1)),
            new_references=dict(enumerate(after.keys, start=1)),
            prefix="diff-",
        )
        recommendation_changes(before.recommendations, after.recommendations, result)
        return result

    result = compare()
    diff_ms = cpu_ms(compare, rounds)
    # The worst case: every paragraph reworded and one added at the top, so
    # no block is equal and each must be paired with its old self.
    rewritten = rendering.render(
        "A new opening paragraph.\n\n" + old_text.replace(" the ", " a ")
    )
    worst_ms = cpu_ms(
        lambda: rendered_diff(
            before.html,
            rewritten.html,
            old_references=dict(enumerate(before.keys, start=1)),
            new_references=dict(enumerate(rewritten.keys, start=1)),
            prefix="diff-",
        ),
        rounds,
    )
    markdown_ms = cpu_ms(lambda: word_diff(old_text, new_text), rounds)
    print(
        f"old text        {len(old_text):9,} chars, {len(before.html):9,} chars of HTML"
    )
    print(
        f"new text        {len(new_text):9,} chars, {len(after.html):9,} chars of HTML"
    )
    print(f"render one text {render_ms:9.1f} ms CPU (on save; not per request)")
    print(
        f"rendered diff   {diff_ms:9.1f} ms CPU, median of {rounds} "
        f"({result.changes} changes in {len(result.changed_sections)} of "
        f"{len(result.sections)} sections)"
    )
    print(f"all rewritten   {worst_ms:9.1f} ms CPU, median of {rounds}")
    print(
        f"markdown diff   {markdown_ms:9.1f} ms CPU, median of {rounds} "
        "(one click away)"
    )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
