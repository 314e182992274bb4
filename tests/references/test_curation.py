"""Curating sections: order, several topics, moving entries in the admin."""

import pytest
from reversion.models import Version

from references import services
from references.models import Entry
from tests.factories import EntryFactory, SectionFactory, administrator, editor

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
