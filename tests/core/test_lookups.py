"""`field__any`: the same rows as `field__in`, with one array parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import Document
from tests.factories import DocumentFactory


@pytest.mark.django_db
def test_any_finds_what_in_finds():
    for identifier in ("a-1", "a-2", "b-1"):
        DocumentFactory(identifier=identifier)
    wanted = ["a-2", "b-1", "missing", None]
    with CaptureQueriesContext(connection) as queries:
        found = set(
            Document.objects.filter(identifier__any=wanted).values_list("identifier", flat=True)
        )
    assert (
        found
        == set(Document.objects.filter(identifier__in=wanted).values_list("identifier", flat=True))
        == {"a-2", "b-1"}
    )
    (sql,) = [query["sql"] for query in queries.captured_queries]
    if connection.vendor == "postgresql":
        assert '"identifier" = ANY(' in sql
    else:
        assert '"identifier" IN (' in sql
    assert not Document.objects.filter(identifier__any=[]).exists()
