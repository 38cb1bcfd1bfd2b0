"""The indexer: published documents from the database into the index.

`apply_outbox` brings the index up to date with the entries the writes recorded;
`rebuild` makes it again from the database alone. Both read the database for each document
they are told about, so either can be run again at any moment and changes nothing more.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import tantivy
from django.conf import settings
from django.db import connection

from . import index as search_index
from .index import SCHEMA
from .models import OutboxEntry
from .outbox import _Recorded
from .schema import PREFIX_FIELDS, VERSION_KINDS, day_number, sort_key

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


def _region_ancestors() -> dict[int, list[int]]:
    """Each region with every region above it, from one query (the tree is small)."""
    from documents.models import Region

    parents = dict(Region.objects.values_list("id", "parent_id"))
    ancestors: dict[int, list[int]] = {}
    for region_id in parents:
        chain: list[int] = []
        node: int | None = region_id
        seen: set[int] = set()
        while node is not None and node not in seen:
            seen.add(node)
            chain.append(node)
            node = parents.get(node)
        ancestors[region_id] = chain
    return ancestors


def index_documents_of(
    document_ids: list[int], ancestors: dict[int, list[int]]
) -> Iterator[tantivy.Document]:
    """The index documents of those of these ids that are published (five queries)."""
    from documents.models import Document, DocumentParticipant, Status
    from versions.models import DocumentVersion

    found = Document.objects.filter(id__in=document_ids, status=Status.PUBLISHED).values_list(
        "id",
        "identifier",
        "title",
        "summary",
        "text",
        "language",
        "original_archive",
        "date",
        "date_last",
        "first_published",
    )
    rows = list(found)
    if not rows:
        return
    ids = [row[0] for row in rows]
    names: dict[int, list[str]] = defaultdict(list)
    people: dict[int, list[int]] = defaultdict(list)
    for document_id, person_id, name, alternates in (
        DocumentParticipant.objects.filter(document_id__in=ids)
        .order_by("document_id", "position", "id")
        .values_list("document_id", "person_id", "person__name", "person__alternate_names")
    ):
        people[document_id].append(person_id)
        names[document_id].append(" ".join([name, *(alternates or [])]))
    places: dict[int, list[str]] = defaultdict(list)
    regions: dict[int, set[int]] = defaultdict(set)
    for document_id, region_id, name in (
        Document.regions.through.objects.filter(document_id__in=ids)
        .order_by("region_id")
        .values_list("document_id", "region_id", "region__name")
    ):
        places[document_id].append(name)
        regions[document_id].update(ancestors.get(region_id, [region_id]))
    collections: dict[int, list[int]] = defaultdict(list)
    for document_id, collection_id, title in (
        Document.collections.through.objects.filter(document_id__in=ids)
        .order_by("collection_id")
        .values_list("document_id", "collection_id", "collection__title")
    ):
        places[document_id].append(title)
        collections[document_id].append(collection_id)
    versions: dict[tuple[int, str], list[str]] = defaultdict(list)
    for document_id, kind, text, extracted in (
        DocumentVersion.objects.filter(document_id__in=ids)
        .order_by("document_id", "position", "id")
        .values_list("document_id", "kind", "text", "extracted_text")
    ):
        versions[document_id, kind].append(f"{text} {extracted}".strip())
    for (
        pk,
        identifier,
        title,
        summary,
        text,
        language,
        archive,
        date,
        date_last,
        first_published,
    ) in rows:
        fields = {
            "id": pk,
            "title": f"{title} {identifier}",
            "summary": summary,
            "names": " ".join(names[pk]),
            "places": " ".join(places[pk]),
            "body": text,
            "identifier": identifier.lower(),
            "regions": sorted(regions[pk]),
            "people": sorted(set(people[pk])),
            "collections": sorted(set(collections[pk])),
            "year": date.year,
            "date": day_number(date),
            "date_last": day_number(date_last),
            "sort_date": sort_key(date, pk),
            "sort_published": (int(first_published.timestamp()) if first_published else 0) * 2**24
            + pk % 2**24,
            "sort_title": title[:200],
        }
        for name in PREFIX_FIELDS:
            fields[f"{name}_words"] = fields[name]
        for kind in VERSION_KINDS:
            if versions[pk, kind]:
                fields[kind] = "\n".join(versions[pk, kind])
        if language:
            fields["language"] = language
        if archive:
            fields["archive"] = archive
        yield tantivy.Document.from_dict(fields, SCHEMA)


def _write(writer, document_ids: list[int], ancestors, *, delete: bool) -> int:
    indexed = 0
    for chunk in _chunks(document_ids, CHUNK):
        if delete:
            writer.delete_documents_by_query(tantivy.Query.term_set_query(SCHEMA, "id", chunk))
        for document in index_documents_of(chunk, ancestors):
            writer.add_document(document)
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
    one writing leaves the work to it. A missing index is built from the database first."""
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
        if not search_index.exists():
            rebuilt = _rebuild_locked(progress=None)
            applied.entries, applied.indexed = rebuilt.entries, rebuilt.indexed
        index = search_index.open_index(create=True)
        ancestors = None
        while True:
            entries = list(
                OutboxEntry.objects.order_by("id").values_list("id", "document_id")[:batch]
            )
            if not entries:
                break
            ancestors = ancestors if ancestors is not None else _region_ancestors()
            document_ids = sorted({document_id for _, document_id in entries})
            writer = index.writer(_WRITER_HEAP, 1)
            applied.indexed += _write(writer, document_ids, ancestors, delete=True)
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
    from documents.models import Document

    started = time.monotonic()
    if search_index.exists() and search_index.schema_version() != search_index.SCHEMA_VERSION:
        search_index.wipe()
    index = search_index.open_index(create=True)
    # Entries recorded before the documents are read are covered by this rebuild; later ones
    # stay for the next apply.
    entries = list(OutboxEntry.objects.values_list("id", flat=True))
    ancestors = _region_ancestors()
    ids = list(Document.objects.published().order_by("id").values_list("id", flat=True))
    writer = index.writer(_rebuild_heap(), settings.ARCHIVE_INDEX_THREADS)
    writer.delete_all_documents()
    indexed = 0
    for chunk in _chunks(ids, CHUNK * 5):
        indexed += _write(writer, chunk, ancestors, delete=False)
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
    if _Recorded.waiting or not search_index.exists():
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
