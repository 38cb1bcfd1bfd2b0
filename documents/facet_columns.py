"""Facet counts of large matches, counted in the web process from columns of facet values.

PostgreSQL counts facet values at about 2.5 µs a document: a keyword that matches a fifth of
a million-document archive spends half a second counting its matches' facet rows, more than a
page's whole budget (bench/README.md, "Keyword search in one pass"). Here every published
document's facet row (`DocumentFacets`) is held as numpy columns, about 60 bytes a document,
read in one snapshot together with the archive's version. A match then costs PostgreSQL only
its ids (and the keyword's rank), and numpy counts their values at a few nanoseconds each.

The columns answer only for exactly the version they were read at: the match that uses them
reads the archive's version in its own snapshot, and if any write came between, the counts
are taken by SQL instead (`facets._pg_counts`) and the columns are read afresh in a thread.
So no count ever mixes the archive before a write with the archive after it. Archives below
`ARCHIVE_FACET_COLUMNS_MIN_DOCUMENTS` published documents get no columns: SQL counts them
fast enough, and the memory is better left alone.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection, connections, transaction

logger = logging.getLogger(__name__)

# COPY's binary format: an 11-byte signature, flags and the length of a header extension
# (both int32), then each row as a field count (int16) and each field as length (int32) and
# value; -1 as a field count ends it.
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_HEADER = len(_SIGNATURE) + 8


class ColumnsStale(Exception):
    """The archive changed after the columns were read: count with SQL instead."""


def copy_out(sql: str, params: list, types: list[str]) -> np.ndarray:
    """The rows of `COPY (sql) TO STDOUT (FORMAT BINARY)` as a numpy record array with fields
    f0, f1, ...: every column fixed-width and never NULL, of the big-endian numpy `types`
    (">i8" for bigint, ">i4" for integer or date, ">f4" for real)."""
    statement = f"COPY ({sql}) TO STDOUT (FORMAT BINARY)"
    buffer = bytearray()
    with connection.cursor() as cursor:
        # Logged like any query (Django's debug log, the tests' query counts).
        logged = cursor.debug_sql(statement, params) if hasattr(cursor, "debug_sql") else None
        with (
            connection.wrap_database_errors,
            logged or nullcontext(),
            cursor.cursor.copy(statement, params) as copy,
        ):
            for block in copy:
                buffer += block
    if buffer[: len(_SIGNATURE)] != _SIGNATURE or buffer[-2:] != b"\xff\xff":
        raise ValueError("not a binary COPY")
    if int.from_bytes(buffer[len(_SIGNATURE) + 4 : _HEADER], "big") != 0:
        raise ValueError("a binary COPY with a header extension")
    fields = [("n", ">i2")]
    for position, kind in enumerate(types):
        fields += [(f"length{position}", ">i4"), (f"f{position}", kind)]
    rows = np.frombuffer(memoryview(buffer)[_HEADER:-2], dtype=np.dtype(fields))
    for position, kind in enumerate(types):  # a NULL would have shifted every row after it
        if len(rows) and not (rows[f"length{position}"] == np.dtype(kind).itemsize).all():
            raise ValueError(f"column {position} of a binary COPY is not all {kind}")
    return rows


@dataclass(frozen=True)
class Single:
    """A facet with one value a document: `codes[i]` is the position in `keys` of document
    i's value."""

    codes: np.ndarray
    keys: list

    def count(self, positions: np.ndarray) -> np.ndarray:
        return np.bincount(self.codes[positions], minlength=len(self.keys))


