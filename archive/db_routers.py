"""Reads to a PostgreSQL replica, everything else to the primary.

Enabled only when `DATABASE_REPLICA_URL` is set (archive/settings/base.py). The rules:

- Writes and migrations go to the primary (`default`); objects from either may be related.
- Reads of the public data (documents, people, OAI-PMH's records) go to the replica; reads of
  everything else (accounts, sessions, login attempts, admin log, history) to the primary,
  so a login, a lockout or a session never depends on the replica having caught up.
- A read is pinned to the primary inside a transaction on the primary, after a write in the
  same request (or, outside requests, the same command or thread), and for the whole of a
  request that may write (any method but GET, HEAD, OPTIONS) or that is the admin's: an
  archivist who saves a document and is sent back to the list sees their change, not the
  replica's lag.

Raw SQL (`connection.cursor()`) is not routed: it runs on the primary. A raw read that may
go to the replica asks `read_connection(Model)` for its connection instead.

The pin is a context variable, set by `PrimaryPinMiddleware` at the start of each request and
reset at its end, so gunicorn's threads never carry it from one request to the next.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.db import connections, router
from django.urls import reverse

PRIMARY = "default"
REPLICA = "replica"
# The apps whose reads a replica may serve: what the public pages, API, feeds, exports and
# OAI-PMH read. Small lag there is harmless; elsewhere it is not.
REPLICA_APPS = frozenset({"documents", "people", "oai"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_pinned: ContextVar[bool] = ContextVar("archive_read_from_primary", default=False)


def pin_to_primary() -> None:
    """Read from the primary for the rest of this request (or command)."""
    _pinned.set(True)


def pinned_to_primary() -> bool:
    return _pinned.get() or connections[PRIMARY].in_atomic_block


def read_connection(model):
    """The connection a raw read of `model`'s tables should use: the routers' choice for it."""
    return connections[router.db_for_read(model)]


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label not in REPLICA_APPS or pinned_to_primary():
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        pin_to_primary()
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class PrimaryPinMiddleware:
    """Starts each request unpinned, or pinned when it may write or is the admin's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin = request.path.startswith(reverse("admin:index"))
        token = _pinned.set(request.method not in SAFE_METHODS or admin)
        try:
            return self.get_response(request)
        finally:
            _pinned.reset(token)
