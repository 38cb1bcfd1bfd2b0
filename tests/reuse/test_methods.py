"""Public URLs only read: any other method gets 405 with `Allow`, never a CSRF 403 (issue 24),
and the API's description says so, with the 429 of its rate limit."""

import json

import pytest

from reuse.openapi import DESCRIPTION

pytestmark = pytest.mark.django_db

URLS = [
    "/",
    "/documents/",
    "/documents/120194/",
    "/documents/export.ris",
    "/documents/feed/",
    "/documents/120194/export.bib",
    "/documents/facets/people/",
    "/people/",
    "/people/kim-il-sung/",
    "/people/kim-il-sung/feed/",
    "/regions/",
    "/regions/east-asia/",
    "/regions/east-asia/export.csv",
    "/collections/",
    "/api/documents/",
    "/api/documents/120194/",
    "/api/openapi.json",
    "/search/suggest?q=mik",
    "/health/index",
    "/sitemap.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unsafe_methods_get_405_with_allow(client, seeded, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 405, (method, url)
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}
    # GET answers (the index's health is 503 until the index is first built: not a 405).
    assert client.get(url).status_code in ((200, 503) if url == "/health/index" else (200,))


def test_oai_pmh_still_takes_post(client, seeded):
    response = client.post("/oai/", {"verb": "Identify"})
    assert response.status_code == 200 and b"<Identify>" in response.content


def test_the_description_names_every_status_the_api_answers():
    spec = json.loads(DESCRIPTION.read_text())
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            assert {"200", "405", "429"} <= set(operation["responses"]), (path, method)
    assert "400" in spec["paths"]["/api/documents/"]["get"]["responses"]
    assert "404" in spec["paths"]["/api/documents/{identifier}/"]["get"]["responses"]
