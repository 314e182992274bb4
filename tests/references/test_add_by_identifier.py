"""Add by identifier, many at once, and completing a file's records that
have only a DOI or PMID: looked up in batches, previewed, then imported."""

from urllib.parse import urlencode

import lxml.html
import pytest

from references.models import Reference
from tests.factories import ReferenceFactory, TopicFactory, editor
from tests.scholarly_api import Scripted

from .test_editorial_views import confirm_form_as_posted, login, upload

pytestmark = pytest.mark.django_db

ADD_MANY = "/editorial/literature/add/many/"
PREVIEW = "/editorial/literature/import/preview/"


def paste(client, text, topic=None):
    topic = topic or TopicFactory()
    return client.post(
        ADD_MANY,
        urlencode({"identifiers": text, "topic": topic.pk}),
        content_type="application/x-www-form-urlencoded",
    )


def confirm(client, page):
    return client.post(
        PREVIEW,
        confirm_form_as_posted(page),
        content_type="application/x-www-form-urlencoded",
    )


def test_pasted_identifiers_are_previewed_with_duplicates_and_failures_marked(
    client, scholarly_api
):
    login(client, editor())
    existing = ReferenceFactory(doi="10.5555/myo.2020.002")
    topic = TopicFactory()
    # As a browser posts a textarea: CRLF line ends, a trailing one.
    response = paste(
        client,
        "10.5555/myo.2019.001\r\n"
        "https://pubmed.ncbi.nlm.nih.gov/900000004/\r\n"
        "10.5555/unknown\r\n"
        "not-an-identifier\r\n"
        "https://doi.org/10.5555/MYO.2020.002\r\n",
        topic,
    )
    assert response["Location"] == PREVIEW
    page = client.get(PREVIEW).content.decode()
    assert "An invented biologic in refractory dermatomyositis" in page
    assert "Already in the library" in page and existing.title in page
    assert "Line 3 (10.5555/unknown): Neither Crossref nor PubMed knows" in page
    assert "Line 4 (not-an-identifier):" in page
    assert not Reference.objects.exclude(pk=existing.pk).exists()
    # The DOIs went to Crossref in one request, whatever their number; the
    # one already in the library was not asked about.
    [crossref] = scholarly_api.seen("/crossref/")
    assert "myo.2020.002" not in crossref.query["filter"][0]

    assert confirm(client, page)["Location"] == "/editorial/literature/import/done/"
    added = Reference.objects.in_inbox(topic)
    assert sorted(added.values_list("pmid", flat=True)) == ["900000001", "900000004"]
    result = client.get("/editorial/literature/import/done/").content.decode()
    assert "Line 3 (10.5555/unknown)" in result


def test_a_pubmed_result_list_gives_its_pmids(client, scholarly_api):
    login(client, editor())
    result_list = (
        "1. An invented biologic in refractory dermatomyositis: a one-year cohort.\r\n"
        "Testwoman A, Placeholder B; Synthetic Myositis Study Group.\r\n"
        "Test J Myositis. 2019 May 14;12(4):210-219. doi: 10.5555/myo.2019.001.\r\n"
        "PMID: 900000001\r\n"
        "\r\n"
        "2. A case report.\r\n"
        "PMID: 900000004 Free article.\r\n"
    )
    assert paste(client, result_list)["Location"] == PREVIEW
    page = client.get(PREVIEW).content.decode()
    confirm(client, page)
    assert sorted(Reference.objects.values_list("pmid", flat=True)) == [
        "900000001",
        "900000004",
    ]
    # Only PMIDs were asked for: the DOI in the list is the same paper.
    assert not scholarly_api.seen("/crossref/")


def test_more_than_200_identifiers_are_refused_before_any_lookup(client, scholarly_api):
    login(client, editor())
    text = "\r\n".join(str(900000001 + n) for n in range(201))
    response = paste(client, text)
    assert response.status_code == 200
    assert "Paste up to 200 identifiers at a time; this holds 201." in (
        response.content.decode()
    )
    assert not scholarly_api.requests


