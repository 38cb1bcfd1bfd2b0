"""Whether the index can be trusted: present, of this schema, and caught up with the outbox."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from . import index as search_index
from .models import OutboxEntry


@dataclass
class IndexStatus:
    state: str  # "ok", "lagging", "missing", "unreadable"
    message: str
    generation: int | None = None
    documents: int | None = None  # in the index
    pending: int | None = None  # outbox entries not yet applied
    oldest_pending_seconds: float | None = None

    @property
    def ok(self) -> bool:
        return self.state == "ok"

    def as_dict(self) -> dict:
        return asdict(self)


def index_status() -> IndexStatus:
    if not search_index.exists():
        return IndexStatus(
            "missing",
            f"There is no search index in {search_index.index_dir()}: run "
            "`manage.py index_documents --rebuild`.",
        )
    try:
        searcher = search_index.searcher()
    except search_index.IndexUnavailable as error:
        return IndexStatus("unreadable", f"The search index cannot be read: {error}.")
    status = IndexStatus(
        "ok",
        "The search index is current.",
        generation=search_index.generation(),
        documents=searcher.num_docs,
    )
    try:
        status.pending = OutboxEntry.objects.count()
        oldest = OutboxEntry.objects.order_by("id").values_list("created", flat=True).first()
    except DatabaseError as error:
        status.message = f"The search index is readable; its outbox is not ({error})."
        return status
    if oldest is not None:
        status.oldest_pending_seconds = (timezone.now() - oldest).total_seconds()
        if status.oldest_pending_seconds > settings.ARCHIVE_INDEX_LAG_SECONDS:
            status.state = "lagging"
            status.message = (
                f"The search index is {status.oldest_pending_seconds:.0f} s behind the "
                f"database ({status.pending} change(s) waiting): is "
                "`manage.py index_documents --follow` running?"
            )
    return status
