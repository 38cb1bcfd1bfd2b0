"""The batch import: documents_import, parse_batch and the import_documents command.

Batches are built in a temporary folder (the `write_batch` fixture); counts, values and the
exact error texts (`FILE:LINE: field: what is wrong`) are asserted.
"""

import collections
import io
import json
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils.text import slugify

from documents.dates import Precision
from documents.models import Collection, Document, DocumentParticipant, Region, Status
from importing.importer import BatchInvalid, ImportReport, documents_import, parse_batch
from importing.models import ImportBatch
from people.models import Person
from people.names import name_key
from search.models import OutboxEntry
from tests.factories import DocumentFactory, PersonFactory, RegionFactory

ACCEPTED = "(YYYY-MM-DD, YYYY-MM, YYYY, 'June 4, 1984' or 'November 1967')"


def record(identifier="doc-1", **fields):
    """A minimal valid batch record, with `fields` on top."""
    return {"identifier": identifier, "title": f"Title of {identifier}", "date": "1967", **fields}


def counts(report: ImportReport) -> tuple[int, int, int]:
    return report.created, report.updated, report.unchanged


def nothing_in_the_archive() -> dict[str, int]:
    return {
        "documents": Document.objects.count(),
        "people": Person.objects.count(),
        "regions": Region.objects.count(),
        "collections": Collection.objects.count(),
        "participations": DocumentParticipant.objects.count(),
    }


EMPTY = {"documents": 0, "people": 0, "regions": 0, "collections": 0, "participations": 0}

FULL_RECORD = {
    "identifier": "120194",
    "title": "Telegram from A. Mikoyan to the CPSU Central Committee",
    "date": "November 1967",
    "summary": "A meeting with Kim Il Sung\n            reveals the goals.",
    "text": "Line one.\n  Line two.",
    "source": "GARF, f. 5446, op. 98c, d. 718, ll. 12-16.",
    "original_archive": "State Archive of the Russian Federation (GARF)",
    "language": "Russian",
    "rights": "Public domain.",
    "status": "published",
    "collections": ["Conversations with Kim Il Sung"],
    "regions": ["Eastern Europe > Soviet Union", "East Asia > China", "East Asia > North Korea"],
    "participants": [
        {"name": "Anastas Mikoyan (1895-1978)", "role": "author"},
        {"name": "Kim Il Sung (1912- 1994)", "role": "participant"},
        "Chiang, Ching-kuo (Jiang Jingguo)",
    ],
}


# A good batch, JSON Lines ---------------------------------------------------------------------


@pytest.mark.django_db
def test_jsonl_creates_documents_people_regions_and_collections(write_batch):
    path = write_batch("batch.jsonl", [FULL_RECORD, record("doc-2", date="1967-11-05")])

    report = documents_import(paths=[path])

    assert counts(report) == (2, 0, 0)
    assert report.people_created == 3
    assert report.regions_created == 5
    assert report.collections_created == 1
    assert report.warnings == []
    assert report.changes == {}
    assert report.summary() == (
        "2 created, 0 updated, 0 unchanged (people: 3 new, regions: 5 new, collections: 1 new)"
    )
    assert nothing_in_the_archive() == {
        "documents": 2,
        "people": 3,
        "regions": 5,
        "collections": 1,
        "participations": 3,
    }

    document = Document.objects.get(identifier="120194")
    assert document.title == "Telegram from A. Mikoyan to the CPSU Central Committee"
    assert document.date == date(1967, 11, 1)
    assert document.date_precision == Precision.MONTH
    assert document.date_end is None
    assert document.date_end_precision == ""
    assert document.date_last == date(1967, 11, 30)
    assert document.date_display == "November 1967"
    assert document.summary == "A meeting with Kim Il Sung reveals the goals."
    assert document.text == "Line one.\n  Line two."
    assert document.source == "GARF, f. 5446, op. 98c, d. 718, ll. 12-16."
    assert document.original_archive == "State Archive of the Russian Federation (GARF)"
    assert document.language == "ru"
    assert document.rights == "Public domain."
    assert document.status == Status.PUBLISHED
    assert sorted(document.regions.values_list("name", flat=True)) == [
        "China",
        "North Korea",
        "Soviet Union",
    ]
    assert list(document.collections.values_list("title", flat=True)) == [
        "Conversations with Kim Il Sung"
    ]
    assert list(
        document.participations.order_by("position").values_list("person__name", "role", "position")
    ) == [
        ("Anastas Mikoyan", "author", 0),
        ("Kim Il Sung", "participant", 1),
        ("Chiang, Ching-kuo (Jiang Jingguo)", "", 2),
    ]

    other = Document.objects.get(identifier="doc-2")
    assert (other.date, other.date_precision, other.date_last) == (
        date(1967, 11, 5),
        Precision.DAY,
        date(1967, 11, 5),
    )
    assert other.summary == other.text == other.source == other.language == ""
    assert other.status == Status.PUBLISHED
    assert other.regions.count() == other.collections.count() == other.participants.count() == 0


@pytest.mark.django_db
def test_region_paths_build_the_tree(write_batch):
    path = write_batch("batch.jsonl", [FULL_RECORD])

    documents_import(paths=[path])

    east_asia = Region.objects.get(name="East Asia")
    assert east_asia.parent is None
    assert east_asia.slug == "east-asia"
    assert Region.objects.get(name="China").parent == east_asia
    assert Region.objects.get(name="North Korea").parent == east_asia
    assert Region.objects.get(name="Soviet Union").parent == Region.objects.get(
        name="Eastern Europe"
    )
    assert sorted(east_asia.children.values_list("name", flat=True)) == ["China", "North Korea"]
    # The document sits in the places, not in the world regions above them...
    assert not Document.objects.filter(regions=east_asia).exists()
    # ...and filtering by a world region includes everything under it.
    ids = Region.objects.descendant_ids(["east-asia"])
    assert Document.objects.filter(regions__in=ids).distinct().count() == 1


@pytest.mark.django_db
def test_people_with_life_dates(write_batch):
    path = write_batch("batch.jsonl", [FULL_RECORD, record("doc-2", participants=["Tito (1892-)"])])

    documents_import(paths=[path])

    kim = Person.objects.get(name="Kim Il Sung")
    assert (kim.birth_year, kim.death_year, kim.slug) == (1912, 1994, "kim-il-sung")
    assert str(kim) == "Kim Il Sung (1912–1994)"
    assert Person.objects.get(name="Anastas Mikoyan").life_dates == "1895–1978"
    tito = Person.objects.get(name="Tito")
    assert (tito.birth_year, tito.death_year) == (1892, None)
    chiang = Person.objects.get(name_key=name_key("Chiang, Ching-kuo (Jiang Jingguo)"))
    assert chiang.name == "Chiang, Ching-kuo (Jiang Jingguo)"
    assert (chiang.birth_year, chiang.death_year) == (None, None)


