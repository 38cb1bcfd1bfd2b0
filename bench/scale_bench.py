"""Scale benchmark: every view of a fixed query mix, timed against the SQL it needs.

Run by hand on PostgreSQL, never in CI. The mix's parameters are read from the database
itself, deterministically (the same data always gives the same mix): the largest world
region, a mid-sized place, the person in most published documents (the heaviest person
page), the person who appears with them most, a tenth-ranked person, a common and a rarer
keyword, the decade of the median document date, a published document of the heaviest
person, and the JSON API.

Each view is requested `--repeat` times through Django's test client with DEBUG off (no
query log while timing) and the rate limits raised (every request comes from one address);
the report gives p50 and p95 in ms, the number of SQL queries (captured in a separate,
untimed request), the size of the page (raw and gzip-compressed), and the SQL floor: the
view's captured queries replayed directly on a psycopg connection, each the median of
`--floor-repeat` runs, summed. `p50/floor` is how far the view is from what PostgreSQL
itself needs.

Modes: `cold` empties every Django cache (`caches[...].clear()`) before each timed request
(what the first researcher to ask a new question waits); `warm` runs the whole mix once and
then keeps the caches (what the second waits). PostgreSQL's own buffers and the search
index's pages in the operating system's cache are warm in both. The index must be current
(`manage.py index_documents`), and ARCHIVE_INDEX_DIR must name it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_scale_dev_10k \\
        .venv/bin/python bench/scale_bench.py --repeat 20 --mode both --json /tmp/scale.json
    .venv/bin/python bench/scale_bench.py --database postgres://... --only person-page \\
        --explain /tmp/explain      # EXPLAIN (ANALYZE, BUFFERS) of each captured query
    .venv/bin/python bench/scale_bench.py --database postgres://... --urls  # the mix's URLs

`cold` clears the configured caches: with a Redis cache (CACHE_URL), give the benchmark a
Redis database of its own, or it empties someone else's.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import math
import os
import platform
import re
import statistics
import sys
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Keywords are read from the first documents (by id) of the archive; enough for a stable
# ranking of the vocabulary, few enough to take a moment at a million documents.
KEYWORD_SAMPLE = 20_000
# The common keyword is the most frequent word in at most this share of the sampled documents
# (a word in every document is no question anyone asks); the rarer one is in about RARE_SHARE.
COMMON_SHARE = 0.3
RARE_SHARE = 0.01
# The "person" filter takes the person of this rank (1 = most documents).
PERSON_RANK = 10


@dataclass
class View:
    name: str
    label: str
    path: str
    params: list[tuple[str, str]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.path + ("?" + urlencode(self.params) if self.params else "")


@dataclass
class Result:
    view: str
    url: str
    mode: str
    status: int
    timings_ms: list[float]
    p50_ms: float
    p95_ms: float
    queries: int
    floor_ms: float
    ratio: float
    bytes: int
    gzip_bytes: int
    slowest_queries: list[dict]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# The mix -------------------------------------------------------------------------------------


def _rows(sql: str, params=()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def pick_mix() -> list[View]:
    """The query mix, from the data: the same database always gives the same URLs."""
    from documents.models import Document, DocumentParticipant, Region
    from people.models import Person

    document = Document._meta.db_table
    region = Region._meta.db_table
    region_link = Document.regions.through._meta.db_table
    participant = DocumentParticipant._meta.db_table
    person = Person._meta.db_table

    # Documents under each world region (its own links and its places'), most first.
    worlds = _rows(
        f"""
        SELECT world.slug, COUNT(DISTINCT link.document_id) AS n
        FROM {region} world
        JOIN {region} place ON place.id = world.id OR place.parent_id = world.id
        JOIN {region_link} link ON link.region_id = place.id
        JOIN {document} d ON d.id = link.document_id AND d.status = 'published'
        WHERE world.parent_id IS NULL
        GROUP BY world.slug ORDER BY n DESC, world.slug
        """
    )
    places = _rows(
        f"""
        SELECT place.slug, COUNT(*) AS n
        FROM {region} place
        JOIN {region_link} link ON link.region_id = place.id
        JOIN {document} d ON d.id = link.document_id AND d.status = 'published'
        WHERE place.parent_id IS NOT NULL
        GROUP BY place.slug ORDER BY n DESC, place.slug
        """
    )
    people = _rows(
        f"""
        SELECT p.id, p.slug, COUNT(DISTINCT part.document_id) AS n
        FROM {participant} part
        JOIN {document} d ON d.id = part.document_id AND d.status = 'published'
        JOIN {person} p ON p.id = part.person_id
        GROUP BY p.id, p.slug ORDER BY n DESC, p.slug
        LIMIT {PERSON_RANK}
        """
    )
    if not worlds or not people:
        raise SystemExit("The database has no published documents with places and people.")
    heaviest_id, heaviest, _ = people[0]
    ranked = people[min(PERSON_RANK, len(people)) - 1][1]
    partner = _rows(
        f"""
        SELECT other_p.slug, COUNT(DISTINCT me.document_id) AS n
        FROM {participant} me
        JOIN {participant} other ON other.document_id = me.document_id
            AND other.person_id <> me.person_id
        JOIN {person} other_p ON other_p.id = other.person_id
        JOIN {document} d ON d.id = me.document_id AND d.status = 'published'
        WHERE me.person_id = %s
        GROUP BY other_p.slug ORDER BY n DESC, other_p.slug LIMIT 1
        """,
        [heaviest_id],
    )
    (median_date,) = _rows(
        f"SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY date) FROM {document} "
        "WHERE status = 'published'"
    )[0]
    decade = median_date.year // 10 * 10
    dates = [("date_from", str(decade)), ("date_to", str(decade + 9))]
    common, rare, second, phrase = keywords(document)
    (page,) = _rows(
        f"""
        SELECT d.identifier FROM {document} d
        JOIN {participant} part ON part.document_id = d.id
        WHERE part.person_id = %s AND d.status = 'published'
        ORDER BY d.identifier LIMIT 1
        """,
        [heaviest_id],
    )[0]

    world = worlds[0][0]
    place = places[len(places) // 2][0] if places else world
    two = [("person", heaviest)] + ([("person", partner[0][0])] if partner else [])
    return [
        View("list", "unfiltered list", "/documents/"),
        View("dates", f"decade {decade}s", "/documents/", dates),
        View("region", "largest world region", "/documents/", [("region", world)]),
        View("place", "a mid-sized place's page", f"/regions/{place}/"),
        View("person", f"person ranked {PERSON_RANK}", "/documents/", [("person", ranked)]),
        View("region-dates", "region + decade", "/documents/", [("region", world), *dates]),
        View("two-people", "heaviest person + who appears with them most", "/documents/", two),
        View("keyword", "common keyword", "/documents/", [("q", common)]),
        View("rare-keyword", "rarer keyword", "/documents/", [("q", rare)]),
        View(
            "keyword-filters",
            "common keyword + region + decade",
            "/documents/",
            [("q", common), ("region", world), *dates],
        ),
        View("two-words", "two common words", "/documents/", [("q", f"{common} {second}")]),
        View("phrase", "a phrase of a title", "/documents/", [("q", f'"{phrase}"')]),
        View("prefix", "a prefix", "/documents/", [("q", f"{common[:4]}*")]),
        View("exclusion", "a word without another", "/documents/", [("q", f"{common} -{rare}")]),
        *(
            View(
                f"{name}-filters",
                f"{label} + region + decade",
                "/documents/",
                [("q", query), ("region", world), *dates],
            )
            for name, label, query in (
                ("two-words", "two common words", f"{common} {second}"),
                ("phrase", "a phrase", f'"{phrase}"'),
                ("prefix", "a prefix", f"{common[:4]}*"),
                ("exclusion", "a word without another", f"{common} -{rare}"),
            )
        ),
        View("person-page", "heaviest person page", f"/people/{heaviest}/"),
        View("document", "a document of the heaviest person", f"/documents/{page}/"),
        View("api", "JSON API, unfiltered", "/api/documents/"),
    ]


def keywords(document_table: str) -> tuple[str, str, str, str]:
    """A common and a rarer word of titles and summaries, neither an English stop word; the
    next common word; and a phrase: the two words of a title most often seen together."""
    sample = (
        f"SELECT to_tsvector('simple', title || ' ' || summary) FROM {document_table} "
        f"WHERE status = 'published' ORDER BY id LIMIT {KEYWORD_SAMPLE}"
    )
    words = _rows(
        """
        SELECT word, ndoc FROM ts_stat(%s)
        WHERE word ~ '^[a-z]{5,}$' AND numnode(plainto_tsquery('english', word)) > 0
        ORDER BY ndoc DESC, word
        """,
        [sample],
    )
    if not words:
        raise SystemExit("No keywords found in the documents' titles and summaries.")
    (sampled,) = _rows(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {document_table} WHERE status = 'published' "
        f"LIMIT {KEYWORD_SAMPLE}) s"
    )[0]
    commons = [w for w, n in words if n <= sampled * COMMON_SHARE] or [words[-1][0]]
    common = commons[0]
    second = commons[1] if len(commons) > 1 else common
    target = max(1, sampled * RARE_SHARE)
    rare = min(words, key=lambda row: (abs(row[1] - target), row[0]))[0]
    pairs: dict[str, int] = {}
    for (title,) in _rows(
        f"SELECT lower(title) FROM {document_table} WHERE status = 'published' "
        f"ORDER BY id LIMIT {KEYWORD_SAMPLE}"
    ):
        found = re.findall(r"[a-z]{4,}", title)
        for a, b in zip(found, found[1:], strict=False):
            if f"{a} {b}" in title:
                pairs[f"{a} {b}"] = pairs.get(f"{a} {b}", 0) + 1
    phrase = max(sorted(pairs), key=lambda pair: pairs[pair]) if pairs else f"{common} {second}"
    return common, rare, second, phrase


# Measuring -----------------------------------------------------------------------------------


def clear_caches() -> None:
    from django.core.cache import caches

    for cache in caches.all(initialized_only=False):
        cache.clear()


def request(client, view: View):
    return client.get(view.path, view.params, secure=True)


def capture(client, view: View) -> tuple[list[str], object]:
    """The view's SQL (every database alias), from one untimed request."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with ExitStack() as stack:
        contexts = [
            stack.enter_context(CaptureQueriesContext(connections[alias])) for alias in connections
        ]
        response = request(client, view)
    return [query["sql"] for context in contexts for query in context.captured_queries], response


