"""A populated archive survives every migration (issue 24): a database made by the first
migrations, records written into its tables as they were then, then `migrate` to the latest;
the records come out of the export as they went in, and the index builds from them. The
migrations since the search engine replaced the facet tables unapply and apply again; the
one that replaced them refuses to be unapplied, with Django's own error, and `migrate` then
brings the archive back whole."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the old migrations' triggers and functions are PostgreSQL's",
)

ROOT = Path(__file__).resolve().parents[2]

# Written as the first migrations made the tables (documents 0001, people 0001).
FIRST_RECORDS = """
INSERT INTO people_person (id, name, slug, name_key, birth_year, death_year, alternate_names,
        biography)
    VALUES (1, 'Kim Il Sung', 'kim-il-sung', 'il kim sung', 1912, 1994, '[]', ''),
           (2, 'Anastas Mikoyan', 'anastas-mikoyan', 'anastas mikoyan', 1895, 1978, '[]', '');
INSERT INTO documents_region (id, name, slug, name_key, parent_id)
    VALUES (1, 'East Asia', 'east-asia', 'asia east', NULL),
           (2, 'North Korea', 'north-korea', 'korea north', 1);
INSERT INTO documents_collection (id, title, slug, title_key, description)
    VALUES (1, 'Conversations with Kim Il Sung', 'kim-talks', 'conversations il kim sung with', '');
INSERT INTO documents_document (id, identifier, title, date, date_precision, date_end,
        date_end_precision, date_last, summary, text, language, source, original_archive,
        rights, status, created, modified)
    VALUES (1, '120194', 'Telegram from Mikoyan', '1956-09-01', 'month', NULL, '',
            '1956-09-30', 'A telegram about the plenum.', 'Full text.', 'ru', 'GARF, f. 5446',
            'GARF', '', 'published', now(), now()),
           (2, 'draft-1', 'A draft', '1960-01-01', 'year', NULL, '', '1960-12-31', '', '', '',
            '', '', '', 'draft', now(), now());
INSERT INTO documents_documentparticipant (id, document_id, person_id, role, position)
    VALUES (1, 1, 2, 'author', 0), (2, 1, 1, 'recipient', 1), (3, 2, 1, '', 0);
INSERT INTO documents_document_regions (document_id, region_id) VALUES (1, 2), (2, 1);
INSERT INTO documents_document_collections (document_id, collection_id) VALUES (1, 1);
"""


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    user, host, port = db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{name}"


def _manage(*arguments: str, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, f"{arguments}: {result.stderr[-3000:]}"
    return result.stdout


def test_records_from_the_first_migrations_survive_to_the_latest(tmp_path):
    name = f"{settings.DATABASES['default']['NAME']}_migrations"
    admin = _url("postgres")
    dropdb = ["dropdb", "--if-exists", "--force", "--maintenance-db", admin, name]
    subprocess.run(dropdb, check=True, capture_output=True)
    subprocess.run(["createdb", "--maintenance-db", admin, name], check=True)
    env = {
        **os.environ,
        "DATABASE_URL": _url(name),
        "DJANGO_SETTINGS_MODULE": "archive.settings.test",
        "ARCHIVE_INDEX_DIR": str(tmp_path / "index"),
    }
    try:
        _manage("migrate", "documents", "0001", env=env)
        with psycopg.connect(_url(name), autocommit=True) as database:
            database.execute(FIRST_RECORDS)
        _manage("migrate", env=env)
        records = [
            json.loads(line)
            for line in _manage("export_documents", "--status", "all", env=env).splitlines()
        ]
        # The migrations since the search engine unapply and apply again, the records kept;
        # the one that dropped the facet tables' triggers refuses, and says so.
        _manage("migrate", "documents", "0019", env=env)
        _manage("migrate", env=env)
        again = [
            json.loads(line)
            for line in _manage("export_documents", "--status", "all", env=env).splitlines()
        ]
        refused = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "documents", "0018"],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        # Refused where it stands (what depended on it is unapplied by then): `migrate`
        # brings the archive back, every record kept.
        _manage("migrate", env=env)
        after_refusal = [
            json.loads(line)
            for line in _manage("export_documents", "--status", "all", env=env).splitlines()
        ]
        _manage("index_documents", "--rebuild", env=env)
        listed = _manage(
            "shell",
            "--no-imports",
            "-c",
            "from search import engine; from search.queries import Criteria, parse_query;"
            "print(engine.count(Criteria(keywords=parse_query('plenum'))))",
            env=env,
        )
    finally:
        subprocess.run(dropdb, capture_output=True)
    assert again == records
    assert after_refusal == records
    assert refused.returncode != 0
    assert "IrreversibleError" in refused.stderr
    assert "0019_search_engine_replaces_facet_tables is not reversible" in refused.stderr
    by_id = {record["identifier"]: record for record in records}
    assert set(by_id) == {"120194", "draft-1"}
    telegram = by_id["120194"]
    assert (telegram["title"], telegram["date"], telegram["status"]) == (
        "Telegram from Mikoyan",
        "1956-09",
        "published",
    )
    assert (telegram["language"], telegram["source"]) == ("ru", "GARF, f. 5446")
    assert telegram["regions"] == ["East Asia > North Korea"]
    assert telegram["collections"] == ["Conversations with Kim Il Sung"]
    assert telegram["participants"] == [
        {"name": "Anastas Mikoyan", "role": "author", "birth_year": 1895, "death_year": 1978},
        {"name": "Kim Il Sung", "role": "recipient", "birth_year": 1912, "death_year": 1994},
    ]
    assert by_id["draft-1"]["status"] == "draft" and by_id["draft-1"]["date"] == "1960"
    assert int(listed) == 1  # the published one, found by a word of its summary
