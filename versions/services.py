"""Writing versions: a checked file goes into storage under a generated name, with its
thumbnail, and the version keeps what `examine` found (type, size, checksum, pages, text).

The admin's form and the batch import both come through here. Storage is not transactional:
`StoredFiles` remembers what a run wrote so that a run that rolls back removes it again, and
(`signals.py`) a file replaced or deleted is removed from storage only once the database
change is committed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from django.core.files import File
from django.core.files.base import ContentFile

from .contents import Contents, thumbnail_png
from .models import DocumentVersion, generated_name, versions_storage

logger = logging.getLogger(__name__)


class StoredFiles:
    """The names a run wrote to storage, to remove again if the run does not commit."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def save(self, name: str, content) -> str:
        storage = versions_storage()
        name = storage.get_available_name(name)
        try:
            stored = storage.save(name, content)
        except BaseException:
            # A write that fails half-way (a full disk) leaves the part it wrote: Django's
            # FileSystemStorage does not remove it (bench/README.md, a full tmpfs).
            if storage.exists(name):
                storage.delete(name)
            raise
        self.names.append(stored)
        return stored

    def remove(self) -> None:
        storage = versions_storage()
        for name in self.names:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("Could not remove %s from storage", name, exc_info=True)
        self.names.clear()

    @contextmanager
    def removed_on_error(self) -> Iterator[StoredFiles]:
        """Remove what was stored if the block raises (a failed or dry-run import)."""
        try:
            yield self
        except BaseException:
            self.remove()
            raise


def version_store_file(
    version: DocumentVersion,
    stream: BinaryIO,
    contents: Contents,
    *,
    original_name: str,
    stored: StoredFiles | None = None,
) -> None:
    """Store a checked file and its thumbnail for `version` (which is not saved here)."""
    stored = stored if stored is not None else StoredFiles()
    version.content_type = contents.content_type
    version.size = contents.size
    version.sha256 = contents.sha256
    version.page_count = contents.page_count
    version.extracted_text = contents.text
    version.original_name = original_name[-255:]
    stream.seek(0)
    version.file = stored.save(generated_name(contents.extension), File(stream))
    png = thumbnail_png(stream, contents.content_type)
    version.thumbnail = (
        stored.save(generated_name(".png", "versions/thumbnails"), ContentFile(png)) if png else ""
    )


def version_clear_file(version: DocumentVersion) -> None:
    """The file was taken away (the version keeps only its typed text)."""
    version.file = version.thumbnail = ""
    version.content_type = version.sha256 = version.original_name = version.extracted_text = ""
    version.size = version.page_count = None
