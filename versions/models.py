"""A document's versions: the original scan, transcripts and translations.

A version is a file (a PDF or an image for a scan; plain text or a PDF for a transcript or a
translation) or text typed in the admin. Files are kept through Django's storage API (the
`ARCHIVE_VERSIONS_STORAGE` alias: the local file system by default, object storage in
production) under names the archive makes (`versions/<random>.pdf`), never the uploader's,
and are served only by the archive's own view, which checks that the document is public.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from core.languages import language_name

from .contents import EXTENSIONS, SHORT_LABELS


class Kind(models.TextChoices):
    TRANSLATION = "translation", _("Translation")
    ORIGINAL = "original", _("Original scan")
    TRANSCRIPT = "transcript", _("Transcript")


def versions_storage():
    """Where version files live: a storage alias of settings.STORAGES (see README)."""
    return storages[settings.ARCHIVE_VERSIONS_STORAGE]


def generated_name(extension: str, folder: str = "versions") -> str:
    """A safe, unguessable stored name; the uploader's name is never used."""
    return f"{folder}/{uuid.uuid4().hex}{extension}"


def version_file_name(instance: DocumentVersion, filename: str) -> str:
    return generated_name(_extension(instance, filename))


def thumbnail_file_name(instance: DocumentVersion, filename: str) -> str:
    return generated_name(".png", "versions/thumbnails")


def _extension(instance: DocumentVersion, filename: str) -> str:
    # From the examined content type; the name's own extension only as a last resort.
    known = EXTENSIONS.get(instance.content_type)
    if known:
        return known[0]
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return suffix if suffix.isascii() and suffix[1:].isalnum() and len(suffix) <= 6 else ""


