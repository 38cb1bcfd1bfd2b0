"""An import's provenance: each run (ImportBatch) and each document it changed, with the values
it replaced (ImportChange), which is what undo restores."""

from __future__ import annotations

from pathlib import Path

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One run of an import: what came in, from which files, by whom, and what it changed."""

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Failed (nothing written)")
        UNDONE = "undone", _("Undone")

    outcome = models.CharField(max_length=10, choices=Outcome.choices, verbose_name=_("outcome"))
    files = models.JSONField(
        default=list,
        help_text=_("Each file's name, SHA-256 checksum, size and record count."),
        verbose_name=_("files"),
    )
    run_by = models.CharField(
        max_length=200, help_text=_("Who ran it: an account or a login."), verbose_name=_("run by")
    )
    started_at = models.DateTimeField(verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    overwrite_edits = models.BooleanField(default=False, verbose_name=_("overwrite edits"))
    created_count = models.PositiveIntegerField(default=0, verbose_name=_("created count"))
    updated_count = models.PositiveIntegerField(default=0, verbose_name=_("updated count"))
    unchanged_count = models.PositiveIntegerField(default=0, verbose_name=_("unchanged count"))
    conflict_count = models.PositiveIntegerField(default=0, verbose_name=_("conflict count"))
    people_created = models.JSONField(
        default=list, help_text=_("Ids of the people it created."), verbose_name=_("people created")
    )
    regions_created = models.JSONField(
        default=list,
        help_text=_("Ids of the places it created."),
        verbose_name=_("regions created"),
    )
    collections_created = models.JSONField(
        default=list,
        help_text=_("Ids of collections it made."),
        verbose_name=_("collections created"),
    )
    warnings = models.JSONField(default=list, verbose_name=_("warnings"))
    errors = models.JSONField(default=list, verbose_name=_("errors"))
    undone_at = models.DateTimeField(null=True, blank=True, verbose_name=_("undone at"))
    undone_by = models.CharField(max_length=200, blank=True, verbose_name=_("undone by"))

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        db_table = "documents_importbatch"  # made by the documents app, before importing/
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["succeeded", "failed", "undone"]),
                name="import_batch_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        names = ", ".join(Path(f["name"]).name for f in self.files) or gettext("no files")
        return gettext("Import #%(number)s: %(files)s (%(outcome)s)") % {
            "number": self.pk,
            "files": names,
            "outcome": self.get_outcome_display(),
        }

    def save(self, *args, **kwargs):
        # A message may quote the record it is about, and jsonb cannot hold U+0000: such a
        # character is kept as the visible escape \x00, so the report is stored, not lost.
        self.errors = [message.replace("\x00", "\\x00") for message in self.errors]
        self.warnings = [message.replace("\x00", "\\x00") for message in self.warnings]
        super().save(*args, **kwargs)


class ImportChange(models.Model):
    """A document an import changed, with the previous values of what it changed (for undo)."""

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="changes", verbose_name=_("batch")
    )
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_changes",
        verbose_name=_("document"),
    )
    identifier = models.CharField(max_length=100, verbose_name=_("identifier"))
    fields = models.JSONField(
        default=list, help_text=_("The fields the import changed."), verbose_name=_("fields")
    )
    before = models.JSONField(
        default=dict, help_text=_("Their values before the import."), verbose_name=_("before")
    )

    class Meta:
        verbose_name = _("import change")
        verbose_name_plural = _("import changes")
        db_table = "documents_importchange"
        ordering = ["batch", "id"]
        indexes = [models.Index(fields=["document", "batch"], name="import_change_document_idx")]

    def __str__(self) -> str:
        return gettext("%(identifier)s in import #%(number)s: %(fields)s") % {
            "identifier": self.identifier,
            "number": self.batch_id,
            "fields": ", ".join(self.fields),
        }