@dataclass(frozen=True)
class Multi:
    """A facet with any number of values a document (regions, people, collections): document
    i's values are `codes[starts[i]:starts[i + 1]]`, positions in `keys`, the values' ids."""

    starts: np.ndarray
    codes: np.ndarray
    keys: np.ndarray

    def count(self, positions: np.ndarray) -> np.ndarray:
        begin = self.starts[positions]
        lengths = self.starts[positions + 1] - begin
        # Where each matching document's values lie in `codes`, all at once: each one's
        # first, repeated for each of its values, plus how far along its values it is.
        ends = np.cumsum(lengths)
        total = int(ends[-1]) if len(ends) else 0
        flat = np.repeat(begin - (ends - lengths), lengths) + np.arange(total)
        return np.bincount(self.codes[flat], minlength=len(self.keys))

    @classmethod
    def of(cls, lengths: np.ndarray, values: np.ndarray) -> Multi:
        starts = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        if starts[-1] != len(values):
            raise ValueError("the facet's values do not add up to its documents' lengths")
        keys, codes = np.unique(values, return_inverse=True)
        return cls(starts, codes.astype(np.int32), keys)


@dataclass(frozen=True)
class FacetColumns:
    """Every published document's facet values at one version of the archive, in the order
    of their document ids."""

    version: int
    ids: np.ndarray  # int64, ascending
    dates: np.ndarray  # int32 days: the relevance order's first tie-break
    year: Single
    language: Single
    archive: Single
    region: Multi
    person: Multi
    collection: Multi

    @property
    def nbytes(self) -> int:
        arrays = [self.ids, self.dates, self.year.codes, self.language.codes, self.archive.codes]
        for multi in (self.region, self.person, self.collection):
            arrays += [multi.starts, multi.codes, multi.keys]
        return sum(array.nbytes for array in arrays)

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Where these document ids are in the columns."""
        found = np.searchsorted(self.ids, ids)
        if len(ids) and (found.max() >= len(self.ids) or (self.ids[found] != ids).any()):
            raise ColumnsStale  # a document the columns don't know: a write came between
        return found


# Reading ------------------------------------------------------------------------------------

_SIZE = (
    "SELECT coalesce(max(count), 0) FROM documents_facettotal "
    "WHERE scope = '' AND facet = 'all' AND value = ''"
)
_VERSION = "SELECT version FROM documents_archiveversion WHERE id = 1"
_DOCUMENTS = """SELECT f.document_id, f.date - DATE '2000-01-01', f.year::int,
        l.code::int, a.code::int, coalesce(cardinality(f.regions), 0),
        coalesce(cardinality(f.people), 0), coalesce(cardinality(f.collections), 0)
    FROM documents_documentfacets AS f
    JOIN unnest(%s::text[]) WITH ORDINALITY AS l(value, code) ON l.value = f.language
    JOIN unnest(%s::text[]) WITH ORDINALITY AS a(value, code) ON a.value = f.original_archive
    ORDER BY f.document_id"""
# A facet's values, document by document (in any order within one document).
_VALUES = """SELECT x FROM documents_documentfacets AS f, unnest(f.{facet}) AS x
    ORDER BY f.document_id"""


def _read() -> FacetColumns:
    with connection.cursor() as cursor:
        cursor.execute(_VERSION)
        version = cursor.fetchone()[0]
        labels = {}
        for name, column in (("language", "language"), ("archive", "original_archive")):
            cursor.execute(
                f"SELECT DISTINCT {column} FROM documents_documentfacets ORDER BY {column}"
            )
            labels[name] = [row[0] for row in cursor.fetchall()]
    rows = copy_out(
        _DOCUMENTS,
        [labels["language"], labels["archive"]],
        [">i8", ">i4", ">i4", ">i4", ">i4", ">i4", ">i4", ">i4"],
    )
    years, year_codes = np.unique(rows["f2"], return_inverse=True)
    multi = {}
    for position, facet in ((5, "regions"), (6, "people"), (7, "collections")):
        values = copy_out(_VALUES.format(facet=facet), [], [">i8"])["f0"]
        multi[facet] = Multi.of(rows[f"f{position}"].astype(np.int64), values.astype(np.int64))
    return FacetColumns(
        version=version,
        ids=rows["f0"].astype(np.int64),
        dates=rows["f1"].astype(np.int32),
        year=Single(year_codes.astype(np.int32), [int(year) for year in years]),
        # WITH ORDINALITY counts from 1.
        language=Single(rows["f3"].astype(np.int32) - 1, labels["language"]),
        archive=Single(rows["f4"].astype(np.int32) - 1, labels["archive"]),
        region=multi["regions"],
        person=multi["people"],
        collection=multi["collections"],
    )


def read_columns() -> FacetColumns:
    """The columns of the archive as it is now, read in one snapshot with its version."""
    if connection.in_atomic_block:  # a test's transaction: its own writes are all it sees
        return _read()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return _read()


# The process's columns ----------------------------------------------------------------------


class _Held:
    lock = threading.Lock()
    columns: FacetColumns | None = None
    reading: threading.Thread | None = None
    started = float("-inf")  # time.monotonic() of the last reading


def current(version: int | None) -> FacetColumns | None:
    """The columns, unless they are known to be older than `version` (None: not known; the
    match that uses them checks anyway). Without them, a fresh reading is started in the
    background (at most one at a time, and one every `ARCHIVE_FACET_COLUMNS_REREAD_SECONDS`)."""
    columns = _Held.columns
    if columns is not None and (version is None or columns.version == version):
        return columns
    reread_in_background()
    return None


def reread_in_background() -> threading.Thread | None:
    """Start reading the columns in a thread, unless the site reads none
    (`ARCHIVE_FACET_COLUMNS_MIN_DOCUMENTS` is None) or a reading is under way or recent."""
    if settings.ARCHIVE_FACET_COLUMNS_MIN_DOCUMENTS is None:
        return None
    with _Held.lock:
        if _Held.reading is not None and _Held.reading.is_alive():
            return None
        if time.monotonic() - _Held.started < settings.ARCHIVE_FACET_COLUMNS_REREAD_SECONDS:
            return None
        _Held.started = time.monotonic()
        _Held.reading = threading.Thread(target=_reread, name="facet-columns", daemon=True)
        _Held.reading.start()
        return _Held.reading


def _reread() -> None:
    try:  # the thread's own connection, closed when it is done
        refresh()
    except Exception:  # the columns are only a shortcut: counting goes on in SQL
        logger.exception("facet columns could not be read")
    finally:
        connections.close_all()


def refresh(*, min_documents: int | None = None) -> FacetColumns | None:
    """Read the columns now (in this thread), if the archive is large enough for them; held
    for this process's counts, and returned."""
    if connection.vendor != "postgresql":
        return None
    if min_documents is None:
        min_documents = settings.ARCHIVE_FACET_COLUMNS_MIN_DOCUMENTS or 0
    with connection.cursor() as cursor:
        cursor.execute(_SIZE)
        size = cursor.fetchone()[0]
    if size < min_documents:
        _Held.columns = None  # an archive that shrank frees its columns
        return None
    started = time.perf_counter()
    columns = read_columns()
    _Held.columns = columns
    logger.info(
        "facet columns of %d documents at version %d: %.1f MiB in %.1f s",
        len(columns.ids),
        columns.version,
        columns.nbytes / 2**20,
        time.perf_counter() - started,
    )
    return columns


