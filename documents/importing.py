"""Batch import: the one way documents, people, regions and collections come in.

`load_seeds`, `import_documents` and any future upload call `documents_import`. It reads every
record of every file first and checks it, collecting all the errors with file, line and field;
if there is any, nothing is written. Only then does it write, in one transaction, with bulk
queries, so that a batch lands whole or not at all, and a re-run of the same batch changes
nothing (not even the modification times).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from archive.slugs import taken_slugs, unique_slug
from people.models import Person
from people.names import name_key, split_life_dates

from .dates import DateSpan, PartialDate
from .languages import language_code
from .models import (
    IDENTIFIER_PATTERN,
    Collection,
    Document,
    DocumentParticipant,
    Region,
    Role,
    Status,
)

TEXT_FIELDS = ("summary", "text", "language", "source", "original_archive", "rights")
LIST_FIELDS = ("collections", "regions", "participants")
KNOWN_FIELDS = {"identifier", "title", "date", "date_end", "status", *TEXT_FIELDS, *LIST_FIELDS}
MAX_LENGTHS = {"title": 500, "original_archive": 300, "collections": 300, "regions": 200}
CHUNK = 2000


@dataclass(frozen=True)
class Participant:
    name: str
    birth_year: int | None = None
    death_year: int | None = None
    role: str = ""

    @property
    def key(self) -> str:
        return name_key(self.name)


@dataclass
class DocumentRow:
    """One valid record of a batch, ready to be written."""

    origin: str  # FILE:LINE, for messages about this record
    identifier: str
    title: str
    span: DateSpan
    values: dict[str, str]  # the optional text fields
    status: str | None  # None: the batch does not say (keep an existing document's status)
    collections: tuple[str, ...] = ()
    regions: tuple[tuple[str, ...], ...] = ()
    participants: tuple[Participant, ...] = ()


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    people_created: int = 0
    regions_created: int = 0
    collections_created: int = 0
    warnings: list[str] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)  # identifier: changed fields
    dry_run: bool = False

    def summary(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged "
            f"(people: {self.people_created} new, regions: {self.regions_created} new, "
            f"collections: {self.collections_created} new)"
        )


class BatchInvalid(Exception):
    """A batch with errors; `errors` holds every one, as `FILE:LINE: field: what is wrong`."""

    def __init__(self, errors: list[str], warnings: list[str] | None = None):
        super().__init__(f"{len(errors)} error(s) in the batch")
        self.errors = errors
        self.warnings = warnings or []


# Reading -------------------------------------------------------------------------------------


def _read_jsonl(path: Path, errors: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                errors.append(f"{path}:{number}: not UTF-8 text (byte {exc.start + 1} of the line)")
                continue
            if number == 1:
                line = line.removeprefix("\ufeff")
            if not line.strip():
                continue
            try:
                record = json.loads(line.rstrip("\r\n"))
            except json.JSONDecodeError as exc:
                errors.append(f"{path}:{number}: not valid JSON: {exc.msg} (column {exc.colno})")
                continue
            if not isinstance(record, dict):
                errors.append(f"{path}:{number}: a record must be a JSON object")
                continue
            yield number, record


def _read_csv(path: Path, errors: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        errors.append(f"{path}:{line}: not UTF-8 text")
        return
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
        repeated = sorted({name for name in header if header.count(name) > 1})
        if repeated:
            errors.append(f"{path}:1: header: column(s) {', '.join(repeated)} appear twice")
            return
        start = reader.line_num + 1
        for row in reader:
            if None in row:
                errors.append(f"{path}:{start}: the row has more cells than the header")
            else:
                yield (
                    start,
                    {
                        key: _split_csv(key, value)
                        for key, value in row.items()
                        if value is not None
                    },
                )
            start = reader.line_num + 1
    except csv.Error as exc:
        # DictReader counts only records it finished; the inner reader knows the bad line.
        errors.append(f"{path}:{reader.reader.line_num}: malformed CSV: {exc}")


def _split_csv(key: str, value: str) -> Any:
    if key in LIST_FIELDS:
        return [item for item in (part.strip() for part in value.split(";")) if item]
    return value


def read_records(path: Path, errors: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Every record of one batch file, with its line number; problems go into `errors`."""
    if not path.is_file():
        errors.append(f"{path}: no such file")
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(path, errors)
    elif suffix == ".csv":
        yield from _read_csv(path, errors)
    else:
        errors.append(f"{path}: unknown format '{suffix}' (expected .jsonl or .csv)")


