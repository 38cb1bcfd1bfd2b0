"""The batch format: reading, checking and writing the records that carry documents in and out.

A batch is UTF-8 JSON Lines (one object a line) or CSV (a header row, list fields separated by
`;`). Reading streams the file: nothing holds a whole batch in memory. Checking turns each raw
record into a `DocumentRow` or into messages `FILE:LINE: field: what is wrong`. Writing
(`document_record`, `csv_record`) produces the same format, so an export imports again.
"""

from __future__ import annotations

import csv
import gc
import gzip
import hashlib
import json
import pickle
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from django.utils import timezone

from core.identifiers import IDENTIFIER_PATTERN
from core.languages import language_code
from documents.dates import DateSpan, PartialDate
from documents.models import Collection, Region, Role, Status
from people.names import name_key, split_life_dates
from versions.contents import Contents, FileRefused, examine
from versions.models import Kind

from .fields import (
    FIELD_NAMES,
    FIELDS,
    TITLE,
    TextField,
    clean_whitespace,
    required_max_length,
)

LIST_FIELDS = ("collections", "regions", "participants", "files")
CSV_COLUMNS = (
    "identifier",
    "title",
    "date",
    "date_end",
    *FIELD_NAMES,
    "status",
    *LIST_FIELDS,
)
KNOWN_FIELDS = set(CSV_COLUMNS)
# The longest values, as the models allow them.
COLLECTION_LENGTH = required_max_length(Collection, "title")
PLACE_LENGTH = required_max_length(Region, "name")


@dataclass(frozen=True)
class Participant:
    """A person as a batch names them, with what the batch says of them."""

    name: str
    birth_year: int | None = None
    death_year: int | None = None
    role: str = ""
    alternate_names: tuple[str, ...] = ()
    biography: str = ""

    @property
    def key(self) -> str:
        return name_key(self.name)


@dataclass(frozen=True)
class CollectionEntry:
    title: str
    description: str = ""

    @property
    def key(self) -> str:
        return name_key(self.title)


@dataclass(frozen=True)
class FileEntry:
    """A version's file that a record lists, checked (see versions.contents.examine)."""

    kind: str
    language: str
    path: Path  # resolved, inside the batch file's folder
    name: str  # as the batch wrote it, relative to the batch file's folder
    contents: Contents

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two versions the same: kind, language and content."""
        return self.kind, self.language, self.contents.sha256


@dataclass
class DocumentRow:
    """One valid record of a batch, ready to be written."""

    origin: str  # FILE:LINE, for messages about this record
    identifier: str
    title: str
    span: DateSpan
    values: dict[str, str]  # the optional fields (importing/fields.py), as records write them
    status: str | None  # None: the batch does not say (keep an existing document's status)
    record_hash: str = ""  # the record's digest (see record_digest)
    collections: tuple[CollectionEntry, ...] = ()
    regions: tuple[tuple[str, ...], ...] = ()
    participants: tuple[Participant, ...] = ()
    files: tuple[FileEntry, ...] = ()


class BatchInvalid(Exception):
    """A batch with errors; `errors` holds every one, as `FILE:LINE: field: what is wrong`."""

    def __init__(self, errors: list[str], warnings: list[str] | None = None):
        super().__init__(f"{len(errors)} error(s) in the batch")
        self.errors = errors
        self.warnings = warnings or []


# Reading -------------------------------------------------------------------------------------


# A record's digest: what it said, byte for byte, so that a re-import can tell a record it has
# already imported without reading it again. The prefix changes if the format's meaning does.
DIGEST_VERSION = b"batch-v1\x1f"


def record_digest(*parts: str) -> str:
    digest = hashlib.blake2b(DIGEST_VERSION, digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def _read_jsonl(path: Path, errors: list[str]) -> Iterator[tuple[int, str, str]]:
    """Each record's line number, digest and text; the text is parsed only when needed.

    A `.jsonl.gz` (a data release, as `publish_release` writes it) is read as it is."""
    if not path.name.lower().endswith(".jsonl.gz"):
        with path.open("rb") as handle:
            yield from _jsonl_lines(path, handle, errors)
        return
    with gzip.open(path, "rb") as handle:
        try:
            yield from _jsonl_lines(path, handle, errors)
        except (OSError, EOFError) as exc:  # a truncated or damaged file; BadGzipFile is OSError
            errors.append(f"{path}: not a readable gzip file ({exc})")


def _jsonl_lines(path: Path, handle, errors: list[str]) -> Iterator[tuple[int, str, str]]:
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
        text = line.rstrip("\r\n")
        yield number, record_digest("jsonl", text), text


def _parse_json(origin: str, text: str, errors: list[str]) -> dict[str, Any] | None:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        errors.append(f"{origin}: not valid JSON: {exc.msg} (column {exc.colno})")
        return None
    if not isinstance(record, dict):
        errors.append(f"{origin}: a record must be a JSON object")
        return None
    return record


def _decoded_lines(path: Path, errors: list[str]) -> Iterator[str]:
    """A file's lines as text, decoded one at a time so a bad byte is reported on its line."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                errors.append(f"{path}:{number}: not UTF-8 text")
                line = raw.decode("utf-8", errors="replace")
            yield line.removeprefix("\ufeff") if number == 1 else line


