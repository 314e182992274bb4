"""Derived data follows every change, including bulk imports and link checks."""

import pytest

from portal.search import search
from references import importing, services
from references.models import Reference
from references.signals import references_changed
from tests.factories import EntryFactory, ReferenceFactory, SectionFactory

pytestmark = pytest.mark.django_db

RIS = b"""TY  - JOUR
TI  - Lenabasum in refractory dermatomyositis
AU  - Werth, Victoria P.
JO  - Arthritis Rheumatol
PY  - 2022
DO  - 10.1000/lenabasum
ER  - 
"""


def found(text):
    return [hit.document.title for hit in search(text)[:10]]


def test_a_placed_import_is_searchable_and_refreshes_the_topic_page(client):
    section = SectionFactory()
    EntryFactory(section=section)
    url = section.topic.get_absolute_url()
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"

    parsed = importing.read_file(RIS, filename="new.ris")
    importing.import_records(records=parsed.records, topic=section.topic)
    # In the curation inbox: neither found nor shown.
    assert found("lenabasum") == []
    assert b"Lenabasum" not in client.get(url).content

    Reference.objects.in_inbox(section.topic).update(summary="Ours.")
    services.place_in_section(
        references=Reference.objects.in_inbox(section.topic),
        section=section,
        user=None,
    )

    assert found("lenabasum") == ["Lenabasum in refractory dermatomyositis"]
    page = client.get(url)
    assert page["X-Cache"] == "miss"
    assert b"Lenabasum in refractory dermatomyositis" in page.content


def test_a_bulk_change_of_link_status_reaches_pages_and_search(client):
    reference = ReferenceFactory(title="Rituximab retreatment")
    entry = EntryFactory(reference=reference)
    url = entry.section.topic.get_absolute_url()
    client.get(url)
    Reference.objects.filter(pk=reference.pk).update(
        link_status=Reference.LinkStatus.EXPIRED, title="Rituximab retreatment, revised"
    )
    reference.refresh_from_db()

    references_changed.send(sender=Reference, references=[reference])

    page = client.get(url)
    assert page["X-Cache"] == "miss"
    assert b"Expired link" in page.content
    assert found("revised") == ["Rituximab retreatment, revised"]
