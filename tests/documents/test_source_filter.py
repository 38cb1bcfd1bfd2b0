"""The `source` filter: documents whose archival citation holds every word asked for (the
worked example of docs/architecture.md's "adding a filter")."""

import feedparser
import pytest
import rispy

from documents.models import Document
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources():
    avprf = DocumentFactory(identifier="s-avprf", source="AVPRF, fond 0100, opis 3")
    historian = DocumentFactory(
        identifier="s-hist", source="Office of the Historian, U.S. Department of State"
    )
    DocumentFactory(identifier="s-none", source="")
    DocumentFactory(identifier="s-draft", source="AVPRF, fond 5", status="draft")
    return avprf, historian


def _identifiers(response) -> list[str]:
    return sorted(d["identifier"] for d in response.json()["results"])


def test_the_list_keeps_documents_whose_source_holds_every_word(client, sources):
    assert _identifiers(client.get("/api/documents/?source=avprf")) == ["s-avprf"]
    # Words are matched as search words are: case, accents and English endings aside.
    assert _identifiers(client.get("/api/documents/?source=historians state")) == ["s-hist"]
    assert _identifiers(client.get("/api/documents/?source=avprf state")) == []
    # As many as SQL finds among the published documents.
    expected = Document.objects.published().filter(source__icontains="avprf").count()
    assert client.get("/api/documents/?source=AVPRF").json()["count"] == expected == 1


def test_the_page_shows_the_filter_and_its_chip(client, sources):
    page = client.get("/documents/?source=Historian").content.decode()
    assert 'name="source" value="Historian"' in page
    assert "Source: Historian" in page
    assert "s-hist" in page and "s-avprf" not in page


def test_exports_and_feeds_take_it(client, sources):
    response = client.get("/documents/export.ris?source=avprf")
    entries = rispy.loads(b"".join(response.streaming_content).decode())
    assert [entry["urls"][0].rstrip("/").rsplit("/", 1)[1] for entry in entries] == ["s-avprf"]
    feed = feedparser.parse(client.get("/documents/feed/?source=avprf").content)
    assert [entry.link.rstrip("/").rsplit("/", 1)[1] for entry in feed.entries] == ["s-avprf"]


def test_a_source_longer_than_allowed_is_a_clear_error(client, sources):
    response = client.get("/api/documents/?source=" + "x" * 201)
    assert response.status_code == 400
    assert "source" in response.json()["errors"]


def test_the_readmes_example_finds_the_two_garf_documents(client, seeded):
    response = client.get("/api/documents/?source=GARF")
    assert sorted(d["identifier"] for d in response.json()["results"]) == ["120189", "120194"]
