"""Archivists and the pages of scans in the admin: what OCR read, corrected and searched, the
failed pages with their reasons, and "Read again" (issue 23)."""

import io

import pytest
from django.core.management import call_command

from tests.factories import DocumentFactory
from tests.versions.conftest import form_fields
from tests.versions.files import add_version, typed_page
from versions.models import PageState, VersionPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(db):
    document = DocumentFactory(identifier="typed-1", language="en", summary="S.", text="")
    add_version(document, "original", "en", typed_page("The sarnovar was cold"), "p.png")
    call_command("ocr_versions", stdout=io.StringIO(), stderr=io.StringIO())
    return VersionPage.objects.get()


def test_an_archivist_corrects_what_ocr_read_and_the_correction_is_searched(
    archivist_client, client, page
):
    url = f"/admin/versions/versionpage/{page.pk}/change/"
    form = archivist_client.get(url)
    assert form.status_code == 200
    html = form.content.decode()
    assert f"/iiif/image/{page.image_id}/full/!400,400/0/default.jpg" in html
    assert "sarnovar" in html  # the text read, shown beside the correction
    fields = form_fields(form.content, "versionpage_form")
    fields["corrected_text"] = ["The samovar was cold"]

    saved = archivist_client.post(url, fields)

    assert saved.status_code == 302
    page.refresh_from_db()
    assert page.corrected_text == "The samovar was cold" and "sarnovar" in page.ocr_text
    found = client.get("/documents/", {"q": "samovar"}).context["documents"]
    assert [document.identifier for document in found] == ["typed-1"]


def test_the_list_finds_a_record_s_pages_and_reads_them_again(archivist_client, page):
    listed = archivist_client.get("/admin/versions/versionpage/", {"q": "typed-1"})
    assert listed.status_code == 200 and "Page 1 of Original scan (English) of typed-1" in (
        listed.content.decode()
    )
    assert (
        archivist_client.get("/admin/versions/versionpage/", {"q": "other"})
        .context["cl"]
        .result_count
        == 0
    )
    done = archivist_client.post(
        "/admin/versions/versionpage/",
        {"action": "read_again", "_selected_action": [page.pk]},
        follow=True,
    )
    assert "1 page(s) will be read again" in done.content.decode()
    page.refresh_from_db()
    assert page.state == PageState.PENDING and page.attempts == 0
    # The document's form says how far its scan's pages are.
    document_form = archivist_client.get(
        f"/admin/documents/document/{page.version.document_id}/change/"
    )
    assert "Pages: 0 ready, 1 waiting, 0 failed" in document_form.content.decode()


def test_pages_are_neither_added_nor_deleted_by_hand(archivist_client, page):
    assert archivist_client.get("/admin/versions/versionpage/add/").status_code == 403
    assert archivist_client.get(f"/admin/versions/versionpage/{page.pk}/delete/").status_code == 403
