"""Two imports at once: the second waits for the first; nothing is duplicated or lost."""

import threading

import pytest
from django.db import connection

from documents.models import Document, DocumentParticipant
from importing.importer import documents_import
from importing.models import ImportBatch
from people.models import Person


def batch(write_batch, name, identifiers):
    return write_batch(
        name,
        [
            {
                "identifier": identifier,
                "title": f"Title of {identifier} from {name}",
                "date": "1967",
                "participants": ["Kim Il Sung (1912-1994)", f"Person {identifier}"],
                "regions": ["East Asia > North Korea"],
            }
            for identifier in identifiers
        ],
    )


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_neither_duplicates_nor_loses(write_batch):
    first = batch(write_batch, "first.jsonl", [f"doc-{n}" for n in range(0, 300)])
    second = batch(write_batch, "second.jsonl", [f"doc-{n}" for n in range(200, 500)])
    errors = []

    def run(path):
        try:
            documents_import(paths=[path])
        except Exception as exc:  # noqa: BLE001  reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(path,)) for path in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Document.objects.count() == 500
    assert Person.objects.filter(name="Kim Il Sung").count() == 1
    assert Person.objects.count() == 501
    assert DocumentParticipant.objects.count() == 1000
    batches = list(ImportBatch.objects.order_by("id"))
    assert len(batches) == 2
    # One ran after the other: the second created what the first had not, and the overlap
    # (doc-200 … doc-299) either came from it or was updated by it, never made twice.
    assert sorted(b.created_count for b in batches) == [200, 300]
    assert sum(b.updated_count for b in batches) == 100
