"""How long an archivist's save waits while a large import writes (issue 24).

Run by hand against a populated scratch database (it imports for real), never in CI:

    .venv/bin/python bench/save_during_import.py \\
        --database postgres://postgres@127.0.0.1:5432/archive_scale_1000000 --updates 60000

It writes an update batch of `--updates` existing documents (their records with a changed
title), starts `manage.py import_documents` on it in a child process, and while the child
runs saves, every `--every` seconds, one document the batch does not touch, through the ORM
as the admin does (`Document.save()`, its history and its outbox entry, one transaction).
It prints how long each kind of save waited: the target is at most a second while the
import writes. A save of a document the batch does update is timed too: that one waits for
the import's commit (its row is the import's), which is expected.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _batch(path: Path, count: int) -> list[int]:
    """The first `count` published documents as an update batch; their ids."""
    from documents.models import Document, Region
    from importing.batch_format import document_record

    paths = Region.objects.paths()
    ids = list(Document.objects.published().order_by("id").values_list("id", flat=True)[:count])
    with path.open("w", encoding="utf-8") as handle:
        for start in range(0, len(ids), 2000):
            chunk = Document.objects.filter(id__in=ids[start : start + 2000]).with_relations()
            for document in chunk:
                record = document_record(document, paths)
                record["title"] = f"{record['title']} (revised)"
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return ids


def _save(document_id: int) -> float:
    from django.db import transaction

    from documents.models import Document

    started = time.monotonic()
    with transaction.atomic():
        document = Document.objects.get(pk=document_id)
        document.title = document.title.removesuffix(" (saved)") + " (saved)"
        document.save()
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="PostgreSQL URL of a scratch archive")
    parser.add_argument("--updates", type=int, default=60_000)
    parser.add_argument("--every", type=float, default=0.25, help="seconds between saves")
    arguments = parser.parse_args()

    os.environ["DATABASE_URL"] = arguments.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.dev")
    os.environ["ARCHIVE_INDEX_INLINE"] = "false"  # the saves alone; the index is not timed
    import django

    django.setup()
    from documents.models import Document

    folder = Path(tempfile.mkdtemp(prefix="save-during-import-"))
    batch = folder / "updates.jsonl"
    started = time.monotonic()
    in_batch = _batch(batch, arguments.updates)
    print(f"batch of {len(in_batch)} updates written in {time.monotonic() - started:.1f} s")
    outside = Document.objects.published().order_by("-id").values_list("id", flat=True)[0]
    inside = in_batch[-1]

    child = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "import_documents", "--no-index-wait", batch],
        env={**os.environ},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    began = time.monotonic()
    waits: list[float] = []
    inside_wait: list[float] = []

    def save_inside() -> None:  # waits for the import's commit: its row is the batch's
        from django.db import connection

        try:
            inside_wait.append(_save(inside))
        finally:
            connection.close()

    beside = threading.Thread(target=save_inside)
    while child.poll() is None:
        waits.append(_save(outside))
        if not beside.is_alive() and not inside_wait and time.monotonic() - began > 5:
            beside.start()
        time.sleep(arguments.every)
    if beside.is_alive() or inside_wait:
        beside.join()
    output, errors = child.communicate()
    took = time.monotonic() - began
    print(output.strip().splitlines()[-1] if output.strip() else errors.strip()[-500:])
    print(f"import: {took:.1f} s; {len(waits)} saves of a document it does not touch:")
    if waits:
        ordered = sorted(waits)
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
        print(
            f"  median {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {ordered[-1] * 1000:.0f} ms"
        )
    if inside_wait:
        print(f"one save of a document the batch updates: {inside_wait[0]:.1f} s (its row's lock)")


if __name__ == "__main__":
    main()
