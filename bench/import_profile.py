"""Where an import's time goes: each kind of statement's total time, in-process.

Run by hand against a scratch database (it imports for real), never in CI:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_prof \\
        .venv/bin/python bench/import_profile.py /work/scale/batch-20000.jsonl

It wraps every query the import sends (Django's execute_wrapper), every COPY (the bulk
writer's `insert_formatted`, which `insert_rows` also sends through) and the commit, and
prints the slowest kinds of statement with their count; the rest of the wall time is Python.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.dev")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=15, help="kinds of statement shown")
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.backends.base import base

    import core.bulk_writes as bulk_writes
    from importing import importer as importing

    spent: dict[str, list] = collections.defaultdict(lambda: [0, 0.0])

    def note(kind: str, started: float) -> None:
        spent[kind][0] += 1
        spent[kind][1] += time.perf_counter() - started

    def timed_query(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            note(" ".join(sql.split())[:100], started)

    insert_formatted = bulk_writes.insert_formatted

    def timed_formatted(rows):
        started = time.perf_counter()
        insert_formatted(rows)  # only the sending: the rows were formatted before
        note(f"COPY {rows.model._meta.db_table}", started)

    bulk_writes.insert_formatted = importing.insert_formatted = timed_formatted
    commit = base.BaseDatabaseWrapper._commit

    def timed_commit(self):
        started = time.perf_counter()
        commit(self)
        note("COMMIT", started)

    base.BaseDatabaseWrapper._commit = timed_commit
    started = time.perf_counter()
    with connection.execute_wrapper(timed_query):
        report = importing.documents_import(paths=arguments.files)
    wall = time.perf_counter() - started
    print(f"{report.summary()}: {wall:.2f} s")
    in_database = 0.0
    for kind, (count, seconds) in sorted(spent.items(), key=lambda item: -item[1][1]):
        in_database += seconds
        if arguments.top > 0:
            print(f"{seconds:8.2f} s {count:6d}  {kind}")
            arguments.top -= 1
    print(f"statements {in_database:.2f} s, the rest (Python) {wall - in_database:.2f} s")


if __name__ == "__main__":
    main()
