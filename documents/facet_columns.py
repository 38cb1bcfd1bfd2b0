"""Facet counts of large matches, counted in the web process from columns of facet values.

PostgreSQL counts facet values at about 2.5 µs a document: a keyword that matches a fifth of
a million-document archive spends half a second counting its matches' facet rows, more than a
page's whole budget (bench/README.md, "Keyword search in one pass"). Here every published
document's facet row (`DocumentFacets`) is held as numpy columns, about 80 bytes a document,
read in one snapshot together with the archive's version. Plain filters (`FacetSQL`: dates,
regions, people, collections, language, archive) are decided by the columns themselves; a
keyword costs PostgreSQL only its matches' ids and rank, and a word with postings kept
(`count_rows_posted`) not even finding them. numpy then counts their values at a few
nanoseconds each.

The columns answer only for exactly the version they were read at: a keyword's match reads
the archive's version in its own snapshot, plain filters compare the request's, and if any
write came between, the counts are taken by SQL instead (`facets._pg_counts`) and the
columns are read afresh in a thread. So no count ever mixes the archive before a write with
the archive after it. Archives below
`ARCHIVE_FACET_COLUMNS_MIN_DOCUMENTS` published documents get no columns: SQL counts them
fast enough, and the memory is better left alone.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.conf import settings
from django.db import connection, connections, transaction

from .models import FacetSQL

logger = logging.getLogger(__name__)

# Read by hand, not through a library: psycopg's loaders build a Python object per array
# element (a million ids cost about as long as counting them in SQL), and no maintained
# library reads PostgreSQL's binary format into numpy.
# COPY's binary format: an 11-byte signature, flags and the length of a header extension
# (both int32), then each row as a field count (int16) and each field as its length (int32)
# and value. An array value: dimensions, has-nulls flag and element type (int32 each), then
# per dimension its size and lower bound, then each element as length (int32) and value.
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_HEADER = len(_SIGNATURE) + 8
_EPOCH = date(2000, 1, 1)  # PostgreSQL's, whose day numbers the columns keep
_ELEMENTS = {20: ">i8", 23: ">i4", 21: ">i2", 700: ">f4"}  # by type oid: bigint, int, real


class ColumnsStale(Exception):
    """The archive changed after the columns were read: count with SQL instead."""


def _int(buffer: memoryview, at: int, size: int = 4) -> int:
    return int.from_bytes(buffer[at : at + size], "big", signed=True)


def _copy(sql: str, params: list) -> memoryview:
    """What `COPY (sql) TO STDOUT (FORMAT BINARY)` sends."""
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
    data = memoryview(buffer)
    if data[: len(_SIGNATURE)] != _SIGNATURE or _int(data, len(_SIGNATURE) + 4):
        raise ValueError("not a binary COPY without header extensions")
    return data


def copy_rows(sql: str, params: list) -> list[list[memoryview]]:
    """The rows of `sql`, each as the bytes of its fields in PostgreSQL's binary format (a
    NULL is refused). PostgreSQL sends each row as a message of its own, which costs Python
    about a microsecond: for many values, send few rows of arrays."""
    data = _copy(sql, params)
    rows = []
    at = _HEADER
    while (fields := _int(data, at, 2)) >= 0:
        at += 2
        row = []
        for _ in range(fields):
            length = _int(data, at)
            if length < 0:
                raise ValueError("a NULL in a binary COPY")
            row.append(data[at + 4 : at + 4 + length])
            at += 4 + length
        rows.append(row)
    if at != len(data) - 2:
        raise ValueError("a binary COPY that goes on after its end")
    return rows


def array(data: memoryview) -> np.ndarray:
    """A one-dimensional array of bigint, integer, smallint or real without NULLs, from
    PostgreSQL's binary format, without a Python object per element."""
    dimensions, nulls, element = _int(data, 0), _int(data, 4), _int(data, 8)
    if element not in _ELEMENTS or nulls or dimensions > 1:
        raise ValueError("not a one-dimensional array of numbers without NULLs")
    kind = np.dtype(_ELEMENTS[element])
    if dimensions == 0:
        return np.zeros(0, dtype=kind.newbyteorder("="))
    pairs = np.frombuffer(data[20:], dtype=np.dtype([("length", ">i4"), ("value", kind)]))
    if len(pairs) != _int(data, 12) or (pairs["length"] != kind.itemsize).any():
        raise ValueError("an array in a binary COPY is not what its header says")
    return pairs["value"].astype(kind.newbyteorder("="))