# A good batch, CSV ----------------------------------------------------------------------------

CSV_BATCH = (
    "identifier,title,date,date_end,summary,language,status,collections,regions,participants\n"
    'csv-1,First,November 1967,,"Wrapped\n   summary",ru,draft,'
    "Topic A; Topic B,East Asia > China;Eastern Europe > Soviet Union,"
    "Kim Il Sung (1912-1994); Mao Zedong (1893- 1976)\n"
    "csv-2,Second,1945-03-13,1945-03-14,,en,,Topic A,East Asia,\n"
)


@pytest.mark.django_db
def test_csv_creates_documents_with_list_fields_split_on_semicolons(write_batch):
    path = write_batch("batch.csv", CSV_BATCH)

    report = documents_import(paths=[path])

    assert counts(report) == (2, 0, 0)
    assert (report.people_created, report.regions_created, report.collections_created) == (
        2,
        4,
        2,
    )
    assert report.warnings == []
    first = Document.objects.get(identifier="csv-1")
    assert (first.date, first.date_precision, first.date_last) == (
        date(1967, 11, 1),
        Precision.MONTH,
        date(1967, 11, 30),
    )
    assert first.summary == "Wrapped summary"
    assert first.language == "ru"
    assert first.status == Status.DRAFT
    assert sorted(first.collections.values_list("title", flat=True)) == ["Topic A", "Topic B"]
    assert sorted(first.regions.values_list("name", flat=True)) == ["China", "Soviet Union"]
    assert list(first.participations.values_list("person__name", flat=True)) == [
        "Kim Il Sung",
        "Mao Zedong",
    ]
    mao = Person.objects.get(name="Mao Zedong")
    assert (mao.birth_year, mao.death_year) == (1893, 1976)
    assert Region.objects.get(name="China").parent.name == "East Asia"

    second = Document.objects.get(identifier="csv-2")
    assert (second.date, second.date_end, second.date_end_precision) == (
        date(1945, 3, 13),
        date(1945, 3, 14),
        Precision.DAY,
    )
    assert second.date_display == "March 13–14, 1945"
    assert second.status == Status.PUBLISHED
    assert list(second.regions.values_list("name", flat=True)) == ["East Asia"]
    assert second.participants.count() == 0
    assert Collection.objects.get(title="Topic A").documents.count() == 2


@pytest.mark.django_db
def test_csv_and_jsonl_of_the_same_records_are_the_same_batch(write_batch):
    csv_path = write_batch("batch.csv", CSV_BATCH)
    documents_import(paths=[csv_path])
    jsonl_path = write_batch(
        "batch.jsonl",
        [
            {
                "identifier": "csv-1",
                "title": "First",
                "date": "1967-11",
                "summary": "Wrapped summary",
                "language": "Russian",
                "status": "draft",
                "collections": ["Topic A", "Topic B"],
                "regions": ["East Asia > China", "Eastern Europe > Soviet Union"],
                "participants": ["Kim Il Sung", "Mao Zedong"],
            },
            {
                "identifier": "csv-2",
                "title": "Second",
                "date": "March 13, 1945",
                "date_end": "14 March 1945",
                "language": "English",
                "collections": ["topic a"],
                "regions": ["EAST ASIA"],
            },
        ],
    )

    report = documents_import(paths=[jsonl_path])

    assert counts(report) == (0, 0, 2)
    assert report.changes == {}
    assert nothing_in_the_archive()["documents"] == 2


@pytest.mark.django_db
def test_csv_with_a_byte_order_mark_and_crlf(write_batch):
    path = write_batch(
        "batch.csv",
        b"\xef\xbb\xbfidentifier,title,date\r\nbom-1,With a BOM,1967-11\r\n",
    )

    report = documents_import(paths=[path])

    assert counts(report) == (1, 0, 0)
    assert Document.objects.get(identifier="bom-1").date_precision == Precision.MONTH


@pytest.mark.django_db
def test_jsonl_with_a_byte_order_mark_and_blank_lines(write_batch):
    path = write_batch(
        "batch.jsonl",
        "\ufeff" + json.dumps(record("a")) + "\n\n   \n" + json.dumps(record("b")) + "\n",
    )

    report = documents_import(paths=[path])

    assert counts(report) == (2, 0, 0)


@pytest.mark.django_db
def test_several_files_are_one_batch(write_batch):
    first = write_batch("one.jsonl", [record("a", regions=["East Asia > China"])])
    second = write_batch("two.csv", "identifier,title,date,regions\nb,B,1968,China\n")

    report = documents_import(paths=[first, second])

    assert counts(report) == (2, 0, 0)
    assert report.regions_created == 2
    assert Document.objects.filter(regions__slug="china").count() == 2


@pytest.mark.parametrize(
    ("given", "value", "precision", "last"),
    [
        ("1967", date(1967, 1, 1), Precision.YEAR, date(1967, 12, 31)),
        ("1967-11", date(1967, 11, 1), Precision.MONTH, date(1967, 11, 30)),
        ("November 1967", date(1967, 11, 1), Precision.MONTH, date(1967, 11, 30)),
        ("Nov 1967", date(1967, 11, 1), Precision.MONTH, date(1967, 11, 30)),
        ("1968-02", date(1968, 2, 1), Precision.MONTH, date(1968, 2, 29)),
        ("1967-11-05", date(1967, 11, 5), Precision.DAY, date(1967, 11, 5)),
        ("June 4, 1984", date(1984, 6, 4), Precision.DAY, date(1984, 6, 4)),
        ("4 June 1984", date(1984, 6, 4), Precision.DAY, date(1984, 6, 4)),
    ],
)
@pytest.mark.django_db
def test_date_precision_is_kept(write_batch, given, value, precision, last):
    path = write_batch("batch.jsonl", [record("d", date=given)])

    documents_import(paths=[path])

    document = Document.objects.get(identifier="d")
    assert (document.date, document.date_precision, document.date_last) == (
        value,
        precision,
        last,
    )


@pytest.mark.django_db
def test_a_span_with_an_end_of_month_precision(write_batch):
    path = write_batch("batch.jsonl", [record("d", date="November 1967", date_end="1968-02")])

    documents_import(paths=[path])

    document = Document.objects.get(identifier="d")
    assert (document.date, document.date_end) == (date(1967, 11, 1), date(1968, 2, 1))
    assert (document.date_precision, document.date_end_precision) == ("month", "month")
    assert document.date_last == date(1968, 2, 29)
    assert document.date_display == "November 1967 – February 1968"


