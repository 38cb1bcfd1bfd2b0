"""Asking the index for a list: the total, a window of ids in order, facet counts, years and
snippets. The database then gives the rows of the window only.

Facet counts are exact: every segment reports every value it has (`segment_size` at least
the field's number of values), and a count whose error bound is not zero is asked again
with more; the people facet is cut only after the ties of its last place.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar, cast

import tantivy
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import index as search_index
from .index import SCHEMA
from .indexing import ensure_current
from .queries import Criteria, Occur, Query, keyword_query, range_query
from .schema import SNIPPET_FIELDS, day_number

T = TypeVar("T")


class Sort:
    RELEVANCE = "relevance"
    DATE = "date"
    DATE_DESC = "-date"
    TITLE = "title"
    PUBLISHED_DESC = "-published"


_ORDER_FIELDS = {
    Sort.DATE: ("sort_date", tantivy.Order.Asc),
    Sort.DATE_DESC: ("sort_date", tantivy.Order.Desc),
    Sort.TITLE: ("sort_title", tantivy.Order.Asc),
    Sort.PUBLISHED_DESC: ("sort_published", tantivy.Order.Desc),
}
# Relevance ties are broken by date, then id (both descending), over this many first hits.
_RANKED_EXACTLY = 5000
_SEGMENT_SIZE = 65_000  # Tantivy's default limit on buckets
FACETS = ("region", "person", "collection", "language", "archive", "year")
_FIELD_OF = {
    "region": "regions",
    "person": "people",
    "collection": "collections",
    "language": "language",
    "archive": "archive",
    "year": "year",
}


@dataclass
class Counts:
    """Raw facet counts of a list: value → count, each most frequent first."""

    total: int = 0
    regions: dict[int, int] = field(default_factory=dict)
    people: list[tuple[int, int]] = field(default_factory=list)  # (person id, count)
    people_more: bool = False  # people were left out by `people_limit`
    collections: dict[int, int] = field(default_factory=dict)
    languages: list[tuple[str, int]] = field(default_factory=list)
    archives: list[tuple[str, int]] = field(default_factory=list)
    years: list[tuple[int, int]] = field(default_factory=list)  # by year


@dataclass
class Window:
    """A window of a list: its ids in order, with their places in the index (for snippets)."""

    ids: list[int]
    addresses: list


# Tantivy lets go of the interpreter while it searches, so independent searches of one page
# run side by side on the machine's cores: the people facet (at 1M documents, 80 ms of the
# whole archive's 170) beside the other facets, and the four searches of related documents.
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _each(calls: Sequence[Callable[[], T]]) -> list[T]:
    return [call() for call in calls]


def side_by_side(calls: Sequence[Callable[[], T]]) -> list[T]:
    """The results of these calls, in order, made in `ARCHIVE_SEARCH_THREADS` threads (this
    one and the pool's), each thread taking an equal share; with 1, one after the other."""
    threads = min(settings.ARCHIVE_SEARCH_THREADS, len(calls))
    if threads < 2:
        return [call() for call in calls]
    shares = [calls[start::threads] for start in range(threads)]
    beside = [_thread_pool().submit(_each, share) for share in shares[1:]]
    done = [_each(shares[0]), *(future.result() for future in beside)]
    results: list = [None] * len(calls)
    for start, share in enumerate(done):
        results[start::threads] = share
    return results


def _aggregate(searcher, query, aggregations: dict) -> dict:
    """`searcher.aggregate`, the people facet beside the rest."""
    people = {name: spec for name, spec in aggregations.items() if name == "person"}
    rest = {name: spec for name, spec in aggregations.items() if name != "person"}
    if not people or len(rest) < 2:
        return searcher.aggregate(query, aggregations)
    found, beside = side_by_side(
        [lambda: searcher.aggregate(query, rest), lambda: searcher.aggregate(query, people)]
    )
    return {**found, **beside}


def _thread_pool() -> ThreadPoolExecutor:
    # Made on first use, in the process that uses it (never before gunicorn forks).
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(settings.ARCHIVE_SEARCH_THREADS - 1, "search")
        return _pool


def _searcher() -> tantivy.Searcher:
    ensure_current()
    return search_index.searcher()


def _document_ids(searcher: tantivy.Searcher, addresses: list[tantivy.DocAddress]) -> list[int]:
    return [cast(int, pk) for pk in searcher.fast_field_values("id", addresses)]


def count(criteria: Criteria) -> int:
    # tantivy 0.27's type stub leaves out SearchResult.count, which search(count=True) fills.
    return _searcher().search(criteria.query(), 1, count=True).count  # type: ignore[attr-defined]


def window(criteria: Criteria, *, sort: str, offset: int, limit: int) -> Window:
    """The ids of `limit` documents from `offset`, in the order `sort` names."""
    searcher = _searcher()
    query = criteria.query()
    if limit <= 0:
        return Window([], [])
    if sort == Sort.RELEVANCE and criteria.has_keywords:
        if offset + limit <= _RANKED_EXACTLY:
            result = searcher.search(query, _RANKED_EXACTLY, count=False)
            hits = result.hits
            keys = searcher.fast_field_values("sort_date", [address for _, address in hits])
            ranked = sorted(
                zip(hits, keys, strict=True), key=lambda pair: (-pair[0][0], -(pair[1] or 0))
            )
            chosen = [address for (_, address), _ in ranked[offset : offset + limit]]
        else:
            result = searcher.search(query, limit, count=False, offset=offset)
            chosen = [address for _, address in result.hits]
    else:
        field_name, order = _ORDER_FIELDS.get(sort, _ORDER_FIELDS[Sort.DATE_DESC])
        result = searcher.search(
            query, limit, count=False, order_by_field=field_name, offset=offset, order=order
        )
        chosen = [address for _, address in result.hits]
    return Window(_document_ids(searcher, chosen), chosen)


def all_ids(criteria: Criteria, *, sort: str, limit: int) -> list[int]:
    return window(criteria, sort=sort, offset=0, limit=limit).ids


def _terms(searcher, query, name: str, size: int) -> tuple[list[tuple], bool]:
    """A facet's buckets, most frequent first, exactly: asked again with more per segment
    while the engine says a count may be off."""
    segment_size = max(size, 10_000)
    while True:
        spec = {"terms": {"field": _FIELD_OF[name], "size": size, "segment_size": segment_size}}
        result = searcher.aggregate(query, {name: spec})[name]
        if not result.get("doc_count_error_upper_bound") or segment_size >= 10**7:
            break
        segment_size *= 10
    buckets = [(bucket["key"], bucket["doc_count"]) for bucket in result["buckets"]]
    return buckets, bool(result.get("sum_other_doc_count"))


def counts(
    criteria: Criteria,
    wanted: tuple[str, ...] = FACETS,
    *,
    people_limit: int | None = None,
    exclude_person: int | None = None,
) -> Counts:
    """The total and the `wanted` facets of these documents, in one pass of the index
    (two for the people facet when its ties run past the limit)."""
    searcher = _searcher()
    query = criteria.query()
    aggregations: dict = {"total": {"value_count": {"field": "id"}}}
    for name in wanted:
        size = _SEGMENT_SIZE
        segment = _SEGMENT_SIZE
        if name == "person" and people_limit is not None:
            size = people_limit + 1 + (1 if exclude_person else 0) + 20
            segment = _SEGMENT_SIZE
        aggregations[name] = {
            "terms": {"field": _FIELD_OF[name], "size": size, "segment_size": segment}
        }
    found = _aggregate(searcher, query, aggregations)
    result = Counts(total=int(found["total"]["value"] or 0))
    for name in wanted:
        answer = found[name]
        buckets = [(bucket["key"], bucket["doc_count"]) for bucket in answer["buckets"]]
        if answer.get("doc_count_error_upper_bound"):
            buckets, _ = _terms(searcher, query, name, aggregations[name]["terms"]["size"])
        if name == "person":
            result.people, result.people_more = _people(
                searcher, query, buckets, answer, people_limit, exclude_person
            )
        elif name == "region":
            result.regions = {int(key): n for key, n in buckets}
        elif name == "collection":
            result.collections = {int(key): n for key, n in buckets}
        elif name == "language":
            result.languages = sorted(buckets, key=lambda pair: (-pair[1], pair[0]))
        elif name == "archive":
            result.archives = sorted(buckets, key=lambda pair: (-pair[1], pair[0]))
        elif name == "year":
            result.years = sorted((int(key), n) for key, n in buckets)
    return result


def _people(searcher, query, buckets, answer, limit, exclude) -> tuple[list, bool]:
    """The people facet's first `limit` by count, with every person tied with the last of
    them (the page orders ties by name), so nobody is cut by the engine's own order; and
    whether anyone was left out."""
    while True:
        kept = [(int(key), n) for key, n in buckets if int(key) != exclude]
        complete = not answer.get("sum_other_doc_count")
        if limit is None or complete or (len(kept) > limit and kept[-1][1] < kept[limit - 1][1]):
            break
        size = len(buckets) * 4  # the ties of the last place may run past what came back
        spec = {
            "terms": {"field": "people", "size": size, "segment_size": max(size, _SEGMENT_SIZE)}
        }
        answer = searcher.aggregate(query, {"p": spec})["p"]
        buckets = [(bucket["key"], bucket["doc_count"]) for bucket in answer["buckets"]]
    return kept, not complete


# Snippets -------------------------------------------------------------------------------------

_START, _STOP = "\x02", "\x03"
SOURCE_LABELS = {
    "body": "In the full text:",
    "original": "In the original scan:",
    "transcript": "In the transcript:",
    "translation": "In the translation:",
    "ocr": "In the scan, read by OCR:",
}
_SUMMARY_WHOLE = 400  # a summary shorter than this is shown whole, its words marked
_PASSAGE = 240


def snippets(criteria: Criteria, found: Window) -> dict[int, SafeString]:
    """The passage that matches in each document of the window: its summary, else its full
    text, else the text of its versions (named: "In the original scan: …"). HTML-safe."""
    if not criteria.has_keywords or not found.ids:
        return {}
    query = keyword_query(criteria.keywords, positive_only=True)
    if query is None:
        return {}
    searcher = search_index.searcher()
    generators = {}
    for name in SNIPPET_FIELDS:
        generator = tantivy.SnippetGenerator.create(searcher, query, SCHEMA, name)
        generator.set_max_num_chars(_SUMMARY_WHOLE if name == "summary" else _PASSAGE)
        generators[name] = generator
    passages = {}
    for pk, address in zip(found.ids, found.addresses, strict=True):
        document = searcher.doc(address)
        for name in SNIPPET_FIELDS:
            snippet = generators[name].snippet_from_doc(document)
            highlighted = snippet.highlighted()
            if not highlighted:
                continue
            passages[pk] = _marked(snippet.fragment(), highlighted, name, document, generators)
            break
    return passages


def _marked(fragment: str, highlighted, name: str, document, generators) -> SafeString:
    """The fragment with its matches marked; the whole text, when it is a short summary."""
    raw = fragment.encode()
    pieces, last = [], 0
    for span in highlighted:
        pieces += [
            raw[last : span.start],
            _START.encode(),
            raw[span.start : span.end],
            _STOP.encode(),
        ]
        last = span.end
    pieces.append(raw[last:])
    text = b"".join(pieces).decode(errors="replace")
    values = document.to_dict().get(name) or [""]
    if name != "summary" and len(values[0]) > len(fragment):
        text = f"… {text} …"
    # Safe by construction: the document's text is escaped whole, then only our markers
    # become tags, so nothing a document holds can become markup.
    safe = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    if name in SOURCE_LABELS:
        safe = f'<span class="snippet-source">{SOURCE_LABELS[name]}</span> {safe}'
    return mark_safe(safe)  # noqa: S308


def nearest(
    searches: list[dict[str, list[int]]], *, around, excluded: int, limit: int
) -> list[int]:
    """Ids of the documents nearest in date to `around`, `limit` on each side for each of
    `searches` (documents sharing any of its people, regions or collections ids), without
    `excluded`; the searches run side by side."""
    searcher = _searcher()
    day = day_number(around)
    calls = []
    for shares in searches:
        alternatives = [
            Query.term_set_query(SCHEMA, name, ids) for name, ids in shares.items() if ids
        ]
        if not alternatives:
            continue
        for later in (False, True):
            side = range_query("date", low=day) if later else range_query("date", high=day)
            query = Query.boolean_query(
                [
                    (Occur.Must, Query.boolean_query([(Occur.Should, q) for q in alternatives])),
                    (Occur.Must, side),
                    (Occur.MustNot, Query.term_query(SCHEMA, "id", excluded)),
                ]
            )
            order = tantivy.Order.Asc if later else tantivy.Order.Desc
            calls.append(
                partial(
                    searcher.search,
                    query,
                    limit,
                    count=False,
                    order_by_field="sort_date",
                    order=order,
                )
            )
    addresses = [address for result in side_by_side(calls) for _, address in result.hits]
    return _document_ids(searcher, addresses)
