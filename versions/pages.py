"""The pages of original scans: each one's image, ready for IIIF, and its text, by OCR when
the scan has none (`manage.py ocr_versions` drains this; nothing here runs in a request or
inside an import's transaction).

The work is a queue kept in the database, so a worker killed at any moment resumes:

1. A scan whose pages were not made from its current file (`DocumentVersion.pages_of` is not
   its SHA-256: a new scan, or a replaced file) gets one `VersionPage` per page, pending, in
   one transaction. A page an archivist corrected keeps its correction when the same file is
   read again (`again=True`); a new file starts afresh.
2. Each pending page is claimed for a while (`claimed_until`, so two workers never read the
   same one), drawn (a PDF page by pdfium at ARCHIVE_PAGE_DPI, an image as it is), saved as
   a tiled pyramid TIFF by libvips (what the IIIF image server cuts tiles from), and read by
   Tesseract unless the PDF page has its own text. Its text, its hOCR and its state are
   written in one transaction with the index's outbox entry for its document.
3. A page that fails (a corrupt page, Tesseract crashing) keeps its error and is tried again,
   three times in all: a try is counted before it starts, so a page that kills the worker
   cannot stop the queue. The other pages go on.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from search.outbox import documents_changed

from .contents import PDF
from .models import DocumentVersion, Kind, PageState, TextSource, VersionPage
from .ocr import OCRFailed, read_page

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
CLAIM = timedelta(minutes=15)
# A PDF page with at least this many letters of its own text is not read again by OCR.
TEXT_LAYER_MIN_CHARS = 20


class PageFailed(RuntimeError):
    """This page could not be drawn or read; the message says why, for the archivist."""


def page_image_path(page: VersionPage) -> Path:
    """Where the page's pyramid image is kept (derived data: made again from the scan)."""
    sha = page.version.sha256[:16] or "none"
    return (
        Path(settings.ARCHIVE_PAGE_IMAGES_DIR) / str(page.version_id) / f"{page.number}-{sha}.tif"
    )


def versions_without_pages() -> QuerySet[DocumentVersion]:
    """Original scans whose pages were not made from their current file."""
    return (
        DocumentVersion.objects.filter(kind=Kind.ORIGINAL)
        .exclude(file="")
        .exclude(pages_of=F("sha256"))
        .order_by("id")
    )


def pending_pages() -> QuerySet[VersionPage]:
    return VersionPage.objects.filter(state=PageState.PENDING)


# Step 1: a scan's pages ------------------------------------------------------------------


def _pdf_page_sizes(data: bytes) -> list[tuple[int, int]]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        sizes = []
        for number in range(len(document)):
            width, height = document.get_page_size(number)
            sizes.append(_rendered_size(width, height))
        return sizes
    finally:
        document.close()


def _rendered_size(width_points: float, height_points: float) -> tuple[int, int]:
    scale = min(
        settings.ARCHIVE_PAGE_DPI / 72,
        settings.ARCHIVE_PAGE_MAX_SIDE / max(width_points, height_points, 1),
    )
    return max(round(width_points * scale), 1), max(round(height_points * scale), 1)


def _image_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1)
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _page_sizes(version: DocumentVersion, data: bytes) -> list[tuple[int, int]]:
    if version.content_type == PDF:
        return _pdf_page_sizes(data)
    return [_image_size(data)]


def _read_file(version: DocumentVersion) -> bytes:
    try:
        with version.file.open("rb") as handle:
            return handle.read()
    except OSError as exc:
        raise PageFailed(f"the scan's file cannot be read from storage ({exc})") from None