def forget() -> None:
    """Drop this process's columns (tests)."""
    with _Held.lock:
        _Held.columns = None
        _Held.started = float("-inf")


# Counting -----------------------------------------------------------------------------------

_PEOPLE = """(SELECT 'person', p.id::text, c.n, p.name, p.slug, p.birth_year, p.death_year
    FROM unnest(%s::bigint[], %s::bigint[]) AS c(id, n)
    JOIN people_person AS p ON p.id = c.id
    ORDER BY c.n DESC, p.name, p.id LIMIT %s)"""
_COLLECTIONS = """SELECT 'collection', c.id::text, n.n, c.title, c.slug, NULL, NULL
    FROM unnest(%s::bigint[], %s::bigint[]) AS n(id, n)
    JOIN documents_collection AS c ON c.id = n.id"""


def count_rows(
    columns: FacetColumns,
    source: str,
    conditions: str,
    params: list,
    wanted: list[str],
    *,
    rank: str = "",
    rank_params: list | None = None,
    people_limit: int | None,
    excluded: list[int],
    ranked: int = 0,
) -> list[tuple]:
    """The rows `facets._PG_PARTS` (and `_PG_RANKED`, with `rank` and `ranked`) would give for
    the facet rows `f` of `source` (a FROM clause) that meet `conditions`, counted from the
    columns: PostgreSQL only finds the matching ids (with the archive's version, in the same
    snapshot, and their rank).

    Raises ColumnsStale when that snapshot is not the columns' version.
    """
    rank = rank if ranked else ""
    selected = f"f.document_id, ({rank})::real, v.version" if rank else "f.document_id, v.version"
    sql = f"SELECT {selected} FROM {source}, ({_VERSION}) AS v WHERE {conditions}"
    types = [">i8", ">f4", ">i8"] if rank else [">i8", ">i8"]
    found = copy_out(sql, [*((rank_params or []) if rank else []), *params], types)
    if len(found) and int(found[f"f{len(types) - 1}"][0]) != columns.version:
        raise ColumnsStale
    ids = found["f0"].astype(np.int64)
    at = columns.positions(ids)
    rows: list[tuple] = []
    if "total" in wanted:
        rows.append(("total", "", len(ids), None, None, None, None))
    if "region" in wanted:
        counts = columns.region.count(at)
        rows += [
            ("region", str(columns.region.keys[code]), int(counts[code]), None, None, None, None)
            for code in np.flatnonzero(counts)
        ]
    names_sql, names_params = [], []
    if "person" in wanted:
        counts = columns.person.count(at)
        if excluded:
            counts[np.isin(columns.person.keys, excluded)] = 0
        codes = np.flatnonzero(counts)
        if people_limit is not None and len(codes) > people_limit:
            # Everyone with at least the count of the limit-th (ties all come along).
            least = np.partition(counts[codes], len(codes) - people_limit)[-people_limit]
            codes = codes[counts[codes] >= least]
        names_sql.append(_PEOPLE)
        names_params += [columns.person.keys[codes].tolist(), counts[codes].tolist(), people_limit]
    if "collection" in wanted:
        counts = columns.collection.count(at)
        codes = np.flatnonzero(counts)
        names_sql.append(_COLLECTIONS)
        names_params += [columns.collection.keys[codes].tolist(), counts[codes].tolist()]
    for facet in ("language", "archive", "year"):
        if facet in wanted:
            single: Single = getattr(columns, facet)
            counts = single.count(at)
            rows += [
                (facet, str(single.keys[code]), int(counts[code]), None, None, None, None)
                for code in np.flatnonzero(counts)
                if single.keys[code] != ""
            ]
    if names_sql:
        with connection.cursor() as cursor:
            cursor.execute("\nUNION ALL\n".join(names_sql), names_params)
            rows += cursor.fetchall()
    if rank:
        ranks = found["f1"].astype(np.float32)
        chosen = np.arange(len(ids))
        if len(ids) > ranked:  # only those ranked at least as high as the last one kept
            least = np.partition(ranks, len(ids) - ranked)[len(ids) - ranked]
            chosen = np.flatnonzero(ranks >= least)
        # rank, then date, then id, all descending: `search.postgres_ranked`'s order.
        order = chosen[
            np.lexsort((-ids[chosen], -columns.dates[at[chosen]].astype(np.int64), -ranks[chosen]))
        ][:ranked]
        rows += [
            ("ranked", str(ids[index]), place, None, None, None, None)
            for place, index in enumerate(order.tolist(), start=1)
        ]
    return rows
