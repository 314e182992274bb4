"""A topic page stays the same size and cost however much literature it holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from references.models import Entry, Reference
from tests.factories import SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def fill(section, count):
    """``count`` visible references in ``section``, in bulk (as an import makes)."""
    references = Reference.objects.bulk_create(
        Reference(
            kind=Reference.Kind.RESEARCH,
            title=f"Trial {n} of a treatment for myositis",
            authors="Marie, Isabelle",
            source="Autoimmun Rev",
            year=2000 + n % 25,
            citation_key=f"{section.slug}-{n}",
        )
        for n in range(count)
    )
    Entry.objects.bulk_create(
        Entry(section=section, reference=reference, position=n)
        for n, reference in enumerate(references)
    )


def topic_page(client, count):
    topic = TopicFactory()
    section = SectionFactory(topic=topic, title="Biological agents")
    fill(section, count)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    return topic, section, response, len(queries)


def test_a_topic_page_is_bounded_whatever_the_library_holds(client, no_page_cache):
    _, _, small, small_queries = topic_page(client, 5)
    topic, section, large, large_queries = topic_page(client, 5_000)
    assert large_queries == small_queries
    html = large.content.decode()
    assert html.count('class="ref"') == 25
    assert len(large.content) < 100_000
    link = f"/literature/?topic={topic.slug}&amp;section={section.pk}"
    assert f'<a href="{link}">All 5000 references in Biological agents</a>' in html
    # A section that fits on the page needs no link.
    assert "references in Biological agents" not in small.content.decode()


def test_the_section_link_lists_every_reference_of_the_section(client):
    topic = TopicFactory()
    section = SectionFactory(topic=topic)
    fill(section, 30)
    fill(SectionFactory(topic=topic), 3)
    response = client.get("/literature/", {"topic": topic.slug, "section": section.pk})
    assert response.context["paginator"].count == 30
