"""An import's provenance: each run (ImportBatch) and each document it changed, with the values
it replaced (ImportChange), which is what undo restores."""

from __future__ import annotations

from pathlib import Path

from django.db import models
from django.db.models import Q


class ImportBatch(models.Model):
    """One run of an import: what came in, from which files, by whom, and what it changed."""

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Failed (nothing written)"
        UNDONE = "undone", "Undone"

    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    files = models.JSONField(
        default=list, help_text="Each file's name, SHA-256 checksum, size and record count."
    )
    run_by = models.CharField(max_length=200, help_text="Who ran it: an account or a login.")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    overwrite_edits = models.BooleanField(default=False)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    conflict_count = models.PositiveIntegerField(default=0)
    people_created = models.JSONField(default=list, help_text="Ids of the people it created.")
    regions_created = models.JSONField(default=list, help_text="Ids of the places it created.")
    collections_created = models.JSONField(default=list, help_text="Ids of collections it made.")
    warnings = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.CharField(max_length=200, blank=True)

    class Meta:
        db_table = "documents_importbatch"  # made by the documents app, before importing/
        ordering = ["-started_at", "-id"]
        verbose_name_plural = "import batches"
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["succeeded", "failed", "undone"]),
                name="import_batch_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        names = ", ".join(Path(f["name"]).name for f in self.files) or "no files"
        return f"Import #{self.pk}: {names} ({self.get_outcome_display()})"

    def save(self, *args, **kwargs):
        # A message may quote the record it is about, and jsonb cannot hold U+0000: such a
        # character is kept as the visible escape \x00, so the report is stored, not lost.
        self.errors = [message.replace("\x00", "\\x00") for message in self.errors]
        self.warnings = [message.replace("\x00", "\\x00") for message in self.warnings]
        super().save(*args, **kwargs)


class ImportChange(models.Model):
    """A document an import changed, with the previous values of what it changed (for undo)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    document = models.ForeignKey(
        "documents.Document", null=True, on_delete=models.SET_NULL, related_name="import_changes"
    )
    identifier = models.CharField(max_length=100)
    fields = models.JSONField(default=list, help_text="The fields the import changed.")
    before = models.JSONField(default=dict, help_text="Their values before the import.")

    class Meta:
        db_table = "documents_importchange"
        ordering = ["batch", "id"]
        indexes = [models.Index(fields=["document", "batch"], name="import_change_document_idx")]

    def __str__(self) -> str:
        return f"{self.identifier} in import #{self.batch_id}: {', '.join(self.fields)}"
