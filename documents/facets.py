"""Facet counts for any filtered set of documents.

Every count is taken over the documents the researcher is looking at (the filtered queryset),
so the numbers beside a facet are the numbers of results clicking it would give.

On PostgreSQL the counts come from the facet tables (`DocumentFacets`, one narrow row per
published document with its regions, people and collections as id arrays, and `FacetTotal`,
the counts of the whole published archive), which triggers keep exact on every write:

- the whole archive (the first page, the home page, the region list) reads `FacetTotal`:
  a few thousand rows, whatever the size of the archive;
- a filtered set is matched once, materialised, and every facet and the total are counted
  from it in one statement, instead of one query per facet each matching again;
- the rows of each facet query are cached under the archive's version, which triggers change
  on every write, so the second researcher to ask the same question reads them from the
  cache, and no one ever reads a count from before a write;
- from 50,000 documents, the same rows come from numpy columns held in each web process
  (`facet_columns`): plain filters are decided there, a keyword asks PostgreSQL only for its
  matches' ids and rank, and SQL counts only while the columns are older than the archive.

SQLite counts with joins over the link tables, one query per facet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from people.models import Person
from people.names import format_life_dates

from . import facet_columns
from .caching import cached_rows
from .languages import language_name
from .models import Document, DocumentParticipant, FacetCondition, Region, Status
from .search import single_lexeme

PEOPLE_SHOWN = 15
FACETS = ("region", "person", "collection", "language", "archive", "year")


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


@dataclass
class Counts:
    """Raw counts of some facets of a set of documents, before they are shaped for a page."""

    total: int | None = None
    regions: dict[int, int] = field(default_factory=dict)
    people: list[dict] = field(default_factory=list)  # ordered; one more than the limit
    collections: list[dict] = field(default_factory=list)  # ordered
    languages: list[tuple[str, int]] = field(default_factory=list)  # ordered
    archives: list[tuple[str, int]] = field(default_factory=list)  # ordered
    years: list[tuple[int, int]] = field(default_factory=list)  # by year
    # The first ids in relevance order, when asked for and the set is a keyword match.
    ranked: list[int] | None = None


def _ids(queryset: QuerySet) -> QuerySet:
    return queryset.order_by().values("id")


def _use_facet_tables() -> bool:
    return connection.vendor == "postgresql"


# PostgreSQL: the facet tables ------------------------------------------------------------

# One row per facet value: (facet, value, count, label, slug, birth year, death year).
_PG_PARTS = {
    # {guard} leaves the total out when the counts are read instead (see `_pg_counts`).
    "total": "SELECT 'total', '', count(*), NULL, NULL, NULL::int, NULL::int FROM m {guard}",
    "region": """SELECT 'region', x::text, count(*), NULL, NULL, NULL, NULL
        FROM (SELECT unnest(regions) AS x FROM m) AS u GROUP BY x""",
    # Only the people with at least the count of the last one shown (ties included: rank()
    # gives ties one place) are joined for their names, not the tens of thousands counted.
    "person": """(SELECT 'person', p.id::text, c.n, p.name, p.slug, p.birth_year, p.death_year
        FROM (SELECT id, n, rank() OVER (ORDER BY n DESC) AS place FROM (
            SELECT x AS id, count(*) AS n FROM (SELECT unnest(people) AS x FROM m) AS u
            WHERE x <> ALL(%s::bigint[]) GROUP BY x) AS counted) AS c
        JOIN people_person AS p ON p.id = c.id
        WHERE c.place <= %s
        ORDER BY c.n DESC, p.name, p.id LIMIT %s)""",
    "collection": """SELECT 'collection', c.id::text, n.n, c.title, c.slug, NULL, NULL
        FROM (SELECT x AS id, count(*) AS n FROM (SELECT unnest(collections) AS x FROM m) AS u
            GROUP BY x) AS n
        JOIN documents_collection AS c ON c.id = n.id""",
    "language": """SELECT 'language', language, count(*), NULL, NULL, NULL, NULL
        FROM m WHERE language <> '' GROUP BY language""",
    "archive": """SELECT 'archive', original_archive, count(*), NULL, NULL, NULL, NULL
        FROM m WHERE original_archive <> '' GROUP BY original_archive""",
    "year": "SELECT 'year', year::text, count(*), NULL, NULL, NULL, NULL FROM m GROUP BY year",
}

# The first `%s` matches in relevance order, as ("ranked", id, position) rows: the order of
# `search.postgres_ranked` (rank, then date, then id, all descending), so the pages after them
# continue it exactly. The window numbers only the few rows the LIMIT kept.
_PG_RANKED = """SELECT 'ranked', id::text, row_number() OVER (
        ORDER BY rank DESC, date DESC, id DESC), NULL, NULL, NULL::int, NULL::int
    FROM (SELECT document_id AS id, rank, date FROM m
        ORDER BY rank DESC, date DESC, document_id DESC LIMIT %s) AS r"""

# The same rows from the kept totals `t` of one scope (the whole archive, or a precounted
# filter value): a few thousand rows at most, whatever the size of the archive.
_PG_TOTAL_PARTS = {
    "total": """SELECT 'total', '', count, NULL, NULL, NULL::int, NULL::int
        FROM t WHERE facet = 'all'""",
    # Only the people with at least the count of the last one shown (ties included) are
    # joined and sorted by name: a few dozen rows of tens of thousands, by the count index.
    "person": """(SELECT 'person', p.id::text, t.count, p.name, p.slug, p.birth_year, p.death_year
        FROM t JOIN people_person AS p ON p.id = t.value::bigint
        WHERE t.facet = 'person' AND p.id <> ALL(%s::bigint[]) AND t.count >= coalesce((
            SELECT count FROM t WHERE facet = 'person' AND count > 0
            ORDER BY count DESC OFFSET %s LIMIT 1), 1)
        ORDER BY t.count DESC, p.name, p.id LIMIT %s)""",
    "collection": """SELECT 'collection', c.id::text, t.count, c.title, c.slug, NULL, NULL
        FROM t JOIN documents_collection AS c ON c.id = t.value::bigint
        WHERE t.facet = 'collection' AND t.count > 0""",
}
for _facet in ("region", "language", "archive", "year"):
    _PG_TOTAL_PARTS[_facet] = f"""SELECT facet, value, count, NULL, NULL, NULL, NULL
        FROM t WHERE facet = '{_facet}' AND count > 0"""


def facet_values_sql(rows: str) -> str:
    """Every facet value of the facet rows `rows` (a table or CTE), one (facet, value) row
    each: "all" once a row, then its regions, people, collections, language, archive and
    year. Counting these per value gives a set's facet counts (precounting a scope, adding
    the documents that span into a range of years); the totals trigger, frozen in migration
    0010, says the same."""
    return f"""
        SELECT 'all' AS facet, '' AS value FROM {rows}
        UNION ALL SELECT 'region', x::text FROM {rows}, unnest({rows}.regions) AS x
        UNION ALL SELECT 'person', x::text FROM {rows}, unnest({rows}.people) AS x
        UNION ALL SELECT 'collection', x::text FROM {rows}, unnest({rows}.collections) AS x
        UNION ALL SELECT 'language', language FROM {rows} WHERE language <> ''
        UNION ALL SELECT 'archive', original_archive FROM {rows} WHERE original_archive <> ''
        UNION ALL SELECT 'year', year::text FROM {rows}"""


@dataclass
class _Kept:
    """Where a narrowing's counts can be read instead of counted: CTEs ending with `t`
    (facet, value, count), and the condition (SQL, params) under which `t` is complete;
    None when it always is."""

    ctes: str
    params: list
    precounted: str | None = None
    precounted_params: list = field(default_factory=list)


_WHOLE = _Kept(
    "t AS NOT MATERIALIZED (SELECT facet, value, count FROM documents_facettotal WHERE scope = '')",
    [],
)
_SCOPE = """t AS NOT MATERIALIZED (
    SELECT facet, value, count FROM documents_facettotal WHERE scope = %s)"""
_SCOPE_PRECOUNTED = "(SELECT EXISTS (SELECT 1 FROM documents_precountedscope WHERE scope = %s))"

# Whole years: the sum of the precounted counts of the decades inside the range (where a
# decade is precounted) and of its other years, and the documents that begin in an earlier
# year and last into the range (few: a partial index holds those spanning years), counted on
# demand.
_YEARS = """needed AS MATERIALIZED (
    SELECT DISTINCT CASE
        WHEN ys.decade * 10 >= %s AND ys.decade * 10 + 9 <= %s AND EXISTS (
            SELECT 1 FROM documents_precountedscope AS p
            WHERE p.scope = 'decade:' || ys.decade)
        THEN 'decade:' || ys.decade ELSE 'year:' || ys.year END AS scope
    FROM (
        SELECT y.value::int AS year, floor(y.value::int / 10.0)::int AS decade
        FROM documents_facettotal AS y
        WHERE y.scope = '' AND y.facet = 'year' AND y.count > 0
            AND y.value::int BETWEEN %s AND %s
    ) AS ys),
