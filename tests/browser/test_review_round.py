"""A whole round of review in real Chromium: the board sees exactly what changed.

The browser posts textareas with CRLF line endings; the board's diff must
still show one changed sentence as one change, the editor must find the
board's comment at the top of the edit page, and after a resubmission the
"since the last round" diff must show only what the editor changed since.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import log_in, log_out
from tests.factories import BoardMemberFactory, editor, make_article

pytestmark = pytest.mark.django_db(transaction=True)

BODY = (
    "## Treatment\n\n"
    "Rituximab is often chosen when steroids fail.\n"
    "IVIG helps in dermatomyositis with skin disease.\n\n"
    "## Monitoring\n\n"
    "Check creatine kinase and strength at each visit.\n"
    "Review the dose every three months.\n"
)


def edit_body(page, article, old, new):
    """Change one sentence in the body textarea, as a person would, and save."""
    page.goto(f"/editorial/articles/{article.pk}/edit/")
    body = page.get_by_role("textbox", name="Body", exact=True)
    body.fill(body.input_value().replace(old, new))
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(re.compile(r"Saved as version \d+"))).to_be_visible()


def act(page, button, comment=""):
    if comment:
        page.get_by_role("textbox", name="Comment", exact=True).fill(comment)
    page.get_by_role("button", name=button).click()


def assert_one_change(page, removed, added):
    expect(page.locator(".diff del")).to_have_count(1)
    expect(page.locator(".diff ins")).to_have_count(1)
    expect(page.locator(".diff del")).to_have_text(removed)
    expect(page.locator(".diff ins")).to_have_text(added)


def test_a_review_round_shows_the_board_exactly_what_changed(
    page, axe_violations, screenshot
):
    author = editor(first_name="Erin", last_name="Editor")
    reviewer = BoardMemberFactory(
        user__first_name="Bao", user__last_name="Board", credentials="MD"
    ).user
    article = make_article(
        author=author, title="Monitoring myositis", body=BODY, approve=True
    )

    # The editor changes one sentence in the browser and submits.
    log_in(page, author.username)
    edit_body(page, article, "every three months", "every six months")
    act(page, "Submit for review")
    expect(page.locator(".status").first).to_have_text("Submitted")
    log_out(page)

    # The board sees that sentence only, and asks for a change.
    log_in(page, reviewer.username)
    page.goto(f"/editorial/articles/{article.pk}/")
    act(page, "Start review")
    expect(page.locator(".status").first).to_have_text("Under review")
    expect(page.locator("#changes-heading")).to_contain_text(
        "Changes since the live version"
    )
    assert_one_change(page, "three", "six")
    act(page, "Request changes", "Say which trial supports six months.")
    expect(page.locator(".status").first).to_have_text("Changes requested")
    log_out(page)

    # The editor finds the comment at the top of the edit page.
    log_in(page, author.username)
    page.goto(f"/editorial/articles/{article.pk}/edit/")
    comments = page.locator(".open-comments")
    expect(comments).to_contain_text("Say which trial supports six months.")
    expect(comments).to_contain_text("Bao Board")
    assert (
        comments.bounding_box()["y"]
        < page.locator("form.article-form").bounding_box()["y"]
    )
    assert axe_violations(page) == []
    edit_body(page, article, "strength at each visit", "strength at every visit")
    act(page, "Submit for review")
    expect(page.locator(".status").first).to_have_text("Submitted")
    log_out(page)

    # Since the last round, the board sees only the editor's answer.
    log_in(page, reviewer.username)
    page.goto(f"/editorial/articles/{article.pk}/")
    act(page, "Start review")
    page.get_by_role("link", name=re.compile("Since the last round of review")).click()
    expect(page.locator("#changes-heading")).to_contain_text(
        "Changes since the version the board last reviewed"
    )
    assert_one_change(page, "each", "every")
    screenshot(page, "editorial-review-since-last-round")
    assert axe_violations(page) == []
    page.get_by_label("Kind of change").select_option("minor")
    page.get_by_label("Change note").fill("Reviews every six months, each visit.")
    act(page, "Approve and publish", "Thank you.")
    expect(page.locator(".status").first).to_have_text("Approved")
    log_out(page)

    # Readers get the approved text.
    page.goto(article.get_absolute_url())
    expect(page.locator(".prose")).to_contain_text("strength at every visit")
    expect(page.locator(".prose")).to_contain_text("every six months")
    assert Article.objects.get(pk=article.pk).live.number == 3
