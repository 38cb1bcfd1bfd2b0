"""Import benchmark: documents a second, peak memory, and PostgreSQL's COPY as the floor.

Run by hand, never in CI. For each size it makes a fresh database, writes a deterministic
synthetic batch (bench/synthetic.py), imports it with `manage.py import_documents` in a child
process (wall time and the child's peak resident memory), imports it again unchanged, and
then COPYs the same rows' document columns into a scratch table: the time the database
itself needs to take the data in, so the import's distance from it is visible.

    .venv/bin/python bench/import_bench.py --sizes 10000 100000 \\
        --database postgres://postgres@127.0.0.1:5432/archive_bench
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import synthetic  # noqa: E402


def reset_database(url: str) -> None:
    parts = urlparse(url)
    admin = parts._replace(path="/postgres").geturl()
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(url: str, *args: str, index: str = "", inline: bool = True) -> tuple[float, int, str]:
    """Run manage.py in a child; its wall time, peak RSS in MiB, and its output. `inline`:
    the child follows the search index itself after its commit (the default), or leaves the
    outbox for `index_documents`."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "archive.settings.dev",
        "ARCHIVE_INDEX_INLINE": "true" if inline else "false",
    }
    if index:
        env["ARCHIVE_INDEX_DIR"] = index
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) // 1024, done.stdout.strip()


def copy_floor(url: str, path: Path) -> float:
    """COPY the batch's document columns into an unlogged scratch table."""
    buffer = io.StringIO()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            row = [
                record["identifier"],
                record["title"],
                record["date"],
                record.get("summary", ""),
                record.get("language", ""),
                record.get("source", ""),
                record.get("original_archive", ""),
            ]
            buffer.write("\t".join(value.replace("\t", " ") for value in row) + "\n")
    data = buffer.getvalue()
    with psycopg.connect(url) as connection:
        connection.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS copy_floor (identifier text, title text, "
            "date text, summary text, language text, source text, original_archive text)"
        )
        connection.execute("TRUNCATE copy_floor")
        started = time.perf_counter()
        with connection.cursor().copy("COPY copy_floor FROM STDIN") as copy:
            copy.write(data)
        connection.commit()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--database",
        default="postgres://postgres@127.0.0.1:5432/archive_bench",
        help="A PostgreSQL URL; the database is dropped and made anew for each size.",
    )
    arguments = parser.parse_args()
    print(f"# {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}")
    columns = ["documents", "write s", "write docs/s", "index s", "end to end s"]
    columns += ["end to end docs/s", "peak MiB", "re-import s", "speed-up", "rebuild s"]
    columns += ["COPY s", "write/COPY"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for size in arguments.sizes:
        reset_database(arguments.database)
        manage(arguments.database, "migrate", "-v0")
        with tempfile.TemporaryDirectory() as folder:
            index = str(Path(folder) / "index")
            batch = synthetic.write(Path(folder) / f"batch-{size}.jsonl", size)
            # The database write alone (the outbox left for the indexer), then the indexer
            # catching up: end to end is both, as `import_documents` with the index followed
            # in-process does them.
            write, peak, _ = manage(
                arguments.database,
                "import_documents",
                str(batch),
                "-v0",
                "--no-index-wait",
                index=index,
                inline=False,
            )
            indexed, index_peak, _ = manage(
                arguments.database, "index_documents", "-v0", index=index, inline=False
            )
            again, _, _ = manage(
                arguments.database, "import_documents", str(batch), "-v0", index=index
            )
            rebuilt, _, _ = manage(
                arguments.database, "index_documents", "--rebuild", "-v0", index=index
            )
            floor = copy_floor(arguments.database, batch)
        total = write + indexed
        print(
            f"| {size:,} | {write:.1f} | {size / write:,.0f} | {indexed:.1f} | {total:.1f} | "
            f"{size / total:,.0f} | {max(peak, index_peak)} | {again:.1f} | "
            f"{total / again:.1f}× | {rebuilt:.1f} | {floor:.2f} | {write / floor:.0f}× |",
            flush=True,
        )


if __name__ == "__main__":
    main()
