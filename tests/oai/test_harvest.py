"""A real harvester (Sickle) walks the whole archive over HTTP from a live server, in small
pages, and gets back every public record with its fields, the withdrawn ones as deleted, and
never a draft."""

import pytest
from django.core.management import call_command
from sickle import Sickle
from sickle.oaiexceptions import CannotDisseminateFormat, IdDoesNotExist

from documents.models import Document, Status
from documents.services import documents_unpublish
from importing.importer import documents_import
from tests.factories import DocumentFactory
from tests.oai.xml import oai_id


@pytest.fixture
def harvested_archive(transactional_db, visits_path, settings):
    """The seeds and the real 429 visits, a few withdrawn, one draft, one deleted; small pages."""
    settings.ARCHIVE_OAI_PAGE_SIZE = 25
    call_command("load_seeds", verbosity=0)
    documents_import(paths=[visits_path])
    documents_unpublish(documents=Document.objects.filter(identifier__in=["120189", "208559"]))
    DocumentFactory(identifier="never-public", title="SECRET DRAFT", status=Status.DRAFT)
    Document.objects.get(identifier="hsg-visit-2234").delete()


@pytest.fixture
def sickle(live_server, harvested_archive):
    return Sickle(f"{live_server.url}/oai/", max_retries=0, timeout=30)


def test_a_full_harvest(sickle):
    published = set(Document.objects.published().values_list("identifier", flat=True))
    assert len(published) > 400
    requests = []
    harvest = sickle.harvest

    def counted(**params):
        requests.append(params)
        return harvest(**params)

    sickle.harvest = counted
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    assert len(requests) == -(-len(records) // 25)  # pages of 25, every token followed
    assert all(set(params) == {"verb", "resumptionToken"} for params in requests[1:])
    live = {r.header.identifier for r in records if not r.header.deleted}
    deleted = {r.header.identifier for r in records if r.header.deleted}
    assert live == {oai_id(identifier) for identifier in published}
    assert deleted == {oai_id("120189"), oai_id("208559"), oai_id("hsg-visit-2234")}
    assert len(records) == len(live) + len(deleted)  # no record twice across pages
    assert oai_id("never-public") not in live | deleted

    by_id = {r.header.identifier: r for r in records}
    mikoyan = by_id[oai_id("120194")].metadata
    assert mikoyan["title"] == ["Telegram from A. Mikoyan to the CPSU Central Committee"]
    assert mikoyan["date"] == ["1956-09-21"]
    assert mikoyan["creator"] == ["Anastas Mikoyan"]
    assert "http://" in mikoyan["identifier"][0] and mikoyan["identifier"][1] == "120194"
    visit = by_id[oai_id("hsg-visit-2235")].metadata
    assert visit["date"] == ["1945-03-22/1945-03-24"]
    assert visit["coverage"] == ["North America"]
    assert not hasattr(by_id[oai_id("120189")], "metadata")  # a deleted record has none


def test_headers_by_set(sickle):
    headers = list(
        sickle.ListIdentifiers(
            metadataPrefix="oai_dc", set="visits-by-foreign-leaders", ignore_deleted=True
        )
    )
    expected = (
        Document.objects.published().filter(collections__slug="visits-by-foreign-leaders").count()
    )
    assert len(headers) == expected > 400
    assert all("visits-by-foreign-leaders" in header.setSpecs for header in headers)


def test_the_other_verbs(sickle):
    identify = sickle.Identify()
    assert identify.repositoryName == "Cold War Digital Archive"
    assert identify.deletedRecord == "persistent"
    assert [s.setSpec for s in sickle.ListSets()] == [
        "conversations-with-kim-il-sung",
        "visits-by-foreign-leaders",
    ]
    assert [f.metadataPrefix for f in sickle.ListMetadataFormats()] == ["oai_dc"]
    record = sickle.GetRecord(identifier=oai_id("120194"), metadataPrefix="oai_dc")
    assert record.metadata["language"] == ["ru"]
    with pytest.raises(IdDoesNotExist):
        sickle.GetRecord(identifier=oai_id("never-public"), metadataPrefix="oai_dc")
    with pytest.raises(CannotDisseminateFormat):
        sickle.GetRecord(identifier=oai_id("120194"), metadataPrefix="marc21")