# Checking ------------------------------------------------------------------------------------


def _clean_text(value: str, *, paragraphs: bool) -> str:
    """Fold the source's line wrapping and indentation; keep blank-line paragraph breaks."""
    if not paragraphs:
        return " ".join(value.split())
    parts = (" ".join(part.split()) for part in re.split(r"\n\s*\n", value.strip()))
    return "\n\n".join(part for part in parts if part)


def _missing(record: dict[str, Any], name: str) -> bool:
    value = record.get(name)
    return value is None or (isinstance(value, str) and not value.strip())


class _RowChecker:
    """Turns one raw record into a DocumentRow, or notes what is wrong with it."""

    def __init__(self, origin: str):
        self.origin = origin
        self.identifier = ""
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, field_name: str, message: str) -> None:
        self.errors.append(f"{self.origin}: {field_name}: {message}")

    def text(self, record: dict[str, Any], name: str) -> str:
        value = record.get(name)
        if value is None:
            return ""
        if isinstance(value, int) and not isinstance(value, bool) and name == "identifier":
            value = str(value)
        if not isinstance(value, str):
            self.error(name, f"must be text, not {type(value).__name__}")
            return ""
        limit = MAX_LENGTHS.get(name)
        if name == "text":  # a transcript's line breaks are the document's own
            cleaned = value.strip()
        else:
            cleaned = _clean_text(value, paragraphs=name in {"summary", "rights", "source"})
        if limit and len(cleaned) > limit:
            self.error(name, f"is {len(cleaned)} characters long; the most is {limit}")
        return cleaned

    def items(self, record: dict[str, Any], name: str) -> list[Any]:
        value = record.get(name)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list):
            self.error(name, f"must be a list, not {type(value).__name__}")
            return []
        return value

    def check(self, record: dict[str, Any]) -> DocumentRow | None:
        for unknown in sorted(set(record) - KNOWN_FIELDS):
            self.warnings.append(f"{self.origin}: {unknown}: unknown field, ignored")

        identifier = self.identifier = self.text(record, "identifier")
        if _missing(record, "identifier"):
            self.error("identifier", "is required")
        elif identifier and not re.match(IDENTIFIER_PATTERN, identifier):
            self.error(
                "identifier",
                f"'{identifier}' may hold only letters, digits and . _ : - "
                "(at most 100, starting with a letter or digit)",
            )
        title = self.text(record, "title")
        if _missing(record, "title"):
            self.error("title", "is required")

        span = self.date_span(record)
        values = {name: self.text(record, name) for name in TEXT_FIELDS}
        if values["language"]:
            code = language_code(values["language"])
            if code is None:
                self.error(
                    "language",
                    f"'{values['language']}' is not a language this archive knows "
                    "(write an ISO 639 code such as ru, or a name such as Russian)",
                )
            values["language"] = code or ""

        status = self.text(record, "status") or None
        if status is not None and status not in Status.values:
            self.error("status", f"'{status}' is not one of: {', '.join(Status.values)}")

        row = DocumentRow(
            origin=self.origin,
            identifier=identifier,
            title=title,
            span=span,  # type: ignore[arg-type]
            values=values,
            status=status,
            collections=tuple(self.collections(record)),
            regions=tuple(self.regions(record)),
            participants=tuple(self.participants(record)),
        )
        return None if self.errors else row

    def date_span(self, record: dict[str, Any]) -> DateSpan | None:
        start = end = None
        raw_start, raw_end = record.get("date"), record.get("date_end")
        if raw_start in (None, ""):
            self.error("date", "is required")
        else:
            try:
                start = PartialDate.parse(str(raw_start))
            except ValueError as exc:
                self.error("date", str(exc))
        if raw_end not in (None, ""):
            try:
                end = PartialDate.parse(str(raw_end))
            except ValueError as exc:
                self.error("date_end", str(exc))
        if start is None:
            return None
        try:
            return DateSpan(start, end)
        except ValueError as exc:
            self.error("date_end", str(exc))
            return None

    def strings(self, record: dict[str, Any], name: str) -> Iterator[str]:
        for number, item in enumerate(self.items(record, name), start=1):
            if not isinstance(item, str) or not item.strip():
                self.error(name, f"entry {number} must be non-empty text")
                continue
            cleaned = " ".join(item.split())
            limit = MAX_LENGTHS.get(name)
            if limit and len(cleaned) > limit:
                self.error(name, f"entry {number} is longer than {limit} characters")
                continue
            yield cleaned

    def collections(self, record: dict[str, Any]) -> Iterator[str]:
        seen: set[str] = set()
        for title in self.strings(record, "collections"):
            if name_key(title) not in seen:
                seen.add(name_key(title))
                yield title

    def regions(self, record: dict[str, Any]) -> Iterator[tuple[str, ...]]:
        for entry in self.strings(record, "regions"):
            names = tuple(part.strip() for part in entry.split(">"))
            if not all(names):
                self.error("regions", f"'{entry}' has an empty place in its path")
            elif any(len(part) > MAX_LENGTHS["regions"] for part in names):
                self.error("regions", f"'{entry}' has a name longer than 200 characters")
            else:
                yield names

    def participants(self, record: dict[str, Any]) -> Iterator[Participant]:
        seen: set[str] = set()
        for number, item in enumerate(self.items(record, "participants"), start=1):
            role = ""
            if isinstance(item, dict):
                role = item.get("role") or ""
                item = item.get("name")
                if not isinstance(role, str) or (role and role not in Role.values):
                    self.error(
                        "participants",
                        f"entry {number} has role '{role}', not one of: {', '.join(Role.values)}",
                    )
                    continue
            if not isinstance(item, str) or not item.strip():
                self.error("participants", f"entry {number} must be a non-empty name")
                continue
            name, birth, death = split_life_dates(item)
            if len(name) > 300:
                self.error("participants", f"entry {number} is longer than 300 characters")
                continue
            if birth and death and death < birth:
                self.error("participants", f"'{item}' dies ({death}) before birth ({birth})")
                continue
            participant = Participant(name, birth, death, role)
            if participant.key in seen:
                self.warnings.append(
                    f"{self.origin}: participants: '{name}' is named twice; kept once"
                )
                continue
            seen.add(participant.key)
            yield participant


