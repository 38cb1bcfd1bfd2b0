"""Batch import: the one way documents, people, regions and collections come in.

`load_seeds`, `import_documents` and the admin call `documents_import`. It works in two passes
over the files, so no batch is ever held in memory:

1. `check_batch` checks every record of every file and collects every error with file, line and
   field; with any error nothing is written and the failed attempt is recorded.
2. Inside one transaction (and a lock, so two imports never interleave) the rows are read again
   and written in chunks with bulk queries, the next chunk prepared in a second thread while
   this one is written (`_write_chunks`). The run is recorded as an `ImportBatch`: files and
   checksums, who and when, counts, warnings, which documents it created, and for each
   document it changed the previous values (`ImportChange`), so that it can be undone. The
   documents it wrote go into the search index's outbox in the same transaction; the index
   follows after the commit (`search/indexing.py`), outside the import's time.

A re-run of the same batch changes nothing, not even modification times. A field that an
archivist edited since the last import is left alone (and reported) unless the caller says
`overwrite_edits`: each document keeps a fingerprint of its fields as the last import left
them, and a field whose current value no longer matches it has been edited by hand.
"""

from __future__ import annotations

import gc
import hashlib
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path
from typing import Any, cast

from django.db import connection, models, reset_queries, transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.bulk_writes import (
    FormattedRows,
    format_rows,
    insert_formatted,
    insert_instances,
    insert_rows,
    instance_rows,
    reserve_ids,
)
from core.slugs import unique_slug
from documents.dates import DateSpan, PartialDate
from documents.models import Collection, Document, DocumentParticipant, Region, Status
from documents.services import documents_delete, people_changed
from people.models import Person
from people.names import match_key, name_key
from search.outbox import documents_changed
from versions.models import DocumentVersion
from versions.services import StoredFiles, version_store_file

from .batch_format import (
    BatchInvalid,
    DocumentRow,
    FileEntry,
    Participant,
    check_batch,
    file_checksum,
    parse_batch,
)
from .fields import BY_NAME, FIELDS
from .models import ImportBatch, ImportChange

__all__ = [
    "BatchInvalid",
    "ImportReport",
    "UndoRefused",
    "documents_import",
    "import_batch_undo",
    "parse_batch",
    "regions_import",
]

CHUNK = 2000
# The advisory lock every import and undo takes on PostgreSQL (SQLite's writes are serial).
IMPORT_LOCK = 7_310_001
# What an import compares and an undo restores, as groups of model fields.
SCALAR_GROUPS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "date": ("date", "date_precision", "date_end", "date_end_precision", "date_last"),
    **{spec.name: (spec.name,) for spec in FIELDS},
    "status": ("status",),
}
RELATIONS = ("regions", "collections", "participants")
CHANGES_SHOWN = 1000
ANALYZE_AFTER = 5000  # rows written, after which the planner's statistics are refreshed


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    people_created: int = 0
    people_updated: int = 0
    regions_created: int = 0
    collections_created: int = 0
    files_added: int = 0
    warnings: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)  # identifier: changed fields
    dry_run: bool = False
    batch: ImportBatch | None = None

    def summary(self) -> str:
        kept = f", {len(self.conflicts)} archivist edit(s) kept" if self.conflicts else ""
        files = f", files: {self.files_added} new" if self.files_added else ""
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged{kept} "
            f"(people: {self.people_created} new, regions: {self.regions_created} new, "
            f"collections: {self.collections_created} new{files})"
        )


