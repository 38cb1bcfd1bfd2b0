"""An import killed with SIGKILL (issue 24), before its write or in the middle of it, leaves
the archive as it was (no document, link, person, batch row or outbox entry of it) and holds
no lock: the next import runs to the end."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from documents.models import Document, DocumentParticipant, Region
from importing.importer import IMPORT_LOCK
from importing.models import ImportBatch
from people.models import Person
from search.models import OutboxEntry
from tests.factories import DocumentFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="seeing the import's write begin (its advisory lock) is PostgreSQL's",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
RECORDS = 20_000  # a write of several seconds, so a kill lands inside it


def _write_batch(path: Path) -> Path:
    with path.open("w") as handle:
        for n in range(RECORDS):
            record = {
                "identifier": f"killed-{n}",
                "title": f"Telegram {n} on the deliveries",
                "date": f"19{50 + n % 20}-0{1 + n % 9}",
                "summary": "A conversation about deliveries and the plenum. " * 3,
                "participants": [f"Person {n % 700}", "Kim Il Sung (1912-1994)"],
                "regions": [f"East Asia > Place {n % 40}"],
                "collections": [f"Collection {n % 12}"],
            }
            handle.write(json.dumps(record) + "\n")
    return path


def _state() -> dict:
    return {
        "documents": Document.objects.count(),
        "links": DocumentParticipant.objects.count(),
        "people": Person.objects.count(),
        "places": Region.objects.count(),
        "batches": ImportBatch.objects.count(),
        "outbox": OutboxEntry.objects.count(),
    }


def _lock_held() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s",
            [IMPORT_LOCK],
        )
        return cursor.fetchone()[0] > 0


def _import(path: Path, tmp_path: Path) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "archive.settings.test",
        "ARCHIVE_INDEX_DIR": str(tmp_path / "index"),
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "import_documents", str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("into_the_write", [None, 0.2, 1.0])
def test_a_killed_import_leaves_nothing_and_blocks_nothing(tmp_path, into_the_write):
    DocumentFactory(identifier="there-before")
    before = _state()
    path = _write_batch(tmp_path / "batch.jsonl")

    child = _import(path, tmp_path)
    if into_the_write is None:
        time.sleep(1.0)  # reading and checking the batch, before any write
        assert not _lock_held()
    else:
        deadline = time.monotonic() + 120
        while not _lock_held():
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the import never began to write"
            time.sleep(0.05)
        time.sleep(into_the_write)
        assert _lock_held(), "the import committed before it could be killed"
    assert child.poll() is None, "the import ended before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    deadline = time.monotonic() + 30  # PostgreSQL ends the dead session's transaction
    while _lock_held() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _lock_held()
    assert _state() == before

    again = _import(path, tmp_path)
    output, errors = again.communicate(timeout=600)
    assert again.returncode == 0, errors
    assert f"{RECORDS} created" in output
    assert Document.objects.count() == before["documents"] + RECORDS
