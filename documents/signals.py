"""Keep search vectors current when documents or the names they show change one at a time.

Imports write in bulk without signals and refresh the vectors of what they wrote themselves;
these receivers cover everything else: the admin, services, shells and tests.
"""

from contextlib import AbstractContextManager

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal, receiver

from archive.flags import ContextFlag
from people.models import Person

from .models import Collection, Document, DocumentParticipant, Region
from .search import refresh_search_vectors, refresh_search_vectors_of_people

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
def document_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_vectors([instance.pk])


@receiver(post_save, sender=DocumentParticipant, dispatch_uid="search_participant_saved")
@receiver(post_delete, sender=DocumentParticipant, dispatch_uid="search_participant_deleted")
def participant_changed(sender, instance, raw=False, **kwargs):
    if not raw and not is_deleting_in_bulk():
        refresh_search_vectors([instance.document_id])


@receiver(m2m_changed, sender=Document.regions.through, dispatch_uid="search_regions_linked")
@receiver(m2m_changed, sender=Document.collections.through, dispatch_uid="search_collections")
def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_") or is_deleting_in_bulk():
        return
    if not reverse:
        refresh_search_vectors([instance.pk])
    elif pk_set:
        refresh_search_vectors(pk_set)
    else:  # a place or collection cleared of all its documents: nothing left to show it
        return


@receiver(post_save, sender=Person, dispatch_uid="search_person_saved")
def person_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        refresh_search_vectors_of_people([instance.pk])


@receiver(post_save, sender=Region, dispatch_uid="search_region_saved")
@receiver(post_save, sender=Collection, dispatch_uid="search_collection_saved")
def place_or_collection_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        refresh_search_vectors(instance.documents.values_list("id", flat=True))
