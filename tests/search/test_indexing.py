"""The index follows the database: every write leaves outbox entries in its transaction, the
indexer applies them (again changing nothing), a rebuild gives the same index, one writer at
a time, and a missing or lagging index is reported, never answered from."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from documents.models import Document, Status
from documents.selectors import document_search
from documents.services import documents_delete, documents_publish, documents_unpublish
from search import engine
from search import index as search_index
from search.health import index_status
from search.indexing import apply_outbox, rebuild
from search.models import OutboxEntry
from search.queries import Criteria
from tests.factories import DocumentFactory, PersonFactory, RegionFactory

pytestmark = pytest.mark.django_db


def ids_in_index(**criteria) -> set[int]:
    return set(engine.window(Criteria(**criteria), sort="-date", offset=0, limit=10_000).ids)


def pending() -> set[int]:
    return set(OutboxEntry.objects.values_list("document_id", flat=True))


def test_writes_leave_their_documents_in_the_outbox_and_the_index_follows():
    person = PersonFactory(name="Anastas Mikoyan")
    document = DocumentFactory(title="A telegram", people=[person])
    assert document.pk in pending()
    assert ids_in_index() == {document.pk}
    assert not pending()  # applied, and gone
    person.name = "A. I. Mikoyan"
    person.save()
    assert pending() == {document.pk}
    found = document_search(QueryDict("q=Mikoyan"))
    assert [d.pk for d in found.page(0, 10)] == [document.pk]


def test_drafts_never_enter_the_index_and_leave_it_when_unpublished():
    shown = DocumentFactory()
    draft = DocumentFactory(status=Status.DRAFT)
    assert ids_in_index() == {shown.pk}
    documents_unpublish(documents=Document.objects.filter(pk=shown.pk))
    assert ids_in_index() == set()
    documents_publish(documents=Document.objects.all())
    assert ids_in_index() == {shown.pk, draft.pk}
    documents_delete(document_ids=[draft.pk])
    assert ids_in_index() == {shown.pk}


def test_applying_again_changes_nothing_and_a_rebuild_gives_the_same_index():
    region = RegionFactory(name="Hungary")
    documents = [DocumentFactory(regions=[region]) for _ in range(5)]
    before = ids_in_index(regions=((region.pk,),))
    generation = search_index.generation()
    assert apply_outbox().entries == 0  # nothing waiting: no commit either
    assert search_index.generation() == generation
    # An indexer killed after its commit and before it consumed the entries applies them
    # again: the same index.
    OutboxEntry.objects.bulk_create(OutboxEntry(document_id=d.pk) for d in documents)
    assert apply_outbox().documents == 5
    assert ids_in_index(regions=((region.pk,),)) == before == {d.pk for d in documents}
    rebuilt = rebuild()
    assert rebuilt.indexed == 5
    assert ids_in_index(regions=((region.pk,),)) == before


def test_an_entry_recorded_while_a_batch_is_applied_is_kept_for_the_next():
    first = DocumentFactory()
    ids_in_index()
    OutboxEntry.objects.create(document_id=first.pk)
    with transaction.atomic():
        later = DocumentFactory(title="Later")  # not applied until it commits
        assert later.pk in pending()
    assert ids_in_index() == {first.pk, later.pk}


def test_a_renamed_place_moves_its_documents_and_those_under_it():
    east = RegionFactory(name="East Asia")
    china = RegionFactory(name="China", parent=east)
    document = DocumentFactory(regions=[china])
    assert ids_in_index(regions=((east.pk,),)) == {document.pk}
    other = RegionFactory(name="Asia")
    east.parent = other
    east.save()
    assert ids_in_index(regions=((other.pk,),)) == {document.pk}
    china.name = "Cathay"  # the place a document names is searched by its name
    china.save()
    found = document_search(QueryDict("q=cathay"))
    assert [d.pk for d in found.page(0, 10)] == [document.pk]


def test_one_writer_at_a_time():
    with (
        search_index.writer_lock(),
        pytest.raises(search_index.WriterBusy, match="being written by process"),
        search_index.writer_lock(wait=False),
    ):
        pass
    with search_index.writer_lock():
        # A reader that finds the writer busy leaves the work to it.
        assert apply_outbox(wait=False).entries == 0
    waited = []

    def second():
        with search_index.writer_lock():
            waited.append(True)

    with search_index.writer_lock():
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.3)
        assert waited == []  # still waiting for the first
    thread.join(5)
    assert waited == [True]


def test_a_missing_index_is_reported_and_lists_say_it_is_being_rebuilt(client, settings):
    DocumentFactory()
    settings.ARCHIVE_INDEX_INLINE = False  # nobody builds it in this process
    status = index_status()
    assert status.state == "missing"
    assert "index_documents --rebuild" in status.message
    response = client.get("/documents/")
    assert response.status_code == 503
    assert "The search index is being rebuilt" in response.content.decode()
    assert client.get("/api/documents/").status_code == 503
    assert client.get("/health/index").status_code == 503
    assert client.get("/documents/" + Document.objects.get().identifier + "/").status_code == 200
    call_command("index_documents", "--rebuild", verbosity=0)
    assert client.get("/documents/").status_code == 200
    assert client.get("/health/index").json()["state"] == "ok"


def test_a_lagging_index_is_reported(client, settings):
    DocumentFactory()
    ids_in_index()
    settings.ARCHIVE_INDEX_INLINE = False
    DocumentFactory()
    OutboxEntry.objects.update(created=timezone.now() - datetime.timedelta(minutes=5))
    status = index_status()
    assert status.state == "lagging" and status.pending == 1
    assert "index_documents --follow" in status.message
    # The lists show the previous state meanwhile.
    assert client.get("/documents/").context["paginator"].count == 1
    assert client.get("/health/index").status_code == 503


def test_the_command_applies_rebuilds_and_dry_runs(capsys, settings):
    settings.ARCHIVE_INDEX_INLINE = False
    DocumentFactory()
    call_command("index_documents", "--dry-run")
    assert "1 outbox entr(ies) waiting" in capsys.readouterr().out
    assert pending()  # a dry run changes nothing
    call_command("index_documents", "--rebuild")
    out = capsys.readouterr().out
    assert "Rebuilt the index: 1 published documents" in out
    assert not pending()
    DocumentFactory()
    call_command("index_documents")
    assert "Applied 1 outbox entr(ies) for 1 document(s)" in capsys.readouterr().out


def test_an_index_of_an_older_schema_is_rebuilt_before_it_is_used():
    document = DocumentFactory(source="AVPRF, fond 0100")
    assert ids_in_index(source="avprf") == {document.pk}
    version_file = search_index.index_dir() / "archive-index.json"
    version_file.write_text('{"schema": 1}')
    search_index.forget()
    assert index_status().state == "unreadable"  # said, never answered from
    applied = apply_outbox(wait=False)
    assert applied.indexed == 1 and search_index.is_current_schema()
    assert ids_in_index(source="avprf") == {document.pk}
