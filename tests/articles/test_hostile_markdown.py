"""Fault class: hostile Markdown. Bounded work, a clear refusal, never a 500.

Work is measured by counting the interpreter's trace events (calls, lines,
returns) while rendering, not by the clock: a linear bound per character
holds on any machine, and python-markdown's quadratic paths (an unmatched
"[" scanned to the end of the paragraph once per opener) break it at once.
Work done inside a regular expression or another C function makes no trace
events, so runs of markup are also rendered under a CPU-time cap.
"""

import signal
import sys
from unittest import mock

import markdown
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles import rendering
from articles.models import MAX_CITED_REFERENCES, Article
from articles.rendering.extensions import (
    HideLoneAngleBrackets,
    RestoreLoneAngleBrackets,
)
from tests.factories import TopicFactory, editor, make_article

pytestmark = pytest.mark.django_db

# Trace events per character of text, and a constant for the empty text.
# Honest text stays under a few hundred per character (citations are the
# dearest); the quadratic paths cost tens of thousands at a few KB.
WORK_PER_CHAR = 1_500
WORK_CONSTANT = 20_000


def work(text: str) -> int:
    """Trace events spent rendering ``text`` (refusing it counts too)."""
    events = 0

    def trace(frame, event, arg):
        nonlocal events
        events += 1
        return trace

    sys.settrace(trace)
    try:
        rendering.render(text)
    except rendering.ValidationError:
        pass
    finally:
        sys.settrace(None)
    return events


BRACKETY = st.lists(
    st.sampled_from(
        ["[", "]", "(", ")", "![", "[a](", "](", "[@k]", "a", " ", "\n", "`", "\\", "*"]
    ),
    max_size=1_500,
).map("".join)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(BRACKETY)
@example("[" * 3_000)
@example("[a](" * 1_000)
@example("![" * 1_500)
@example("[" * 1_500 + "]" * 1_500)
def test_rendering_work_is_linear_in_the_text(text):
    assert work(text) <= WORK_PER_CHAR * len(text) + WORK_CONSTANT


# CPU seconds one render may take under the cap. Any accepted text renders
# in well under one (bench/hostile_markdown.py prints the figures); five
# leaves room for a loaded machine and still fails at once on the cubic
# code-span scan of old (9,999 backticks took 30 seconds).
RENDER_CPU_SECONDS = 5


class TooSlow(Exception):
    pass


def render_under_cpu_cap(text: str) -> None:
    """Render ``text`` (or have it refused), interrupted past the CPU cap.

    The process's virtual timer counts the CPU time it spends, however busy
    the machine, and its signal stops a regular expression in mid-match too.
    """

    def interrupt(signum, frame):
        raise TooSlow(f"rendering took over {RENDER_CPU_SECONDS} CPU seconds")

    previous = signal.signal(signal.SIGVTALRM, interrupt)
    signal.setitimer(signal.ITIMER_VIRTUAL, RENDER_CPU_SECONDS)
    try:
        rendering.render(text)
    except rendering.ValidationError:
        pass
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


