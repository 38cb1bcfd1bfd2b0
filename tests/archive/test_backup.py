"""docs/operations.md's backup and restore, run: pg_dump of a populated archive, pg_restore
into an empty database, the index rebuilt there, and the restored archive exports the same
records, field for field, drafts included, with the same history."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from documents.models import Document, Status
from documents.services import documents_unpublish

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the procedure is PostgreSQL's (SQLite's is `.backup`, a copy of the file)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    user, host, port = db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{name}"


def _run(*command: str, env: dict | None = None) -> str:
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, f"{command}: {result.stderr}"
    return result.stdout


def test_a_dump_restored_into_an_empty_database_exports_the_same_archive(tmp_path):
    call_command("load_seeds", verbosity=0)
    documents_unpublish(documents=Document.objects.filter(identifier="120189"))
    out = io.StringIO()
    call_command("export_documents", stdout=out)
    before = [json.loads(line) for line in out.getvalue().splitlines()]
    assert any(record["status"] == Status.DRAFT for record in before)
    history_before = Document.history.count()

    source = settings.DATABASES["default"]["NAME"]
    restored = f"{source}_restored"
    dump = tmp_path / "archive.dump"
    _run("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _url(source))
    _run("dropdb", "--if-exists", "--force", "--maintenance-db", _url("postgres"), restored)
    _run("createdb", "--maintenance-db", _url("postgres"), restored)
    try:
        _run("pg_restore", "--no-owner", f"--dbname={_url(restored)}", str(dump))
        env = {
            **os.environ,
            "DATABASE_URL": _url(restored),
            "ARCHIVE_INDEX_DIR": str(tmp_path / "index"),
            "DJANGO_SETTINGS_MODULE": "archive.settings.test",
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        _run(*manage, "migrate", "--noinput", env=env)  # nothing to do: already the latest
        _run(*manage, "index_documents", "--rebuild", env=env)
        after = [
            json.loads(line) for line in _run(*manage, "export_documents", env=env).splitlines()
        ]
        history_after = _run(
            *manage,
            "shell",
            "--no-imports",
            "-c",
            "from documents.models import Document; print(Document.history.count())",
            env=env,
        )
        listed = _run(
            *manage,
            "shell",
            "--no-imports",
            "-c",
            "from search import engine; from search.queries import Criteria;"
            "print(engine.count(Criteria()))",
            env=env,
        )
    finally:
        _run("dropdb", "--if-exists", "--force", "--maintenance-db", _url("postgres"), restored)
    assert after == before
    assert int(history_after) == history_before
    assert int(listed) == Document.objects.published().count()
