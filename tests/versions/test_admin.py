"""Archivists attach, order, replace and remove versions inline on a document (issue 9)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Document
from tests.versions.conftest import form_fields
from tests.versions.files import image, pdf
from versions.models import DocumentVersion, versions_storage

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"^versions/[0-9a-f]{32}\.(pdf|png|jpg|webp|txt)$")


@pytest.fixture
def document(seeded):
    return Document.objects.get(identifier="208559")


def change_url(document) -> str:
    return reverse("admin:documents_document_change", args=[document.pk])


def submit(client, document, forms: list[dict], *, initial: int = 0):
    """Post the document's change form with these version forms (as the browser sends them)."""
    url = change_url(document)
    data = form_fields(client.get(url).content, "document_form")
    data = {key: value for key, value in data.items() if "__prefix__" not in key}
    data["versions-TOTAL_FORMS"] = [str(len(forms))]
    data["versions-INITIAL_FORMS"] = [str(initial)]
    for number, fields in enumerate(forms):
        defaults = {"document": str(document.pk), "position": str(number), "text": ""}
        for key, value in {**defaults, **fields}.items():
            data[f"versions-{number}-{key}"] = value
    return client.post(url, data)


def test_the_archivist_group_may_manage_versions(db):
    codenames = set(
        Group.objects.get(name="Archivist").permissions.values_list("codename", flat=True)
    )
    for action in ("add", "change", "delete", "view"):
        assert f"{action}_documentversion" in codenames


def test_an_archivist_attaches_a_scan_and_a_translation(archivist_client, document):
    scan = SimpleUploadedFile(
        "Scan of 208559 (final).pdf", pdf("Protokol", "samovar"), "application/pdf"
    )
    response = submit(
        archivist_client,
        document,
        [
            {"kind": "original", "language": "Russian", "file": scan},
            {"kind": "translation", "language": "en", "text": "Record of a conversation."},
        ],
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    original, translation = DocumentVersion.objects.filter(document=document)
    assert (original.kind, original.language, original.position) == ("original", "ru", 0)
    assert GENERATED.match(original.file.name), original.file.name
    assert original.original_name == "Scan of 208559 (final).pdf"
    assert (original.page_count, original.content_type) == (2, "application/pdf")
    assert "samovar" in original.extracted_text
    assert original.thumbnail.name.startswith("versions/thumbnails/")
    assert versions_storage().exists(original.file.name)
    assert (translation.kind, translation.text, translation.file.name) == (
        "translation",
        "Record of a conversation.",
        "",
    )
    document.refresh_from_db()
    assert document.edited_at is not None  # an archivist's edit: imports and undo respect it
    page = archivist_client.get(change_url(document)).content.decode()
    assert original.thumbnail_url in page and original.download_url in page


@pytest.mark.parametrize(
    ("name", "data", "kind", "message"),
    [
        ("scan.pdf", image("PNG"), "original", "is named .pdf but holds a PNG image, not a PDF"),
        ("scan.tiff", b"II*\x00...", "original", "the extension .tiff"),
        ("notes.png", image("PNG"), "translation", "a translation must be plain text"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(
    archivist_client, document, name, data, kind, message
):
    before = (
        set(versions_storage().listdir("versions")[1])
        if versions_storage().exists("versions")
        else set()
    )
    upload = SimpleUploadedFile(name, data)
    response = submit(
        archivist_client, document, [{"kind": kind, "language": "ru", "file": upload}]
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DocumentVersion.objects.exists()
    after = (
        set(versions_storage().listdir("versions")[1])
        if versions_storage().exists("versions")
        else set()
    )
    assert after == before


def test_a_version_needs_a_file_or_text_and_a_scan_needs_a_file(archivist_client, document):
    response = submit(archivist_client, document, [{"kind": "translation", "language": "en"}])
    assert "Give the version a file, or type its text." in response.content.decode()
    response = submit(
        archivist_client, document, [{"kind": "original", "language": "ru", "text": "x"}]
    )
    assert "An original scan is a file" in response.content.decode()
    response = submit(
        archivist_client, document, [{"kind": "translation", "language": "Klingon", "text": "x"}]
    )
    assert "is not a language the archive knows" in response.content.decode()
    assert not DocumentVersion.objects.exists()


def test_replacing_a_file_removes_the_old_one_once_saved(
    archivist_client, document, django_capture_on_commit_callbacks
):
    first = SimpleUploadedFile("a.pdf", pdf("first"))
    submit(archivist_client, document, [{"kind": "original", "language": "ru", "file": first}])
    version = DocumentVersion.objects.get()
    old_file, old_thumbnail = version.file.name, version.thumbnail.name
    second = SimpleUploadedFile("b.jpg", image("JPEG"))
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            archivist_client,
            document,
            [{"id": str(version.pk), "kind": "original", "language": "ru", "file": second}],
            initial=1,
        )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.content_type == "image/jpeg" and version.file.name.endswith(".jpg")
    assert "first" not in version.extracted_text
    storage = versions_storage()
    assert storage.exists(version.file.name)
    assert not storage.exists(old_file) and not storage.exists(old_thumbnail)


def test_removing_a_version_removes_its_files(
    archivist_client, document, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("a.pdf", pdf("first"))
    submit(archivist_client, document, [{"kind": "original", "language": "ru", "file": upload}])
    version = DocumentVersion.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            archivist_client,
            document,
            [{"id": str(version.pk), "kind": "original", "language": "ru", "DELETE": "on"}],
            initial=1,
        )
    assert response.status_code == 302
    assert not DocumentVersion.objects.exists()
    assert not versions_storage().exists(version.file.name)


def test_versions_are_ordered_by_position(archivist_client, document):
    submit(
        archivist_client,
        document,
        [
            {"kind": "translation", "language": "en", "text": "English", "position": "2"},
            {"kind": "transcript", "language": "ru", "text": "Русский", "position": "1"},
        ],
    )
    assert [v.language for v in document.versions.all()] == ["ru", "en"]
