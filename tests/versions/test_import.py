"""Batches bring files in: `files` in JSON Lines and CSV, checked before anything is written,
stored in the import's one transaction, added (never replaced) on re-import, removed by undo,
and written back by the export (issue 9)."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from documents.models import Document
from importing.importer import BatchInvalid, documents_import, import_batch_undo
from importing.models import ImportBatch, ImportChange
from tests.versions.files import image, pdf
from versions.models import DocumentVersion, versions_storage

pytestmark = pytest.mark.django_db


def record(identifier="doc-1", **fields):
    return {"identifier": identifier, "title": f"Title of {identifier}", "date": "1967", **fields}


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "208559.pdf").write_bytes(pdf("Protokol", "samovar diplomacy"))
    (tmp_path / "scans" / "208559-p1.png").write_bytes(image("PNG"))
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "208559-en.txt").write_text("Record of a conversation.", "utf-8")
    return tmp_path


def stored_names() -> set[str]:
    storage = versions_storage()
    names = set()
    for folder in ("versions", "versions/thumbnails"):
        if storage.exists(folder):
            names |= {f"{folder}/{name}" for name in storage.listdir(folder)[1]}
    return names


FILES = [
    {"kind": "original", "language": "ru", "path": "scans/208559.pdf"},
    {"kind": "original", "language": "Russian", "path": "scans/208559-p1.png"},
    {"kind": "translation", "language": "en", "path": "texts/208559-en.txt"},
]


def test_a_jsonl_batch_brings_files_in(folder, write_batch):
    report = documents_import(paths=[write_batch("batch.jsonl", [record("208559", files=FILES)])])
    assert (report.created, report.files_added) == (1, 3)
    assert "files: 3 new" in report.summary()
    scan, page, translation = Document.objects.get(identifier="208559").versions.all()
    assert (scan.kind, scan.language, scan.position, scan.page_count) == ("original", "ru", 0, 2)
    assert "samovar" in scan.extracted_text and scan.thumbnail
    assert scan.original_name == "scans/208559.pdf" and scan.file.name.startswith("versions/")
    assert (page.content_type, page.language) == ("image/png", "ru")
    assert (translation.content_type, translation.extracted_text) == (
        "text/plain",
        "Record of a conversation.",
    )
    assert {v.import_batch_id for v in (scan, page, translation)} == {report.batch.pk}
    with versions_storage().open(scan.file.name) as handle:
        assert handle.read() == (folder / "scans" / "208559.pdf").read_bytes()


def test_a_csv_batch_lists_files_as_kind_language_path(folder, write_batch):
    rows = io.StringIO()
    writer = csv.DictWriter(rows, ["identifier", "title", "date", "files"])
    writer.writeheader()
    writer.writerow(
        {
            "identifier": "208559",
            "title": "A talk",
            "date": "1967",
            "files": "original:ru:scans/208559.pdf; translation:en:texts/208559-en.txt",
        }
    )
    report = documents_import(paths=[write_batch("batch.csv", rows.getvalue())])
    assert report.files_added == 2
    kinds = Document.objects.get().versions.values_list("kind", "language")
    assert list(kinds) == [("original", "ru"), ("translation", "en")]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("original:ru:scans/missing.pdf", "files: 'scans/missing.pdf': no such file"),
        ("original:ru:/etc/passwd", "files: '/etc/passwd' is an absolute path"),
        ("original:ru:../outside.pdf", "files: '../outside.pdf' leaves the batch's folder (..)"),
        ("original:ru:scans/../../x.pdf", "leaves the batch's folder"),
        ("original:ru:scans", "files: 'scans' is not a file"),
        ("original:ru:texts/208559-en.txt", "is plain text: an original scan must be a PDF"),
        ("scan:ru:scans/208559.pdf", "files: entry 1: kind 'scan' is not one of"),
        ("original:xx-klingon:scans/208559.pdf", "is not a language this archive knows"),
        ("original:scans/208559.pdf", "is not kind:language:path"),
        ({"kind": "original", "path": "scans/208559.pdf"}, "needs a kind, a language and a path"),
        (42, "entry 1 must be kind:language:path or an object"),
    ],
)
def test_a_bad_file_is_an_error_of_its_row_and_nothing_is_written(
    folder, write_batch, entry, message
):
    (folder / "outside.pdf").write_bytes(pdf("outside"))
    before = stored_names()
    good = record("good", files=FILES)
    path = write_batch("batch.jsonl", [good, record("bad", files=[entry])])
    with pytest.raises(BatchInvalid) as invalid:
        documents_import(paths=[path])
    assert any(e.startswith(f"{path}:2: files: ") and message in e for e in invalid.value.errors), (
        invalid.value.errors
    )
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert stored_names() == before
    assert ImportBatch.objects.get().outcome == ImportBatch.Outcome.FAILED


def test_a_file_whose_content_is_not_its_type_fails_the_batch(folder, write_batch):
    (folder / "scans" / "fake.pdf").write_bytes(image("PNG"))
    path = write_batch("b.jsonl", [record(files=["original:ru:scans/fake.pdf"])])
    with pytest.raises(BatchInvalid) as invalid:
        documents_import(paths=[path])
    assert invalid.value.errors == [
        f"{path}:1: files: 'scans/fake.pdf' is named .pdf but holds a PNG image, not a PDF"
    ]


def test_an_unreadable_file_fails_the_batch(folder, write_batch, monkeypatch):
    from pathlib import Path

    locked = (folder / "scans" / "208559.pdf").resolve()
    real_open = Path.open

    def open_(self, *args, **kwargs):  # the tests run as root, who can read any file
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)
    path = write_batch("b.jsonl", [record(files=["original:ru:scans/208559.pdf"])])
    with pytest.raises(BatchInvalid) as invalid:
        documents_import(paths=[path])
    assert invalid.value.errors == [
        f"{path}:1: files: 'scans/208559.pdf' cannot be read (Permission denied)"
    ]


def test_a_dry_run_stores_no_file(folder, write_batch):
    before = stored_names()
    report = documents_import(paths=[write_batch("b.jsonl", [record(files=FILES)])], dry_run=True)
    assert report.files_added == 3
    assert not DocumentVersion.objects.exists()
    assert stored_names() == before


def test_a_re_import_adds_only_new_files_and_undo_removes_them(
    folder, write_batch, django_capture_on_commit_callbacks
):
    first = documents_import(paths=[write_batch("a.jsonl", [record(files=FILES[:1])])])
    again = documents_import(paths=[write_batch("a.jsonl", [record(files=FILES[:1])])])
    assert (again.created, again.updated, again.unchanged, again.files_added) == (0, 0, 1, 0)
    later = documents_import(paths=[write_batch("b.jsonl", [record(files=FILES)])])
    assert (later.updated, later.files_added) == (1, 2)
    document = Document.objects.get()
    assert [v.position for v in document.versions.all()] == [0, 1, 2]
    change = ImportChange.objects.get(batch=later.batch)
    assert change.fields == ["files"]
    added = list(document.versions.filter(import_batch=later.batch))
    with django_capture_on_commit_callbacks(execute=True):
        import_batch_undo(batch=later.batch)
    assert document.versions.count() == 1
    assert not any(versions_storage().exists(v.file.name) for v in added)
    document.refresh_from_db()
    assert document.last_import_batch_id == first.batch.pk
    with django_capture_on_commit_callbacks(execute=True):
        import_batch_undo(batch=first.batch)
    assert not DocumentVersion.objects.exists() and not Document.objects.exists()


def test_the_same_file_twice_in_a_record_is_kept_once(folder, write_batch):
    entry = "original:ru:scans/208559.pdf"
    report = documents_import(paths=[write_batch("a.jsonl", [record(files=[entry, entry])])])
    assert report.files_added == 1
    assert "is the same file as entry 1; kept once" in report.warnings[0]


def test_the_import_command_reports_file_errors(folder, write_batch):
    path = write_batch("a.jsonl", [record(files=["original:ru:scans/none.pdf"])])
    err = io.StringIO()
    with pytest.raises(Exception, match="1 error"):
        call_command("import_documents", str(path), stderr=err)
    assert f"{path}:1: files: 'scans/none.pdf': no such file" in err.getvalue()


def test_export_lists_the_files_and_copies_them_to_import_again(
    folder, write_batch, tmp_path_factory
):
    documents_import(paths=[write_batch("a.jsonl", [record("r:1", files=FILES)])])
    out = tmp_path_factory.mktemp("export") / "export.jsonl"
    call_command("export_documents", "--output", str(out), "--with-files", stdout=io.StringIO())
    exported = json.loads(out.read_text().splitlines()[0])
    versions = list(DocumentVersion.objects.all())
    assert exported["files"] == [
        {
            "kind": v.kind,
            "language": v.language,
            "path": f"files/r_1-{v.kind}-{v.language}-{v.pk}{ext}",
        }
        for v, ext in zip(versions, (".pdf", ".png", ".txt"), strict=True)
    ]
    for entry, version in zip(exported["files"], versions, strict=True):
        with versions_storage().open(version.file.name) as handle:
            assert (out.parent / entry["path"]).read_bytes() == handle.read()
    # The export and its folder are a batch: into an empty archive, the same versions.
    Document.objects.all().delete()
    report = documents_import(paths=[out])
    assert (report.created, report.files_added) == (1, 3)
    csv_out = out.parent / "export.csv"
    call_command(
        "export_documents", "--format", "csv", "--output", str(csv_out), stdout=io.StringIO()
    )
    row = next(csv.DictReader(csv_out.open()))
    assert row["files"].count(";") == 2 and row["files"].startswith(
        "original:ru:files/r_1-original-ru-"
    )


def test_a_full_disk_while_storing_files_writes_nothing_and_keeps_no_file(
    folder, write_batch, monkeypatch, db
):
    """Issue 24 (bench/README.md has the same on a real full tmpfs): the disk fills while
    the second file is written; the import says so, writes no document and keeps no file,
    not even the part the failed write left."""
    import errno

    from django.core.management import CommandError

    storage = versions_storage()
    real_save = type(storage).save
    saved = []
    before = stored_names()  # the storage is the process's: other tests' files are in it

    def save(self, name, content, max_length=None):
        if saved:  # the disk fills while the second file is written: part of it is there
            real_save(self, name, content, max_length=max_length)
            raise OSError(errno.ENOSPC, "No space left on device", name)
        saved.append(name)
        return real_save(self, name, content, max_length=max_length)

    monkeypatch.setattr(type(storage), "save", save)
    path = write_batch("batch.jsonl", [record("208559", files=FILES)])
    with pytest.raises(CommandError) as refused:
        call_command("import_documents", str(path), stdout=io.StringIO())
    message = str(refused.value)
    assert message.startswith(
        "Storing the batch's files failed (No space left on device: versions/"
    )
    assert message.endswith(
        "nothing was written and no file of this import was kept. Free space (or mend the "
        "storage) and run it again."
    )
    assert saved and not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert stored_names() == before
    assert not ImportBatch.objects.filter(outcome=ImportBatch.Outcome.SUCCEEDED).exists()