def parse_batch(paths: Sequence[Path]) -> tuple[list[DocumentRow], list[str]]:
    """Read and check every record of every file; raise BatchInvalid listing all errors."""
    rows: list[DocumentRow] = []
    errors: list[str] = []
    warnings: list[str] = []
    first_seen: dict[str, str] = {}
    for path in paths:
        before = len(errors)
        records = 0
        for line, record in read_records(Path(path), errors):
            records += 1
            checker = _RowChecker(f"{path}:{line}")
            row = checker.check(record)
            errors.extend(checker.errors)
            warnings.extend(checker.warnings)
            identifier = checker.identifier
            if identifier in first_seen:
                errors.append(
                    f"{checker.origin}: identifier: '{identifier}' is repeated "
                    f"(first at {first_seen[identifier]})"
                )
                continue
            if identifier:
                first_seen[identifier] = checker.origin
            if row is not None:
                rows.append(row)
        if records == 0 and len(errors) == before:
            errors.append(f"{path}: the file holds no records")
    if errors:
        raise BatchInvalid(errors, warnings)
    return rows, warnings


# Writing -------------------------------------------------------------------------------------


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _ensure_collections(rows: Iterable[DocumentRow], report: ImportReport) -> dict[str, int]:
    wanted: dict[str, str] = {}
    for row in rows:
        for title in row.collections:
            wanted.setdefault(name_key(title), title)
    known = {c.title_key: c.id for c in Collection.objects.filter(title_key__in=list(wanted))}
    taken = taken_slugs(Collection)
    new = [
        Collection(title=title, title_key=key, slug=unique_slug(title, taken))
        for key, title in wanted.items()
        if key not in known
    ]
    Collection.objects.bulk_create(new)
    report.collections_created = len(new)
    known.update({c.title_key: c.id for c in new})
    return known


