"""What the archive does when PostgreSQL restarts under it (issue 24).

Run by hand, as root on a machine with PostgreSQL 15's binaries, never in CI. It makes a
cluster of its own (initdb as the `postgres` user, on `--port`, in a temporary folder), so
the machine's own PostgreSQL is never touched:

    .venv/bin/python bench/database_restart.py --port 5499

1. Page requests: with the seeds loaded, it asks for pages through Django's test client in
   this one process (persistent connections, as a gunicorn worker keeps them), restarts the
   cluster, and asks again: every request after the restart must answer 200, without
   restarting the "worker" (this process).
2. An import: it starts `import_documents` on a batch of `--records` documents, restarts the
   cluster while the import writes, and checks that the import failed with a clear message
   and wrote nothing, and that the same import then runs to the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(*command: str) -> None:
    subprocess.run(["su", "postgres", "-c", " ".join(command)], check=True, capture_output=True)


def _import_writing() -> bool:
    from django.db import connection

    from importing.importer import IMPORT_LOCK

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s",
            [IMPORT_LOCK],
        )
        return cursor.fetchone()[0] > 0


def _status(path: str) -> int:
    import urllib.error
    import urllib.request

    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:8765{path}", headers={"Host": "localhost"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5499)
    parser.add_argument("--records", type=int, default=20_000)
    arguments = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="archive-pg-"))
    shutil.chown(folder, "postgres")
    data = folder / "data"
    _as_postgres(str(BIN / "initdb"), "-A", "trust", "-U", "postgres", "-D", str(data))
    ctl = [str(BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w"]
    start = [*ctl, "-o", f"'-p {arguments.port} -k {folder}'", "start"]
    _as_postgres(*start)
    try:
        _run(arguments, ctl, folder)
    finally:
        _as_postgres(*ctl, "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _run(arguments, ctl: list[str], folder: Path) -> None:
    url = f"postgres://postgres@127.0.0.1:{arguments.port}/postgres"
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="archive.settings.dev",
        ARCHIVE_INDEX_DIR=str(folder / "index"),
        DATABASE_CONN_MAX_AGE="600",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from documents.models import Document

    call_command("migrate", verbosity=0)
    call_command("load_seeds", verbosity=0)
    connection.close()
    # A real worker: gunicorn, one process, persistent connections, no page cache.
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "archive.wsgi", "-b", "127.0.0.1:8765"],
        env={**os.environ, "ARCHIVE_PAGE_CACHE_SECONDS": "0", "GUNICORN_WORKERS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pages = ["/documents/", "/documents/?q=Mikoyan", "/people/kim-il-sung/", "/api/documents/"]
    try:
        time.sleep(3)
        before = [_status(page) for page in pages]
        restart = [*ctl, "-o", f"'-p {arguments.port} -k {folder}'", "-m", "fast", "restart"]
        _as_postgres(*restart)
        after = [_status(page) for page in pages]
        again = [_status(page) for page in pages]
    finally:
        server.terminate()
        server.wait()
    print(f"pages before the restart: {before}; just after, same worker: {after}; then {again}")

    batch = folder / "batch.jsonl"
    with batch.open("w") as handle:
        for n in range(arguments.records):
            record = {"identifier": f"r-{n}", "title": f"Telegram {n}", "date": "1962"}
            record["participants"] = [f"Person {n % 500}"]
            handle.write(json.dumps(record) + "\n")
    count = Document.objects.count()
    command = [sys.executable, str(ROOT / "manage.py"), "import_documents", str(batch)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while not _import_writing():  # restart once the import's write has begun
        assert child.poll() is None, child.communicate()
        time.sleep(0.05)
    time.sleep(0.5)
    _as_postgres(*restart)
    output, errors = child.communicate(timeout=600)
    print(f"import during a restart: exit {child.returncode}; its last words:")
    print("  " + (errors.strip().splitlines() or ["(nothing)"])[-1][:300])
    connection.close()  # this process's own connection died with the restart too
    print(f"documents before {count}, after the failed import {Document.objects.count()}")
    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    print(f"the same import again: exit {again.returncode}: {again.stdout.strip()[:200]}")


if __name__ == "__main__":
    main()