@pytest.mark.django_db
def test_an_end_inside_its_start_month_is_accepted_or_rejected_but_never_crashes(write_batch):
    """A span "1967-11-15" to "1967-11": DateSpan accepts it (the end month's last day is after
    the start), so the import must either store it or report it as a batch error; it must not
    fail in the database with an IntegrityError half-way through the write."""
    path = write_batch("batch.jsonl", [record("d", date="1967-11-15", date_end="1967-11")])

    try:
        documents_import(paths=[path])
    except BatchInvalid as invalid:
        assert len(invalid.errors) == 1
        assert invalid.errors[0].startswith(f"{path}:1: date_end: ")
        assert Document.objects.count() == 0
    else:
        document = Document.objects.get(identifier="d")
        assert document.date_last == date(1967, 11, 30)


# Re-import ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reimport_of_the_same_file_changes_nothing(write_batch):
    path = write_batch("batch.jsonl", [FULL_RECORD, record("doc-2"), record("doc-3")])
    documents_import(paths=[path])
    modified = dict(Document.objects.values_list("identifier", "modified"))
    people = list(Person.objects.order_by("id").values())
    regions = list(Region.objects.order_by("id").values())

    report = documents_import(paths=[path])

    assert counts(report) == (0, 0, 3)
    assert (report.people_created, report.regions_created, report.collections_created) == (
        0,
        0,
        0,
    )
    assert report.changes == {}
    assert report.warnings == []
    assert report.summary() == (
        "0 created, 0 updated, 3 unchanged (people: 0 new, regions: 0 new, collections: 0 new)"
    )
    assert dict(Document.objects.values_list("identifier", "modified")) == modified
    assert list(Person.objects.order_by("id").values()) == people
    assert list(Region.objects.order_by("id").values()) == regions
    assert nothing_in_the_archive()["participations"] == 3


@pytest.mark.django_db
def test_a_changed_title_is_one_update(write_batch):
    documents_import(paths=[write_batch("first.jsonl", [record("a"), record("b")])])
    before = dict(Document.objects.values_list("identifier", "modified"))

    changed = record("a", title="A better title")
    report = documents_import(paths=[write_batch("second.jsonl", [changed, record("b")])])

    assert counts(report) == (0, 1, 1)
    assert report.changes == {"a": ["title"]}
    assert Document.objects.get(identifier="a").title == "A better title"
    after = dict(Document.objects.values_list("identifier", "modified"))
    assert after["b"] == before["b"]
    assert after["a"] >= before["a"]


@pytest.mark.django_db
def test_changes_name_every_changed_field_and_relation(write_batch):
    documents_import(paths=[write_batch("first.jsonl", [FULL_RECORD])])

    changed = {
        **FULL_RECORD,
        "date": "1967-11-05",
        "summary": "Another summary.",
        "regions": ["East Asia > China"],
        "participants": [{"name": "Anastas Mikoyan", "role": "author"}],
    }
    report = documents_import(paths=[write_batch("second.jsonl", [changed])])

    assert counts(report) == (0, 1, 0)
    # Changes are named by field as a researcher sees it: the date is one field.
    assert report.changes == {"120194": ["date", "summary", "regions", "participants"]}
    document = Document.objects.get(identifier="120194")
    assert (document.date, document.date_precision) == (date(1967, 11, 5), Precision.DAY)
    assert list(document.regions.values_list("name", flat=True)) == ["China"]
    assert list(document.participants.values_list("name", flat=True)) == ["Anastas Mikoyan"]
    # People and regions no longer linked are kept.
    assert Person.objects.count() == 3
    assert Region.objects.count() == 5


@pytest.mark.django_db
def test_the_same_date_written_another_way_is_unchanged(write_batch):
    documents_import(paths=[write_batch("first.jsonl", [record("a", date="November 1967")])])

    report = documents_import(paths=[write_batch("second.jsonl", [record("a", date="1967-11")])])

    assert counts(report) == (0, 0, 1)


