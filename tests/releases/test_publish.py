"""Data releases (issue 22): `publish_release`, its changelog, `/data/`, and a release
imported into an empty archive."""

import gzip
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from documents.models import Document, Status
from documents.services import documents_unpublish
from importing.importer import BatchInvalid, documents_import
from releases.models import Release
from tests.archive_state import archive_state, empty_the_archive
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def publish(*args) -> str:
    out = io.StringIO()
    call_command("publish_release", *args, stdout=out)
    return out.getvalue()


def records(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def folder(settings) -> Path:
    return Path(settings.ARCHIVE_RELEASES_DIR)


def test_the_first_release_holds_every_published_document(seeded, settings):
    DocumentFactory(identifier="held-back", status=Status.DRAFT)
    published = sorted(Document.objects.published().values_list("identifier", flat=True))

    out = publish()

    release = Release.objects.get()
    assert release.number == 1
    assert out == (
        f"Release 1 published as {release.file_name}: {len(published)} document(s); "
        f"{len(published)} added, 0 changed, 0 withdrawn.\n"
    )
    path = folder(settings) / release.file_name
    data = path.read_bytes()
    assert release.sha256 == hashlib.sha256(data).hexdigest()
    assert release.size == len(data)
    assert (release.document_count, release.added, release.changed, release.withdrawn) == (
        len(published),
        len(published),
        0,
        0,
    )
    written = records(path)
    assert [record["identifier"] for record in written] == published
    assert "held-back" not in {record["identifier"] for record in written}
    # The public export's records: no status, and people, places and collections in full.
    assert all("status" not in record for record in written)
    assert any(record["participants"] and record["regions"] for record in written)
    checksum = (folder(settings) / f"{release.file_name}.sha256").read_text()
    assert checksum == f"{release.sha256}  {release.file_name}\n"
    changelog = json.loads((folder(settings) / release.changelog_name).read_text())
    assert changelog["release"] == 1
    assert changelog["previous_release"] is None
    assert changelog["added"] == published
    assert (changelog["changed"], changelog["withdrawn"]) == ([], [])
    # No time or name in the gzip header: the same archive gives the same bytes.
    assert data[4:8] == b"\0\0\0\0"


def test_nothing_changed_writes_nothing(seeded, settings):
    publish()
    files = sorted(p.name for p in folder(settings).iterdir())

    assert publish() == "Nothing changed since release 1: no release written.\n"

    assert Release.objects.count() == 1
    assert sorted(p.name for p in folder(settings).iterdir()) == files


def test_a_dry_run_writes_nothing(seeded, settings):
    count = Document.objects.published().count()

    out = publish("--dry-run")

    assert out == (
        f"Dry run: release 1 would hold {count} document(s); {count} added, 0 changed, "
        "0 withdrawn.\n"
    )
    assert not Release.objects.exists()
    assert [p.name for p in folder(settings).iterdir() if not p.name.startswith(".")] == []


def test_the_changelog_says_what_was_added_changed_and_withdrawn(seeded, settings):
    publish()
    first, second, third = Document.objects.published().order_by("identifier")[:3]
    first.title = "A corrected title"
    first.save()
    documents_unpublish(documents=Document.objects.filter(pk=second.pk))
    Document.objects.filter(pk=third.pk).delete()
    DocumentFactory(identifier="zz-new")
    count = Document.objects.published().count()

    out = publish()

    release = Release.objects.get(number=2)
    assert out == (
        f"Release 2 published as {release.file_name}: {count} document(s); 1 added, "
        "1 changed, 2 withdrawn since release 1.\n"
    )
    changelog = json.loads((folder(settings) / release.changelog_name).read_text())
    assert changelog["previous_release"] == 1
    assert changelog["added"] == ["zz-new"]
    assert changelog["changed"] == [first.identifier]
    assert changelog["withdrawn"] == sorted([second.identifier, third.identifier])
    assert (release.added, release.changed, release.withdrawn) == (1, 1, 2)


def test_a_lost_previous_file_is_a_clear_error_and_nothing_is_written(seeded, settings):
    publish()
    release = Release.objects.get()
    (folder(settings) / release.file_name).unlink()
    DocumentFactory(identifier="zz-new")

    with pytest.raises(CommandError) as raised:
        publish()

    assert str(raised.value) == (
        f"No release published: the previous release's file "
        f"{folder(settings) / release.file_name} is missing, so no changelog can be made: "
        "restore it from the backup (docs/operations.md)."
    )
    assert Release.objects.count() == 1


def test_a_failed_commit_leaves_no_files(seeded, settings, monkeypatch):
    from releases import services

    def refuse(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.Release.objects, "create", refuse)

    with pytest.raises(RuntimeError):
        publish()

    assert not Release.objects.exists()
    assert list(folder(settings).glob("*.gz")) == []
    assert list(folder(settings).glob("*.json")) == []
    assert list(folder(settings).glob("*.sha256")) == []


def test_a_release_downloaded_from_data_imports_into_an_empty_archive(
    seeded, visits_path, tmp_path
):
    documents_import(paths=[visits_path])
    before = archive_state()
    publish()
    client = Client()

    listing = client.get("/data/")
    index = client.get("/data/releases.json").json()["releases"]
    (entry,) = index
    download = client.get(entry["url"].removeprefix("http://testserver"))
    data = b"".join(download.streaming_content)

    assert listing.status_code == 200
    assert entry["url"].removeprefix("http://testserver") in listing.content.decode()
    assert download.status_code == 200
    assert download["Content-Type"] == "application/gzip"
    assert download["Cache-Control"] == "public, max-age=31536000, immutable"
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    checksum = client.get(entry["checksum"].removeprefix("http://testserver"))
    assert b"".join(checksum.streaming_content).decode().split()[0] == entry["sha256"]
    changelog = client.get(entry["changelog"].removeprefix("http://testserver"))
    assert json.loads(b"".join(changelog.streaming_content))["documents"] == entry["documents"]

    path = tmp_path / "release.jsonl.gz"
    path.write_bytes(data)
    empty_the_archive()
    report = documents_import(paths=[path])

    assert report.created == entry["documents"] == len(before["documents"])
    after = archive_state()
    assert after == before


def test_a_damaged_release_file_is_reported_and_nothing_imported(db, tmp_path):
    path = tmp_path / "release.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"identifier": "a"}\n')[:-6])

    with pytest.raises(BatchInvalid) as raised:
        documents_import(paths=[path])

    assert [e for e in raised.value.errors if e.startswith(f"{path}: not a readable gzip file (")]
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["nothing.jsonl.gz", ".publish.lock", "..%2Fsettings.py", "%2E%2E"],
)
def test_data_serves_only_the_releases_files(seeded, client, name):
    publish()

    assert client.get(f"/data/{name}").status_code == 404


def test_a_missing_file_is_a_404_not_a_server_error(seeded, client, settings):
    publish()
    release = Release.objects.get()
    (folder(settings) / release.file_name).unlink()

    assert client.get(release.get_absolute_url()).status_code == 404


def test_data_lists_the_releases_newest_first(seeded, client):
    empty = client.get("/data/")
    publish()
    DocumentFactory(identifier="zz-new")
    publish()

    page = client.get("/data/").content.decode()

    assert "No release has been published yet." in empty.content.decode()
    assert page.index("Release 2") < page.index("Release 1")
    for release in Release.objects.all():
        assert release.sha256 in page
        assert release.get_absolute_url() in page
        assert release.changelog_url in page


def test_the_home_page_and_the_api_description_link_to_the_releases(seeded, client):
    assert 'href="/data/"' in client.get("/").content.decode()
    description = client.get("/api/openapi.json").json()["info"]["description"]
    assert "/data/" in description


def test_data_answers_only_get_and_head(seeded, client):
    assert client.post("/data/").status_code == 405
    assert client.delete("/data/releases.json").status_code == 405
