"""The OpenAPI 3 schema is generated from the code, valid, and readable as a
page that needs no script."""

import json

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_served_schema_is_a_valid_openapi_document(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    schema = json.loads(response.content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {
        "/api/v1/",
        "/api/v1/articles/",
        "/api/v1/articles/{slug}/",
        "/api/v1/references/",
        "/api/v1/references/{id}/",
        "/api/v1/topics/",
        "/api/v1/topics/{slug}/",
        "/api/v1/notices/",
        "/api/v1/fhir/Citation/{id}",
        "/api/v1/fhir/Composition/{id}",
        "/api/v1/fhir/ArtifactAssessment/{id}",
        "/api/v1/fhir/Bundle/{id}",
    } <= paths
    # Only reading: every operation is a GET.
    assert {m for methods in schema["paths"].values() for m in methods} == {"get"}
    # The JSON API documents its errors, the request limit's 429 included.
    responses = schema["paths"]["/api/v1/references/"]["get"]["responses"]
    assert {"200", "400", "404", "429"} <= set(responses)


def test_the_docs_page_lists_every_endpoint_of_the_schema(client):
    schema = json.loads(client.get("/api/v1/schema/").content)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    for path in schema["paths"]:
        assert f"GET {path}" in page
    assert 'href="/api/v1/schema/"' in page and "curl -s" in page
    assert "<script" not in page
    assert 'id="evidence-levels"' in page
