"""Scans as a digital library serves them, in a browser (issue 23): a typed Russian page
imported in a batch is read by OCR, found by a Russian word on it, and the result opens with
the word boxed on the page image, zoomable with OpenSeadragon over the IIIF tiles; the same
page works without JavaScript and on a phone, and is accessible."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.versions.files import typed_page

pytestmark = pytest.mark.django_db(transaction=True)

PAGE_TEXT = "Совершенно секретно\nЗапись беседы с послом\nо положении в Венгрии"


@pytest.fixture
def imported(live_server, tmp_path):
    (tmp_path / "scan.png").write_bytes(typed_page(PAGE_TEXT))
    record = {
        "identifier": "hu-1956",
        "title": "Record of a conversation with the ambassador",
        "date": "1956-10-24",
        "language": "ru",
        "summary": "The ambassador reports on the situation.",
        "files": [{"kind": "original", "language": "ru", "path": "scan.png"}],
    }
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("import_documents", str(batch), stdout=io.StringIO())
    call_command("ocr_versions", stdout=io.StringIO())
    return live_server.url


def console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    return errors


def test_a_word_on_a_scanned_page_is_found_boxed_and_zoomable(page, imported, screenshot):
    errors = console_errors(page)
    page.goto(f"{imported}/documents/?q=Венгрии")
    result = page.locator(".result-title a")
    expect(result).to_have_text("Record of a conversation with the ambassador")
    expect(page.locator(".snippet-source")).to_have_text("In the scan, read by OCR:")
    result.click()

    expect(page.locator(".search-inside-summary")).to_have_text(
        "“Венгрии”: 1 match on 1 page (page 1)."
    )
    figure = page.locator("figure.page-hits")
    image = figure.locator("img")
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth === 900", arg=image.element_handle()
    )
    box = figure.locator("svg.hit-boxes rect")
    expect(box).to_have_count(1)
    drawn = box.bounding_box()
    shown = image.bounding_box()
    assert drawn and shown and shown["x"] < drawn["x"] < shown["x"] + shown["width"]
    assert drawn["width"] > 20 and drawn["height"] > 5

    zoom = figure.get_by_role("button", name="Zoom into page 1")
    zoom.click()
    expect(zoom).to_have_attribute("aria-expanded", "true")
    viewer = page.locator("#" + zoom.get_attribute("aria-controls"))
    expect(viewer.locator("canvas").first).to_be_visible()
    expect(viewer.locator(".zoom-hit")).to_be_visible()
    # OpenSeadragon asked for tiles (images beyond the one of the page with its boxes).
    page.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        ".filter((entry) => /[/]iiif[/]image[/].+[.]jpg$/.test(entry.name)).length > 1"
    )
    screenshot(page, "scan-search-inside")
    assert_accessible(page)

    # The whole scan zooms too, page by page, from the document's IIIF manifest.
    scan_zoom = page.locator(".viewer-pane").get_by_role(
        "button", name="Zoom into the pages of the original scan (russian)"
    )
    scan_zoom.click()
    expect(
        page.locator("#" + scan_zoom.get_attribute("aria-controls")).locator("canvas").first
    ).to_be_visible()
    assert errors == [], "\n".join(errors)


def test_without_javascript_the_boxes_are_there_and_no_zoom_is_offered(new_page, imported):
    page = new_page(java_script_enabled=False)
    page.goto(f"{imported}/documents/hu-1956/")
    page.get_by_label("Words on the pages").fill("секретно")
    page.get_by_role("button", name="Find on the pages").click()
    expect(page.locator(".search-inside-summary")).to_have_text(
        "“секретно”: 1 match on 1 page (page 1)."
    )
    expect(page.locator("svg.hit-boxes rect")).to_have_count(1)
    expect(page.get_by_role("button", name="Zoom into page 1")).to_be_hidden()
    link = page.get_by_role("link", name="IIIF manifest")
    assert link.get_attribute("href").startswith("/iiif/documents/hu-1956/manifest?manifest=http")


def test_on_a_phone_the_page_with_its_boxes_fits(new_page, imported):
    page = new_page(viewport={"width": 360, "height": 740})
    page.goto(f"{imported}/documents/hu-1956/?inside=Венгрии")
    expect(page.locator("svg.hit-boxes rect")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
