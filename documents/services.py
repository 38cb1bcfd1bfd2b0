"""Write-side operations on documents that are not batch imports.

Publishing, renaming and merging places or collections go through here, so that
`first_published` (which OAI-PMH and feeds rely on), old permanent links, edit history and
the search index's outbox are kept whoever makes the change. Each change leaves a historical record
(django-simple-history) naming who made it and why; imports do not (they are audited by
their ImportBatch).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from curation.history import delete_with_history, record_history, save_with_history
from search.outbox import documents_changed

from .models import Collection, Document, IdentifierRedirect, Region, Status

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
        documents = Document.objects.filter(pk__in=chunk).order_by("pk")
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
    documents_changed(ids)
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
    documents_changed(ids)
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
    documents_changed(affected)


def merge_delete_others(others, survivor, user) -> None:
    for other in others:
        delete_with_history(other, user=user, reason=f"Merged into {survivor} (#{survivor.pk})")


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
        save_with_history(
            child,
            user=user,
            reason=f"Its place {names} was merged into {survivor.name}",
            update_fields=["parent"],
        )
    affected = _move_links(Document.regions.through, "region_id", survivor.pk, other_ids)
    merge_delete_others(others, survivor, user)
    save_with_history(survivor, user=user, reason=f"Merged in: {names}")
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
    save_with_history(survivor, user=user, reason=f"Merged in: {names}")
    merge_finish(affected, user=user, reason=f"Collections merged: {names} into {survivor.title}")
    return len(affected)


# Deleting many documents --------------------------------------------------------------------

DELETE_CHUNK = 2000


def documents_delete(*, document_ids: Iterable[int]) -> int:
    """Delete many documents at once (an undone import's): how many were deleted.

    One by one, Django's delete would record each document in the index's outbox as each of
    its people goes (the receivers can't know the document goes too) and write each
    harvester's tombstone with three queries. Here, a chunk at a time: the tombstones in bulk
    (`documents_deleting`), the outbox in one statement, then the delete, with the per-row
    receivers quiet.
    """
    from .signals import deleting_in_bulk, documents_deleting

    ids = sorted(set(document_ids))
    deleted = 0
    for chunk in id_chunks(ids, DELETE_CHUNK):
        documents_deleting.send(sender=Document, document_ids=chunk)
        documents_changed(chunk)
        with deleting_in_bulk():
            deleted += (
                Document.objects.filter(pk__in=chunk).delete()[1].get(Document._meta.label, 0)
            )
    return deleted