@pytest.mark.django_db
def test_absent_status_keeps_an_archivists_draft_a_draft(write_batch):
    path = write_batch("batch.jsonl", [record("a"), record("b")])
    documents_import(paths=[path])
    assert set(Document.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    Document.objects.filter(identifier="a").update(status=Status.DRAFT)

    report = documents_import(paths=[path])

    assert counts(report) == (0, 0, 2)
    assert Document.objects.get(identifier="a").status == Status.DRAFT

    # A batch that says "published", as the first one did, brings nothing new: the hold stays.
    publish = write_batch("publish.jsonl", [record("a", status="published"), record("b")])
    report = documents_import(paths=[publish])

    assert counts(report) == (0, 0, 2)
    assert report.conflicts == []
    assert Document.objects.get(identifier="a").status == Status.DRAFT

    report = documents_import(paths=[publish], overwrite_edits=True)

    assert counts(report) == (0, 1, 1)
    assert report.changes == {"a": ["status"]}
    assert Document.objects.get(identifier="a").status == Status.PUBLISHED


@pytest.mark.django_db
def test_an_existing_document_made_elsewhere_is_updated_by_identifier(write_batch):
    """A document an archivist made by hand is theirs: a batch changes it only when told to."""
    DocumentFactory(identifier="120194", title="Old title", date=date(1956, 9, 21))
    path = write_batch("batch.jsonl", [FULL_RECORD])

    report = documents_import(paths=[path])

    assert counts(report) == (0, 0, 1)
    assert f"{path}:1: title: changed by an archivist" in report.conflicts[0]
    assert Document.objects.get(identifier="120194").title == "Old title"

    report = documents_import(paths=[path], overwrite_edits=True)

    assert counts(report) == (0, 1, 0)
    assert Document.objects.count() == 1
    assert Document.objects.get(identifier="120194").title == FULL_RECORD["title"]


# Bad batches ----------------------------------------------------------------------------------


def bad_jsonl_batch() -> bytes:
    lines = [
        json.dumps(
            record(
                "ok-1",
                regions=["East Asia > China"],
                participants=["Kim Il Sung (1912-1994)"],
                collections=["New collection"],
            )
        ).encode(),
        json.dumps({"identifier": "bad-2", "date": "1967"}).encode(),
        json.dumps(record("bad-3", date="Smarch 1967")).encode(),
        json.dumps(record("bad-4", date="1967-11-05", date_end="1967-11-04")).encode(),
        json.dumps(record("ok-1", title="The same identifier again")).encode(),
        json.dumps(record("bad-6", status="secret")).encode(),
        json.dumps(record("bad-7", language="Klingon")).encode(),
        b'{"identifier": "bad-8" "title": "T", "date": "1967"}',
        b'{"identifier": "bad-9", "title": "Caf\xe9", "date": "1967"}',
        b"",
        json.dumps(record("ok-11", colour="red")).encode(),
        json.dumps(record("bad-12", date="1967-13", date_end="1967-02-30")).encode(),
        json.dumps({"title": "No identifier", "date": ""}).encode(),
        b"[1, 2, 3]",
    ]
    return b"\n".join(lines) + b"\n"


def expected_jsonl_errors(path) -> list[str]:
    return [
        f"{path}:2: title: is required",
        f"{path}:3: date: 'Smarch 1967' names no month this archive knows",
        f"{path}:4: date_end: ends (November 4, 1967) before it begins (November 5, 1967)",
        f"{path}:5: identifier: 'ok-1' is repeated (first at {path}:1)",
        f"{path}:6: status: 'secret' is not one of: draft, published",
        f"{path}:7: language: 'Klingon' is not a language this archive knows "
        "(write an ISO 639 code such as ru, or a name such as Russian)",
        f"{path}:8: not valid JSON: Expecting ',' delimiter (column 24)",
        f"{path}:9: not UTF-8 text (byte 38 of the line)",
        f"{path}:12: date: '1967-13' has no month 13",
        f"{path}:12: date_end: '1967-02-30' is not a day of the calendar",
        f"{path}:13: identifier: is required",
        f"{path}:13: date: is required",
        f"{path}:14: a record must be a JSON object",
    ]


@pytest.mark.django_db
def test_a_bad_batch_lists_every_error_and_writes_nothing(write_batch):
    existing = DocumentFactory(identifier="ok-1", title="Kept as it is")
    path = write_batch("bad.jsonl", bad_jsonl_batch())
    before = nothing_in_the_archive()

    with pytest.raises(BatchInvalid) as raised:
        documents_import(paths=[path])

    assert raised.value.errors == expected_jsonl_errors(path)
    assert str(raised.value) == "13 error(s) in the batch"
    assert raised.value.warnings == [f"{path}:11: colour: unknown field, ignored"]
    assert nothing_in_the_archive() == before == {**EMPTY, "documents": 1}
    assert Document.objects.get().title == existing.title == "Kept as it is"
    assert not Person.objects.exists()
    assert not Region.objects.exists()
    assert not Collection.objects.exists()


def test_parse_batch_raises_the_same_errors_without_a_database(write_batch):
    path = write_batch("bad.jsonl", bad_jsonl_batch())

    with pytest.raises(BatchInvalid) as raised:
        parse_batch([path])

    assert raised.value.errors == expected_jsonl_errors(path)


@pytest.mark.django_db
def test_a_dry_run_of_a_bad_batch_fails_the_same_way(write_batch):
    path = write_batch("bad.jsonl", bad_jsonl_batch())

    with pytest.raises(BatchInvalid) as raised:
        documents_import(paths=[path], dry_run=True)

    assert raised.value.errors == expected_jsonl_errors(path)
    assert nothing_in_the_archive() == EMPTY


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"title": ""}, "title: is required"),
        ({"title": "   "}, "title: is required"),
        ({"title": "x" * 501}, "title: is 501 characters long; the most is 500"),
        ({"date": "next week"}, f"date: 'next week' is not a date {ACCEPTED}"),
        ({"date": "0000"}, "date: '0000' has no year 0"),
        ({"date": None}, "date: is required"),
        ({"date_end": "1966"}, "date_end: ends (1966) before it begins (1967)"),
        ({"date_end": "Smarch 1968"}, "date_end: 'Smarch 1968' names no month this archive knows"),
        ({"status": "Published"}, "status: 'Published' is not one of: draft, published"),
        ({"language": "Elvish"}, None),
        ({"regions": "East Asia > "}, "regions: 'East Asia >' has an empty place in its path"),
        ({"regions": {"a": 1}}, "regions: must be a list, not dict"),
        ({"regions": ["China", 7]}, "regions: entry 2 must be non-empty text"),
        ({"collections": [""]}, "collections: entry 1 must be a non-empty title"),
        ({"participants": [None]}, "participants: entry 1 must be a non-empty name"),
        (
            {"participants": [{"name": "Kim Il Sung", "role": "host"}]},
            "participants: entry 1 has role 'host', not one of: "
            "author, recipient, participant, mentioned",
        ),
        (
            {"participants": ["Somebody (1990-1980)"]},
            "participants: 'Somebody (1990-1980)' dies (1980) before birth (1990)",
        ),
    ],
)
def test_each_kind_of_bad_field(write_batch, fields, error):
    path = write_batch("bad.jsonl", [record("doc-1", **fields)])

    with pytest.raises(BatchInvalid) as raised:
        parse_batch([path])

    assert len(raised.value.errors) == 1
    if error is None:  # the message is long; its start is what matters here
        field_name = next(iter(fields))
        assert raised.value.errors[0].startswith(f"{path}:1: {field_name}: '")
    else:
        assert raised.value.errors == [f"{path}:1: {error}"]


@pytest.mark.parametrize("identifier", ["has space", "-starts-with-dash", "x" * 101, "a/b"])
def test_identifier_rules_message(write_batch, identifier):
    path = write_batch("bad.jsonl", [record(identifier)])

    with pytest.raises(BatchInvalid) as raised:
        parse_batch([path])

    assert raised.value.errors == [
        f"{path}:1: identifier: '{identifier}' may hold only letters, digits and . _ : - "
        "(at most 100, starting with a letter or digit)"
    ]


def test_a_title_that_is_not_text(write_batch):
    path = write_batch("bad.jsonl", [record("a", title=42)])

    with pytest.raises(BatchInvalid) as raised:
        parse_batch([path])

    assert raised.value.errors[0] == f"{path}:1: title: must be text, not int"


NUL = "contains the character U+0000 (NUL), which cannot be stored"


@pytest.mark.django_db
def test_a_nul_character_is_an_error_and_the_failure_is_recorded(write_batch):
    """PostgreSQL's text and jsonb cannot hold U+0000: the batch is refused with the fields
    named, and its failure is stored with the character shown as \\x00."""
    path = write_batch(
        "bad.jsonl",
        [
            record("a", title="a\x00b"),
            record("b", participants=[{"name": "Kim\x00", "role": "author"}]),
            record("c", date="19\x0067"),
        ],
    )
    before = nothing_in_the_archive()

    with pytest.raises(BatchInvalid) as raised:
        documents_import(paths=[path])

    not_a_date = "date: '19\x0067' is not a date"
    assert raised.value.errors[:3] == [
        f"{path}:1: title: {NUL}",
        f"{path}:2: participants: {NUL}",
        f"{path}:3: date: {NUL}",
    ]
    assert raised.value.errors[3].startswith(f"{path}:3: {not_a_date}")
    assert nothing_in_the_archive() == before
    failed = ImportBatch.objects.get()
    assert failed.outcome == ImportBatch.Outcome.FAILED
    assert failed.errors[3].startswith(f"{path}:3: date: '19\\x0067' is not a date")


