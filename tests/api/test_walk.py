"""A client that knows only the API's root reaches all of the demo by links.

Every answer on the way is checked: JSON against the OpenAPI schema the API
serves, FHIR against FHIR R5's models.
"""

import json
import re
from urllib.parse import urlsplit

import pytest

from articles.models import Article
from portal.topics import with_content
from references.models import Reference

from .conftest import check_against_schema, check_fhir

pytestmark = pytest.mark.django_db

ROOT = "http://testserver/api/v1/"


def links_in(data):
    """Every API address in a JSON document."""
    if isinstance(data, dict):
        for value in data.values():
            yield from links_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from links_in(value)
    elif isinstance(data, str) and data.startswith(ROOT):
        yield data


def walk(client):
    """GET the root, then every API address any answer names, once each.

    Returns {address: parsed body}. The docs page and the schema are not
    data: they are fetched but not read for links.
    """
    seen, queue = {}, [ROOT]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        parts = urlsplit(url)
        response = client.get(parts.path, query_params=None, QUERY_STRING=parts.query)
        assert response.status_code == 200, (url, response.content[:300])
        if parts.path.endswith("/docs/"):
            seen[url] = None
            continue
        data = json.loads(response.content)
        if "/fhir/" in parts.path:
            check_fhir(response)
        elif not parts.path.endswith("/schema/"):
            check_against_schema(parts.path, response)
        seen[url] = data
        if not parts.path.endswith("/schema/"):
            queue.extend(link for link in links_in(data) if link not in seen)
    return seen


def test_from_the_root_links_reach_every_article_recommendation_and_reference(
    demo, api
):
    seen = walk(api)
    bodies = [data for data in seen.values() if isinstance(data, dict)]

    approved = Article.objects.approved().select_related("live")
    article_urls = {f"{ROOT}articles/{a.live.slug}/" for a in approved}
    assert article_urls and article_urls <= set(seen)

    recommendations = {
        (a.live.slug, item["anchor"])
        for a in approved
        for item in a.live.recommendations
    }
    found = {
        (body["slug"], urlsplit(item["page"]).fragment)
        for body in bodies
        if body.get("recommendations")
        for item in body["recommendations"]
    }
    assert recommendations and recommendations == found
    # Each as FHIR too: its Recommendation composition, and its rating if graded.
    for article in approved:
        for item in article.live.recommendations:
            fhir_id = f"article-{article.pk}-{item['anchor']}"
            assert f"{ROOT}fhir/Composition/{fhir_id}" in seen
            rating = f"{ROOT}fhir/ArtifactAssessment/{fhir_id}"
            assert (rating in seen) == bool(item["strength"])

    visible = set(Reference.objects.visible().values_list("pk", flat=True))
    reached = {
        int(match[1])
        for url in seen
        if (match := re.fullmatch(r"/api/v1/references/(\d+)/", urlsplit(url).path))
    }
    assert visible and reached == visible
    citations = {int(url.rsplit("/", 1)[1]) for url in seen if "/fhir/Citation/" in url}
    assert citations == visible

    # Every topic a reader is shown, and its FHIR Bundle.
    for topic in with_content():
        assert f"{ROOT}topics/{topic.slug}/" in seen
        assert f"{ROOT}fhir/Bundle/topic-{topic.pk}" in seen
