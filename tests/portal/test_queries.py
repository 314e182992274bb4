"""Pages cost a fixed number of queries, however much literature they show."""

import pytest

from tests.factories import (
    EntryFactory,
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
    editor,
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


def queries_of(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["topic", "article"])
def test_page_costs_the_same_queries_with_5_and_50_references(client, page):
    first, again = [], []
    for n in (5, 50):
        topic, article = build_topic(n)
        url = (
            topic.get_absolute_url() if page == "topic" else article.get_absolute_url()
        )
        first.append(queries_of(client, url))  # rendered: the first reader
        again.append(queries_of(client, url))  # from its stored parts
    assert first[0] == first[1]
    assert again[0] == again[1] <= first[0]


def test_an_article_page_rendered_before_costs_one_query(
    client, django_assert_num_queries
):
    topic, article = build_topic(50)
    client.get(article.get_absolute_url())
    # Only the lookup of what is live at the address: the page's parts are
    # kept rendered until the next public change.
    with django_assert_num_queries(1):
        client.get(article.get_absolute_url())
    with django_assert_num_queries(1):
        client.get(article.get_absolute_url(), {"utm_source": "newsletter"})


def test_an_editor_gets_the_stored_article_parts_too(client, django_assert_num_queries):
    topic, article = build_topic(50)
    client.get(article.get_absolute_url())
    client.force_login(editor())
    # Nothing on a reader's page is personal: neither the session nor the
    # user is read, only the article.
    with django_assert_num_queries(1):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200


def test_literature_list_costs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    ReferenceFactory.create_batch(40)
    with django_assert_max_num_queries(6):
        assert client.get("/literature/").status_code == 200


def test_the_home_page_rendered_before_costs_no_query(
    client, django_assert_num_queries
):
    build_topic(5)
    client.get("/")
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


def test_a_topic_page_rendered_before_costs_one_query(
    client, django_assert_num_queries
):
    topic, article = build_topic(50)
    client.get(topic.get_absolute_url())
    # The topic at the address; its sections, entries, articles and links
    # are kept rendered until the next public change.
    with django_assert_num_queries(1):
        assert client.get(topic.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("matches", [3, 40])
def test_a_search_page_costs_only_the_searchs_queries(
    client, django_assert_num_queries, matches
):

    make_article(title="Rituximab", body="Rituximab for myositis.", approve=True)
    ReferenceFactory.create_batch(matches, title="Rituximab in myositis")
    TopicFactory.create_batch(3)
    url = "/search/?q=rituximab&kind=&year_from=2000"
    client.get(url)
    # Again: the count alone. The filters' fields, with every topic, and the
    # ranked results are kept rendered until a public change; what ranking
    # costs in queries is test_search's (a page of results, however many
    # match).
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
