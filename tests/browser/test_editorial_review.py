"""An editor submits and a board member approves, in real Chromium."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import log_in, log_out
from tests.factories import BoardMemberFactory, editor, make_article

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_submits_and_board_member_approves(page, axe_violations, screenshot):
    author = editor(first_name="Erin", last_name="Editor")
    reviewer = BoardMemberFactory(
        user__first_name="Bao", user__last_name="Board", credentials="MD, PhD"
    ).user
    article = make_article(
        author=author,
        title="IVIG in dermatomyositis",
        body="IVIG dose: 1 g/kg.",
        approve=True,
    )

    # The editor revises the approved article and submits the new version.
    log_in(page, author.username)
    page.goto(f"/editorial/articles/{article.pk}/edit/")
    assert axe_violations(page) == []
    body = page.get_by_role("textbox", name="Body", exact=True)
    body.fill("IVIG dose: 2 g/kg over two to five days.")
    page.get_by_label("What changed").fill("Dose from the 2017 trial")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved as version 2")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Comment").fill("Ready for review")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".status").first).to_have_text("Submitted")
    log_out(page)

    # The public still reads the approved text.
    page.goto(article.get_absolute_url())
    expect(page.locator(".prose")).to_contain_text("1 g/kg")
    expect(page.get_by_text("An updated version of this article")).to_be_visible()

    # A board member reviews the difference and approves.
    log_in(page, reviewer.username)
    assert axe_violations(page) == []
    page.get_by_role("link", name="IVIG in dermatomyositis").first.click()
    page.get_by_role("button", name="Start review").click()
    expect(page.locator(".status").first).to_have_text("Under review")
    expect(page.locator(".diff ins").first).to_contain_text("2")
    assert page.get_by_role("button", name="Submit for review").count() == 0
    screenshot(page, "editorial-review")
    assert axe_violations(page) == []
    page.get_by_label("Comment").fill("Matches the trial.")
    page.get_by_label("Kind of change").select_option("major")
    page.get_by_label("Change note").fill("New dose from the 2017 trial.")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".status").first).to_have_text("Approved")
    log_out(page)

    # The public page now shows the new text and who reviewed it.
    page.goto(article.get_absolute_url())
    expect(page.locator(".prose")).to_contain_text("2 g/kg")
    expect(page.locator(".review-status")).to_contain_text("Bao Board, MD, PhD")
    assert Article.objects.get(pk=article.pk).live.number == 2
