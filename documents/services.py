"""Write-side operations on documents that are not batch imports.

Publishing, renaming and merging places or collections go through here, so that
`first_published` (which OAI-PMH and feeds rely on), old permanent links, edit history and
search vectors are kept whoever makes the change. Each change leaves a historical record
(django-simple-history) naming who made it and why; imports do not (they are audited by
their ImportBatch).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from curation.history import record_history

from .facets import facet_values_sql
from .models import (
    Collection,
    Document,
    IdentifierRedirect,
    PrecountedScope,
    Region,
    SearchPostings,
    SearchWord,
    Status,
)
from .search import refresh_search_vectors

HISTORY_CHUNK = 2000


class MergeRefused(Exception):
    """A merge that would lose or tangle something; nothing was changed."""


def id_chunks(ids: Sequence[int], size: int = HISTORY_CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def documents_record_history(document_ids: Iterable[int], *, user=None, reason: str) -> None:
    """A historical record of each document as it is now, in bulk, `reason` saying why."""
    ids = sorted(set(document_ids))
    for chunk in id_chunks(ids):
        documents = Document.objects.filter(pk__in=chunk).defer("search_vector").order_by("pk")
        record_history(documents, user=user, reason=reason)


def documents_mark_edited(document_ids: Iterable[int], *, now=None) -> None:
    """Archivists changed these documents by hand: later imports and undo respect that, and
    OAI-PMH harvesters see them as changed."""
    now = now or timezone.now()
    for chunk in id_chunks(sorted(set(document_ids))):
        Document.objects.filter(pk__in=chunk).update(edited_at=now, modified=now)


@transaction.atomic
def documents_publish(*, documents: QuerySet, user=None) -> int:
    """Make documents public (an archivist's decision); returns how many changed."""
    now = timezone.now()
    ids = list(documents.exclude(status=Status.PUBLISHED).values_list("pk", flat=True))
    for chunk in id_chunks(ids):
        changing = Document.objects.filter(pk__in=chunk)
        changing.filter(first_published__isnull=True).update(first_published=now)
        changing.update(status=Status.PUBLISHED, modified=now, edited_at=now)
    documents_record_history(ids, user=user, reason="Published")
    return len(ids)


@transaction.atomic
def documents_unpublish(*, documents: QuerySet, user=None) -> int:
    """Hold documents back as drafts; returns how many changed."""
    now = timezone.now()
    ids = list(documents.exclude(status=Status.DRAFT).values_list("pk", flat=True))
    for chunk in id_chunks(ids):
        Document.objects.filter(pk__in=chunk).update(
            status=Status.DRAFT, modified=now, edited_at=now
        )
    documents_record_history(ids, user=user, reason="Unpublished (made a draft)")
    return len(ids)


def document_mark_edited(*, document: Document) -> None:
    """Note that an archivist changed the document by hand just now."""
    documents_mark_edited([document.pk])


@transaction.atomic
def document_rename(*, document: Document, old_identifier: str) -> None:
    """Record that `document` was known as `old_identifier`, so its old URL redirects.

    A redirect that pointed the new identifier elsewhere is dropped: the live record wins.
    """
    if old_identifier == document.identifier:
        return
    IdentifierRedirect.objects.filter(old_identifier=document.identifier).delete()
    IdentifierRedirect.objects.update_or_create(
        old_identifier=old_identifier, defaults={"document": document}
    )


# Merging duplicate places and collections ----------------------------------------------------


def _move_links(through, field: str, survivor_id: int, other_ids: list[int]) -> set[int]:
    """Point every document's link to one of `other_ids` at the survivor instead, once per
    document; returns the documents whose links changed."""
    rows = list(
        through.objects.filter(**{f"{field}__in": [survivor_id, *other_ids]}).values_list(
            "id", "document_id", field
        )
    )
    has_survivor = {document_id for _id, document_id, target in rows if target == survivor_id}
    affected: set[int] = set()
    move: list[int] = []
    drop: list[int] = []
    for link_id, document_id, target in rows:
        if target == survivor_id:
            continue
        affected.add(document_id)
        if document_id in has_survivor:
            drop.append(link_id)
        else:
            has_survivor.add(document_id)
            move.append(link_id)
    for chunk in id_chunks(drop):
        through.objects.filter(id__in=chunk).delete()
    for chunk in id_chunks(move):
        through.objects.filter(id__in=chunk).update(**{field: survivor_id})
    return affected


def merge_lock(model, survivor, others) -> list:
    chosen = [other for other in others if other.pk != survivor.pk]
    if not chosen:
        return []
    # Lock the rows, fresh, so two archivists merging at once cannot interleave.
    ids = sorted({survivor.pk, *(other.pk for other in chosen)})
    locked = {obj.pk: obj for obj in model.objects.select_for_update().filter(pk__in=ids)}
    if survivor.pk not in locked or len(locked) != len(ids):
        raise MergeRefused("One of the records to merge no longer exists.")
    return [locked[other.pk] for other in chosen]


def merge_finish(affected: set[int], *, user, reason: str) -> None:
    documents_mark_edited(affected)
    documents_record_history(affected, user=user, reason=reason)
    refresh_search_vectors(affected)


def merge_delete_others(others, survivor, user) -> None:
    for other in others:
        other._change_reason = f"Merged into {survivor} (#{survivor.pk})"[:100]
        other._history_user = user
        other.delete()


@transaction.atomic
def regions_merge(*, survivor: Region, others: Iterable[Region], user=None) -> int:
    """Merge duplicate places into `survivor`: their documents and the places under them move
    to it, then they are deleted (their history keeps them). Returns the documents changed.

    Refused when the survivor sits under one of the others (the tree would lose its root).
    """
    others = merge_lock(Region, survivor, others)
    if not others:
        return 0
    survivor = Region.objects.get(pk=survivor.pk)
    other_ids = [other.pk for other in others]
    ancestor, seen = survivor.parent_id, set()
    while ancestor is not None and ancestor not in seen:
        if ancestor in other_ids:
            raise MergeRefused(
                f"{survivor} is under a place being merged into it; merge the other way round."
            )
        seen.add(ancestor)
        ancestor = Region.objects.filter(pk=ancestor).values_list("parent_id", flat=True).first()
    names = ", ".join(other.name for other in others)
    for child in Region.objects.filter(parent_id__in=other_ids).exclude(pk=survivor.pk):
        child.parent = survivor
        child._change_reason = f"Its place {names} was merged into {survivor.name}"[:100]
        child._history_user = user
        child.save(update_fields=["parent"])
    affected = _move_links(Document.regions.through, "region_id", survivor.pk, other_ids)
    merge_delete_others(others, survivor, user)
    survivor._change_reason = f"Merged in: {names}"[:100]
    survivor._history_user = user
    survivor.save()
    merge_finish(affected, user=user, reason=f"Places merged: {names} into {survivor.name}")
    return len(affected)


@transaction.atomic
def collections_merge(*, survivor: Collection, others: Iterable[Collection], user=None) -> int:
    """Merge duplicate collections into `survivor`: their documents move to it, an empty
    description is filled from theirs, then they are deleted (their history keeps them).
    Returns the number of documents whose collections changed."""
    others = merge_lock(Collection, survivor, others)
    if not others:
        return 0
    survivor = Collection.objects.get(pk=survivor.pk)
    other_ids = [other.pk for other in others]
    names = ", ".join(other.title for other in others)
    affected = _move_links(Document.collections.through, "collection_id", survivor.pk, other_ids)
    if not survivor.description.strip():
        survivor.description = next((o.description for o in others if o.description.strip()), "")
    merge_delete_others(others, survivor, user)
    survivor._change_reason = f"Merged in: {names}"[:100]
    survivor._history_user = user
    survivor.save()
    merge_finish(affected, user=user, reason=f"Collections merged: {names} into {survivor.title}")
    return len(affected)


# Precounted facet scopes ---------------------------------------------------------------------

# Which facet rows a scope holds, by its facet.
_SCOPE_CONDITIONS = {
    "region": "f.regions @> ARRAY[%s::bigint]",
    "person": "f.people @> ARRAY[%s::bigint]",
    "collection": "f.collections @> ARRAY[%s::bigint]",
    "language": "f.language = %s",
    "archive": "f.original_archive = %s",
    # By date, which is indexed: the same rows as f.year = the year (or the decade's years).
    "year": "f.date BETWEEN make_date(%s::int, 1, 1) AND make_date(%s::int, 12, 31)",
    "decade": "f.date BETWEEN make_date(greatest(%s::int * 10, 1), 1, 1) "
    "AND make_date(%s::int * 10 + 9, 12, 31)",
}

_FILL_SQL = f"""
WITH m AS MATERIALIZED (SELECT * FROM documents_documentfacets AS f WHERE {{condition}})
INSERT INTO documents_facettotal (scope, facet, value, count)
SELECT %s, facet, value, count(*) FROM ({facet_values_sql("m")}) AS v
GROUP BY facet, value
"""


@dataclass
class Changes:
    """What a refresh of precounted scopes or search words added and removed."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def facet_scopes_refresh(*, min_documents: int | None = None, dry_run: bool = False) -> Changes:
    """Precount the facet values that have at least `min_documents` published documents, and
    stop precounting those that have fallen below half of that (so a value near the line is
    not added and removed by every import).

    Precounting is only ever a shortcut: a value that is not precounted is counted on
    demand, with the same result. The facet rows are locked against writes meanwhile, so
    no write can slip between a scope's first counts and its trigger keeping them.
    """
    changes = Changes()
    if connection.vendor != "postgresql":
        return changes
    # A second session sees only what is committed, so it fills half the new scopes only when
    # the caller has no transaction open (an import calls this after its commit).
    apart = not connection.in_atomic_block
    threshold = settings.ARCHIVE_PRECOUNT_MIN_DOCUMENTS if min_documents is None else min_documents
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_LOCK_FACET_ROWS)
        floor = max(1, threshold // 2)
        cursor.execute(
            "SELECT facet || ':' || value, count FROM documents_facettotal "
            "WHERE scope = '' AND facet = ANY(%s) AND count >= %s "
            # Decades (for ranges of whole years: "decade:195" is 1950-1959), from their years.
            "UNION ALL SELECT 'decade:' || floor(value::int / 10.0)::int, sum(count) "
            "FROM documents_facettotal WHERE scope = '' AND facet = 'year' "
            "GROUP BY 1 HAVING sum(count) >= %s",
            [list(PrecountedScope.FACETS), floor, floor],
        )
        sizes = dict(cursor.fetchall())
        current = set(PrecountedScope.objects.values_list("scope", flat=True))
        changes.added = sorted(s for s, n in sizes.items() if n >= threshold and s not in current)
        changes.removed = sorted(current - set(sizes))
        if dry_run:
            return changes
        if changes.removed:
            cursor.execute(
                "DELETE FROM documents_facettotal WHERE scope = ANY(%s)", [changes.removed]
            )
            PrecountedScope.objects.filter(scope__in=changes.removed).delete()
        if apart and len(changes.added) > 1:
            # Each scope is one scan of the facet rows: two sessions count on both cores.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="precount") as helper:
                theirs = helper.submit(_scopes_fill_apart, changes.added[1::2])
                _scopes_fill(cursor, changes.added[0::2])
                _scopes_fill(cursor, theirs.result())  # any it could not fill
        else:
            _scopes_fill(cursor, changes.added)
    return changes


# Shared by both sessions: writes wait until each has committed, so none can slip between a
# scope's first counts and its trigger keeping them.
_LOCK_FACET_ROWS = "LOCK TABLE documents_documentfacets IN SHARE MODE"


def _scopes_fill(cursor, scopes: list[str]) -> None:
    for scope in scopes:
        # The scope first, so its rows from here on are the trigger's to keep.
        PrecountedScope.objects.create(scope=scope)
        facet, value = scope.split(":", 1)
        condition = _SCOPE_CONDITIONS[facet]
        sql = _FILL_SQL.format(condition=condition)
        cursor.execute(sql, [value] * condition.count("%s") + [scope])


class _LockBusy(Exception):
    pass


def _scopes_fill_apart(scopes: list[str]) -> list[str]:
    """Fill scopes in this thread's own session and transaction (see facet_scopes_refresh);
    return those it could not.

    Its lock waits a second at most: the caller holds the same lock and waits for this thread,
    and a write queued between the two requests would make this one wait for the write, the
    write for the caller, and the caller for this thread, a deadlock PostgreSQL cannot see.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
            try:
                cursor.execute(_LOCK_FACET_ROWS)
            except OperationalError as busy:
                raise _LockBusy from busy
            _scopes_fill(cursor, scopes)
        return []
    except _LockBusy:
        return scopes
    finally:
        connection.close()


@contextmanager
def facet_totals_deferred() -> Iterator[None]:
    """Inside a transaction (an import's): the facet totals of the facet rows inserted in
    the block are added in one statement as it ends, instead of by every statement that
    inserts some (migration 0015). Into a large archive with precounted scopes that upsert is
    most of an import's time, and once per import it touches each (scope, facet, value)
    once instead of once per chunk. No reader can see the totals lag: the block is inside a
    transaction that is not yet committed. If the block raises, nothing is applied and the
    transaction is expected to roll back.
    """
    if connection.vendor != "postgresql":  # SQLite keeps no totals
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("facet totals can only be deferred inside a transaction")
    with connection.cursor() as cursor:
        cursor.execute("SELECT documents_facet_totals_defer()")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT documents_facet_totals_apply_deferred()")


# Chosen search words -------------------------------------------------------------------------

# About this many published documents are sampled to estimate each word's share: a share of 5 %
# within about a third of a percent.
WORD_SAMPLE = 20_000
# Each word's share of a sample of the published documents' vectors, for the words a query
# can be normalised to alone: of letters and digits (so that quoting one makes its tsquery),
# and English stems, not the unstemmed words the vectors also hold for prefix queries
# ("conversation" beside "convers"). A stem is known by a word of the sample that stems to it:
# stemming is not idempotent ("convers" itself stems to "conver"). A stem whose words are all
# in full texts, which keep only stems, is missed; its searches take the index.
_WORD_SHARES = """
WITH stat AS MATERIALIZED (SELECT word, ndoc FROM ts_stat(%s))
SELECT word, ndoc::float / nullif((SELECT count(*) FROM ({sample}) AS s), 0)
FROM stat
WHERE word ~ '^[[:alnum:]]+$'
    AND word IN (SELECT (ts_lexize('english_stem', word))[1] FROM stat)
"""
_WORD_SAMPLE_SQL = (
    "SELECT search_vector FROM documents_document TABLESAMPLE SYSTEM ({percent}) REPEATABLE (0) "
    "WHERE status = 'published' AND search_vector IS NOT NULL"
)
# A new word's postings, a row for each span of document ids (`SearchPostings`).
_POSTINGS_FILL = f"""
INSERT INTO documents_searchpostings (lexeme, span, document_ids, ranks)
SELECT %s, id / {SearchPostings.SPAN}, string_agg(int8send(id), '' ORDER BY id),
    string_agg(float4send(rank), '' ORDER BY id)
FROM (
    SELECT id, ts_rank_cd(search_vector, %s::tsquery) AS rank FROM documents_document
    WHERE search_vector @@ %s::tsquery
) AS matches
GROUP BY id / {SearchPostings.SPAN}
"""


def search_words_refresh(
    *, min_share: float | None = None, min_documents: int | None = None, dry_run: bool = False
) -> Changes:
    """Keep postings (`SearchPostings`) for the words in at least `min_share` of the published
    documents, and stop keeping them for those that fell below half of it (so a word near the
    line is not added and removed by every import).

    Only archives of at least `min_documents` published documents (by default, those whose
    facet values the web processes hold as columns, the only readers of postings) keep any.
    Postings are only ever a shortcut: a word without them is searched through the search
    index, with the same matches in the same order. The documents are locked against writes
    meanwhile, so no write can slip between a word's first postings and the trigger keeping
    them.
    """
    changes = Changes()
    if connection.vendor != "postgresql":
        return changes
    share = settings.ARCHIVE_SEARCH_WORD_MIN_SHARE if min_share is None else min_share
    least = settings.ARCHIVE_FACET_COLUMNS_MIN_DOCUMENTS if min_documents is None else min_documents
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE documents_document IN SHARE MODE")
        published = Document.objects.published().count()
        shares: dict[str, float] = {}
        if least is not None and published >= max(least, 1):
            percent = min(100.0, 100.0 * WORD_SAMPLE / published)
            sample = _WORD_SAMPLE_SQL.format(percent=percent)
            cursor.execute(_WORD_SHARES.format(sample=sample), [sample])
            shares = {word: found for word, found in cursor.fetchall() if found is not None}
        current = set(SearchWord.objects.values_list("lexeme", flat=True))
        changes.added = sorted(w for w, s in shares.items() if s >= share and w not in current)
        changes.removed = sorted(w for w in current if shares.get(w, 0.0) < share / 2)
        if dry_run:
            return changes
        if changes.removed:
            cursor.execute(
                "DELETE FROM documents_searchpostings WHERE lexeme = ANY(%s)", [changes.removed]
            )
            SearchWord.objects.filter(lexeme__in=changes.removed).delete()
        for word in changes.added:
            # The word first, so the trigger keeps its postings from here on.
            SearchWord.objects.create(lexeme=word, share=shares[word])
            query = f"'{word}'"
            cursor.execute(_POSTINGS_FILL, [word, query, query])
    return changes


# Deleting many documents --------------------------------------------------------------------

DELETE_CHUNK = 2000


def documents_delete(*, document_ids: Iterable[int]) -> int:
    """Delete many documents at once (an undone import's): how many were deleted.

    One by one, Django's delete would rebuild each document's search vector as each of its
    people goes (the receivers can't know the document goes too), write each harvester's
    tombstone with three queries, and have the facet triggers rebuild its facet row once per
    link table. Here, a chunk at a time: the tombstones in bulk (`documents_deleting`), the
    documents out of the public facets in one statement (they become drafts first), then the
    delete, with the per-row receivers quiet.
    """
    from .signals import deleting_in_bulk, documents_deleting

    ids = sorted(set(document_ids))
    deleted = 0
    for chunk in id_chunks(ids, DELETE_CHUNK):
        documents_deleting.send(sender=Document, document_ids=chunk)
        Document.objects.filter(pk__in=chunk, status=Status.PUBLISHED).update(status=Status.DRAFT)
        with deleting_in_bulk():
            deleted += (
                Document.objects.filter(pk__in=chunk).delete()[1].get(Document._meta.label, 0)
            )
    return deleted