@pytest.mark.django_db
def test_a_nul_character_in_a_csv_cell_is_an_error(write_batch):
    path = write_batch(
        "bad.csv", "identifier,title,date,regions\na,T\x00,1967,\nb,T,1967,Asia\x00\n"
    )

    with pytest.raises(BatchInvalid) as raised:
        documents_import(paths=[path])

    assert raised.value.errors == [f"{path}:2: title: {NUL}", f"{path}:3: regions: {NUL}"]
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_an_unknown_field_named_with_a_nul_is_a_stored_warning(write_batch):
    path = write_batch("batch.jsonl", [{**record("a"), "\x00x": 1}])

    report = documents_import(paths=[path])

    assert counts(report) == (1, 0, 0)
    assert ImportBatch.objects.get().warnings == [f"{path}:1: \\x00x: unknown field, ignored"]


def test_a_number_is_a_valid_identifier(write_batch):
    path = write_batch("batch.jsonl", [record(120194)])

    rows, warnings = parse_batch([path])

    assert [row.identifier for row in rows] == ["120194"]
    assert warnings == []


def test_a_participant_without_a_role_is_accepted(write_batch):
    """The role is optional (the model allows a blank role, and a bare name gets none)."""
    path = write_batch("batch.jsonl", [record("a", participants=[{"name": "Kim Il Sung"}])])

    rows, warnings = parse_batch([path])

    assert [(p.name, p.role) for p in rows[0].participants] == [("Kim Il Sung", "")]


def test_a_name_given_twice_is_kept_once_with_a_warning(write_batch):
    path = write_batch(
        "batch.jsonl", [record("a", participants=["Kim Il Sung", "KIM IL SUNG (1912-1994)"])]
    )

    rows, warnings = parse_batch([path])

    assert [p.name for p in rows[0].participants] == ["Kim Il Sung"]
    assert warnings == [f"{path}:1: participants: 'KIM IL SUNG' is named twice; kept once"]


def test_a_repeated_identifier_across_files(write_batch):
    first = write_batch("one.jsonl", [record("a")])
    second = write_batch("two.csv", "identifier,title,date\nb,B,1967\na,Again,1967\n")

    with pytest.raises(BatchInvalid) as raised:
        parse_batch([first, second])

    assert raised.value.errors == [f"{second}:3: identifier: 'a' is repeated (first at {first}:1)"]


@pytest.mark.django_db
def test_a_bad_csv_batch_lists_every_error_with_its_line(write_batch):
    path = write_batch(
        "bad.csv",
        "identifier,title,date,date_end,status,language,colour\n"
        "c-1,Fine,1967,,,,red\n"
        'c-2,"A title\nover two lines",1967-02-30,,,,\n'
        "c-3,,1967,,,,\n"
        "c-4,T,1967-11-05,1967-11-04,hidden,Klingon,\n"
        "c-1,Again,1967,,,,\n"
        "c-6,T,1967,,,,,one cell too many\n",
    )

    with pytest.raises(BatchInvalid) as raised:
        documents_import(paths=[path])

    assert raised.value.errors == [
        f"{path}:3: date: '1967-02-30' is not a day of the calendar",
        f"{path}:5: title: is required",
        f"{path}:6: date_end: ends (November 4, 1967) before it begins (November 5, 1967)",
        f"{path}:6: language: 'Klingon' is not a language this archive knows "
        "(write an ISO 639 code such as ru, or a name such as Russian)",
        f"{path}:6: status: 'hidden' is not one of: draft, published",
        f"{path}:7: identifier: 'c-1' is repeated (first at {path}:2)",
        f"{path}:8: the row has more cells than the header",
    ]
    assert raised.value.warnings == [
        f"{path}:{line}: colour: unknown field, ignored" for line in (2, 3, 5, 6, 7)
    ]
    assert nothing_in_the_archive() == EMPTY


@pytest.mark.django_db
def test_csv_that_is_not_utf8(write_batch):
    path = write_batch("bad.csv", b"identifier,title,date\nc-1,Fine,1967\nc-2,Caf\xe9,1967\n")

    with pytest.raises(BatchInvalid) as raised:
        documents_import(paths=[path])

    assert raised.value.errors == [f"{path}:3: not UTF-8 text"]
    assert nothing_in_the_archive() == EMPTY


def test_malformed_csv_quoting_names_the_bad_line(write_batch):
    path = write_batch(
        "bad.csv", 'identifier,title,date\nc-1,Fine,1967\nc-2,"Bad"quote,1967\nc-3,Fine,1967\n'
    )

    with pytest.raises(BatchInvalid) as raised:
        parse_batch([path])

    assert raised.value.errors == [f"{path}:3: malformed CSV: ',' expected after '\"'"]


def test_truncated_json_line_names_the_column_within_the_line(write_batch):
    """The line `{"identifier": "bad-8", "title": ` (33 characters) ends where a value was
    expected: the error is at column 34 of that line, not at column 1."""
    path = write_batch(
        "bad.jsonl", json.dumps(record("a")) + '\n{"identifier": "bad-8", "title": \n'
    )

    with pytest.raises(BatchInvalid) as raised:
        parse_batch([path])

    assert raised.value.errors == [f"{path}:2: not valid JSON: Expecting value (column 34)"]


def test_invalid_json_names_the_column(write_batch):
    path = write_batch("bad.jsonl", "{'identifier': 'a', 'title': 'T', 'date': 1967}\n")

    with pytest.raises(BatchInvalid) as raised:
        parse_batch([path])

    assert raised.value.errors == [
        f"{path}:1: not valid JSON: Expecting property name enclosed in double quotes (column 2)"
    ]


def test_a_csv_header_with_a_repeated_column(write_batch):
    path = write_batch("bad.csv", "identifier,title,date,title\nc-1,T,1967,T\n")

    with pytest.raises(BatchInvalid) as raised:
        parse_batch([path])

    assert raised.value.errors == [f"{path}:1: header: column(s) title appear twice"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.jsonl", ""),
        ("blank.jsonl", "\n  \n\n"),
        ("empty.csv", ""),
        ("header-only.csv", "identifier,title,date\n"),
    ],
)
@pytest.mark.django_db
def test_an_empty_file_is_an_error(write_batch, name, content):
    path = write_batch(name, content)

    with pytest.raises(BatchInvalid) as raised:
        documents_import(paths=[path])

    assert raised.value.errors == [f"{path}: the file holds no records"]
    assert nothing_in_the_archive() == EMPTY


@pytest.mark.django_db
def test_an_empty_file_beside_a_good_one_writes_nothing(write_batch):
    good = write_batch("good.jsonl", [record("a")])
    empty = write_batch("empty.jsonl", "")

    with pytest.raises(BatchInvalid) as raised:
        documents_import(paths=[good, empty])

    assert raised.value.errors == [f"{empty}: the file holds no records"]
    assert nothing_in_the_archive() == EMPTY


