"""Editing a reference on an editorial screen, not the admin (issue 21, item 5):
the same validation, duplicate checks and history, reached from the inbox,
the literature list and the reference page."""

import pytest
from reversion.models import Version

from references.models import Reference
from tests.factories import (
    EntryFactory,
    ReferenceFactory,
    SectionFactory,
    board_member,
    editor,
)

pytestmark = pytest.mark.django_db


def edit_url(reference):
    return f"/editorial/literature/references/{reference.pk}/edit/"


def signed_in(client, user):
    user.save()
    client.force_login(user)
    return user


def posted(reference, **changes):
    """The form as a browser posts it: every field, CRLF line ends, empty
    optional fields as empty strings, the instant it was loaded at."""
    data = {
        "loaded_at": reference.updated_at.isoformat(),
        "summary": reference.summary,
        "kind": reference.kind,
        "item_type": reference.item_type,
        "title": reference.title,
        "authors": reference.authors.replace("\n", "\r\n"),
        "source": reference.source,
        "year": str(reference.year or ""),
        "month": "",
        "day": "",
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": reference.doi,
        "pmid": reference.pmid,
        "url": reference.url,
        "abstract": "",
        "citation_key": reference.citation_key,
        "change_note": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def placed():
    return EntryFactory(reference__title="Rituximab in refractory myositis").reference


def test_an_editor_edits_summary_kind_and_identifiers(client, placed):
    user = signed_in(client, editor())
    response = client.post(
        edit_url(placed),
        posted(
            placed,
            summary="Rituximab helped most patients.\r\nSecond line.\r\n",
            kind="trial",
            doi="https://doi.org/10.1002/ART.37754",
            pmid="23124935",
            change_note="Kind and identifiers from PubMed",
        ),
    )
    assert response.status_code == 302
    assert response.url == placed.get_absolute_url()
    placed.refresh_from_db()
    assert placed.summary == "Rituximab helped most patients.\nSecond line."
    assert (placed.kind, placed.doi, placed.pmid) == (
        "trial",
        "10.1002/art.37754",
        "23124935",
    )
    assert "10.1002/art.37754" in placed.citation_vancouver
    version = Version.objects.get_for_object(placed).first()
    assert version.revision.user == user
    assert version.revision.comment == "Kind and identifiers from PubMed"


def test_a_duplicate_is_refused_naming_the_reference_it_duplicates(client, placed):
    other = ReferenceFactory(doi="10.1002/art.37754", title="The trial itself")
    signed_in(client, editor())
    response = client.post(edit_url(placed), posted(placed, doi="10.1002/ART.37754"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A reference with this DOI already exists" in page
    assert other.get_absolute_url() in page
    placed.refresh_from_db()
    assert placed.doi == ""


def test_a_probable_duplicate_is_found_by_the_matcher(client, placed):
    twin = ReferenceFactory(title="Lenabasum in dermatomyositis", year=2022)
    signed_in(client, editor())
    response = client.post(
        edit_url(placed),
        posted(placed, title="Lenabasum in Dermatomyositis.", year="2022"),
    )
    assert "This is probably the same as" in response.content.decode()
    assert twin.get_absolute_url() in response.content.decode()


def test_a_save_over_a_colleagues_newer_save_is_a_conflict(client, placed):
    signed_in(client, editor())
    stale = posted(placed, summary="My summary, typed slowly.")
    client.post(edit_url(placed), posted(placed, summary="A colleague's summary."))
    response = client.post(edit_url(placed), stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this reference" in page
    assert "My summary, typed slowly." in page
    placed.refresh_from_db()
    assert placed.summary == "A colleague's summary."


@pytest.mark.parametrize("loaded_at", ["", "yesterday"])
def test_a_form_without_its_loaded_instant_is_refused(client, placed, loaded_at):
    signed_in(client, editor())
    response = client.post(
        edit_url(placed), posted(placed, loaded_at=loaded_at, summary="New.")
    )
    assert response.status_code == 200
    assert "did not say which version" in response.content.decode()


@pytest.fixture
def waiting():
    section = SectionFactory()
    reference = Reference(
        title="Lenabasum in dermatomyositis",
        source="Arthritis Rheumatol",
        year=2022,
        abstract="The publisher's words.",
        inbox_topic=section.topic,
        citation_key="chung-2022",
    )
    reference.save()
    return section, reference


def test_placing_from_the_inbox_asks_for_the_summary_in_the_same_step(client, waiting):
    section, reference = waiting
    user = signed_in(client, editor())
    inbox = client.get(f"/editorial/literature/inbox/{section.topic.slug}/")
    assert edit_url(reference) in inbox.content.decode()
    page = client.get(edit_url(reference)).content.decode()
    assert "Place it in a section" in page
    assert "The publisher&#x27;s words." in page

    refused = client.post(
        edit_url(reference), posted(reference, section=section.pk, summary="  ")
    )
    assert refused.status_code == 200
    assert "Write its summary" in refused.content.decode()
    reference.refresh_from_db()
    assert reference.is_in_inbox

    response = client.post(
        edit_url(reference),
        posted(reference, section=section.pk, summary="Lenabasum eased the skin."),
    )
    assert response.status_code == 302
    reference.refresh_from_db()
    assert not reference.is_in_inbox
    assert section.entries.filter(reference=reference).exists()
    assert client.get(reference.get_absolute_url()).status_code == 200
    # One step, one revision: the reference and its entry.
    version = Version.objects.get_for_object(reference).first()
    assert version.revision.user == user
    assert {v.content_type.model for v in version.revision.version_set.all()} == {
        "reference",
        "entry",
    }


def test_saving_without_a_section_keeps_it_in_the_inbox(client, waiting):
    section, reference = waiting
    signed_in(client, editor())
    response = client.post(
        edit_url(reference), posted(reference, section="", summary="Written now.")
    )
    assert response.url == f"/editorial/literature/inbox/{section.topic.slug}/"
    reference.refresh_from_db()
    assert reference.is_in_inbox and reference.summary == "Written now."


def test_the_board_reads_but_may_not_edit(client, placed):
    signed_in(client, board_member())
    assert client.get(edit_url(placed)).status_code == 403
    response = client.post(edit_url(placed), posted(placed, summary="Board text."))
    assert response.status_code == 403
    placed.refresh_from_db()
    assert placed.summary != "Board text."
    page = client.get(placed.get_absolute_url()).content.decode()
    assert edit_url(placed) not in page


def test_anonymous_visitors_are_sent_to_log_in(client, placed):
    response = client.get(edit_url(placed))
    assert response.status_code == 302 and "login" in response.url


def test_the_reference_page_and_literature_list_lead_editors_to_the_screen(
    client, placed
):
    assert edit_url(placed) not in client.get("/literature/").content.decode()
    signed_in(client, editor())
    page = client.get(placed.get_absolute_url()).content.decode()
    assert "For editors" in page and edit_url(placed) in page
    assert edit_url(placed) in client.get("/literature/").content.decode()


def test_the_admin_cannot_take_a_reference_out_of_its_inbox_without_a_summary(
    client, waiting
):
    """The admin's back door: clearing "waiting in the curation inbox of"."""
    _section, reference = waiting
    signed_in(client, editor())
    url = f"/admin/references/reference/{reference.pk}/change/"
    data = {
        **posted(reference),
        "inbox_topic": "",
        "links": "[]",
        "link_status": "unchecked",
        "entries-TOTAL_FORMS": "0",
        "entries-INITIAL_FORMS": "0",
    }
    del data["loaded_at"], data["change_note"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Write its summary" in response.content.decode()
    reference.refresh_from_db()
    assert reference.is_in_inbox
    response = client.post(url, {**data, "summary": "Ours."})
    assert response.status_code == 302
    reference.refresh_from_db()
    assert not reference.is_in_inbox


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"year": "10000"}, "A year is a number from 1000 to 2100."),
        ({"month": "13", "year": "2020"}, "A month is a number from 1 to 12."),
        ({"doi": "not a doi"}, "DOI"),
        ({"url": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"citation_key": "two words"}, "holds no spaces"),
        ({"title": ""}, "Give the reference its title."),
        ({"kind": "no-such-kind"}, "Select a valid choice."),
    ],
)
def test_hostile_edits_are_refused_in_words(client, placed, changes, message):
    signed_in(client, editor())
    response = client.post(edit_url(placed), posted(placed, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    stored = Reference.objects.get(pk=placed.pk)
    assert (stored.title, stored.updated_at) == (placed.title, placed.updated_at)
