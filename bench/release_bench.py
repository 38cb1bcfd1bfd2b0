"""Data releases at scale: how long `publish_release` takes, how large the file is, and how
long the release takes to import into an empty archive.

Run by hand, never in CI. It makes a fresh database, imports a deterministic synthetic batch
(bench/synthetic.py), then: the first release (every document added), a second run with
nothing changed (no release), a release after 1 % of the documents changed (its changelog),
and the first release imported into a second, empty database (`import_documents` reads the
.jsonl.gz as it is), counting its documents.

    .venv/bin/python bench/release_bench.py --documents 100000 \\
        --database postgres://postgres@127.0.0.1:5432/archive_release_bench
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import synthetic  # noqa: E402
from import_bench import manage, reset_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--database", required=True)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="release-bench-"))
    os.environ["ARCHIVE_RELEASES_DIR"] = str(work / "releases")
    batch = work / "batch.jsonl"
    synthetic.write(batch, args.documents)
    reset_database(args.database)
    manage(args.database, "migrate", "-v0")
    seconds, _rss, _out = manage(args.database, "import_documents", "--no-index-wait", str(batch))
    print(f"imported {args.documents} documents in {seconds:.1f} s")

    first, rss, out = manage(args.database, "publish_release")
    print(f"first release: {first:.1f} s, peak RSS {rss} MiB: {out.strip()}")
    again, _rss, out = manage(args.database, "publish_release")
    print(f"nothing changed: {again:.1f} s: {out.strip()}")
    with psycopg.connect(args.database, autocommit=True) as connection:
        changed = connection.execute(
            "UPDATE documents_document SET summary = summary || ' (revised)', modified = now() "
            "WHERE id % 100 = 0"
        ).rowcount
    third, rss3, out = manage(args.database, "publish_release")
    print(f"after {changed} changed: {third:.1f} s, peak RSS {rss3} MiB: {out.strip()}")

    releases = sorted((work / "releases").glob("*.jsonl.gz"))
    size = releases[0].stat().st_size
    changelog = json.loads(
        releases[-1]
        .with_name(releases[-1].name.removesuffix(".jsonl.gz") + ".changes.json")
        .read_text()
    )
    print(
        f"file: {size / 2**20:.1f} MiB ({size / args.documents:.0f} bytes a document); "
        f"changelog: {len(changelog['changed'])} changed"
    )

    empty = args.database.rsplit("/", 1)[0] + "/" + args.database.rsplit("/", 1)[1] + "_copy"
    reset_database(empty)
    manage(empty, "migrate", "-v0")
    seconds, rss, out = manage(empty, "import_documents", "--no-index-wait", str(releases[0]))
    with psycopg.connect(empty) as connection:
        count = connection.execute("SELECT count(*) FROM documents_document").fetchone()[0]
    print(f"release imported into an empty archive: {seconds:.1f} s, {count} documents")
    print(f"machine: {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
