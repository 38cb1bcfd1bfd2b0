"""Researchers view, switch and download versions; drafts' files stay private (issue 9)."""

import lxml.html
import pytest
from django.contrib.auth.models import Permission

from documents.models import Document, Status
from documents.services import documents_unpublish
from tests.factories import DocumentFactory
from tests.versions.files import add_version, image, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(db):
    document = DocumentFactory(identifier="avprf.1960:a_1", rights="Public domain.")
    return document


@pytest.fixture
def versions(document):
    translation = add_version(document, "translation", "en", pdf("Record of a talk"), "en.pdf")
    original = add_version(
        document, "original", "ru", pdf("Zapis besedy", "page 2"), "ru.pdf", position=1
    )
    transcript = add_version(
        document, "transcript", "ru", "Запись беседы".encode(), "ru.txt", position=2
    )
    scan = add_version(document, "original", "ru", image("JPEG"), "p.jpg", position=3)
    return {
        "translation": translation,
        "original": original,
        "transcript": transcript,
        "scan": scan,
    }


def page(client, document, **params):
    response = client.get(document.get_absolute_url(), params)
    assert response.status_code == 200
    return response, lxml.html.fromstring(response.content)


def shown(tree) -> list[str]:
    return [
        pane.get("data-version-pane")
        for pane in tree.xpath("//figure[@data-version-pane][not(@hidden)]")
    ]


def test_the_page_shows_the_translation_beside_the_original(client, document, versions):
    response, tree = page(client, document)
    translation, original = versions["translation"], versions["original"]
    assert shown(tree) == [str(translation.pk), str(original.pk)]
    main = tree.xpath("//figure[contains(@class, 'is-main')]")[0]
    assert main.xpath(".//iframe/@src") == [translation.file_url]
    beside = tree.xpath("//figure[contains(@class, 'is-beside')]")[0]
    assert beside.xpath(".//iframe/@src") == [original.file_url]
    text = response.content.decode()
    assert "PDF, 2 pages" in text
    assert "Rights:</strong> Public domain." in text


def test_every_version_is_a_plain_link(client, document, versions):
    _, tree = page(client, document)
    links = tree.xpath("//nav[contains(@class, 'viewer-choices')]//a/@href")
    assert links == [
        f"?version={v.pk}#viewer"
        for v in (
            versions["translation"],
            versions["original"],
            versions["scan"],
            versions["transcript"],
        )
    ]
    for version in versions.values():
        _, chosen = page(client, document, version=version.pk)
        main = chosen.xpath("//figure[contains(@class, 'is-main')]")[0]
        assert main.get("data-version-pane") == str(version.pk)
        assert chosen.xpath(f"//a[@data-version='{version.pk}'][@aria-current='true']")


def test_the_original_is_shown_beside_the_translation_and_a_transcript_as_text(
    client, document, versions
):
    _, tree = page(client, document, version=versions["original"].pk)
    assert shown(tree) == [str(versions["translation"].pk), str(versions["original"].pk)]
    _, tree = page(client, document, version=versions["transcript"].pk)
    transcript = tree.xpath(f"//figure[@data-version-pane='{versions['transcript'].pk}']")[0]
    assert transcript.xpath(".//div[@class='viewer-text'][@lang='ru']//text()") == ["Запись беседы"]
    _, tree = page(client, document, version=versions["scan"].pk)
    scan = tree.xpath(f"//figure[@data-version-pane='{versions['scan'].pk}']")[0]
    assert scan.xpath(".//img/@src") == [versions["scan"].file_url]


def test_a_nonsense_choice_shows_the_default(client, document, versions):
    for value in ("abc", "999999", "-1", ""):
        _, tree = page(client, document, version=value)
        assert shown(tree)[0] == str(versions["translation"].pk)


def test_downloads_show_thumbnails_sizes_and_the_rights(client, document, versions, settings):
    response, tree = page(client, document)
    downloads = tree.xpath("//section[contains(@class, 'downloads')]//li")
    assert len(downloads) == 4
    thumbnails = tree.xpath("//img[@class='download-thumbnail']/@src")
    assert versions["original"].thumbnail_url in thumbnails
    for link in tree.xpath("//section[@data-viewer]//a[@download]"):
        assert link.get("aria-describedby") == "rights-statement"
    document.rights = ""
    document.save()
    response, _ = page(client, document)
    assert settings.ARCHIVE_DEFAULT_RIGHTS in response.content.decode()


