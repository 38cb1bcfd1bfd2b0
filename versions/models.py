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
        "documents.Document",
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("document"),
    )
    kind = models.CharField(
        max_length=12,
        choices=Kind.choices,
        help_text=_(
            "An original scan is a PDF or an image; a transcript (in the original's "
            "language) or a translation is plain text or a PDF."
        ),
        verbose_name=_("kind"),
    )
    language = models.CharField(
        max_length=10,
        help_text=_("ISO 639 code of the version's language, e.g. ru or en."),
        verbose_name=_("language"),
    )
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("Order among the document's versions (smallest first)."),
        verbose_name=_("position"),
    )
    file = models.FileField(
        upload_to=version_file_name,
        storage=versions_storage,
        max_length=200,
        blank=True,
        help_text=_("PDF, JPEG, PNG, WebP or plain text (.txt), checked by its content."),
        verbose_name=_("file"),
    )
    text = models.TextField(
        blank=True,
        help_text=_(
            "A transcript or translation typed in instead of a file; or, beside a scan, "
            "its text when the scan has none inside it. Searched, and shown in the viewer."
        ),
        verbose_name=_("text"),
    )
    extracted_text = models.TextField(
        blank=True,
        editable=False,
        help_text=_("The text inside the file (a PDF's text layer or a text file); searched."),
        verbose_name=_("extracted text"),
    )
    page_count = models.PositiveIntegerField(
        null=True, blank=True, editable=False, verbose_name=_("page count")
    )
    size = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("The file's size in bytes."),
        verbose_name=_("size"),
    )
    content_type = models.CharField(
        max_length=100, blank=True, editable=False, verbose_name=_("content type")
    )
    sha256 = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("The file's SHA-256 checksum."),
        verbose_name=_("sha256"),
    )
    original_name = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("The file's name when it came in."),
        verbose_name=_("original name"),
    )
    thumbnail = models.FileField(
        upload_to=thumbnail_file_name,
        storage=versions_storage,
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("A small PNG of the first page."),
        verbose_name=_("thumbnail"),
    )
    pages_of = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("The SHA-256 of the file its pages were made from (blank: not yet)."),
        verbose_name=_("pages of"),
    )
    import_batch = models.ForeignKey(
        "importing.ImportBatch",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="created_versions",
        help_text=_("The import that brought the version in (undoing it removes the version)."),
        verbose_name=_("import batch"),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    modified = models.DateTimeField(auto_now=True, verbose_name=_("modified"))

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "position", "id"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
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
        if not self.document_id:
            return self.label
        return gettext("%(version)s of %(identifier)s") % {
            "version": self.label,
            "identifier": self.document.identifier,
        }

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
        return str(SHORT_LABELS.get(self.content_type, self.content_type))

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
    PENDING = "pending", _("Waiting for its image and text")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class TextSource(models.TextChoices):
    NONE = "", _("None yet")
    LAYER = "layer", _("The PDF's own text")
    OCR = "ocr", _("OCR (Tesseract)")


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

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="pages", verbose_name=_("version")
    )
    number = models.PositiveIntegerField(
        help_text=_("The page's number in the scan, from 1."), verbose_name=_("number")
    )
    width = models.PositiveIntegerField(
        help_text=_("The page image's width in pixels."), verbose_name=_("width")
    )
    height = models.PositiveIntegerField(
        help_text=_("The page image's height in pixels."), verbose_name=_("height")
    )
    state = models.CharField(
        max_length=8, choices=PageState.choices, default=PageState.PENDING, verbose_name=_("state")
    )
    text_source = models.CharField(
        max_length=5,
        choices=TextSource.choices,
        default=TextSource.NONE,
        blank=True,
        verbose_name=_("text source"),
    )
    ocr_text = models.TextField(
        blank=True, help_text=_("The text Tesseract read on the page."), verbose_name=_("ocr text")
    )
    hocr = models.TextField(
        blank=True,
        editable=False,
        help_text=_("Tesseract's hOCR: every word with its box."),
        verbose_name=_("hocr"),
    )
    ocr_languages = models.CharField(
        max_length=40,
        blank=True,
        editable=False,
        help_text=_("Tesseract's languages, e.g. rus+eng."),
        verbose_name=_("ocr languages"),
    )
    corrected_text = models.TextField(
        blank=True,
        help_text=_(
            "An archivist's correction of the OCR text: shown and searched instead of "
            "it, and kept when the page is read again."
        ),
        verbose_name=_("corrected text"),
    )
    attempts = models.PositiveSmallIntegerField(
        default=0,
        editable=False,
        help_text=_("Tries so far; after three a page is failed."),
        verbose_name=_("attempts"),
    )
    claimed_until = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("A worker is reading it until then."),
        verbose_name=_("claimed until"),
    )
    error = models.TextField(
        blank=True, editable=False, help_text=_("Why the last try failed."), verbose_name=_("error")
    )
    processed = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("processed")
    )
    modified = models.DateTimeField(auto_now=True, verbose_name=_("modified"))

    objects = VersionPageQuerySet.as_manager()

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
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
        return gettext("Page %(number)s of %(version)s") % {
            "number": self.number,
            "version": self.version,
        }

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