c AS MATERIALIZED (
    SELECT f.* FROM documents_documentfacets AS f
    WHERE {precounted} AND f.year < extract(year FROM f.date_last)
        AND f.date_last >= %s AND f.year < %s),
t AS MATERIALIZED (
    SELECT facet, value, sum(count) AS count FROM (
        SELECT facet, value, count FROM documents_facettotal
        WHERE {precounted} AND scope IN (SELECT scope FROM needed)
        UNION ALL SELECT facet, value, 1 FROM ({spanning}) AS spanning
    ) AS k GROUP BY facet, value)"""
# Every decade or year the range needs is precounted.
_YEARS_PRECOUNTED = """(SELECT NOT EXISTS (
    SELECT 1 FROM needed WHERE NOT EXISTS (
        SELECT 1 FROM documents_precountedscope AS p WHERE p.scope = needed.scope)))"""


def _whole_years(where: list) -> _Kept | None:
    """A date range of whole years (1950, 1950–1959, from 1950): its kept counts."""
    bounds = dict(condition.scope.split(":", 1) for condition in where if condition.scope)
    if len(bounds) != len(where) or not set(bounds) <= {"from", "to"}:
        return None
    first = date.fromisoformat(bounds["from"]) if "from" in bounds else None
    last = date.fromisoformat(bounds["to"]) if "to" in bounds else None
    if (first and (first.month, first.day) != (1, 1)) or (
        last and (last.month, last.day) != (12, 31)
    ):
        return None
    low = first.year if first else -1
    high = last.year if last else 10**6
    # No `from`: nothing begins before the range, so no document lasts into it.
    since = first or date.max
    return _Kept(
        _YEARS.format(precounted=_YEARS_PRECOUNTED, spanning=facet_values_sql("c")),
        [low, high, low, high, since, low],
        _YEARS_PRECOUNTED,
        [],
    )


def _kept(where: list | None) -> _Kept | None:
    if where == []:  # the whole published archive
        return _WHOLE
    if where is None:
        return None
    scope = where[0].scope if len(where) == 1 else ""
    if scope and not scope.startswith(("from:", "to:")):
        return _Kept(_SCOPE, [scope], _SCOPE_PRECOUNTED, [scope])
    return _whole_years(where)


def _part_params(name: str, kept: bool, excluded: list[int], people_limit: int | None) -> list:
    if name != "person":  # the only part with parameters of its own
        return []
    if kept:  # how many rows down the last one shown can be
        offset = len(excluded) + people_limit - 1 if people_limit else 10**9
        return [excluded, offset, people_limit]
    return [excluded, people_limit or 10**9, people_limit]


@dataclass
class _Match:
    """The matching facet rows `f`: FROM what, under which conditions, and (for a keyword)
    the rank of each match's document `d`; `ids()` finds only their ids."""

    source: str
    conditions: str
    params: list
    rank: str = ""
    rank_params: list = field(default_factory=list)
    # No condition reads the facet rows (a keyword alone): the ids can be found from the
    # documents alone, without joining a million facet rows to them.
    documents_only: bool = False

    def ids(self) -> tuple[str, str, list, str]:
        """(FROM, WHERE, params, the id column) that find the ids alone."""
        if self.documents_only:
            conditions = f"d.status = %s AND {self.conditions}"
            return "documents_document AS d", conditions, [Status.PUBLISHED, *self.params], "d.id"
        return self.source, self.conditions, self.params, "f.document_id"


