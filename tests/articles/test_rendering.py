import pytest
from django.core.exceptions import ValidationError

from articles import rendering
from articles.models import Article
from tests.factories import ReferenceFactory, TopicFactory


def test_citations_are_numbered_by_first_appearance():
    result = rendering.render("B first [@beta]. Then A [@alpha]. B again [@beta].")
    assert result.keys == ["beta", "alpha"]
    assert 'href="#ref-1" id="cite-1-1"' in result.html
    assert 'href="#ref-2" id="cite-2-1"' in result.html
    # The repeated citation keeps its number and gets its own anchor.
    assert 'href="#ref-1" id="cite-1-2"' in result.html


def test_multiple_citations_in_one_bracket_are_separate_links():
    result = rendering.render("Both agree [@a; @b].")
    assert result.keys == ["a", "b"]
    assert (
        '<sup class="citation"><a aria-label="Reference 1" href="#ref-1" '
        'id="cite-1-1">1</a>, <a aria-label="Reference 2" href="#ref-2" '
        'id="cite-2-1">2</a></sup>'
    ) in result.html


def test_shared_numbering_continues_across_bodies():
    numbering = {}
    rendering.render("Clinical [@a] and [@b].", numbering)
    plain = rendering.render("Plain [@b] and new [@c].", numbering)
    assert numbering == {"a": 1, "b": 2, "c": 3}
    assert plain.keys == ["b", "c"]
    assert 'href="#ref-3"' in plain.html


def test_citation_syntax_inside_code_is_left_alone():
    result = rendering.render("Write `[@key]` to cite.")
    assert result.keys == []
    assert "<code>[@key]</code>" in result.html


def test_trailing_punctuation_is_not_part_of_the_key():
    assert rendering.render("See [@smith-2020].").keys == ["smith-2020"]


def test_body_headings_start_below_the_page_title():
    html = rendering.render("# Top\n\n## Next").html
    assert "<h1>" not in html
    assert '<h2 id="h-top">Top</h2>' in html and "<h3>Next</h3>" in html


@pytest.mark.parametrize(
    "hostile, forbidden",
    [
        ("<script>alert(1)</script>", ["<script", "alert(1)"]),
        ('<img src="x" onerror="alert(1)">', ["<img", "onerror"]),
        ("[click](javascript:alert(1))", ["javascript:"]),
        ('<a href="javascript:alert(1)">x</a>', ["javascript:"]),
        ('<iframe src="https://evil.example"></iframe>', ["<iframe"]),
        ('<p style="background:url(x)">styled</p>', ["style="]),
        ('<svg onload="alert(1)"><circle/></svg>', ["<svg", "onload"]),
        ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", ["<script", "evil.example"]),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', ["data:"]),
        ('<object data="x.swf"></object><embed src="x">', ["<object", "<embed"]),
        ('<form action="/x"><input name="a"></form>', ["<form", "<input"]),
        ('<a href="#" onclick="steal()">x</a>', ["onclick"]),
        ("<style>body{display:none}</style>", ["<style", "display:none"]),
        ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', ["javascript"]),
        ('<a href="&#106;avascript:alert(1)">x</a>', ["avascript"]),
    ],
)
def test_hostile_markdown_and_html_is_made_harmless(hostile, forbidden):
    html = rendering.render(f"Intro.\n\n{hostile}\n\nOutro.").html.lower()
    for fragment in forbidden:
        assert fragment.lower() not in html
    assert "intro." in html and "outro." in html


def test_safe_links_and_formatting_survive():
    html = rendering.render(
        "**Bold**, *em*, [a link](https://example.org/x) and a list:\n\n- one\n- two"
    ).html
    assert "<strong>Bold</strong>" in html
    assert '<a href="https://example.org/x">a link</a>' in html
    assert "<li>one</li>" in html


def test_sanitizer_drops_forged_citation_attributes():
    html = rendering.sanitize_html(
        '<sup class="evil"><a id="x" class="y" aria-label="z" href="#ref-1">1</a></sup>'
    )
    assert html == '<sup><a aria-label="z" href="#ref-1">1</a></sup>'


@pytest.mark.parametrize(
    "element",
    [
        "<foo><b>words</b></foo>",
        "<iframe><b>words</b></iframe>",
        "<textarea><b>words</b></textarea>",
        "<noscript><b>words</b></noscript>",
        "<xmp><b>words</b></xmp>",
        "<template><b>words</b></template>",
        "<svg><text>words</text></svg>",
        "<math><mi>words</mi></math>",
    ],
)
def test_a_disallowed_element_loses_its_tags_and_keeps_its_text(element):
    """Even where a browser would show the content as typed (iframe,
    textarea) or drop it (SVG, MathML, template)."""
    html = rendering.render(f"Intro {element} outro.").html
    assert html == "<p>Intro words outro.</p>"


@pytest.mark.parametrize(
    "opener",
    ["<script>", "<style>", "<textarea>", "<iframe>", "<svg>", "<math><mtext>"],
)
def test_an_element_left_open_does_not_take_the_text_after_it(opener):
    html = rendering.render(f"Intro {opener} middle.\n\nOutro [@a].").html
    assert "middle." in html
    assert 'Outro <sup class="citation">' in html
    assert opener.split(">")[0] not in html


