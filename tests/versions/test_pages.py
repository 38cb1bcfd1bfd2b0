"""The pages of original scans (versions/pages.py, `manage.py ocr_versions`): made outside the
request and the import, read by Tesseract where the scan has no text, searched, corrected by
archivists, resumed after a crash, removed with their scan (issue 23)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import DocumentFactory
from tests.versions.files import add_version, image_pdf, pdf, typed_page
from versions.models import PageState, TextSource, VersionPage
from versions.pages import MAX_ATTEMPTS, page_image_path, pages_work

pytestmark = pytest.mark.django_db

RUSSIAN = "Совершенно секретно\nЗаписка о положении\nв Венгрии, октябрь 1956"


def ocr(*args: str) -> str:
    out = io.StringIO()
    call_command("ocr_versions", *args, stdout=out, stderr=out)
    return out.getvalue()


def found(client, query: str) -> list[str]:
    response = client.get("/documents/", {"q": query})
    assert response.status_code == 200
    return [document.identifier for document in response.context["documents"]]


def test_a_typed_russian_scan_is_read_and_found_by_a_word_on_it(client):
    document = DocumentFactory(identifier="ru-scan", language="ru", summary="A note.", text="")
    version = add_version(document, "original", "ru", typed_page(RUSSIAN), "page.png")
    assert found(client, "Венгрии") == []  # stored, not yet read: no request or import OCRs
    assert VersionPage.objects.count() == 0

    output = ocr()

    assert "Pages made for 1 scan(s); 1 page(s) read, 0 failed." in output
    page = VersionPage.objects.get()
    assert (page.version, page.number, page.state) == (version, 1, PageState.DONE)
    assert (page.text_source, page.ocr_languages) == (TextSource.OCR, "rus+eng")
    assert "Венгрии" in page.ocr_text and "секретно" in page.ocr_text
    assert "ocrx_word" in page.hocr
    assert (page.width, page.height) == (1240, 1754)
    assert page_image_path(page).is_file()
    response = client.get("/documents/", {"q": "Венгрии"})
    assert [d.identifier for d in response.context["documents"]] == ["ru-scan"]
    assert "In the scan, read by OCR:" in response.context["documents"][0].snippet
    assert "<mark>Венгрии</mark>" in response.context["documents"][0].snippet
    assert ocr() == "Pages made for 0 scan(s); 0 page(s) read, 0 failed.\n"  # nothing twice


def test_a_pdf_with_its_own_text_is_not_read_again_and_one_without_is():
    document = DocumentFactory(identifier="pdfs", language="en")
    add_version(
        document, "original", "en", pdf("The samovar was cold, said the minister."), "a.pdf"
    )
    scan = typed_page("Memorandum of conversation\nwith the ambassador", font="mono")
    add_version(document, "original", "en", image_pdf(scan, scan), "b.pdf", position=1)

    assert "2 scan(s); 3 page(s) read, 0 failed" in ocr()

    layer, *scanned = VersionPage.objects.order_by("version__position", "number")
    assert (layer.text_source, layer.ocr_text, layer.hocr) == (TextSource.LAYER, "", "")
    assert [page.text_source for page in scanned] == [TextSource.OCR, TextSource.OCR]
    assert all("ambassador" in page.ocr_text for page in scanned)
    # A PDF page is drawn at 300 dpi: A4 (595 x 842 points) is 2479 x 3508 pixels.
    assert (scanned[0].width, scanned[0].height) == (2479, 3508)


def test_an_archivist_s_correction_is_searched_and_kept_when_the_page_is_read_again(client):
    document = DocumentFactory(identifier="fix", language="en", summary="S.", text="")
    add_version(document, "original", "en", typed_page("The sarnovar was cold"), "p.png")
    ocr()
    page = VersionPage.objects.get()
    page.corrected_text = "The samovar was cold (corrected)"
    page.save()
    assert found(client, "corrected") == ["fix"]

    output = ocr("--document", "fix")

    assert "1 page(s) of fix will be read again." in output
    page.refresh_from_db()
    assert page.corrected_text == "The samovar was cold (corrected)"
    assert page.state == PageState.DONE and page.attempts == 1
    assert found(client, "corrected") == ["fix"]


def test_a_dry_run_says_what_waits_and_does_nothing():
    add_version(DocumentFactory(), "original", "en", typed_page("Waiting"), "p.png")
    assert ocr("--dry-run") == (
        "1 scan(s) wait for their pages, 0 page(s) to read, 0 failed; nothing was done (dry run).\n"
    )
    assert VersionPage.objects.count() == 0


def test_a_page_that_fails_is_reported_and_the_other_scans_go_on(settings):
    broken = add_version(
        DocumentFactory(identifier="b"), "original", "en", typed_page("x"), "p.png"
    )
    good = add_version(
        DocumentFactory(identifier="g"), "original", "en", typed_page("Good"), "g.png"
    )
    ocr()  # both get their pages
    VersionPage.objects.update(state=PageState.PENDING, attempts=0)
    broken.file.storage.delete(broken.file.name)  # the file is gone from storage

    work = pages_work()

    assert work.pages_done == 1 and len(work.pages_failed) == MAX_ATTEMPTS
    assert "the scan's file cannot be read from storage" in work.pages_failed[0]
    failed = VersionPage.objects.get(version=broken)
    assert failed.state == PageState.FAILED and failed.attempts == MAX_ATTEMPTS
    assert VersionPage.objects.get(version=good).state == PageState.DONE


def test_a_worker_killed_while_reading_a_page_leaves_it_to_the_next_one():
    add_version(DocumentFactory(), "original", "en", typed_page("Resumed"), "p.png")
    ocr("--limit", "0")  # pages made, none read
    page = VersionPage.objects.get()
    # As a killed worker leaves it: a try counted, claimed for a while, never finished.
    VersionPage.objects.filter(pk=page.pk).update(
        attempts=1, claimed_until=timezone.now() + timedelta(minutes=10)
    )
    assert pages_work().pages_done == 0  # still claimed by the dead worker
    VersionPage.objects.filter(pk=page.pk).update(claimed_until=timezone.now())
    assert pages_work().pages_done == 1
    page.refresh_from_db()
    assert (page.state, page.attempts) == (PageState.DONE, 2)
    assert "Resumed" in page.ocr_text


def test_a_new_file_gets_new_pages_and_a_removed_scan_takes_its_images_along(
    django_capture_on_commit_callbacks,
):
    from versions.contents import examine
    from versions.services import version_store_file

    document = DocumentFactory()
    version = add_version(document, "original", "en", typed_page("First"), "p.png")
    ocr()
    first = VersionPage.objects.get()
    first_image = page_image_path(first)
    replacement = typed_page("Second file")
    version_store_file(
        version,
        io.BytesIO(replacement),
        examine(io.BytesIO(replacement), "n.png", "original"),
        original_name="n.png",
    )
    version.save()
    with django_capture_on_commit_callbacks(execute=True):
        ocr()
    second = VersionPage.objects.get()
    assert second.pk != first.pk and "Second" in second.ocr_text
    assert not first_image.exists() and page_image_path(second).is_file()

    with django_capture_on_commit_callbacks(execute=True):
        version.delete()
    assert VersionPage.objects.count() == 0
    assert not page_image_path(second).parent.exists()


def test_lost_page_images_are_drawn_again_without_reading_the_pages_again():
    add_version(DocumentFactory(), "original", "en", typed_page("Restored"), "p.png")
    ocr()
    page = VersionPage.objects.get()
    page_image_path(page).unlink()  # as after restoring a backup without the page images
    read = page.processed

    assert ocr("--redraw") == "Drew the images of 1 page(s) again.\n"

    page.refresh_from_db()
    assert page_image_path(page).is_file() and page.processed == read
    assert ocr("--redraw") == "Drew the images of 0 page(s) again.\n"


def test_an_imported_scan_gets_its_pages_and_undoing_the_import_takes_them_away(
    tmp_path, write_batch, django_capture_on_commit_callbacks
):
    from importing.importer import documents_import, import_batch_undo

    (tmp_path / "scan.png").write_bytes(typed_page(RUSSIAN))
    record = {
        "identifier": "imported",
        "title": "A scanned record",
        "date": "1956",
        "language": "ru",
        "files": [{"kind": "original", "language": "ru", "path": "scan.png"}],
    }
    report = documents_import(paths=[write_batch("batch.jsonl", [record])])
    assert "1 page(s) read" in ocr()
    page = VersionPage.objects.get()
    image = page_image_path(page)
    assert image.is_file() and "Венгрии" in page.ocr_text

    with django_capture_on_commit_callbacks(execute=True):
        import_batch_undo(batch=report.batch)

    assert not VersionPage.objects.exists() and not image.exists()