# Runs of one piece of markup (backticks, brackets, emphasis, HTML), with
# words and blank lines between, cut to one paragraph's limit: what the
# limits accept and python-markdown reads most slowly.
MARKUP_RUNS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "`",
                "``",
                "\\`",
                "[",
                "]",
                "(",
                ")",
                "](",
                "![",
                "*",
                "_",
                "*a",
                "_a",
                "**",
                "<",
                "&",
                "<a ",
                "</a ",
                "<b x=",
                "&#",
                "&amp;",
                "a ",
                "\n\n",
            ]
        ),
        st.integers(min_value=1, max_value=3_000),
    ),
    min_size=1,
    max_size=8,
).map(lambda runs: "".join(piece * count for piece, count in runs))
LIMIT = rendering.MAX_BLOCK_CHARS - 1


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(MARKUP_RUNS.map(lambda text: text[:LIMIT]))
@example("`" * LIMIT)
@example("".join("`" * n + " " for n in range(1, 131)))
@example("``a" * (LIMIT // 3))
@example("<a " * (LIMIT // 3))
@example("\n\n".join(["<a " * 3_000] * 3))
@example("\n\n".join(["<b x=" * 1_600] * 2))
@example("*a*" * (LIMIT // 3))
@example("&" * LIMIT)
def test_any_run_of_markup_renders_within_the_cpu_cap(text):
    render_under_cpu_cap(text)


# Lines a block can open on: inside a quote or a list item, after a heading,
# with text before the fence on the same line's block.
BLOCK_LINES = st.lists(
    st.sampled_from(
        [
            "/// good-practice",
            "/// recommendation | strength=strong certainty=low",
            "///",
            "> /// good-practice",
            "> ///",
            "> x [@a]",
            "- /// good-practice",
            "  ///",
            "  x [@a]",
            "## Next",
            "x [@a]",
            "",
        ]
    ),
    min_size=1,
    max_size=12,
).map("\n".join)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(BLOCK_LINES)
@example("> /// good-practice\n> x\n> ///\n## Next\n/// good-practice\nx\n///")
@example("- /// good-practice\n  x\n  ///\n## Next\n/// good-practice\nx\n///")
def test_blocks_opened_inside_quotes_lists_and_after_headings_render(text):
    """pymdownx's block processor once looped for ever when the text before a
    fence held a block of its own (a quote, then a heading, then a block)."""
    render_under_cpu_cap(text)


@pytest.mark.parametrize("text", ["a < b", "x <a \ue000 <b", "<div>\nopen <a x"])
def test_a_lone_angle_bracket_is_hidden_from_the_html_reader_and_put_back(text):
    """Each render picks the first private-use character the text does not
    hold (not the next of a shared supply, which would run out)."""
    md = markdown.Markdown()
    hidden = HideLoneAngleBrackets(md)
    for _ in range(3):
        lines = hidden.run(text.split("\n"))
        expected = "\ue001" if "\ue000" in text else "\ue000"
        assert hidden.stand_in == expected
        lone = text[text.rfind(">") + 1 :].count("<")
        assert "\n".join(lines).count(expected) == lone
    restored = RestoreLoneAngleBrackets(md, hidden).run(lines)
    assert "\n".join(restored) == text
    html = rendering.render(text).html
    assert html.count("\ue000") == text.count("\ue000")
    assert "\ue001" not in html and "&lt;" in html


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Open [ and ( never closed", "Open [ and ( never closed"),
        ("[" * 5 + "x", "[[[[[x"),
        ("A [link](https://example.org) stays", '<a href="https://example.org">'),
        ("`code [ stays`", "<code>code [ stays</code>"),
    ],
)
def test_defused_brackets_render_as_the_same_characters(text, kept):
    assert kept in rendering.render(text).html
    assert "\\" not in rendering.render(text).html


def test_protocol_relative_and_backslash_links_lose_their_target():
    html = rendering.render(
        "[a](//evil.example) [b](/\\evil.example) [c](/fine/) [d](mailto:x@y.org) "
        "[e](https://ok.example) [f](relative/path)"
    ).html
    assert 'href="//' not in html and 'href="/\\' not in html
    assert '<a href="/fine/">c</a>' in html
    assert '<a href="mailto:x@y.org">d</a>' in html
    assert '<a href="https://ok.example">e</a>' in html
    assert "<a>f</a>" in html


def test_sanitize_html_drops_protocol_relative_links_from_any_html():
    html = rendering.sanitize_html(
        '<a href="//evil.example">x</a><a href=" //evil.example">y</a>'
        '<a href="/%09/evil.example">z</a><a href="#ref-1">1</a>'
    )
    assert (
        html
        == '<a>x</a><a>y</a><a href="/%09/evil.example">z</a><a href="#ref-1">1</a>'
    )


# Through the editorial form, as a browser posts it.


def form_data(article=None, **fields):
    data = {
        "topic": article.topic_id if article else TopicFactory().pk,
        "title": "Hostile text",
        "slug": article.slug if article else "hostile",
        "summary": "",
        "body": "Text.",
        "plain_summary": "",
        "plain_body": "",
        "change_note": "",
        "loaded_version": article.version if article else "",
    }
    return {**data, **fields}


@pytest.fixture
def writer(client):
    user = editor()
    client.force_login(user)
    return user


def post_new(client, **fields):
    return client.post(reverse("editorial:create"), form_data(**fields))


def errors_of(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def test_a_body_over_the_size_limit_is_refused_with_the_limit(client, writer):
    response = post_new(client, body="word " * (rendering.MAX_CHARS // 5 + 1))
    assert response.status_code == 200
    (error,) = errors_of(response, "body")
    assert "the most is 100,000" in error
    assert not Article.objects.exists()


def test_a_list_nested_500_deep_is_refused_not_a_recursion_error(client, writer):
    response = post_new(client, plain_body="Fine.\r\n\r\n" + "- " * 500 + "item")
    assert response.status_code == 200
    (error,) = errors_of(response, "plain_body")
    assert error.startswith("Line 3 is nested 500 levels deep")
    assert "the most is 12" in error


@pytest.mark.parametrize("levels, refused", [(11, False), (13, True)])
def test_indented_lists_nest_to_the_limit(levels, refused):
    text = "\n".join("    " * level + "- item" for level in range(levels))
    if refused:
        with pytest.raises(rendering.ValidationError, match="the most is 12"):
            rendering.render(text)
    else:
        assert rendering.render(text).html.count("<ul>") == levels


def test_a_quote_nested_500_deep_is_refused(client, writer):
    response = post_new(client, body=">" * 500 + " deep")
    assert "the most is 12" in errors_of(response, "body")[0]


def test_eight_kilobytes_of_open_brackets_save_and_show_as_brackets(client, writer):
    response = post_new(client, body="[" * 8_000)
    assert response.status_code == 302
    assert Article.objects.get().body_html == "<p>" + "[" * 8_000 + "</p>"


def test_a_paragraph_over_the_block_limit_is_refused(client, writer):
    response = post_new(client, body="[a](" * 2_600)
    assert "separate it into shorter ones" in errors_of(response, "body")[0]


def test_too_many_citation_markers_are_refused(client, writer):
    body = "\r\n\r\n".join("[@k]" for _ in range(rendering.MAX_CITATION_MARKERS + 1))
    response = post_new(client, body=body)
    assert "citations; the most is 1,000" in errors_of(response, "body")[0]


def test_too_many_distinct_references_are_refused(client, writer):
    keys = [f"k{n}" for n in range(MAX_CITED_REFERENCES + 1)]
    body = "\r\n\r\n".join(f"Claim [@{key}]." for key in keys)
    response = post_new(client, body=body)
    (error,) = errors_of(response, "body")
    assert f"cites {MAX_CITED_REFERENCES + 1} different references" in error


def test_a_save_through_the_form_renders_each_body_once(client, writer):
    article = make_article(body="First.", author=writer)
    with mock.patch.object(rendering, "render", wraps=rendering.render) as render:
        response = client.post(
            reverse("editorial:edit", args=[article.pk]),
            form_data(article, body="Second.\r\n", plain_body="Plain.\r\n"),
        )
    assert response.status_code == 302
    assert render.call_count == 2  # the body and the plain-language body
    assert Article.objects.get().version == 2


def test_a_save_through_the_form_checks_each_body_against_the_limits_once(
    client, writer
):
    article = make_article(body="First.", author=writer)
    with mock.patch.object(
        rendering, "check_limits", wraps=rendering.check_limits
    ) as check_limits:
        response = client.post(
            reverse("editorial:edit", args=[article.pk]),
            form_data(article, body="Second.\r\n", plain_body="Plain.\r\n"),
        )
    assert response.status_code == 302
    assert check_limits.call_count == 2  # the body and the plain-language body


def test_too_many_lines_are_refused(client, writer):
    body = "\r\n".join("- x" for _ in range(rendering.MAX_LINES + 1))
    response = post_new(client, body=body)
    assert "lines; the most is 3,000" in errors_of(response, "body")[0]


@pytest.mark.parametrize("indent", [1, 2, 4])
def test_nesting_counts_levels_however_lists_are_indented(indent):
    """Any deeper indent is a level (as the list normaliser reads it)."""
    lines = [" " * indent * level + "- item" for level in range(13)]
    rendering.render("\n".join(lines[:12]))
    with pytest.raises(rendering.ValidationError, match="Line 13 is nested 13"):
        rendering.render("\n".join(lines))