def test_missing_file_and_unknown_format(tmp_path, write_batch):
    missing = tmp_path / "missing.jsonl"
    other = write_batch("batch.xml", "<documents/>")

    with pytest.raises(BatchInvalid) as raised:
        parse_batch([missing, other])

    assert raised.value.errors == [
        f"{missing}: no such file",
        f"{other}: unknown format '.xml' (expected .jsonl, .jsonl.gz or .csv)",
    ]


# Warnings -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_field_is_a_warning_not_an_error(write_batch):
    path = write_batch("batch.jsonl", [record("a", colour="red", classification="SECRET")])

    report = documents_import(paths=[path])

    assert counts(report) == (1, 0, 0)
    assert report.warnings == [
        f"{path}:1: classification: unknown field, ignored",
        f"{path}:1: colour: unknown field, ignored",
    ]
    assert Document.objects.get().identifier == "a"


@pytest.mark.django_db
def test_a_region_kept_under_its_parent_is_reported(write_batch):
    documents_import(
        paths=[write_batch("first.jsonl", [record("a", regions=["East Asia > China"])])]
    )

    path = write_batch("second.jsonl", [record("b", regions=["Eastern Europe > China"])])
    report = documents_import(paths=[path])

    assert report.warnings == [
        f"{path}:1: regions: 'China' stays under East Asia, not under 'Eastern Europe'"
    ]
    assert Region.objects.get(name="China").parent.name == "East Asia"
    assert Document.objects.filter(regions__slug="china").count() == 2


@pytest.mark.django_db
def test_a_top_level_region_is_placed_under_its_parent(write_batch):
    china = RegionFactory(name="China", slug="china")

    report = documents_import(
        paths=[write_batch("batch.jsonl", [record("a", regions=["East Asia > China"])])]
    )

    assert report.regions_created == 1
    china.refresh_from_db()
    assert china.parent.name == "East Asia"


# Dry run --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_dry_run_writes_nothing_and_counts_like_the_real_run(write_batch):
    path = write_batch("batch.jsonl", [FULL_RECORD, record("doc-2", colour="red")])

    dry = documents_import(paths=[path], dry_run=True)

    assert nothing_in_the_archive() == EMPTY
    assert dry.dry_run is True

    real = documents_import(paths=[path])

    assert real.dry_run is False
    for attribute in (
        "created",
        "updated",
        "unchanged",
        "people_created",
        "regions_created",
        "collections_created",
        "warnings",
        "changes",
    ):
        assert getattr(dry, attribute) == getattr(real, attribute), attribute
    assert counts(dry) == (2, 0, 0)
    assert (dry.people_created, dry.regions_created, dry.collections_created) == (3, 5, 1)
    assert dry.summary() == real.summary()


@pytest.mark.django_db
def test_a_dry_run_of_an_update_reports_the_changes_and_keeps_the_old_values(write_batch):
    documents_import(paths=[write_batch("first.jsonl", [record("a"), record("b")])])
    before = list(Document.objects.order_by("id").values())

    path = write_batch("second.jsonl", [record("a", title="New"), record("b"), record("c")])
    dry = documents_import(paths=[path], dry_run=True)

    assert counts(dry) == (1, 1, 1)
    assert dry.changes == {"a": ["title"]}
    assert list(Document.objects.order_by("id").values()) == before

    real = documents_import(paths=[path])
    assert counts(real) == counts(dry)
    assert real.changes == dry.changes


# People ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_names_are_matched_not_multiplied(write_batch):
    path = write_batch(
        "batch.jsonl",
        [
            record("a", participants=["Kim Il Sung", "Károly Práth", "A.M. Puzanov"]),
            record("b", participants=["KIM IL SUNG", "Karoly Prath", "A. M. Puzanov"]),
            record("c", participants=["kim il-sung"]),
        ],
    )

    report = documents_import(paths=[path])

    assert report.people_created == 3
    assert Person.objects.count() == 3
    kim = Person.objects.get(name_key="kim il sung")
    assert kim.name == "Kim Il Sung"
    assert kim.documents.count() == 3
    assert Person.objects.get(name="Károly Práth").documents.count() == 2
    assert Person.objects.get(name="A.M. Puzanov").documents.count() == 2


@pytest.mark.django_db
def test_names_match_people_already_in_the_archive(write_batch):
    kim = PersonFactory(name="Kim Il Sung")

    report = documents_import(
        paths=[write_batch("batch.jsonl", [record("a", participants=["KIM IL SUNG"])])]
    )

    assert report.people_created == 0
    assert list(Document.objects.get().participants.all()) == [kim]


@pytest.mark.django_db
def test_life_dates_fill_a_persons_missing_years(write_batch):
    kim = PersonFactory(name="Kim Il Sung")
    tito = PersonFactory(name="Tito", birth_year=1892)

    report = documents_import(
        paths=[
            write_batch(
                "batch.jsonl",
                [record("a", participants=["Kim Il Sung (1912-1994)", "Tito (1892-1980)"])],
            )
        ]
    )

    assert report.warnings == []
    assert report.people_created == 0
    kim.refresh_from_db()
    tito.refresh_from_db()
    assert (kim.birth_year, kim.death_year) == (1912, 1994)
    assert (tito.birth_year, tito.death_year) == (1892, 1980)


@pytest.mark.django_db
def test_a_conflicting_life_year_is_kept_and_reported(write_batch):
    kim = PersonFactory(name="Kim Il Sung", birth_year=1911)
    path = write_batch("batch.jsonl", [record("a", participants=["KIM IL SUNG (1912-1994)"])])

    report = documents_import(paths=[path])

    assert report.warnings == [
        f"{path}:1: participants: Kim Il Sung's birth year is 1911 in the archive and 1912 "
        "in the batch; kept 1911"
    ]
    kim.refresh_from_db()
    assert (kim.birth_year, kim.death_year) == (1911, 1994)
    assert kim.name == "Kim Il Sung"


@pytest.mark.django_db
def test_life_dates_that_would_end_before_they_begin_are_left_alone(write_batch):
    person = PersonFactory(name="Somebody", birth_year=1950)
    path = write_batch("batch.jsonl", [record("a", participants=["Somebody (1900-1940)"])])

    report = documents_import(paths=[path])

    assert report.warnings == [
        f"{path}:1: participants: Somebody's birth year is 1950 in the archive and 1900 in the "
        "batch; kept 1950",
        f"{path}:1: participants: Somebody's life dates would end before they begin; "
        "left as they were",
    ]
    person.refresh_from_db()
    assert (person.birth_year, person.death_year) == (1950, None)
    assert Document.objects.count() == 1


