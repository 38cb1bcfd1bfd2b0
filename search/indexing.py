"""The indexer: published documents from the database into the index.

`apply_outbox` brings the index up to date with the entries the writes recorded;
`rebuild` makes it again from the database alone. Both read the database for each document
they are told about, so either can be run again at any moment and changes nothing more.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Protocol

import tantivy
from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from . import index as search_index
from .index import SCHEMA
from .models import OutboxEntry
from .outbox import _Recorded

CHUNK = 2000  # documents read from the database at a time
OUTBOX_BATCH = 100_000  # outbox entries applied in one commit
_WRITER_HEAP = 200_000_000


@dataclass
class Applied:
    entries: int = 0
    documents: int = 0
    indexed: int = 0
    seconds: float = 0.0
    busy: bool = False  # another process held the writer: it was left to them


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Source(Protocol):
    """What the index is made from (`ARCHIVE_SEARCH_SOURCE`; documents.indexing's class)."""

    def published_ids(self) -> list[int]: ...

    def any_published(self) -> bool: ...

    def fields_of(self, document_ids: list[int]) -> Iterator[dict]: ...


def source() -> Source:
    return import_string(settings.ARCHIVE_SEARCH_SOURCE)()


def _write(writer, document_ids: list[int], found: Source, *, delete: bool) -> int:
    indexed = 0
    for chunk in _chunks(document_ids, CHUNK):
        if delete:
            writer.delete_documents_by_query(tantivy.Query.term_set_query(SCHEMA, "id", chunk))
        for fields in found.fields_of(chunk):
            writer.add_document(tantivy.Document.from_dict(fields, SCHEMA))
            indexed += 1
    return indexed


def _commit(index, writer) -> None:
    writer.commit()
    writer.wait_merging_threads()
    index.reload()


def pending_entries() -> int:
    return OutboxEntry.objects.count()


def apply_outbox(*, wait: bool = True, batch: int = OUTBOX_BATCH) -> Applied:
    """Apply the outbox's entries to the index, a batch at a time, each batch one commit;
    the entries go once the index has them. Without `wait`, a process that finds another
    one writing leaves the work to it. A missing index, or one of an older schema, is built
    from the database first."""
    started = time.monotonic()
    applied = Applied()
    with ExitStack() as stack:
        try:
            stack.enter_context(search_index.writer_lock(wait=wait))
        except search_index.WriterBusy:
            if wait:
                raise
            applied.busy = True
            return applied
        if not search_index.is_current_schema():
            rebuilt = _rebuild_locked(progress=None)
            applied.entries, applied.indexed = rebuilt.entries, rebuilt.indexed
        index = search_index.open_index(create=True)
        found = source()
        while True:
            entries = list(
                OutboxEntry.objects.order_by("id").values_list("id", "document_id")[:batch]
            )
            if not entries:
                break
            document_ids = sorted({document_id for _, document_id in entries})
            writer = index.writer(_WRITER_HEAP, 1)
            applied.indexed += _write(writer, document_ids, found, delete=True)
            _commit(index, writer)
            _consume([entry_id for entry_id, _ in entries])
            applied.entries += len(entries)
            applied.documents += len(document_ids)
    applied.seconds = time.monotonic() - started
    return applied


def _consume(entry_ids: list[int]) -> None:
    for chunk in _chunks(entry_ids, 10_000):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {OutboxEntry._meta.db_table} WHERE id = ANY(%s)", [chunk]
                )
        else:
            OutboxEntry.objects.filter(id__in=chunk).delete()


def rebuild(*, progress: Callable[[int, int], None] | None = None) -> Applied:
    """The index again from the database alone: every published document, in one commit,
    so readers see the old index until the new one is whole."""
    with search_index.writer_lock():
        return _rebuild_locked(progress=progress)


def _rebuild_locked(*, progress) -> Applied:
    started = time.monotonic()
    if search_index.exists() and search_index.schema_version() != search_index.SCHEMA_VERSION:
        search_index.wipe()
    index = search_index.open_index(create=True)
    # Entries recorded before the documents are read are covered by this rebuild; later ones
    # stay for the next apply.
    entries = list(OutboxEntry.objects.values_list("id", flat=True))
    found = source()
    ids = found.published_ids()
    writer = index.writer(_rebuild_heap(), settings.ARCHIVE_INDEX_THREADS)
    writer.delete_all_documents()
    indexed = 0
    for chunk in _chunks(ids, CHUNK * 5):
        indexed += _write(writer, chunk, found, delete=False)
        if progress is not None:
            progress(indexed, len(ids))
    _commit(index, writer)
    _consume(entries)
    return Applied(
        entries=len(entries),
        documents=len(ids),
        indexed=indexed,
        seconds=time.monotonic() - started,
    )


def _rebuild_heap() -> int:
    return max(settings.ARCHIVE_INDEX_THREADS, 1) * 150_000_000


def documents_in_index() -> int:
    return search_index.searcher().num_docs


def ensure_current() -> None:
    """Before a list is read: where the index follows in this process
    (`ARCHIVE_INDEX_INLINE`), apply what is waiting, so a write shows at once; elsewhere the
    `--follow` indexer does, and the list shows the previous state meanwhile."""
    if not settings.ARCHIVE_INDEX_INLINE:
        return
    if _Recorded.waiting or not search_index.is_current_schema():
        _Recorded.waiting = False
        if apply_outbox(wait=False).busy:
            _Recorded.waiting = True


def wait_until_indexed(*, timeout: float, poll: float = 0.5) -> float | None:
    """Wait until the index has every outbox entry recorded so far (by this process after
    its commit, or by the `--follow` indexer); the seconds it took, or None on timeout."""
    started = time.monotonic()
    ensure_current()
    last = OutboxEntry.objects.order_by("-id").values_list("id", flat=True).first()
    while last is not None and OutboxEntry.objects.filter(id__lte=last).exists():
        if time.monotonic() - started > timeout:
            return None
        time.sleep(poll)
    return time.monotonic() - started