def _match(queryset: QuerySet, keyword: FacetCondition | None) -> _Match:
    where = queryset.facet_where
    if where is None:  # a narrowing the facet rows were not told about: match the ids
        ids_sql, ids_params = _ids(queryset).query.sql_with_params()
        return _Match(
            "documents_documentfacets AS f", f"f.document_id IN ({ids_sql})", [*ids_params]
        )
    conditions = " AND ".join(f"({condition.sql})" for condition in where)
    params = [value for condition in where for value in condition.params]
    if keyword is None:  # the filters, on the narrow facet rows
        return _Match("documents_documentfacets AS f", conditions, params)
    # A keyword joins the matching documents once: the planner starts from the search index
    # or from the other filters, whichever is narrower, and the rank is taken in the same
    # pass when a page of results will want it.
    return _Match(
        "documents_documentfacets AS f JOIN documents_document AS d ON d.id = f.document_id",
        conditions,
        params,
        "ts_rank_cd(d.search_vector, %s::tsquery)",
        [keyword.search],
        documents_only=all(condition.search is not None for condition in where),
    )


def _posted_word(searches: list[FacetCondition]) -> str | None:
    """The one word these keyword conditions search for, if they are one search for one
    word: its postings may be kept (`SearchWord`)."""
    return single_lexeme(searches[0].search) if len(searches) == 1 else None


