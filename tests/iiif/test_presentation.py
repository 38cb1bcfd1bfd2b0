"""IIIF Presentation 3.0 (iiif/presentation.py): a document's manifest and the collections,
read by a real IIIF parser (@iiif/parser); cached under the document's version (issue 23)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import Status
from tests.factories import CollectionFactory, DocumentFactory, PersonFactory, RegionFactory
from tests.iiif.conftest import iiif_parser, read_pages
from tests.versions.files import add_version, typed_page
from versions.models import VersionPage

pytestmark = pytest.mark.django_db
MANIFEST = "/iiif/documents/ru-1956/manifest"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def test_the_manifest_is_read_by_a_iiif_parser_with_its_canvases_and_metadata(client, scanned):
    scanned.participations.create(person=PersonFactory(name="Andropov, Yuri"), role="author")
    scanned.regions.add(RegionFactory(name="Hungary"))
    scanned.collections.add(CollectionFactory(title="1956 Hungarian Revolution", slug="hungary"))
    add_version(scanned, "original", "ru", typed_page("Вторая страница"), "two.png", position=1)
    add_version(scanned, "translation", "en", b"Top secret.", "t.txt", position=2)
    read_pages()

    response = client.get(MANIFEST)

    assert response.status_code == 200
    assert response["Content-Type"] == (
        'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    read = iiif_parser(response.json())
    assert read["warnings"] == []
    assert read["type"] == "Manifest"
    assert read["label"] == {"en": ["Record of a conversation"]}
    labels = {entry["label"]["en"][0]: entry["value"]["en"][0] for entry in read["metadata"]}
    assert labels["Date"] == scanned.date_display
    assert labels["Author"] == "Andropov, Yuri"
    assert labels["Places"] == "Hungary"
    assert labels["Collections"] == "1956 Hungarian Revolution"
    assert labels["Language"] == "Russian" and labels["Record ID"] == "ru-1956"
    assert read["requiredStatement"]["label"] == {"en": ["Rights"]}
    assert read["homepage"] == ["http://testserver/documents/ru-1956/"]
    assert read["services"][0]["type"] == "SearchService2"
    pages = list(VersionPage.objects.order_by("version__position"))
    assert [canvas["label"] for canvas in read["canvases"]] == [
        {"en": ["Scan 1, page 1"]},
        {"en": ["Scan 2, page 1"]},
    ]
    first = read["canvases"][0]
    assert first["id"] == f"http://testserver/iiif/documents/ru-1956/canvas/{pages[0].pk}"
    assert (first["width"], first["height"]) == (1240, 1754)
    service = first["service"][0]
    assert service["type"] == "ImageService3" and service["profile"] == "level2"
    assert client.get(f"{service['id']}/info.json").status_code == 200
    assert client.get(first["image"]).status_code == 200
    text = first["texts"][0]
    assert text["motivation"] == ["supplementing"] or text["motivation"] == "supplementing"
    assert "Венгрии" in text["body"][0]["value"] and text["body"][0]["language"] == ["ru"]
    raw = response.json()
    assert raw["rendering"][0]["label"] == {"en": ["Translation (English)"]}
    assert raw["partOf"] == [
        {"id": "http://testserver/iiif/collections/hungary", "type": "Collection"}
    ]


def test_the_manifest_is_cached_until_the_document_changes(client, scanned, caught_up):
    client.get(MANIFEST)
    with CaptureQueriesContext(connection) as cached:
        assert client.get(MANIFEST).status_code == 200
    assert len(cached) == 3  # the document, and its pages' and versions' versions
    scanned.title = "Record of a conversation with the ambassador"
    scanned.save()
    assert client.get(MANIFEST).json()["label"] == {
        "en": ["Record of a conversation with the ambassador"]
    }
    page = VersionPage.objects.get()
    page.corrected_text = "Исправленный текст"
    page.save()
    body = client.get(MANIFEST).json()["items"][0]["annotations"][0]["items"][0]["body"]
    assert body["value"] == "Исправленный текст"


def test_a_draft_or_a_document_without_ready_pages_has_no_manifest(client, scanned):
    DocumentFactory(identifier="no-scan")
    assert client.get("/iiif/documents/no-scan/manifest").status_code == 404
    scanned.status = Status.DRAFT
    scanned.save()
    assert client.get(MANIFEST).status_code == 404


def test_a_collection_lists_the_manifests_of_its_published_scanned_documents(client, scanned):
    hungary = CollectionFactory(title="Hungary 1956", slug="hungary")
    scanned.collections.add(hungary)
    DocumentFactory(identifier="unscanned").collections.add(hungary)
    draft = DocumentFactory(identifier="draft-scan", status=Status.DRAFT)
    add_version(draft, "original", "ru", typed_page("Черновик"), "d.png")
    draft.collections.add(hungary)
    read_pages()
    secret = CollectionFactory(title="Only drafts", slug="secret")
    draft.collections.add(secret)

    response = client.get("/iiif/collections/hungary")

    read = iiif_parser(response.json())
    assert read["type"] == "Collection" and read["label"] == {"en": ["Hungary 1956"]}
    assert read["items"] == [
        {"id": "http://testserver/iiif/documents/ru-1956/manifest", "type": "Manifest"}
    ]
    everything = client.get("/iiif/collections").json()
    assert [item["id"] for item in everything["items"]] == [
        "http://testserver/iiif/collections/hungary"
    ]
    assert client.get("/iiif/collections/secret").status_code == 404


def test_a_replaced_file_s_old_pages_leave_the_manifest_until_the_new_ones_are_read(
    client, scanned
):
    import io

    from versions.contents import examine
    from versions.services import version_store_file

    version = scanned.versions.get()
    new = typed_page("Новый файл")
    contents = examine(io.BytesIO(new), "new.png", "original")
    version_store_file(version, io.BytesIO(new), contents, original_name="new.png")
    version.save()
    assert client.get(MANIFEST).status_code == 404
    assert client.get("/iiif/documents/ru-1956/search", {"q": "Венгрии"}).json()["items"] == []
    read_pages()
    assert client.get(MANIFEST).status_code == 200