def test_a_document_without_versions_has_no_viewer(client, db):
    document = DocumentFactory()
    response, tree = page(client, document)
    assert not tree.xpath("//*[@data-viewer]")
    assert "viewer.js" not in response.content.decode()


def test_files_are_served_with_their_type_and_the_record_s_name(client, document, versions):
    original = versions["original"]
    response = client.get(original.file_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        response["Content-Disposition"]
        == f'inline; filename="avprf.1960_a_1-original-ru-{original.pk}.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    # Only the inline file may be framed, and only by the archive's own pages.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    download = client.get(original.download_url)
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Frame-Options"] == "DENY"
    transcript = client.get(versions["transcript"].download_url)
    assert transcript["Content-Type"] == "text/plain; charset=utf-8"
    thumbnail = client.get(original.thumbnail_url)
    assert thumbnail["Content-Type"] == "image/png"


def test_typed_text_downloads_as_a_text_file(client, document):
    from versions.models import DocumentVersion

    version = DocumentVersion.objects.create(
        document=document, kind="translation", language="en", text="Typed <b>text</b>"
    )
    response = client.get(version.download_url)
    assert response.content.decode() == "Typed <b>text</b>"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")


def draft_urls(versions) -> list[str]:
    return [
        url
        for v in versions.values()
        for url in (v.file_url, v.download_url, v.thumbnail_url)
        if url
    ]


def test_a_draft_s_files_are_never_served_to_the_public(
    client, document, versions, django_user_model
):
    documents_unpublish(documents=Document.objects.filter(pk=document.pk))
    urls = draft_urls(versions)
    for url in urls:
        assert client.get(url).status_code == 404, url
    # Staff without the right to see documents are the public here.
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    for url in urls:
        assert client.get(url).status_code == 404, url
    clerk.user_permissions.add(Permission.objects.get(codename="view_document"))
    clerk = django_user_model.objects.get(pk=clerk.pk)
    client.force_login(clerk)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store"


def test_guessed_urls_find_nothing(client, document, versions):
    other = DocumentFactory(identifier="other")
    hidden = DocumentFactory(identifier="hidden", status=Status.DRAFT)
    secret = add_version(hidden, "original", "ru", pdf("secret"), "s.pdf")
    original = versions["original"]
    for url in (
        f"/documents/other/versions/{original.pk}/file",  # the right id under another record
        f"/documents/{document.identifier}/versions/{secret.pk}/file",  # a draft's id
        f"/documents/hidden/versions/{secret.pk}/file",
        f"/documents/hidden/versions/{secret.pk}/download",
        f"/documents/hidden/versions/{secret.pk}/thumbnail.png",
        f"/documents/{document.identifier}/versions/999999/file",
        f"/documents/{document.identifier}/versions/{versions['transcript'].pk}/thumbnail.png",
    ):
        assert client.get(url).status_code == 404, url
    assert other.versions.count() == 0
    assert client.post(original.file_url).status_code == 405


def test_a_draft_page_previewed_by_an_archivist_shows_its_viewer(
    archivist_client, document, versions
):
    documents_unpublish(documents=Document.objects.filter(pk=document.pk))
    response = archivist_client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert archivist_client.get(versions["original"].file_url).status_code == 200


def test_the_viewer_keeps_to_the_strict_content_security_policy(client, document, versions):
    response, tree = page(client, document, version=versions["scan"].pk)
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "frame-src 'self'" in policy
    assert "object-src 'none'" in policy
    for script in tree.iter("script"):
        assert script.get("src") or script.get("type") == "application/ld+json"
    assert not tree.xpath("//style | //*[@style]")
    assert not [a for el in tree.iter() for a in el.attrib if a.lower().startswith("on")]
    for link in tree.xpath("//iframe/@src | //iframe/@data-src | //img/@src | //img/@data-src"):
        assert link.startswith("/documents/") and not link.startswith("//"), link