def _pg_counts(
    queryset: QuerySet,
    wanted: Iterable[str],
    *,
    people_limit: int | None,
    excluded: list[int],
    version: int | None = None,
    ranked: int = 0,
) -> Counts:
    """One statement. The whole archive reads its kept totals; a single precounted value, or
    a range of whole precounted years, reads its kept counts (the match below is then
    skipped: its condition is false before any row is read); anything else is matched once,
    materialised, and counted."""
    wanted = list(wanted)
    where = queryset.facet_where
    kept = _kept(where)
    keyword = None
    ctes: list[str] = []
    params: list = []
    parts: list[tuple[str, list]] = []
    if kept is not None:
        ctes.append(kept.ctes)
        params += kept.params
    if kept is None or kept.precounted is not None:
        keyword = next((c for c in where or [] if c.search is not None), None)
        match = _match(queryset, keyword)
        selected, conditions, match_params = "f.*", match.conditions, match.params
        guard = ""
        if kept is not None:  # counted only when the kept counts are not complete
            conditions = f"NOT {kept.precounted} AND {conditions}"
            match_params = [*kept.precounted_params, *match_params]
            guard = f"HAVING NOT {kept.precounted}"
        if match.rank and ranked:
            selected = f"f.*, {match.rank} AS rank"
            match_params = [*match.rank_params, *match_params]
        # The match is evaluated once; each facet then reads the rows it left.
        ctes.append(f"m AS MATERIALIZED (SELECT {selected} FROM {match.source} WHERE {conditions})")
        params += match_params
        for name in wanted:
            part_params = _part_params(name, False, excluded, people_limit)
            if name == "total" and kept is not None:
                part_params = list(kept.precounted_params)
            parts.append((_PG_PARTS[name].format(guard=guard), part_params))
        if keyword is not None and ranked:
            parts.append((_PG_RANKED, [ranked]))
    if kept is not None:
        parts += [
            (_PG_TOTAL_PARTS[n], _part_params(n, True, excluded, people_limit)) for n in wanted
        ]
    sql = "WITH " + ",\n".join(ctes) + "\n" + "\nUNION ALL\n".join(part for part, _ in parts)
    params += [value for _, part_params in parts for value in part_params]
    columns = facet_columns.current(version) if kept is None else None

    def count() -> list[tuple] | None:
        """The same rows, counted in this process; None: SQL counts them."""
        if columns is not None:
            try:
                if keyword is None and where is not None and facet_columns.decides(where):
                    return facet_columns.count_rows_where(
                        columns,
                        where,
                        wanted,
                        version=version,
                        people_limit=people_limit,
                        excluded=excluded,
                    )
                filters = [c for c in where or [] if c.search is None]
                searches = [c for c in where or [] if c.search is not None]
                decided = facet_columns.decides(filters)
                word = _posted_word(searches) if decided else None
                if word is not None:
                    posted = facet_columns.count_rows_posted(
                        columns,
                        filters,
                        word,
                        wanted,
                        people_limit=people_limit,
                        excluded=excluded,
                        ranked=ranked,
                    )
                    if posted is not None:
                        return posted
                if keyword is not None and filters and decided:
                    among = facet_columns.count_rows_among(
                        columns,
                        filters,
                        searches,
                        wanted,
                        rank=match.rank,
                        rank_params=match.rank_params,
                        people_limit=people_limit,
                        excluded=excluded,
                        ranked=ranked,
                    )
                    if among is not None:
                        return among
                return facet_columns.count_rows(
                    columns,
                    *match.ids(),
                    wanted,
                    rank=match.rank,
                    rank_params=match.rank_params,
                    people_limit=people_limit,
                    excluded=excluded,
                    ranked=ranked if keyword is not None else 0,
                )
            except facet_columns.ColumnsStale:
                facet_columns.reread_in_background()
        return None

    rows = cached_rows(sql, params, version=version, compute=count)
    counts = Counts()
    ranked_rows = []
    for facet, value, count, label, slug, birth, death in rows:
        count = int(count)
        if facet == "ranked":
            ranked_rows.append((count, int(value)))
        elif facet == "total":
            counts.total = count
        elif facet == "region":
            counts.regions[int(value)] = count
        elif facet == "person":
            counts.people.append(
                {"name": label, "slug": slug, "birth": birth, "death": death, "count": count}
            )
        elif facet == "collection":
            counts.collections.append({"name": label, "slug": slug, "count": count})
        elif facet == "language":
            counts.languages.append((value, count))
        elif facet == "archive":
            counts.archives.append((value, count))
        elif facet == "year":
            counts.years.append((int(value), count))
    if "total" in wanted and counts.total is None:  # an empty archive has no "all" row
        counts.total = 0
    if keyword is not None and ranked:
        counts.ranked = [document_id for _, document_id in sorted(ranked_rows)]
    counts.collections.sort(key=lambda row: (-row["count"], row["name"]))
    counts.languages.sort(key=lambda row: (-row[1], row[0]))
    counts.archives.sort(key=lambda row: (-row[1], row[0]))
    counts.years.sort()
    return counts