def is_read(sql: str) -> bool:
    return re.match(r"\s*(SELECT|WITH)\b", sql, re.IGNORECASE) is not None


def sql_floor(raw, queries: list[str], repeat: int) -> tuple[float, list[dict]]:
    """Replay the view's reads on a plain psycopg connection: the sum of per-query medians.

    The connection is read-only: a statement that writes (a cache table filled on a miss, say)
    fails there and is left out of the floor rather than run again.
    """
    import psycopg

    per_query = []
    with raw.cursor() as cursor:
        for sql in queries:
            if not is_read(sql):
                continue
            timings = []
            try:
                for _ in range(repeat):
                    started = time.perf_counter()
                    cursor.execute(sql)
                    cursor.fetchall()
                    timings.append((time.perf_counter() - started) * 1000)
            except psycopg.errors.ReadOnlySqlTransaction:
                continue
            per_query.append({"ms": statistics.median(timings), "sql": sql})
    total = sum(item["ms"] for item in per_query)
    slowest = sorted(per_query, key=lambda item: -item["ms"])[:3]
    return total, [{"ms": round(item["ms"], 2), "sql": item["sql"][:300]} for item in slowest]


def explain(raw, view: View, queries: list[str], folder: Path) -> None:
    import psycopg

    folder.mkdir(parents=True, exist_ok=True)
    parts = [f"# {view.name}: {view.label}\n# GET {view.url}\n"]
    with raw.cursor() as cursor:
        for number, sql in enumerate(queries, 1):
            if not is_read(sql):
                parts.append(f"\n-- query {number} (not a read, not explained)\n{sql}\n")
                continue
            try:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            except psycopg.errors.ReadOnlySqlTransaction:
                parts.append(f"\n-- query {number} (writes, not explained)\n{sql}\n")
                continue
            plan = "\n".join(row[0] for row in cursor.fetchall())
            parts.append(f"\n-- query {number}\n{sql}\n\n{plan}\n")
    (folder / f"{view.name}.txt").write_text("".join(parts), encoding="utf-8")