def version_pages_make(*, version: DocumentVersion, again: bool = False) -> int:
    """Give the scan its pages, pending (all of them again with `again`); returns how many.

    A new or replaced file gets new pages (their images are removed once this commits); the
    same file read again keeps its pages and the archivists' corrections."""
    data = _read_file(version)
    try:
        sizes = _page_sizes(version, data)
    except Exception as exc:  # pdfium or Pillow refusing a file examine() took
        raise PageFailed(f"its pages cannot be drawn ({type(exc).__name__}: {exc})") from None
    with transaction.atomic():
        locked = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        if locked.sha256 != version.sha256:
            return 0  # replaced meanwhile: the next pass makes the new file's pages
        if locked.pages_of == locked.sha256 and not again:
            return locked.pages.count()
        if locked.pages_of != locked.sha256:
            folder = Path(settings.ARCHIVE_PAGE_IMAGES_DIR) / str(locked.pk)
            locked.pages.all().delete()
            transaction.on_commit(lambda: _remove_images(folder, keep=locked.sha256))
            VersionPage.objects.bulk_create(
                VersionPage(version=locked, number=number, width=width, height=height)
                for number, (width, height) in enumerate(sizes, start=1)
            )
        else:
            locked.pages.update(state=PageState.PENDING, attempts=0, error="", claimed_until=None)
        DocumentVersion.objects.filter(pk=locked.pk).update(pages_of=locked.sha256)
    return len(sizes)


def _remove_images(folder: Path, *, keep: str) -> None:
    """Remove the page images of files the version no longer has."""
    if not folder.is_dir():
        return
    for path in folder.glob("*.tif"):
        if not path.stem.endswith(f"-{keep[:16]}"):
            path.unlink(missing_ok=True)


def version_pages_remove(*, version_id: int) -> None:
    """The scan is gone (deleted, or its file taken away): its page images go too."""
    folder = Path(settings.ARCHIVE_PAGE_IMAGES_DIR) / str(version_id)
    if folder.is_dir():
        for path in folder.iterdir():
            path.unlink(missing_ok=True)
        folder.rmdir()


# Step 2: one page --------------------------------------------------------------------------


@dataclass
class PageWork:
    """One pass's results, for the command to report."""

    pages_done: int = 0
    pages_failed: list[str] = field(default_factory=list)
    versions_prepared: int = 0
    versions_failed: list[str] = field(default_factory=list)


def _claim(document_id: int | None) -> VersionPage | None:
    now = timezone.now()
    with transaction.atomic():
        candidates = pending_pages().filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        )
        if document_id is not None:
            candidates = candidates.filter(version__document_id=document_id)
        page = (
            candidates.select_for_update(skip_locked=True)
            .select_related("version")
            .order_by("version_id", "number")
            .first()
        )
        if page is None:
            return None
        page.attempts += 1
        page.claimed_until = now + CLAIM
        page.save(update_fields=["attempts", "claimed_until"])
    return page


def _draw(version: DocumentVersion, data: bytes, page: VersionPage):
    """The page as a Pillow image of the page's recorded size, and the PDF's own text."""
    from PIL import Image, ImageOps

    if version.content_type == PDF:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        try:
            pdf_page = document[page.number - 1]
            try:
                width, _ = pdf_page.get_size()
                image = pdf_page.render(scale=page.width / width).to_pil()
                textpage = pdf_page.get_textpage()
                own_text = textpage.get_text_bounded() or ""
                textpage.close()
            finally:
                pdf_page.close()
        finally:
            document.close()
    else:
        with Image.open(io.BytesIO(data)) as opened:
            image = ImageOps.exif_transpose(opened)
            image.load()
        own_text = ""
    image = image.convert("L" if image.mode in ("1", "L", "LA", "I", "I;16") else "RGB")
    if image.size != (page.width, page.height):
        image = image.resize((page.width, page.height))
    return image, own_text


