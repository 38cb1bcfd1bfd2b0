"""A researcher's folders: named sets of documents, each with a private note, in their order,
shared (read-only) by a secret link when the researcher wants."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.ownership import OwnedQuerySet


def new_share_token() -> str:
    """256 random bits, URL-safe: a link nobody can guess."""
    return secrets.token_urlsafe(32)


class Folder(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="folders"
    )
    name = models.CharField(max_length=200)
    share_token = models.CharField(
        max_length=64,
        blank=True,
        help_text="The secret of the folder's read-only link; empty when it is not shared.",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="folder_name_unique_per_owner"),
            models.UniqueConstraint(
                fields=["share_token"],
                condition=~Q(share_token=""),
                name="folder_share_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("folders:detail", kwargs={"pk": self.pk})

    def get_share_url(self) -> str:
        return reverse("folders:shared", kwargs={"token": self.share_token})


class FolderItem(models.Model):
    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="items")
    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="folder_items"
    )
    note = models.TextField(blank=True, max_length=10_000, help_text="Seen by its owner only.")
    position = models.PositiveIntegerField(default=0)
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["folder", "document"], name="folder_item_document_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} in {self.folder}"