def raw_connection():
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    params = {
        "dbname": settings["NAME"],
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
    }
    params = {k: v for k, v in params.items() if v is not None}
    return psycopg.connect(
        **params,
        autocommit=True,
        prepare_threshold=None,
        # The same per-session settings as the site's connections (jit=off, work_mem, ...):
        # the floor is what the site's own queries cost.
        options=f"{settings['OPTIONS'].get('options', '')} -c default_transaction_read_only=on",
    )


def run_mode(client, raw, mix: list[View], mode: str, arguments) -> list[Result]:
    from django.db import connection

    results = []
    if mode == "warm":
        for view in mix:  # one run of the mix fills whatever the views cache
            request(client, view)
    for view in mix:
        timings = []
        response = None
        for _ in range(arguments.repeat):
            if mode == "cold":
                clear_caches()
                for sql in arguments.cold_sql:
                    with connection.cursor() as cursor:
                        cursor.execute(sql)
            started = time.perf_counter()
            response = request(client, view)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{view.url}: HTTP {response.status_code}")
        if mode == "cold":
            clear_caches()
        queries, response = capture(client, view)
        floor, slowest = sql_floor(raw, queries, arguments.floor_repeat)
        if arguments.explain and mode == ("cold" if "cold" in arguments.modes else "warm"):
            explain(raw, view, queries, arguments.explain)
        content = response.content
        p50 = statistics.median(timings)
        results.append(
            Result(
                view=view.name,
                url=view.url,
                mode=mode,
                status=response.status_code,
                timings_ms=[round(t, 2) for t in timings],
                p50_ms=round(p50, 1),
                p95_ms=round(percentile(timings, 0.95), 1),
                queries=len(queries),
                floor_ms=round(floor, 1),
                ratio=round(p50 / floor, 1) if floor else 0.0,
                bytes=len(content),
                gzip_bytes=len(gzip.compress(content, 6)),
                slowest_queries=slowest,
            )
        )
        print(f"  {mode} {view.name}: p50 {p50:.0f} ms", file=sys.stderr, flush=True)
    return results


