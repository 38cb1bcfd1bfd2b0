"""Facet counts for any filtered set of documents, each in one query.

Every count is taken over the documents the researcher is looking at (the filtered queryset),
so the numbers beside a facet are the numbers of results clicking it would give.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from people.models import Person
from people.names import format_life_dates

from .languages import language_name
from .models import Document, DocumentParticipant, Region

PEOPLE_SHOWN = 15


class FacetRows(list):
    """A facet's rows, most frequent first; `more` is true when the list was cut short.

    It is a plain list to everything that reads it (templates, the JSON API); the sidebar
    uses `more` to offer the page with every value.
    """

    more: bool = False


@dataclass
class RegionCount:
    region: Region
    count: int
    children: list[RegionCount] = field(default_factory=list)


def _ids(queryset: QuerySet) -> QuerySet:
    return queryset.order_by().values("id")


def region_counts(queryset: QuerySet, *, include_empty: bool = False) -> list[RegionCount]:
    """A tree of regions with counts; a region counts each document under it once.

    A document tagged "China" and "North Korea" counts once for East Asia, so the counts are
    taken with DISTINCT over the region tree's closure, built by a recursive query that
    SQLite and PostgreSQL both run.
    """
    regions = {region.id: region for region in Region.objects.all()}
    if not regions:
        return []
    subquery, params = _ids(queryset).query.sql_with_params()
    region_table = Region._meta.db_table
    link_table = Document.regions.through._meta.db_table
    sql = f"""
        WITH RECURSIVE closure(ancestor_id, region_id) AS (
            SELECT id, id FROM {region_table}
            UNION ALL
            SELECT closure.ancestor_id, child.id
            FROM closure JOIN {region_table} child ON child.parent_id = closure.region_id
        )
        SELECT closure.ancestor_id, COUNT(DISTINCT link.document_id)
        FROM closure JOIN {link_table} link ON link.region_id = closure.region_id
        WHERE link.document_id IN ({subquery})
        GROUP BY closure.ancestor_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counts = dict(cursor.fetchall())
    nodes = {
        region_id: RegionCount(region, counts.get(region_id, 0))
        for region_id, region in regions.items()
        if include_empty or counts.get(region_id)
    }
    roots: list[RegionCount] = []
    for node in nodes.values():
        parent = nodes.get(node.region.parent_id) if node.region.parent_id else None
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda child: (-child.count, child.region.name))
    roots.sort(key=lambda node: (-node.count, node.region.name))
    return roots


def people_counts(
    queryset: QuerySet, *, limit: int | None = PEOPLE_SHOWN, exclude: Person | None = None
) -> FacetRows:
    """The people of these documents with their number of documents; `limit=None` for all.

    One row more than the limit is fetched, so `more` tells whether anyone was left out.
    """
    rows = DocumentParticipant.objects.filter(document_id__in=_ids(queryset))
    if exclude is not None:
        rows = rows.exclude(person=exclude)
    rows = (
        rows.values(
            "person_id", "person__name", "person__slug", "person__birth_year", "person__death_year"
        )
        .annotate(count=Count("document_id", distinct=True))
        .order_by("-count", "person__name", "person_id")
    )
    if limit is not None:
        rows = rows[: limit + 1]
    result = FacetRows(
        {
            "slug": row["person__slug"],
            "name": row["person__name"],
            "life_dates": format_life_dates(row["person__birth_year"], row["person__death_year"]),
            "count": row["count"],
        }
        for row in rows
    )
    if limit is not None and len(result) > limit:
        del result[limit:]
        result.more = True
    return result


def collection_counts(queryset: QuerySet):
    rows = (
        Document.collections.through.objects.filter(document_id__in=_ids(queryset))
        .values("collection__slug", "collection__title")
        .annotate(count=Count("document_id"))
        .order_by("-count", "collection__title")
    )
    return [
        {"slug": row["collection__slug"], "name": row["collection__title"], "count": row["count"]}
        for row in rows
    ]


def _value_counts(queryset: QuerySet, field_name: str):
    return (
        queryset.order_by()
        .exclude(**{field_name: ""})
        .values(field_name)
        .annotate(count=Count("id"))
        .order_by("-count", field_name)
    )


def language_counts(queryset: QuerySet):
    return [
        {"value": row["language"], "name": language_name(row["language"]), "count": row["count"]}
        for row in _value_counts(queryset, "language")
    ]


def archive_counts(queryset: QuerySet):
    return [
        {"value": row["original_archive"], "name": row["original_archive"], "count": row["count"]}
        for row in _value_counts(queryset, "original_archive")
    ]


def year_counts(queryset: QuerySet):
    rows = (
        queryset.order_by()
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(count=Count("id"))
        .order_by("year")
    )
    return [{"year": row["year"], "count": row["count"]} for row in rows]


def all_facets(queryset: QuerySet, *, exclude_person: Person | None = None) -> dict:
    return {
        "regions": region_counts(queryset),
        "people": people_counts(queryset, exclude=exclude_person),
        "collections": collection_counts(queryset),
        "languages": language_counts(queryset),
        "archives": archive_counts(queryset),
        "years": year_counts(queryset),
    }
