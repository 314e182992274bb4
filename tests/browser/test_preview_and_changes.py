"""Issue 21 in Chromium: an editor previews a changed dose before saving it,
and a board member sees the change in the rendered text, summarised on the
first screen, with the Markdown diff one click away."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import DESKTOP, PHONE, log_in, log_out
from tests.factories import BoardMemberFactory, editor, make_article

pytestmark = pytest.mark.django_db(transaction=True)


def sideways(page) -> int:
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - innerWidth)"
    )


NARROW = {"width": 320, "height": 640}


def check_both_sizes(page, axe_violations):
    """axe-core finds nothing at 1280 and 390 px; nothing scrolls sideways,
    down to 320 px."""
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert axe_violations(page) == [], size
        assert sideways(page) == 0, size
    page.set_viewport_size(NARROW)
    assert sideways(page) == 0, NARROW
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
            "methotrexate from 15 mg up", "methotrexate from 10 mg up"
        )
    )
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("methotrexate from 10 mg up")
    expect(preview.locator(".recommendation").first).to_be_visible()
    expect(preview).to_contain_text("Plain-language version, for patients")
    expect(preview.locator(".reference-list")).to_have_count(1)
    article.refresh_from_db()
    assert "methotrexate from 15 mg up" in article.body
    check_both_sizes(page, axe_violations)
    screenshot(page, "article-preview")

    # The text is still in the form: save and submit it.
    expect(page.get_by_role("textbox", name="Body", exact=True)).to_have_value(
        re.compile("methotrexate from 10 mg up")
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
    page.set_viewport_size(PHONE)
    screenshot(page, "review-rendered-changes-phone")
    page.set_viewport_size(DESKTOP)
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


def test_preview_works_without_script_and_in_place_with_it(chromium, live_server):
    writer = editor()
    article = make_article(body="Old text.", author=writer)
    for script in (False, True):
        context = chromium.new_context(
            base_url=live_server.url, viewport=DESKTOP, java_script_enabled=script
        )
        page = context.new_page()
        log_in(page, writer.username)
        page.goto(f"/editorial/articles/{article.pk}/edit/")
        if script:
            page.evaluate("() => { window.stayed = true; }")
        body = page.get_by_role("textbox", name="Body", exact=True)
        body.fill("| Drug | Dose |\n|---|---|\n| IVIG | 2 g/kg |")
        page.get_by_role("button", name="Preview").click()
        expect(page.locator("#preview td").last).to_have_text("2 g/kg")
        if script:
            # The page was not reloaded: the editor keeps their place.
            assert page.evaluate("() => window.stayed === true")
            body.fill("Cites [@nobody-2020].")
            page.get_by_role("button", name="Preview").click()
            expect(page.locator("#refusals")).to_contain_text("@nobody-2020")
            expect(page.locator("#preview")).to_have_count(0)
            assert page.evaluate("() => window.stayed === true")
        context.close()
    article.refresh_from_db()
    assert article.body == "Old text."
