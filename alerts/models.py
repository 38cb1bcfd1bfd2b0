"""A researcher's saved searches, and what their alerts have sent.

A saved search is a result list's scope (the archive, a person's, a place's or a
collection's documents) and its filters as a query string, so it is the same list the
researcher saw. `manage.py send_alerts` e-mails each the documents first published since its
last alert that it matches, once (`AlertDelivery`)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.ownership import OwnedQuerySet
from documents.scopes import ScopeKind


def new_unsubscribe_token() -> str:
    return secrets.token_urlsafe(32)


class SavedSearch(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=200)
    scope_kind = models.CharField(
        max_length=20, choices=ScopeKind.choices, default=ScopeKind.ARCHIVE
    )
    scope_slug = models.CharField(max_length=200, blank=True)
    query = models.TextField(
        blank=True, max_length=2000, help_text="The list's filters, as its URL's query string."
    )
    language = models.CharField(
        max_length=10, blank=True, help_text="The interface language its alerts are written in."
    )
    alerts = models.BooleanField(
        default=True, help_text="E-mail the owner the new documents this search finds."
    )
    last_run = models.DateTimeField(
        default=timezone.now,
        help_text="When its alerts last ran; the next run looks from a day before it.",
    )
    last_sent = models.DateTimeField(null=True, blank=True)
    unsubscribe_token = models.CharField(max_length=64, default=new_unsubscribe_token)
    problem = models.TextField(
        blank=True, help_text="Why the search no longer works, as its owner was told."
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "saved searches"
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"], name="saved_search_name_unique_per_owner"
            ),
            models.UniqueConstraint(
                fields=["unsubscribe_token"], name="saved_search_unsubscribe_token_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(scope_kind__in=ScopeKind.values),
                name="saved_search_scope_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The result list itself."""
        return self.scope_path() + (f"?{self.query}" if self.query else "")

    def scope_path(self) -> str:
        if self.scope_kind == ScopeKind.ARCHIVE:
            return reverse("documents:list")
        names = {
            ScopeKind.PERSON: "people:detail",
            ScopeKind.REGION: "documents:region-detail",
            ScopeKind.COLLECTION: "documents:collection-detail",
        }
        return reverse(names[ScopeKind(self.scope_kind)], kwargs={"slug": self.scope_slug})

    def get_unsubscribe_url(self) -> str:
        return reverse("alerts:unsubscribe", kwargs={"token": self.unsubscribe_token})


class AlertDelivery(models.Model):
    """A document an alert has sent: never sent by that search again."""

    saved_search = models.ForeignKey(
        SavedSearch, on_delete=models.CASCADE, related_name="deliveries"
    )
    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="alert_deliveries"
    )
    sent = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent", "id"]
        verbose_name_plural = "alert deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "document"], name="alert_delivery_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} to {self.saved_search}"