def _save_pyramid(image, path: Path) -> None:
    """A tiled pyramid TIFF (JPEG inside): libvips cuts any region at any size from it while
    reading only the tiles it needs."""
    import pyvips

    bands = 1 if image.mode == "L" else 3
    picture = pyvips.Image.new_from_memory(
        image.tobytes(), image.width, image.height, bands, "uchar"
    ).copy(interpretation="b-w" if bands == 1 else "srgb")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=".tif", dir=path.parent)
    os.close(handle)
    try:
        picture.tiffsave(
            temporary,
            tile=True,
            pyramid=True,
            compression="jpeg",
            Q=88,
            tile_width=256,
            tile_height=256,
        )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def page_read(*, page: VersionPage, data: bytes) -> None:
    """Draw, store and read one claimed page, and record it (raises PageFailed)."""
    version = page.version
    try:
        image, own_text = _draw(version, data, page)
        _save_pyramid(image, page_image_path(page))
    except Exception as exc:
        raise PageFailed(f"the page cannot be drawn ({type(exc).__name__}: {exc})") from None
    has_layer = len("".join(own_text.split())) >= TEXT_LAYER_MIN_CHARS
    reading = None
    if not has_layer:
        png = io.BytesIO()
        image.save(png, format="PNG")
        try:
            reading = read_page(png.getvalue(), version.language or version.document.language)
        except OCRFailed as exc:
            raise PageFailed(str(exc)) from None
    with transaction.atomic():
        updated = VersionPage.objects.filter(pk=page.pk, version__sha256=version.sha256).update(
            state=PageState.DONE,
            text_source=TextSource.LAYER if reading is None else TextSource.OCR,
            ocr_text="" if reading is None else reading.text,
            hocr="" if reading is None else reading.hocr,
            ocr_languages="" if reading is None else reading.languages,
            error="",
            claimed_until=None,
            processed=timezone.now(),
            modified=timezone.now(),
        )
        if updated:
            documents_changed([version.document_id])


def _page_failed(page: VersionPage, message: str) -> None:
    state = PageState.FAILED if page.attempts >= MAX_ATTEMPTS else PageState.PENDING
    VersionPage.objects.filter(pk=page.pk).update(
        state=state, error=message[:2000], claimed_until=None, modified=timezone.now()
    )


# The worker's pass -------------------------------------------------------------------------


def pages_work(*, document_id: int | None = None, limit: int | None = None) -> PageWork:
    """Make the pages of every scan that needs them, then read every pending page (or only
    those of one document), one at a time; returns what was done and what failed."""
    work = PageWork()
    versions = versions_without_pages().select_related("document")
    if document_id is not None:
        versions = versions.filter(document_id=document_id)
    for version in versions.iterator():
        try:
            version_pages_make(version=version)
            work.versions_prepared += 1
        except PageFailed as exc:
            logger.warning("Scan %s: %s", version.pk, exc)
            DocumentVersion.objects.filter(pk=version.pk).update(pages_of=version.sha256)
            work.versions_failed.append(f"{version}: {exc}")
    cached: tuple[int, str, bytes] | None = None
    for page in _claimed_pages(document_id, limit):
        try:
            if cached is None or cached[:2] != (page.version_id, page.version.sha256):
                cached = (page.version_id, page.version.sha256, _read_file(page.version))
            page_read(page=page, data=cached[2])
            work.pages_done += 1
        except PageFailed as exc:
            logger.warning("%s: %s", page, exc)
            _page_failed(page, str(exc))
            work.pages_failed.append(f"{page}: {exc}")
    return work


def _claimed_pages(document_id: int | None, limit: int | None) -> Iterator[VersionPage]:
    taken = 0
    while limit is None or taken < limit:
        page = _claim(document_id)
        if page is None:
            return
        taken += 1
        yield page


def document_pages_again(*, document_id: int) -> int:
    """Read every page of a document's scans again (corrections are kept); returns how many
    pages wait for the worker."""
    total = 0
    versions = DocumentVersion.objects.filter(document_id=document_id, kind=Kind.ORIGINAL)
    for version in versions.exclude(file=""):
        total += version_pages_make(version=version, again=True)
    return total


def pages_redraw_missing(*, document_id: int | None = None) -> int:
    """Draw again the images of ready pages that have none (a restored archive, a lost volume
    of ARCHIVE_PAGE_IMAGES_DIR): their text is kept, nothing is read again. Returns how many."""
    pages = VersionPage.objects.ready()
    if document_id is not None:
        pages = pages.filter(version__document_id=document_id)
    drawn = 0
    cached: tuple[int, bytes] | None = None
    for page in pages.select_related("version").order_by("version_id", "number").iterator():
        path = page_image_path(page)
        if path.is_file():
            continue
        if cached is None or cached[0] != page.version_id:
            cached = (page.version_id, _read_file(page.version))
        image, _ = _draw(page.version, cached[1], page)
        _save_pyramid(image, path)
        drawn += 1
    return drawn
