"""`export_documents`: the batch format out, and back in again (issue 3)."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from documents.models import Collection, Document, DocumentParticipant
from importing.importer import documents_import
from people.models import Person
from tests.archive_state import archive_state, empty_the_archive

pytestmark = pytest.mark.django_db


def export(*args) -> str:
    out = io.StringIO()
    call_command("export_documents", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def rich_archive(seeded, visits_path):
    documents_import(paths=[visits_path])
    mao = Person.objects.get(name="Mao Zedong")
    mao.alternate_names = ["Mao Tse-tung"]
    mao.biography = "Chairman of the Chinese Communist Party."
    mao.save()
    collection = Collection.objects.get(title="Conversations with Kim Il Sung")
    collection.description = "Soviet and East European records of talks with Kim Il Sung."
    collection.save()
    Document.objects.filter(identifier="120189").update(status="draft", text="Line one.\n  Two.")
    Document.objects.filter(identifier="120194").update(
        original_title="Запись беседы А. И. Микояна с Ким Ир Сеном"
    )
    Document.objects.filter(identifier="hsg-visit-2234").update(
        date=datetime.date(1945, 3, 1),
        date_precision="month",
        date_end=None,
        date_end_precision="",
        date_last=datetime.date(1945, 3, 31),
        rights="Public domain.",
    )


def test_jsonl_round_trip_gives_back_every_field(rich_archive, tmp_path):
    before = archive_state()
    path = tmp_path / "archive.jsonl"
    out = io.StringIO()
    call_command("export_documents", "--output", str(path), stdout=out)
    assert out.getvalue() == f"439 document(s) written to {path}\n"

    empty_the_archive()
    report = documents_import(paths=[path])

    assert (report.created, report.updated, report.unchanged) == (439, 0, 0)
    after = archive_state()
    assert after["people"] == before["people"]
    assert after["collections"] == before["collections"]
    assert after["regions"] == before["regions"]
    assert after["documents"].keys() == before["documents"].keys()
    for identifier, document in before["documents"].items():
        assert after["documents"][identifier] == document, identifier


def test_csv_round_trip_keeps_what_csv_can_carry(rich_archive, tmp_path):
    before = archive_state()
    path = tmp_path / "archive.csv"
    call_command("export_documents", "--format", "csv", "--output", str(path), stdout=io.StringIO())

    empty_the_archive()
    documents_import(paths=[path])

    after = archive_state()
    for identifier, document in before["documents"].items():
        restored = after["documents"][identifier]
        assert restored["fields"] == document["fields"], identifier
        assert restored["regions"] == document["regions"]
        assert restored["collections"] == document["collections"]
        # CSV has no column for roles; names and order survive.
        assert [p[0] for p in restored["participants"]] == [p[0] for p in document["participants"]]
    assert {name: dates[:2] for name, dates in after["people"].items()} == {
        name: dates[:2] for name, dates in before["people"].items()
    }


def test_export_takes_the_list_filters(seeded):
    lines = export("--person", "anastas-mikoyan", "--person", "kim-il-sung").splitlines()
    assert sorted(json.loads(line)["identifier"] for line in lines) == ["120189", "120194"]
    lines = export("--region", "east-asia", "--date-from", "1960-08", "--date-to", "1960-08")
    assert len(lines.splitlines()) == 3


def test_export_status_filter(seeded):
    Document.objects.filter(identifier="120194").update(status="draft")
    drafts = [json.loads(line) for line in export("--status", "draft").splitlines()]
    assert [(d["identifier"], d["status"]) for d in drafts] == [("120194", "draft")]
    assert len(export("--status", "published").splitlines()) == 9


def test_exported_record_shape(seeded):
    record = json.loads(export("--q", "Mikoyan plenum"))
    assert record["identifier"] == "120189"
    assert record["date"] == "1956-09-23"
    assert record["language"] == "ru"
    assert record["regions"] == [
        "East Asia > China",
        "East Asia > North Korea",
        "Eastern Europe > Soviet Union",
    ]
    assert record["participants"][0] == {
        "name": "Anastas Mikoyan",
        "role": "author",
        "birth_year": 1895,
        "death_year": 1978,
    }


def test_csv_header_is_the_batch_format(seeded):
    rows = list(csv.DictReader(io.StringIO(export("--format", "csv"))))
    assert len(rows) == 10
    assert list(rows[0]) == [
        "identifier",
        "title",
        "date",
        "date_end",
        "original_title",
        "summary",
        "text",
        "language",
        "source",
        "original_archive",
        "rights",
        "embargo_until",
        "status",
        "collections",
        "regions",
        "participants",
        "files",
    ]
    mikoyan = next(row for row in rows if row["identifier"] == "120194")
    assert mikoyan["participants"] == (
        "Anastas Mikoyan (1895-1978); Kim Il Sung (1912-1994); Peng Dehuai (1898-1974)"
    )


def test_bad_filters_are_a_clear_error(seeded):
    with pytest.raises(CommandError) as raised:
        export("--region", "atlantis", "--date-from", "soon")
    assert "--date-from" in str(raised.value) and "--region" in str(raised.value)


FORMULAS = {
    "title": '=HYPERLINK("http://evil.example/","Click")',
    "summary": "+1 555 0100 and more",
    "source": "@SUM(A1:A9)",
    "rights": "-2 for everyone",
    "original_archive": "'Tis the archive",
}


def test_csv_cells_never_run_as_formulas_and_import_back_unchanged(db, tmp_path):
    """Issue 24: OWASP's CSV injection advice, and the round trip still exact."""
    from tests.factories import DocumentFactory, PersonFactory, RegionFactory

    document = DocumentFactory(identifier="formula-1", **FORMULAS)
    document.regions.set([RegionFactory(name="=Region")])
    DocumentParticipant.objects.create(
        document=document, person=PersonFactory(name="@Someone"), position=0
    )
    path = tmp_path / "formulas.csv"
    call_command("export_documents", "--format", "csv", "--output", str(path), stdout=io.StringIO())
    (row,) = csv.DictReader(path.open(encoding="utf-8", newline=""))
    for name, value in FORMULAS.items():
        assert row[name] == "'" + value  # a spreadsheet shows it as text
    assert row["regions"] == "'=Region" and row["participants"] == "'@Someone"
    for name, cell in row.items():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), name

    before = archive_state()
    report = documents_import(paths=[path])
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    empty_the_archive()
    documents_import(paths=[path])
    restored = archive_state()["documents"]["formula-1"]
    assert restored["fields"] == before["documents"]["formula-1"]["fields"]
    assert restored["regions"] == ["=Region"]
    assert [p[0] for p in restored["participants"]] == ["@Someone"]
