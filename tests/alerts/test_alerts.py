"""Saved searches and their alerts (issue 22), sent through a real SMTP server (aiosmtpd on
loopback): the new documents a search matches, once; never a draft; a search that no longer
works is reported to its owner; one-click unsubscribe."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from alerts.models import AlertDelivery, SavedSearch
from documents.models import Document, Region
from documents.services import documents_publish, documents_unpublish
from search.indexing import ensure_current
from search.models import OutboxEntry
from tests.factories import DocumentFactory, PersonFactory, RegionFactory
from tests.researchers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def korea(db):
    return RegionFactory(name="Korea", slug="korea")


def send() -> str:
    out = io.StringIO()
    call_command("send_alerts", stdout=out)
    return out.getvalue()


def save(client, list_path: str, query: str, name: str = "Korea telegrams"):
    return client.post("/searches/save/", {"list": list_path, "query": query, "name": name})


def later(minutes: int = 1):
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_saving_the_list_on_screen_keeps_its_scope_and_filters(researcher, korea):
    person = PersonFactory(name="Kim Il Sung", slug="kim-il-sung")
    DocumentFactory(people=[person])
    client = signed_in(researcher)
    page = client.get("/people/kim-il-sung/?region=korea&q=telegram&page=1").content.decode()
    assert 'action="/searches/save/"' in page

    response = save(client, "/people/kim-il-sung/", "region=korea&q=telegram&page=1&sort=date")

    saved = SavedSearch.objects.get(owner=researcher)
    assert (saved.scope_kind, saved.scope_slug) == ("person", "kim-il-sung")
    assert saved.query == "q=telegram&region=korea&sort=date"  # all but its page
    assert saved.language.startswith("en")  # the interface language it was saved in
    assert response["Location"] == "/people/kim-il-sung/?q=telegram&region=korea&sort=date"
    workspace = client.get("/accounts/").content.decode()
    assert "Korea telegrams" in workspace


def test_a_search_with_a_mistake_or_of_no_list_is_not_saved(researcher):
    client = signed_in(researcher)

    save(client, "/documents/", "date_from=not-a-date")
    save(client, "/accounts/", "q=x", name="Other")
    page = client.get("/accounts/").content.decode()

    assert not SavedSearch.objects.exists()
    assert "This search has a mistake in it; correct it first." in page
    assert "Only a list of documents can be saved as a search." in page


def test_the_next_matching_document_is_emailed_once_with_its_link(
    researcher, korea, smtp_server, settings
):
    settings.ARCHIVE_SITE_URL = "https://archive.example.org"
    DocumentFactory(identifier="old", title="Old telegram", regions=[korea])
    save(signed_in(researcher), "/documents/", "region=korea&q=telegram")
    assert send() == "0 alert(s) sent, with 0 document(s); 0 saved search(es) no longer work.\n"

    DocumentFactory(identifier="new-1", title="New telegram on Korea", regions=[korea])
    DocumentFactory(identifier="elsewhere", title="A telegram on Cuba")
    DocumentFactory(identifier="no-words", title="A report on Korea", regions=[korea])
    DocumentFactory(identifier="held", title="Held telegram", regions=[korea], status="draft")
    out = send()

    assert out == "1 alert(s) sent, with 1 document(s); 0 saved search(es) no longer work.\n"
    (message,) = smtp_server.messages
    assert message.envelope_to == ["ada@example.org"]
    assert message["Subject"] == "1 new document for “Korea telegrams”"
    body = message.get_content()
    assert "New telegram on Korea" in body
    assert "https://archive.example.org/documents/new-1/" in body
    for absent in ("Old telegram", "Cuba", "A report on Korea", "Held telegram"):
        assert absent not in body
    saved = SavedSearch.objects.get()
    assert f"https://archive.example.org/searches/unsubscribe/{saved.unsubscribe_token}/" in body
    assert message["List-Unsubscribe"].strip() == (
        f"<https://archive.example.org/searches/unsubscribe/{saved.unsubscribe_token}/>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert send().startswith("0 alert(s) sent")  # once
    assert len(smtp_server.messages) == 1

    # The draft published later reaches the next alert; nothing sent before comes again.
    documents_publish(documents=Document.objects.filter(identifier="held"))
    send()
    assert len(smtp_server.messages) == 2
    assert "Held telegram" in smtp_server.messages[1].get_content()
    assert "New telegram on Korea" not in smtp_server.messages[1].get_content()
    assert AlertDelivery.objects.count() == 2


def test_an_unpublished_document_is_never_sent(researcher, korea, smtp_server):
    DocumentFactory(title="Long public", regions=[korea])
    save(signed_in(researcher), "/regions/korea/", "")
    document = DocumentFactory(title="Briefly public", regions=[korea])
    documents_unpublish(documents=Document.objects.filter(pk=document.pk))

    send()

    assert smtp_server.messages == []


def test_a_dry_run_sends_and_changes_nothing(researcher, korea, smtp_server):
    save(signed_in(researcher), "/regions/korea/", "")
    DocumentFactory(regions=[korea])
    before = SavedSearch.objects.get().last_run
    out = io.StringIO()

    call_command("send_alerts", "--dry-run", stdout=out)

    assert out.getvalue() == (
        "1 alert(s) would be sent, with 1 document(s); 0 saved search(es) no longer work.\n"
    )
    assert smtp_server.messages == []
    assert SavedSearch.objects.get().last_run == before
    assert not AlertDelivery.objects.exists()


def test_a_search_that_no_longer_works_is_reported_to_its_owner_once(
    researcher, korea, smtp_server
):
    save(signed_in(researcher), "/documents/", "region=korea")
    Region.objects.filter(pk=korea.pk).delete()
    DocumentFactory()

    first = send()
    second = send()

    assert (
        first
        == second
        == ("0 alert(s) sent, with 0 document(s); 1 saved search(es) no longer work.\n")
    )
    (message,) = smtp_server.messages
    assert message["Subject"].strip() == "Your saved search “Korea telegrams” no longer works"
    assert "region:" in message.get_content()
    saved = SavedSearch.objects.get()
    assert saved.problem.startswith("region:")
    assert "This search no longer works" in signed_in(researcher).get("/accounts/").content.decode()


def test_a_search_whose_place_is_gone_is_reported(researcher, korea, smtp_server):
    save(signed_in(researcher), "/regions/korea/", "")
    Region.objects.filter(pk=korea.pk).delete()

    send()

    assert SavedSearch.objects.get().problem == "the list it searches in no longer exists"
    assert len(smtp_server.messages) == 1


def test_a_mail_server_that_refuses_loses_nothing(researcher, korea, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    save(signed_in(researcher), "/regions/korea/", "")
    DocumentFactory(regions=[korea])
    before = SavedSearch.objects.get().last_run
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(Exception, match="1 alert"):
        call_command("send_alerts", stdout=out, stderr=err)

    assert "Not sent (tried again next run): ada@example.org (Korea telegrams):" in err.getvalue()
    assert SavedSearch.objects.get().last_run == before
    assert not AlertDelivery.objects.exists()


def test_a_document_the_index_has_not_taken_yet_waits_for_the_next_run(
    researcher, korea, smtp_server, settings
):
    save(signed_in(researcher), "/regions/korea/", "")
    ensure_current()
    settings.ARCHIVE_INDEX_INLINE = False  # the indexer is a process of its own, lagging
    DocumentFactory(title="Not yet indexed", regions=[korea])
    assert OutboxEntry.objects.exists()

    send()
    assert smtp_server.messages == []

    settings.ARCHIVE_INDEX_INLINE = True
    ensure_current()
    send()
    assert "Not yet indexed" in smtp_server.messages[0].get_content()


def test_unsubscribing_by_the_link_needs_a_post(researcher, korea, smtp_server):
    save(signed_in(researcher), "/regions/korea/", "")
    saved = SavedSearch.objects.get()
    url = f"/searches/unsubscribe/{saved.unsubscribe_token}/"

    asked = Client().get(url)
    saved.refresh_from_db()
    assert saved.alerts is True
    assert "Stop the e-mailed alerts" in asked.content.decode()

    # As a mail program does it (RFC 8058): a POST with no cookie and no CSRF token.
    done = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    saved.refresh_from_db()
    assert done.status_code == 200
    assert saved.alerts is False
    DocumentFactory(regions=[korea])
    send()
    assert smtp_server.messages == []
    assert Client().get("/searches/unsubscribe/" + "x" * 43 + "/").status_code == 404
    assert Client().get("/searches/unsubscribe/short/").status_code == 404


def test_nobody_reaches_anothers_searches(researcher, korea):
    save(signed_in(researcher), "/regions/korea/", "")
    saved = SavedSearch.objects.get()
    intruder = signed_in(User.objects.create_user("bob", "bob@example.org", "another pass 2"))

    assert intruder.post(f"/searches/{saved.pk}/delete/").status_code == 404
    assert intruder.post(f"/searches/{saved.pk}/alerts/", {"alerts": "off"}).status_code == 404
    assert "Korea telegrams" not in intruder.get("/accounts/").content.decode()
    saved.refresh_from_db()
    assert saved.alerts is True


def test_turning_alerts_off_and_deleting(researcher, korea):
    client = signed_in(researcher)
    save(client, "/regions/korea/", "")
    saved = SavedSearch.objects.get()

    client.post(f"/searches/{saved.pk}/alerts/", {"alerts": "off"})
    saved.refresh_from_db()
    assert saved.alerts is False
    client.post(f"/searches/{saved.pk}/alerts/", {"alerts": "on"})
    saved.refresh_from_db()
    assert saved.alerts is True
    client.post(f"/searches/{saved.pk}/delete/")
    assert not SavedSearch.objects.exists()


def test_an_import_that_commits_after_a_run_is_still_sent(researcher, korea, smtp_server):
    """An import's documents carry the time it began; a run during the import saw none."""
    save(signed_in(researcher), "/regions/korea/", "")
    now = timezone.now()
    SavedSearch.objects.update(
        created=now - datetime.timedelta(hours=3), last_run=now - datetime.timedelta(hours=1)
    )
    document = DocumentFactory(title="Imported slowly", regions=[korea])
    Document.objects.filter(pk=document.pk).update(
        first_published=now - datetime.timedelta(hours=2)
    )

    send()
    send()

    assert len(smtp_server.messages) == 1
    assert "Imported slowly" in smtp_server.messages[0].get_content()


def test_a_search_saved_without_a_name_is_named_after_its_list(researcher, korea):
    DocumentFactory(regions=[korea])
    client = signed_in(researcher)

    save(client, "/regions/korea/", "q=telegram", name="")
    save(client, "/documents/", "", name=" ")

    assert list(SavedSearch.objects.values_list("name", flat=True)) == [
        "All documents",
        "Korea: telegram",
    ]
