"""Researchers' accounts (issue 22): registration confirmed by e-mail (through a real SMTP
server), sign-in and password reset by Django's own views, throttling, a researcher's data
to download, and the account deleted with everything in it."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from alerts.models import SavedSearch
from folders.models import Folder, FolderItem
from folders.services import folder_create, folder_document_add
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def register(client, username="ada", email="ada@example.org", password=PASSWORD):
    return client.post(
        "/accounts/register/",
        {"username": username, "email": email, "password1": password, "password2": password},
    )


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.get_content()).group(0)


def test_registration_is_confirmed_by_an_emailed_link(smtp_server):
    client = Client()
    assert "Make an account" in client.get("/accounts/register/").content.decode()

    response = register(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/register/complete/"
    user = User.objects.get(username="ada")
    assert user.is_active is False
    refused = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert refused.status_code == 200  # the form again: an inactive account cannot sign in
    (message,) = smtp_server.messages
    assert message.envelope_to == ["ada@example.org"]
    assert message["Subject"].strip() == "Confirm your account at the Cold War Digital Archive"
    link = link_in(message)
    assert link.startswith("http://testserver/accounts/activate/?activation_key=")

    # Following the link shows a form (a mail scanner's GET activates nothing) …
    path = link.removeprefix("http://testserver")
    client.get(path)
    user.refresh_from_db()
    assert user.is_active is False
    key = path.split("activation_key=", 1)[1]
    # … which, sent, activates the account.
    done = client.post("/accounts/activate/", {"activation_key": key})
    assert done["Location"] == "/accounts/activate/complete/"
    user.refresh_from_db()
    assert user.is_active is True

    signed_in = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert signed_in["Location"] == "/accounts/"
    assert "Signed in as ada (ada@example.org)." in client.get("/accounts/").content.decode()


def test_a_tampered_activation_key_activates_nothing(smtp_server):
    register(Client())
    key = link_in(smtp_server.messages[0]).split("activation_key=", 1)[1]

    page = Client().post("/accounts/activate/", {"activation_key": key[:-2] + "xx"})

    assert page.status_code == 200
    assert User.objects.get(username="ada").is_active is False


def test_one_account_an_address_and_passwords_checked(smtp_server):
    register(Client())
    again = register(Client(), username="ada2", email="ADA@example.org")
    weak = register(Client(), username="bob", email="bob@example.org", password="12345678")
    reserved = register(Client(), username="admin", email="root@example.org")

    assert "An account with this e-mail address already exists." in again.content.decode()
    assert "This password is too common." in weak.content.decode()
    assert "This name is reserved and cannot be registered." in reserved.content.decode()
    assert User.objects.count() == 1
    assert len(smtp_server.messages) == 1


def test_password_reset_by_emailed_link(smtp_server):
    user = User.objects.create_user("ada", "ada@example.org", PASSWORD)
    client = Client()

    client.post("/accounts/password_reset/", {"email": "ada@example.org"})
    (message,) = smtp_server.messages
    assert message["Subject"].strip() == "A new password for the Cold War Digital Archive"
    path = link_in(message).removeprefix("http://testserver")
    form = client.get(path, follow=True)
    new = "an entirely different passphrase"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})

    user.refresh_from_db()
    assert user.check_password(new)
    # An unknown address says the same and sends nothing.
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert unknown["Location"] == "/accounts/password_reset/done/"
    assert len(smtp_server.messages) == 1


def test_registration_and_reset_are_rate_limited(settings, smtp_server):
    settings.ARCHIVE_RATE_LIMITS = {**settings.ARCHIVE_RATE_LIMITS, "accounts": "2/m"}
    cache.clear()
    client = Client()

    answers = [
        register(client, username=f"u{n}", email=f"u{n}@example.org").status_code for n in range(4)
    ]

    assert answers == [302, 302, 429, 429]
    assert client.get("/accounts/register/").status_code == 200  # reading is not counted
    assert User.objects.count() == 2


def test_failed_sign_ins_lock_out_like_the_admins(settings):
    settings.AXES_FAILURE_LIMIT = 3
    User.objects.create_user("ada", "ada@example.org", PASSWORD)
    client = Client()

    answers = [
        client.post("/accounts/login/", {"username": "ada", "password": "wrong"}).status_code
        for _ in range(3)
    ]
    locked = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})

    assert answers[:2] == [200, 200]
    assert locked.status_code == 429


def test_sign_out_is_a_post():
    user = User.objects.create_user("ada", "ada@example.org", PASSWORD)
    client = Client()
    client.force_login(user)

    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/")["Location"] == "/"
    assert client.get("/accounts/").status_code == 302


@pytest.fixture
def ada_with_data(db):
    user = User.objects.create_user("ada", "ada@example.org", PASSWORD)
    folder = folder_create(owner=user, name="Korea")
    item, _ = folder_document_add(folder=folder, document=DocumentFactory(identifier="doc-1"))
    item.note = "Compare with the Polish record."
    item.save()
    SavedSearch.objects.create(owner=user, name="Mikoyan", query="q=Mikoyan")
    bob = User.objects.create_user("bob", "bob@example.org", PASSWORD)
    folder_create(owner=bob, name="Bob's secret folder")
    SavedSearch.objects.create(owner=bob, name="Bob's search")
    return user


def test_a_researcher_downloads_all_their_data(ada_with_data):
    client = Client()
    client.force_login(ada_with_data)

    response = client.get("/accounts/data.json")
    data = json.loads(response.content)

    assert response["Content-Disposition"].startswith('attachment; filename="my-archive-data-')
    assert data["account"]["username"] == "ada"
    assert data["account"]["email"] == "ada@example.org"
    (folder,) = data["folders"]
    assert folder["name"] == "Korea"
    assert folder["documents"][0]["identifier"] == "doc-1"
    assert folder["documents"][0]["note"] == "Compare with the Polish record."
    assert [s["name"] for s in data["saved_searches"]] == ["Mikoyan"]
    assert data["saved_searches"][0]["list"] == "/documents/?q=Mikoyan"
    assert "Bob" not in response.content.decode()


def test_deleting_the_account_takes_everything_of_it(ada_with_data):
    client = Client()
    client.force_login(ada_with_data)

    wrong = client.post("/accounts/delete/", {"password": "not it"})
    assert "That is not your password." in wrong.content.decode()
    assert User.objects.filter(username="ada").exists()

    done = client.post("/accounts/delete/", {"password": PASSWORD})

    assert done["Location"] == "/"
    assert not User.objects.filter(username="ada").exists()
    assert list(Folder.objects.values_list("name", flat=True)) == ["Bob's secret folder"]
    assert not FolderItem.objects.exists()
    assert list(SavedSearch.objects.values_list("name", flat=True)) == ["Bob's search"]
    assert client.get("/accounts/").status_code == 302


def test_staff_accounts_are_not_deleted_from_the_public_side():
    archivist = User.objects.create_user("arch", "arch@example.org", PASSWORD, is_staff=True)
    client = Client()
    client.force_login(archivist)

    client.post("/accounts/delete/", {"password": PASSWORD})

    assert User.objects.filter(pk=archivist.pk).exists()


def test_no_account_is_needed_to_read(db):
    DocumentFactory(identifier="doc-1")
    client = Client()
    for url in ["/", "/documents/", "/documents/doc-1/", "/data/"]:
        assert client.get(url).status_code == 200, url
    page = client.get("/documents/doc-1/").content.decode()
    assert "Sign in to save this document to a folder" in page
