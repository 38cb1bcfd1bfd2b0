"""Query results cached under the archive's version, so a cached answer is never stale.

`ArchiveVersion` holds one number that PostgreSQL triggers change in every statement that
writes documents, their facet rows, links, people, places or collections (migration 0008),
whatever made the write: an import, the admin, a merge, a shell. Every cache key holds it, so
after any write the next request computes afresh, and the old entries simply expire. Nothing
has to remember to invalidate anything.

SQLite has no such triggers: nothing is cached there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet


def archive_version() -> int | None:
    """The archive's version, or None when there is none to trust (SQLite, cache off)."""
    if connection.vendor != "postgresql" or not settings.ARCHIVE_FACET_CACHE_SECONDS:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM documents_archiveversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def cached_rows(
    sql: str,
    params: list | tuple,
    *,
    version: int | None = None,
    compute: Callable[[], list[tuple] | None] | None = None,
) -> list[tuple]:
    """The rows of `sql`, from the cache while the archive has not changed. `compute` gives
    the same rows another way when they are not in the cache, or None when it cannot."""
    if version is None:
        version = archive_version()
    key = None
    if version is not None:
        digest = hashlib.sha256(f"{version}\0{sql}\0{params!r}".encode()).hexdigest()
        key = f"archive:{digest}"
        rows = cache.get(key)
        if rows is not None:
            return rows
    rows = compute() if compute is not None else None
    if rows is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    if key is not None:
        cache.set(key, rows, settings.ARCHIVE_FACET_CACHE_SECONDS)
    return rows


def cached_ids(
    queryset: QuerySet, start: int, stop: int, *, version: int | None = None
) -> list[int]:
    """The ids of `queryset[start:stop]`, in its order: a result page, before it is read.

    Ranking and sorting a large match is the expensive part of a result page; reading the
    twenty documents it picked, by id, is cheap.
    """
    sql, params = queryset.values_list("id", flat=True)[start:stop].query.sql_with_params()
    return [row[0] for row in cached_rows(sql, params, version=version)]


def public_page_cache(view):
    """Serve a public page whole from the cache while the archive has not changed.

    For visitors without a session (researchers; staff always have one), GET and HEAD
    requests are keyed by the archive's version and the full URL, so a write anywhere makes
    every page compute afresh. Only complete 200 responses that set no cookie are kept.

    Not Django's `cache_page`: it tells browsers to keep the page for the whole timeout
    (`max-age`), which would outlive a write; here only the server keeps it, and the version
    in the key says when it is no longer true.
    """

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        version = archive_version()
        if version is None:
            return view(request, *args, **kwargs)
        address = f"{version}\0{request.method}\0{request.build_absolute_uri()}"
        key = "page:" + hashlib.sha256(address.encode()).hexdigest()
        response = cache.get(key)
        if response is not None:
            return response

        def keep(response):
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, response, settings.ARCHIVE_FACET_CACHE_SECONDS)

        if getattr(response := view(request, *args, **kwargs), "is_rendered", True):
            keep(response)
        else:
            response.add_post_render_callback(keep)
        return response

    return cached_view