def _is_ancestor(candidate: Region, region: Region, by_id: dict[int, Region]) -> bool:
    node: Region | None = region
    while node is not None:
        if node.id == candidate.id:
            return True
        node = by_id.get(node.parent_id) if node.parent_id else None
    return False


def _ensure_regions(
    paths: Iterable[tuple[str, tuple[str, ...]]], report: ImportReport
) -> dict[str, int]:
    """Regions by name key; a path creates what is missing and places it under its parent.

    `paths` holds (origin, path) pairs, the origin naming the batch line for warnings.
    """
    by_key = {region.name_key: region for region in Region.objects.all()}
    by_id = {region.id: region for region in by_key.values()}
    taken = {region.slug for region in by_key.values()}
    for origin, path in paths:
        parent: Region | None = None
        for name in path:
            region = by_key.get(name_key(name))
            if region is None:
                region = Region(name=name, parent=parent, slug=unique_slug(name, taken))
                region.save()
                report.regions_created += 1
                by_key[region.name_key] = by_id[region.id] = region
            elif parent is not None and region.parent_id != parent.id:
                if region.parent_id is None and not _is_ancestor(region, parent, by_id):
                    region.parent = parent
                    region.save(update_fields=["parent"])
                else:
                    where = by_id[region.parent_id].name if region.parent_id else "the top"
                    report.warnings.append(
                        f"{origin}: regions: '{region.name}' stays under {where}, "
                        f"not under '{parent.name}'"
                    )
            parent = region
    return {key: region.id for key, region in by_key.items()}


def _ensure_people(rows: Sequence[DocumentRow], report: ImportReport) -> dict[str, int]:
    """People by name key: new names are created, missing life dates filled in."""
    wanted: dict[str, tuple[Participant, str]] = {}
    for row in rows:
        for participant in row.participants:
            if participant.key not in wanted:
                wanted[participant.key] = (participant, row.origin)
            else:
                first, origin = wanted[participant.key]
                merged = _merge_mentions(first, participant, origin, row.origin, report)
                wanted[participant.key] = (merged, origin)
    known: dict[str, Person] = {}
    for keys in _chunks(list(wanted)):
        for person in Person.objects.filter(name_key__in=keys).order_by("id"):
            known.setdefault(person.name_key, person)

    taken = taken_slugs(Person)
    new, filled = [], []
    for key, (participant, origin) in wanted.items():
        person = known.get(key)
        if person is None:
            new.append(
                Person(
                    name=participant.name,
                    name_key=key,
                    slug=unique_slug(participant.name, taken),
                    birth_year=participant.birth_year,
                    death_year=participant.death_year,
                )
            )
            continue
        if _fill_life_dates(person, participant, origin, report):
            filled.append(person)
    Person.objects.bulk_create(new, batch_size=CHUNK)
    Person.objects.bulk_update(filled, ["birth_year", "death_year"], batch_size=CHUNK)
    report.people_created = len(new)
    known.update({person.name_key: person for person in new})
    return {key: person.id for key, person in known.items()}


