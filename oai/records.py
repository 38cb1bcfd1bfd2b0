"""The repository's items: documents that were ever published, and deletion records.

A published document is a record. A document that was published and is a draft again is a
deleted record (its datestamp is when it was withdrawn), as is every `DeletedRecord` whose
identifier no ever-published document holds now. A draft that was never published is not an
item at all. Lists are walked in (datestamp, identifier) order by keyset: both parts are
filtered past the last item sent and merged with one UNION query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import BooleanField, Case, Exists, F, Min, OuterRef, Q, Value, When

from documents.models import Collection, Document, Status

from .models import DeletedRecord


@dataclass
class Item:
    identifier: str
    datestamp: datetime
    deleted: bool
    sets: list[str] = field(default_factory=list)
    document: Document | None = None  # with its relations, for a live record


def _ever_published():
    return Document.objects.filter(first_published__isnull=False)


def _gone():
    """Deletion records that no ever-published document has taken back."""
    return DeletedRecord.objects.exclude(
        Exists(_ever_published().filter(identifier=OuterRef("identifier")))
    )


def _in_set(set_spec: str):
    links = Document.collections.through.objects.filter(
        document_id=OuterRef("pk"), collection__slug=set_spec
    )
    return Exists(links)


def _parts(set_spec, start, end, after):
    documents, gone = _ever_published(), _gone()
    if set_spec:
        documents = documents.filter(_in_set(set_spec))
        gone = gone.filter(set_specs__contains=f" {set_spec} ")
    if start:
        documents, gone = documents.filter(modified__gte=start), gone.filter(deleted_at__gte=start)
    if end:
        documents, gone = documents.filter(modified__lt=end), gone.filter(deleted_at__lt=end)
    if after:
        stamp, identifier = after
        documents = documents.filter(
            Q(modified__gt=stamp) | Q(modified=stamp, identifier__gt=identifier)
        )
        gone = gone.filter(Q(deleted_at__gt=stamp) | Q(deleted_at=stamp, identifier__gt=identifier))
    withdrawn = Case(
        When(status=Status.PUBLISHED, then=Value(False)),
        default=Value(True),
        output_field=BooleanField(),
    )
    # Each part unordered (a compound query orders only as a whole).
    documents = documents.order_by().values(
        "identifier", datestamp=F("modified"), deleted=withdrawn
    )
    gone = gone.order_by().values(
        "identifier", datestamp=F("deleted_at"), deleted=Value(True, output_field=BooleanField())
    )
    return documents, gone


def count_items(*, set_spec=None, start=None, end=None) -> int:
    documents, gone = _parts(set_spec, start, end, None)
    return documents.count() + gone.count()


def item_page(*, set_spec=None, start=None, end=None, after=None, size: int, records: bool):
    """Up to `size` items after `after`, and whether more follow.

    With `records`, live items carry their document with everything oai_dc shows; every item
    carries its sets. The number of queries does not depend on `size`.
    """
    documents, gone = _parts(set_spec, start, end, after)
    rows = list(documents.union(gone, all=True).order_by("datestamp", "identifier")[: size + 1])
    more = len(rows) > size
    items = [Item(row["identifier"], row["datestamp"], bool(row["deleted"])) for row in rows[:size]]
    _attach(items, records=records)
    return items, more


def _attach(items: list[Item], *, records: bool) -> None:
    identifiers = [item.identifier for item in items]
    documents = _ever_published().filter(identifier__in=identifiers)
    documents = documents.with_relations() if records else documents.prefetch_related("collections")
    by_identifier = {document.identifier: document for document in documents}
    gone = {
        record.identifier: record
        for record in DeletedRecord.objects.filter(
            identifier__in=[i for i in identifiers if i not in by_identifier]
        )
    }
    for item in items:
        document = by_identifier.get(item.identifier)
        if document is not None:
            item.sets = sorted(collection.slug for collection in document.collections.all())
            item.document = None if item.deleted else document
        elif item.identifier in gone:
            item.sets = gone[item.identifier].sets


def find_item(identifier: str) -> Item | None:
    """The item with this (local) identifier, if the repository has one."""
    document = _ever_published().filter(identifier=identifier).with_relations().first()
    if document is not None:
        item = Item(identifier, document.modified, document.status != Status.PUBLISHED)
        item.sets = sorted(collection.slug for collection in document.collections.all())
        item.document = None if item.deleted else document
        return item
    record = _gone().filter(identifier=identifier).first()
    if record is not None:
        return Item(identifier, record.deleted_at, True, record.sets)
    return None


def earliest_datestamp() -> datetime | None:
    stamps = [
        _ever_published().aggregate(stamp=Min("modified"))["stamp"],
        _gone().aggregate(stamp=Min("deleted_at"))["stamp"],
    ]
    stamps = [stamp for stamp in stamps if stamp is not None]
    return min(stamps) if stamps else None


def sets():
    # A collection that holds only drafts is no set: its name is unpublished work.
    return Collection.objects.public().order_by("slug").only("slug", "title", "description")