class UndoRefused(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _fingerprint(value: Any) -> str:
    # Values are str, int, None or lists of them, whose repr is stable: cheaper than JSON.
    return _digest(repr(value))


@lru_cache(maxsize=4096)  # most fields of most records repeat: empty, one language, one rights
def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _lock_imports() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


# Places, collections and people, matched across the whole batch -------------------------------


def _by_names(records: list, own_key: Callable[[Any], str]) -> dict[str, Any]:
    """Records by the folded key of each of their names: the own name's key wins over
    another record's alternate name."""
    found: dict[str, Any] = {}
    for record in records:
        for name in record.alternate_names or []:
            found.setdefault(name_key(str(name)), record)
    found.update({own_key(record): record for record in records})
    return found


class _Regions:
    def __init__(self, report: ImportReport):
        self.report = report
        regions = list(Region.objects.all())
        self.by_id = {region.id: region for region in regions}
        self.taken = {region.slug for region in regions}
        # Any of a place's names finds it, its own first (a merge keeps the others' names).
        self.by_key = _by_names(regions, lambda region: region.name_key)
        self.created: list[int] = []

    def _is_ancestor(self, candidate: Region, region: Region) -> bool:
        node: Region | None = region
        while node is not None:
            if node.id == candidate.id:
                return True
            node = self.by_id.get(node.parent_id) if node.parent_id else None
        return False

    def ensure(self, origin: str, path: tuple[str, ...]) -> int:
        """The leaf of a path; what is missing is created under its parent."""
        parent: Region | None = None
        for name in path:
            region = self.by_key.get(name_key(name))
            if region is None:
                region = Region(name=name, parent=parent, slug=unique_slug(name, self.taken))
                region.save()
                self.created.append(region.id)
                self.report.regions_created += 1
                self.by_key[region.name_key] = self.by_id[region.id] = region
            elif parent is not None and region.parent_id != parent.id:
                if region.parent_id is None and not self._is_ancestor(region, parent):
                    region.parent = parent
                    region.save(update_fields=["parent"])
                else:
                    where = self.by_id[region.parent_id].name if region.parent_id else "the top"
                    self.report.warnings.append(
                        f"{origin}: regions: '{region.name}' stays under {where}, "
                        f"not under '{parent.name}'"
                    )
            parent = region
        assert parent is not None
        return parent.id


class _Collections:
    def __init__(self, report: ImportReport):
        self.report = report
        collections = list(Collection.objects.all())
        self.by_key = _by_names(collections, lambda collection: collection.title_key)
        self.taken = {c.slug for c in collections}
        self.created: list[int] = []
        self.titles: dict[int, str] = {}

    def ensure(self, rows: Sequence[DocumentRow]) -> None:
        new: dict[str, Collection] = {}
        for row in rows:
            for entry in row.collections:
                collection = self.by_key.get(entry.key)
                if collection is None and entry.key not in new:
                    new[entry.key] = Collection(
                        title=entry.title,
                        title_key=entry.key,
                        slug=unique_slug(entry.title, self.taken),
                        description=entry.description,
                    )
                elif collection is not None and entry.description and not collection.description:
                    collection.description = entry.description
                    collection.save(update_fields=["description"])
        Collection.objects.bulk_create(new.values())
        self.by_key.update(new)
        self.created += [c.id for c in new.values()]
        self.report.collections_created += len(new)

    def id_of(self, key: str) -> int:
        return self.by_key[key].id

    def title_of(self, collection_id: int) -> str:
        if collection_id not in self.titles:
            self.titles = {c.id: c.title for c in self.by_key.values()}
        return self.titles[collection_id]


class _People:
    """Every person, found by any of their names in any word order, accents and case folded."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.by_id: dict[int, Person] = {p.id: p for p in Person.objects.order_by("id")}
        self.index: dict[str, int] = {}
        for person in self.by_id.values():
            self._index(person)
        self.taken = {person.slug for person in self.by_id.values()}
        self.created: list[int] = []
        self.updated: set[int] = set()
        self.warned: set[tuple[int, str]] = set()

    def _index(self, person: Person) -> None:
        for name in (person.name, *person.alternate_names):
            self.index.setdefault(match_key(name), person.id)

    def find(self, participant: Participant) -> int | None:
        for name in (participant.name, *participant.alternate_names):
            person_id = self.index.get(match_key(name))
            if person_id is not None:
                return person_id
        return None

    def id_of(self, participant: Participant) -> int:
        person_id = self.find(participant)
        assert person_id is not None, participant
        return person_id

    def ensure(self, rows: Sequence[DocumentRow]) -> None:
        new: dict[str, Person] = {}
        dirty: dict[int, Person] = {}
        for row in rows:
            for participant in row.participants:
                person_id = self.find(participant)
                if person_id is not None:
                    if self._fill(self.by_id[person_id], participant, row.origin):
                        dirty[person_id] = self.by_id[person_id]
                    continue
                key = match_key(participant.name)
                if key in new:
                    self._fill(new[key], participant, row.origin)
                    continue
                new[key] = Person(
                    name=participant.name,
                    name_key=participant.key,
                    slug=unique_slug(participant.name, self.taken),
                    birth_year=participant.birth_year,
                    death_year=participant.death_year,
                    alternate_names=list(participant.alternate_names),
                    biography=participant.biography,
                )
        insert_instances(Person, list(new.values()))
        for person in new.values():
            self.by_id[person.id] = person
            self._index(person)
            self.created.append(person.id)
        Person.objects.bulk_update(
            dirty.values(),
            ["birth_year", "death_year", "alternate_names", "biography"],
            batch_size=CHUNK,
        )
        self.updated.update(dirty)
        self.report.people_created += len(new)
        self.report.people_updated = len(self.updated - set(self.created))

    def _warn(self, person: Person, what: str, message: str) -> None:
        if (person.id, what) not in self.warned:
            self.warned.add((person.id, what))
            self.report.warnings.append(message)

    def _fill(self, person: Person, participant: Participant, origin: str) -> bool:
        """Fill what the archive does not know of a person; never overwrite what it does."""
        changed = False
        years = {"birth_year": person.birth_year, "death_year": person.death_year}
        for attribute, label in (("birth_year", "birth"), ("death_year", "death")):
            given, current = getattr(participant, attribute), years[attribute]
            if given is None or given == current:
                continue
            if current is None:
                years[attribute] = given
            else:
                self._warn(
                    person,
                    f"{attribute}:{given}",
                    f"{origin}: participants: {person.name}'s {label} year is {current} in the "
                    f"archive and {given} in the batch; kept {current}",
                )
        birth, death = years["birth_year"], years["death_year"]
        if birth and death and death < birth:
            self._warn(
                person,
                "years",
                f"{origin}: participants: {person.name}'s life dates would end before they "
                "begin; left as they were",
            )
        elif (birth, death) != (person.birth_year, person.death_year):
            person.birth_year, person.death_year = birth, death
            changed = True
        known = {match_key(name) for name in (person.name, *person.alternate_names)}
        for alternate in (participant.name, *participant.alternate_names):
            if match_key(alternate) not in known:
                person.alternate_names = [*person.alternate_names, alternate]
                known.add(match_key(alternate))
                changed = True
        if participant.biography and participant.biography != person.biography:
            if not person.biography:
                person.biography = participant.biography
                changed = True
            else:
                self._warn(
                    person,
                    "biography",
                    f"{origin}: participants: {person.name} has a different biography in the "
                    "archive; kept the archive's",
                )
        if changed and person.id:
            self._index(person)
        return changed


# Documents ---------------------------------------------------------------------------------


def _scalar_values(document: Document) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": document.title,
        "date": [
            document.date.isoformat(),
            document.date_precision,
            document.date_end.isoformat() if document.date_end else None,
            document.date_end_precision,
        ],
        "status": document.status,
    }
    for spec in FIELDS:
        values[spec.name] = spec.current(document)
    return values


def _span_from(value: list[Any]) -> DateSpan:
    start = PartialDate(date.fromisoformat(value[0]), value[1])
    end = PartialDate(date.fromisoformat(value[2]), value[3]) if value[2] else None
    return DateSpan(start, end)


def _apply(document: Document, group: str, value: Any) -> None:
    if group == "date":
        document.apply_date_span(_span_from(value))
    elif group in BY_NAME:
        BY_NAME[group].assign(document, value)
    else:
        setattr(document, group, value)


def _current_relations(document_ids: list[int]) -> dict[int, dict[str, Any]]:
    relations: dict[int, dict[str, Any]] = {
        doc_id: {"regions": [], "collections": [], "participants": []} for doc_id in document_ids
    }
    region_links, collection_links = Document.regions.through, Document.collections.through
    for doc_id, region_id in region_links.objects.filter(document_id__in=document_ids).values_list(
        "document_id", "region_id"
    ):
        relations[doc_id]["regions"].append(region_id)
    for doc_id, collection_id in collection_links.objects.filter(
        document_id__in=document_ids
    ).values_list("document_id", "collection_id"):
        relations[doc_id]["collections"].append(collection_id)
    for doc_id, person_id, role in (
        DocumentParticipant.objects.filter(document_id__in=document_ids)
        .order_by("document_id", "position", "id")
        .values_list("document_id", "person_id", "role")
    ):
        relations[doc_id]["participants"].append([person_id, role])
    for value in relations.values():
        value["regions"].sort()
        value["collections"].sort()
    return relations


def _relink(documents: list[tuple[int, dict[str, Any]]], *, new: bool = False) -> None:
    """Give documents exactly the links in `relations` (only the relations named there).

    New documents have no links yet, so there is nothing stale to delete for them.
    """
    region_links, collection_links = Document.regions.through, Document.collections.through
    stale: dict[str, list[int]] = defaultdict(list)
    for document_id, relations in documents:
        for relation in relations:
            if not new:
                stale[relation].append(document_id)
    if stale["regions"]:
        region_links.objects.filter(document_id__in=stale["regions"]).delete()
    if stale["collections"]:
        collection_links.objects.filter(document_id__in=stale["collections"]).delete()
    if stale["participants"]:
        DocumentParticipant.objects.filter(document_id__in=stale["participants"]).delete()
    _insert_links(_link_rows(documents))


_LinkRows = tuple[list[tuple], list[tuple], list[tuple]]
# The link tables with the columns of `_link_rows`, in the order it gives them.
_LINK_TABLES: tuple[tuple[type[models.Model], tuple[str, ...]], ...] = (
    (Document.regions.through, ("document_id", "region_id")),
    (Document.collections.through, ("document_id", "collection_id")),
    (DocumentParticipant, ("document_id", "person_id", "role", "position")),
)


def _link_rows(documents: list[tuple[int, dict[str, Any]]]) -> _LinkRows:
    """The rows of the links in `relations`: to places, to collections, to people."""
    regions, collections, people = [], [], []
    for document_id, relations in documents:
        regions += [(document_id, region_id) for region_id in relations.get("regions", [])]
        collections += [(document_id, c) for c in relations.get("collections", [])]
        people += [
            (document_id, person_id, role, position)
            for position, (person_id, role) in enumerate(relations.get("participants", []))
        ]
    return regions, collections, people


def _new_links(to_create: list[tuple[Document, dict[str, Any]]]) -> list[tuple[int, dict]]:
    return [(document.id, {g: wanted[g] for g in RELATIONS}) for document, wanted in to_create]


def _insert_links(rows: _LinkRows) -> None:
    for (model, columns), table_rows in zip(_LINK_TABLES, rows, strict=True):
        insert_rows(model, columns, table_rows)


@dataclass
class _Read:
    """A chunk's rows with what the archive holds for them: everything planning needs.

    Reading also creates the chunk's missing people, places and collections, so that planning
    only looks names up.
    """

    rows: list[DocumentRow]
    regions: list[list[int]]  # each row's places, as region ids
    stored: dict[str, tuple[int, dict]]  # identifier: (document id, last import's fingerprint)
    files: dict[str, tuple[FileEntry, ...]]  # each row's files, by identifier
    present: dict[int, tuple[set[tuple[str, str, str]], int]]  # see files_to_add
    new_files: dict[str, list[FileEntry]]
    existing: dict[int, Document]  # the documents that may change, with their links
    relations: dict[int, dict[str, Any]]
    pending: list[tuple[DocumentRow, dict[str, Any], list[str]]]  # row, wanted, groups to compare
    record_only: list[tuple[int, str]]  # unchanged, but from a differently written record


@dataclass
class _Plan:
    """What a chunk writes, worked out in Python alone (see `_Importer.plan`)."""

    read: _Read
    to_create: list[tuple[Document, dict[str, Any]]] = field(default_factory=list)
    # With a planning session: the new documents (with their ids) and their links,
    # formatted for COPY, in the order they are to be sent.
    created: list[FormattedRows] | None = None
    to_update: list[Document] = field(default_factory=list)
    update_fields: set[str] = field(default_factory=set)
    fingerprint_only: list[Document] = field(default_factory=list)
    changes: list[ImportChange] = field(default_factory=list)
    relinks: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    added_files: list[tuple[DocumentRow, int, list[FileEntry], int]] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # identifier: changed groups


class _Importer:
    """Writes checked rows a chunk at a time, in three steps.

    `read` (queries), `plan` (Python, and a session of its own for what needs no transaction)
    and `apply` (writes). `_write_chunks` plans the next chunk in a second thread while the
    database writes this one. The planning thread never queries the archive (Django would give
    it a second session, outside the import's transaction and its lock), and nothing a chunk
    writes changes what the next one reads, because a batch names each document once and the
    people, places and collections are kept in memory.
    """

    def __init__(
        self,
        *,
        batch: ImportBatch,
        report: ImportReport,
        overwrite_edits: bool,
        stored: StoredFiles | None = None,
    ):
        self.batch = batch
        self.report = report
        self.overwrite_edits = overwrite_edits
        self.stored = stored if stored is not None else StoredFiles()
        self.now = timezone.now()
        self.regions = _Regions(report)
        self.collections = _Collections(report)
        self.people = _People(report)
        fields = Document._meta.concrete_fields
        self.blank = [field.get_default() for field in fields]  # a new document's defaults
        self.position = {field.attname: index for index, field in enumerate(fields)}

    def wanted(self, row: DocumentRow, regions: list[int]) -> dict[str, Any]:
        """The row as group values, in the same shape as `_scalar_values` and the relations."""
        span = row.span
        values: dict[str, Any] = {
            "title": row.title,
            "date": [
                span.start.value.isoformat(),
                span.start.precision,
                span.end.value.isoformat() if span.end else None,
                span.end.precision if span.end else "",
            ],
            **row.values,
            "regions": regions,
            "collections": sorted({self.collections.id_of(c.key) for c in row.collections}),
            "participants": [[self.people.id_of(p), p.role] for p in row.participants],
        }
        if row.status is not None:
            values["status"] = row.status
        return values

    def read(self, rows: list[DocumentRow]) -> _Read:
        self.collections.ensure(rows)
        self.people.ensure(rows)
        regions = [
            sorted({self.regions.ensure(row.origin, path) for path in row.regions}) for row in rows
        ]
        # The last import's fingerprints decide most rows without loading the documents:
        # a row that asks for what the last import wrote changes nothing.
        stored = {
            identifier: (document_id, fingerprint or {})
            for identifier, document_id, fingerprint in Document.objects.filter(
                identifier__any=[row.identifier for row in rows]
            ).values_list("identifier", "id", "import_fingerprint")
        }
        files = {row.identifier: row.files for row in rows if row.files}
        present, new_files = self.files_to_add(files, stored)
        pending: list[tuple[DocumentRow, dict[str, Any], list[str]]] = []
        record_only: list[tuple[int, str]] = []
        for row, row_regions in zip(rows, regions, strict=True):
            if row.identifier not in stored:
                continue
            wanted = self.wanted(row, row_regions)
            base = stored[row.identifier][1]
            if self.overwrite_edits:  # the archivists' values must be looked at too
                differing = list(wanted)
            else:
                differing = [g for g, v in wanted.items() if base.get(g) != _fingerprint(v)]
            if differing or row.identifier in new_files:
                pending.append((row, wanted, differing))
            else:
                record_only.append((stored[row.identifier][0], row.record_hash))
        ids = [stored[row.identifier][0] for row, _, _ in pending]
        return _Read(
            rows=rows,
            regions=regions,
            stored=stored,
            files=files,
            present=present,
            new_files=new_files,
            existing=Document.objects.in_bulk(ids),
            relations=_current_relations(ids),
            pending=pending,
            record_only=record_only,
        )

    def plan(self, read: _Read, *, session: _PlanningSession | None = None) -> _Plan:
        """New documents and the changes to existing ones, in Python alone: no queries but
        those of `session` (PostgreSQL), which reserves new documents' ids, so that they are
        written as ready rows."""
        plan = _Plan(read=read, unchanged=len(read.record_only))
        for row, row_regions in zip(read.rows, read.regions, strict=True):
            if row.identifier not in read.stored:
                wanted = self.wanted(row, row_regions)
                plan.to_create.append((self.new_document(row, wanted), wanted))
        if session is not None and plan.to_create:
            documents = [document for document, _ in plan.to_create]
            new_ids = session.reserve_ids(Document, len(documents))
            for document, new_id in zip(documents, new_ids, strict=True):
                document.pk = new_id
            # Links first: their foreign keys are checked after the chunk.
            links = _link_rows(_new_links(plan.to_create))
            plan.created = [
                *(
                    session.format(m, c, rows)
                    for (m, c), rows in zip(_LINK_TABLES, links, strict=True)
                ),
                session.format(Document, *instance_rows(Document, documents)),
            ]
        for row, wanted, differing in read.pending:
            document = read.existing[read.stored[row.identifier][0]]
            current = {**_scalar_values(document), **read.relations[document.id]}
            conflicts = len(plan.conflicts)
            changed, before, fingerprint = self.compare(
                row, document, current, wanted, differing, plan.conflicts
            )
            if row.identifier in read.new_files:  # files are only ever added (files_to_add)
                changed.append("files")
                keys, position = read.present[document.id]
                before["files"] = sorted(list(key) for key in keys)
                entries = read.new_files[row.identifier]
                plan.added_files.append((row, document.id, entries, position))
            # A record whose values were not all taken is read again next time, to report again.
            record_hash = row.record_hash if len(plan.conflicts) == conflicts else ""
            if not changed:
                plan.unchanged += 1
                if (fingerprint, record_hash) != (
                    document.import_fingerprint,
                    document.import_record_hash,
                ):
                    document.import_fingerprint = fingerprint
                    document.import_record_hash = record_hash
                    plan.fingerprint_only.append(document)
                continue
            plan.changed[row.identifier] = changed
            before["_fingerprint"] = document.import_fingerprint
            before["_record_hash"] = document.import_record_hash
            before["_last_import_batch"] = document.last_import_batch_id
            plan.changes.append(
                ImportChange(
                    batch=self.batch,
                    document=document,
                    identifier=row.identifier,
                    fields=changed,
                    before=before,
                )
            )
            for group in changed:
                if group in SCALAR_GROUPS:
                    _apply(document, group, wanted[group])
                    plan.update_fields.update(SCALAR_GROUPS[group])
            if document.status == Status.PUBLISHED and document.first_published is None:
                document.first_published = self.now
                plan.update_fields.add("first_published")
            document.modified = self.now
            document.last_import_batch = self.batch
            document.import_fingerprint = fingerprint
            document.import_record_hash = record_hash
            plan.to_update.append(document)
            linked = {group: wanted[group] for group in changed if group in RELATIONS}
            if linked:
                plan.relinks.append((document.id, linked))
        return plan

    def apply(self, plan: _Plan) -> None:
        read, report = plan.read, self.report
        report.unchanged += plan.unchanged
        report.updated += len(plan.changes)
        report.conflicts += plan.conflicts
        for identifier, changed in plan.changed.items():
            if len(report.changes) >= CHANGES_SHOWN:
                break
            report.changes[identifier] = changed
        versions: list[DocumentVersion] = []
        for row, document_id, entries, position in plan.added_files:
            versions += self.new_versions(row, document_id, entries, position)
        self.create(plan)
        for document, _wanted in plan.to_create:
            listed = read.files.get(document.identifier, ())
            versions += self.new_versions(None, document.id, listed)
        if plan.to_update:
            Document.objects.bulk_update(
                plan.to_update,
                sorted(
                    plan.update_fields
                    | {"modified", "last_import_batch", "import_fingerprint", "import_record_hash"}
                ),
                batch_size=CHUNK,
            )
        if plan.fingerprint_only:
            Document.objects.bulk_update(
                plan.fingerprint_only, ["import_fingerprint", "import_record_hash"], CHUNK
            )
        if read.record_only:
            Document.objects.bulk_update(
                [Document(pk=pk, import_record_hash=digest) for pk, digest in read.record_only],
                ["import_record_hash"],
                CHUNK,
            )
        _relink(plan.relinks)
        insert_instances(ImportChange, plan.changes)
        DocumentVersion.objects.bulk_create(versions, batch_size=500)
        report.files_added += len(versions)

    def create(self, plan: _Plan) -> None:
        documents = [document for document, _ in plan.to_create]
        if plan.created is not None:
            for rows in plan.created:
                insert_formatted(rows)
            for document in documents:
                document._state.adding = False
        else:
            insert_instances(Document, documents)
            _relink(_new_links(plan.to_create), new=True)
        self.report.created += len(documents)

    def files_to_add(self, files: dict[str, tuple[FileEntry, ...]], stored):
        """For documents that exist: the versions they have (kind, language, checksum) with
        the next free position, and the files of the chunk's rows that they lack.

        An import only adds versions: one the document already has (same kind, language and
        content) is left as it is, and none is replaced or removed (archivists do that in
        the admin), so an undo only has to remove what the import added.
        """
        ids = [stored[identifier][0] for identifier in files if identifier in stored]
        present: dict[int, tuple[set[tuple[str, str, str]], int]] = {
            document_id: (set(), 0) for document_id in ids
        }
        for document_id, kind, language, sha256, position in DocumentVersion.objects.filter(
            document_id__in=ids
        ).values_list("document_id", "kind", "language", "sha256", "position"):
            keys, after = present[document_id]
            keys.add((kind, language, sha256))
            present[document_id] = (keys, max(after, position + 1))
        new_files: dict[str, list[FileEntry]] = {}
        for identifier, entries in files.items():
            if identifier in stored:
                keys = present[stored[identifier][0]][0]
                missing = [entry for entry in entries if entry.key not in keys]
                if missing:
                    new_files[identifier] = missing
        return present, new_files

    def new_versions(
        self, row: DocumentRow | None, document_id: int, entries, start: int = 0
    ) -> list[DocumentVersion]:
        """Versions for checked files, each stored (with its thumbnail) under a new name."""
        versions = []
        for offset, entry in enumerate(entries):
            if file_checksum(entry.path)[0] != entry.contents.sha256:
                where = row.origin if row else entry.name
                raise BatchInvalid(
                    [f"{where}: files: '{entry.name}' changed during the import; run it again"]
                )
            version = DocumentVersion(
                document_id=document_id,
                kind=entry.kind,
                language=entry.language,
                position=start + offset,
                import_batch=self.batch,
            )
            with entry.path.open("rb") as handle:
                version_store_file(
                    version, handle, entry.contents, original_name=entry.name, stored=self.stored
                )
            versions.append(version)
        return versions

    def new_document(self, row: DocumentRow, wanted: dict[str, Any]) -> Document:
        status = row.status or Status.PUBLISHED
        values = {
            "identifier": row.identifier,
            "title": row.title,
            **{name: BY_NAME[name].stored(value) for name, value in row.values.items()},
            "status": status,
            "first_published": self.now if status == Status.PUBLISHED else None,
            "import_batch_id": self.batch.id,
            "last_import_batch_id": self.batch.id,
            "import_record_hash": row.record_hash,
            "import_fingerprint": {
                group: _fingerprint(v) for group, v in {**wanted, "status": str(status)}.items()
            },
        }
        # Positional arguments are Django's fast path for a new instance: by keyword, each
        # field is looked up and its default computed, which was a third of planning a chunk.
        arguments = list(self.blank)
        for name, value in values.items():
            arguments[self.position[name]] = value
        # (The Django plugin for mypy types only keyword arguments of a model.)
        document: Document = cast(Any, Document)(*arguments)
        document.apply_date_span(row.span)
        return document

    def compare(
        self,
        row: DocumentRow,
        document: Document,
        current: dict,
        wanted: dict,
        groups: list,
        conflicts: list[str],
    ) -> tuple[list[str], dict[str, Any], dict[str, str]]:
        """Which of `groups` change, their previous values, and the fingerprint afterwards.

        A three-way comparison: the base is what the last import wrote (its fingerprint), ours
        the document as it is, theirs the batch. Theirs replaces ours where ours is still the
        base; where an archivist changed it, the archivist's value stays and the conflict is
        reported, unless overwrite_edits.
        """
        previous = document.import_fingerprint or {}
        changed: list[str] = []
        before: dict[str, Any] = {}
        fingerprint = dict(previous)
        for group in groups:
            value, now = wanted[group], current[group]
            if value == now:
                fingerprint[group] = _fingerprint(now)
                continue
            edited_by_hand = previous.get(group) != _fingerprint(now)
            if edited_by_hand and not self.overwrite_edits:
                conflicts.append(
                    f"{row.origin}: {group}: changed by an archivist since the last import; "
                    "kept their value (--overwrite-edits replaces it)"
                )
                continue
            changed.append(group)
            before[group] = now
            fingerprint[group] = _fingerprint(value)
        return changed, before, fingerprint


def _imported_records(digests: list[str]) -> dict[str, str]:
    """Which records documents were last imported from exactly: re-importing them is a no-op."""
    return dict(
        Document.objects.filter(import_record_hash__any=digests).values_list(
            "import_record_hash", "identifier"
        )
    )


def _record_failure(paths: Sequence[Path], errors: list[str], warnings: list[str], run_by: str):
    files = [{"name": str(path)} for path in paths]
    now = timezone.now()
    return ImportBatch.objects.create(
        outcome=ImportBatch.Outcome.FAILED,
        files=files,
        run_by=run_by,
        started_at=now,
        finished_at=now,
        errors=errors,
        warnings=warnings,
    )


class _DryRunRollback(Exception):
    pass


def documents_import(
    *,
    paths: Sequence[Path | str],
    dry_run: bool = False,
    overwrite_edits: bool = False,
    run_by: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import batch files whole: all of them are written, or (on any error) none.

    A dry run does the same work inside a transaction that is then rolled back, so its counts
    are exactly what a real run would report. `progress(done, total)` is called after each
    chunk of rows is written.
    """
    files = [Path(path) for path in paths]
    started = timezone.now()
    with _frozen_heap():
        try:
            # With overwrite_edits every record must be compared with the archivists' values.
            known = None if overwrite_edits else _imported_records
            checked = check_batch(files, chunk=CHUNK, known=known)
        except BatchInvalid as invalid:
            if not dry_run:
                _record_failure(files, invalid.errors, invalid.warnings, run_by)
            raise
        with checked:
            report = _import_checked(checked, started, dry_run, overwrite_edits, run_by, progress)
    if report.created + report.updated >= ANALYZE_AFTER and not dry_run:
        _analyze()
    return report


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Keep what the process held before the import out of the garbage collector's sweeps.

    An import makes millions of objects (rows, model instances), and each full sweep of the
    collector walks every object in the process, Django's included: at 100k documents they
    were an eighth of the import's CPU, mostly while reading chunks back from the spool
    (bench/README.md). `gc.freeze()` leaves the objects already there out of the sweeps until
    `gc.unfreeze()`, which hands them back, garbage among them included, to be swept as before.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _analyze() -> None:
    """Fresh planner statistics after a large import: without them PostgreSQL guesses that a
    table it last saw empty still is, and picks plans for that."""
    if connection.vendor != "postgresql":
        return
    tables = [
        Document._meta.db_table,
        DocumentParticipant._meta.db_table,
        Document.regions.through._meta.db_table,
        Document.collections.through._meta.db_table,
        Person._meta.db_table,
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def _write_chunks(importer: _Importer, chunks: Iterator[list[DocumentRow]], progress, total: int):
    """Read, plan and apply each chunk, planning the next one while this one is written.

    The planning thread gets the interpreter whenever the import's session waits for the
    database, which is most of a chunk's writing, and its own session computes on the second
    core. The import's queries come in the order of a plain loop, except that a chunk is read
    before the chunk ahead of it is applied.
    """
    done = 0

    def apply(planned: Future[_Plan]) -> None:
        nonlocal done
        chunk = planned.result()
        importer.apply(chunk)
        if connection.vendor == "postgresql":
            # The chunk's foreign keys (deferred) are checked now, while the next chunk is
            # being planned, rather than all at the commit, when nothing else can run; and
            # PostgreSQL's queue of pending checks stays one chunk long however large the batch.
            connection.check_constraints()
        # With DEBUG on, Django logs each query's SQL (up to 9,000 of them): with thousands of
        # identifiers in some, that alone would be hundreds of MiB.
        reset_queries()
        done += len(chunk.read.rows)
        if progress:
            progress(done, total)

    with (
        _quick_handoffs(),
        _planning_session(importer.report) as session,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-plan") as planner,
    ):
        plan = partial(importer.plan, session=session)
        planned: Future[_Plan] | None = None
        # The planning thread also reads the chunks (from the spool), one ahead.
        loading = planner.submit(next, chunks, None)
        while (rows := loading.result()) is not None:
            upcoming = planner.submit(_without_queries, plan, importer.read(rows))
            loading = planner.submit(next, chunks, None)
            if planned is not None:
                apply(planned)
            planned = upcoming
        if planned is not None:
            apply(planned)


# The import's thread holds the interpreter only briefly between its waits on the database, and
# each time it comes back from one while the planning thread runs Python, it waits for the
# interpreter up to the switch interval (5 ms by default). Thousands of waits a chunk made that
# a seventh of the write at 100k documents; a 1 ms interval measured best (bench/README.md),
# shorter ones slowed the planning thread more than they sped the writing.
HANDOFF_INTERVAL = 0.001


@contextmanager
def _quick_handoffs() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, HANDOFF_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


class _PlanningSession:
    """The planning thread's own session (PostgreSQL), for what needs no transaction: new
    documents' ids (a sequence is outside transactions). Its adapters also format the new
    rows for COPY, so that the import's session only sends them."""

    def __init__(self) -> None:
        self.session = connection.get_new_connection(connection.get_connection_params())
        self.session.autocommit = True  # no snapshot held, nothing to commit

    def reserve_ids(self, model: type[Document], count: int) -> list[int]:
        with self.session.cursor() as cursor:
            return reserve_ids(cursor, model, count)

    def format(self, model, columns: Sequence[str], rows: Iterable[Sequence]) -> FormattedRows:
        with self.session.cursor() as cursor:  # its adapters only: nothing is sent
            return format_rows(cursor, model, columns, rows)

    def close(self) -> None:
        self.session.close()


@contextmanager
def _planning_session(report: ImportReport) -> Iterator[_PlanningSession | None]:
    if connection.vendor != "postgresql":
        yield None
        return
    import psycopg

    try:
        session = _PlanningSession()
    except psycopg.Error as error:  # at max_connections, say: slower, but the import runs
        report.warnings.append(
            f"no second database session ({str(error).strip()}); the import wrote on one"
        )
        yield None
        return
    try:
        yield session
    finally:
        session.close()


def _without_queries(function: Callable[[_Read], _Plan], read: _Read) -> _Plan:
    """Run `function` in the planning thread, refusing any query through Django: the thread's
    connection would be a second session, outside the import's transaction and its lock."""

    def refuse(execute, sql, params, many, context):
        raise RuntimeError(f"the import's planning thread may not query: {sql[:80]}")

    try:
        with connection.execute_wrapper(refuse):
            return function(read)
    finally:
        connection.close()


def _import_checked(checked, started, dry_run, overwrite_edits, run_by, progress):
    scan = checked.scan
    report = ImportReport(dry_run=dry_run, warnings=list(scan.warnings), unchanged=scan.unchanged)
    # Storage is not transactional: what the run stored is removed again if it rolls back.
    stored = StoredFiles()
    try:
        with stored.removed_on_error(), transaction.atomic():
            _lock_imports()
            batch = ImportBatch.objects.create(
                outcome=ImportBatch.Outcome.SUCCEEDED,
                files=[vars(batch_file) for batch_file in scan.files],
                run_by=run_by,
                started_at=started,
                overwrite_edits=overwrite_edits,
            )
            importer = _Importer(
                batch=batch, report=report, overwrite_edits=overwrite_edits, stored=stored
            )
            _write_chunks(importer, checked.chunks(), progress, scan.records)
            # The index follows after the commit: every document this batch wrote, and those
            # of people it gave new alternate names (findable by them now).
            documents_changed(
                Document.objects.filter(last_import_batch=batch).values_list("id", flat=True)
            )
            people_changed(importer.people.updated)
            batch.finished_at = timezone.now()
            batch.created_count, batch.updated_count = report.created, report.updated
            batch.unchanged_count, batch.conflict_count = report.unchanged, len(report.conflicts)
            batch.people_created = importer.people.created
            batch.regions_created = importer.regions.created
            batch.collections_created = importer.collections.created
            batch.warnings = report.warnings + report.conflicts
            batch.save()
            report.batch = batch
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        report.batch = None
    return report


# Undo --------------------------------------------------------------------------------------


def _undo_problems(batch: ImportBatch, documents: Iterable[Document]) -> list[str]:
    problems = []
    for document in documents:
        if document.last_import_batch_id != batch.id:
            later = document.last_import_batch_id
            values = {"identifier": document.identifier, "number": batch.id, "later": later}
            problems.append(
                gettext("%(identifier)s: changed by import #%(later)s since import #%(number)s")
                % values
                if later
                else gettext("%(identifier)s: changed by an archivist since import #%(number)s")
                % values
            )
        elif document.edited_at and batch.finished_at and document.edited_at > batch.finished_at:
            problems.append(
                gettext(
                    "%(identifier)s: edited by an archivist on %(when)s after import #%(number)s"
                )
                % {
                    "identifier": document.identifier,
                    "when": f"{timezone.localtime(document.edited_at):%Y-%m-%d %H:%M}",
                    "number": batch.id,
                }
            )
    return problems


def import_batch_undo(*, batch: ImportBatch, run_by: str = "") -> ImportBatch:
    """Revert an import: remove what it created (documents, and versions it added to
    documents that were there before), give what it changed its previous values.

    Refuses (UndoRefused, nothing changed) when a later import or an archivist has changed
    any of the same documents since, or when the batch is not a successful import.
    """
    with transaction.atomic():
        _lock_imports()
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.outcome != ImportBatch.Outcome.SUCCEEDED:
            refusal = (
                gettext("import #%(number)s is undone")
                if batch.outcome == ImportBatch.Outcome.UNDONE
                else gettext("import #%(number)s is failed (nothing written)")
            )
            raise UndoRefused([refusal % {"number": batch.pk}])
        created = list(Document.objects.filter(import_batch=batch))
        changes = list(batch.changes.select_related("document"))
        problems = _undo_problems(batch, created)
        problems += [
            gettext("%(identifier)s: deleted since import #%(number)s")
            % {"identifier": change.identifier, "number": batch.pk}
            for change in changes
            if change.document is None
        ]
        problems += _undo_problems(batch, [c.document for c in changes if c.document])
        if problems:
            raise UndoRefused(problems)

        now = timezone.now()
        restored: list[Document] = []
        fields: set[str] = {
            "modified",
            "last_import_batch",
            "import_fingerprint",
            "import_record_hash",
        }
        relinks: list[tuple[int, dict[str, Any]]] = []
        for change in changes:
            document = change.document
            assert document is not None  # a change to a deleted document refused the undo
            before = change.before
            for group in change.fields:
                if group in SCALAR_GROUPS:
                    _apply(document, group, before[group])
                    fields.update(SCALAR_GROUPS[group])
            linked = {group: before[group] for group in change.fields if group in RELATIONS}
            if linked:
                relinks.append((document.id, _existing_links(linked)))
            document.import_fingerprint = before.get("_fingerprint", {})
            document.import_record_hash = before.get("_record_hash", "")
            document.last_import_batch_id = before.get("_last_import_batch")
            document.modified = now
            restored.append(document)
        Document.objects.bulk_update(restored, sorted(fields), batch_size=CHUNK)
        _relink(relinks)
        # The versions it added (their files leave storage once this commits).
        DocumentVersion.objects.filter(import_batch=batch).delete()
        documents_changed(document.id for document in restored)
        documents_delete(document_ids=[document.id for document in created])
        _remove_unused(batch)
        batch.outcome = ImportBatch.Outcome.UNDONE
        batch.undone_at, batch.undone_by = now, run_by
        batch.save(update_fields=["outcome", "undone_at", "undone_by"])
    return batch


def _existing_links(relations: dict[str, Any]) -> dict[str, Any]:
    """Previous links, less any person, place or collection deleted since."""
    kept = dict(relations)
    if "regions" in kept:
        kept["regions"] = list(
            Region.objects.filter(id__in=kept["regions"]).values_list("id", flat=True)
        )
    if "collections" in kept:
        kept["collections"] = list(
            Collection.objects.filter(id__in=kept["collections"]).values_list("id", flat=True)
        )
    if "participants" in kept:
        alive = set(
            Person.objects.filter(id__in=[p for p, _ in kept["participants"]]).values_list(
                "id", flat=True
            )
        )
        kept["participants"] = [[p, role] for p, role in kept["participants"] if p in alive]
    return kept


def _remove_unused(batch: ImportBatch) -> None:
    """People, places and collections the batch created that no document uses any more."""
    Person.objects.filter(id__in=batch.people_created, participations__isnull=True).delete()
    Collection.objects.filter(id__in=batch.collections_created, documents__isnull=True).delete()
    while True:  # leaves first: a place with places under it stays until they go
        unused = Region.objects.filter(
            id__in=batch.regions_created, documents__isnull=True, children__isnull=True
        )
        if not unused.exists():
            break
        unused.delete()


# Places without documents --------------------------------------------------------------------


def regions_import(*, path: Path) -> ImportReport:
    """Places from a text file, one path a line (`East Asia > China`), for places that no
    document names yet; blank lines and lines starting with # are skipped."""
    report = ImportReport()
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            names = tuple(" ".join(part.split()) for part in line.split(">"))
            if not all(names):
                raise BatchInvalid([f"{path}:{number}: regions: '{line}' has an empty place"])
            entries.append((f"{path}:{number}", names))
    with transaction.atomic():
        regions = _Regions(report)
        for origin, names in entries:
            regions.ensure(origin, names)
    return report
