"""The researcher's workspace in a real browser (issue 22), in Russian: a new researcher
registers (the confirmation through a real SMTP server), saves documents to a folder from a
result list and from a document's page, writes a note, reorders, exports the folder as RIS
for Zotero, saves a search, and receives by e-mail the next matching document an import
publishes. Every page of it axe-clean; the folder usable at 360 px and without JavaScript,
in Chinese."""

import io
import json
import re

import pytest
import rispy
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from folders.models import Folder, FolderItem
from folders.services import folder_create, folder_document_add
from importing.importer import documents_import

from .conftest import assert_accessible

PHONE = {"width": 360, "height": 740}
PASSWORD = "correct horse battery staple"


def ru(text: str) -> str:
    """The interface's Russian for an English string (and proof it has one)."""
    with translation.override("ru"):
        translated = translation.gettext(text)
    assert translated != text, f"no Russian for {text!r}"
    return translated


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.get_content()).group(0)


@pytest.fixture
def mail(smtp_server, settings, live_server):
    settings.ARCHIVE_SITE_URL = live_server.url
    return smtp_server


def test_a_new_researcher_in_russian_keeps_exports_and_is_alerted(page, site, mail, tmp_path):
    # Register, from the sign-in link of a Russian page.
    page.goto(site + "/ru/")
    page.get_by_role("link", name=ru("Sign in")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ru("Sign in"))
    assert_accessible(page)
    page.get_by_role("link", name=ru("Make an account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ru("Make an account"))
    assert_accessible(page)
    page.fill("#id_username", "irina")
    page.fill("#id_email", "irina@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name=ru("Make the account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ru("Check your e-mail"))

    (confirmation,) = mail.messages
    assert confirmation.envelope_to == ["irina@example.org"]
    link = link_in(confirmation)
    assert link.startswith(site + "/ru/accounts/activate/?activation_key=")
    assert "Подтвердите" in confirmation["Subject"]  # written in the language registered in
    page.goto(link)
    page.get_by_role("button", name=ru("Confirm the account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ru("Account confirmed"))
    page.get_by_role("link", name=ru("Sign in")).last.click()
    page.fill("#id_username", "irina")
    page.fill("#id_password", PASSWORD)
    page.locator("main").get_by_role("button", name=ru("Sign in")).click()
    page.wait_for_url(site + "/ru/accounts/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ru("Your workspace"))
    assert_accessible(page)

    # Save the first result of a list to a new folder, the second from its own page.
    page.goto(site + "/ru/documents/?region=north-korea&sort=date")
    first = page.locator(".result").first
    first_title = first.locator(".result-title").inner_text()
    first.get_by_label(ru("Save to a new folder named")).fill("Корея, 1956")
    first.get_by_role("button", name=ru("Save")).click()
    expect(page.locator(".messages")).to_contain_text("Корея, 1956")
    assert "region=north-korea" in page.url
    assert_accessible(page)
    second = page.locator(".result").nth(1)
    second_title = second.locator(".result-title").inner_text()
    second.locator(".result-title a").click()
    page.locator(".keep").get_by_role("button", name=ru("Save")).click()
    expect(page.locator(".messages")).to_contain_text("Корея, 1956")
    assert_accessible(page)

    # The folder: a note, the order changed, then the export Zotero reads.
    page.goto(site + "/ru/folders/")
    page.get_by_role("link", name="Корея, 1956").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Корея, 1956")
    items = page.locator(".folder-item")
    expect(items).to_have_count(2)
    items.first.locator("textarea").fill("Сравнить с польской записью")
    items.first.get_by_role("button", name=ru("Save the note")).click()
    expect(page.locator(".messages")).to_contain_text(ru("Note saved."))
    page.locator(".folder-item").first.locator(".folder-item-actions button").first.click()
    expect(page.locator(".folder-item h2").first).to_have_text(second_title)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="RIS").click()
    path = tmp_path / "folder.ris"
    download.value.save_as(path)
    entries = rispy.load(io.StringIO(path.read_text(encoding="utf-8")))
    assert [e["title"] for e in entries] == [second_title, first_title]
    assert all(e["type_of_reference"] == "MANSCPT" for e in entries)
    assert FolderItem.objects.get(note="Сравнить с польской записью")

    # Save a search; the next import brings a document it matches.
    page.goto(site + "/ru/documents/?region=north-korea&q=Kim")
    page.get_by_label(ru("Save this search as")).fill("Ким Ир Сен и Корея")
    page.get_by_role("button", name=ru("Save, and e-mail me new documents")).click()
    expect(page.locator(".messages")).to_contain_text("Ким Ир Сен и Корея")
    batch = tmp_path / "batch.jsonl"
    record = {
        "identifier": "new-1970-01",
        "title": "Record of a Conversation with Kim Il Sung, January 1970",
        "date": "1970-01-12",
        "regions": ["East Asia > North Korea"],
        "summary": "A newly declassified record.",
    }
    batch.write_text(json.dumps(record) + "\n", encoding="utf-8")
    documents_import(paths=[batch])
    call_command("send_alerts", stdout=io.StringIO())

    alert = mail.messages[-1]
    assert alert.envelope_to == ["irina@example.org"]
    assert "Ким Ир Сен и Корея" in alert["Subject"]
    body = alert.get_content()
    assert "Record of a Conversation with Kim Il Sung, January 1970" in body
    assert site + "/ru/documents/new-1970-01/" in body
    assert ru("Stop these alerts:") in body
    page.goto(site + "/ru/documents/new-1970-01/")
    expect(page.get_by_role("heading", level=1)).to_have_text(record["title"])
    # Sent once: a second run has nothing new.
    call_command("send_alerts", stdout=io.StringIO())
    assert len(mail.messages) == 2


def _sign_in(page, site, username: str) -> None:
    page.goto(site + "/zh-hans/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main").locator("button[type=submit]").click()
    page.wait_for_url(site + "/zh-hans/accounts/")


def test_the_folder_in_chinese_at_360_px_and_without_javascript(new_page, site):
    from documents.models import Document

    user = User.objects.create_user("li", "li@example.org", PASSWORD)
    folder = folder_create(owner=user, name="朝鲜")
    for document in Document.objects.published().order_by("date")[:2]:
        folder_document_add(folder=folder, document=document)

    phone = new_page(viewport=PHONE)
    _sign_in(phone, site, "li")
    for path in ["/zh-hans/accounts/", "/zh-hans/folders/", f"/zh-hans/folders/{folder.pk}/"]:
        phone.goto(site + path)
        expect(phone.locator("html")).to_have_attribute("lang", "zh-Hans")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways at 360 px ({width} px)"
        assert_accessible(phone)

    # Without JavaScript every action is a form: a note, then sharing.
    page = new_page(viewport=PHONE, java_script_enabled=False)
    _sign_in(page, site, "li")
    page.goto(site + f"/zh-hans/folders/{folder.pk}/")
    page.locator(".folder-item").first.locator("textarea").fill("与波兰档案对照")
    page.locator(".folder-item").first.locator(".folder-note button").click()
    expect(page.locator(".messages")).to_be_visible()
    assert FolderItem.objects.filter(note="与波兰档案对照").exists()
    page.locator(".folder-share button").first.click()
    folder.refresh_from_db()
    assert folder.share_token
    expect(page.locator("#share-url")).to_have_value(re.compile(folder.share_token))

    shared = new_page(viewport=PHONE)
    shared.goto(site + f"/zh-hans/folders/shared/{folder.share_token}/")
    expect(shared.get_by_role("heading", level=1)).to_have_text("朝鲜")
    assert "与波兰档案对照" not in shared.content()
    assert_accessible(shared)
    assert Folder.objects.count() == 1
