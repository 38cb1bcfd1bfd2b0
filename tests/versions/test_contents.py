"""Files are judged by their content: type, size, pages and the text inside (issue 9)."""

import io

import pytest

from tests.versions.files import image, pdf
from versions.contents import FileRefused, examine, thumbnail_png


def check(data: bytes, name: str, kind: str = "original"):
    return examine(io.BytesIO(data), name, kind)


def refused(data: bytes, name: str, kind: str = "original") -> str:
    with pytest.raises(FileRefused) as caught:
        check(data, name, kind)
    return str(caught.value)


def test_a_pdf_gives_its_pages_and_text():
    contents = check(pdf("Protocol of the plenum", "Samovar on page two"), "scan.PDF")
    assert contents.content_type == "application/pdf"
    assert contents.extension == ".pdf"
    assert contents.page_count == 2
    assert "Protocol of the plenum" in contents.text and "Samovar" in contents.text
    assert len(contents.sha256) == 64 and contents.size > 0


@pytest.mark.parametrize(
    ("fmt", "name", "content_type"),
    [
        ("PNG", "p.png", "image/png"),
        ("JPEG", "p.jpeg", "image/jpeg"),
        ("WEBP", "p.webp", "image/webp"),
    ],
)
def test_images_are_taken_as_scans(fmt, name, content_type):
    contents = check(image(fmt), name)
    assert (contents.content_type, contents.page_count, contents.text) == (content_type, 1, "")


def test_a_text_file_is_a_transcript_or_translation():
    contents = check("Запись беседы\r\n\r\n\r\nс Ким Ир Сеном".encode(), "t.txt", "transcript")
    assert contents.content_type == "text/plain"
    assert contents.text == "Запись беседы\n\nс Ким Ир Сеном"
    assert contents.page_count is None


@pytest.mark.parametrize(
    ("data", "name", "kind", "message"),
    [
        (image("PNG"), "scan.pdf", "original", "is named .pdf but holds a PNG image, not a PDF"),
        (pdf("x"), "scan.png", "original", "is named .png but holds a PDF, not a PNG image"),
        (image("JPEG"), "scan.png", "original", "holds a JPEG image, not a PNG image"),
        (b"%PDF-1.4\nnot really a pdf", "scan.pdf", "original", "is not a readable PDF"),
        (b"\x89PNG\r\n\x1a\nbroken", "scan.png", "original", "is not a readable image"),
        (b"PK\x03\x04word", "t.docx", "translation", "the extension .docx; the archive takes"),
        (b"PK\x03\x04word", "t.txt", "translation", "holds a ZIP archive"),
        (b"<html><script>x</script>", "t.txt", "translation", "holds HTML or XML"),
        (b"caf\xe9", "t.txt", "translation", "is not UTF-8 text"),
        (b"", "scan.pdf", "original", "is empty"),
        (b"text", "scan", "original", "has no extension"),
        (
            image("PNG"),
            "scan.png",
            "translation",
            "a translation must be plain text",
        ),
        (b"words", "t.txt", "original", "an original scan must be a PDF or an image"),
        (image("GIF"), "scan.gif", "original", "the extension .gif"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused(data, name, kind, message):
    assert message in refused(data, name, kind)


def test_the_size_limit_is_a_setting(settings):
    settings.ARCHIVE_VERSION_MAX_BYTES = 1000
    assert "is larger than 1000" in refused(pdf("x" * 10) + b" " * 2000, "big.pdf")


def test_a_password_protected_pdf_is_refused():
    from fpdf import FPDF

    document = FPDF()
    document.set_encryption(owner_password="owner", user_password="secret")
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="Locked")
    assert "locked with a password" in refused(bytes(document.output()), "locked.pdf")


def test_text_inside_a_pdf_is_cleaned_for_the_database():
    contents = check(pdf("Null\x00byte and more"), "scan.pdf")
    assert "\x00" not in contents.text


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(pdf("First page"), "application/pdf"), (image("JPEG"), "image/jpeg")],
)
def test_thumbnails_are_small_pngs_of_the_first_page(data, content_type):
    from PIL import Image

    png = thumbnail_png(io.BytesIO(data), content_type)
    assert png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(png)) as thumbnail:
        assert thumbnail.width <= 320 and thumbnail.height <= 440


def test_a_file_that_cannot_be_drawn_has_no_thumbnail():
    assert thumbnail_png(io.BytesIO(b"%PDF-1.4 broken"), "application/pdf") is None