def _merge_mentions(
    first: Participant, later: Participant, first_origin: str, origin: str, report: ImportReport
) -> Participant:
    """One person named twice in a batch: a later mention's life dates fill the first's gaps."""
    years = {}
    for attribute, label in (("birth_year", "birth"), ("death_year", "death")):
        kept, given = getattr(first, attribute), getattr(later, attribute)
        years[attribute] = kept if kept is not None else given
        if kept is not None and given is not None and kept != given:
            report.warnings.append(
                f"{origin}: participants: {first.name}'s {label} year is {given} here and "
                f"{kept} at {first_origin}; kept {kept}"
            )
    if years["birth_year"] and years["death_year"] and years["death_year"] < years["birth_year"]:
        return first
    return Participant(first.name, years["birth_year"], years["death_year"], first.role)


def _fill_life_dates(
    person: Person, participant: Participant, origin: str, report: ImportReport
) -> bool:
    """Fill a person's unknown years from the batch; never overwrite curated ones silently."""
    changed = False
    for attribute, label in (("birth_year", "birth"), ("death_year", "death")):
        given, current = getattr(participant, attribute), getattr(person, attribute)
        if given is None or given == current:
            continue
        if current is None:
            setattr(person, attribute, given)
            changed = True
        else:
            report.warnings.append(
                f"{origin}: participants: {person.name}'s {label} year is {current} in the "
                f"archive and {given} in the batch; kept {current}"
            )
    if person.birth_year and person.death_year and person.death_year < person.birth_year:
        report.warnings.append(
            f"{origin}: participants: {person.name}'s life dates would end before they begin; "
            "left as they were"
        )
        person.refresh_from_db(fields=["birth_year", "death_year"])
        return False
    return changed


def _current_relations(document_ids: list[int]):
    regions: dict[int, set[int]] = defaultdict(set)
    collections: dict[int, set[int]] = defaultdict(set)
    participants: dict[int, list[tuple[int, str]]] = defaultdict(list)
    region_links, collection_links = Document.regions.through, Document.collections.through
    for ids in _chunks(document_ids):
        for doc_id, region_id in region_links.objects.filter(document_id__in=ids).values_list(
            "document_id", "region_id"
        ):
            regions[doc_id].add(region_id)
        for doc_id, collection_id in collection_links.objects.filter(
            document_id__in=ids
        ).values_list("document_id", "collection_id"):
            collections[doc_id].add(collection_id)
        for doc_id, person_id, role in (
            DocumentParticipant.objects.filter(document_id__in=ids)
            .order_by("document_id", "position", "id")
            .values_list("document_id", "person_id", "role")
        ):
            participants[doc_id].append((person_id, role))
    return regions, collections, participants


SCALAR_FIELDS = (
    "title",
    "date",
    "date_precision",
    "date_end",
    "date_end_precision",
    "date_last",
    *TEXT_FIELDS,
)