def test_services_down_give_a_message_per_line_and_write_nothing(client, scholarly_api):
    login(client, editor())
    scholarly_api.fail("/crossref/", *[Scripted(503, b"down")] * 5)
    scholarly_api.fail("/eutils/", *[Scripted(503, b"down")] * 5)
    response = paste(client, "10.5555/myo.2019.001\r\n900000004\r\n")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Line 1 (10.5555/myo.2019.001): Crossref" in page
    assert "Line 2 (900000004): PubMed" in page
    assert page.count("try again later") == 2
    assert "references_import_pending" not in client.session
    assert not Reference.objects.exists()


def test_identifiers_in_the_library_are_marked_without_asking_anyone(
    client, scholarly_api
):
    login(client, editor())
    existing = ReferenceFactory(doi="10.5555/myo.2020.002", pmid="900000002")
    scholarly_api.fail("/crossref/", *[Scripted(503, b"down")] * 5)
    scholarly_api.fail("/eutils/", *[Scripted(503, b"down")] * 5)
    paste(client, "900000002\r\n10.5555/myo.2020.002\r\n")
    page = client.get(PREVIEW).content.decode()
    assert page.count("Already in the library") == 2 and existing.title in page
    assert not scholarly_api.requests
    assert 'name="confirm"' not in page


def lookup_form_as_posted(page, *, untick=()):
    [form] = lxml.html.fromstring(page).find_class("import-lookup")
    for number in untick:
        [box] = form.xpath(f'.//input[@name="look-up"][@value="{number}"]')
        box.checked = False
    return urlencode([*form.form_values(), ("lookup", "")])


RIS_WITH_ONLY_DOIS = (
    b"TY  - JOUR\r\nTI  - A record with its title\r\nPY  - 2001\r\nER  - \r\n\r\n"
    b"TY  - JOUR\r\nDO  - 10.5555/myo.2020.002\r\nER  - \r\n\r\n"
    b"TY  - JOUR\r\nDO  - 10.5555/nobody-knows\r\nER  - \r\n\r\n"
    b"TY  - JOUR\r\nAN  - 900000004\r\nDP  - NLM\r\nER  - \r\n"
)


def test_records_with_only_an_identifier_are_completed_in_the_preview(
    client, scholarly_api
):
    login(client, editor())
    topic = TopicFactory()
    upload(client, data=RIS_WITH_ONLY_DOIS, name="search-tool.ris", topic=topic)
    page = client.get(PREVIEW).content.decode()
    assert "Records to complete by their DOI or PMID" in page
    # The editor leaves record 4 as it is.
    response = client.post(
        PREVIEW,
        lookup_form_as_posted(page, untick=[4]),
        content_type="application/x-www-form-urlencoded",
    )
    assert response["Location"] == PREVIEW
    assert not Reference.objects.exists()
    page = client.get(PREVIEW).content.decode()
    assert "A placebo-controlled trial of an invented infusion" in page
    assert "Neither Crossref nor PubMed knows DOI 10.5555/nobody-knows" in page
    # One Crossref request for the two chosen DOIs, none for the PMID left.
    assert len(scholarly_api.seen("/crossref/")) == 1
    assert not any(
        "900000004" in seen.query.get("id", [""])[0]
        for seen in scholarly_api.seen("/eutils/efetch")
    )

    confirm(client, page)
    completed = Reference.objects.get(doi="10.5555/myo.2020.002")
    assert completed.inbox_topic == topic
    assert completed.author_list == ["Fictional, Dee", "Notreal, Eli"]
    assert completed.pmid == "900000002" and completed.kind == "trial"
    assert sorted(Reference.objects.values_list("title", flat=True)) == [
        "A placebo-controlled trial of an invented infusion in polymyositis",
        "A record with its title",
    ]


def test_a_lookup_in_the_preview_asks_at_most_200_records_a_press(
    client, scholarly_api
):
    login(client, editor())
    data = "".join(
        f"TY  - JOUR\r\nAN  - {900000100 + n}\r\nDP  - NLM\r\nER  - \r\n"
        for n in range(201)
    ).encode()
    upload(client, data=data, name="pmids.ris")
    page = client.get(PREVIEW).content.decode()
    assert "Up to 200 are looked up at a time." in page
    client.post(
        PREVIEW,
        lookup_form_as_posted(page),
        content_type="application/x-www-form-urlencoded",
    )
    page = client.get(PREVIEW).content.decode()
    assert "1 more was not looked up yet" in page
    [efetch] = scholarly_api.seen("/eutils/efetch")
    assert len(efetch.query["id"][0].split(",")) == 200