def test_a_whole_script_or_style_element_goes_with_its_code():
    html = rendering.render("A <script>steal()</script> B <style>p{}</style> C").html
    assert html == "<p>A  B  C</p>"


def test_a_tag_left_unfinished_at_the_end_shows_as_typed():
    """A browser would drop it and all after it; the reader sees the text."""
    assert rendering.sanitize_html("<div>Text <a x") == "<div>Text &lt;a x</div>"
    html = rendering.render("<div>\nText <b>bold</b> <a x").html
    assert html == "<div>\nText bold &lt;a x</div>"


def test_control_characters_and_comments_are_dropped():
    html = rendering.render("A&#1;B\x07C&#x7f;D <!-- note to self --> E").html
    assert html == "<p>ABCD  E</p>"


@pytest.mark.django_db
def test_article_render_returns_references_in_citation_order():
    alpha = ReferenceFactory(citation_key="alpha")
    beta = ReferenceFactory(citation_key="beta")
    article = Article(topic=TopicFactory(), body="[@beta] then [@alpha]")
    assert article.render() == [beta, alpha]
    assert "cite-1-1" in article.body_html


@pytest.mark.django_db
def test_unknown_citation_key_is_a_validation_error_naming_the_key():
    ReferenceFactory(citation_key="known")
    article = Article(
        topic=TopicFactory(),
        slug="x",
        title="X",
        body="Fine [@known]. Not fine [@missing-2020; @also-missing].",
    )
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    message = " ".join(excinfo.value.message_dict["body"])
    assert "@missing-2020" in message and "@also-missing" in message
    assert "@known" not in message


@pytest.mark.django_db
def test_unknown_key_in_plain_language_body_is_reported_on_that_field():
    article = Article(
        topic=TopicFactory(), slug="x", title="X", body="ok", plain_body="[@nope]"
    )
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert "plain_body" in excinfo.value.message_dict


@pytest.mark.parametrize("indent", ["  ", "    ", "\t"])
def test_sub_items_indented_by_two_or_four_spaces_become_nested_lists(indent):
    text = (
        f"- **When it is used:**\r\n{indent}- skin disease\r\n{indent}- dysphagia\r\n"
        f"{indent}{indent}- even deeper\r\n- **Dose:** 2 g/kg\r\n"
    )
    html = rendering.render(text).html.replace("\n", "")
    assert html.startswith("<ul><li><strong>When it is used:</strong><ul>")
    assert "<li>dysphagia<ul><li>even deeper</li></ul></li></ul></li>" in html
    assert html.endswith("<li><strong>Dose:</strong> 2 g/kg</li></ul>")


def test_numbered_steps_keep_their_nested_bullets_and_numbering():
    html = rendering.render("1. First:\n  - a\n  - b\n2. Second\n").html
    assert html.replace("\n", "") == (
        "<ol><li>First:<ul><li>a</li><li>b</li></ul></li><li>Second</li></ol>"
    )


def test_indented_text_outside_a_list_is_still_code():
    html = rendering.render("Para.\n\n    code here\n").html
    assert "<pre><code>code here" in html


def test_section_headings_get_unique_ids_for_the_contents_box():
    html = rendering.render("## Bottom line\n\n## Bottom line\n\n### Detail").html
    assert '<h2 id="h-bottom-line">' in html and '<h2 id="h-bottom-line-2">' in html
    assert "<h3>Detail</h3>" in html


def test_editor_written_ids_and_wrappers_are_not_trusted():
    html = rendering.render(
        '<h2 id="main">x</h2><div class="evil" tabindex="5" onclick="y()">z</div>'
    ).html
    assert 'id="main"' not in html and "onclick" not in html
    assert 'class="evil"' not in html and 'tabindex="5"' not in html


def test_tables_are_wrapped_in_a_focusable_scrolling_region():
    html = rendering.render("| Drug | Dose |\n|---|---|\n| IVIG | 2 g/kg |\n").html
    assert html.startswith(
        '<div aria-label="Table" class="table-scroll" role="region" tabindex="0">'
        "<table>"
    )
    assert html.endswith("</table></div>")


@pytest.mark.django_db
def test_ids_can_be_prefixed_so_two_texts_share_a_page():
    ReferenceFactory(citation_key="k")
    html = rendering.render(
        "## Dose\n\nIVIG [@k].\n\n/// recommendation | strength=strong "
        "certainty=high\nGive IVIG [@k].\n///\n"
    ).html
    prefixed = rendering.with_id_prefix(html, "plain-")
    assert 'id="plain-h-dose"' in prefixed and 'id="plain-cite-1-1"' in prefixed
    assert 'id="plain-recommendation-1"' in prefixed
    assert 'aria-labelledby="plain-recommendation-1-heading"' in prefixed
    # Citations still lead to the page's one reference list.
    assert 'href="#ref-1"' in prefixed and 'id="h-dose"' not in prefixed
