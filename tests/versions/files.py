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


FONTS = {
    "serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",  # fonts-dejavu-core
    "mono": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "chinese": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei
}


def typed_page(
    text: str,
    *,
    font: str = "serif",
    size: int = 34,
    skew: float = 0.0,
    noise: float = 0.0,
    page=(1240, 1754),
    seed: int = 1,
) -> bytes:
    """A PNG of a typed page (150 dpi A4) that says `text`, turned by `skew` degrees, with a
    share `noise` of its pixels flipped at random: what a photographed typescript is like."""
    import random

    from PIL import ImageFont

    picture = Image.new("L", page, 255)
    face = ImageFont.truetype(FONTS[font], size)
    ImageDraw.Draw(picture).multiline_text((90, 120), text, font=face, fill=0, spacing=14)
    if skew:
        picture = picture.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if noise:
        chance = random.Random(seed)
        pixels = picture.load()
        width, height = picture.size
        for _ in range(int(width * height * noise)):
            x, y = chance.randrange(width), chance.randrange(height)
            pixels[x, y] = 255 - pixels[x, y]
    output = io.BytesIO()
    picture.save(output, format="PNG")
    return output.getvalue()


def image_pdf(*pngs: bytes) -> bytes:
    """A PDF whose pages are only pictures (no text layer), as a scanner makes them."""
    document = FPDF(unit="pt", format=(595, 842))
    for png in pngs:
        document.add_page()
        document.image(io.BytesIO(png), x=0, y=0, w=595, h=842)
    return bytes(document.output())


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def character_error_rate(typed: str, read: str, language: str) -> float:
    """Edits from what was typed to what was read, over the length typed (whitespace folded;
    Chinese, written without spaces, compared without them)."""

    def folded(text: str) -> str:
        return "".join(text.split()) if language == "zh" else " ".join(text.split())

    expected = folded(typed)
    return _distance(expected, folded(read)) / max(len(expected), 1)
