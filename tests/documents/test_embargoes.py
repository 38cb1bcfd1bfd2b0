"""Embargoes (issue 24): a document held back until a day is a draft to the public until
then; `release_embargoes` publishes it on the day, with a historical record; the batch
format and the admin carry the date."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from documents.models import Document, Status
from importing.importer import BatchInvalid, documents_import
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SOON = TODAY + datetime.timedelta(days=10)
LATER = TODAY + datetime.timedelta(days=40)


def batch(tmp_path, *records) -> list:
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return [path]


def record(identifier: str, **fields) -> dict:
    return {"identifier": identifier, "title": f"Telegram {identifier}", "date": "1962", **fields}


def release(*args) -> str:
    out = io.StringIO()
    call_command("release_embargoes", *args, stdout=out)
    return out.getvalue()


def test_an_imported_embargo_keeps_the_document_a_draft_until_its_day(client, tmp_path):
    documents_import(
        paths=batch(
            tmp_path,
            record("held", embargo_until=SOON.isoformat()),
            record("over", embargo_until="2001-01-01", status="published"),
        )
    )
    held = Document.objects.get(identifier="held")
    assert (held.status, held.embargo_until) == (Status.DRAFT, SOON)
    assert Document.objects.get(identifier="over").status == Status.PUBLISHED
    assert client.get("/documents/held/").status_code == 404
    assert client.get("/api/documents/").json()["count"] == 1


def test_a_record_cannot_be_published_and_embargoed(tmp_path):
    with pytest.raises(BatchInvalid) as refused:
        documents_import(
            paths=batch(
                tmp_path,
                record("a", embargo_until=SOON.isoformat(), status="published"),
                record("b", embargo_until="next spring"),
            )
        )
    path = refused.value.errors[0].split(":")[0]
    assert refused.value.errors == [
        f"{path}:1: status: is published, but the record is under embargo until "
        f"{SOON.isoformat()}: leave the status out (it is a draft until then) or end the embargo",
        f"{path}:2: embargo_until: 'next spring' is not a day (write YYYY-MM-DD)",
    ]
    assert not Document.objects.exists()


def test_release_publishes_what_is_due_once_with_its_history(client):
    due = DocumentFactory(identifier="due", status=Status.DRAFT, embargo_until=SOON)
    DocumentFactory(identifier="later", status=Status.DRAFT, embargo_until=LATER)
    DocumentFactory(identifier="plain-draft", status=Status.DRAFT)
    on_the_day = SOON.isoformat()

    assert "Would release 1 document(s): due" in release("--dry-run", "--today", on_the_day)
    assert Document.objects.get(identifier="due").status == Status.DRAFT

    output = release("--today", on_the_day)
    assert f"Released 1 document(s) whose embargo ended by {on_the_day}: due" in output
    assert f"next: later on {LATER.isoformat()}" in output
    due.refresh_from_db()
    assert due.status == Status.PUBLISHED and due.first_published is not None
    assert due.history.first().history_change_reason.startswith("Released from its embargo")
    assert client.get("/documents/due/").status_code == 200
    statuses = dict(Document.objects.values_list("identifier", "status"))
    assert statuses == {"due": "published", "later": "draft", "plain-draft": "draft"}
    assert "Released 0 document(s)" in release("--today", on_the_day)  # a re-run: nothing


def test_an_archivist_cannot_publish_a_document_under_embargo():
    document = DocumentFactory(status=Status.PUBLISHED, embargo_until=SOON)
    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    assert refused.value.message_dict["status"] == [
        f"It is under embargo until {SOON:%Y-%m-%d}: a draft until then. Clear the embargo "
        "to publish it now."
    ]


def test_the_admin_lists_what_will_be_released_next_first(admin_client):
    DocumentFactory(identifier="second", status=Status.DRAFT, embargo_until=LATER)
    DocumentFactory(identifier="first", status=Status.DRAFT, embargo_until=SOON)
    DocumentFactory(identifier="due-now", status=Status.DRAFT, embargo_until=TODAY)
    held = admin_client.get("/admin/documents/document/", {"embargo": "held"})
    assert [d.identifier for d in held.context["cl"].result_list] == ["first", "second"]
    due = admin_client.get("/admin/documents/document/", {"embargo": "due"})
    assert [d.identifier for d in due.context["cl"].result_list] == ["due-now"]


def test_the_embargo_goes_out_and_back_in_an_export(tmp_path):
    DocumentFactory(identifier="held", status=Status.DRAFT, embargo_until=SOON)
    out = io.StringIO()
    call_command("export_documents", "--status", "draft", stdout=out)
    (line,) = out.getvalue().splitlines()
    assert json.loads(line)["embargo_until"] == SOON.isoformat()
    path = tmp_path / "export.jsonl"
    path.write_text(out.getvalue())
    report = documents_import(paths=[path])
    assert (report.updated, report.unchanged) == (0, 1)
