"""Publishing a data release: every published document in the batch format, gzipped, with its
SHA-256 and a changelog against the previous release.

The file is the public JSON Lines export (`reuse.exports.batch.export_record`: each record
carries its people with their life dates and names, its places as full paths and its
collections with their descriptions), so `import_documents` reads a release as it is and an
empty archive made from it holds the same documents. Records are in identifier order and the
gzip stream carries no time or name, so the same archive gives the same bytes and the same
SHA-256 twice.

The changelog is found by reading the previous release's own file: what was added, changed
(a record that differs in any field) and withdrawn (no longer published: deleted, held back
or renamed, which is also an addition under the new identifier). Scans and other files are
not in a release; their records' `files` are left out.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from documents.models import Document, Region
from reuse.exports.batch import export_record

from .models import Release, changelog_name

CHUNK = 1000
_LOCK_FILE = ".publish.lock"


class ReleaseRefused(Exception):
    """Nothing was published, for the reason given."""


@dataclass
class ReleasePlan:
    """What a release holds and how it differs from the previous one."""

    number: int
    file_name: str
    previous: Release | None
    document_count: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return self.previous is not None and not (self.added or self.changed or self.withdrawn)


def releases_dir() -> Path:
    return Path(settings.ARCHIVE_RELEASES_DIR)


def release_path(file_name: str) -> Path:
    return releases_dir() / file_name


def _record_digest(line: bytes) -> bytes:
    return hashlib.blake2b(line, digest_size=12).digest()


def _release_lines() -> Iterator[tuple[str, bytes]]:
    """Every published document's identifier and line of JSON, in identifier order."""
    paths = Region.objects.paths()
    documents = Document.objects.published().order_by("identifier").with_relations().iterator(CHUNK)
    for document in documents:
        record = export_record(document, paths)
        line = json.dumps(record, ensure_ascii=False) + "\n"
        yield document.identifier, line.encode("utf-8")


def _digests_of(release: Release) -> dict[str, bytes]:
    """Each document of an earlier release and its record's digest, read from its file."""
    path = release_path(release.file_name)
    if not path.is_file():
        raise ReleaseRefused(
            f"the previous release's file {path} is missing, so no changelog can be made: "
            "restore it from the backup (docs/operations.md)"
        )
    digests = {}
    with gzip.open(path, "rb") as handle:
        for line in handle:
            digests[json.loads(line)["identifier"]] = _record_digest(line)
    return digests


@contextlib.contextmanager
def _publishing_lock(folder: Path) -> Iterator[None]:
    with open(folder / _LOCK_FILE, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReleaseRefused("another publish_release is running") from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def release_publish(*, dry_run: bool = False) -> ReleasePlan:
    """Write the next release, or (`dry_run`) only say what it would hold.

    A release that would hold exactly what the previous one does is not written
    (`plan.unchanged`). The files are written under temporary names and put in place before
    the release's row is committed; a failure on the way removes them, so `/data/` never
    lists a release without its file.
    """
    folder = releases_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with _publishing_lock(folder):
        previous = Release.objects.order_by("-number").first()
        number = previous.number + 1 if previous else 1
        now = timezone.now()
        file_name = f"documents-{timezone.localdate(now):%Y-%m-%d}-r{number}.jsonl.gz"
        plan = ReleasePlan(number=number, file_name=file_name, previous=previous)
        before = _digests_of(previous) if previous else {}

        temporary = folder / f".{file_name}.tmp"
        try:
            with open(temporary, "wb") as raw:
                hashed = _Hashing(raw)
                # No name and no time in the gzip header: the same archive, the same bytes.
                with gzip.GzipFile(filename="", mode="wb", fileobj=hashed, mtime=0) as output:
                    for identifier, line in _release_lines():
                        output.write(line)
                        plan.document_count += 1
                        earlier = before.pop(identifier, None)
                        if earlier is None:
                            plan.added.append(identifier)
                        elif earlier != _record_digest(line):
                            plan.changed.append(identifier)
                raw.flush()
                os.fsync(raw.fileno())
            plan.withdrawn = sorted(before)
            if dry_run or plan.unchanged:
                return plan
            _put_in_place(plan, temporary, hashed.sha256.hexdigest(), now)
        finally:
            temporary.unlink(missing_ok=True)
    return plan


class _Hashing:
    """A file being written, and the SHA-256 of what was written to it."""

    def __init__(self, raw):
        self.raw, self.sha256 = raw, hashlib.sha256()

    def write(self, data) -> int:
        self.sha256.update(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


def _put_in_place(plan: ReleasePlan, temporary: Path, sha256: str, now) -> None:
    path = release_path(plan.file_name)
    changelog = {
        "release": plan.number,
        "published": now.isoformat(),
        "file": plan.file_name,
        "sha256": sha256,
        "documents": plan.document_count,
        "previous_release": plan.previous.number if plan.previous else None,
        "added": plan.added,
        "changed": plan.changed,
        "withdrawn": plan.withdrawn,
    }
    written = [path, path.with_name(changelog_name(plan.file_name)), Path(f"{path}.sha256")]
    try:
        os.replace(temporary, path)
        _write_atomically(written[1], json.dumps(changelog, indent=1).encode() + b"\n")
        # The form `sha256sum -c` reads.
        _write_atomically(written[2], f"{sha256}  {plan.file_name}\n".encode())
        with transaction.atomic():
            Release.objects.create(
                number=plan.number,
                published=now,
                file_name=plan.file_name,
                sha256=sha256,
                size=path.stat().st_size,
                document_count=plan.document_count,
                added=len(plan.added),
                changed=len(plan.changed),
                withdrawn=len(plan.withdrawn),
            )
    except BaseException:
        for done in written:
            done.unlink(missing_ok=True)
        raise
