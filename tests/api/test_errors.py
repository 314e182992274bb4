"""Every refusal is JSON with a message (FHIR's OperationOutcome under
/api/v1/fhir/), whatever the input: never an HTML page, never a 500."""

import json
from unittest import mock

import pytest
from django.db.backends.utils import CursorWrapper
from django.db.utils import OperationalError
from fhir.resources.operationoutcome import OperationOutcome

from articles import services
from tests.factories import ACK, ReferenceFactory, approve_through_review, make_article

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/topics/",
    "/api/v1/articles/",
    "/api/v1/references/",
    "/api/v1/notices/",
]


def json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["status"] == status and body["message"].strip()
    return body


def fhir_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/fhir+json"
    outcome = json.loads(response.content)
    OperationOutcome.model_validate(outcome)
    assert outcome["issue"][0]["diagnostics"].strip()
    return outcome


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing-here/",
        "/api/v1/articles/no-such-article/",
        "/api/v1/topics/no-such-topic/",
        "/api/v1/references/999999/",
        # Bigger than any database id: not an overflow.
        "/api/v1/references/99999999999999999999999999/",
        "/api/v2/",
        "/api/",
        "/api/v1/articles/%E2%80%AE%00/",
    ],
)
def test_an_unknown_address_is_a_json_404(client, path):
    body = json_error(client.get(path), 404)
    assert "Nothing" in body["message"] or "No " in body["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/fhir/Citation/999999",
        "/api/v1/fhir/Citation/99999999999999999999999999",
        "/api/v1/fhir/Composition/article-999999",
        "/api/v1/fhir/Composition/article-99999999999999999999999",
        "/api/v1/fhir/Composition/bogus",
        "/api/v1/fhir/Composition/article-x",
        "/api/v1/fhir/Composition/article-",
        "/api/v1/fhir/ArtifactAssessment/article-1-recommendation-1",
        "/api/v1/fhir/Bundle/topic-999999",
        "/api/v1/fhir/Bundle/topic-99999999999999999999999",
        "/api/v1/fhir/Bundle/article-1",
    ],
)
def test_an_unknown_fhir_resource_is_an_operation_outcome(client, path):
    outcome = fhir_error(client.get(path), 404)
    assert outcome["issue"][0]["code"] == "not-found"


def test_an_unknown_recommendation_and_an_ungraded_rating_are_not_found(client):
    body = (
        "/// recommendation | strength=strong certainty=low\nUse it [@r1].\n///\n\n"
        "/// good-practice\nCheck the heart.\n///\n"
    )
    ReferenceFactory(citation_key="r1")
    article = make_article(body=body, approve=True, approval_comment=ACK)
    base = f"/api/v1/fhir/Composition/article-{article.pk}"
    assert client.get(f"{base}-recommendation-1").status_code == 200
    fhir_error(client.get(f"{base}-recommendation-2"), 404)
    rating = f"/api/v1/fhir/ArtifactAssessment/article-{article.pk}"
    assert client.get(f"{rating}-recommendation-1").status_code == 200
    fhir_error(client.get(f"{rating}-good-practice-1"), 404)


def test_an_address_without_its_slash_is_redirected_to_it(client):
    response = client.get("/api/v1/articles", {"page": "1"})
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/articles/?page=1"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/articles/", "/api/v1/schema/"])
def test_writing_is_not_allowed(client, admin_client, method, path):
    for who in (client, admin_client):  # a session changes nothing
        response = getattr(who, method)(
            path, {"title": "x"}, content_type="application/json"
        )
        json_error(response, 405)
        assert "GET" in response["Allow"]


def test_writing_to_fhir_is_an_operation_outcome(client):
    make_article(approve=True)
    response = client.post("/api/v1/fhir/metadata", "{}", content_type=FHIR)
    fhir_error(response, 405)


FHIR = "application/fhir+json"


@pytest.mark.parametrize(
    "page",
    [
        "²",  # a superscript two
        "٣",  # an Arabic-Indic three: int() would read it
        "0",
        "-1",
        "1.5",
        "1e3",
        " 1",
        "1\n",
        "\x00",
        "",
        "99999999999999999999",
        "9" * 5000,
    ],
)
def test_a_bad_page_number_is_a_400_saying_what_a_page_is(client, page):
    for path in LISTS:
        body = json_error(client.get(path, {"page": page}), 400)
        assert "whole number" in body["message"]


def test_a_page_number_that_is_not_utf8_is_a_400(client):
    # A lone surrogate, as a client that does not check its encoding sends it.
    body = json_error(client.get("/api/v1/articles/?page=%ED%A0%80"), 400)
    assert "whole number" in body["message"]


def test_a_page_past_the_end_is_a_404_naming_the_last(client):
    ReferenceFactory.create_batch(3)
    body = json_error(client.get("/api/v1/references/", {"page": "7"}), 404)
    assert "no page 7" in body["message"] and "last is 1" in body["message"]
    assert client.get("/api/v1/references/", {"page": "last"}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "bogus"},
        {"level": "best"},
        {"topic": "no-such-topic"},
        {"section": "abc"},
        {"section": "99999999999999999999999"},
        {"topic": "a\x00b"},
        {"kind": "x" * 10000},
    ],
)
def test_a_bad_filter_is_a_400_naming_it(client, query):
    body = json_error(client.get("/api/v1/references/", query), 400)
    assert set(body["errors"]) == set(query)


def test_a_database_outage_is_a_json_503_to_retry(client):
    with mock.patch.object(
        CursorWrapper, "execute", side_effect=OperationalError("server closed")
    ):
        response = client.get("/api/v1/articles/")
    body = json_error(response, 503)
    assert "try again" in body["message"]
    assert response["Retry-After"].isdigit()
    assert client.get("/api/v1/articles/").status_code == 200


def test_an_unexpected_failure_is_a_logged_json_500(client, caplog):
    with mock.patch("api.views.RootView.build", side_effect=RuntimeError("bug")):
        response = client.get("/api/v1/")
    json_error(response, 500)
    assert "bug" not in response.content.decode()
    assert any("API failure" in r.message for r in caplog.records)


def test_an_old_address_of_an_article_redirects_to_its_approved_one(client):
    article = make_article(slug="old-address", approve=True)
    article.slug = "new-address"
    services.save_article(article=article, user=article.author)
    approve_through_review(article)
    response = client.get("/api/v1/articles/old-address/")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/articles/new-address/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "accept", ["application/fhir+json", "application/xml", "text/html", "*/*"]
)
def test_any_accept_header_gets_the_one_form_of_each_endpoint(client, accept):
    make_article(approve=True)
    for path, media_type in (
        ("/api/v1/articles/", "application/json"),
        ("/api/v1/fhir/metadata", FHIR),
    ):
        response = client.get(path, headers={"accept": accept})
        assert response.status_code == 200
        assert response["Content-Type"] == media_type
    json_error(client.get("/api/v1/nothing/", headers={"accept": accept}), 404)
