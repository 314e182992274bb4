"""The evidence profile in real Chromium: the board compares it with the live
version's and must acknowledge a recommendation resting on a summary;
readers see it in one line above the reference list."""

import re

import pytest
from playwright.sync_api import expect

from articles import services, workflow
from tests.browser.conftest import PHONE
from tests.factories import BoardMemberFactory, ReferenceFactory, editor, make_article

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_board_compares_the_profile_and_acknowledges_a_summary_then_readers_see_it(
    page, axe_violations, screenshot
):
    ReferenceFactory(
        citation_key="rim",
        kind="trial",
        title="Rituximab in refractory myositis: a randomized trial",
        pmid="23124935",
        doi="10.1002/art.37754",
        url="",
        year=2013,
    )
    ReferenceFactory(
        citation_key="summary",
        kind="secondary_summary",
        title="Guideline Directed Topic Overview",
        url="",
        year=2025,
    )
    author = editor()
    reviewer = BoardMemberFactory(user__first_name="Bao").user
    article = make_article(
        author=author,
        title="Rituximab in myositis",
        body="Rituximab helps [@summary].",
        approve=True,
    )
    article.body = (
        "Rituximab helps [@rim].\n\n"
        "/// recommendation | strength=conditional certainty=low\n"
        "Try rituximab first [@summary].\n///\n"
    )
    services.save_article(article=article, user=author)
    workflow.submit(article=article, user=author)

    log_in(page, reviewer.username)
    page.goto(f"/editorial/articles/{article.pk}/")
    page.get_by_role("button", name="Start review").click()
    profile = page.locator(".evidence-profile")
    expect(profile.locator(".evidence-profile__line")).to_contain_text(
        "0 of 1 → 1 of 2"
    )
    profile.locator("summary").click()
    row = profile.get_by_role("row", name=re.compile("^Checkable citations"))
    expect(row.get_by_role("cell")).to_have_text(["0 of 1", "1 of 2"])
    caution = page.locator(".evidence-cautions .caution")
    expect(caution).to_contain_text("Recommendation 1")
    expect(caution).to_contain_text("(secondary summary, no identifier)")
    screenshot(page, "evidence-profile-review")
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )

    # Approving without a word is refused, saying which block and why.
    page.get_by_label("Kind of change").select_option("minor")
    page.get_by_label("Change note").fill("Now cites the trial.")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator("#refusals")).to_contain_text(
        "Resting on no checkable evidence: Recommendation 1"
    )
    expect(page.locator(".status").first).to_have_text("Under review")
    page.get_by_label("Comment").fill(
        "Recommendation 1 rests on a summary until the trial is discussed."
    )
    page.get_by_label("Kind of change").select_option("minor")
    page.get_by_label("Change note").fill("Now cites the trial.")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".status").first).to_have_text("Approved")

    page.goto(article.get_absolute_url() + "?version=clinical")
    expect(page.locator(".references__profile")).to_have_text(
        "2 sources, 1 linked to PubMed or DOI, newest from 2025"
    )
    references = page.locator(".reference-list")
    expect(references.locator("a.ref-pubmed")).to_have_count(1)
    expect(references.locator("a.ref-doi")).to_have_count(1)
    screenshot(page, "evidence-profile-reader")
    assert axe_violations(page) == []
