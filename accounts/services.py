"""A researcher's data is theirs: all of it to download, and the account to delete."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from alerts.models import SavedSearch
from folders.models import Folder


def account_data(*, user) -> dict[str, Any]:
    """Everything the archive keeps of a researcher, as JSON-ready data."""
    folders = Folder.objects.of(user).prefetch_related("items__document")
    return {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "folders": [
            {
                "name": folder.name,
                "created": folder.created.isoformat(),
                "shared": bool(folder.share_token),
                "documents": [
                    {
                        "identifier": item.document.identifier,
                        "title": item.document.title,
                        "note": item.note,
                        "added": item.added.isoformat(),
                    }
                    for item in folder.items.all()
                ],
            }
            for folder in folders
        ],
        "saved_searches": [
            {
                "name": saved.name,
                "list": saved.get_absolute_url(),
                "alerts": saved.alerts,
                "language": saved.language,
                "created": saved.created.isoformat(),
                "last_sent": saved.last_sent.isoformat() if saved.last_sent else None,
            }
            for saved in SavedSearch.objects.of(user)
        ],
    }


def account_delete(*, user) -> None:
    """The account and everything of it: folders, notes, saved searches, what alerts sent."""
    if user.is_staff:
        raise PermissionError("Staff accounts are removed by an administrator, in the admin.")
    with transaction.atomic():
        user.delete()
