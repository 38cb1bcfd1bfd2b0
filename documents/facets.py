"""Facet counts, shaped for pages: the search index counts (`search.engine.counts`), this
module names what it counted.

Every count is taken over the documents the researcher is looking at, so the numbers beside
a facet are the numbers of results clicking it would give.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.languages import language_name
from people.models import Person
from people.names import format_life_dates
from search.engine import Counts

from .models import Collection, Region

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


def region_tree(
    counts: dict[int, int], *, include_empty: bool = False, only: set[int] | None = None
) -> list[RegionCount]:
    """A tree of regions with counts; a region counts each document under it once. With
    `include_empty`, the places of `only` (the public ones) that no document is under too."""
    regions = {region.id: region for region in Region.objects.all()}
    nodes = {
        region_id: RegionCount(region, counts.get(region_id, 0))
        for region_id, region in regions.items()
        if counts.get(region_id) or (include_empty and (only is None or region_id in only))
    }
    roots: list[RegionCount] = []
    for node in nodes.values():
        parent = nodes.get(node.region.parent_id) if node.region.parent_id else None
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda child: (-child.count, child.region.name))
    roots.sort(key=lambda node: (-node.count, node.region.name))
    return roots


def people_rows(counts: Counts, limit: int | None) -> FacetRows:
    """The people counted, most documents first, then by name; cut to `limit`."""
    found = {
        person.id: person
        for person in Person.objects.filter(id__in=[pk for pk, _ in counts.people]).only(
            "id", "name", "slug", "birth_year", "death_year"
        )
    }
    ordered = sorted(
        ((found[pk], n) for pk, n in counts.people if pk in found),
        key=lambda pair: (-pair[1], pair[0].name, pair[0].id),
    )
    result = FacetRows(
        {
            "slug": person.slug,
            "name": person.name,
            "life_dates": format_life_dates(person.birth_year, person.death_year),
            "count": n,
        }
        for person, n in ordered
    )
    if limit is not None and len(result) > limit:
        del result[limit:]
        result.more = True
    result.more = result.more or counts.people_more
    return result


def collection_rows(counts: Counts) -> list[dict]:
    found = {c.id: c for c in Collection.objects.filter(id__in=list(counts.collections))}
    rows = [
        {"slug": found[pk].slug, "name": found[pk].title, "count": n}
        for pk, n in counts.collections.items()
        if pk in found
    ]
    rows.sort(key=lambda row: (-row["count"], row["name"]))
    return rows


def value_rows(pairs: list[tuple[str, int]], *, names=None) -> list[dict]:
    return [
        {"value": value, "name": names(value) if names else value, "count": count}
        for value, count in pairs
    ]


def year_rows(counts: Counts) -> list[dict]:
    return [{"year": year, "count": count} for year, count in counts.years]


def language_rows(counts: Counts) -> list[dict]:
    return value_rows(counts.languages, names=language_name)


def shaped_facets(counts: Counts, *, people_shown: int = PEOPLE_SHOWN) -> dict:
    """The counts as the list page and the API show them, with the number of documents."""
    return {
        "total": counts.total,
        "regions": region_tree(counts.regions),
        "people": people_rows(counts, people_shown),
        "collections": collection_rows(counts),
        "languages": language_rows(counts),
        "archives": value_rows(counts.archives),
        "years": year_rows(counts),
    }
