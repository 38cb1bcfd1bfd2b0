"""Facet counts by SQL, from scratch, for checking the index's: joins over the link tables,
one query a facet, on the documents a set of ids names."""

from collections import Counter

from django.db.models import Count
from django.db.models.functions import ExtractYear

from documents.models import Document, DocumentParticipant, Region


def sql_counts(ids) -> dict:
    ids = list(ids)
    documents = Document.objects.published().filter(id__in=ids)
    parents = dict(Region.objects.values_list("id", "parent_id"))
    regions: Counter = Counter()
    for document_id in documents.values_list("id", flat=True):
        under = set()
        for region_id in Document.regions.through.objects.filter(
            document_id=document_id
        ).values_list("region_id", flat=True):
            node, seen = region_id, set()
            while node is not None and node not in seen:
                seen.add(node)
                under.add(node)
                node = parents.get(node)
        regions.update(under)
    people = dict(
        DocumentParticipant.objects.filter(document__in=documents)
        .values_list("person_id")
        .annotate(n=Count("document_id", distinct=True))
    )
    collections = dict(
        Document.collections.through.objects.filter(document__in=documents)
        .values_list("collection_id")
        .annotate(n=Count("document_id"))
    )
    languages = dict(documents.exclude(language="").values_list("language").annotate(n=Count("id")))
    archives = dict(
        documents.exclude(original_archive="")
        .values_list("original_archive")
        .annotate(n=Count("id"))
    )
    years = dict(documents.annotate(y=ExtractYear("date")).values_list("y").annotate(n=Count("id")))
    return {
        "total": documents.count(),
        "regions": dict(regions),
        "people": people,
        "collections": collections,
        "languages": languages,
        "archives": archives,
        "years": years,
    }


def index_counts(counts) -> dict:
    """The index's `Counts` in the same shape."""
    return {
        "total": counts.total,
        "regions": counts.regions,
        "people": dict(counts.people),
        "collections": counts.collections,
        "languages": dict(counts.languages),
        "archives": dict(counts.archives),
        "years": dict(counts.years),
    }
