"""Search inside: the text of scans, transcripts and translations is searched with the
document, weighted below its title and summary; a hit inside a scan says so (issue 9)."""

import pytest
from django.db import connection

from importing.importer import documents_import
from tests.factories import DocumentFactory
from tests.versions.files import add_version, pdf

pytestmark = pytest.mark.django_db
LIST = "/documents/"


def results(client, query: str):
    response = client.get(LIST, {"q": query, "per_page": 100})
    assert response.status_code == 200
    return list(response.context["documents"])


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def test_a_word_only_inside_a_scan_finds_its_document(client):
    document = DocumentFactory(identifier="scan-1", summary="A summary.", text="")
    DocumentFactory(identifier="other")
    add_version(document, "original", "ru", pdf("Minutes", "The samovar was cold."), "s.pdf")
    found = results(client, "samovar")
    assert [d.identifier for d in found] == ["scan-1"]
    assert found[0].snippet.startswith('<span class="snippet-source">In the original scan:</span>')
    assert "<mark>samovar</mark>" in found[0].snippet


def test_hits_in_a_transcript_or_translation_say_which(client):
    document = DocumentFactory(identifier="t-1")
    add_version(document, "transcript", "ru", "Говорил о кукурузе.".encode(), "t.txt")
    add_version(document, "translation", "en", b"He spoke of irrigation.", "e.txt", position=1)
    assert "In the translation:" in results(client, "irrigation")[0].snippet
    if on_postgres():  # the English stemmer does not know Russian; the fallback finds it whole
        return
    assert "In the transcript:" in results(client, "кукурузе")[0].snippet


def test_snippets_from_a_scan_are_escaped(client):
    document = DocumentFactory(identifier="x-1")
    add_version(document, "original", "en", pdf('<script>alert("x")</script> samovar'), "s.pdf")
    snippet = results(client, "samovar")[0].snippet
    # PostgreSQL's headline drops the tags, the fallback escapes them.
    assert "<script" not in snippet and "<mark>samovar</mark>" in snippet
    if not on_postgres():
        assert "&lt;script&gt;alert(&quot;x&quot;)" in snippet


def test_the_summary_s_passage_comes_first(client):
    document = DocumentFactory(identifier="s-1", summary="About a samovar.")
    add_version(document, "original", "en", pdf("samovar"), "s.pdf")
    snippet = results(client, "samovar")[0].snippet
    assert "In the original scan" not in snippet and "<mark>samovar</mark>" in snippet


def test_removing_a_version_removes_its_words(client):
    document = DocumentFactory(identifier="r-1")
    version = add_version(document, "original", "en", pdf("samovar"), "s.pdf")
    assert results(client, "samovar")
    version.delete()
    assert not results(client, "samovar")


def test_drafts_are_not_found_by_their_scans(client):
    document = DocumentFactory(identifier="d-1", status="draft")
    add_version(document, "original", "en", pdf("samovar"), "s.pdf")
    assert not results(client, "samovar")


def test_a_scan_weighs_less_than_a_title_or_summary(client):
    scan = DocumentFactory(identifier="in-scan", title="Minutes", summary="A meeting.")
    add_version(scan, "original", "en", pdf("samovar " * 5), "s.pdf")
    DocumentFactory(identifier="in-summary", title="Notes", summary="The samovar.")
    DocumentFactory(identifier="in-title", title="The samovar", summary="Tea.")
    ranked = [d.identifier for d in results(client, "samovar")]
    assert ranked == ["in-title", "in-summary", "in-scan"]


def test_imported_files_are_searchable(client, write_batch, tmp_path):
    (tmp_path / "scan.pdf").write_bytes(pdf("Irrigation samovar treaty"))
    batch = [
        {"identifier": "i-1", "title": "One", "date": "1960", "files": ["original:ru:scan.pdf"]},
        {"identifier": "i-2", "title": "Two", "date": "1960", "text": "Plain text."},
    ]
    documents_import(paths=[write_batch("batch.jsonl", batch)])
    assert [d.identifier for d in results(client, "samovar")] == ["i-1"]
    snippet = results(client, "samovar")[0].snippet
    assert "In the original scan:" in snippet and "<mark>samovar</mark>" in snippet
