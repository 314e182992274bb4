"""The rendered diff the board reads: words marked where they changed, in
the blocks readers see, with a summary of sections, recommendations and
references."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.diff import word_diff
from articles.rendered_diff import VOID, recommendation_changes, rendered_diff
from articles.rendering import render

BASE = """Adults with myositis start on glucocorticoids [@a].

## Treatment

Give prednisone 1 mg/kg a day [@a].

- methotrexate
- azathioprine [@b]

| Drug | Dose |
|---|---|
| Methotrexate | 15 mg a week |

/// recommendation | strength=conditional certainty=low
We suggest IVIG for refractory disease [@b].
///

## Follow-up

See patients every three months.
"""


def compare(old, new, prefix="diff-"):
    before, after = render(old), render(new)
    result = rendered_diff(
        before.html,
        after.html,
        old_references=dict(enumerate(before.keys, start=1)),
        new_references=dict(enumerate(after.keys, start=1)),
        prefix=prefix,
    )
    return before, after, result


def changed_html(result):
    return "".join(section.html for section in result.changed_sections)


def test_a_changed_dose_is_marked_word_by_word_inside_its_paragraph():
    _b, _a, result = compare(BASE, BASE.replace("1 mg/kg", "0.5 mg/kg"))
    html = changed_html(result)
    assert "<p>Give prednisone <del>1</del><ins>0.5</ins> mg/kg a day" in html
    assert result.changes == 1
    assert [s.title for s in result.changed_sections] == ["Treatment"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "15 mg a week",
            "20 mg a week",
            "<td><del>15</del><ins>20</ins> mg a week</td>",
        ),
        (
            "- methotrexate\n",
            "- methotrexate\n- mycophenolate\n",
            "<li><ins>mycophenolate</ins></li>",
        ),
        (
            "for refractory",
            "for resistant",
            "<del>refractory</del><ins>resistant</ins>",
        ),
    ],
    ids=["table cell", "list item", "recommendation box"],
)
def test_changes_are_marked_in_the_block_where_they_happen(old, new, expected):
    _b, _a, result = compare(BASE, BASE.replace(old, new))
    assert expected in changed_html(result)


def test_sections_without_a_change_are_not_marked_changed():
    _b, _a, result = compare(BASE, BASE.replace("three months", "six months"))
    sections = {s.title: s.changed for s in result.sections}
    assert sections == {"Opening": False, "Treatment": False, "Follow-up": True}
    unchanged = next(s for s in result.sections if s.title == "Treatment")
    assert "<ins>" not in unchanged.html and "<del>" not in unchanged.html


def test_a_citation_added_early_renumbers_the_later_ones_without_marking_them():
    new = BASE.replace("glucocorticoids [@a]", "glucocorticoids [@c] [@a]")
    _b, _a, result = compare(BASE, new)
    assert result.changes == 1
    assert result.cited_in["c"] == "diff-change-1"
    assert "<del>" not in changed_html(result)


def test_a_changed_grade_is_summarised_with_its_link():
    new = BASE.replace(
        "strength=conditional certainty=low", "strength=strong certainty=moderate"
    )
    before, after, result = compare(BASE, new)
    [change] = recommendation_changes(
        before.recommendations, after.recommendations, result
    )
    assert change.status == "changed" and change.heading == "Recommendation 1"
    assert change.details == [
        "strength: Conditional recommendation → Strong recommendation",
        "certainty: Low certainty of evidence → Moderate certainty of evidence",
    ]
    assert change.anchor == result.changed_sections[0].anchor


def test_recommendations_added_and_removed_are_summarised():
    box = "/// good-practice\nExamine the heart.\n///\n"
    before, after, result = compare(BASE, BASE + "\n" + box)
    [added] = recommendation_changes(
        before.recommendations, after.recommendations, result
    )
    assert (added.status, added.heading) == ("added", "Good practice statement 1")
    assert added.anchor and added.anchor in changed_html(result)
    before, after, result = compare(BASE + "\n" + box, BASE)
    [removed] = recommendation_changes(
        before.recommendations, after.recommendations, result
    )
    assert removed.status == "removed" and removed.anchor


def test_a_removed_block_gives_up_its_ids_and_every_id_is_prefixed():
    new = BASE.replace("## Follow-up\n\nSee patients every three months.\n", "")
    _b, _a, result = compare(BASE, new)
    html = "".join(section.html for section in result.sections)
    ids = re.findall(r'\bid="([^"]*)"', html)
    assert len(ids) == len(set(ids))
    assert all(i.startswith("diff-") for i in ids)
    assert "<del>Follow-up</del>" in html
    # Citation links still reach the page's one reference list.
    assert 'href="#ref-1"' in html


def test_hostile_text_stays_escaped_through_the_diff():
    hostile = BASE.replace(
        "three months",
        "&lt;script&gt;alert(1)&lt;/script&gt; <img src=x onerror=alert(1)>",
    )
    _b, _a, result = compare(BASE, hostile)
    html = changed_html(result)
    assert "<script" not in html and "onerror" not in html
    assert "&lt;script&gt;" in html


def test_a_large_text_compares_block_by_block():
    sections = "".join(
        f"## Part {n}\n\nParagraph {n} about treatment and dose {n} mg.\n\n"
        for n in range(300)
    )
    _b, _a, result = compare(sections, sections.replace("dose 150 mg", "dose 151 mg"))
    assert [s.title for s in result.changed_sections] == ["Part 150"]
    assert "<del>150</del><ins>151</ins>" in changed_html(result)


def test_the_markdown_diff_marks_only_the_words_of_the_lines_that_changed():
    lines = [f"Line {n}: dose {n} mg, see [@ref-{n}]." for n in range(2000)]
    old = "\n".join(lines)
    new = old.replace("Line 1500: dose 1500 mg", "Line 1500: dose 1,500 mg")
    html = word_diff(old, new)
    assert html.count("<del>") == 1 and html.count("<ins>") == 1
    assert "dose <del>1500</del><ins>1,500</ins> mg" in html
    assert word_diff("a\nb", "a\nb\n<c>") == "a\nb<ins>\n&lt;c&gt;</ins>"


BLOCKS = [
    "Prednisone 1 mg/kg [@a].",
    "Methotrexate *15 mg* weekly [@b; @c].",
    "## Treatment",
    "### Doses",
    "- one\n- two [@a]\n  - nested",
    "1. first\n2. second",
    "| Drug | Dose |\n|---|---|\n| IVIG | 2 g/kg |",
    "> A quote [@c].",
    "/// recommendation | strength=strong certainty=low\nWe recommend IVIG [@b].\n///",
    "/// good-practice\nExamine the heart.\n///",
    "<b>bold</b> & <i>x</i> <script>alert(1)</script>",
    "---",
]


class _Balance(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.ok = [], True

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        self.ok = self.ok and bool(self.stack) and self.stack.pop() == tag


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(BLOCKS), max_size=8),
    st.lists(st.sampled_from(BLOCKS), max_size=8),
)
def test_any_two_texts_compare_into_balanced_html_with_unique_ids(old, new):
    _b, _a, result = compare("\n\n".join(old), "\n\n".join(new))
    html = "".join(section.html for section in result.sections)
    checker = _Balance()
    checker.feed(html)
    assert checker.ok and not checker.stack
    ids = re.findall(r'\bid="([^"]*)"', html)
    assert len(ids) == len(set(ids))
    assert "<script" not in html
    if old == new:
        assert result.changes == 0


def test_a_changed_section_folds_its_unchanged_parts_around_the_change():
    text = (
        "## Treatment\n\nFirst.\n\n### Steroids\n\nSecond.\n\nDose 1 mg.\n\nLast.\n\n"
        "### Sparing\n\nDose 2 mg.\n"
    )
    new = text.replace("1 mg", "0.5 mg").replace("2 mg", "3 mg")
    _b, _a, result = compare(text, new)
    [section] = result.sections
    shape = [
        part.folded or ("change" if "diff-change" in part.html else "shown")
        for part in section.parts
    ]
    # The heading; three parts folded; the change; the last paragraph folded
    # with nothing after it but the heading right above the second change.
    assert shape == ["shown", 3, "change", 1, "shown", "change"]
    assert "Sparing" in section.parts[4].html
