"""Versions keep the search index and the storage in step with the database.

A version saved or deleted one at a time (the admin, shells, tests) records its document in
the index's outbox; imports write versions in bulk and record their documents themselves. A
file that a version no longer uses (replaced, or the version deleted, also through its document) is
removed from storage once the change is committed, never before: a rolled-back change keeps
its files.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from search.outbox import documents_changed

from .models import DocumentVersion, VersionPage, versions_storage
from .pages import version_pages_remove


def _remove_after_commit(*names: str) -> None:
    names = tuple(name for name in names if name)
    if not names:
        return

    def remove() -> None:
        storage = versions_storage()
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)


@receiver(pre_save, sender=DocumentVersion, dispatch_uid="versions_files_replaced")
def version_replacing(sender, instance, raw=False, **kwargs):
    if raw or not instance.pk:
        return
    old = DocumentVersion.objects.filter(pk=instance.pk).values_list("file", "thumbnail").first()
    if old is None:
        return
    old_file, old_thumbnail = old
    unused = [name for name in (old_file, old_thumbnail) if name]
    kept = {instance.file.name, instance.thumbnail.name}
    _remove_after_commit(*(name for name in unused if name not in kept))


@receiver(post_save, sender=DocumentVersion, dispatch_uid="versions_search_saved")
def version_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        documents_changed([instance.document_id])


@receiver(post_delete, sender=DocumentVersion, dispatch_uid="versions_search_deleted")
def version_deleted(sender, instance, **kwargs):
    documents_changed([instance.document_id])
    _remove_after_commit(instance.file.name, instance.thumbnail.name)
    version_id = instance.pk
    transaction.on_commit(lambda: version_pages_remove(version_id=version_id))


@receiver(post_save, sender=VersionPage, dispatch_uid="versions_page_saved")
def page_saved(sender, instance, raw=False, **kwargs):
    """An archivist's correction of a page's text changes what its document is found by."""
    if not raw:
        documents_changed(
            DocumentVersion.objects.filter(pk=instance.version_id).values_list(
                "document_id", flat=True
            )
        )
