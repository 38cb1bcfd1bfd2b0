"""Edit history: who changed what in a document, person, place or collection, and when.

Admin edits and the write services (publishing, merging) leave a historical record per change,
through django-simple-history. Imports do not: they are audited by their own ImportBatch and
ImportChange rows, written in bulk, and a historical row per imported document would make a
large import many times slower. Whatever runs an import or its undo wraps it in
`history_paused()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager

from django.db.models import Model
from simple_history.models import HistoricalRecords

from core.flags import ContextFlag

_paused = ContextFlag("history_paused")


def history_paused() -> AbstractContextManager[None]:
    """No historical records while this runs (in this thread or task): for imports and undo."""
    return _paused.on()


def history_is_paused() -> bool:
    return _paused.is_on()


class ArchiveHistoricalRecords(HistoricalRecords):
    """HistoricalRecords that keep quiet inside `history_paused()`."""

    def post_save(self, instance, created, using=None, **kwargs):
        if not history_is_paused():
            super().post_save(instance, created, using=using, **kwargs)

    def post_delete(self, instance, using=None, **kwargs):
        if not history_is_paused():
            super().post_delete(instance, using=using, **kwargs)

    def pre_delete(self, instance, **kwargs):
        if not history_is_paused():
            super().pre_delete(instance, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not history_is_paused():
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)


def _attribute_change(instance: Model, *, user, reason: str) -> None:
    # django-simple-history takes the author and reason of the record that save() or delete()
    # leaves from these two attributes of the instance (its documented way outside a request).
    setattr(instance, "_change_reason", reason[:100])  # noqa: B010
    setattr(instance, "_history_user", user)  # noqa: B010


def save_with_history(
    instance: Model, *, user, reason: str, update_fields: list[str] | None = None
) -> None:
    """`instance.save()`, its historical record naming `user` and `reason`."""
    _attribute_change(instance, user=user, reason=reason)
    instance.save(update_fields=update_fields)


def delete_with_history(instance: Model, *, user, reason: str) -> None:
    """`instance.delete()`, its historical record naming `user` and `reason`."""
    _attribute_change(instance, user=user, reason=reason)
    instance.delete()


def record_history(
    objects: Iterable, *, user=None, reason: str = "", history_type: str = "~"
) -> None:
    """One historical record per object, in bulk, as it is now: for writes that bypass
    `save()` (queryset updates, merges). `history_type` is "~" (changed) or "-" (deleted;
    call before deleting)."""
    if history_is_paused():
        return
    objects = list(objects)
    if not objects:
        return
    manager = type(objects[0]).history
    records = manager.bulk_history_create(
        objects, update=True, default_user=user, default_change_reason=reason[:100]
    )
    if history_type != "~":
        manager.model.objects.filter(pk__in=[r.pk for r in records]).update(
            history_type=history_type
        )