# Any database: joins over the link tables ------------------------------------------------


def _generic_counts(
    queryset: QuerySet,
    wanted: Iterable[str],
    *,
    people_limit: int | None,
    excluded: list[int],
    version: int | None = None,  # nothing is cached: the query is the check
    ranked: int = 0,  # the page reads its own order
) -> Counts:
    counts = Counts()
    for name in wanted:
        if name == "total":
            counts.total = queryset.order_by().count()
        elif name == "region":
            counts.regions = _generic_region_counts(queryset)
        elif name == "person":
            rows = DocumentParticipant.objects.filter(document_id__in=_ids(queryset))
            if excluded:
                rows = rows.exclude(person_id__in=excluded)
            rows = (
                rows.values(
                    "person__name",
                    "person__slug",
                    "person__birth_year",
                    "person__death_year",
                    "person_id",
                )
                .annotate(count=Count("document_id", distinct=True))
                .order_by("-count", "person__name", "person_id")
            )
            if people_limit is not None:
                rows = rows[:people_limit]
            counts.people = [
                {
                    "name": row["person__name"],
                    "slug": row["person__slug"],
                    "birth": row["person__birth_year"],
                    "death": row["person__death_year"],
                    "count": row["count"],
                }
                for row in rows
            ]
        elif name == "collection":
            rows = (
                Document.collections.through.objects.filter(document_id__in=_ids(queryset))
                .values("collection__slug", "collection__title")
                .annotate(count=Count("document_id"))
                .order_by("-count", "collection__title")
            )
            counts.collections = [
                {"slug": r["collection__slug"], "name": r["collection__title"], "count": r["count"]}
                for r in rows
            ]
        elif name in ("language", "archive"):
            field_name = "language" if name == "language" else "original_archive"
            rows = (
                queryset.order_by()
                .exclude(**{field_name: ""})
                .values(field_name)
                .annotate(count=Count("id"))
                .order_by("-count", field_name)
            )
            pairs = [(row[field_name], row["count"]) for row in rows]
            setattr(counts, "languages" if name == "language" else "archives", pairs)
        elif name == "year":
            rows = (
                queryset.order_by()
                .annotate(year=ExtractYear("date"))
                .values("year")
                .annotate(count=Count("id"))
                .order_by("year")
            )
            counts.years = [(row["year"], row["count"]) for row in rows]
    return counts


def _generic_region_counts(queryset: QuerySet) -> dict[int, int]:
    """A document tagged "China" and "North Korea" counts once for East Asia: DISTINCT over
    the region tree's closure, built by a recursive query that SQLite runs too."""
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
        return dict(cursor.fetchall())


