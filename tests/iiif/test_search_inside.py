"""Search inside a document's scans (versions/inside.py): on the document page, the pages
that hold the words with the words boxed on the page image (no script needed), and the same
as IIIF Content Search 2.0 for external viewers (issue 23)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from documents.models import Status
from tests.iiif.conftest import read_pages
from tests.versions.files import add_version, typed_page
from versions.inside import query_terms
from versions.models import VersionPage

pytestmark = pytest.mark.django_db
SEARCH = "/iiif/documents/ru-1956/search"


def test_content_search_answers_the_words_boxes_on_their_canvas(client, scanned):
    page = VersionPage.objects.get()

    response = client.get(SEARCH, {"q": "Венгрии"})

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    found = response.json()
    assert found["@context"] == "http://iiif.io/api/search/2/context.json"
    assert found["type"] == "AnnotationPage"
    [hit] = found["items"]
    assert hit["motivation"] == "highlighting"
    assert hit["body"]["value"] == "Венгрии"
    canvas, box = hit["target"].split("#xywh=")
    assert canvas == f"http://testserver/iiif/documents/ru-1956/canvas/{page.pk}"
    x, y, width, height = (int(value) for value in box.split(","))
    # The third line of the typed page (90 px in, lines about 50 px apart from 120 px).
    assert 80 < x < 700 and 180 < y < 320 and width > 80 and 20 < height < 80
    # The canvas it names is in the manifest.
    manifest = client.get("/iiif/documents/ru-1956/manifest").json()
    assert canvas in [item["id"] for item in manifest["items"]]


def test_words_match_as_the_search_matches_them_and_phrases_in_order(client, scanned):
    assert len(client.get(SEARCH, {"q": "секретно"}).json()["items"]) == 1
    assert len(client.get(SEARCH, {"q": "СЕКРЕТНО"}).json()["items"]) == 1
    phrase = client.get(SEARCH, {"q": '"с послом"'}).json()["items"]
    assert [hit["body"]["value"] for hit in phrase] == ["с", "послом"]
    assert client.get(SEARCH, {"q": '"послом с"'}).json()["items"] == []
    assert client.get(SEARCH, {"q": "Польша"}).json()["items"] == []
    assert client.get(SEARCH).json()["items"] == []
    assert query_terms('title:Negotiations AND "Cold War" -x*') == [
        ["negoti"],
        ["cold", "war"],
        ["x"],
    ]


def test_the_document_page_shows_the_pages_with_the_words_boxed(client, scanned):
    page = VersionPage.objects.get()

    response = client.get(scanned.get_absolute_url(), {"inside": "Венгрии"})

    html = response.content.decode()
    assert "“Венгрии”: 1 match on 1 page" in html
    figure = re.search(r'<figure class="page-hits" id="hits-\d+">.*?</figure>', html, re.S).group(0)
    image = reverse("iiif:image", kwargs={"image_id": page.image_id})
    assert f'src="{image}/full/900,/0/default.jpg" width="900" height="1273"' in figure
    assert 'viewBox="0 0 1240 1754"' in figure
    assert len(re.findall(r"<rect ", figure)) == 1
    assert client.get(f"{image}/full/900,/0/default.jpg").status_code == 200
    # The manifest is offered to IIIF viewers, with the drag-and-drop link they expect.
    assert (
        '<a href="/iiif/documents/ru-1956/manifest?manifest='
        'http%3A%2F%2Ftestserver%2Fiiif%2Fdocuments%2Fru-1956%2Fmanifest"' in html
    )


def test_a_result_reached_from_a_search_shows_its_hits(client, scanned):
    results = client.get("/documents/", {"q": "Венгрии"})
    link = re.search(r'<a href="(/documents/ru-1956/\?[^"]+)"', results.content.decode()).group(1)
    page = client.get(link.replace("&amp;", "&"))
    assert "“Венгрии”: 1 match on 1 page" in page.content.decode()


def test_words_not_on_the_pages_are_said_so_and_drafts_answer_nothing(client, scanned):
    html = client.get(scanned.get_absolute_url(), {"inside": "Польша"}).content.decode()
    assert "“Польша” is not on the pages read so far." in html
    scanned.status = Status.DRAFT
    scanned.save()
    assert client.get(SEARCH, {"q": "Венгрии"}).status_code == 404


def test_a_document_without_read_pages_offers_no_search_inside(client, db):
    from tests.factories import DocumentFactory

    document = DocumentFactory(identifier="unread")
    add_version(document, "original", "ru", typed_page("Непрочитано"), "u.png")
    html = client.get(document.get_absolute_url(), {"inside": "Непрочитано"}).content.decode()
    assert "Search inside the scans" not in html and "IIIF manifest" not in html
    read_pages()
    html = client.get(document.get_absolute_url(), {"inside": "Непрочитано"}).content.decode()
    assert "Search inside the scans" in html and "IIIF manifest" in html
