"""Each answer costs a fixed number of queries, whatever the library holds,
within the budget of the HTML page that shows the same thing; an answer
built before (per public change) costs none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import ReferenceNotice
from tests.factories import (
    ACK,
    EntryFactory,
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
    make_article,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def build_library(n_references):
    topic = TopicFactory()
    topic.also_see.add(TopicFactory(), TopicFactory())
    sections = [SectionFactory(topic=topic) for _ in range(5)]
    references = ReferenceFactory.create_batch(n_references)
    for i, reference in enumerate(references):
        EntryFactory(section=sections[i % 5], reference=reference)
        ReferenceNotice.objects.create(
            reference=reference, kind="correction", source="editor"
        )
    keys = [r.citation_key for r in references]
    boxes = "\n\n".join(
        f"/// recommendation | strength=strong certainty=low\nDo {i} [@{key}].\n///"
        for i, key in enumerate(keys[:10])
    )
    body = " ".join(f"Claim [@{key}]." for key in keys) + "\n\n" + boxes
    article = make_article(
        topic=topic, body=body, is_overview=True, approve=True, approval_comment=ACK
    )
    return topic, article, references[0]


def urls_of(topic, article, reference):
    return {
        "topic": (f"/api/v1/topics/{topic.slug}/", topic.get_absolute_url()),
        "article": (
            f"/api/v1/articles/{article.live.slug}/",
            article.get_absolute_url(),
        ),
        "reference": (
            f"/api/v1/references/{reference.pk}/",
            reference.get_absolute_url(),
        ),
        "references": ("/api/v1/references/", "/literature/"),
        "articles": ("/api/v1/articles/", None),
        "topics": ("/api/v1/topics/", None),
        "notices": ("/api/v1/notices/", None),
        "guideline": (f"/api/v1/fhir/Composition/article-{article.pk}", None),
        "recommendation": (
            f"/api/v1/fhir/Composition/article-{article.pk}-recommendation-1",
            None,
        ),
        "rating": (
            f"/api/v1/fhir/ArtifactAssessment/article-{article.pk}-recommendation-1",
            None,
        ),
        "citation": (f"/api/v1/fhir/Citation/{reference.pk}", None),
        "bundle": (f"/api/v1/fhir/Bundle/topic-{topic.pk}", None),
    }


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_every_answer_costs_the_same_queries_with_5_and_40_references(client):
    first, again, pages = {}, {}, {}
    for n in (5, 40):
        for name, (api, page) in urls_of(*build_library(n)).items():
            first.setdefault(name, []).append(queries_of(client, api))
            again.setdefault(name, []).append(queries_of(client, api))
            if page:
                pages.setdefault(name, []).append(queries_of(client, page))
    for name, counts in first.items():
        assert counts[0] == counts[1], (name, counts)
        # Built once per public change: then no query at all.
        assert again[name] == [0, 0], name
    # Within the budget of the page showing the same, first rendered.
    for name, counts in pages.items():
        assert first[name][1] <= counts[1], (name, first[name], counts)


def test_the_article_answer_costs_a_handful_of_queries(
    client, django_assert_max_num_queries
):
    topic, article, reference = build_library(40)
    # The article and its version's people, its reference list with their
    # notices, and every approved version with their citations and approvers.
    with django_assert_max_num_queries(9):
        client.get(f"/api/v1/articles/{article.live.slug}/")
