"""The citation picker and editing references, in real Chromium (issue 21,
items 3 and 5; the paginated inbox of issue 29): axe-core finds nothing at
desktop and phone sizes, and nothing scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from references import services
from references.models import Reference
from tests.browser.conftest import DESKTOP, PHONE, log_in
from tests.factories import ReferenceFactory, SectionFactory, editor, make_article

pytestmark = pytest.mark.django_db(transaction=True)


def check_both_sizes(page, axe_violations):
    """axe-core at 1280 and 390 px, and no sideways scroll at either."""
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert axe_violations(page) == [], size
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        ), size


def test_the_picker_inserts_the_key_at_the_cursor(page, axe_violations, screenshot):
    author = editor()
    ReferenceFactory(
        citation_key="oddis-2013",
        title="Rituximab in the treatment of refractory adult myositis",
        authors="Oddis, Chester V",
        source="Arthritis Rheum",
        year=2013,
    )
    article = make_article(
        author=author, body="Rituximab helps. IVIG too.", title="Antibody therapy"
    )
    log_in(page, author.username)
    page.goto(f"/editorial/articles/{article.pk}/edit/")
    body = page.get_by_role("textbox", name="Body", exact=True)
    # The cursor after "Rituximab helps" (before the full stop).
    body.click()
    body.evaluate("area => area.setSelectionRange(15, 15)")
    search = page.get_by_role("searchbox", name="Find a reference")
    search.fill("oddis 2013")
    search.press("Enter")
    insert = page.get_by_role("button", name="Insert [@oddis-2013]")
    expect(insert).to_be_visible()
    check_both_sizes(page, axe_violations)
    screenshot(page, "citation-picker")
    insert.click()
    expect(body).to_have_value("Rituximab helps [@oddis-2013]. IVIG too.")
    expect(page.get_by_role("status").filter(has_text="Inserted")).to_have_text(
        "Inserted [@oddis-2013] into Body at the cursor."
    )
    # Still one page: the search never left it, and the text saves.
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved as version 2")).to_be_visible()
    article.refresh_from_db()
    assert article.body == "Rituximab helps [@oddis-2013]. IVIG too."


def test_an_editor_writes_the_summary_and_places_a_reference_from_the_inbox(
    page, axe_violations
):
    user = editor()
    section = SectionFactory(title="Biological agents", topic__slug="myositis")
    waiting = services.add_to_inbox(
        reference=Reference(
            title="Lenabasum for refractory skin disease",
            authors="Werth, Victoria P",
            source="Arthritis Rheumatol",
            year=2022,
            abstract="The publisher's words about lenabasum.",
        ),
        topic=section.topic,
        user=None,
    )
    log_in(page, user.username)
    page.goto("/editorial/literature/inbox/myositis/")
    expect(page.get_by_text("no summary yet")).to_be_visible()
    check_both_sizes(page, axe_violations)
    page.get_by_role(
        "link", name=re.compile("^Summary and placing for “Lenabasum")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lenabasum")
    check_both_sizes(page, axe_violations)

    # Placing without a summary is refused beside the field.
    page.get_by_label("Place it in a section").select_option(label="Biological agents")
    page.get_by_role("button", name=re.compile("^Save")).click()
    # Listed by the banner at the top and beside the field.
    expect(page.locator("#refusals")).to_contain_text("Write its summary")
    expect(page.locator(".field-errors")).to_contain_text("Write its summary")
    check_both_sizes(page, axe_violations)

    page.get_by_label("Summary").fill(
        "Lenabasum eased skin disease in a small trial; a larger one did not."
    )
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(
        page.get_by_text("was saved and placed in “Biological agents”")
    ).to_be_visible()
    waiting.refresh_from_db()
    assert not waiting.is_in_inbox

    # Its page leads editors back to the editing screen.
    page.goto(waiting.get_absolute_url())
    page.get_by_role("link", name="Edit this reference").click()
    page.get_by_label("Kind").select_option("trial")
    page.get_by_role("button", name="Save the reference").click()
    expect(page.get_by_text("The reference was saved.")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.kind == "trial"


def test_all_that_match_is_placed_a_part_at_a_time_with_what_is_left_said(
    page, axe_violations, screenshot, monkeypatch
):
    from references.forms import InboxActionForm

    monkeypatch.setattr(InboxActionForm, "BULK_LIMIT", 3)
    user = editor()
    section = SectionFactory(title="Biological agents", topic__slug="myositis")
    for n in range(5):
        services.add_to_inbox(
            reference=Reference(
                title=f"Rituximab cohort {n}",
                authors="Oddis, Chester V",
                year=2013,
                summary="Our summary of the cohort.",
            ),
            topic=section.topic,
            user=None,
        )
    log_in(page, user.username)
    page.goto("/editorial/literature/inbox/myositis/")
    everything = page.get_by_label(re.compile("^All 5 references in this inbox"))
    expect(everything).to_be_attached()
    expect(page.get_by_text("(the first 3 as listed; apply again")).to_be_visible()
    everything.check()
    page.get_by_label("Action").select_option("place")
    page.locator("#id_section").select_option(label="Biological agents")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.get_by_text("3 references were placed")).to_be_visible()
    expect(
        page.get_by_text("2 more references match: apply again for the next 2.")
    ).to_be_visible()
    for size in ({"width": 320, "height": 640}, PHONE):
        page.set_viewport_size(size)
        assert axe_violations(page) == [], size
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, "inbox-bulk-part")
    page.get_by_label(re.compile("^All 2 references in this inbox")).check()
    page.get_by_label("Action").select_option("place")
    page.locator("#id_section").select_option(label="Biological agents")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.get_by_text("2 references were placed")).to_be_visible()
    assert section.entries.count() == 5