def _read_csv(path: Path, errors: list[str]) -> Iterator[tuple[int, str, dict[str, Any]]]:
    reader = csv.DictReader(_decoded_lines(path, errors), strict=True)
    yield from _csv_rows(path, reader, errors)


def _csv_rows(
    path: Path, reader: csv.DictReader, errors: list[str]
) -> Iterator[tuple[int, str, dict[str, Any]]]:
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
                cells = [(key, value) for key, value in row.items() if value is not None]
                digest = record_digest("csv", *(part for cell in cells for part in cell))
                yield start, digest, {key: _split_csv(key, value) for key, value in cells}
            start = reader.line_num + 1
    except csv.Error as exc:
        # DictReader counts only records it finished; the inner reader knows the bad line.
        errors.append(f"{path}:{reader.reader.line_num}: malformed CSV: {exc}")


# A cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, a tab or a
# carriage return first) is written with a `'` before it, as OWASP advises for CSV injection,
# and so is a cell that begins with `'` itself; reading takes one leading `'` away (as a
# spreadsheet does), so every value comes back as it was.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def spreadsheet_safe(cell: str) -> str:
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell


def _from_spreadsheet(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def _split_csv(key: str, value: str) -> Any:
    value = _from_spreadsheet(value)
    if key in LIST_FIELDS:
        return [item for item in (part.strip() for part in value.split(";")) if item]
    return value


def read_records(path: Path, errors: list[str]) -> Iterator[tuple[int, str, str | dict]]:
    """Every record of one batch file: its line number, its digest, and its text (JSON Lines)
    or its cells (CSV); problems go into `errors`."""
    if not path.is_file():
        errors.append(f"{path}: no such file")
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl" or path.name.lower().endswith(".jsonl.gz"):
        yield from _read_jsonl(path, errors)
    elif suffix == ".csv":
        yield from _read_csv(path, errors)
    else:
        errors.append(f"{path}: unknown format '{suffix}' (expected .jsonl, .jsonl.gz or .csv)")


# Checking ------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)  # a batch names the same few hundred places over and over
def _region_path(entry: str) -> tuple[tuple[str, ...], str]:
    names = tuple(part.strip() for part in entry.split(">"))
    if not all(names):
        return names, f"'{entry}' has an empty place in its path"
    if any(len(part) > PLACE_LENGTH for part in names):
        return names, f"'{entry}' has a name longer than {PLACE_LENGTH} characters"
    return names, ""


def _missing(record: dict[str, Any], name: str) -> bool:
    value = record.get(name)
    return value is None or (isinstance(value, str) and not value.strip())


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


class _RowChecker:
    """Turns one raw record into a DocumentRow, or notes what is wrong with it."""

    def __init__(self, origin: str, folder: Path | None = None):
        self.origin = origin
        self.folder = folder  # the batch file's: `files` paths are relative to it
        self.identifier = ""
        self.today = timezone.localdate()  # an embargo is over on its day
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, field_name: str, message: str) -> None:
        self.errors.append(f"{self.origin}: {field_name}: {message}")

    def raw_text(self, record: dict[str, Any], name: str) -> str | None:
        """The field's text as written; None (and an error) when it is not text."""
        value = record.get(name)
        if value is None:
            return ""
        if isinstance(value, int) and not isinstance(value, bool) and name == "identifier":
            value = str(value)
        if not isinstance(value, str):
            self.error(name, f"must be text, not {type(value).__name__}")
            return None
        return value

    def text(self, record: dict[str, Any], name: str) -> str:
        """A text field of the checker's own (identifier, status), white space folded."""
        value = self.raw_text(record, name)
        return clean_whitespace(value, "fold") if value else ""

    def text_field(self, record: dict[str, Any], spec: TextField) -> str:
        value = self.raw_text(record, spec.name)
        if not value:
            return ""
        cleaned, problem = spec.clean(value)
        if problem:
            self.error(spec.name, problem)
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

    def check(self, record: dict[str, Any], *, may_hold_nul: bool = True) -> DocumentRow | None:
        for unknown in sorted(set(record) - KNOWN_FIELDS):
            self.warnings.append(f"{self.origin}: {unknown}: unknown field, ignored")
        # PostgreSQL's text cannot hold U+0000: said here, not found half-way through writing.
        for name in sorted(set(record) & KNOWN_FIELDS) if may_hold_nul else ():
            if _holds_nul(record[name]):
                self.error(name, "contains the character U+0000 (NUL), which cannot be stored")

        identifier = self.identifier = self.text(record, "identifier")
        if _missing(record, "identifier"):
            self.error("identifier", "is required")
        elif identifier and not re.match(IDENTIFIER_PATTERN, identifier):
            self.error(
                "identifier",
                f"'{identifier}' may hold only letters, digits and . _ : - "
                "(at most 100, starting with a letter or digit)",
            )
        title = self.text_field(record, TITLE)
        if _missing(record, "title"):
            self.error("title", "is required")

        span = self.date_span(record)
        values = {spec.name: self.text_field(record, spec) for spec in FIELDS}

        status = self.text(record, "status") or None
        if status is not None and status not in Status.values:
            self.error("status", f"'{status}' is not one of: {', '.join(Status.values)}")
        embargo = values["embargo_until"]
        if embargo and embargo > self.today.isoformat():
            if status == Status.PUBLISHED:
                self.error(
                    "status",
                    f"is published, but the record is under embargo until {embargo}: "
                    "leave the status out (it is a draft until then) or end the embargo",
                )
            status = Status.DRAFT

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
            files=tuple(self.files(record)),
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

    def strings(self, record: dict[str, Any], name: str, limit: int) -> Iterator[str]:
        for number, item in enumerate(self.items(record, name), start=1):
            if not isinstance(item, str) or not item.strip():
                self.error(name, f"entry {number} must be non-empty text")
                continue
            cleaned = " ".join(item.split())
            if len(cleaned) > limit:
                self.error(name, f"entry {number} is longer than {limit} characters")
                continue
            yield cleaned

    def collections(self, record: dict[str, Any]) -> Iterator[CollectionEntry]:
        seen: set[str] = set()
        for number, item in enumerate(self.items(record, "collections"), start=1):
            description = ""
            if isinstance(item, dict):
                description = item.get("description") or ""
                item = item.get("title")
                if not isinstance(description, str):
                    self.error("collections", f"entry {number}'s description must be text")
                    continue
            if not isinstance(item, str) or not item.strip():
                self.error("collections", f"entry {number} must be a non-empty title")
                continue
            title = " ".join(item.split())
            if len(title) > COLLECTION_LENGTH:
                self.error(
                    "collections", f"entry {number} is longer than {COLLECTION_LENGTH} characters"
                )
                continue
            entry = CollectionEntry(title, description.strip())
            if entry.key not in seen:
                seen.add(entry.key)
                yield entry

    def regions(self, record: dict[str, Any]) -> Iterator[tuple[str, ...]]:
        for entry in self.strings(record, "regions", PLACE_LENGTH):
            names, problem = _region_path(entry)
            if problem:
                self.error("regions", problem)
            else:
                yield names

    def participants(self, record: dict[str, Any]) -> Iterator[Participant]:
        seen: set[str] = set()
        for number, item in enumerate(self.items(record, "participants"), start=1):
            details: dict[str, Any] = {}
            if isinstance(item, dict):
                given = self.participant_details(number, item)
                if given is None:
                    continue
                details, item = given, item.get("name")
            if not isinstance(item, str) or not item.strip():
                self.error("participants", f"entry {number} must be a non-empty name")
                continue
            name, birth, death = split_life_dates(item)
            birth = details.pop("birth_year", None) or birth
            death = details.pop("death_year", None) or death
            if len(name) > 300:
                self.error("participants", f"entry {number} is longer than 300 characters")
                continue
            if birth and death and death < birth:
                self.error("participants", f"'{item}' dies ({death}) before birth ({birth})")
                continue
            participant = Participant(name, birth, death, **details)
            if participant.key in seen:
                self.warnings.append(
                    f"{self.origin}: participants: '{name}' is named twice; kept once"
                )
                continue
            seen.add(participant.key)
            yield participant

    def files(self, record: dict[str, Any]) -> Iterator[FileEntry]:
        """Each file a record lists: `kind:language:path` (CSV, or a string in JSON Lines) or
        {"kind", "language", "path"}; the path relative to the batch file's folder. Each file
        is opened and checked by its content now, so a bad one fails the batch before any
        write."""
        seen: dict[tuple[str, str, str], int] = {}
        for number, item in enumerate(self.items(record, "files"), start=1):
            if isinstance(item, str):
                parts = item.split(":", 2)
                if len(parts) != 3:
                    self.error(
                        "files",
                        f"entry {number} '{item}' is not kind:language:path "
                        "(e.g. original:ru:scans/208559.pdf)",
                    )
                    continue
                item = dict(zip(("kind", "language", "path"), parts, strict=True))
            if not isinstance(item, dict):
                self.error("files", f"entry {number} must be kind:language:path or an object")
                continue
            values = [item.get(key) for key in ("kind", "language", "path")]
            if not all(isinstance(value, str) and value.strip() for value in values):
                self.error("files", f"entry {number} needs a kind, a language and a path")
                continue
            kind, language, name = (str(value).strip() for value in values)
            if kind not in Kind.values:
                self.error(
                    "files",
                    f"entry {number}: kind '{kind}' is not one of: {', '.join(Kind.values)}",
                )
                continue
            code = language_code(language)
            if code is None:
                self.error(
                    "files",
                    f"entry {number}: '{language}' is not a language this archive knows",
                )
                continue
            path = self.file_path(number, name)
            if path is None:
                continue
            try:
                with path.open("rb") as handle:
                    contents = examine(handle, path.name, kind)
            except FileRefused as refused:
                self.error("files", f"'{name}' {refused}")
                continue
            except OSError as exc:
                self.error("files", f"'{name}' cannot be read ({exc.strerror or exc})")
                continue
            entry = FileEntry(kind, code, path, name, contents)
            if entry.key in seen:
                self.warnings.append(
                    f"{self.origin}: files: '{name}' is the same file as entry "
                    f"{seen[entry.key]}; kept once"
                )
                continue
            seen[entry.key] = number
            yield entry

    def file_path(self, number: int, name: str) -> Path | None:
        """The file a `files` entry names, only if it is inside the batch file's folder."""
        folder = (self.folder or Path(".")).resolve()
        relative = Path(name)
        if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute():
            self.error("files", f"'{name}' is an absolute path; give it relative to the batch")
            return None
        if ".." in PurePosixPath(name).parts or ".." in PureWindowsPath(name).parts:
            self.error("files", f"'{name}' leaves the batch's folder (..)")
            return None
        path = (folder / relative).resolve()
        if not path.is_relative_to(folder):
            self.error("files", f"'{name}' leads outside the batch's folder")
            return None
        if not path.exists():
            self.error("files", f"'{name}': no such file")
            return None
        if not path.is_file():
            self.error("files", f"'{name}' is not a file")
            return None
        return path

    def participant_details(self, number: int, item: dict[str, Any]) -> dict[str, Any] | None:
        """The optional parts of a participant object: role, years, other names, biography."""
        details: dict[str, Any] = {}
        role = item.get("role") or ""
        if not isinstance(role, str) or (role and role not in Role.values):
            self.error(
                "participants",
                f"entry {number} has role '{role}', not one of: {', '.join(Role.values)}",
            )
            return None
        details["role"] = role
        for key in ("birth_year", "death_year"):
            value = item.get(key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 2999:
                self.error("participants", f"entry {number}'s {key} must be a year, like 1912")
                return None
            details[key] = value
        alternates = item.get("alternate_names") or []
        if not isinstance(alternates, list) or not all(
            isinstance(name, str) and name.strip() for name in alternates
        ):
            self.error("participants", f"entry {number}'s alternate_names must be a list of names")
            return None
        details["alternate_names"] = tuple(" ".join(name.split()) for name in alternates)
        biography = item.get("biography") or ""
        if not isinstance(biography, str):
            self.error("participants", f"entry {number}'s biography must be text")
            return None
        details["biography"] = biography.strip()
        return details


# Whole batches -------------------------------------------------------------------------------


@dataclass
class BatchFile:
    name: str
    sha256: str
    bytes: int
    records: int = 0


@dataclass
class BatchScan:
    """What checking a whole batch found: its files, how many records, and the warnings."""

    files: list[BatchFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unchanged: int = 0  # records the archive already holds exactly as written

    @property
    def records(self) -> int:
        return sum(batch_file.records for batch_file in self.files)


def file_checksum(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# Given the digests of a chunk of records, which of them are already imported unchanged, with
# the identifier of the document each made.
KnownRecords = Callable[[list[str]], dict[str, str]]


class _SeenIdentifiers:
    """The identifiers a batch has used so far, and where, to find one used twice.

    They live in a private temporary SQLite file (deleted when closed), not in a dict: a
    dict of a million identifiers and their origins takes some 200 MiB, and the import's
    memory would grow with the batch; SQLite keeps a bounded page cache whatever the size.
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect("")  # "" is a private on-disk database, removed on close
        self._db.execute(
            "CREATE TABLE seen (identifier TEXT PRIMARY KEY, origin TEXT) WITHOUT ROWID"
        )

    def add(self, entries: list[tuple[str, str]]) -> dict[int, str]:
        """Record (identifier, origin) pairs in order; for each one already used (earlier in
        the batch or in `entries`), its index and where it was first used."""
        identifiers = list({identifier for identifier, _ in entries if identifier})
        first: dict[str, str] = {}
        for start in range(0, len(identifiers), 500):
            part = identifiers[start : start + 500]
            marks = ",".join("?" * len(part))
            found = f"SELECT identifier, origin FROM seen WHERE identifier IN ({marks})"
            first.update(self._db.execute(found, part))
        repeats: dict[int, str] = {}
        new: list[tuple[str, str]] = []
        for index, (identifier, origin) in enumerate(entries):
            if not identifier:
                continue
            if identifier in first:
                repeats[index] = first[identifier]
            else:
                first[identifier] = origin
                new.append((identifier, origin))
        self._db.executemany("INSERT INTO seen VALUES (?, ?)", new)
        return repeats

    def close(self) -> None:
        self._db.close()


def _checked_rows(
    paths: Sequence[Path],
    errors: list[str],
    warnings: list[str],
    scan: BatchScan | None,
    known: KnownRecords | None = None,
    chunk: int = 2000,
) -> Iterator[DocumentRow]:
    """Check every record; one the archive already holds exactly as written is only counted."""
    with closing(_SeenIdentifiers()) as seen:
        for path in paths:
            before = len(errors)
            records = 0
            for raw_records in _chunked(read_records(path, errors), chunk):
                records += len(raw_records)
                yield from _checked_chunk(path, raw_records, errors, warnings, scan, known, seen)
            if records == 0 and len(errors) == before:
                errors.append(f"{path}: the file holds no records")
            if scan is not None and path.is_file():
                checksum, size = file_checksum(path)
                scan.files.append(BatchFile(str(path), checksum, size, records))


def _checked_chunk(path, raw_records, errors, warnings, scan, known, seen) -> list[DocumentRow]:
    imported = known([digest for _, digest, _ in raw_records]) if known else {}
    checked: list[tuple[str, str, DocumentRow | None]] = []  # origin, identifier, row
    for line, digest, payload in raw_records:
        origin = f"{path}:{line}"
        if digest in imported:
            checked.append((origin, imported[digest], None))
            if scan is not None:
                scan.unchanged += 1
            continue
        record = _parse_json(origin, payload, errors) if isinstance(payload, str) else payload
        if record is None:
            continue
        checker = _RowChecker(origin, path.parent)
        # U+0000 can be in a JSON line only as the escape \u0000, and shows in a CSV record's
        # repr as \x00: the record is searched for it only then.
        if isinstance(payload, str):
            may_hold_nul = "\\u0000" in payload
        else:
            may_hold_nul = "\\x00" in repr(payload)
        row = checker.check(record, may_hold_nul=may_hold_nul)
        errors.extend(checker.errors)
        warnings.extend(checker.warnings)
        if row is not None:
            # A record with files is read again by every import: its files may have
            # changed while its text has not.
            row.record_hash = "" if row.files else digest
        checked.append((origin, checker.identifier, row))
    repeats = seen.add([(identifier, origin) for origin, identifier, _ in checked])
    rows = []
    for index, (origin, identifier, row) in enumerate(checked):
        if index in repeats:
            errors.append(
                f"{origin}: identifier: '{identifier}' is repeated (first at {repeats[index]})"
            )
        elif row is not None:
            rows.append(row)
    return rows


def _in_file_order(messages: list[str], files: Sequence[Path]) -> list[str]:
    """Messages sorted by file, then line (a file's own messages, with no line, first).

    Reading and checking happen a chunk at a time, so a chunk's reading errors would otherwise
    come before its checking errors."""
    order = {str(path): index for index, path in enumerate(files)}

    def key(message: str) -> tuple[int, int]:
        for name, index in order.items():
            if message.startswith(f"{name}:"):
                line = message[len(name) + 1 :].split(":", 1)[0]
                return index, int(line) if line.isdigit() else 0
        return len(order), 0

    return sorted(messages, key=key)


def _chunked(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _unpickled(spool: Any) -> Any:
    """The next pickle in `spool`, loaded with the garbage collector paused.

    A chunk of rows is tens of thousands of new objects, and each few hundred of them started
    a collection, which took most of the loading's time (bench/README.md). The rows hold no
    reference cycles, so pausing loses nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(spool)
    finally:
        if enabled:
            gc.enable()


class CheckedBatch:
    """A batch that passed every check, its rows spooled to a temporary file.

    The write reads the rows back in chunks instead of parsing and checking the files again,
    and memory holds one chunk at a time however large the batch.
    """

    def __init__(self, scan: BatchScan, spool: Any, chunk: int):
        self.scan = scan
        self.chunk = chunk
        self._spool = spool

    def chunks(self) -> Iterator[list[DocumentRow]]:
        self._spool.seek(0)
        while True:
            try:
                chunk = _unpickled(self._spool)
            except EOFError:
                return
            yield chunk

    def close(self) -> None:
        self._spool.close()

    def __enter__(self) -> CheckedBatch:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def check_batch(
    paths: Sequence[Path], *, chunk: int = 2000, known: KnownRecords | None = None
) -> CheckedBatch:
    """Check every record of every file; raise BatchInvalid listing every error.

    Memory holds one chunk of records at a time: checked rows are spooled to a temporary
    file, and the identifiers seen so far (to find repeats) to a temporary SQLite file.
    Records that `known` recognises (already imported, byte for byte) are counted as
    unchanged and not read again.
    """
    errors: list[str] = []
    scan = BatchScan()
    spool = tempfile.TemporaryFile()  # noqa: SIM115  closed by CheckedBatch
    rows: list[DocumentRow] = []
    files = [Path(path) for path in paths]
    for row in _checked_rows(files, errors, scan.warnings, scan, known, chunk):
        if errors:
            continue  # the batch will be refused: keep checking, stop spooling
        rows.append(row)
        if len(rows) == chunk:
            pickle.dump(rows, spool, protocol=pickle.HIGHEST_PROTOCOL)
            rows = []
    if errors:
        spool.close()
        raise BatchInvalid(_in_file_order(errors, files), scan.warnings)
    if rows:
        pickle.dump(rows, spool, protocol=pickle.HIGHEST_PROTOCOL)
    return CheckedBatch(scan, spool, chunk)


def parse_batch(paths: Sequence[Path]) -> tuple[list[DocumentRow], list[str]]:
    """Every row of a (small) batch in a list; raise BatchInvalid listing all errors."""
    errors: list[str] = []
    warnings: list[str] = []
    files = [Path(path) for path in paths]
    rows = list(_checked_rows(files, errors, warnings, None))
    if errors:
        raise BatchInvalid(_in_file_order(errors, files), warnings)
    return rows, warnings


# Writing records -----------------------------------------------------------------------------


def _life_dated(name: str, birth: int | None, death: int | None) -> str:
    if birth or death:
        return f"{name} ({birth or ''}-{death or ''})"
    return name


def file_entry(version) -> dict[str, str]:
    """A version as a `files` entry; its path is where `export_documents --with-files` copies
    it, beside the export (`files/<record>-<kind>-<language>-<id>.<ext>`)."""
    return {
        "kind": version.kind,
        "language": version.language,
        "path": f"files/{version.download_name}",
    }


def document_record(
    document, region_paths: dict[int, str], *, with_files: bool = False
) -> dict[str, Any]:
    """A document in the batch format (JSON Lines), with everything needed to rebuild it.

    `document` must come with its participations (and people), regions and collections
    prefetched (and its versions, `with_files`); `region_paths` maps region ids to their full
    paths ("East Asia > China").
    """
    span = document.date_span
    record: dict[str, Any] = {
        "identifier": document.identifier,
        "title": document.title,
        "date": span.start.iso(),
    }
    if span.end:
        record["date_end"] = span.end.iso()
    for spec in FIELDS:
        if spec.current(document):
            record[spec.name] = spec.current(document)
    record["status"] = document.status
    record["collections"] = [
        {"title": c.title, "description": c.description} if c.description else c.title
        for c in document.collections.all()
    ]
    record["regions"] = sorted(region_paths[region.id] for region in document.regions.all())
    participants: list[Any] = []
    for participation in document.participations.all():
        person = participation.person
        entry: dict[str, Any] = {"name": person.name}
        if participation.role:
            entry["role"] = participation.role
        if person.birth_year:
            entry["birth_year"] = person.birth_year
        if person.death_year:
            entry["death_year"] = person.death_year
        if person.alternate_names:
            entry["alternate_names"] = list(person.alternate_names)
        if person.biography:
            entry["biography"] = person.biography
        if set(entry) <= {"name", "birth_year", "death_year"}:
            participants.append(_life_dated(person.name, person.birth_year, person.death_year))
        else:
            participants.append(entry)
    record["participants"] = participants
    if with_files:
        record["files"] = [file_entry(version) for version in document.versions.all()]
    return record


def csv_record(record: dict[str, Any]) -> dict[str, str]:
    """A batch record as a CSV row: lists joined with `;`, people with their life dates,
    every cell safe to open in a spreadsheet (`spreadsheet_safe`).

    CSV cannot carry roles, alternate names, biographies or collection descriptions (nor a
    file path with a `;` in it); JSON Lines carries everything.
    """
    row = {name: str(record.get(name) or "") for name in CSV_COLUMNS if name not in LIST_FIELDS}
    row["collections"] = "; ".join(
        entry["title"] if isinstance(entry, dict) else entry for entry in record["collections"]
    )
    row["regions"] = "; ".join(record["regions"])
    row["participants"] = "; ".join(
        _life_dated(entry["name"], entry.get("birth_year"), entry.get("death_year"))
        if isinstance(entry, dict)
        else entry
        for entry in record["participants"]
    )
    row["files"] = "; ".join(
        f"{entry['kind']}:{entry['language']}:{entry['path']}" for entry in record.get("files", [])
    )
    return {name: spreadsheet_safe(cell) for name, cell in row.items()}