def copy_arrays(sql: str, params: list) -> list[np.ndarray]:
    """The one row of `sql`, whose columns are arrays (see `array`)."""
    rows = copy_rows(sql, params)
    if len(rows) != 1:
        raise ValueError(f"{len(rows)} rows where one was expected")
    return [array(field) for field in rows[0]]


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
        flat = _spread(begin, self.starts[positions + 1] - begin)  # where their values are
        return np.bincount(self.codes[flat], minlength=len(self.keys))


@dataclass(frozen=True)
class FacetColumns:
    """Every published document's facet values at one version of the archive, in the order
    of their document ids."""

    version: int
    ids: np.ndarray  # int64, ascending
    dates: np.ndarray  # int32 days since 2000-01-01: the relevance order's first tie-break
    date_last: np.ndarray  # int32 days: the last day a document's date may mean
    year: Single
    language: Single
    archive: Single
    region: Multi
    person: Multi
    collection: Multi
    # The words whose postings are kept (`SearchWord`; a change to them is a new version).
    words: frozenset[str] = frozenset()

    @property
    def nbytes(self) -> int:
        arrays = [self.ids, self.dates, self.date_last, self.year.codes]
        arrays += [self.language.codes, self.archive.codes]
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
# The published documents a range of ids at a time (a few statements, each one row, so that
# PostgreSQL sends a few messages, not a million: each costs Python about a microsecond).
# Each row holds two byte strings: every document's fixed-width values, 40 bytes each, and
# its regions, people and collections, each array in its binary form, one after another.
_RANGE = "SELECT min(document_id), max(document_id) FROM documents_documentfacets"
_SPAN = 100_000  # document ids a statement (its bytes are held twice while they arrive)
_CHUNK = """SELECT
        coalesce(string_agg(int8send(f.document_id) || int4send(f.date - DATE '2000-01-01')
            || int4send(f.date_last - DATE '2000-01-01')
            || int4send(f.year::int) || int4send(l.code::int) || int4send(a.code::int)
            || int4send(coalesce(cardinality(f.regions), 0))
            || int4send(coalesce(cardinality(f.people), 0))
            || int4send(coalesce(cardinality(f.collections), 0)), ''), ''),
        coalesce(string_agg(array_send(coalesce(f.regions, '{}'))
            || array_send(coalesce(f.people, '{}'))
            || array_send(coalesce(f.collections, '{}')), ''), '')
    FROM documents_documentfacets AS f
    JOIN unnest(%s::text[]) WITH ORDINALITY AS l(value, code) ON l.value = f.language
    JOIN unnest(%s::text[]) WITH ORDINALITY AS a(value, code) ON a.value = f.original_archive
    WHERE f.document_id BETWEEN %s AND %s"""
_FIXED = np.dtype(
    [
        ("id", ">i8"),
        ("date", ">i4"),
        ("date_last", ">i4"),
        ("year", ">i4"),
        ("language", ">i4"),
        ("archive", ">i4"),
        ("regions", ">i4"),
        ("people", ">i4"),
        ("collections", ">i4"),
    ]
)
_MULTI = ("regions", "people", "collections")


