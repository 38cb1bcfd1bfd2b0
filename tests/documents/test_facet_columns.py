"""Facet counts from the columns held in the web process (PostgreSQL).

Every count must be the one SQL gives for the same documents at the same version of the
archive; after any write the columns are not used until they have been read again.
"""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from documents import facet_columns
from documents.caching import archive_version
from documents.facets import FACETS, facet_counts
from documents.importing import documents_import
from documents.models import ArchiveVersion, Collection, Document, Status
from documents.selectors import RANKED_AHEAD, document_search
from people.models import Person

EVERY = ["total", *FACETS]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the facet columns are read from PostgreSQL"
)

QUERIES = [
    "q=Mao",
    "q=visit -talks",
    "q=%22prime minister%22 OR premier",
    "q=zzzznothing",
    "q=the",  # stop words only: matches nothing
    "region=east-asia&date_from=1960",
    "person=mao-zedong&date_from=1950",
    "person=mao-zedong&person=kim-il-sung",
    "date_from=1955&date_to=1960-06",
    "q=visit&region=east-asia&date_from=1950",
    "language=ru&q=talks",
    # Decided by the columns alone, without asking PostgreSQL which documents match. (One
    # value alone, or whole years, read their kept counts or count a few thousand in SQL.)
    "language=ru&date_from=1950",
    "archive=Nowhere&language=en",
    "region=east-asia&region=europe&date_from=1955-06",
    "collection={collection}&date_from=1960-03",
    "person=mao-zedong&language=zh",
]
DECIDED = {query for query in QUERIES if "q=" not in query}


@pytest.fixture
def columns(seeded, visits_path):
    documents_import(paths=[visits_path])
    yield facet_columns.refresh(min_documents=0)
    facet_columns.forget()


def _copies(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("COPY (SELECT")]


def _counted_in_sql(queries) -> bool:
    return any("m AS MATERIALIZED" in q["sql"] for q in queries.captured_queries)


def both_ways(monkeypatch, queryset, *, decided=False, **options):
    """The counts from the columns (checking they were used: PostgreSQL found the matching
    ids, or with `decided` not even that), and from SQL alone."""
    with CaptureQueriesContext(connection) as queries:
        from_columns = facet_counts(queryset, EVERY, **options)
    assert not _counted_in_sql(queries)
    assert len(_copies(queries)) == (0 if decided else 1)
    with monkeypatch.context() as patched:
        patched.setattr(facet_columns, "current", lambda version: None)
        with CaptureQueriesContext(connection) as queries:
            from_sql = facet_counts(queryset, EVERY, **options)
        assert _counted_in_sql(queries)
        assert not _copies(queries)
    return from_columns, from_sql


@pytest.mark.parametrize("query", QUERIES)
def test_the_columns_count_what_sql_counts(columns, monkeypatch, query):
    collection = Collection.objects.filter(documents__isnull=False).order_by("id").first()
    search = document_search(QueryDict(query.format(collection=collection.slug)))
    assert search.filtered.facet_where is not None
    somebody = Person.objects.get(slug="mao-zedong")
    for options in (
        {"people_limit": 16, "ranked": RANKED_AHEAD},
        {"people_limit": 16, "ranked": 5},  # ties at the fifth rank are broken the same way
        {"people_limit": 1},  # ties at the cut all come along, then the limit
        {"people_limit": 3, "exclude_person": somebody},
        {"people_limit": None},
    ):
        from_columns, from_sql = both_ways(
            monkeypatch, search.filtered, decided=query in DECIDED, **options
        )
        assert from_columns == from_sql, options
    generic = facet_counts(search.filtered, EVERY, people_limit=16, generic=True)
    assert from_columns.total == search.filtered.count() == generic.total
    assert from_columns.regions == generic.regions
    assert from_columns.years == generic.years


@pytest.mark.parametrize(
    "query",
    [
        "q=visit&region=east-asia&date_from=1950",
        "q=%22prime minister%22 OR premier&date_from=1955&date_to=1960-06",
        "language=ru&q=talks",
        "q=Mao&person=mao-zedong&person=kim-il-sung",
        "q=zzzznothing&region=east-asia",
        "q=visit&archive=Nowhere",  # the filters leave no ids at all
    ],
)
def test_a_keyword_among_filtered_documents_is_tested_on_their_ids(columns, monkeypatch, query):
    """With filters the columns decide, PostgreSQL only tests the keyword on the ids they
    leave, unless those are too many to send; the counts and the relevance order are SQL's."""
    search = document_search(QueryDict(query))
    options = {"people_limit": 16, "ranked": RANKED_AHEAD}
    for most, among in ((10**6, True), (-1, False)):  # -1: even no ids are too many
        monkeypatch.setattr(facet_columns, "AMONG_MOST", most)
        with CaptureQueriesContext(connection) as queries:
            from_columns = facet_counts(search.filtered, EVERY, **options)
        (copy,) = _copies(queries)
        assert ("d.id = ANY(string_to_array(" in copy) == among, copy
        assert ("documents_documentfacets" in copy) != among  # their facet rows: not read
        with monkeypatch.context() as patched:
            patched.setattr(facet_columns, "current", lambda version: None)
            from_sql = facet_counts(search.filtered, EVERY, **options)
        assert from_columns == from_sql
        assert from_columns.ranked == from_sql.ranked
    assert (from_columns.total > 0) == ("zzzz" not in query and "Nowhere" not in query)


