import xml.etree.ElementTree as ET

import pytest

from tests.factories import EntryFactory, ReferenceFactory, SectionFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    root = ET.fromstring(response.content)
    return [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]


def test_overall_feed_lists_newest_references_first(
    client, django_assert_max_num_queries
):
    ReferenceFactory(title="Older")
    ReferenceFactory(title="Newer <b>bold</b>")
    with django_assert_max_num_queries(2):
        response = client.get("/feeds/literature/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert entries(response) == ["Newer <b>bold</b>", "Older"]


def test_topic_feed_lists_only_that_topics_literature(client):
    section = SectionFactory()
    EntryFactory(section=section, reference__title="In the topic")
    EntryFactory(reference__title="Another topic")
    response = client.get(f"/feeds/topics/{section.topic.slug}/literature/")
    assert entries(response) == ["In the topic"]
    assert section.topic.title in response.content.decode()


def test_topic_feed_of_unknown_topic_is_not_found(client):
    assert client.get("/feeds/topics/nope/literature/").status_code == 404


def test_pages_announce_their_feeds(client):
    section = SectionFactory()
    EntryFactory(section=section)
    topic_page = client.get(section.topic.get_absolute_url()).content.decode()
    assert (
        f'type="application/atom+xml" title="New literature: {section.topic.title}" '
        f'href="/feeds/topics/{section.topic.slug}/literature/"'
    ) in topic_page
    list_page = client.get("/literature/").content.decode()
    assert 'type="application/atom+xml"' in list_page
    assert 'href="/feeds/literature/"' in list_page


def test_topic_and_literature_pages_offer_downloads(client):
    section = SectionFactory()
    EntryFactory(section=section, reference__kind="trial")
    topic_page = client.get(section.topic.get_absolute_url()).content.decode()
    assert f"/literature/export.ris?topic={section.topic.slug}" in topic_page
    # One download menu for the page, not one under every section.
    assert topic_page.count("/literature/export.bib?") == 1
    list_page = client.get(f"/literature/?kind=trial&topic={section.topic.slug}")
    expected = f"/literature/export.json?kind=trial&amp;topic={section.topic.slug}"
    assert expected in list_page.content.decode()
