"""The OpenAPI description of /api/: served by the site, a valid OpenAPI 3.0 document, and
true to what the API answers (real responses validate against its schemas)."""

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from documents.filters import DocumentFilter
from tests.samples import make_sample_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def validator(spec, name: str) -> OAS30Validator:
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    return OAS30Validator(schema)


def test_a_valid_openapi_document(spec):
    validate(spec)
    assert set(spec["paths"]) == {"/api/documents/", "/api/documents/{identifier}/"}


def test_every_list_parameter_is_described(spec):
    names = {p["name"] for p in spec["paths"]["/api/documents/"]["get"]["parameters"]}
    # Every filter of the lists (documents/filters.py), and paging.
    assert names == {*DocumentFilter.base_filters, "page", "per_page"}
    assert {"q", "date_from", "region", "person", "collection", "source", "sort"} <= names


@pytest.mark.parametrize(
    "query", ["", "?per_page=1", "?region=east-asia&date_from=1960", "?q=Kim&sort=relevance"]
)
def test_list_responses_match_the_description(client, spec, query):
    make_sample_archive()
    response = client.get(f"/api/documents/{query}")
    assert response.status_code == 200
    validator(spec, "DocumentList").validate(response.json())


def test_detail_and_error_responses_match_the_description(client, spec):
    make_sample_archive()
    detail = client.get("/api/documents/span-1960/")
    validator(spec, "Document").validate(detail.json())
    bad = client.get("/api/documents/?date_from=1960-13&page=0")
    assert bad.status_code == 400
    validator(spec, "Errors").validate(bad.json())


def test_the_description_is_linked_from_every_page(client):
    assert 'href="/api/openapi.json"' in client.get("/").content.decode()
