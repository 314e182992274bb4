"""Helpers for the API's tests: the demo library, the contract checks.

Every JSON answer can be checked against the OpenAPI schema the API serves
(``check_against_schema``) and every FHIR answer against FHIR R5's models
(``check_fhir``), so a walk of the API checks the whole contract at once.
"""

import json
import re
from functools import cache

import pytest
from django.core.management import call_command
from django.test import Client
from fhir.resources import get_fhir_model_class
from lxml import etree
from openapi_schema_validator import OAS31Validator

FHIR_JSON = "application/fhir+json"
XHTML = "{http://www.w3.org/1999/xhtml}"
# FHIR narrative: HTML 4's formatting elements only (txt-1), no scripts,
# forms or event handlers (txt-2).
NARRATIVE_ELEMENTS = {
    *"a abbr acronym b big blockquote br caption cite code col colgroup dd dfn "
    "div dl dt em h1 h2 h3 h4 h5 h6 hr i img li ol p pre q samp small span "
    "strong sub sup table tbody td tfoot th thead tr tt ul var".split()
}


@pytest.fixture
def demo(db):
    """The myositis demo library, as ``seed_demo`` loads it (no accounts)."""
    call_command("seed_demo", "--no-accounts", verbosity=0)


@pytest.fixture
def api():
    return Client()


@cache
def served_schema() -> dict:
    response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    return json.loads(response.content)


def _operation(path: str) -> dict:
    schema = served_schema()
    for template, methods in schema["paths"].items():
        pattern = re.sub(r"\{[^}]+\}", "[^/]+", template)
        if re.fullmatch(pattern, path):
            return methods["get"]
    raise AssertionError(f"{path} is not in the OpenAPI schema")


def check_against_schema(path: str, response) -> None:
    """The answer's body is what the schema says for its path and status."""
    operation = _operation(path)
    documented = operation["responses"].get(str(response.status_code))
    assert documented, f"{path} answered {response.status_code}, not documented"
    media_type = response["Content-Type"].split(";")[0]
    content = documented.get("content", {})
    assert media_type in content, f"{path}: {media_type} not documented"
    schema = {
        **content[media_type]["schema"],
        "components": served_schema()["components"],
    }
    OAS31Validator(schema).validate(json.loads(response.content))


def check_narrative(div: str) -> None:
    root = etree.fromstring(div)
    assert root.tag == f"{XHTML}div"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag.startswith(XHTML), element.tag
        assert element.tag[len(XHTML) :] in NARRATIVE_ELEMENTS, element.tag
        assert not any(name.startswith("on") for name in element.attrib)


def _narratives(data):
    if isinstance(data, dict):
        if set(data) >= {"status", "div"}:
            yield data["div"]
        for value in data.values():
            yield from _narratives(value)
    elif isinstance(data, list):
        for value in data:
            yield from _narratives(value)


def check_fhir(response) -> dict:
    """The answer is one valid FHIR R5 resource (fhir.resources), its
    narratives well-formed XHTML of FHIR's allowed elements; returns it."""
    assert response["Content-Type"].split(";")[0] == FHIR_JSON
    data = json.loads(response.content)
    model = get_fhir_model_class(data["resourceType"])
    model.model_validate(data)
    for div in _narratives(data):
        check_narrative(div)
    return data
