"""Graded recommendation blocks: validation naming the line, the box, safety."""

import json

import pytest
from django.core.exceptions import ValidationError

from articles import grading, rendering
from articles.models import Article
from articles.templatetags.recommendations import recommendation_label
from tests.factories import ReferenceFactory, TopicFactory, make_article

GRADED = """## Treatment

/// recommendation | strength=strong certainty=moderate
In refractory disease we recommend drug A [@a].
///

/// good-practice
Examine the heart of every patient.
///

/// recommendation | strength=conditional certainty="very low"
We suggest against drug B [@b; @a].
///
"""


def test_blocks_become_numbered_boxes_with_anchors_and_text_badges():
    result = rendering.render(GRADED)
    html = result.html
    assert '<section aria-labelledby="recommendation-1-heading"' in html
    assert 'id="recommendation-1"' in html and 'id="recommendation-2"' in html
    assert 'id="good-practice-1"' in html
    # The heading sits one level below the heading the box follows.
    assert '<h3 id="recommendation-2-heading">Recommendation 2</h3>' in html
    assert ">Strong recommendation</span>" in html
    assert ">Moderate certainty of evidence</span>" in html
    assert ">Very low certainty of evidence</span>" in html
    assert ">Good practice statement (not graded)</span>" in html
    # Citations inside a box are ordinary numbered citations.
    assert result.keys == ["a", "b"]
    assert 'href="#ref-2"' in html


def test_rendering_collects_what_each_box_says_in_order():
    found = rendering.render(GRADED).recommendations
    assert [(r["kind"], r["number"], r["strength"], r["certainty"]) for r in found] == [
        ("recommendation", 1, "strong", "moderate"),
        ("good-practice", 1, "", ""),
        ("recommendation", 2, "conditional", "very-low"),
    ]
    assert found[0]["text"] == "In refractory disease we recommend drug A."
    assert found[1]["anchor"] == "good-practice-1"


def test_plain_version_words_the_grade_for_patients_from_one_place():
    html = rendering.render(GRADED, plain=True).html
    assert f">{grading.PLAIN_WORDING[grading.Strength.STRONG]}</span>" in html
    assert "Strong recommendation" not in html


@pytest.mark.parametrize(
    "text, line, words",
    [
        (
            "Intro.\n\n/// recommendation | strength=strongest certainty=low\n"
            "X [@a].\n///",
            3,
            "Unknown strength “strongest”",
        ),
        (
            "/// recommendation | strength=strong certainty=certain\nX [@a].\n///",
            1,
            "Unknown certainty “certain”",
        ),
        (
            "/// recommendation | strength=strong\nX [@a].\n///",
            1,
            "certainty is missing",
        ),
        ("/// recommendation\nX [@a].\n///", 1, "strength is missing"),
        (
            "a\n\n/// recommendation | strength=strong certainty=low\n"
            "No evidence.\n///",
            3,
            "cites no evidence",
        ),
        ("/// recomendation | strength=strong\nX.\n///", 1, "unknown block"),
        ("/// good-practice | strength=strong\nX.\n///", 1, "not graded"),
        ("/// good-practice\nNever closed.", 1, "never closed"),
        ("Text.\n\n///", 3, "no block to close"),
        (
            "/// good-practice\n/// recommendation | strength=strong certainty=low\n"
            "[@a]\n///\n///",
            2,
            "inside the block opened on line 1",
        ),
        (
            "/// good-practice\n    attrs: {onclick: steal()}\nX.\n///",
            2,
            "takes no options",
        ),
    ],
)
def test_faulty_blocks_are_refused_naming_the_line(text, line, words):
    errors = [str(error) for error in rendering.check_blocks(text)]
    assert any(
        error.startswith(f"Line {line}:") and words in error for error in errors
    ), errors


def test_blocks_inside_code_fences_are_examples_not_blocks():
    text = "```\n/// recommendation | strength=wrong\n```\n"
    assert rendering.check_blocks(text) == []


def test_crlf_text_is_checked_and_rendered_like_lf():
    text = GRADED.replace("\n", "\r\n")
    assert rendering.check_blocks(text) == []
    assert len(rendering.render(text).recommendations) == 3


@pytest.mark.django_db
def test_saving_a_faulty_block_is_a_validation_error_on_its_field():
    ReferenceFactory(citation_key="a")
    article = Article(
        topic=TopicFactory(),
        slug="x",
        title="X",
        body="Fine.",
        plain_body="\n/// recommendation | strength=strong certainty=sure\n[@a]\n///",
    )
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    (message,) = excinfo.value.message_dict["plain_body"]
    assert message.startswith("Line 2: Unknown certainty “sure”")


