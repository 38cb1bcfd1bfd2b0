"""Record in the index's outbox what changes one row at a time: documents, their links, and
the names and places they show (the admin, services, shells and tests).

Imports write in bulk without signals and record what they wrote themselves.
"""

from contextlib import AbstractContextManager

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import Signal, receiver

from core.flags import ContextFlag
from people.models import Person
from search.outbox import documents_changed

from .models import Collection, Document, DocumentParticipant, Region
from .services import documents_mark_modified, live_page_wins, page_moved, people_changed

# Sent with `document_ids` before many documents are deleted at once (`documents_delete`):
# receivers do in bulk what they would otherwise do for each document's pre_delete.
documents_deleting = Signal()

_deleting_in_bulk = ContextFlag("deleting_in_bulk")


def deleting_in_bulk() -> AbstractContextManager[None]:
    """Inside, receivers of per-row delete signals do nothing: the rows' documents are going
    too, and `documents_deleting` has told them already."""
    return _deleting_in_bulk.on()


def is_deleting_in_bulk() -> bool:
    return _deleting_in_bulk.is_on()


@receiver(post_save, sender=Document, dispatch_uid="search_document_saved")
@receiver(post_delete, sender=Document, dispatch_uid="search_document_deleted")
def document_changed(sender, instance, raw=False, **kwargs):
    if not raw and not is_deleting_in_bulk():
        documents_changed([instance.pk])


@receiver(post_save, sender=DocumentParticipant, dispatch_uid="search_participant_saved")
@receiver(post_delete, sender=DocumentParticipant, dispatch_uid="search_participant_deleted")
def participant_changed(sender, instance, raw=False, **kwargs):
    if not raw and not is_deleting_in_bulk():
        documents_changed([instance.document_id])


@receiver(m2m_changed, sender=Document.regions.through, dispatch_uid="search_regions_linked")
@receiver(m2m_changed, sender=Document.collections.through, dispatch_uid="search_collections")
def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if is_deleting_in_bulk():
        return
    if action == "pre_clear" and reverse:  # a place or collection cleared of its documents
        documents_changed(instance.documents.values_list("id", flat=True))
    if not action.startswith("post_"):
        return
    if not reverse:
        documents_changed([instance.pk])
    elif pk_set:
        documents_changed(pk_set)


@receiver(post_save, sender=Person, dispatch_uid="search_person_saved")
def person_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        people_changed([instance.pk])


@receiver(post_save, sender=Region, dispatch_uid="search_region_saved")
def region_saved(sender, instance, created=False, raw=False, **kwargs):
    """A place renamed or moved: its documents, and those of every place under it (the
    index lists every region above a document's places)."""
    if raw or created:
        return
    under = Region.objects.descendant_ids([instance.slug])
    documents_changed(
        Document.regions.through.objects.filter(region_id__in=under).values_list(
            "document_id", flat=True
        )
    )


@receiver(post_save, sender=Collection, dispatch_uid="search_collection_saved")
def collection_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        documents_changed(instance.documents.values_list("id", flat=True))


# What each record's documents show of it: a change to one of these changes their public
# record (OAI-PMH, feeds and the sitemap see them as modified).
_SHOWN = {
    Person: ("name", "birth_year", "death_year", "alternate_names"),
    Region: ("name", "parent_id"),
    Collection: ("title",),
}


def _their_documents(instance, stored_slug: str) -> list[int]:
    links: QuerySet
    if isinstance(instance, Person):
        links = DocumentParticipant.objects.filter(person_id=instance.pk)
    elif isinstance(instance, Region):
        under = Region.objects.descendant_ids([stored_slug])
        links = Document.regions.through.objects.filter(region_id__in=under)
    else:
        links = Document.collections.through.objects.filter(collection_id=instance.pk)
    return list(links.values_list("document_id", flat=True))


@receiver(pre_save, sender=Person, dispatch_uid="pages_person_saving")
@receiver(pre_save, sender=Region, dispatch_uid="pages_region_saving")
@receiver(pre_save, sender=Collection, dispatch_uid="pages_collection_saving")
def page_record_saving(sender, instance, raw=False, **kwargs):
    """A slug changed: the old address redirects to the page for good. What the documents
    show changed: they are modified now (read before the save, whose old values go; the
    post_save receivers above record them in the index's outbox)."""
    if raw or instance.pk is None:
        return
    fields = _SHOWN[sender]
    before = sender.objects.filter(pk=instance.pk).values("slug", *fields).first()
    if before is None:
        return
    if before["slug"] != instance.slug:
        page_moved(old_slug=before["slug"], to=instance)
    if any(before[name] != getattr(instance, name) for name in fields):
        documents_mark_modified(_their_documents(instance, before["slug"]))


@receiver(post_save, sender=Person, dispatch_uid="pages_person_saved")
@receiver(post_save, sender=Region, dispatch_uid="pages_region_saved")
@receiver(post_save, sender=Collection, dispatch_uid="pages_collection_saved")
def page_record_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        live_page_wins(instance)  # a new record may take a slug that redirected elsewhere