def _take(data: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The big-endian bigints at these offsets of the bytes `data`."""
    taken = np.empty(len(offsets), dtype=np.int64)
    step = 1 << 18  # offsets at a time: the byte indexes of all at once would be 8× their size
    for first in range(0, len(offsets), step):
        part = offsets[first : first + step]
        taken[first : first + step] = data[part[:, None] + np.arange(8)].view(">i8").ravel()
    return taken


def _spread(starts: np.ndarray, counts: np.ndarray, step: int = 1) -> np.ndarray:
    """For each i, starts[i] + step * k for k in range(counts[i]), all in one array."""
    ends = np.cumsum(counts)
    total = int(ends[-1]) if len(ends) else 0
    first = np.repeat(starts - step * (ends - counts), counts)
    return first + step * np.arange(total)


def _encode(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(keys, codes): the distinct values in order, and each value's position among them."""
    if len(values) and values.min() >= 0 and values.max() < 8 * len(values) + 1024:
        present = np.zeros(int(values.max()) + 1, dtype=bool)  # ids: no sort needed
        present[values] = True
        keys = np.flatnonzero(present)
        lookup = np.zeros(len(present), dtype=np.int32)
        lookup[keys] = np.arange(len(keys), dtype=np.int32)
        return keys.astype(np.int64), lookup[values]
    keys, codes = np.unique(values, return_inverse=True)
    return keys, codes.astype(np.int32)


def _read_span(first: int, last: int, labels: dict[str, list[str]]) -> dict[str, np.ndarray]:
    """The documents with ids from `first` to `last`, in the order of their ids: their
    fixed-width values, and each facet's values with its number a document."""
    (row,) = copy_rows(_CHUNK, [labels["language"], labels["archive"], first, last])
    fixed = np.frombuffer(row[0], dtype=_FIXED)
    arrays = np.frombuffer(row[1], dtype=np.uint8)
    # Where each document's three arrays are: an empty array is 12 bytes (dimensions, nulls,
    # element type), any other 8 more (its size and lower bound), then a length (4 bytes)
    # and a value (8) for each element.
    counts = {facet: fixed[facet].astype(np.int64) for facet in _MULTI}
    sizes = {facet: np.where(n > 0, 20 + 12 * n, 12) for facet, n in counts.items()}
    block = sum(sizes.values())
    if int(block.sum()) != len(arrays):
        raise ValueError("the facet arrays are not what their cardinalities say")
    start = np.cumsum(block) - block
    order = np.argsort(fixed["id"], kind="stable")
    # Native, and narrow where the values allow: every span is held until they are joined.
    span = {
        name: fixed[name][order].astype(np.int64 if name == "id" else np.int32)
        for name in _FIXED.names
    }
    for facet in _MULTI:
        span[f"{facet} values"] = _take(arrays, _spread(start[order] + 24, span[facet], 12))
        start = start + sizes[facet]
    return span


def _version() -> int:
    with connection.cursor() as cursor:
        cursor.execute(_VERSION)
        return cursor.fetchone()[0]


def _read() -> FacetColumns:
    version = _version()
    with connection.cursor() as cursor:
        labels = {}
        for name, column in (("language", "language"), ("archive", "original_archive")):
            cursor.execute(
                f"SELECT DISTINCT {column} FROM documents_documentfacets ORDER BY {column}"
            )
            labels[name] = [row[0] for row in cursor.fetchall()]
        cursor.execute(_RANGE)
        low, high = cursor.fetchone()
        cursor.execute("SELECT lexeme FROM documents_searchword")
        words = frozenset(row[0] for row in cursor.fetchall())
    spans = [
        _read_span(first, first + _SPAN - 1, labels)
        for first in range(low or 0, (high or -1) + 1, _SPAN)
    ]

    documents = sum(len(span["id"]) for span in spans)

    def joined(name: str) -> np.ndarray:
        """One column of all the spans, which let go of theirs (each is joined once)."""
        wide = name == "id" or name.endswith(" values")  # ids; the rest fit in 32 bits
        empty = np.zeros(0, np.int64 if wide else np.int32)
        return np.concatenate([span.pop(name) for span in spans] or [empty])

    multi = {}
    for facet in _MULTI:
        keys, codes = _encode(joined(f"{facet} values"))
        starts = np.zeros(documents + 1, dtype=np.int64)
        np.cumsum(joined(facet), out=starts[1:])
        multi[facet] = Multi(starts, codes, keys)
    year_keys, year_codes = np.unique(joined("year"), return_inverse=True)
    return FacetColumns(
        version=version,
        ids=joined("id"),
        dates=joined("date"),
        date_last=joined("date_last"),
        year=Single(year_codes.astype(np.int32), [int(year) for year in year_keys]),
        # WITH ORDINALITY counts from 1.
        language=Single(joined("language") - 1, labels["language"]),
        archive=Single(joined("archive") - 1, labels["archive"]),
        region=multi["regions"],
        person=multi["people"],
        collection=multi["collections"],
        words=words,
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
    id_column: str,
    wanted: list[str],
    *,
    rank: str = "",
    rank_params: list | None = None,
    people_limit: int | None,
    excluded: list[int],
    ranked: int = 0,
) -> list[tuple]:
    """The rows `facets._PG_PARTS` (and `_PG_RANKED`, with `rank` and `ranked`) would give for
    the documents of `source` (a FROM clause) that meet `conditions`, whose ids are
    `id_column`, counted from the columns: PostgreSQL only finds the matching ids (with the
    archive's version, in the same snapshot, and their rank).

    Raises ColumnsStale when that snapshot is not the columns' version.
    """
    rank = rank if ranked else ""
    # One row of arrays, with the archive's version in the same snapshot.
    selected = [f"coalesce(array_agg({id_column}), '{{}}')", f"ARRAY[({_VERSION})]"]
    if rank:
        selected.append(f"coalesce(array_agg(({rank})::real), '{{}}')")
    sql = f"SELECT {', '.join(selected)} FROM {source} WHERE {conditions}"
    found = copy_arrays(sql, [*((rank_params or []) if rank else []), *params])
    if int(found[1][0]) != columns.version:
        raise ColumnsStale
    at = columns.positions(found[0].astype(np.int64))
    rows = _counted(columns, at, wanted, people_limit=people_limit, excluded=excluded)
    if rank:
        rows += _ranked(columns, at, found[2], ranked)
    return rows


def _days(value: date) -> int:
    return (value - _EPOCH).days


def _any_of(multi: Multi, ids: list[int], documents: int) -> np.ndarray:
    """Which documents have any of these values."""
    # How many of the values before each one are among them; a document has one if that
    # grows across its values.
    hits = np.zeros(len(multi.codes) + 1, dtype=np.int32)
    np.cumsum(np.isin(multi.keys, ids)[multi.codes], out=hits[1:])
    return hits[multi.starts[1:]] > hits[multi.starts[:-1]]


def _all_of(multi: Multi, ids: list[int], documents: int) -> np.ndarray:
    having = np.ones(documents, dtype=bool)
    for value in ids:
        having &= _any_of(multi, [value], documents)
    return having


def _equal(single: Single, value: str) -> np.ndarray:
    if value not in single.keys:
        return np.zeros(len(single.codes), dtype=bool)
    return single.codes == single.keys.index(value)


# The facet conditions of `FacetSQL` that the columns can decide, as (columns, parameter) ->
# which documents meet them.
_DECIDE = {
    FacetSQL.ENDS_FROM: lambda c, day: c.date_last >= _days(day),
    FacetSQL.BEGINS_BY: lambda c, day: c.dates <= _days(day),
    FacetSQL.REGIONS_ANY: lambda c, ids: _any_of(c.region, ids, len(c.ids)),
    FacetSQL.PEOPLE_ALL: lambda c, ids: _all_of(c.person, ids, len(c.ids)),
    FacetSQL.COLLECTIONS_ANY: lambda c, ids: _any_of(c.collection, ids, len(c.ids)),
    FacetSQL.LANGUAGE: lambda c, value: _equal(c.language, value),
    FacetSQL.ARCHIVE: lambda c, value: _equal(c.archive, value),
}


def decides(where: list) -> bool:
    """Whether the columns alone can tell which documents meet all these facet conditions."""
    return all(condition.sql in _DECIDE and len(condition.params) == 1 for condition in where)


def count_rows_where(
    columns: FacetColumns,
    where: list,
    wanted: list[str],
    *,
    version: int | None,
    people_limit: int | None,
    excluded: list[int],
) -> list[tuple]:
    """The same rows for the documents that meet facet conditions the columns `decides`,
    without asking PostgreSQL which they are: the archive at `version` (read now if None).

    Raises ColumnsStale when that is not the columns' version.
    """
    if (version if version is not None else _version()) != columns.version:
        raise ColumnsStale
    at = _meeting(columns, where)
    return _counted(columns, at, wanted, people_limit=people_limit, excluded=excluded)


def _meets(columns: FacetColumns, where: list) -> np.ndarray:
    """Whether each document meets facet conditions the columns `decides`."""
    meets = np.ones(len(columns.ids), dtype=bool)
    for condition in where:
        meets &= _DECIDE[condition.sql](columns, condition.params[0])
    return meets


def _meeting(columns: FacetColumns, where: list) -> np.ndarray:
    """The positions of the documents that meet facet conditions the columns `decides`."""
    return np.flatnonzero(_meets(columns, where))


# At most this many ids are sent for PostgreSQL to test a keyword on; past that, finding them
# from their facet rows costs less than sending them (bench/README.md, "A keyword among
# filtered documents").
AMONG_MOST = 50_000
# The ids as one string: a list is quoted element by element when Django's cursor binds it
# (46 ms for 39k ids), and given an array of known values the planner looked each id up by
# the primary key even for a word the search index would have ruled out at once.
_AMONG_IDS = "d.id = ANY(string_to_array(%s, ',')::bigint[])"


def count_rows_among(
    columns: FacetColumns,
    filters: list,
    keyword: list,
    wanted: list[str],
    *,
    rank: str,
    rank_params: list,
    people_limit: int | None,
    excluded: list[int],
    ranked: int,
) -> list[tuple] | None:
    """`count_rows` for a keyword among documents that other conditions narrow, when the
    columns decide those (`decides`): PostgreSQL tests the keyword on those documents' ids
    alone, instead of reading their facet rows to find them (a decade of a large region:
    290k facet rows read for 39k documents). None when they are more than `AMONG_MOST`.

    Raises ColumnsStale as `count_rows` does: the ids are the columns', so PostgreSQL must
    see the same version of the archive.
    """
    at = _meeting(columns, filters)
    if len(at) > AMONG_MOST:
        return None
    conditions = " AND ".join([*(f"({condition.sql})" for condition in keyword), _AMONG_IDS])
    params = [value for condition in keyword for value in condition.params]
    return count_rows(
        columns,
        "documents_document AS d",
        conditions,
        [*params, ",".join(map(str, columns.ids[at].tolist()))],
        "d.id",
        wanted,
        rank=rank,
        rank_params=rank_params,
        people_limit=people_limit,
        excluded=excluded,
        ranked=ranked,
    )


# A chosen word's postings, a row for each span of ids, and a row that holds the archive's
# version in the same snapshot (each row: version, ids, ranks, as bytes; each but one empty).
_POSTED = f"""SELECT int8send(({_VERSION})), ''::bytea, ''::bytea
    UNION ALL
    SELECT '', p.document_ids, p.ranks FROM documents_searchpostings AS p
    WHERE p.lexeme = %s"""


def count_rows_posted(
    columns: FacetColumns,
    filters: list,
    lexeme: str,
    wanted: list[str],
    *,
    people_limit: int | None,
    excluded: list[int],
    ranked: int,
) -> list[tuple] | None:
    """`count_rows` for a search for one word among the documents that `filters` (which the
    columns `decides`) leave, read from the word's postings: its matches and their ranks
    are read, not found and ranked one vector at a time. None when the word had no postings
    kept (`SearchWord`) at the columns' version.

    Postings are kept for drafts too: once PostgreSQL's snapshot is the columns' version, a
    document the columns do not hold is not published, and is left out.
    """
    if lexeme not in columns.words:
        return None
    read = copy_rows(_POSTED, [lexeme])
    (version,) = [_int(versions, 0, 8) for versions, _, _ in read if len(versions)]
    if version != columns.version:
        raise ColumnsStale
    ids = np.frombuffer(b"".join(ids for _, ids, _ in read), ">i8").astype(np.int64)
    ranks = np.frombuffer(b"".join(ranks for _, _, ranks in read), ">f4").astype(np.float32)
    found = np.searchsorted(columns.ids, ids)
    held = found < len(columns.ids)
    held[held] = columns.ids[found[held]] == ids[held]
    if filters:
        held[held] = _meets(columns, filters)[found[held]]
    at = found[held]
    counted = _counted(columns, at, wanted, people_limit=people_limit, excluded=excluded)
    return counted + (_ranked(columns, at, ranks[held], ranked) if ranked else [])


def _counted(
    columns: FacetColumns,
    at: np.ndarray,
    wanted: list[str],
    *,
    people_limit: int | None,
    excluded: list[int],
) -> list[tuple]:
    """The facet rows of the documents at these positions."""
    rows: list[tuple] = []
    if "total" in wanted:
        rows.append(("total", "", len(at), None, None, None, None))
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
    return rows


def _ranked(columns: FacetColumns, at: np.ndarray, ranks: np.ndarray, ranked: int) -> list[tuple]:
    """The first `ranked` of the documents at these positions, by rank, then date, then id,
    all descending: `search.postgres_ranked`'s order."""
    ids = columns.ids[at]
    chosen = np.arange(len(ids))
    if len(ids) > ranked:  # only those ranked at least as high as the last one kept
        least = np.partition(ranks, len(ids) - ranked)[len(ids) - ranked]
        above = np.flatnonzero(ranks > least)  # fewer than `ranked`: all are kept
        tied = np.flatnonzero(ranks == least)
        # A word's ranks take few values, so tens of thousands may tie at the last one kept:
        # of those, only the latest can be kept, by the next key, their dates.
        wanted = ranked - len(above)
        if len(tied) > wanted:
            dates = columns.dates[at[tied]]
            latest = np.partition(dates, len(tied) - wanted)[len(tied) - wanted]
            tied = tied[dates >= latest]
        chosen = np.concatenate([above, tied])
    order = chosen[
        np.lexsort((-ids[chosen], -columns.dates[at[chosen]].astype(np.int64), -ranks[chosen]))
    ][:ranked]
    return [
        ("ranked", str(ids[index]), place, None, None, None, None)
        for place, index in enumerate(order.tolist(), start=1)
    ]