def facet_counts(
    queryset: QuerySet,
    wanted: Iterable[str],
    *,
    people_limit: int | None = None,
    exclude_person: Person | None = None,
    generic: bool = False,
    version: int | None = None,
    ranked: int = 0,
) -> Counts:
    """The raw counts of the `wanted` facets (and "total") of these documents, in one query on
    PostgreSQL. `generic` counts with joins on any database (to check the facet tables).

    `ranked`: when the documents are a keyword match, also their first `ranked` ids in
    relevance order (`Counts.ranked`; PostgreSQL), found in the same pass as the counts.
    """
    wanted = [name for name in ("total", *FACETS) if name in set(wanted)]
    excluded = [exclude_person.pk] if exclude_person is not None else []
    count = _generic_counts if generic or not _use_facet_tables() else _pg_counts
    return count(
        queryset,
        wanted,
        people_limit=people_limit,
        excluded=excluded,
        version=version,
        ranked=ranked,
    )


# Shaped for pages ------------------------------------------------------------------------


def region_tree(counts: dict[int, int], *, include_empty: bool = False) -> list[RegionCount]:
    """A tree of regions with counts; a region counts each document under it once."""
    regions = {region.id: region for region in Region.objects.all()}
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


def people_rows(counts: Counts, limit: int | None) -> FacetRows:
    result = FacetRows(
        {
            "slug": row["slug"],
            "name": row["name"],
            "life_dates": format_life_dates(row["birth"], row["death"]),
            "count": row["count"],
        }
        for row in counts.people
    )
    if limit is not None and len(result) > limit:
        del result[limit:]
        result.more = True
    return result


def value_rows(pairs: list[tuple[str, int]], *, names=None) -> list[dict]:
    return [
        {"value": value, "name": names(value) if names else value, "count": count}
        for value, count in pairs
    ]


def region_counts(queryset: QuerySet, *, include_empty: bool = False) -> list[RegionCount]:
    return region_tree(facet_counts(queryset, ["region"]).regions, include_empty=include_empty)


def people_counts(
    queryset: QuerySet, *, limit: int | None = PEOPLE_SHOWN, exclude: Person | None = None
) -> FacetRows:
    """The people of these documents with their number of documents; `limit=None` for all.

    One row more than the limit is fetched, so `more` tells whether anyone was left out.
    """
    people_limit = limit + 1 if limit is not None else None
    counts = facet_counts(queryset, ["person"], people_limit=people_limit, exclude_person=exclude)
    return people_rows(counts, limit)


def collection_counts(queryset: QuerySet) -> list[dict]:
    return facet_counts(queryset, ["collection"]).collections


def language_counts(queryset: QuerySet) -> list[dict]:
    return value_rows(facet_counts(queryset, ["language"]).languages, names=language_name)


def archive_counts(queryset: QuerySet) -> list[dict]:
    return value_rows(facet_counts(queryset, ["archive"]).archives)


def year_rows(counts: Counts) -> list[dict]:
    return [{"year": year, "count": count} for year, count in counts.years]


def year_counts(queryset: QuerySet) -> list[dict]:
    return year_rows(facet_counts(queryset, ["year"]))


def document_count(queryset: QuerySet, *, version: int | None = None) -> int:
    """How many documents: on PostgreSQL from the facet rows (or kept totals), cached."""
    return facet_counts(queryset, ["total"], version=version).total or 0


def all_facet_counts(
    queryset: QuerySet,
    *,
    exclude_person: Person | None = None,
    version: int | None = None,
    ranked: int = 0,
) -> Counts:
    """Every facet of the list page and the number of documents, in one query on PostgreSQL."""
    return facet_counts(
        queryset,
        ["total", *FACETS],
        people_limit=PEOPLE_SHOWN + 1,
        exclude_person=exclude_person,
        version=version,
        ranked=ranked,
    )


def all_facets(
    queryset: QuerySet, *, exclude_person: Person | None = None, version: int | None = None
) -> dict:
    """Every facet of the list page and the number of documents (`total`)."""
    return shaped_facets(all_facet_counts(queryset, exclude_person=exclude_person, version=version))


def shaped_facets(counts: Counts) -> dict:
    """The counts of `all_facet_counts` as the list page and the API show them."""
    return {
        "total": counts.total,
        "regions": region_tree(counts.regions),
        "people": people_rows(counts, PEOPLE_SHOWN),
        "collections": counts.collections,
        "languages": value_rows(counts.languages, names=language_name),
        "archives": value_rows(counts.archives),
        "years": year_rows(counts),
    }
