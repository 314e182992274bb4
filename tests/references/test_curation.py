"""Curating literature: the inbox, sections and their order, the admin."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db.models import ProtectedError
from reversion.models import Version

from portal.models import SearchDocument
from portal.search import indexing
from references import services
from references.models import Entry, Reference, Section
from tests.factories import (
    EntryFactory,
    SectionFactory,
    administrator,
    board_member,
    editor,
)

pytestmark = pytest.mark.django_db


def titles(section):
    return [e.reference.title for e in section.entries.order_by("position", "id")]


@pytest.fixture
def section():
    section = SectionFactory()
    for n, title in enumerate("ABCD"):
        EntryFactory(section=section, reference__title=title, position=n * 10)
    return section


def test_move_entry_up_and_down_renumbers(section):
    entry = section.entries.get(reference__title="C")
    services.move_entry(entry=entry, offset=-1, user=editor())
    assert titles(section) == ["A", "C", "B", "D"]
    assert list(section.entries.values_list("position", flat=True)) == [0, 1, 2, 3]
    services.move_entry(entry=entry, offset=5, user=None)
    assert titles(section) == ["A", "B", "D", "C"]


def test_move_is_recorded_as_a_revision(section):
    user = editor()
    user.save()
    entry = section.entries.get(reference__title="B")
    services.move_entry(entry=entry, offset=-1, user=user)
    assert Version.objects.get_for_object(entry).first().revision.user == user


def test_a_reference_can_be_listed_in_several_topics(client):
    entry = EntryFactory()
    other = SectionFactory()
    Entry.objects.create(section=other, reference=entry.reference)
    for topic in (entry.section.topic, other.topic):
        page = client.get(topic.get_absolute_url()).content.decode()
        assert entry.reference.title in page


def test_also_see_links_show_on_the_topic_page(client):
    entry = EntryFactory()
    related = EntryFactory().section.topic
    empty = SectionFactory().topic
    entry.section.topic.also_see.add(related, empty)
    page = client.get(entry.section.topic.get_absolute_url()).content.decode()
    assert related.get_absolute_url() in page
    # A topic with nothing to read is not offered as somewhere to go.
    assert empty.get_absolute_url() not in page


def test_admin_actions_move_entries(client, section):
    user = administrator()
    user.save()
    client.force_login(user)
    entry = section.entries.get(reference__title="D")
    response = client.post(
        "/admin/references/entry/",
        {"action": "move_up", "_selected_action": [entry.pk]},
    )
    assert response.status_code == 302
    assert titles(section) == ["A", "B", "D", "C"]


# The curation inbox: added and imported references wait, unseen by readers,
# until an editor places each in a section, so that nothing unchecked is
# published.


@pytest.fixture
def waiting():
    """A topic with one placed reference and one waiting in its inbox."""
    section = SectionFactory(topic__slug="myositis")
    EntryFactory(section=section, reference__title="Placed IVIg trial")
    reference = services.add_to_inbox(
        reference=Reference(
            title="Waiting lenabasum study",
            source="Arthritis Rheumatol",
            year=2022,
            doi="10.1000/waiting",
            abstract="Publisher text about lenabasum that readers never see.",
            summary="Lenabasum in dermatomyositis, in our words.",
        ),
        topic=section.topic,
        user=None,
    )
    return section, reference


PUBLIC_URLS = [
    "/topics/myositis/",
    "/literature/",
    "/literature/?topic=myositis",
    "/literature/export.ris",
    "/literature/export.bib",
    "/literature/export.json",
    "/literature/export.ris?topic=myositis",
    "/feeds/literature/",
    "/feeds/topics/myositis/literature/",
    "/sitemap-references.xml",
    "/search/?q=lenabasum",
    "/search/?q=waiting",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_an_inbox_reference_is_invisible_to_readers(client, waiting, url):
    section, reference = waiting
    page = client.get(url).getvalue().decode()  # exports stream
    assert "Waiting lenabasum study" not in page
    assert "10.1000/waiting" not in page
    assert f"/references/{reference.pk}/" not in page


def test_an_inbox_reference_page_is_404_to_readers_but_open_to_editors(client, waiting):
    _section, reference = waiting
    assert client.get(reference.get_absolute_url()).status_code == 404
    user = editor()
    user.save()
    client.force_login(user)
    page = client.get(reference.get_absolute_url())
    assert page.status_code == 200
    assert "Waiting lenabasum study" in page.content.decode()


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_placing_in_a_section_makes_it_public(client, waiting, url):
    section, reference = waiting
    services.place_in_section(references=[reference], section=section, user=None)
    reference.refresh_from_db()
    assert not reference.is_in_inbox
    page = client.get(url).getvalue().decode()  # exports stream
    if "search" in url or "export" in url:
        assert "Waiting lenabasum study" in page
    else:
        assert f"/references/{reference.pk}/" in page
    assert client.get(reference.get_absolute_url()).status_code == 200


def test_only_placed_references_are_in_the_search_index(waiting):
    section, reference = waiting
    assert not SearchDocument.objects.filter(reference=reference).exists()
    services.place_in_section(references=[reference], section=section, user=None)
    assert SearchDocument.objects.filter(reference=reference).exists()
    assert indexing.rebuild() == SearchDocument.objects.count()
    assert SearchDocument.objects.filter(reference=reference).exists()


def test_the_abstract_is_for_editors_only(client, waiting):
    section, reference = waiting
    services.place_in_section(references=[reference], section=section, user=None)
    for url in [reference.get_absolute_url(), "/search/?q=publisher+text"]:
        assert "Publisher text" not in client.get(url).content.decode()
    for extension in ("ris", "bib", "json"):
        export = client.get(f"/literature/export.{extension}").getvalue().decode()
        assert "Publisher text" not in export


def test_adding_to_the_inbox_is_one_revision_with_the_user():
    user = editor()
    user.save()
    topic = SectionFactory().topic
    reference = services.add_to_inbox(
        reference=Reference(title="T", source="S"), topic=topic, user=user
    )
    [version] = Version.objects.get_for_object(reference)
    assert version.revision.user == user
    assert "curation inbox" in version.revision.comment
    assert reference.citation_key


def test_a_topic_with_waiting_references_cannot_be_deleted_silently(waiting):
    section, _reference = waiting
    with pytest.raises(ProtectedError):
        section.topic.delete()


def login(client, user):
    user.save()
    client.force_login(user)
    return user


def test_dashboard_counts_what_waits_in_each_inbox(client, waiting):
    section, _reference = waiting
    login(client, editor())
    page = client.get("/editorial/").content.decode()
    assert f"{section.topic.title}: 1 reference in the curation inbox" in page
    assert f"/editorial/literature/inbox/{section.topic.slug}/" in page


def test_inbox_lists_waiting_references_and_edits_show_the_abstract(client, waiting):
    section, reference = waiting
    login(client, editor())
    page = client.get(f"/editorial/literature/inbox/{section.topic.slug}/")
    text = page.content.decode()
    assert reference.title in text
    assert "Placed IVIg trial" not in text
    # Abstracts are long: the list leaves them to the screen that edits one.
    assert "Publisher text about lenabasum" not in text
    edit = f"/editorial/literature/references/{reference.pk}/edit/"
    assert edit in text
    assert "Publisher text about lenabasum" in client.get(edit).content.decode()


def test_board_members_cannot_curate_the_inbox(client, waiting):
    section, reference = waiting
    login(client, board_member())
    url = f"/editorial/literature/inbox/{section.topic.slug}/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"references": [reference.pk], "action": "delete"})
    assert response.status_code == 403
    assert Reference.objects.filter(pk=reference.pk).exists()


def test_bulk_place_from_the_inbox(client, waiting):
    section, reference = waiting
    other = services.add_to_inbox(
        reference=Reference(title="Second waiting", source="S", summary="Ours."),
        topic=section.topic,
        user=None,
    )
    user = login(client, editor())
    url = f"/editorial/literature/inbox/{section.topic.slug}/"
    response = client.post(
        url,
        {
            "references": [reference.pk, other.pk],
            "action": "place",
            "section": section.pk,
            "kind": "",
        },
    )
    assert response.status_code == 302
    assert not Reference.objects.in_inbox().exists()
    assert titles(section) == ["Placed IVIg trial", reference.title, other.title]
    entry = section.entries.get(reference=other)
    assert Version.objects.get_for_object(entry).first().revision.user == user
    assert "2 references were placed" in client.get(url).content.decode()


def test_bulk_set_kind_from_the_inbox(client, waiting):
    section, reference = waiting
    login(client, editor())
    client.post(
        f"/editorial/literature/inbox/{section.topic.slug}/",
        {"references": [reference.pk], "action": "kind", "kind": "observational"},
    )
    reference.refresh_from_db()
    assert reference.kind == Reference.Kind.OBSERVATIONAL
    assert reference.is_in_inbox


def test_bulk_delete_from_the_inbox(client, waiting):
    section, reference = waiting
    login(client, editor())
    client.post(
        f"/editorial/literature/inbox/{section.topic.slug}/",
        {"references": [reference.pk], "action": "delete"},
    )
    assert not Reference.objects.filter(pk=reference.pk).exists()
    assert Reference.objects.filter(title="Placed IVIg trial").exists()


def test_deleting_spares_references_already_placed(waiting):
    section, _reference = waiting
    placed = section.entries.get().reference
    assert services.delete_from_inbox(references=[placed]) == 0
    assert Reference.objects.filter(pk=placed.pk).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "place"}, "Choose the section to place them in."),
        ({"action": "kind"}, "Choose the kind to give them."),
        ({"action": "place", "references": []}, "Choose at least one reference."),
    ],
)
def test_incomplete_bulk_actions_are_refused_in_words(client, waiting, data, message):
    section, reference = waiting
    login(client, editor())
    data = {"references": [reference.pk], "section": "", "kind": "", **data}
    response = client.post(f"/editorial/literature/inbox/{section.topic.slug}/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    reference.refresh_from_db()
    assert reference.is_in_inbox


def test_a_reference_from_another_inbox_or_section_cannot_be_chosen(client, waiting):
    section, _reference = waiting
    elsewhere = services.add_to_inbox(
        reference=Reference(title="Other topic's", source="S"),
        topic=SectionFactory().topic,
        user=None,
    )
    foreign_section = SectionFactory()
    login(client, editor())
    url = f"/editorial/literature/inbox/{section.topic.slug}/"
    response = client.post(url, {"references": [elsewhere.pk], "action": "delete"})
    assert response.status_code == 200
    assert Reference.objects.filter(pk=elsewhere.pk).exists()
    response = client.post(
        url,
        {
            "references": [_reference.pk],
            "action": "place",
            "section": foreign_section.pk,
        },
    )
    assert response.status_code == 200
    assert not foreign_section.entries.exists()


def test_migration_moves_the_old_imported_sections_into_the_inbox():
    migration = importlib.import_module(
        "references.migrations.0004_curation_inbox_abstract_kinds"
    )
    imported = SectionFactory(slug="imported", title="Imported")
    curated = SectionFactory(topic=imported.topic)
    only_imported = EntryFactory(section=imported).reference
    also_curated = EntryFactory(section=imported).reference
    Entry.objects.create(section=curated, reference=also_curated)

    migration.prepare_rows(django_apps, None)

    only_imported.refresh_from_db()
    also_curated.refresh_from_db()
    assert only_imported.inbox_topic == imported.topic
    assert also_curated.inbox_topic is None
    assert not Section.objects.filter(pk=imported.pk).exists()
    assert list(also_curated.entries.values_list("section", flat=True)) == [curated.pk]


def test_editors_see_the_inbox_note_and_abstract_on_the_reference_page(client, waiting):
    _section, reference = waiting
    login(client, editor())
    page = client.get(reference.get_absolute_url()).content.decode()
    assert "Waiting in the curation inbox of" in page
    assert "Publisher text about lenabasum" in page