@pytest.mark.django_db
def test_approved_version_keeps_the_recommendations_of_its_clinical_text():
    ReferenceFactory(citation_key="a", kind="trial", doi="10.5555/rec.a")
    ReferenceFactory(citation_key="b", kind="trial", doi="10.5555/rec.b")
    article = make_article(body=GRADED, approve=True)
    assert [r["anchor"] for r in article.live.recommendations] == [
        "recommendation-1",
        "good-practice-1",
        "recommendation-2",
    ]


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        '<section class="recommendation" onclick="x()" style="color:red">s</section>',
    ],
)
def test_a_block_is_as_safe_as_any_other_markdown(hostile):
    text = f"/// recommendation | strength=strong certainty=low\n{hostile} [@a]\n///"
    assert rendering.check_blocks(text) == []
    html = rendering.render(text).html.lower()
    for fragment in ("<script", "onerror", "javascript:", "onclick", "style="):
        assert fragment not in html
    assert 'id="recommendation-1"' in html


def test_the_grade_argument_cannot_inject_markup_or_attributes():
    text = (
        '/// recommendation | strength=strong certainty=low onclick="x"\n[@a]\n///\n'
        '/// recommendation | strength="strong\\" onload=x" certainty=low\n[@a]\n///'
    )
    assert len(rendering.check_blocks(text)) == 2
    # Refused blocks stay text: no element, so no attribute, comes of them.
    html = rendering.render(text).html
    assert "<section" not in html and html.startswith("<p>/// recommendation")


def test_the_sanitiser_keeps_only_the_box_attributes_the_renderer_makes():
    html = rendering.sanitize_html(
        '<section class="recommendation evil" id="x">a</section>'
        '<span class="badge badge--strong">b</span><h2 id="main">c</h2>'
    )
    assert html == (
        '<section>a</section><span class="badge badge--strong">b</span><h2>c</h2>'
    )


def test_label_for_a_stored_recommendation_uses_the_same_words_as_the_box():
    item = rendering.render(GRADED).recommendations[2]
    label = recommendation_label(item)
    assert label["heading"] == "Recommendation 2"
    assert [b["text"] for b in label["badges"]] == [
        "Conditional recommendation",
        "Very low certainty of evidence",
    ]


@pytest.mark.django_db
def test_article_page_lists_recommendations_at_a_glance_and_in_json_ld(client):
    ReferenceFactory(citation_key="a", kind="trial", doi="10.5555/rec.a")
    ReferenceFactory(citation_key="b", kind="trial", doi="10.5555/rec.b")
    article = make_article(body=GRADED, approve=True)
    response = client.get(article.get_absolute_url() + "?version=clinical")
    html = response.content.decode()
    assert "Recommendations at a glance" in html
    assert '<a href="#recommendation-2">Recommendation 2</a>' in html
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    graded = [m for m in data["mentions"] if "recommendationStrength" in m]
    assert graded[0]["@type"] == "MedicalGuidelineRecommendation"
    assert graded[0]["recommendationStrength"] == "Strong recommendation"
    assert graded[0]["evidenceLevel"] == "https://schema.org/EvidenceLevelB"


def test_citations_are_numbered_in_reading_order_across_boxes_and_lists():
    text = (
        "/// recommendation | strength=strong certainty=low\nFirst [@a].\n///\n\n"
        "- In a list [@b].\n\nThen a paragraph [@c]."
    )
    result = rendering.render(text)
    assert result.keys == ["a", "b", "c"]
    html = result.html
    assert html.index('href="#ref-1"') < html.index('href="#ref-2"')
    assert html.index('href="#ref-2"') < html.index('href="#ref-3"')


# Issue 24: "confident" beside "limited" needs one explanation, in plain words.


@pytest.mark.parametrize("plain", [False, True])
def test_every_label_links_to_the_one_explanation_of_the_grades(plain):
    html = rendering.render(GRADED, plain=plain).html
    link = (
        f'<a href="#{grading.EXPLANATION_ANCHOR}">'
        f"{grading.EXPLANATION_LINK[plain]}</a></p>"
    )
    assert html.count('<p class="recommendation__grade">') == 3
    assert html.count(link) == 3


def test_the_explanation_link_survives_the_review_pages_id_prefix():
    html = rendering.with_id_prefix(rendering.render(GRADED).html, "plain-")
    assert f'href="#{grading.EXPLANATION_ANCHOR}"' in html
    assert 'id="plain-recommendation-1"' in html


def test_the_explanation_says_how_strong_advice_can_rest_on_limited_research():
    words = " ".join(str(p) for p in grading.EXPLANATION)
    for needed in ("strong", "conditional", "certainty", "limited", "can differ"):
        assert needed in words.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["clinical", "plain"])
def test_an_article_with_grades_explains_them_once_and_links_every_label(
    client, version
):
    ReferenceFactory(citation_key="a", kind="trial", doi="10.5555/rec.a")
    ReferenceFactory(citation_key="b", kind="trial", doi="10.5555/rec.b")
    article = make_article(body=GRADED, plain_body=GRADED, approve=True)
    html = client.get(article.get_absolute_url(), {"version": version}).content
    html = html.decode()
    anchor = grading.EXPLANATION_ANCHOR
    assert html.count(f'id="{anchor}"') == 1
    assert str(grading.EXPLANATION_HEADING) in html
    assert html.count(f'href="#{anchor}"') >= 3
    ungraded = make_article(body="No advice here.", approve=True)
    html = client.get(ungraded.get_absolute_url(), {"version": version}).content
    assert f'id="{anchor}"'.encode() not in html
