"""Write-side operations on documents that are not batch imports.

Publishing and renaming go through here so that `first_published` (which OAI-PMH and feeds
rely on) and old permanent links are kept whoever makes the change.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Document, IdentifierRedirect, Status


@transaction.atomic
def documents_publish(*, documents: QuerySet) -> int:
    """Make documents public (an archivist's decision); returns how many changed."""
    now = timezone.now()
    changing = documents.exclude(status=Status.PUBLISHED)
    changing.filter(first_published__isnull=True).update(first_published=now)
    return changing.update(status=Status.PUBLISHED, modified=now, edited_at=now)


@transaction.atomic
def documents_unpublish(*, documents: QuerySet) -> int:
    """Hold documents back as drafts; returns how many changed."""
    now = timezone.now()
    return documents.exclude(status=Status.DRAFT).update(
        status=Status.DRAFT, modified=now, edited_at=now
    )


def document_mark_edited(*, document: Document) -> None:
    """Note that an archivist changed the document by hand just now."""
    now = timezone.now()
    Document.objects.filter(pk=document.pk).update(edited_at=now, modified=now)


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
