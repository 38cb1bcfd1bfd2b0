"""The bulk writer: rows in as `bulk_create` would put them, by COPY on PostgreSQL."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.bulk_writes import (
    format_rows,
    insert_formatted,
    insert_instances,
    insert_rows,
    instance_rows,
    reserve_ids,
)
from documents.models import Document, DocumentParticipant, Precision, Status
from importing.models import ImportBatch
from tests.factories import DocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="COPY and binary formatting are PostgreSQL's; SQLite takes the executemany path",
)


def _batch() -> ImportBatch:
    return ImportBatch.objects.create(
        outcome=ImportBatch.Outcome.SUCCEEDED, started_at=timezone.now()
    )


def _document(identifier: str, **values) -> Document:
    fields = {
        "title": f"Report {identifier}",
        "date": datetime.date(1962, 10, 22),
        "date_last": datetime.date(1962, 10, 22),
        "summary": "Soviet missiles in Cuba.",
        "status": Status.PUBLISHED,
        **values,
    }
    return Document(identifier=identifier, **fields)


def test_insert_instances_gives_ids_and_writes_every_value():
    batch = _batch()
    documents = [
        _document("cuba-1", import_batch=batch, import_fingerprint={"title": "abc"}),
        _document(
            "cuba-2",
            date_end=datetime.date(1962, 10, 28),
            date_end_precision=Precision.DAY,
            date_last=datetime.date(1962, 10, 28),
            language="ru",
        ),
    ]
    insert_instances(Document, documents)
    assert all(document.pk and not document._state.adding for document in documents)
    stored = {d.identifier: d for d in Document.objects.all()}
    assert {d.identifier: d.pk for d in documents} == {k: d.pk for k, d in stored.items()}
    assert stored["cuba-1"].import_batch_id == batch.id
    assert stored["cuba-1"].import_fingerprint == {"title": "abc"}
    assert stored["cuba-2"].date_end == datetime.date(1962, 10, 28)
    assert stored["cuba-2"].language == "ru"
    assert stored["cuba-2"].created is not None  # auto_now_add filled in


def test_insert_rows_writes_plain_rows():
    document = DocumentFactory()
    people = [PersonFactory(), PersonFactory()]
    insert_rows(
        DocumentParticipant,
        ["document_id", "person_id", "role", "position"],
        [(document.id, people[0].id, "author", 0), (document.id, people[1].id, "", 1)],
    )
    assert list(
        document.participations.order_by("position").values_list("person_id", "role", "position")
    ) == [(people[0].id, "author", 0), (people[1].id, "", 1)]


@postgresql_only
def test_rows_formatted_on_another_session_are_written_exactly():
    """What the import does: ids and the COPY data from a second session, sent by the
    first."""
    batch = _batch()
    documents = [
        _document("cuba-1", import_batch=batch, import_fingerprint={"title": "ab\tc\n"}),
        _document("cuba-2", title="Khrushchev's letter — «Кеннеди»", summary="", text="\\N"),
    ]
    other = connection.get_new_connection(connection.get_connection_params())
    other.autocommit = True
    try:
        with other.cursor() as cursor:
            ids = reserve_ids(cursor, Document, len(documents))
        for document, new_id in zip(documents, ids, strict=True):
            document.pk = new_id
        with other.cursor() as cursor:
            formatted = format_rows(cursor, Document, *instance_rows(Document, documents))
    finally:
        other.close()
    insert_formatted(formatted)
    stored = {d.identifier: d for d in Document.objects.all()}
    assert sorted(d.pk for d in stored.values()) == sorted(ids)
    assert stored["cuba-1"].import_fingerprint == {"title": "ab\tc\n"}
    assert stored["cuba-2"].title == "Khrushchev's letter — «Кеннеди»"
    assert stored["cuba-2"].text == "\\N"  # text, not NULL
    assert stored["cuba-2"].date_end is None


@postgresql_only
def test_no_rows_send_no_copy():
    """An empty COPY sends nothing (no statement at all), and a real one writes its rows."""
    DocumentFactory()
    with CaptureQueriesContext(connection) as nothing:
        insert_rows(DocumentParticipant, ["document_id", "person_id", "role", "position"], [])
    assert nothing.captured_queries == []
    person = PersonFactory()
    insert_rows(
        DocumentParticipant,
        ["document_id", "person_id", "role", "position"],
        [(Document.objects.get().id, person.id, "", 0)],
    )
    assert DocumentParticipant.objects.get().person_id == person.id
