"""The index directory: opening it, its one writer at a time, and its generation.

Every web process opens the same directory (`ARCHIVE_INDEX_DIR`) read-only; Tantivy maps its
files into memory, so the processes share one copy, and a reader sees each commit of the
indexer without being told. Only the process holding the writer lock (a file lock beside
the index) writes.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import tantivy
from django.conf import settings

from .schema import SCHEMA_VERSION, build_schema, register_analyzers

SCHEMA = build_schema()
_VERSION_FILE = "archive-index.json"
_LOCK_FILE = "archive-writer.lock"

_opened: dict[str, tantivy.Index] = {}
_opening = threading.Lock()


class IndexUnavailable(Exception):
    """The index cannot answer: it is missing, of another schema version, or damaged."""


class WriterBusy(Exception):
    """Another process holds the writer lock."""


def index_dir() -> Path:
    return Path(settings.ARCHIVE_INDEX_DIR)


def exists() -> bool:
    folder = index_dir()
    return (folder / "meta.json").exists() and (folder / _VERSION_FILE).exists()


def is_current_schema() -> bool:
    """Whether there is an index, of this code's schema (an older one must be rebuilt)."""
    return exists() and schema_version() == SCHEMA_VERSION


def schema_version() -> int | None:
    try:
        return json.loads((index_dir() / _VERSION_FILE).read_text())["schema"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def generation() -> int | None:
    """The opstamp of the index's last commit: it changes with every commit, so it keys
    every cached answer. None when there is no index."""
    try:
        return int(json.loads((index_dir() / "meta.json").read_text())["opstamp"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def open_index(*, create: bool = False) -> tantivy.Index:
    """This process's handle on the index (opened once); `create` makes an empty one."""
    folder = index_dir()
    key = str(folder)
    with _opening:
        index = _opened.get(key)
        if index is not None:
            return index
        if not exists():
            if not create:
                raise IndexUnavailable(f"there is no search index in {folder}")
            folder.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(SCHEMA, path=key, reuse=True)
            register_analyzers(index)
            index.writer(15_000_000, 1).commit()
            (folder / _VERSION_FILE).write_text(json.dumps({"schema": SCHEMA_VERSION}))
        else:
            if schema_version() != SCHEMA_VERSION:
                raise IndexUnavailable(
                    f"the search index in {folder} is of another schema version; rebuild it"
                )
            try:
                index = tantivy.Index.open(key)
            except (OSError, ValueError) as error:
                raise IndexUnavailable(
                    f"the search index in {folder} is damaged: {error}"
                ) from None
            register_analyzers(index)
        _opened[key] = index
        return index


def wipe() -> None:
    """Remove the index's files (to rebuild an index of another schema version)."""
    forget()
    folder = index_dir()
    for path in folder.iterdir():
        if path.name != _LOCK_FILE and path.is_file():
            path.unlink()


def forget() -> None:
    """Close this process's handles (tests give each test an index of its own)."""
    with _opening:
        _opened.clear()


def searcher() -> tantivy.Searcher:
    return open_index().searcher()


@contextmanager
def writer_lock(*, wait: bool = True) -> Iterator[None]:
    """The one writer: a file lock beside the index. `wait=False` raises `WriterBusy` at
    once when another process holds it."""
    folder = index_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / _LOCK_FILE, "a+") as lock:
        flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(lock, flags)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise WriterBusy(f"the index is being written by {holder}") from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"process {os.getpid()}")
        lock.flush()
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
