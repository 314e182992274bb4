"""Pages cost a fixed number of queries, however much literature they show."""

import pytest

from tests.factories import (
    EntryFactory,
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
    make_article,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def build_topic(n_references):
    topic = TopicFactory()
    topic.also_see.add(TopicFactory(), TopicFactory())
    sections = [SectionFactory(topic=topic) for _ in range(5)]
    references = ReferenceFactory.create_batch(n_references)
    for i, reference in enumerate(references):
        EntryFactory(section=sections[i % 5], reference=reference)
    body = " ".join(f"Claim [@{r.citation_key}]." for r in references)
    article = make_article(topic=topic, body=body, is_overview=True, approve=True)
    return topic, article


@pytest.mark.parametrize("page", ["topic", "article"])
def test_page_costs_the_same_queries_with_5_and_50_references(
    client, django_assert_num_queries, page
):
    counts = []
    for n in (5, 50):
        topic, article = build_topic(n)
        url = (
            topic.get_absolute_url() if page == "topic" else article.get_absolute_url()
        )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        client.get(url)


def test_literature_list_costs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    ReferenceFactory.create_batch(40)
    with django_assert_max_num_queries(6):
        assert client.get("/literature/").status_code == 200
