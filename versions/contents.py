"""What a version's file holds, judged by its content and never by its name alone.

`examine` checks one file against the kinds of version it may be (an original scan is a PDF
or an image; a transcript or translation is plain text or a PDF) and returns what the archive
keeps about it: its type, size, checksum, page count and the text inside it. Anything else is
refused with `FileRefused`, whose message says what is wrong in words an archivist can act on.
The admin's upload form and the batch import both call it, so the two accept the same files.

`thumbnail_png` draws the first page of a PDF, or a small copy of an image, for the viewer.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
TEXT = "text/plain"

# The types the archive accepts, the extensions each may be named with, and how a person
# calls it. TIFF and other master formats are not taken: no browser shows them in a page;
# they are converted to PDF or JPEG before they come in.
EXTENSIONS = {
    PDF: (".pdf",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
    WEBP: (".webp",),
    TEXT: (".txt",),
}
LABELS = {PDF: "a PDF", JPEG: "a JPEG image", PNG: "a PNG image", WEBP: "a WebP image"}
LABELS[TEXT] = "plain text"
# Shown on the document page and in the admin, in the interface language.
SHORT_LABELS = {PDF: "PDF", JPEG: _("JPEG image"), PNG: _("PNG image"), WEBP: _("WebP image")}
SHORT_LABELS[TEXT] = _("Text file")
TYPE_OF_EXTENSION = {ext: kind for kind, exts in EXTENSIONS.items() for ext in exts}
# Pillow's names of the image formats taken, by content type.
IMAGE_FORMATS = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP}
# Which types each kind of version may be (the kinds are versions.models.Kind's values).
TYPES_OF_KIND = {
    "original": (PDF, JPEG, PNG, WEBP),
    "transcript": (PDF, TEXT),
    "translation": (PDF, TEXT),
}
KIND_WORDS = {
    "original": "an original scan must be a PDF or an image (JPEG, PNG or WebP)",
    "transcript": "a transcript must be plain text (.txt) or a PDF",
    "translation": "a translation must be plain text (.txt) or a PDF",
}
THUMBNAIL_BOX = (320, 440)  # pixels: a first page beside the viewer, sharp on a 2x screen
_CHUNK = 1 << 20
# Characters a text file may hold besides printable ones: tab, newlines, form feed.
_CONTROL = {chr(code) for code in range(32)} - {"\t", "\n", "\r", "\f"}


class FileRefused(ValueError):
    """A file the archive does not take; the message says why (without the file's name)."""


@dataclass(frozen=True)
class Contents:
    content_type: str
    extension: str  # the one the stored file is named with, from the content
    size: int
    sha256: str
    page_count: int | None
    text: str  # the text inside a PDF or a text file ("" for an image or a scan without text)


def accepted_extensions(kind: str | None = None) -> list[str]:
    types = TYPES_OF_KIND.get(kind or "", tuple(EXTENSIONS))
    return [ext for content_type in types for ext in EXTENSIONS[content_type]]


def _sniff(head: bytes) -> str | None:
    """The type the first bytes announce, or None for anything else (maybe text)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _describe(head: bytes) -> str:
    sniffed = _sniff(head)
    if sniffed:
        return LABELS[sniffed]
    for magic, label in (
        (b"PK\x03\x04", "a ZIP archive (a Word or OpenDocument file?)"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
        (b"GIF8", "a GIF image"),
        (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
    ):
        if head.startswith(magic):
            return label
    stripped = head.lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<?xml", b"<svg")):
        return "HTML or XML"
    return "something else"


def _clean_text(text: str) -> str:
    """Text fit for the database and the search vector: no NUL (PostgreSQL refuses it), no
    other control characters, runs of blank lines folded, and at most the configured length."""
    text = "".join(" " if char in _CONTROL else char for char in text)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    cleaned: list[str] = []
    blank = False
    for line in lines:
        if not line.strip():
            blank = bool(cleaned)
            continue
        if blank:
            cleaned.append("")
        cleaned.append(line)
        blank = False
    return "\n".join(cleaned)[: settings.ARCHIVE_VERSION_TEXT_MAX_CHARS]


def _pdf_pages_and_text(stream: BinaryIO) -> tuple[int, str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileRefused("is a PDF locked with a password; the archive needs it unlocked")
        pages = reader.pages
        count = len(pages)
    except FileRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise FileRefused(f"is not a readable PDF ({type(exc).__name__})") from None
    if count == 0:
        raise FileRefused("is a PDF without pages")
    texts: list[str] = []
    for number, page in enumerate(pages):
        if number >= settings.ARCHIVE_VERSION_TEXT_MAX_PAGES:
            break
        try:
            texts.append(page.extract_text() or "")
        except Exception:  # a page pypdf cannot read leaves the rest readable
            logger.warning("No text from page %d of a PDF", number + 1, exc_info=True)
    return count, _clean_text("\n\n".join(texts))


def _check_image(stream: BinaryIO, content_type: str) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(stream) as image:
            found = IMAGE_FORMATS.get(image.format or "")
            image.verify()
    except Image.DecompressionBombError:
        raise FileRefused("is an image too large in pixels to open safely") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        named = LABELS[content_type]
        raise FileRefused(f"is not a readable image, though named as {named}") from None
    if found != content_type:
        raise FileRefused(f"is not {LABELS[content_type]}, as its name says")


def _text(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(f"is not UTF-8 text (byte {exc.start + 1} is not)") from None
    if "\x00" in text:
        raise FileRefused("is not plain text: it holds NUL bytes")
    return text


def examine(stream: BinaryIO, name: str, kind: str) -> Contents:
    """Check a file named `name` (only its extension counts) as a version of kind `kind`.

    The stream must be seekable; it is read from the start and left at the start.
    """
    extension = PurePath(name).suffix.lower()
    claimed = TYPE_OF_EXTENSION.get(extension)
    if claimed is None:
        allowed = ", ".join(accepted_extensions())
        raise FileRefused(
            f"has {'no extension' if not extension else f'the extension {extension}'}; "
            f"the archive takes {allowed}"
        )
    if claimed not in TYPES_OF_KIND.get(kind, ()):
        raise FileRefused(f"is {LABELS[claimed]}: {KIND_WORDS.get(kind, 'unknown kind')}")

    digest, size, head = hashlib.sha256(), 0, b""
    stream.seek(0)
    limit = settings.ARCHIVE_VERSION_MAX_BYTES
    while chunk := stream.read(_CHUNK):
        if not head:
            head = chunk[:64]
        digest.update(chunk)
        size += len(chunk)
        if size > limit:
            raise FileRefused(f"is larger than {filesizeformat(limit)}, the most the archive takes")
    stream.seek(0)
    if size == 0:
        raise FileRefused("is empty")

    sniffed = _sniff(head)
    if claimed == TEXT:
        if sniffed is not None or _describe(head) != "something else":
            raise FileRefused(f"is named {extension} but holds {_describe(head)}, not plain text")
        text = _text(stream.read())
        stream.seek(0)
        page_count, extracted = None, _clean_text(text)
    elif sniffed != claimed:
        raise FileRefused(
            f"is named {extension} but holds {_describe(head)}, not {LABELS[claimed]}"
        )
    elif claimed == PDF:
        page_count, extracted = _pdf_pages_and_text(stream)
        stream.seek(0)
    else:
        _check_image(stream, claimed)
        stream.seek(0)
        page_count, extracted = 1, ""
    return Contents(
        content_type=claimed,
        extension=EXTENSIONS[claimed][0],
        size=size,
        sha256=digest.hexdigest(),
        page_count=page_count,
        text=extracted,
    )


# Thumbnails ------------------------------------------------------------------------------------


def thumbnail_png(stream: BinaryIO, content_type: str) -> bytes | None:
    """A PNG of the first page (a PDF) or of the image, to fit THUMBNAIL_BOX; None if the file
    cannot be drawn (the viewer then shows no picture, and nothing else is lost).

    PDFs are drawn by pypdfium2, a PyPI wheel that carries Google's pdfium: no poppler,
    Ghostscript or ImageMagick has to be installed on the server for it, and it needs no
    subprocess. Images are scaled by Pillow.
    """
    try:
        if content_type == PDF:
            image = _first_page(stream)
        elif content_type in IMAGE_FORMATS.values():
            image = _image(stream)
        else:
            return None
        image.thumbnail(THUMBNAIL_BOX)
        output = io.BytesIO()
        image.save(output, format="PNG", optimize=True)
        return output.getvalue()
    except Exception:  # a thumbnail is a convenience: never fail an upload for it
        logger.warning("No thumbnail for a %s", content_type, exc_info=True)
        return None
    finally:
        stream.seek(0)


def _first_page(stream: BinaryIO):
    import pypdfium2 as pdfium

    stream.seek(0)
    document = pdfium.PdfDocument(stream.read())
    try:
        page = document[0]
        try:
            width, height = page.get_size()
            scale = min(THUMBNAIL_BOX[0] / width, THUMBNAIL_BOX[1] / height, 4.0)
            return page.render(scale=scale).to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        document.close()


def _image(stream: BinaryIO):
    from PIL import Image, ImageOps

    stream.seek(0)
    with Image.open(stream) as image:
        image.draft("RGB", THUMBNAIL_BOX)  # JPEG: decode at a smaller size, much faster
        upright = ImageOps.exif_transpose(image)
        return upright.convert("RGB") if upright.mode not in ("RGB", "L") else upright.copy()
