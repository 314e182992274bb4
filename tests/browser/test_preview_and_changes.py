"""Issue 21 in Chromium: an editor previews a changed dose before saving it,
and a board member sees the change in the rendered text, summarised on the
first screen, with the Markdown diff one click away."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_editorial_review import log_in, log_out
from tests.factories import BoardMemberFactory, editor, make_article

pytestmark = pytest.mark.django_db(transaction=True)


def sideways(page) -> int:
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - innerWidth)"
    )


def check_both_sizes(page, axe_violations):
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert axe_violations(page) == [], size
        assert sideways(page) == 0, size
    page.set_viewport_size(DESKTOP)


def test_preview_then_rendered_changes_for_the_board(
    demo, page, axe_violations, screenshot
):
    writer = editor(first_name="Erin", last_name="Editor")
    reviewer = BoardMemberFactory(user__first_name="Bao", user__last_name="Board").user
    article = Article.objects.get(slug="antibody-therapy-pm-dm")

    # The editor changes one dose and previews it: nothing is saved.
    log_in(page, writer.username)
    page.goto(f"/editorial/articles/{article.pk}/edit/")
    body = page.get_by_role("textbox", name="Body", exact=True)
    body.fill(
        body.input_value().replace(
            "begin at 15 mg once a week", "begin at 10 mg once a week"
        )
    )
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("begin at 10 mg once a week")
    expect(preview.locator(".recommendation").first).to_be_visible()
    expect(preview).to_contain_text("Plain-language version, for patients")
    expect(preview.locator(".reference-list")).to_have_count(1)
    article.refresh_from_db()
    assert "begin at 15 mg" in article.body
    check_both_sizes(page, axe_violations)
    screenshot(page, "article-preview")

    # The text is still in the form: save and submit it.
    expect(page.get_by_role("textbox", name="Body", exact=True)).to_have_value(
        re.compile("begin at 10 mg once a week")
    )
    page.get_by_label("What changed").fill("Methotrexate starting dose")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(re.compile("Saved as version"))).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    log_out(page)

    # The board member opens the review: the summary and the first change are
    # on the first screen at 1280 px.
    log_in(page, reviewer.username)
    page.get_by_role("link", name=article.title).first.click()
    summary = page.locator(".change-summary")
    expect(summary).to_contain_text("Sections changed")
    first = page.locator(".rendered-diff .diff-change").first
    expect(first.locator("del")).to_contain_text("15")
    expect(first.locator("ins")).to_contain_text("10")
    screenshot(page, "review-rendered-changes")
    box = first.bounding_box()
    assert box["y"] < DESKTOP["height"], box
    check_both_sizes(page, axe_violations)

    # The summary links to the change; the Markdown diff is one click away.
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#diff-change-1")
    page.get_by_text("The same changes in the Markdown as typed").click()
    expect(page.locator(".markdown-diff .diff ins").first).to_be_visible()


def test_a_refused_save_is_listed_at_the_top_and_its_link_finds_the_line(
    live_server, page, axe_violations
):
    writer = editor()
    article = make_article(body="Old text.", author=writer)
    log_in(page, writer.username)
    page.goto(f"/editorial/articles/{article.pk}/edit/")
    body = page.get_by_role("textbox", name="Body", exact=True)
    body.fill("First line.\n\nThird line cites [@nobody-2020].\nLast line.")
    page.get_by_role("button", name="Save draft").click()
    refusals = page.locator(".refusals")
    expect(refusals).to_contain_text("Not saved: 1 problem to fix.")
    assert refusals.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    check_both_sizes(page, axe_violations)
    refusals.get_by_role("link", name="Body, line 3").click()
    selected = page.evaluate(
        "() => { const f = document.activeElement;"
        " return f.value.slice(f.selectionStart, f.selectionEnd); }"
    )
    assert selected == "Third line cites [@nobody-2020]."
    expect(body).to_have_value(re.compile("Last line."))
