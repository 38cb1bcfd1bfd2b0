"""Search benchmark: keyword searches with facet counts, timed through the whole view.

Run by hand against a database already filled (for example by bench/import_bench.py or
`import_documents` of a `bench/synthetic.py` batch). Each query of the mix is requested
through Django's test client (the list page: search, count, facets, snippets, template), a
few times; the report gives p50 and p95 per query and the number of SQL queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_1m \\
        .venv/bin/python bench/search_bench.py --repeat 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.dev")

MIX = [
    ("common word", {"q": "treaty"}),
    ("two words", {"q": "nuclear weapons"}),
    ("phrase", {"q": '"border question"'}),
    ("prefix", {"q": "decolon*"}),
    ("person name", {"q": "Mikoyan"}),
    ("word, excluded word", {"q": "trade -grain"}),
    ("word + region", {"q": "treaty", "region": "east-asia"}),
    ("word + dates", {"q": "aid", "date_from": "1956", "date_to": "1960"}),
    ("word + region + dates", {"q": "party", "region": "eastern-europe", "date_from": "1968"}),
    ("rare word", {"q": "Sukarno"}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from documents.models import Document

    setup_test_environment()  # records each response's template context
    client = Client()
    total = Document.objects.count()
    print(f"# {total:,} documents, {connection.vendor}, {os.cpu_count()} cores")
    print("| query | results | p50 ms | p95 ms | first ms | SQL queries |")
    print("|---|---|---|---|---|---|")
    with override_settings(DEBUG=True, ALLOWED_HOSTS=["testserver"]):
        for label, params in MIX:
            timings = []
            for _ in range(arguments.repeat):
                reset_queries()
                started = time.perf_counter()
                response = client.get("/documents/", params)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
            count = response.context["paginator"].count
            queries = len(connection.queries)
            p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
            print(
                f"| {label} `{params}` | {count:,} | {statistics.median(timings):.0f} | "
                f"{p95:.0f} | {timings[0]:.0f} | {queries} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
