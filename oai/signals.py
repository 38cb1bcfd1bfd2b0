"""Deletion records: when an identifier that harvesters may have seen stops naming a document.

Any deletion through Django (admin, a queryset's delete(), an import's undo) sends pre_delete
for each document, and a rename through `document_rename` creates an IdentifierRedirect, so
every way the archive forgets a public identifier leaves a record, in the same transaction.
"""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from documents.models import Document, IdentifierRedirect
from documents.signals import documents_deleting, is_deleting_in_bulk

from .models import DeletedRecord


def _record(identifier: str, set_slugs) -> None:
    DeletedRecord.objects.update_or_create(
        identifier=identifier,
        defaults={"deleted_at": timezone.now(), "set_specs": DeletedRecord.join_sets(set_slugs)},
    )


@receiver(pre_delete, sender=Document, dispatch_uid="oai_document_deleted")
def document_deleted(sender, instance: Document, **kwargs) -> None:
    # pre_delete: the document's collections are still linked, so the record keeps its sets.
    if instance.first_published is not None and not is_deleting_in_bulk():
        _record(instance.identifier, instance.collections.values_list("slug", flat=True))


@receiver(post_save, sender=IdentifierRedirect, dispatch_uid="oai_document_renamed")
def document_renamed(sender, instance: IdentifierRedirect, created: bool, **kwargs) -> None:
    document = instance.document
    if document.first_published is not None:
        _record(instance.old_identifier, document.collections.values_list("slug", flat=True))


@receiver(documents_deleting, dispatch_uid="oai_documents_deleted")
def documents_deleted(sender, document_ids: list[int], **kwargs) -> None:
    """The same records for many documents, in two queries."""
    documents = Document.objects.filter(pk__in=document_ids, first_published__isnull=False)
    slugs: dict[str, list[str]] = {
        identifier: [] for identifier in documents.values_list("identifier", flat=True)
    }
    for identifier, slug in documents.filter(collections__isnull=False).values_list(
        "identifier", "collections__slug"
    ):
        slugs[identifier].append(slug)
    now = timezone.now()
    DeletedRecord.objects.bulk_create(
        [
            DeletedRecord(
                identifier=identifier, deleted_at=now, set_specs=DeletedRecord.join_sets(sets)
            )
            for identifier, sets in slugs.items()
        ],
        update_conflicts=True,
        unique_fields=["identifier"],
        update_fields=["deleted_at", "set_specs"],
        batch_size=1000,
    )
