"""Recording what the index must follow, in the writing transaction.

Every write that changes what a list shows calls `documents_changed` with the documents it
touched; nothing else is computed inside the write. After the transaction commits, the
indexer applies the entries (`indexing.apply_outbox`): in this process at once by default
(`ARCHIVE_INDEX_INLINE`), or in `manage.py index_documents --follow` in production.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet

from .models import OutboxEntry

_CHUNK = 50_000


class _Recorded:
    """Whether this process has recorded entries it has not seen applied since: a list read
    here then applies them first (`indexing.ensure_current`), so a write shows at once even
    where no commit came to run the indexer (a test's transaction)."""

    waiting = False


def documents_changed(document_ids: Iterable[int] | QuerySet) -> None:
    """Record that these documents' place in the lists may have changed."""
    ids = sorted(set(int(pk) for pk in document_ids if pk is not None))
    if not ids:
        return
    table = OutboxEntry._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"INSERT INTO {table} (document_id, created) "
                    "SELECT unnest(%s::bigint[]), now()",
                    [chunk],
                )
            else:
                OutboxEntry.objects.bulk_create(
                    [OutboxEntry(document_id=pk) for pk in chunk], batch_size=5000
                )
    _Recorded.waiting = True
    if settings.ARCHIVE_INDEX_INLINE and not any(
        callback is _apply_after_commit for _, callback, *_ in connection.run_on_commit
    ):
        transaction.on_commit(_apply_after_commit)


def _apply_after_commit() -> None:
    from .indexing import apply_outbox

    apply_outbox(wait=False)
