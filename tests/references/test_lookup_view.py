"""The "Look up" button of /editorial/literature/add/, posted as a browser posts it."""

import pytest

from references.models import Reference, ReferenceNotice
from tests.factories import ReferenceFactory, TopicFactory, editor
from tests.scholarly_api import Scripted

pytestmark = pytest.mark.django_db
URL = "/editorial/literature/add/"
EMPTY_FORM = {
    "identifier": "",
    "topic": "",
    "kind": "research",
    "title": "",
    "authors": "",
    "source": "",
    "year": "",
    "month": "",
    "day": "",
    "volume": "",
    "issue": "",
    "pages": "",
    "doi": "",
    "pmid": "",
    "url": "",
    "abstract": "",
    "summary": "",
}


@pytest.fixture
def signed_in(client):
    user = editor()
    user.save()
    client.force_login(user)
    return client


def look_up(client, identifier, **typed):
    return client.post(
        URL, {**EMPTY_FORM, **typed, "identifier": identifier, "lookup": "1"}
    )


def test_look_up_fills_the_form_and_saves_nothing(signed_in, scholarly_api):
    response = look_up(signed_in, "https://doi.org/10.5555/myo.2020.002")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == (
        "A placebo-controlled trial of an invented infusion in polymyositis"
    )
    assert form.initial["pmid"] == "900000002"
    assert form.initial["kind"] == "trial"
    assert form.initial["authors"] == "Fictional, Dee\nNotreal, Eli"
    html = response.content.decode()
    assert "Filled in from Crossref, PubMed" in html
    assert 'value="Test J Myositis"' in html
    assert not Reference.objects.exists()


def test_a_looked_up_reference_is_saved_by_the_save_button(signed_in, scholarly_api):
    topic = TopicFactory()
    filled = look_up(signed_in, "900000002", topic=topic.pk).context["form"].initial
    posted = {**EMPTY_FORM, **{k: v for k, v in filled.items() if v is not None}}
    # A browser sends textarea lines with CRLF.
    for name in ("authors", "abstract"):
        posted[name] = posted[name].replace("\n", "\r\n")

    response = signed_in.post(URL, posted)

    assert response.status_code == 302
    reference = Reference.objects.get()
    assert (reference.pmid, reference.doi) == ("900000002", "10.5555/myo.2020.002")
    assert reference.author_list == ["Fictional, Dee", "Notreal, Eli"]
    assert reference.abstract.startswith("Objectives: To compare")
    # Added like an imported one: it waits in the topic's curation inbox.
    assert reference.inbox_topic == topic


def test_a_retracted_work_is_flagged_in_the_form(signed_in, scholarly_api):
    response = look_up(signed_in, "10.5555/myo.2019.001")

    html = response.content.decode()
    # Crossref and PubMed both report the retraction: it is named once.
    assert html.count("Retraction</strong> (12 March 2024)") == 1
    assert "Correction</strong> (8 January 2020)" in html
    assert not ReferenceNotice.objects.exists()


def test_a_duplicate_is_caught_before_asking_anyone(signed_in, scholarly_api):
    existing = ReferenceFactory(pmid="900000002")

    response = look_up(signed_in, "PMID: 900000002")

    html = response.content.decode()
    assert "already in the library" in html
    assert f'href="{existing.get_absolute_url()}"' in html
    assert scholarly_api.requests == []


def test_a_duplicate_by_the_other_identifier_is_caught_after_the_lookup(
    signed_in, scholarly_api
):
    existing = ReferenceFactory(pmid="900000002")

    response = look_up(signed_in, "10.5555/myo.2020.002")

    assert "already in the library" in response.content.decode()
    assert response.context["form"].initial.get("title", "") == ""
    assert Reference.objects.count() == 1
    assert existing.doi == ""


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ([Scripted(503, b"down")] * 10, "Crossref answered with an error (HTTP 503)"),
        ([Scripted(body=b"<html>oops</html>")] * 10, "could not be read"),
        ([Scripted(delay=1.0)] * 10, "did not answer within"),
    ],
    ids=["5xx", "malformed JSON", "timeout"],
)
def test_a_failing_service_says_so_and_keeps_what_was_typed(
    signed_in, scholarly_api, settings, script, message
):
    settings.REFERENCES_LOOKUP_TIMEOUT = 0.3
    scholarly_api.fail("/crossref/", *script)
    scholarly_api.fail("/eutils/", *script)

    response = look_up(signed_in, "10.5555/myo.2020.002", title="Typed by hand")

    html = response.content.decode()
    assert message in html
    assert "type the details by hand" in html
    assert response.context["form"].initial["title"] == "Typed by hand"
    assert not Reference.objects.exists()


def test_an_unknown_identifier_says_so(signed_in, scholarly_api):
    response = look_up(signed_in, "10.5555/unknown.1")

    assert "Neither Crossref nor PubMed knows 10.5555/unknown.1" in (
        response.content.decode()
    )
    assert not Reference.objects.exists()


def test_nonsense_is_refused_without_asking(signed_in, scholarly_api):
    response = look_up(signed_in, "<script>alert(1)</script>")

    html = response.content.decode()
    assert "is neither a DOI" in html
    assert "<script>alert(1)</script>" not in html
    assert scholarly_api.requests == []


def test_with_crossref_down_pubmed_still_fills_the_form(signed_in, scholarly_api):
    scholarly_api.fail("/crossref/", *[Scripted(503, b"down")] * 5)

    response = look_up(signed_in, "10.5555/myo.2020.002")

    assert response.context["form"].initial["pmid"] == "900000002"
    assert "Filled in from PubMed" in response.content.decode()
