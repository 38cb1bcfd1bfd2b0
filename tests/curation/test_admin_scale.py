"""Admin lists at scale: a change list costs the same number of queries however many rows it
shows (no query per row), and an unfiltered list of a large table is not counted row by row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import core.paging
from documents.models import DocumentParticipant, IdentifierRedirect
from tests.factories import CollectionFactory, DocumentFactory, PersonFactory, RegionFactory

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:documents_document_changelist",
    "admin:people_person_changelist",
    "admin:documents_region_changelist",
    "admin:documents_collection_changelist",
    "admin:documents_identifierredirect_changelist",
    "admin:importing_importbatch_changelist",
]


def grow(rows: int) -> None:
    """`rows` more of everything, each linked to the others."""
    parent = RegionFactory()
    for _ in range(rows):
        region = RegionFactory(parent=parent)
        collection = CollectionFactory()
        person = PersonFactory(birth_year=1900)
        document = DocumentFactory(regions=[region], collections=[collection])
        DocumentParticipant.objects.create(document=document, person=person)
        IdentifierRedirect.objects.create(old_identifier=f"old-{document.pk}", document=document)


def queries_of(client, url: str, params: dict | None = None):
    """The response to a GET, and the SQL it ran (after one warming request)."""
    client.get(url, params or {})  # warm: content types, permissions, sessions
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("url_name", CHANGELISTS)
@pytest.mark.parametrize("who", ["admin", "archivist"])
def test_changelist_queries_do_not_grow_with_rows(client, admin_user, archivist, url_name, who):
    client.force_login(admin_user if who == "admin" else archivist)
    url = reverse(url_name)
    grow(3)
    _small, few = queries_of(client, url)
    grow(30)
    response, many = queries_of(client, url)
    assert len(many) == len(few), "\n".join(many)
    if "importbatch" not in url_name:
        assert len(response.context["cl"].result_list) >= 33


def test_filtered_lists_count_once(admin_client):
    grow(5)
    url = reverse("admin:documents_document_changelist")
    _response, sql = queries_of(admin_client, url, {"status__exact": "published"})
    counts = [q for q in sql if "COUNT(" in q.upper()]
    assert len(counts) == 1  # the filtered count; no second count of the whole table


def test_an_unfiltered_large_table_is_estimated_not_counted(admin_client, settings, monkeypatch):
    grow(4)
    settings.ARCHIVE_ADMIN_EXACT_COUNT_UP_TO = 1000
    monkeypatch.setattr(core.paging, "estimated_rows", lambda queryset: 1_000_000)
    url = reverse("admin:documents_document_changelist")

    response, sql = queries_of(admin_client, url)

    assert response.context["cl"].result_count == 1_000_000
    assert not [q for q in sql if "COUNT(" in q.upper() and "documents_document" in q]
    # Filtered, the count is exact.
    filtered = admin_client.get(url, {"status__exact": "published"})
    assert filtered.context["cl"].result_count == 4


def test_the_estimate_is_postgresqls_own(db):
    from documents.models import Document

    grow(2)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE documents_document")
        assert core.paging.estimated_rows(Document.objects.all()) == 2
    else:
        assert core.paging.estimated_rows(Document.objects.all()) is None  # exact counts