@pytest.mark.parametrize("already_known", [False, True])
@pytest.mark.django_db
def test_life_dates_on_a_later_mention_in_the_same_batch_are_not_lost(write_batch, already_known):
    """A person first named bare and later with life dates gets those dates."""
    if already_known:
        PersonFactory(name="Kim Il Sung")
    path = write_batch(
        "batch.jsonl",
        [
            record("a", participants=["Kim Il Sung"]),
            record("b", participants=["Kim Il Sung (1912-1994)"]),
        ],
    )

    report = documents_import(paths=[path])

    assert report.people_created == (0 if already_known else 1)
    assert report.warnings == []
    kim = Person.objects.get()
    assert (kim.birth_year, kim.death_year) == (1912, 1994)


@pytest.mark.django_db
def test_collections_are_matched_by_title(write_batch):
    path = write_batch(
        "batch.jsonl",
        [
            record("a", collections=["Conversations with Kim Il Sung"]),
            record("b", collections=["CONVERSATIONS WITH KIM IL SUNG", "Korean War, 1950-1953"]),
        ],
    )

    report = documents_import(paths=[path])

    assert report.collections_created == 2
    assert Collection.objects.count() == 2
    conversations = Collection.objects.get(slug="conversations-with-kim-il-sung")
    assert conversations.documents.count() == 2
    assert Collection.objects.get(slug="korean-war-1950-1953").documents.count() == 1


@pytest.mark.django_db
def test_a_new_collection_takes_its_first_spelling_like_a_new_person(write_batch):
    """People and regions are named by their first mention in a batch; so are collections."""
    path = write_batch(
        "batch.jsonl",
        [
            record(
                "a", collections=["Conversations with Kim Il Sung"], participants=["Kim Il Sung"]
            ),
            record(
                "b", collections=["CONVERSATIONS WITH KIM IL SUNG"], participants=["KIM IL SUNG"]
            ),
        ],
    )

    documents_import(paths=[path])

    assert Person.objects.get().name == "Kim Il Sung"
    assert Collection.objects.get().title == "Conversations with Kim Il Sung"


# The command ----------------------------------------------------------------------------------


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_documents", *map(str, args), stdout=out, stderr=err, no_color=True)
    return out.getvalue(), err.getvalue()


CAUGHT_UP = re.compile(
    r"The search index caught up \d+\.\d s after the import began: the lists show it\.\n\Z"
)


def counts_line(out: str) -> str:
    """The import's line of counts; the line after it says when the index caught up."""
    counts, caught_up = out.splitlines(keepends=True)
    assert CAUGHT_UP.match(caught_up), caught_up
    return counts


@pytest.mark.django_db
def test_command_can_end_without_waiting_for_the_index(write_batch, settings):
    """`--no-index-wait`: the counts line only, and the outbox left for `index_documents`."""
    settings.ARCHIVE_INDEX_INLINE = False
    path = write_batch("batch.jsonl", [record("doc-1"), record("doc-2")])

    out, err = run_command(path, "--no-index-wait")

    assert out.endswith(f"[import #{ImportBatch.objects.latest('id').pk}]\n")
    assert "caught up" not in out and err == ""
    assert OutboxEntry.objects.count() == 2


@pytest.mark.django_db
def test_command_prints_one_line_of_counts(write_batch):
    path = write_batch("batch.jsonl", [FULL_RECORD, record("doc-2")])

    out, err = run_command(path)

    first = ImportBatch.objects.latest("id")
    assert counts_line(out) == (
        "2 created, 0 updated, 0 unchanged (people: 3 new, regions: 5 new, collections: 1 new)"
        f" [import #{first.pk}]\n"
    )
    assert err == ""

    out, err = run_command(path)

    assert counts_line(out) == (
        "0 created, 0 updated, 2 unchanged (people: 0 new, regions: 0 new, collections: 0 new)"
        f" [import #{first.pk + 1}]\n"
    )
    assert err == ""


@pytest.mark.django_db
def test_command_prints_warnings_on_stderr(write_batch):
    path = write_batch("batch.jsonl", [record("a", colour="red")])

    out, err = run_command(path)

    assert counts_line(out) == (
        "1 created, 0 updated, 0 unchanged (people: 0 new, regions: 0 new, collections: 0 new)"
        f" [import #{ImportBatch.objects.latest('id').pk}]\n"
    )
    assert err == f"warning: {path}:1: colour: unknown field, ignored\n"


@pytest.mark.django_db
def test_command_on_a_bad_file_prints_every_error_and_fails(write_batch):
    path = write_batch("bad.jsonl", bad_jsonl_batch())

    with pytest.raises(CommandError) as raised:
        run_command(path)

    assert str(raised.value) == "13 error(s); nothing was written."
    assert nothing_in_the_archive() == EMPTY


@pytest.mark.django_db
def test_command_error_lines_go_to_stderr(write_batch):
    path = write_batch("bad.jsonl", bad_jsonl_batch())
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_documents", str(path), stdout=out, stderr=err, no_color=True)

    assert out.getvalue() == ""
    assert err.getvalue().splitlines() == [
        f"warning: {path}:11: colour: unknown field, ignored",
        *expected_jsonl_errors(path),
    ]


@pytest.mark.django_db
def test_command_dry_run(write_batch):
    documents_import(paths=[write_batch("first.jsonl", [record("a"), record("b")])])
    path = write_batch("second.jsonl", [record("a", title="New"), record("b"), record("c")])
    out, err = io.StringIO(), io.StringIO()

    call_command("import_documents", str(path), "--dry-run", stdout=out, stderr=err, no_color=True)

    assert out.getvalue().splitlines() == [
        "would update a: title",
        "Dry run, nothing written: 1 created, 1 updated, 1 unchanged "
        "(people: 0 new, regions: 0 new, collections: 0 new)",
    ]
    assert err.getvalue() == ""
    assert Document.objects.count() == 2
    assert Document.objects.get(identifier="a").title == "Title of a"


# The real visits data -------------------------------------------------------------------------


