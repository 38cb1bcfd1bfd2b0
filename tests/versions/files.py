"""Small files with real content, made by the tests: PDFs with text in them (fpdf2), images
with words drawn on them (Pillow), plain text."""

from __future__ import annotations

import io

from fpdf import FPDF
from PIL import Image, ImageDraw

from versions.contents import examine
from versions.models import DocumentVersion
from versions.services import version_store_file


def pdf(*pages: str) -> bytes:
    """A PDF with one page per argument, each page's text in a core font (Latin-1)."""
    document = FPDF()
    document.set_font("helvetica", size=14)
    for text in pages or ("",):
        document.add_page()
        document.multi_cell(0, 8, text=text)
    return bytes(document.output())


def image(fmt: str = "PNG", text: str = "Page 1", size=(600, 800)) -> bytes:
    picture = Image.new("RGB", size, "white")
    ImageDraw.Draw(picture).text((40, 40), text, fill="black")
    output = io.BytesIO()
    picture.save(output, format=fmt)
    return output.getvalue()


def add_version(document, kind: str, language: str, data: bytes, name: str, **fields):
    """A version with a file, made the way the admin and the import make one."""
    stream = io.BytesIO(data)
    contents = examine(stream, name, kind)
    version = DocumentVersion(document=document, kind=kind, language=language, **fields)
    version_store_file(version, stream, contents, original_name=name)
    version.save()
    return version
