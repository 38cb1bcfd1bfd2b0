"""Switches that are on only inside a `with` block, in the thread or task that set them.

For "while this runs, receivers of per-row signals stay quiet" (an import pauses edit
history, a bulk delete quiets the search and OAI receivers): a ContextVar, so a switch set in
one request or command is never seen by another running at the same time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar


class ContextFlag:
    def __init__(self, name: str):
        self._var: ContextVar[bool] = ContextVar(name, default=False)

    @contextmanager
    def on(self) -> Iterator[None]:
        token = self._var.set(True)
        try:
            yield
        finally:
            self._var.reset(token)

    def is_on(self) -> bool:
        return self._var.get()