def table(results: list[Result], mix: list[View]) -> str:
    labels = {view.name: view for view in mix}
    lines = [
        "| view | URL | mode | p50 ms | p95 ms | queries | SQL floor ms | p50/floor "
        "| KB | KB gzip |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        view = labels[r.view]
        lines.append(
            f"| {r.view} ({view.label}) | `{r.url}` | {r.mode} | {r.p50_ms:.0f} | {r.p95_ms:.0f} "
            f"| {r.queries} | {r.floor_ms:.1f} | {r.ratio:.1f}× | {r.bytes / 1024:.0f} "
            f"| {r.gzip_bytes / 1024:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="PostgreSQL URL (default: DATABASE_URL)")
    parser.add_argument("--settings", help="settings module (default: archive.settings.dev)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per view")
    parser.add_argument("--floor-repeat", type=int, default=5, help="replays per query")
    parser.add_argument("--mode", choices=["cold", "warm", "both"], default="both")
    parser.add_argument("--only", action="append", default=[], help="a view's name (repeat)")
    parser.add_argument("--explain", type=Path, help="folder for EXPLAIN (ANALYZE, BUFFERS)")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument(
        "--cold-sql",
        action="append",
        default=[],
        help="SQL run before each cold request too (e.g. to empty a cache kept in tables)",
    )
    parser.add_argument("--urls", action="store_true", help="print the mix's URLs and stop")
    arguments = parser.parse_args()
    arguments.modes = ["cold", "warm"] if arguments.mode == "both" else [arguments.mode]

    if arguments.database:
        os.environ["DATABASE_URL"] = arguments.database
    if arguments.settings:
        os.environ["DJANGO_SETTINGS_MODULE"] = arguments.settings
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.dev")
    arguments.settings = os.environ["DJANGO_SETTINGS_MODULE"]

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from documents.models import Document
    from search.health import index_status

    if connection.vendor != "postgresql":
        raise SystemExit("The scale benchmark needs PostgreSQL (DATABASE_URL or --database).")
    mix = pick_mix()
    if arguments.only:
        unknown = set(arguments.only) - {view.name for view in mix}
        if unknown:
            raise SystemExit(f"No such view: {', '.join(sorted(unknown))}")
        mix = [view for view in mix if view.name in arguments.only]
    if arguments.urls:
        for view in mix:
            print(view.url)
        return

    documents = Document.objects.published().count()
    load_before = os.getloadavg()
    started_at = datetime.datetime.now(datetime.UTC)
    # DEBUG off: no query log while timing. All requests come from one address, so the
    # rate limits (API 120/m) are raised in this process only.
    overrides = override_settings(
        DEBUG=False,
        ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS],
        ARCHIVE_RATE_LIMITS={group: "1000000/m" for group in settings.ARCHIVE_RATE_LIMITS},
    )
    status = index_status()
    if status.state != "ok":
        raise SystemExit(f"The search index is not current: {status.message}")
    index_note = f"search index of {status.documents:,} documents, generation {status.generation}"
    results: list[Result] = []
    with overrides, raw_connection() as raw:
        client = Client()
        for mode in arguments.modes:
            results.extend(run_mode(client, raw, mix, mode, arguments))
    load_after = os.getloadavg()

    header = (
        f"{documents:,} published documents, database {connection.settings_dict['NAME']}, "
        f"PostgreSQL {connection.pg_version // 10000}, {os.cpu_count()} cores, "
        f"{platform.node()}, {started_at:%Y-%m-%d %H:%M} UTC, settings {arguments.settings} "
        f"(DEBUG off), {arguments.repeat} requests a view, load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after, {index_note}"
    )
    print(f"\n{header}\n")
    print(table(results, mix))
    if arguments.json:
        arguments.json.write_text(
            json.dumps(
                {
                    "documents": documents,
                    "database": connection.settings_dict["NAME"],
                    "cores": os.cpu_count(),
                    "host": platform.node(),
                    "started": started_at.isoformat(),
                    "settings": arguments.settings,
                    "repeat": arguments.repeat,
                    "load_average": {"before": load_before, "after": load_after},
                    "index": index_note,
                    "mix": [asdict(view) | {"url": view.url} for view in mix],
                    "results": [asdict(result) for result in results],
                },
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
