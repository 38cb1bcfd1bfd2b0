"""Researchers' folders (issue 22): saving documents with notes, order, sharing by a secret
link, exports, and nobody else's folder ever reachable."""

import io

import pytest
import rispy
from django.contrib.auth.models import User
from django.test import Client

from documents.models import Document, Status
from folders.models import Folder, FolderItem
from folders.services import folder_create, folder_document_add
from tests.factories import DocumentFactory, PersonFactory
from tests.researchers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(db):
    return User.objects.create_user("bob", "bob@example.org", "a long passphrase 2")


@pytest.fixture
def documents(db):
    person = PersonFactory(name="Anastas Mikoyan")
    return [
        DocumentFactory(identifier="doc-a", title="Telegram A", people=[person]),
        DocumentFactory(identifier="doc-b", title="Telegram B"),
        DocumentFactory(identifier="doc-c", title="Telegram C"),
    ]


def test_saving_from_a_document_page_makes_a_folder_and_keeps_the_document(researcher, documents):
    client = signed_in(researcher)
    page = client.get("/documents/doc-a/").content.decode()
    assert 'action="/folders/save/"' in page

    response = client.post(
        "/folders/save/",
        {"document": "doc-a", "new_folder": "  Mikoyan   in Korea ", "next": "/documents/doc-a/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/documents/doc-a/"
    folder = Folder.objects.get(owner=researcher)
    assert folder.name == "Mikoyan in Korea"
    assert [i.document.identifier for i in folder.items.all()] == ["doc-a"]
    followed = client.get("/documents/doc-a/").content.decode()
    assert "Saved to “Mikoyan in Korea”." in followed


def test_saving_twice_keeps_one_and_says_so(researcher, documents):
    client = signed_in(researcher)
    folder = folder_create(owner=researcher, name="Korea")
    client.post("/folders/save/", {"document": "doc-b", "folder": folder.pk})

    client.post("/folders/save/", {"document": "doc-b", "folder": folder.pk})

    assert folder.items.count() == 1
    assert "Already in “Korea”." in client.get("/folders/").content.decode()


def test_saving_from_a_result_list_returns_to_the_result(researcher, documents):
    client = signed_in(researcher)
    folder = folder_create(owner=researcher, name="Korea")
    listing = client.get("/documents/?q=telegram").content.decode()
    assert 'id="folder-doc-c"' in listing

    response = client.post(
        "/folders/save/",
        {"document": "doc-c", "folder": folder.pk, "next": "/documents/?q=telegram#result-doc-c"},
    )

    assert response["Location"] == "/documents/?q=telegram#result-doc-c"
    assert folder.items.get().document.identifier == "doc-c"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_next_never_leaves_the_site(researcher, documents, target):
    client = signed_in(researcher)
    response = client.post(
        "/folders/save/", {"document": "doc-a", "new_folder": "K", "next": target}
    )
    assert response["Location"] == "/documents/doc-a/"


def test_a_draft_or_unknown_document_cannot_be_saved(researcher, documents):
    DocumentFactory(identifier="held", status=Status.DRAFT)
    client = signed_in(researcher)

    for identifier in ("held", "nothing-like-it"):
        response = client.post("/folders/save/", {"document": identifier, "new_folder": "X"})
        assert response.status_code == 404
    assert not Folder.objects.exists()


def test_bad_folder_names_are_refused_with_a_reason(researcher, documents):
    client = signed_in(researcher)
    folder_create(owner=researcher, name="Korea")

    client.post("/folders/new/", {"name": "   "})
    client.post("/folders/new/", {"name": "Korea"})
    client.post("/folders/new/", {"name": "x" * 201})
    page = client.get("/folders/").content.decode()

    assert "Give the folder a name." in page
    assert "You already have a folder named “Korea”." in page
    assert "A folder&#x27;s name has at most 200 characters." in page
    assert Folder.objects.count() == 1


def test_notes_order_and_removal(researcher, documents):
    client = signed_in(researcher)
    folder = folder_create(owner=researcher, name="Korea")
    items = [folder_document_add(folder=folder, document=d)[0] for d in documents]

    client.post(f"/folders/{folder.pk}/items/{items[1].pk}/note/", {"note": " Cf. AVPRF. "})
    client.post(f"/folders/{folder.pk}/items/{items[2].pk}/move/", {"direction": "up"})
    client.post(f"/folders/{folder.pk}/items/{items[0].pk}/move/", {"direction": "up"})
    order = list(folder.items.order_by("position").values_list("document__identifier", flat=True))
    client.post(f"/folders/{folder.pk}/items/{items[0].pk}/remove/")

    assert FolderItem.objects.get(pk=items[1].pk).note == "Cf. AVPRF."
    assert order == ["doc-a", "doc-c", "doc-b"]  # the first one stays first
    page = client.get(folder.get_absolute_url()).content.decode()
    assert page.index("Telegram C") < page.index("Telegram B")
    assert "Telegram A" not in page
    assert "Cf. AVPRF." in page


def test_a_document_no_longer_public_is_counted_not_shown(researcher, documents):
    folder = folder_create(owner=researcher, name="Korea")
    for document in documents:
        folder_document_add(folder=folder, document=document)
    Document.objects.filter(identifier="doc-b").update(status=Status.DRAFT)

    page = signed_in(researcher).get(folder.get_absolute_url()).content.decode()

    assert "Telegram B" not in page
    assert "1 document you saved here is no longer public and is not shown." in page


def test_the_folder_page_reads_in_a_fixed_number_of_queries(
    researcher, documents, django_assert_max_num_queries
):
    folder = folder_create(owner=researcher, name="Korea")
    for document in documents:
        folder_document_add(folder=folder, document=document)
    client = signed_in(researcher)
    client.get(folder.get_absolute_url())
    for n in range(10):
        folder_document_add(folder=folder, document=DocumentFactory(identifier=f"more-{n}"))

    with django_assert_max_num_queries(12):
        assert client.get(folder.get_absolute_url()).status_code == 200


def test_sharing_by_a_secret_link_shows_documents_not_notes_and_can_be_revoked(
    researcher, documents
):
    client = signed_in(researcher)
    folder = folder_create(owner=researcher, name="Korea")
    item, _ = folder_document_add(folder=folder, document=documents[0])
    item.note = "My private thought"
    item.save()

    client.post(f"/folders/{folder.pk}/share/")
    folder.refresh_from_db()
    first = folder.share_token
    shared = Client().get(f"/folders/shared/{first}/")

    assert len(first) == 43
    assert shared.status_code == 200
    assert "Telegram A" in shared.content.decode()
    assert "My private thought" not in shared.content.decode()
    assert shared["X-Robots-Tag"] == "noindex"
    assert shared["Referrer-Policy"] == "no-referrer"

    client.post(f"/folders/{folder.pk}/share/")  # a new link: the old one stops working
    folder.refresh_from_db()
    assert Client().get(f"/folders/shared/{first}/").status_code == 404
    assert Client().get(f"/folders/shared/{folder.share_token}/").status_code == 200

    client.post(f"/folders/{folder.pk}/unshare/")
    assert Client().get(f"/folders/shared/{folder.share_token}/").status_code == 404
    folder.refresh_from_db()
    assert folder.share_token == ""
    assert Client().get("/folders/shared/" + "x" * 43 + "/").status_code == 404


def test_a_folder_exports_as_zotero_ready_ris_and_every_format(researcher, documents):
    client = signed_in(researcher)
    folder = folder_create(owner=researcher, name="Korea")
    for document in reversed(documents):
        folder_document_add(folder=folder, document=document)

    response = client.get(f"/folders/{folder.pk}/export.ris")
    entries = rispy.load(io.StringIO(b"".join(response.streaming_content).decode()))

    assert response["Content-Disposition"] == f'attachment; filename="folder-{folder.pk}.ris"'
    assert [e["title"] for e in entries] == ["Telegram C", "Telegram B", "Telegram A"]
    assert [e["type_of_reference"] for e in entries] == ["MANSCPT"] * 3
    assert entries[2]["keywords"] == ["Anastas Mikoyan"]  # a participant, not an author
    assert entries[2]["date"] == "1960/08/18/"
    assert all(e["urls"][0].startswith("http://testserver/documents/doc-") for e in entries)
    for fmt, media in [
        ("bib", "application/x-bibtex"),
        ("csl.json", "application/vnd.citationstyles.csl+json"),
        ("csv", "text/csv"),
        ("jsonl", "application/x-ndjson"),
    ]:
        response = client.get(f"/folders/{folder.pk}/export.{fmt}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith(media), fmt
    folder.share_token = "s" * 43
    folder.save()
    shared = Client().get(f"/folders/shared/{'s' * 43}/export.ris")
    assert len(rispy.load(io.StringIO(b"".join(shared.streaming_content).decode()))) == 3


def test_nobody_reaches_anothers_folder(researcher, other, documents):
    folder = folder_create(owner=researcher, name="Korea")
    item, _ = folder_document_add(folder=folder, document=documents[0])
    item.note = "Private"
    item.save()
    intruder = signed_in(other)
    base = f"/folders/{folder.pk}"

    for url in [f"{base}/", f"{base}/export.ris", f"{base}/export.csv"]:
        assert intruder.get(url).status_code == 404, url
    for url, data in [
        (f"{base}/rename/", {"name": "Mine now"}),
        (f"{base}/share/", {}),
        (f"{base}/unshare/", {}),
        (f"{base}/items/{item.pk}/note/", {"note": "overwritten"}),
        (f"{base}/items/{item.pk}/move/", {"direction": "down"}),
        (f"{base}/items/{item.pk}/remove/", {}),
        ("/folders/save/", {"document": "doc-b", "folder": folder.pk}),
        (f"{base}/delete/", {}),
    ]:
        assert intruder.post(url, data).status_code == 404, url
    assert "Korea" not in intruder.get("/folders/").content.decode()

    folder.refresh_from_db()
    item.refresh_from_db()
    assert (folder.name, folder.share_token, item.note) == ("Korea", "", "Private")
    assert [i.document_id for i in folder.items.all()] == [documents[0].pk]


def test_signed_out_visitors_are_sent_to_sign_in(researcher, documents):
    folder = folder_create(owner=researcher, name="Korea")

    for url in ["/folders/", f"/folders/{folder.pk}/", f"/folders/{folder.pk}/export.ris"]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert Client().post("/folders/save/", {"document": "doc-a"}).status_code == 302
    assert not FolderItem.objects.exists()


def test_every_form_needs_its_csrf_token(researcher, documents):
    client = Client(enforce_csrf_checks=True)
    client.force_login(researcher)
    folder = folder_create(owner=researcher, name="Korea")

    for url, data in [
        ("/folders/new/", {"name": "X"}),
        ("/folders/save/", {"document": "doc-a", "folder": folder.pk}),
        (f"/folders/{folder.pk}/share/", {}),
        (f"/folders/{folder.pk}/delete/", {}),
        ("/searches/save/", {"list": "/documents/", "query": "q=x", "name": "x"}),
        ("/accounts/delete/", {"password": "a long passphrase 1"}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert Folder.objects.count() == 1
    assert not folder.items.exists()


def test_folder_actions_are_rate_limited(researcher, documents, settings):
    settings.ARCHIVE_RATE_LIMITS = {**settings.ARCHIVE_RATE_LIMITS, "workspace": "3/m"}
    from django.core.cache import cache

    cache.clear()
    client = signed_in(researcher)
    answers = [client.post("/folders/new/", {"name": f"F{n}"}).status_code for n in range(5)]
    # Reading is not counted.
    assert client.get("/folders/").status_code == 200

    assert answers == [302, 302, 302, 429, 429]
    assert Folder.objects.count() == 3


def test_a_new_folder_named_like_an_existing_one_saves_into_it(researcher, documents):
    client = signed_in(researcher)
    folder = folder_create(owner=researcher, name="Korea")

    client.post("/folders/save/", {"document": "doc-a", "new_folder": " Korea "})

    assert Folder.objects.count() == 1
    assert folder.items.get().document.identifier == "doc-a"
