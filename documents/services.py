"""Write-side operations on documents that are not batch imports.

Publishing, renaming and deleting in bulk go through here (merging is curation's), so that
`first_published` (which OAI-PMH and feeds rely on), old permanent links, edit history and
the search index's outbox are kept whoever makes the change. Each change leaves a historical record
(django-simple-history) naming who made it and why; imports do not (they are audited by
their ImportBatch).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.history import record_history
from people.models import Person
from search.outbox import documents_changed

from .models import (
    Collection,
    Document,
    DocumentParticipant,
    IdentifierRedirect,
    PageRedirect,
    Region,
    Status,
)

HISTORY_CHUNK = 2000


def id_chunks(ids: Sequence[int], size: int = HISTORY_CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def documents_record_history(document_ids: Iterable[int], *, user=None, reason: str) -> None:
    """A historical record of each document as it is now, in bulk, `reason` saying why."""
    ids = sorted(set(document_ids))
    for chunk in id_chunks(ids):
        documents = Document.objects.filter(pk__in=chunk).order_by("pk")
        record_history(documents, user=user, reason=reason)


def people_changed(person_ids: Iterable[int]) -> None:
    """People's names changed: every document they are in shows them (the index's outbox)."""
    documents_changed(
        DocumentParticipant.objects.filter(person_id__in=list(person_ids)).values_list(
            "document_id", flat=True
        )
    )


def _kind(record: Person | Region | Collection) -> str:
    return {Person: "person", Region: "region", Collection: "collection"}[type(record)]


def live_page_wins(record: Person | Region | Collection) -> None:
    """A redirect from the slug a record now has would hide its page: it goes."""
    PageRedirect.objects.filter(
        old_slug=record.slug, **{f"{_kind(record)}__isnull": False}
    ).delete()


def page_moved(*, old_slug: str, to: Person | Region | Collection) -> None:
    """The page at `old_slug` is now `to`'s (merged into it, or renamed): the old address
    redirects there for good, and so do the addresses that redirected to the old page."""
    kind = _kind(to)
    if old_slug == to.slug:
        return
    live_page_wins(to)
    lookup: dict[str, Any] = {"old_slug": old_slug, f"{kind}__isnull": False}
    PageRedirect.objects.update_or_create(defaults={kind: to}, **lookup)


def pages_merged(*, survivor: Person | Region | Collection, others: Iterable) -> None:
    """The others' pages, and every address that redirected to them, redirect to the
    survivor's (call before deleting the others)."""
    kind = _kind(survivor)
    others = list(others)
    PageRedirect.objects.filter(**{f"{kind}__in": others}).update(**{kind: survivor})
    for other in others:
        page_moved(old_slug=other.slug, to=survivor)


def documents_mark_modified(document_ids: Iterable[int]) -> None:
    """What these documents show changed (a person's, place's or collection's name): they
    count as modified now, for OAI-PMH harvesters, feeds and the sitemap. (Not edited: an
    archivist did not change them, so later imports still update them.)"""
    now = timezone.now()
    for chunk in id_chunks(sorted(set(document_ids))):
        Document.objects.filter(pk__in=chunk).update(modified=now)


def documents_mark_edited(document_ids: Iterable[int], *, now=None) -> None:
    """Archivists changed these documents by hand: later imports and undo respect that, and
    OAI-PMH harvesters see them as changed."""
    now = now or timezone.now()
    for chunk in id_chunks(sorted(set(document_ids))):
        Document.objects.filter(pk__in=chunk).update(edited_at=now, modified=now)


@transaction.atomic
def documents_publish(*, documents: QuerySet, user=None, reason: str = "Published") -> int:
    """Make documents public (an archivist's decision); returns how many changed."""
    now = timezone.now()
    ids = list(documents.exclude(status=Status.PUBLISHED).values_list("pk", flat=True))
    for chunk in id_chunks(ids):
        changing = Document.objects.filter(pk__in=chunk)
        changing.filter(first_published__isnull=True).update(first_published=now)
        changing.update(status=Status.PUBLISHED, modified=now, edited_at=now)
    documents_record_history(ids, user=user, reason=reason)
    documents_changed(ids)
    return len(ids)


def documents_release_embargoes(*, today: datetime.date | None = None) -> list[str]:
    """Publish every draft whose embargo ends by `today` (the local date by default), each
    with a historical record saying so; the identifiers released, in the order released."""
    today = today or timezone.localdate()
    due = Document.objects.embargo_over(today)
    identifiers = list(due.values_list("identifier", flat=True))
    if identifiers:
        documents_publish(
            documents=Document.objects.filter(identifier__in=identifiers),
            reason=f"Released from its embargo (until {today.isoformat()} or before)",
        )
    return identifiers


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