def read_visits(path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture
def visits(visits_path, db):
    records = read_visits(visits_path)
    report = documents_import(paths=[visits_path])
    return records, report


def test_visits_import_counts(visits):
    records, report = visits

    assert len(records) == 429
    assert counts(report) == (len(records), 0, 0)
    assert Document.objects.count() == len(records) == 429
    assert report.warnings == []
    people = {name_key(name) for r in records for name in r["participants"]}
    regions = {region for r in records for region in r["regions"]}
    collections = {title for r in records for title in r["collections"]}
    assert report.people_created == Person.objects.count() == len(people)
    assert report.regions_created == Region.objects.count() == len(regions)
    assert report.collections_created == Collection.objects.count() == len(collections) == 1
    assert set(Document.objects.values_list("identifier", flat=True)) == {
        r["identifier"] for r in records
    }


def test_visits_per_region(visits):
    records, _report = visits
    per_region = collections.Counter(region for r in records for region in set(r["regions"]))

    assert len(per_region) >= 10
    for name, expected in per_region.items():
        slug = slugify(name)
        assert Region.objects.get(slug=slug).name == name
        assert Document.objects.filter(regions__slug=slug).count() == expected, name
    assert Document.objects.filter(regions__slug="western-europe").count() == sum(
        1 for r in records if "Western Europe" in r["regions"]
    )


@pytest.mark.parametrize(
    "name", ["Menzies", "Adenauer", "Macmillan", "de Gaulle", "Kishi", "Sihanouk", "Nehru"]
)
def test_visits_per_participant(visits, name):
    records, _report = visits
    expected = sum(1 for r in records if name_key(name) in {name_key(p) for p in r["participants"]})

    assert expected > 0
    person = Person.objects.get(name_key=name_key(name))
    assert person.name == name
    assert Document.objects.filter(participants=person).count() == expected
    assert Document.objects.filter(participants__slug=person.slug).count() == expected


def test_visits_per_participant_all_people(visits):
    records, _report = visits
    expected = collections.Counter(
        name_key(p) for r in records for p in {name_key(x): x for x in r["participants"]}.values()
    )
    actual = collections.Counter(
        dict(
            DocumentParticipant.objects.order_by()
            .values("person__name_key")
            .annotate(n=Count("id"))
            .values_list("person__name_key", "n")
        )
    )

    assert actual == expected


def test_visits_per_decade(visits):
    records, _report = visits
    per_decade = collections.Counter(int(r["date"][:4]) // 10 * 10 for r in records)

    assert sorted(per_decade) == [1940, 1950, 1960]
    assert sum(per_decade.values()) == 429
    for decade, expected in per_decade.items():
        assert (
            Document.objects.filter(date__year__gte=decade, date__year__lt=decade + 10).count()
            == expected
        ), decade
        assert (
            Document.objects.filter(
                date__gte=date(decade, 1, 1), date__lte=date(decade + 9, 12, 31)
            ).count()
            == expected
        ), decade


def test_visits_dates(visits):
    records, _report = visits

    assert not Document.objects.filter(date_end__isnull=True).exists()
    assert set(Document.objects.values_list("date_precision", flat=True)) == {Precision.DAY}
    assert set(Document.objects.values_list("date_end_precision", flat=True)) == {Precision.DAY}
    stored = {
        identifier: (start, end, last)
        for identifier, start, end, last in Document.objects.values_list(
            "identifier", "date", "date_end", "date_last"
        )
    }
    for r in records:
        start, end = date.fromisoformat(r["date"]), date.fromisoformat(r["date_end"])
        assert stored[r["identifier"]] == (start, end, end), r["identifier"]
    first = Document.objects.get(identifier="hsg-visit-2234")
    assert first.date_display == "March 13–14, 1945"


def test_visits_text_is_cleaned(visits):
    records, _report = visits
    wrapped = [r for r in records if "\n            " in r["summary"]]

    assert wrapped  # the source does wrap its summaries
    assert not Document.objects.filter(summary__contains="\n").exists()
    summaries = dict(Document.objects.values_list("identifier", "summary"))
    for r in records:
        assert summaries[r["identifier"]] == " ".join(r["summary"].split()), r["identifier"]
    assert summaries["hsg-visit-2234"] == (
        "Discussed economic policies and the Canadian role in the United Nations with "
        "President Roosevelt. In the U.S. March 10–15. Also visited Williamsburg (Virginia)."
    )
    assert set(Document.objects.values_list("language", flat=True)) == {"en"}
    assert set(Document.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert Collection.objects.get().documents.count() == 429


def test_visits_reimport_is_all_unchanged(visits, visits_path):
    records, _report = visits
    modified = dict(Document.objects.values_list("identifier", "modified"))

    report = documents_import(paths=[visits_path])

    assert counts(report) == (0, 0, len(records))
    assert (report.people_created, report.regions_created, report.collections_created) == (
        0,
        0,
        0,
    )
    assert report.changes == {}
    assert dict(Document.objects.values_list("identifier", "modified")) == modified


@pytest.mark.django_db
def test_visits_dry_run_counts_like_the_real_run(visits_path):
    dry = documents_import(paths=[visits_path], dry_run=True)

    assert Document.objects.count() == 0
    assert counts(dry) == (429, 0, 0)


@pytest.mark.django_db
def test_visits_through_the_command(visits_path):
    records = read_visits(visits_path)
    people = len({name_key(name) for r in records for name in r["participants"]})
    regions = len({region for r in records for region in r["regions"]})

    out, err = run_command(visits_path)

    assert counts_line(out) == (
        f"429 created, 0 updated, 0 unchanged "
        f"(people: {people} new, regions: {regions} new, collections: 1 new)"
        f" [import #{ImportBatch.objects.latest('id').pk}]\n"
    )
    assert err == ""


def test_repeats_are_found_across_chunks_and_within_one(write_batch):
    """Identifiers seen so far live in a temporary SQLite file, not in memory: a repeat is
    found whether its first use was in an earlier chunk or earlier in the same chunk."""
    from importing.batch_format import check_batch

    records = [{"identifier": f"r-{n}", "title": "T", "date": "1960"} for n in range(7)]
    records[5]["identifier"] = "r-0"  # first used four chunks earlier (chunks of one)
    records[6]["identifier"] = "r-4"
    path = write_batch("repeats.jsonl", records)

    with pytest.raises(BatchInvalid) as in_chunks:
        check_batch([path], chunk=1)
    with pytest.raises(BatchInvalid) as in_one:
        check_batch([path], chunk=100)

    expected = [
        f"{path}:6: identifier: 'r-0' is repeated (first at {path}:1)",
        f"{path}:7: identifier: 'r-4' is repeated (first at {path}:5)",
    ]
    assert in_chunks.value.errors == expected
    assert in_one.value.errors == expected


def test_a_lost_database_connection_is_said_clearly(monkeypatch, tmp_path, db):
    """Issue 24 (bench/database_restart.py restarts PostgreSQL for real): the import is one
    transaction, so a connection lost during it wrote nothing, and the command says so."""
    from django.db import OperationalError

    from importing.management.commands import import_documents

    def lost(**kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(import_documents, "documents_import", lost)
    path = tmp_path / "batch.jsonl"
    path.write_text('{"identifier": "a", "title": "A", "date": "1960"}\n')
    with pytest.raises(CommandError) as refused:
        call_command("import_documents", str(path), stdout=io.StringIO())
    assert str(refused.value) == (
        "The database connection was lost during the import (terminating connection due to "
        "administrator command): nothing was written, as the import is one transaction that "
        "did not commit. Run it again once the database is back."
    )
