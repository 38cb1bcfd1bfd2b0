"""A data release: the whole published archive as one dated, versioned file to download."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Release(models.Model):
    number = models.PositiveIntegerField(help_text="Releases are numbered 1, 2, 3 … in order.")
    published = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(
        max_length=200, help_text="The gzipped JSON Lines file in ARCHIVE_RELEASES_DIR."
    )
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the file, in hexadecimal.")
    size = models.PositiveBigIntegerField(help_text="The file's size in bytes.")
    document_count = models.PositiveIntegerField()
    added = models.PositiveIntegerField(help_text="Documents not in the previous release.")
    changed = models.PositiveIntegerField(
        help_text="Documents whose record differs from the previous release's."
    )
    withdrawn = models.PositiveIntegerField(
        help_text="Documents of the previous release that are no longer published."
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="release_number_unique"),
            models.UniqueConstraint(fields=["file_name"], name="release_file_name_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="release_number_positive"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="release_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"Release {self.number} ({self.published:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("releases:file", kwargs={"file_name": self.file_name})

    @property
    def changelog_name(self) -> str:
        return changelog_name(self.file_name)

    @property
    def checksum_name(self) -> str:
        return f"{self.file_name}.sha256"

    @property
    def changelog_url(self) -> str:
        return reverse("releases:file", kwargs={"file_name": self.changelog_name})

    @property
    def checksum_url(self) -> str:
        return reverse("releases:file", kwargs={"file_name": self.checksum_name})


def changelog_name(file_name: str) -> str:
    return file_name.removesuffix(".jsonl.gz") + ".changes.json"
