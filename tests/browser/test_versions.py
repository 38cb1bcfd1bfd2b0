"""The document viewer in a browser: switching versions in place, the same without
JavaScript, a phone, and accessibility (issue 9)."""

import re

import pytest
from playwright.sync_api import expect

from documents.models import Document
from tests.browser.conftest import assert_accessible
from tests.versions.files import add_version, image, pdf

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def document_url(site) -> str:
    document = Document.objects.get(identifier="208559")
    add_version(document, "translation", "en", pdf("Record of a conversation."), "en.pdf")
    add_version(document, "original", "ru", pdf("Zapis besedy"), "ru.pdf", position=1)
    add_version(document, "original", "ru", image("JPEG"), "p1.jpg", position=2)
    add_version(document, "transcript", "ru", "Запись беседы.".encode(), "ru.txt", position=3)
    return f"{site}/documents/208559/"


def panes(page):
    return page.locator("figure.viewer-pane:visible")


def test_switch_versions_in_place(page, document_url, screenshot):
    page.goto(document_url)
    expect(panes(page)).to_have_count(2)
    expect(page.locator("figure.is-main .viewer-title")).to_have_text("Translation (English)")
    expect(page.locator("figure.is-beside .viewer-title")).to_have_text("Original scan (Russian)")
    before = page.evaluate("performance.getEntriesByType('navigation').length")
    page.locator(".viewer-choices").get_by_role("link", name="Russian transcript").click()
    expect(page.locator("figure.is-main .viewer-title")).to_have_text("Transcript (Russian)")
    expect(page.locator("figure.is-main .viewer-text")).to_have_text("Запись беседы.")
    expect(page).to_have_url(re.compile(r"\?version=\d+#viewer$"))
    assert page.evaluate("performance.getEntriesByType('navigation').length") == before
    page.locator(".viewer-choices").get_by_role("link", name="Russian original scan").nth(1).click()
    image = page.locator("figure.is-main img.viewer-image")
    expect(image).to_be_visible()
    # Visible is not loaded yet: wait (bounded) until the browser has decoded the image.
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=10000
    )
    expect(page.locator("figure.is-beside .viewer-title")).to_have_text("Translation (English)")
    screenshot(page, "document-viewer")
    assert_accessible(page)


def test_without_javascript_every_version_is_a_link(new_page, document_url):
    page = new_page(java_script_enabled=False)
    page.goto(document_url)
    page.locator(".viewer-choices").get_by_role("link", name="Russian transcript").click()
    expect(page).to_have_url(re.compile(r"\?version=\d+#viewer$"))
    expect(page.locator("figure.is-main .viewer-title")).to_have_text("Transcript (Russian)")
    with page.expect_download() as download:
        page.locator("figure.is-main").get_by_role("link", name=re.compile("^Download")).click()
    assert download.value.suggested_filename.startswith("208559-transcript-ru-")


def test_one_version_at_a_time_on_a_phone(new_page, document_url):
    page = new_page(viewport={"width": 360, "height": 740})
    page.goto(document_url)
    expect(panes(page)).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
