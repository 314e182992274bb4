"""The "Look up" button of "Add reference", in real Chromium, against the
recorded Crossref and PubMed."""

import pytest
from playwright.sync_api import expect

from references.models import Reference
from tests.factories import TopicFactory
from tests.scholarly_api import Scripted

pytestmark = pytest.mark.django_db(transaction=True)


def test_look_up_fills_the_form_then_save_adds_it(
    signed_in, scholarly_api, axe_violations, screenshot
):
    page = signed_in
    topic = TopicFactory(title="Dermatomyositis treatment")
    page.goto("/editorial/literature/add/")

    page.get_by_label("DOI or PMID").fill("https://doi.org/10.5555/myo.2020.002")
    page.get_by_role("button", name="Look up").click()

    expect(page.get_by_role("status")).to_contain_text("Filled in from Crossref")
    expect(page.get_by_label("Title")).to_have_value(
        "A placebo-controlled trial of an invented infusion in polymyositis"
    )
    expect(page.locator("#id_pmid")).to_have_value("900000002")
    expect(page.locator("#id_kind")).to_have_value("trial")
    assert not Reference.objects.exists()
    assert axe_violations(page) == []
    screenshot(page, "reference-lookup-filled")

    page.get_by_label("Topic").select_option(label=topic.title)
    page.get_by_role("button", name="Add the reference").click()

    expect(page.get_by_text("was added to the curation inbox")).to_be_visible()
    reference = Reference.objects.get()
    assert reference.doi == "10.5555/myo.2020.002"
    assert reference.author_list == ["Fictional, Dee", "Notreal, Eli"]


def test_a_service_down_leaves_the_typed_fields_and_says_so(
    signed_in, scholarly_api, axe_violations
):
    page = signed_in
    scholarly_api.fail("/crossref/", *[Scripted(503, b"down")] * 5)
    scholarly_api.fail("/eutils/", *[Scripted(503, b"down")] * 5)
    page.goto("/editorial/literature/add/")
    page.get_by_label("Title").fill("Typed before the lookup")

    page.get_by_label("DOI or PMID").fill("10.5555/myo.2020.002")
    page.get_by_label("DOI or PMID").press("Enter")

    expect(page.get_by_role("alert")).to_contain_text("HTTP 503")
    expect(page.get_by_role("alert")).to_contain_text("type the details by hand")
    expect(page.get_by_label("Title")).to_have_value("Typed before the lookup")
    assert axe_violations(page) == []
    assert not Reference.objects.exists()


def test_the_caution_and_badges_are_accessible(page, axe_violations, screenshot):
    from references.models import ReferenceNotice
    from tests.factories import ReferenceFactory, make_article

    reference = ReferenceFactory(citation_key="cohort", doi="10.5555/myo.2019.001")
    article = make_article(body="A finding [@cohort].", approve=True)
    ReferenceNotice.objects.create(
        reference=reference,
        kind=ReferenceNotice.Kind.RETRACTION,
        source=ReferenceNotice.Source.CROSSREF,
        doi="10.5555/myo.2024.901",
        date="2024-03-12",
        reason="Concerns about the data",
    )

    page.goto(article.get_absolute_url())
    expect(page.get_by_role("note").filter(has_text="A cited study")).to_contain_text(
        "Reference 1: Retraction, 12 March 2024"
    )
    assert axe_violations(page) == []
    screenshot(page, "article-with-retracted-citation")

    page.get_by_role("link", name="Retracted 12 March 2024").click()
    expect(
        page.get_by_role("heading", name="Notices about this publication")
    ).to_be_visible()
    assert axe_violations(page) == []


def test_add_many_by_identifier_previews_then_imports(
    signed_in, scholarly_api, axe_violations
):
    page = signed_in
    topic = TopicFactory(title="Dermatomyositis treatment")
    page.goto("/editorial/literature/add/many/")
    assert axe_violations(page) == []
    page.get_by_label("DOIs and PMIDs").fill(
        "10.5555/myo.2020.002\n900000004\n10.5555/unknown\n"
    )
    page.get_by_label("Topic").select_option(label=topic.title)
    page.get_by_role("button", name="Look them up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.locator(".import-problems")).to_contain_text(
        "Line 3 (10.5555/unknown): Neither Crossref nor PubMed knows"
    )
    assert axe_violations(page) == []
    assert not Reference.objects.exists()

    page.get_by_role("button", name="Import 2 references").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import finished")
    assert sorted(Reference.objects.values_list("pmid", flat=True)) == [
        "900000002",
        "900000004",
    ]
