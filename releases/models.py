"""A data release: the whole published archive as one dated, versioned file to download."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Release(models.Model):
    number = models.PositiveIntegerField(
        help_text=_("Releases are numbered 1, 2, 3 … in order."), verbose_name=_("number")
    )
    published = models.DateTimeField(default=timezone.now, verbose_name=_("published"))
    file_name = models.CharField(
        max_length=200,
        help_text=_("The gzipped JSON Lines file in ARCHIVE_RELEASES_DIR."),
        verbose_name=_("file name"),
    )
    sha256 = models.CharField(
        max_length=64, help_text=_("SHA-256 of the file, in hexadecimal."), verbose_name=_("sha256")
    )
    size = models.PositiveBigIntegerField(
        help_text=_("The file's size in bytes."), verbose_name=_("size")
    )
    document_count = models.PositiveIntegerField(verbose_name=_("document count"))
    added = models.PositiveIntegerField(
        help_text=_("Documents not in the previous release."), verbose_name=_("added")
    )
    changed = models.PositiveIntegerField(
        help_text=_("Documents whose record differs from the previous release's."),
        verbose_name=_("changed"),
    )
    withdrawn = models.PositiveIntegerField(
        help_text=_("Documents of the previous release that are no longer published."),
        verbose_name=_("withdrawn"),
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        constraints = [
            models.UniqueConstraint(fields=["number"], name="release_number_unique"),
            models.UniqueConstraint(fields=["file_name"], name="release_file_name_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="release_number_positive"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="release_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Release %(number)s (%(day)s)") % {
            "number": self.number,
            "day": f"{self.published:%Y-%m-%d}",
        }

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


def release_file_of(file_name: str) -> str:
    """The release file that `file_name` (the file, its changelog or its checksum) is of."""
    if file_name.endswith(".changes.json"):
        return file_name.removesuffix(".changes.json") + ".jsonl.gz"
    return file_name.removesuffix(".sha256")