class DocumentVersionQuerySet(models.QuerySet):
    def public(self):
        """Versions the public may see: those of published documents."""
        return self.filter(document__status="published")


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="versions"
    )
    kind = models.CharField(
        max_length=12,
        choices=Kind.choices,
        help_text="An original scan is a PDF or an image; a transcript (in the original's "
        "language) or a translation is plain text or a PDF.",
    )
    language = models.CharField(
        max_length=10, help_text="ISO 639 code of the version's language, e.g. ru or en."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order among the document's versions (smallest first)."
    )
    file = models.FileField(
        upload_to=version_file_name,
        storage=versions_storage,
        max_length=200,
        blank=True,
        help_text="PDF, JPEG, PNG, WebP or plain text (.txt), checked by its content.",
    )
    text = models.TextField(
        blank=True,
        help_text="A transcript or translation typed in instead of a file; or, beside a scan, "
        "its text when the scan has none inside it. Searched, and shown in the viewer.",
    )
    extracted_text = models.TextField(
        blank=True,
        editable=False,
        help_text="The text inside the file (a PDF's text layer or a text file); searched.",
    )
    page_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    size = models.PositiveBigIntegerField(
        null=True, blank=True, editable=False, help_text="The file's size in bytes."
    )
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    sha256 = models.CharField(
        max_length=64, blank=True, editable=False, help_text="The file's SHA-256 checksum."
    )
    original_name = models.CharField(
        max_length=255, blank=True, editable=False, help_text="The file's name when it came in."
    )
    thumbnail = models.FileField(
        upload_to=thumbnail_file_name,
        storage=versions_storage,
        max_length=200,
        blank=True,
        editable=False,
        help_text="A small PNG of the first page.",
    )
    pages_of = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="The SHA-256 of the file its pages were made from (blank: not yet).",
    )
    import_batch = models.ForeignKey(
        "importing.ImportBatch",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="created_versions",
        help_text="The import that brought the version in (undoing it removes the version).",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "position", "id"]
        verbose_name = "version"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="version_kind_valid"),
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(text=""), name="version_has_file_or_text"
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.ORIGINAL) | ~Q(file=""), name="version_original_is_a_file"
            ),
        ]
        indexes = [
            models.Index(fields=["document", "position"], name="version_document_idx"),
            models.Index(fields=["import_batch"], name="version_import_batch_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.label} of {self.document.identifier}" if self.document_id else self.label

    def get_absolute_url(self) -> str:
        """The document page with this version chosen in the viewer."""
        return f"{self.document.get_absolute_url()}?version={self.pk}#viewer"

    @property
    def label(self) -> str:
        """ "Original scan (Russian)", "Translation (English)"."""
        language = self.language_name
        kind = self.get_kind_display()
        return (
            pgettext("version", "%(kind)s (%(language)s)") % {"kind": kind, "language": language}
            if language
            else str(kind)
        )

    @property
    def language_name(self) -> str:
        return language_name(self.language) if self.language else ""

    @property
    def is_pdf(self) -> bool:
        return bool(self.file) and self.content_type == "application/pdf"

    @property
    def is_image(self) -> bool:
        return bool(self.file) and self.content_type.startswith("image/")

    @property
    def is_text(self) -> bool:
        """Shown as text in the page: typed text, or a text file."""
        return not self.file or self.content_type == "text/plain"

    @property
    def shown_text(self) -> str:
        return self.text if not self.file else self.extracted_text

    @property
    def type_label(self) -> str:
        if not self.file:
            return gettext("Text")
        return SHORT_LABELS.get(self.content_type, self.content_type)

    def _url(self, name: str) -> str:
        return reverse(
            f"versions:{name}", kwargs={"identifier": self.document.identifier, "pk": self.pk}
        )

    @property
    def file_url(self) -> str:
        """The file itself, shown in the browser (an <iframe> or <img>)."""
        return self._url("file")

    @property
    def download_url(self) -> str:
        """The file (or the typed text, as a .txt) as a download."""
        return self._url("download")

    @property
    def thumbnail_url(self) -> str:
        return self._url("thumbnail") if self.thumbnail else ""

    @property
    def download_name(self) -> str:
        """208559-original-ru.pdf: the record, the kind and the language, never a stored name."""
        extension = EXTENSIONS.get(self.content_type, (".txt",))[0] if self.file else ".txt"
        language = f"-{self.language}" if self.language else ""
        record = re.sub(r"[^A-Za-z0-9._-]", "_", self.document.identifier)
        return f"{record}-{self.kind}{language}-{self.pk}{extension}"


class PageState(models.TextChoices):
    PENDING = "pending", "Waiting for its image and text"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class TextSource(models.TextChoices):
    NONE = "", "None yet"
    LAYER = "layer", "The PDF's own text"
    OCR = "ocr", "OCR (Tesseract)"


class VersionPageQuerySet(models.QuerySet):
    def ready(self):
        """Pages that have their image and text: read, and made from their scan's current
        file (a replaced file's old pages are never served)."""
        return self.filter(state=PageState.DONE, version__pages_of=models.F("version__sha256"))


class VersionPage(models.Model):
    """One page of an original scan: its image for IIIF and its text, from the PDF's own text
    layer or by OCR, with the words' boxes on the page (hOCR).

    Made by `manage.py ocr_versions` (`versions/pages.py`), never in a request or an import:
    a scan saved or imported gets its pages (pending) on the worker's next pass. The pyramid
    image each page is served from is derived data kept under ARCHIVE_PAGE_IMAGES_DIR.
    """

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(help_text="The page's number in the scan, from 1.")
    width = models.PositiveIntegerField(help_text="The page image's width in pixels.")
    height = models.PositiveIntegerField(help_text="The page image's height in pixels.")
    state = models.CharField(max_length=8, choices=PageState.choices, default=PageState.PENDING)
    text_source = models.CharField(
        max_length=5, choices=TextSource.choices, default=TextSource.NONE, blank=True
    )
    ocr_text = models.TextField(blank=True, help_text="The text Tesseract read on the page.")
    hocr = models.TextField(
        blank=True, editable=False, help_text="Tesseract's hOCR: every word with its box."
    )
    ocr_languages = models.CharField(
        max_length=40, blank=True, editable=False, help_text="Tesseract's languages, e.g. rus+eng."
    )
    corrected_text = models.TextField(
        blank=True,
        help_text="An archivist's correction of the OCR text: shown and searched instead of "
        "it, and kept when the page is read again.",
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="Tries so far; after three a page is failed."
    )
    claimed_until = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="A worker is reading it until then."
    )
    error = models.TextField(blank=True, editable=False, help_text="Why the last try failed.")
    processed = models.DateTimeField(null=True, blank=True, editable=False)
    modified = models.DateTimeField(auto_now=True)

    objects = VersionPageQuerySet.as_manager()

    class Meta:
        ordering = ["version", "number"]
        verbose_name = "page"
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="page_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="page_number_positive"),
            models.CheckConstraint(
                condition=Q(state__in=PageState.values), name="page_state_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(state="pending"), name="page_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"Page {self.number} of {self.version}"

    def get_absolute_url(self) -> str:
        return f"{self.version.document.get_absolute_url()}?page={self.pk}#page-{self.pk}"

    @property
    def text(self) -> str:
        """What the page says: the archivist's correction, else what was read."""
        return self.corrected_text or self.ocr_text

    @property
    def image_id(self) -> str:
        """The page's identifier in the IIIF Image API: `<version>-<page number>`."""
        return f"{self.version_id}-{self.number}"
