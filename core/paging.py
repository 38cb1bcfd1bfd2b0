"""Admin change lists that do not count a million rows on every page.

Django's admin counts the rows of a change list for its paginator. Filtered, that count is
needed and an index usually serves it; unfiltered, on the documents table at a million rows,
it is a full scan on every page view. `EstimatedCountPaginator` uses PostgreSQL's own row
estimate (pg_class.reltuples, kept by autovacuum's ANALYZE) for an unfiltered list of a table
larger than `settings.ARCHIVE_ADMIN_EXACT_COUNT_UP_TO`, and counts exactly otherwise.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


def estimated_rows(queryset) -> int | None:
    """PostgreSQL's estimate of the rows in the queryset's table, or None (other databases,
    or a table never analysed)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        unfiltered = query is None or not query.where
        if unfiltered:
            estimate = estimated_rows(queryset)
            if estimate is not None and estimate > settings.ARCHIVE_ADMIN_EXACT_COUNT_UP_TO:
                return estimate
        return super().count