def _write(rows: Sequence[DocumentRow], report: ImportReport) -> None:
    collection_ids = _ensure_collections(rows, report)
    region_ids = _ensure_regions(
        ((row.origin, path) for row in rows for path in row.regions), report
    )
    person_ids = _ensure_people(rows, report)

    existing: dict[str, Document] = {}
    for identifiers in _chunks([row.identifier for row in rows]):
        existing.update(Document.objects.in_bulk(identifiers, field_name="identifier"))
    current_regions, current_collections, current_people = _current_relations(
        [document.id for document in existing.values()]
    )

    now = timezone.now()
    to_create: list[Document] = []
    to_update: list[Document] = []
    updated_fields: set[str] = set()
    relinks: list[tuple[Document, DocumentRow, set[str]]] = []
    for row in rows:
        wanted_regions = {region_ids[name_key(path[-1])] for path in row.regions}
        wanted_collections = {collection_ids[name_key(title)] for title in row.collections}
        wanted_people = [(person_ids[p.key], p.role) for p in row.participants]
        document = existing.get(row.identifier)
        if document is None:
            document = Document(identifier=row.identifier, title=row.title, **row.values)
            document.apply_date_span(row.span)
            document.status = row.status or Status.PUBLISHED
            if document.status == Status.PUBLISHED:
                document.first_published = now
            to_create.append(document)
            relinks.append((document, row, {"regions", "collections", "participants"}))
            continue

        before = {name: getattr(document, name) for name in SCALAR_FIELDS + ("status",)}
        document.title = row.title
        document.apply_date_span(row.span)
        for name, value in row.values.items():
            setattr(document, name, value)
        if row.status:
            document.status = row.status
        changed = [name for name, value in before.items() if getattr(document, name) != value]
        relations = set()
        if current_regions.get(document.id, set()) != wanted_regions:
            relations.add("regions")
        if current_collections.get(document.id, set()) != wanted_collections:
            relations.add("collections")
        if current_people.get(document.id, []) != wanted_people:
            relations.add("participants")
        if not changed and not relations:
            report.unchanged += 1
            continue
        report.updated += 1
        report.changes[row.identifier] = changed + sorted(relations)
        document.modified = now
        if document.status == Status.PUBLISHED and document.first_published is None:
            document.first_published = now
            updated_fields.add("first_published")
        updated_fields.update(changed)
        to_update.append(document)
        if relations:
            relinks.append((document, row, relations))

    Document.objects.bulk_create(to_create, batch_size=CHUNK)
    report.created = len(to_create)
    if to_update:
        Document.objects.bulk_update(
            to_update, sorted(updated_fields | {"modified"}), batch_size=CHUNK
        )
    _relink(relinks, region_ids, collection_ids, person_ids)


def _relink(relinks, region_ids, collection_ids, person_ids) -> None:
    """Replace the links of new and changed documents with the batch's."""
    region_links, collection_links = Document.regions.through, Document.collections.through
    stale: dict[str, list[int]] = defaultdict(list)
    new_regions, new_collections, new_people = [], [], []
    for document, row, relations in relinks:
        for relation in relations:
            stale[relation].append(document.id)
        if "regions" in relations:
            new_regions += [
                region_links(document_id=document.id, region_id=region_id)
                for region_id in {region_ids[name_key(path[-1])] for path in row.regions}
            ]
        if "collections" in relations:
            new_collections += [
                collection_links(document_id=document.id, collection_id=collection_id)
                for collection_id in {collection_ids[name_key(t)] for t in row.collections}
            ]
        if "participants" in relations:
            new_people += [
                DocumentParticipant(
                    document_id=document.id,
                    person_id=person_ids[p.key],
                    role=p.role,
                    position=position,
                )
                for position, p in enumerate(row.participants)
            ]
    for ids in _chunks(stale["regions"]):
        region_links.objects.filter(document_id__in=ids).delete()
    for ids in _chunks(stale["collections"]):
        collection_links.objects.filter(document_id__in=ids).delete()
    for ids in _chunks(stale["participants"]):
        DocumentParticipant.objects.filter(document_id__in=ids).delete()
    region_links.objects.bulk_create(new_regions, batch_size=CHUNK)
    collection_links.objects.bulk_create(new_collections, batch_size=CHUNK)
    DocumentParticipant.objects.bulk_create(new_people, batch_size=CHUNK)


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
        _ensure_regions(entries, report)
    return report


class _DryRunRollback(Exception):
    pass


def documents_import(*, paths: Sequence[Path | str], dry_run: bool = False) -> ImportReport:
    """Import batch files whole: all of them are written, or (on any error) none.

    A dry run does the same work inside a transaction that is then rolled back, so its
    counts are exactly what a real run would report.
    """
    rows, warnings = parse_batch([Path(path) for path in paths])
    report = ImportReport(dry_run=dry_run, warnings=list(warnings))
    try:
        with transaction.atomic():
            _write(rows, report)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return report
