"""Write-side operations on people: merging duplicates.

A merge moves every document's link to the survivor, keeps the others' names as the
survivor's alternate names (so a later import naming them finds the survivor), fills the
survivor's unknown life dates and empty biography from theirs, deletes the others and leaves
history: each deleted person's last state, the survivor's new alternate names, and a record on
every document whose people changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from curation.history import save_with_history
from documents.models import DocumentParticipant
from documents.services import (
    MergeRefused,
    id_chunks,
    merge_delete_others,
    merge_finish,
    merge_lock,
)
from search.outbox import people_changed

from .models import Person
from .names import name_key

__all__ = ["MergeRefused", "people_merge"]


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


def _alternate_names(survivor: Person, others: list[Person]) -> list[str]:
    names = list(survivor.alternate_names or [])
    seen = {name_key(survivor.name), *(name_key(str(name)) for name in names)}
    for other in others:
        for name in [other.name, *(other.alternate_names or [])]:
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
    survivor.alternate_names = _alternate_names(survivor, others)
    _fill_life_dates(survivor, others)
    merge_delete_others(others, survivor, user)
    save_with_history(survivor, user=user, reason=f"Merged in: {names}")
    merge_finish(affected, user=user, reason=f"People merged: {names} into {survivor.name}")
    # The survivor's new alternate names are searchable in all of their documents.
    people_changed([survivor.pk])
    return len(affected)
