"""Deleted records: a document that was ever public and is deleted, withdrawn or renamed is
reported as deleted, for good ("persistent"); a draft that never was public never appears."""

import pytest

from documents.models import Document
from documents.services import document_rename, documents_delete, documents_publish
from oai.models import DeletedRecord
from tests.factories import DocumentFactory
from tests.oai.xml import NS, error, headers, oai, oai_id
from tests.samples import make_sample_archive

pytestmark = pytest.mark.django_db

MONTH = "avprf.1967-11:a_1"


@pytest.fixture
def archive(db):
    return make_sample_archive()


def listed(client, **params) -> dict[str, bool]:
    return dict(headers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **params)))


def test_deleting_a_published_document_leaves_a_deleted_record(client, archive):
    archive["month"].delete()
    record = DeletedRecord.objects.get(identifier=MONTH)
    assert record.sets == ["conversations-with-kim-il-sung", "sino-soviet-split"]
    assert listed(client)[MONTH] is True
    assert listed(client, set="sino-soviet-split") == {MONTH: True}
    root = oai(client, verb="GetRecord", identifier=oai_id(MONTH), metadataPrefix="oai_dc")
    assert headers(root) == [(MONTH, True)]
    assert root.xpath("//o:setSpec/text()", namespaces=NS) == [
        "conversations-with-kim-il-sung",
        "sino-soviet-split",
    ]


def test_a_bulk_delete_is_recorded_too(client, archive):
    Document.objects.filter(identifier__in=["1956-poland", "span-1960"]).delete()
    assert set(DeletedRecord.objects.values_list("identifier", flat=True)) == {
        "1956-poland",
        "span-1960",
    }


def test_documents_deleted_in_bulk_leave_the_same_records(
    client, archive, django_assert_max_num_queries
):
    """`documents_delete` (an undone import's way) records them in bulk, sets included, and
    leaves nothing for a draft that was never public."""
    identifiers = ["avprf.1967-11:a_1", "1956-poland", "never-public"]
    ids = list(Document.objects.filter(identifier__in=identifiers).values_list("pk", flat=True))
    poland = sorted(
        Document.objects.get(identifier="1956-poland").collections.values_list("slug", flat=True)
    )
    with django_assert_max_num_queries(25):  # not a few queries a document
        assert documents_delete(document_ids=ids) == 3
    records = {record.identifier: record.sets for record in DeletedRecord.objects.all()}
    assert records == {
        MONTH: ["conversations-with-kim-il-sung", "sino-soviet-split"],
        "1956-poland": poland,
    }
    assert not Document.objects.filter(pk__in=ids).exists()
    assert listed(client)[MONTH] is True


def test_deleting_a_never_published_draft_leaves_nothing(client, archive):
    archive["draft"].delete()
    assert not DeletedRecord.objects.exists()
    root = oai(client, verb="GetRecord", identifier=oai_id("never-public"), metadataPrefix="oai_dc")
    assert error(root) == "idDoesNotExist"


def test_a_withdrawn_document_is_deleted_until_published_again(client, archive):
    assert listed(client)["withdrawn"] is True
    documents_publish(documents=Document.objects.filter(identifier="withdrawn"))
    assert listed(client)["withdrawn"] is False


def test_an_identifier_published_again_is_a_live_record(client, archive):
    archive["span"].delete()
    assert listed(client)["span-1960"] is True
    DocumentFactory(identifier="span-1960", title="Back again")
    assert listed(client)["span-1960"] is False
    assert list(listed(client)).count("span-1960") == 1


def test_a_renamed_document_leaves_its_old_identifier_deleted(client, archive):
    document = archive["year"]
    document.identifier = "poland-1956"
    document.save()
    document_rename(document=document, old_identifier="1956-poland")
    items = listed(client)
    assert items["1956-poland"] is True
    assert items["poland-1956"] is False


def test_a_never_published_draft_renamed_leaves_nothing(client, archive):
    draft = archive["draft"]
    draft.identifier = "still-secret"
    draft.save()
    document_rename(document=draft, old_identifier="never-public")
    assert not DeletedRecord.objects.exists()
    items = listed(client)
    assert "never-public" not in items and "still-secret" not in items


def test_deleted_records_follow_from_and_until(client, archive):
    archive["month"].delete()
    stamp = DeletedRecord.objects.get().deleted_at
    day = stamp.strftime("%Y-%m-%d")
    assert listed(client, **{"from": day})[MONTH] is True
    earlier = "2000-01-01"
    assert error(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=earlier)) == (
        "noRecordsMatch"
    )
