"""Merging duplicate people, places and collections: one set of link-moving helpers for all
three, each merge in one transaction.

A merge locks the records, moves every document's link to the survivor (once per document),
deletes the others (their history keeps their last state), and leaves a historical record on
every document whose links changed, which also goes to the search index's outbox. Merging
people keeps the others' names as the survivor's alternate names, so a later import naming
them finds the survivor, and fills the survivor's unknown life dates and empty biography.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext

from core.history import delete_with_history, save_with_history
from documents.models import Collection, Document, DocumentParticipant, Region
from documents.services import (
    documents_mark_edited,
    documents_record_history,
    id_chunks,
    pages_merged,
    people_changed,
)
from people.models import Person
from people.names import name_key
from search.outbox import documents_changed


class MergeRefused(Exception):
    """A merge that would lose or tangle something; nothing was changed."""


def move_links(through, field: str, survivor_id: int, other_ids: list[int]) -> set[int]:
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
        raise MergeRefused(gettext("One of the records to merge no longer exists."))
    return [locked[other.pk] for other in chosen]


def merge_finish(affected: set[int], *, user, reason: str) -> None:
    documents_mark_edited(affected)
    documents_record_history(affected, user=user, reason=reason)
    documents_changed(affected)


def merge_delete_others(others, survivor, user) -> None:
    """The others go (their history keeps them); their pages redirect to the survivor's."""
    pages_merged(survivor=survivor, others=others)
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
                gettext(
                    "%(place)s is under a place being merged into it; merge the other way round."
                )
                % {"place": survivor}
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
    affected = move_links(Document.regions.through, "region_id", survivor.pk, other_ids)
    survivor.alternate_names = merged_names(survivor, others)
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
    affected = move_links(Document.collections.through, "collection_id", survivor.pk, other_ids)
    if not survivor.description.strip():
        survivor.description = next((o.description for o in others if o.description.strip()), "")
    survivor.alternate_names = merged_names(survivor, others)
    merge_delete_others(others, survivor, user)
    save_with_history(survivor, user=user, reason=f"Merged in: {names}")
    merge_finish(affected, user=user, reason=f"Collections merged: {names} into {survivor.title}")
    return len(affected)


def _merged_participations(survivor_id: int, other_ids: list[int]) -> set[int]:
    """One participation per document for the survivor, where the survivor or any of the
    others appeared; the survivor's own role wins, else the first known one, and it keeps the
    earliest position. Returns the documents whose participants changed."""
    rows = list(
        DocumentParticipant.objects.filter(person_id__in=[survivor_id, *other_ids])
        .order_by("document_id", "position", "id")
        .values_list("id", "document_id", "person_id", "role", "position")
    )
    by_document: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        by_document[row[1]].append(row)
    updates: list[DocumentParticipant] = []
    drop: list[int] = []
    affected: set[int] = set()
    for document_id, entries in by_document.items():
        if all(person_id == survivor_id for _id, _doc, person_id, _role, _pos in entries):
            continue
        affected.add(document_id)
        kept = next((e for e in entries if e[2] == survivor_id), entries[0])
        role = kept[3] or next((e[3] for e in entries if e[3]), "")
        position = min(e[4] for e in entries)
        updates.append(
            DocumentParticipant(
                id=kept[0],
                document_id=document_id,
                person_id=survivor_id,
                role=role,
                position=position,
            )
        )
        drop += [e[0] for e in entries if e[0] != kept[0]]
    # Rows leave before others take their place: (document, person) is unique.
    for chunk in id_chunks(drop):
        DocumentParticipant.objects.filter(id__in=chunk).delete()
    DocumentParticipant.objects.bulk_update(
        updates, ["person", "role", "position"], batch_size=2000
    )
    return affected


def _name(record: Person | Region | Collection) -> str:
    return record.title if isinstance(record, Collection) else record.name


def merged_names(survivor: Person | Region | Collection, others: list) -> list[str]:
    """The survivor's alternate names with the others' names and alternate names, once each
    (by folded key), never the survivor's own name: so a later import naming any of them
    finds the survivor."""
    names = list(survivor.alternate_names or [])
    seen = {name_key(_name(survivor)), *(name_key(str(name)) for name in names)}
    for other in others:
        for name in [_name(other), *(other.alternate_names or [])]:
            key = name_key(str(name))
            if key and key not in seen:
                seen.add(key)
                names.append(str(name))
    return names


def _fill_life_dates(survivor: Person, others: list[Person]) -> None:
    for other in others:
        birth = survivor.birth_year if survivor.birth_year is not None else other.birth_year
        death = survivor.death_year if survivor.death_year is not None else other.death_year
        if birth is not None and death is not None and death < birth:
            continue  # contradictory; the other's dates stay in its history
        survivor.birth_year, survivor.death_year = birth, death
    if not survivor.biography.strip():
        survivor.biography = next((o.biography for o in others if o.biography.strip()), "")


@transaction.atomic
def people_merge(*, survivor: Person, others: Iterable[Person], user=None) -> int:
    """Merge duplicate people into `survivor`; returns the number of documents changed.

    Every document that names one of the others names the survivor instead (once, even where
    several of them were in the same document), their names become the survivor's alternate
    names, and they are deleted; nothing is lost: each one's last state is in its history.
    """
    others = merge_lock(Person, survivor, others)
    if not others:
        return 0
    survivor = Person.objects.get(pk=survivor.pk)
    other_ids = [other.pk for other in others]
    names = ", ".join(other.name for other in others)
    affected = _merged_participations(survivor.pk, other_ids)
    survivor.alternate_names = merged_names(survivor, others)
    _fill_life_dates(survivor, others)
    merge_delete_others(others, survivor, user)
    save_with_history(survivor, user=user, reason=f"Merged in: {names}")
    merge_finish(affected, user=user, reason=f"People merged: {names} into {survivor.name}")
    # The survivor's new alternate names are searchable in all of their documents.
    people_changed([survivor.pk])
    return len(affected)
