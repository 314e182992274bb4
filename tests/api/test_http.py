"""A good citizen: validators and 304s, invalidation with the pages, CORS
for any origin, a request limit per address with a clear 429, and answers
while the cache is down."""

import json

import pytest
from django.test import Client

from articles import services
from tests.factories import ReferenceFactory, approve_through_review, make_article
from tests.production.test_cache_down import stop_cache

pytestmark = pytest.mark.django_db

ORIGIN = "https://hospital.example"


@pytest.fixture
def article():
    ReferenceFactory(citation_key="r1", kind="trial", pmid="23124935")
    return make_article(
        slug="rituximab",
        body="/// recommendation | strength=strong certainty=low\nUse it [@r1].\n///\n",
        approve=True,
    )


@pytest.mark.parametrize("page_cache", [True, False])
def test_an_unchanged_answer_is_a_304_without_a_query(
    client, article, settings, django_assert_num_queries, page_cache
):
    if not page_cache:
        settings.PORTAL_PAGE_CACHE_SECONDS = 0
    url = "/api/v1/articles/rituximab/"
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"]
    with django_assert_num_queries(0):
        again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_an_approval_changes_the_answer_and_its_etag(client, article):
    url = "/api/v1/articles/rituximab/"
    first = client.get(url)
    article.title = "Rituximab, revised"
    services.save_article(article=article, user=article.author)
    # A draft changes nothing public: still 304.
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    approve_through_review(article)
    changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert changed.json()["title"] == "Rituximab, revised"
    fhir = client.get(f"/api/v1/fhir/Composition/article-{article.pk}").json()
    assert fhir["title"] == "Rituximab, revised"


def test_a_new_reference_appears_in_the_list_at_once(client, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    assert client.get("/api/v1/references/").json()["count"] == 0
    ReferenceFactory()
    assert client.get("/api/v1/references/").json()["count"] == 1


def test_any_origin_may_read_the_api(client, article):
    response = client.get("/api/v1/articles/", headers={"origin": ORIGIN})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    # A revalidation from another origin keeps the header, as does an error.
    again = client.get(
        "/api/v1/articles/",
        headers={"origin": ORIGIN, "if-none-match": response["ETag"]},
    )
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"
    missing = client.get("/api/v1/nothing/", headers={"origin": ORIGIN})
    assert missing["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_allows_reading_only(client):
    response = client.options(
        "/api/v1/articles/",
        headers={"origin": ORIGIN, "access-control-request-method": "GET"},
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }


def test_the_site_outside_the_api_is_not_opened_to_other_origins(client, article):
    response = client.get(article.get_absolute_url(), headers={"origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("page_cache", [True, False])
def test_too_many_requests_from_one_address_get_a_clear_429(
    settings, article, page_cache
):
    settings.API_RATE_LIMIT = 3
    if not page_cache:
        settings.PORTAL_PAGE_CACHE_SECONDS = 0
    greedy = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert greedy.get("/api/v1/articles/").status_code == 200
    refused = greedy.get("/api/v1/articles/")
    assert refused.status_code == 429
    body = json.loads(refused.content)
    assert body["status"] == 429 and "Too many requests" in body["message"]
    assert 1 <= int(refused["Retry-After"]) <= settings.API_RATE_WINDOW_SECONDS
    assert f"in {refused['Retry-After']} second" in body["message"]
    assert "no-cache" in refused["Cache-Control"]
    fhir = greedy.get(f"/api/v1/fhir/Composition/article-{article.pk}")
    assert fhir.status_code == 429 and fhir.json()["resourceType"] == "OperationOutcome"
    # Another address is not held up, nor are the site's pages.
    assert Client(REMOTE_ADDR="203.0.113.8").get("/api/v1/articles/").status_code == 200
    assert greedy.get(article.get_absolute_url()).status_code == 200


def test_the_limit_can_be_switched_off(settings):
    settings.API_RATE_LIMIT = 0
    reader = Client(REMOTE_ADDR="203.0.113.9")
    assert all(reader.get("/api/v1/").status_code == 200 for _ in range(5))


def test_with_the_cache_down_the_api_answers_unlimited(settings, article):
    settings.API_RATE_LIMIT = 1
    stop_cache(settings)
    reader = Client()
    for _ in range(3):
        response = reader.get("/api/v1/articles/rituximab/")
        assert response.status_code == 200
        assert response.json()["recommendations"][0]["strength"] == "strong"
