"""Living literature in real Chromium: a saved search brings papers from the
recorded PubMed, editors triage them in the inbox, the board sees them on the
dashboard and the review page, and an approval dates the literature."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from articles import services, workflow
from references import services as reference_services
from references.models import Reference
from tests.browser.conftest import DESKTOP, PHONE, log_in, log_out
from tests.factories import (
    BoardMemberFactory,
    ReferenceFactory,
    SavedSearchFactory,
    SectionFactory,
    TopicFactory,
    editor,
    make_article,
)
from tests.scholarly_api import pubmed_article

pytestmark = pytest.mark.django_db(transaction=True)

TERM = "dermatomyositis[mh] AND (randomized controlled trial[pt] OR guideline[pt])"


def no_sideways_scroll(page, url):
    """Whether ``url`` fits 320, 390 (a phone) and 768 px without scrolling
    sideways."""
    fits = []
    for width in (320, PHONE["width"], 768):
        page.set_viewport_size({"width": width, "height": PHONE["height"]})
        page.goto(url)
        fits.append(page.evaluate("document.documentElement.scrollWidth <= innerWidth"))
    page.set_viewport_size(DESKTOP)
    return all(fits)


def test_found_papers_reach_the_board_and_date_the_literature(
    page, axe_violations, screenshot, scholarly_api
):
    today = timezone.localdate()
    scholarly_api.add_pubmed_search(
        TERM,
        [
            (
                pubmed_article(
                    pmid,
                    title,
                    types=types,
                    mesh=["Dermatomyositis/drug therapy", "Humans"],
                ),
                today,
            )
            for pmid, title, types in [
                (
                    "900000090",
                    "An invented trial of an infusion",
                    ["Randomized Controlled Trial"],
                ),
                (
                    "900000091",
                    "An invented guideline for myositis",
                    ["Practice Guideline"],
                ),
                ("900000092", "An invented letter", ["Letter"]),
            ]
        ],
    )
    topic = TopicFactory(slug="myositis", title="Myositis treatment")
    author = editor(first_name="Erin", last_name="Editor")
    reviewer = BoardMemberFactory(
        user__first_name="Bao", user__last_name="Board", credentials="MD"
    ).user
    ReferenceFactory(citation_key="older-trial", year=2011)
    article = make_article(
        topic=topic,
        author=author,
        slug="ivig-dm",
        title="IVIG in dermatomyositis",
        body="IVIG helps [@older-trial].",
        approve=True,
    )
    SavedSearchFactory(topic=topic, query=TERM, label="Trials and guidelines in DM")
    call_command("run_saved_searches", verbosity=0)

    # The editor triages: strongest evidence first; the letter is dismissed.
    log_in(page, author.username)
    page.goto("/editorial/literature/inbox/myositis/")
    titles = page.locator(".ref-title").all_inner_texts()
    assert titles[:2] == [
        "An invented guideline for myositis",
        "An invented trial of an infusion",
    ]
    expect(page.locator(".found-by").first).to_contain_text(
        "Found by search “Trials and guidelines in DM”"
    )
    assert axe_violations(page) == []
    page.get_by_label("An invented letter").check()
    page.get_by_label("Action").select_option("dismiss")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(
        page.get_by_text("1 reference was dismissed as not relevant")
    ).to_be_visible()
    assert not Reference.objects.filter(pmid="900000092").exists()
    page.goto("/editorial/literature/searches/myositis/")
    expect(page.locator("tbody tr")).to_contain_text("Trials and guidelines in DM")
    assert axe_violations(page) == []
    assert no_sideways_scroll(page, "/editorial/literature/searches/myositis/")
    assert no_sideways_scroll(page, "/editorial/literature/inbox/myositis/")

    # The editor places the trial with its summary, cites it in a new version
    # and submits it (a text citing a paper still in the inbox is not approved).
    trial = Reference.objects.get(pmid="900000090")
    trial.summary = "An invented trial our editors summarised."
    trial.save()
    reference_services.place_in_section(
        references=[trial], section=SectionFactory(topic=topic), user=author
    )
    article.body += f"\n\nA new trial agrees [@{trial.citation_key}]."
    services.save_article(article=article, user=author)
    workflow.submit(article=article, user=author)
    log_out(page)

    # The board sees the new papers on the dashboard and the review page.
    log_in(page, reviewer.username)
    dashboard = page.locator("section.new-evidence")
    expect(dashboard).to_contain_text("IVIG in dermatomyositis")
    expect(dashboard).to_contain_text("2 papers found, 1 cited")
    assert axe_violations(page) == []
    assert no_sideways_scroll(page, "/editorial/")
    page.goto(f"/editorial/articles/{article.pk}/")
    block = page.locator("#new-evidence")
    items = block.locator("ol > li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("An invented guideline for myositis")
    expect(items.nth(1)).to_contain_text("Already cited")
    expect(block).to_contain_text(f"current through {today:%-d %B %Y}")
    screenshot(page, "review-new-evidence")
    assert axe_violations(page) == []
    assert no_sideways_scroll(page, f"/editorial/articles/{article.pk}/")

    # Approved, the article tells readers how current its literature is.
    page.goto(f"/editorial/articles/{article.pk}/")
    page.get_by_label("Kind of change").select_option("minor")
    page.get_by_label("Change note").fill("A new trial added.")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".status").first).to_have_text("Approved")
    log_out(page)
    page.goto("/articles/ivig-dm/")
    expect(page.locator(".trust")).to_contain_text(
        f"Literature current through {today:%-d %B %Y}"
    )
