"""Reading the text of a page image with Tesseract 5, and the words' boxes it finds.

Tesseract is run as its command (`tesseract`, Debian's `tesseract-ocr` with its language
data; `.ci/run`, the Makefile and the Dockerfile install them). The Python wrappers on PyPI
(pytesseract) run the same command through temporary files and add nothing we need, so the
archive calls it itself: one run writes the plain text and the hOCR (every word with its box
on the page, https://kba.github.io/hocr-spec/1.2/), and a run that hangs is stopped.
"""

from __future__ import annotations

import functools
import io
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

# The document's language (ISO 639-1, as the catalogue keeps it) to Tesseract's model.
TESSERACT_LANGUAGES = {
    "ru": "rus",
    "zh": "chi_sim",
    "ko": "kor",
    "de": "deu",
    "pl": "pol",
    "hu": "hun",
    "en": "eng",
    "fr": "fra",
    "es": "spa",
    "it": "ita",
    "cs": "ces",
    "uk": "ukr",
    "ja": "jpn",
    "vi": "vie",
}
TIMEOUT_SECONDS = 300
_BBOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")


class OCRFailed(RuntimeError):
    """Tesseract could not read the page; the message says why."""


@dataclass(frozen=True)
class Word:
    text: str
    x: int
    y: int
    width: int
    height: int
    line: int  # words of one line share it, in reading order


@dataclass(frozen=True)
class Reading:
    text: str
    hocr: str
    languages: str


@functools.cache
def installed_languages() -> frozenset[str]:
    try:
        listed = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise OCRFailed(f"Tesseract is not installed or does not run ({exc})") from None
    return frozenset(line.strip() for line in listed.stdout.splitlines()[1:] if line.strip())


def tesseract_languages(language: str) -> str:
    """Tesseract's languages for a page in `language`: its own model, with English beside it
    (Cold War typescripts mix in Latin letters: names, numbers, headings)."""
    installed = installed_languages()
    wanted = [TESSERACT_LANGUAGES.get(language, ""), "eng"]
    chosen = [name for name in dict.fromkeys(wanted) if name and name in installed]
    if not chosen:
        raise OCRFailed("Tesseract has no English model installed (tesseract-ocr-eng)")
    return "+".join(chosen)


def _cleaned(png: bytes) -> bytes:
    """The page in grey with its speckle taken out (a 3-pixel median filter): photographed and
    photocopied typescripts are full of it, and it cost Tesseract 8-16 % of a page's
    characters, 45 % of a Chinese page's (bench/README.md, "OCR quality"). The page keeps its
    size, so the words' boxes are where they are on the image served."""
    from PIL import Image, ImageFilter

    with Image.open(io.BytesIO(png)) as image:
        grey = image.convert("L").filter(ImageFilter.MedianFilter(3))
    output = io.BytesIO()
    grey.save(output, format="PNG")
    return output.getvalue()


def read_page(png: bytes, language: str) -> Reading:
    """The text and hOCR of one page image (PNG bytes)."""
    languages = tesseract_languages(language)
    with tempfile.TemporaryDirectory(prefix="archive-ocr-") as folder:
        image = Path(folder) / "page.png"
        image.write_bytes(_cleaned(png))
        base = Path(folder) / "page"
        try:
            subprocess.run(
                ["tesseract", str(image), str(base), "-l", languages, "txt", "hocr"],
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=True,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # one core a page: workers scale
            )
        except subprocess.TimeoutExpired:
            raise OCRFailed(f"Tesseract took longer than {TIMEOUT_SECONDS} s") from None
        except subprocess.CalledProcessError as exc:
            detail = exc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise OCRFailed(f"Tesseract failed: {detail[-1] if detail else exc}") from None
        except OSError as exc:
            raise OCRFailed(f"Tesseract is not installed or does not run ({exc})") from None
        text = base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
        hocr = base.with_suffix(".hocr").read_text(encoding="utf-8", errors="replace")
    return Reading(text=_tidy(text), hocr=hocr, languages=languages)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\x0c", "\n").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def hocr_words(hocr: str) -> list[Word]:
    """Every word of an hOCR page with its box, in reading order; [] for hOCR that is not
    well formed (a page read before is never a reason for a page to fail)."""
    if not hocr:
        return []
    try:
        root = ElementTree.fromstring(hocr)
    except ElementTree.ParseError:
        return []
    words: list[Word] = []
    line_number = 0
    for element in root.iter():
        classes = (element.get("class") or "").split()
        if "ocr_line" in classes or "ocrx_line" in classes or "ocr_caption" in classes:
            line_number += 1
        if "ocrx_word" not in classes:
            continue
        text = "".join(element.itertext()).strip()
        found = _BBOX.search(element.get("title") or "")
        if not text or not found:
            continue
        x0, y0, x1, y1 = (int(value) for value in found.groups())
        words.append(Word(text, x0, y0, max(x1 - x0, 1), max(y1 - y0, 1), line_number))
    return words