def test_a_write_between_reading_the_columns_and_the_keyword_is_not_mixed_in(columns, monkeypatch):
    search = document_search(QueryDict("q=visit&region=east-asia"))
    before = facet_counts(search.filtered, EVERY, people_limit=16, ranked=RANKED_AHEAD)
    first = before.ranked[0]
    Document.objects.filter(pk=first).update(status=Status.DRAFT)  # bumps the version
    after = facet_counts(search.filtered, EVERY, people_limit=16, ranked=RANKED_AHEAD)
    with monkeypatch.context() as patched:
        patched.setattr(facet_columns, "current", lambda version: None)
        assert after == facet_counts(search.filtered, EVERY, people_limit=16, ranked=RANKED_AHEAD)
    assert first not in after.ranked and after.total == before.total - 1


@pytest.mark.parametrize("page", ["/people/mao-zedong/", "/regions/east-asia/", "collection"])
def test_person_region_and_collection_pages_are_decided_by_the_columns(
    columns, client, monkeypatch, page
):
    if page == "collection":
        collection = Collection.objects.filter(documents__isnull=False).order_by("id").first()
        page = collection.get_absolute_url()
    page += "?date_from=1950&language=en"  # more than the precounted single value
    decided = []
    count_rows_where = facet_columns.count_rows_where

    def spied(*args, **kwargs):
        decided.append(kwargs)
        return count_rows_where(*args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(facet_columns, "count_rows_where", spied)
        shown = client.get(page).content
    assert decided  # the list's facets
    facet_columns.forget()
    assert client.get(page).content == shown


def test_the_relevance_order_is_the_ranked_pages_order(columns):
    search = document_search(QueryDict("q=visit"))
    ranked = search.counts.ranked
    assert len(ranked) > 20
    ordered = [d.id for d in search.results[: len(ranked)]]  # ranked by its own query
    assert ranked == ordered


def test_the_keyword_page_shows_the_same_with_and_without_columns(columns, client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/documents/?q=visit&region=east-asia").content
    assert len(_copies(queries)) == 1
    facet_columns.forget()
    assert client.get("/documents/?q=visit&region=east-asia").content == page


def test_after_a_write_the_counts_are_sqls_until_the_columns_are_read_again(columns, monkeypatch):
    search = document_search(QueryDict("q=visit"))
    before = facet_counts(search.filtered, EVERY, people_limit=16)
    document = Document.objects.get(pk=search.counts.ranked[0])
    Document.objects.filter(pk=document.pk).update(status=Status.DRAFT)  # no signals at all

    # The version is known (as with the cache on): the columns are not even tried.
    with CaptureQueriesContext(connection) as queries:
        version = ArchiveVersion.objects.get().version
        after = facet_counts(search.filtered, EVERY, people_limit=16, version=version)
    assert not _copies(queries)
    assert after.total == before.total - 1
    # Not known: the match reads the version in its own snapshot and finds them stale.
    with CaptureQueriesContext(connection) as queries:
        assert facet_counts(search.filtered, EVERY, people_limit=16) == after
    assert len(_copies(queries)) == 1  # tried, refused, counted by SQL

    # Filters the columns decide alone: the version is read, found newer, and SQL counts.
    decided = document_search(QueryDict("region=east-asia&date_from=1950-02")).filtered
    with CaptureQueriesContext(connection) as queries:
        counted = facet_counts(decided, EVERY, people_limit=16)
    assert _counted_in_sql(queries)
    assert counted == facet_counts(decided, EVERY, people_limit=16, generic=True)

    fresh = facet_columns.refresh(min_documents=0)
    assert fresh.version != columns.version
    assert both_ways(monkeypatch, search.filtered, people_limit=16)[0] == after


def test_a_small_archive_has_no_columns(columns):
    assert facet_columns.current(None) is columns
    assert facet_columns.refresh(min_documents=10**9) is None
    assert facet_columns.current(None) is None  # and none read behind its back
    assert facet_columns.reread_in_background() is None


def test_columns_hold_every_published_document(columns):
    published = Document.objects.published()
    assert columns.ids.tolist() == sorted(published.values_list("id", flat=True))
    assert columns.version == ArchiveVersion.objects.get().version
    china = published.filter(regions__slug="china").first()
    at = columns.positions(columns.ids[columns.ids == china.id])
    assert (
        int(china.regions.first().id)
        in columns.region.keys[
            columns.region.codes[columns.region.starts[at[0]] : columns.region.starts[at[0] + 1]]
        ].tolist()
    )


def _arrays(columns: facet_columns.FacetColumns) -> dict[str, tuple]:
    """Every array of the columns, with its type, and the keys, by name."""
    found: dict[str, tuple] = {}
    for name in ("ids", "dates", "date_last"):
        array = getattr(columns, name)
        found[name] = (array.dtype, array.tolist())
    for name in ("year", "language", "archive", "region", "person", "collection"):
        facet = getattr(columns, name)
        for part in ("starts", "codes", "keys"):
            value = getattr(facet, part, None)
            if value is not None:
                found[f"{name}.{part}"] = (getattr(value, "dtype", list), list(value))
    return found


def test_columns_read_in_many_spans_are_those_read_in_one(columns, monkeypatch):
    monkeypatch.setattr(facet_columns, "_SPAN", 7)  # documents a statement
    assert len(columns.ids) > 7 * 50
    spans = facet_columns.read_columns()
    assert spans.version == columns.version and _arrays(spans) == _arrays(columns)
    assert columns.dates.dtype == columns.date_last.dtype == "int32"


def test_an_empty_archive_has_empty_columns_of_the_same_types(columns):
    Document.objects.all().delete()
    full, empty = _arrays(columns), _arrays(facet_columns.read_columns())
    assert {name: kind for name, (kind, _) in empty.items()} == {
        name: kind for name, (kind, _) in full.items()
    }
    assert empty["ids"][1] == empty["person.codes"][1] == [] and empty["region.starts"][1] == [0]


def test_arrays_come_in_binary_and_nulls_are_refused(db):
    ids, ranks = facet_columns.copy_arrays(
        "SELECT array_agg(x::bigint), array_agg((x * 0.5)::real) FROM generate_series(1, 3) AS x",
        [],
    )
    assert ids.tolist() == [1, 2, 3]
    assert ranks.tolist() == [0.5, 1.0, 1.5]
    (empty,) = facet_columns.copy_arrays("SELECT '{}'::bigint[]", [])
    assert empty.tolist() == []
    for refused in (
        "SELECT NULL::bigint[]",
        "SELECT ARRAY[1, NULL]::bigint[]",
        "SELECT '{a}'::text[]",
    ):
        with pytest.raises(ValueError):
            facet_columns.copy_arrays(refused, [])
    with pytest.raises(ValueError):  # two rows where one is expected
        facet_columns.copy_arrays("SELECT ARRAY[x] FROM generate_series(1, 2) AS x", [])


@pytest.mark.django_db(transaction=True)
def test_columns_are_read_in_a_thread_of_their_own(settings):
    from django.core.management import call_command

    call_command("load_seeds", verbosity=0)
    settings.ARCHIVE_FACET_COLUMNS_MIN_DOCUMENTS = 1
    settings.ARCHIVE_FACET_COLUMNS_REREAD_SECONDS = 3600
    facet_columns.forget()
    try:
        assert facet_columns.current(archive_version()) is None  # none yet: a reading starts
        reading = facet_columns._Held.reading
        reading.join(timeout=60)
        assert not reading.is_alive()
        held = facet_columns.current(archive_version())
        assert held is not None
        assert len(held.ids) == Document.objects.published().count()
        # One reading at a time, and not again before the interval is over.
        assert facet_columns.reread_in_background() is None
    finally:
        facet_columns.forget()


@pytest.mark.parametrize(
    "url",
    [
        "/documents/?date_from=0001&date_to=9999",
        "/documents/?date_from=9999&language=xx",
        "/documents/?language=%00&archive=%ff&date_from=1950",
        "/documents/?region=east-asia&region=nowhere&date_to=0001-01",
        "/documents/?person=mao-zedong&person=mao-zedong&date_from=1950-02-29",
        "/documents/?q=%22&region=east-asia&date_from=1950",
        "/documents/?q=-&person=mao-zedong&language=en",
        "/documents/?q=a*&archive=&date_from=1960-13",
        "/people/mao-zedong/?date_from=1950&language=en&q=talks",
        "/api/documents/?date_from=1950&region=east-asia&language=en",
    ],
)
def test_odd_requests_get_pages_from_the_columns_too(columns, client, url):
    response = client.get(url)
    assert response.status_code == 200
    facet_columns.forget()
    assert client.get(url).content == response.content  # what SQL counts
