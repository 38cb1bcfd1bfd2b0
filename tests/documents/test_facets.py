"""The facet counts stay exact through every kind of write.

On PostgreSQL the counts come from tables that triggers keep current (`DocumentFacets`,
`FacetTotal`); each test writes the way some part of the archive writes, then checks the
kept counts against counting from scratch with joins over the link tables.
"""

import datetime
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from documents import importing, services
from documents.facets import FACETS, all_facets, facet_counts
from documents.importing import documents_import, import_batch_undo
from documents.models import (
    Collection,
    Document,
    DocumentFacets,
    DocumentParticipant,
    FacetTotal,
    PrecountedScope,
    Region,
    Status,
)
from documents.selectors import document_search
from documents.services import (
    documents_unpublish,
    facet_scopes_refresh,
    facet_totals_deferred,
    regions_merge,
)
from people.models import Person
from people.services import people_merge
from tests.factories import DocumentFactory

EVERY = ["total", *FACETS]


def assert_exact():
    """The kept totals, the kept rows and counting from scratch agree, for the whole archive
    and for a narrowed part of it."""
    everything = Document.objects.published()
    counted = facet_counts(everything, EVERY, generic=True)
    assert facet_counts(everything, EVERY) == counted  # the totals, on PostgreSQL
    somebody = Person.objects.filter(participations__isnull=False).order_by("id").first()
    narrowed = everything.filter(date__year__gte=1950)
    # Read from the kept totals (everything) and counted on demand (narrowed); ties at the
    # cut, too.
    for documents in (everything, narrowed):
        for limit, excluded in ((1, None), (3, None), (3, somebody)):
            shown = facet_counts(documents, ["person"], people_limit=limit, exclude_person=excluded)
            assert shown.people == (
                facet_counts(
                    documents, ["person"], people_limit=limit, exclude_person=excluded, generic=True
                ).people
            )
    assert facet_counts(narrowed, EVERY) == facet_counts(narrowed, EVERY, generic=True)
    if connection.vendor == "postgresql":
        assert DocumentFacets.objects.count() == everything.count()
        assert_precounted_exact()
    return counted


def scope_search(scope: str):
    """The list page narrowed to one facet value, as a researcher would ask for it."""
    facet, value = scope.split(":", 1)
    if facet in ("year", "decade"):
        first, last = (value, value) if facet == "year" else (f"{value}0", f"{value}9")
        return document_search(QueryDict(urlencode({"date_from": first, "date_to": last})))
    model = {"region": Region, "person": Person, "collection": Collection}.get(facet)
    if model is not None:
        value = model.objects.get(pk=value).slug
    return document_search(QueryDict(urlencode({facet: value})))


def assert_precounted_exact():
    """Each precounted value's kept counts are what counting its documents gives."""
    scopes = list(PrecountedScope.objects.values_list("scope", flat=True))
    for scope in scopes:
        filtered = scope_search(scope).filtered
        if filtered.is_everything_published:  # a person no published document names now
            assert not FacetTotal.objects.filter(scope=scope, count__gt=0).exists()
            continue
        facet, value = scope.split(":", 1)
        first, last = {"year": (value, value), "decade": (f"{value}0", f"{value}9")}.get(
            facet, (None, None)
        )
        expected = [f"from:{first}-01-01", f"to:{last}-12-31"] if first else [scope]
        assert [condition.scope for condition in filtered.facet_where] == expected
        kept = facet_counts(filtered, EVERY, people_limit=4)
        counted = facet_counts(filtered, EVERY, people_limit=4, generic=True)
        assert kept == counted, scope
    return scopes


@pytest.fixture
def precounted(seeded):
    """Every facet value of the seeds precounted (PostgreSQL), so each write below must keep
    their counts exact too."""
    facet_scopes_refresh(min_documents=1)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the facet tables are PostgreSQL's; SQLite counts with joins (tested everywhere)",
)


def test_the_seeds_and_the_visits_are_counted_exactly(seeded, visits_path):
    documents_import(paths=[visits_path])
    counted = assert_exact()
    assert counted.total == Document.objects.published().count() > 400
    east_asia = Region.objects.get(slug="east-asia")
    assert counted.regions[east_asia.id] == (
        Document.objects.published()
        .filter(regions__in=Region.objects.descendant_ids(["east-asia"]))
        .distinct()
        .count()
    )


def test_the_list_page_counts_with_its_facets(seeded, client, django_assert_num_queries):
    """The total beside the results is the facets' own total: no separate count."""
    search = document_search(QueryDict("region=east-asia"))
    assert search.count == search.filtered.count() == search.facets["total"]
    everything = document_search(QueryDict("sort=title"))
    assert everything.filtered.is_everything_published  # sorting narrows nothing
    assert everything.count == Document.objects.published().count()
    assert not document_search(QueryDict("language=ru")).filtered.is_everything_published


def test_editing_a_document_and_its_links(seeded, precounted):
    document = Document.objects.published().first()
    document.date = datetime.date(1931, 5, 1)
    document.language = "fr"
    document.save()
    assert_exact()

    region = Region.objects.filter(parent__isnull=False).exclude(documents=document).first()
    document.regions.add(region)
    assert_exact()
    document.regions.clear()
    assert_exact()

    collection = Collection.objects.create(title="Extra", slug="extra")
    document.collections.set([collection])
    assert_exact()

    person = Person.objects.create(name="Someone New", slug="someone-new")
    DocumentParticipant.objects.create(document=document, person=person, position=99)
    assert_exact()
    DocumentParticipant.objects.filter(document=document).delete()
    assert_exact()


def test_publishing_unpublishing_and_deleting(seeded, precounted):
    documents_unpublish(documents=Document.objects.filter(pk__in=Document.objects.values("pk")[:3]))
    counted = assert_exact()
    assert counted.total == Document.objects.filter(status=Status.PUBLISHED).count()
    Document.objects.filter(status=Status.DRAFT).update(status=Status.PUBLISHED)
    assert_exact()
    Document.objects.filter(pk__in=Document.objects.values("pk")[:2]).delete()
    assert_exact()


def test_moving_a_place_to_another_region(seeded, precounted):
    place = Region.objects.filter(parent__isnull=False, documents__isnull=False).first()
    other_world_region = Region.objects.filter(parent__isnull=True).exclude(pk=place.parent_id)
    place.parent = other_world_region.first()
    place.save()
    assert_exact()


def test_an_import_undone_then_merging_people_and_places(seeded, precounted, visits_path):
    report = documents_import(paths=[visits_path])
    import_batch_undo(batch=report.batch)
    assert_exact()
    documents_import(paths=[visits_path])
    people = list(Person.objects.filter(participations__isnull=False).distinct()[:3])
    people_merge(survivor=people[0], others=people[1:])
    assert_exact()
    places = list(Region.objects.filter(parent__isnull=False, documents__isnull=False)[:2])
    regions_merge(survivor=places[0], others=places[1:])
    assert_exact()


def test_an_import_files_its_own_earlier_documents_under_a_new_region(
    precounted, write_batch, monkeypatch
):
    """An import adds its facet totals at its end (`facet_totals_deferred`). Its second chunk
    here puts a place its first chunk created under a world region, which moves the facet
    rows of documents whose totals are not yet added: they must be counted once, as they
    end up."""
    monkeypatch.setattr(importing, "CHUNK", 2)
    record = {"title": "T", "date": "1967", "participants": ["Kim Il Sung"]}
    path = write_batch(
        "batch.jsonl",
        [
            {**record, "identifier": "new-1", "regions": ["Atlantis"]},
            {**record, "identifier": "new-2", "regions": ["Atlantis"]},
            {**record, "identifier": "new-3", "regions": ["East Asia > Atlantis"]},
        ],
    )
    documents_import(paths=[path])
    atlantis = Region.objects.get(name="Atlantis")
    assert atlantis.parent.slug == "east-asia"
    counted = assert_exact()
    assert counted.regions[atlantis.id] == 3


@postgresql_only
def test_deferred_totals_count_rows_as_they_end_up(precounted):
    """Inside `facet_totals_deferred`, a new document that is unpublished or deleted again
    before the block ends leaves no trace in the totals; one edited counts as edited."""
    published = Document.objects.published()
    with transaction.atomic(), facet_totals_deferred():
        kept, dropped, hidden = DocumentFactory.create_batch(3, status=Status.PUBLISHED)
        Document.objects.filter(pk=hidden.pk).update(status=Status.DRAFT)
        Document.objects.filter(pk=dropped.pk).delete()
        Document.objects.filter(pk=kept.pk).update(language="sw")
        old = published.exclude(pk=kept.pk).first()
        Document.objects.filter(pk=old.pk).update(language="sw")  # not deferred: at once
    counted = assert_exact()
    assert dict(counted.languages)["sw"] == 2


@postgresql_only
def test_the_kept_totals_are_what_the_rows_add_up_to(seeded, visits_path):
    documents_import(paths=[visits_path])
    Document.objects.filter(pk__in=Document.objects.values("pk")[:5]).update(status=Status.DRAFT)
    kept = {
        (row.facet, row.value): row.count
        for row in FacetTotal.objects.filter(scope="", count__gt=0)
    }
    added_up: dict[tuple[str, str], int] = {}
    for row in DocumentFacets.objects.all():
        values = [("all", ""), ("year", str(row.year))]
        values += [("region", str(i)) for i in row.regions]
        values += [("person", str(i)) for i in row.people]
        values += [("collection", str(i)) for i in row.collections]
        values += [("language", row.language)] if row.language else []
        values += [("archive", row.original_archive)] if row.original_archive else []
        for value in values:
            added_up[value] = added_up.get(value, 0) + 1
    assert kept == added_up


@postgresql_only
def test_the_first_page_reads_the_kept_totals(seeded, client, django_assert_num_queries, settings):
    """The unfiltered list: one query for every facet and the total, none over documents."""
    settings.ARCHIVE_FACET_CACHE_SECONDS = 0
    client.get("/documents/")
    # the facets and total, the region tree, the page, its people, places and collections
    with django_assert_num_queries(6) as queries:
        response = client.get("/documents/")
    assert response.status_code == 200
    facet_sql = [q["sql"] for q in queries.captured_queries if "facettotal" in q["sql"]]
    assert len(facet_sql) == 1 and "documents_documentfacets" not in facet_sql[0]
    facets = all_facets(Document.objects.published())
    assert response.context["paginator"].count == facets["total"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "sort=title",
        "q=Mao",
        "q=visit -talks",
        "region=east-asia",
        "region=east-asia&region=europe",
        "person=mao-zedong&date_from=1950",
        "person=mao-zedong&person=kim-il-sung",
        "language=ru",
        "archive=Nowhere",
        "date_from=1955&date_to=1960-06",
        "date_from=1960&date_to=1950",  # reversed: ignored with a notice
        "region=no-such-place&language=en",
        "q=%22unbalanced&person=%ff",
    ],
)
def test_every_filter_counts_the_same_on_the_facet_rows(seeded, visits_path, query):
    documents_import(paths=[visits_path])
    search = document_search(QueryDict(query))
    assert search.count == search.filtered.count()
    assert facet_counts(search.filtered, EVERY) == facet_counts(
        search.filtered, EVERY, generic=True
    )
    if connection.vendor == "postgresql":
        # Every filter told the facet rows what it means: no matching by document ids.
        assert search.filtered.facet_where is not None


def test_a_plain_filter_forgets_the_facet_conditions(db):
    """A narrowing the facet rows were not told about falls back to matching ids: slower,
    never wrong."""
    published = Document.objects.published()
    assert published.facet_where == [] and published.is_everything_published
    assert published.filter(title="x").facet_where is None
    assert published.exclude(title="x").facet_where is None
    assert Document.objects.filter(title="x").published().facet_where is None
    narrowed = published.narrowed(Q(language="ru"), "f.language = %s", ["ru"])
    assert narrowed.order_by("title").facet_where == [("f.language = %s", ["ru"], "", None)]


@pytest.fixture
def cache_on(settings):
    settings.ARCHIVE_FACET_CACHE_SECONDS = 3600
    cache.clear()


@postgresql_only
def test_cached_counts_never_outlive_a_write(seeded, client, cache_on):
    """The second researcher reads the counts from the cache; any write, however it is made,
    changes the archive's version and so the key, and the next page counts afresh."""
    url = "/documents/?region=east-asia"
    first = client.get(url).context["paginator"].count
    # Another order of the same documents: a new page (not in the page cache), same counts.
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url + "&sort=title").context["paginator"].count == first
    assert not any("documents_documentfacets" in q["sql"] for q in warm.captured_queries)

    document = Document.objects.published().filter(regions__slug="china").first()
    assert document in client.get(url + "&sort=date").context["documents"]
    Document.objects.filter(pk=document.pk).update(status=Status.DRAFT)  # no signals at all
    response = client.get(url + "&sort=title")
    assert response.context["paginator"].count == first - 1
    assert document not in response.context["documents"]
    Person.objects.filter(pk=Person.objects.first().pk).update(name="Renamed")
    page = client.get(url + "&sort=-date")
    assert page.context["paginator"].count == first - 1
    assert facet_counts(Document.objects.published(), EVERY) == facet_counts(
        Document.objects.published(), EVERY, generic=True
    )


def test_counts_are_not_cached_when_the_cache_is_off(seeded, settings, client):
    settings.ARCHIVE_FACET_CACHE_SECONDS = 0
    cache.clear()
    client.get("/documents/?region=east-asia")
    assert not any(key.startswith(":1:archive:") for key in cache._cache)  # locmem's store


@postgresql_only
class TestPublicPageCache:
    """Whole public pages come from the cache until anything is written."""

    def test_a_repeated_page_is_served_whole_until_a_write(
        self, seeded, client, django_assert_num_queries, cache_on
    ):
        url = "/documents/?region=east-asia"
        first = client.get(url)
        with django_assert_num_queries(1):  # the archive's version
            again = client.get(url)
        assert again.content == first.content

        document = first.context["documents"][0]
        Document.objects.filter(pk=document.pk).update(title="A new title")
        changed = client.get(url)
        assert "A new title" in changed.content.decode()

    def test_staff_and_other_methods_are_never_served_from_it(
        self, seeded, client, admin_user, cache_on
    ):
        url = "/documents/"
        client.get(url)
        client.force_login(admin_user)  # a session: every request computes afresh
        draft = Document.objects.published().first()
        Document.objects.filter(pk=draft.pk).update(status=Status.DRAFT)
        assert client.get(f"/documents/{draft.identifier}/").status_code == 200
        client.logout()
        assert Client().get(f"/documents/{draft.identifier}/").status_code == 404
        assert Client().head(url).status_code == 200

    def test_only_complete_pages_without_cookies_are_kept(self, seeded, client, cache_on):
        assert client.get("/documents/no-such-record/").status_code == 404
        assert not any(key.startswith(":1:page:") for key in cache._cache)
        client.get("/documents/")
        assert any(key.startswith(":1:page:") for key in cache._cache)

    def test_a_changed_version_of_a_document_is_on_its_page_at_once(
        self, seeded, client, cache_on, settings, tmp_path
    ):
        """Versions (scans, transcripts, translations) are written apart from the document:
        their own trigger changes the archive's version too, even for a write that sends no
        signal and touches no document row."""
        from tests.versions.files import add_version, pdf
        from versions.models import DocumentVersion

        settings.MEDIA_ROOT = tmp_path
        document = Document.objects.published().get(identifier="120194")
        version = add_version(document, "original", "ru", pdf("Page one"), "scan.pdf")
        url = document.get_absolute_url()
        before = client.get(url).content.decode()
        assert "Original scan (Russian)" in before
        DocumentVersion.objects.filter(pk=version.pk).update(language="fr")
        after = client.get(url).content.decode()
        assert "Original scan (French)" in after


def test_a_scope_page_shows_its_own_total_with_or_without_filters(seeded, client):
    """A region's page: the region's total beside the filtered results' count, whether the
    facets counted it (no filter) or it is counted apart (filters)."""
    in_region = (
        Document.objects.published()
        .filter(regions__in=Region.objects.descendant_ids(["east-asia"]))
        .distinct()
    )
    plain = client.get("/regions/east-asia/")
    assert plain.context["total"] == plain.context["paginator"].count == in_region.count()
    filtered = client.get("/regions/east-asia/?date_from=1960")
    assert filtered.context["total"] == in_region.count()
    assert (
        filtered.context["paginator"].count == in_region.filter(date_last__gte="1960-01-01").count()
    )
    assert filtered.context["paginator"].count < in_region.count()


@postgresql_only
def test_heavy_values_are_precounted_and_read_not_counted(seeded, visits_path, settings):
    documents_import(paths=[visits_path])
    settings.ARCHIVE_PRECOUNT_MIN_DOCUMENTS = 100
    heavy = {
        f"{row.facet}:{row.value}"
        for row in FacetTotal.objects.filter(
            scope="", facet__in=PrecountedScope.FACETS, count__gte=100
        )
    }
    decades: dict[str, int] = {}
    for row in FacetTotal.objects.filter(scope="", facet="year"):
        decade = f"decade:{int(row.value) // 10}"
        decades[decade] = decades.get(decade, 0) + row.count
    heavy |= {decade for decade, count in decades.items() if count >= 100}
    assert "decade:195" in heavy  # the visits have a few values that heavy

    assert facet_scopes_refresh(dry_run=True).added == sorted(heavy)
    assert not PrecountedScope.objects.exists()
    changes = facet_scopes_refresh()
    assert changes.added == sorted(heavy) and changes.removed == []
    assert set(assert_precounted_exact()) == heavy
    assert facet_scopes_refresh().added == []  # a second run changes nothing

    # A precounted page reads its kept counts and never matches the facet rows...
    scope = sorted(heavy)[0]
    with CaptureQueriesContext(connection) as queries:
        counts = facet_counts(scope_search(scope).filtered, EVERY)
    (sql,) = [q["sql"] for q in queries.captured_queries if "facettotal" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, FORMAT JSON) " + sql)
        plan = str(cursor.fetchone()[0])
    assert "'Relation Name': 'documents_documentfacets'" in plan
    assert "'Actual Loops': 0" in plan  # ...its match is planned but never run

    # ...and a value that has fallen below half the line stops being precounted.
    settings.ARCHIVE_PRECOUNT_MIN_DOCUMENTS = (counts.total + 1) * 2
    assert scope in facet_scopes_refresh().removed
    assert not FacetTotal.objects.filter(scope=scope).exists()
    assert facet_counts(scope_search(scope).filtered, EVERY) == counts  # counted on demand


@postgresql_only
def test_a_large_import_precounts_what_grew_heavy(seeded, visits_path, settings, monkeypatch):
    monkeypatch.setattr("documents.importing.ANALYZE_AFTER", 10)
    settings.ARCHIVE_PRECOUNT_MIN_DOCUMENTS = 100
    documents_import(paths=[visits_path])
    assert PrecountedScope.objects.exists()
    assert_precounted_exact()


@postgresql_only
def test_an_import_stands_when_precounting_fails(seeded, visits_path, monkeypatch):
    from django.db import DatabaseError

    def refuse(**kwargs):
        raise DatabaseError("lock timeout")

    monkeypatch.setattr("documents.importing.ANALYZE_AFTER", 10)
    monkeypatch.setattr("documents.importing.facet_scopes_refresh", refuse)
    report = documents_import(paths=[visits_path])
    assert report.created > 400 and Document.objects.count() > report.created
    assert report.warnings[-1] == (
        "facet counts were not precounted (lock timeout); run manage.py precount_facets"
    )


@postgresql_only
def test_the_precount_command_says_what_it_does(seeded, visits_path):
    import io

    from django.core.management import call_command

    documents_import(paths=[visits_path])
    out = io.StringIO()
    call_command("precount_facets", "--min-documents", "100", "--dry-run", stdout=out)
    would = len(facet_scopes_refresh(min_documents=100, dry_run=True).added)
    assert would > 0
    assert out.getvalue().splitlines()[:2] == [
        f"{would} facet value(s) would be precounted",
        "0 facet value(s) would no longer be precounted",
    ]
    assert not PrecountedScope.objects.exists()
    out = io.StringIO()
    call_command("precount_facets", "--min-documents", "100", stdout=out)
    assert out.getvalue().startswith(f"{would} facet value(s) precounted\n")
    assert PrecountedScope.objects.count() == would


@postgresql_only
@pytest.mark.parametrize("line", [1, 1000])  # every year precounted; none
def test_whole_years_add_up_their_precounted_years(seeded, visits_path, line):
    """A range of whole years reads its years' counts, plus the documents that begin before
    it and last into it; any other range, or one with a year not precounted, is counted."""
    documents_import(paths=[visits_path])
    spanning = Document.objects.published().order_by("pk")[:2]
    for document, (begins, ends) in zip(
        spanning, [((1949, 12, 1), (1951, 2, 1)), ((1950, 6, 1), (1955, 1, 1))], strict=True
    ):
        Document.objects.filter(pk=document.pk).update(
            date=datetime.date(*begins),
            date_end=datetime.date(*ends),
            date_end_precision="day",
            date_last=datetime.date(*ends),
        )
    facet_scopes_refresh(min_documents=line)
    assert PrecountedScope.objects.filter(scope__startswith="year:").exists() == (line == 1)
    for query in [
        "date_from=1950&date_to=1950",
        "date_from=1951&date_to=1953",
        "date_from=1950&date_to=1959",
        "date_from=1948&date_to=1961",  # a decade and four years
        "date_from=1955",
        "date_to=1951",
        "date_from=1951-03&date_to=1953",  # not whole years: counted
        "date_from=1800&date_to=1801",  # no documents at all
    ]:
        filtered = document_search(QueryDict(query)).filtered
        kept = facet_counts(filtered, EVERY, people_limit=4)
        assert kept == facet_counts(filtered, EVERY, people_limit=4, generic=True), query
        assert kept.total == filtered.count()
    in_1951 = document_search(QueryDict("date_from=1951&date_to=1951")).filtered
    counted = Document.objects.published().filter(
        date__lte=datetime.date(1951, 12, 31), date_last__gte=datetime.date(1951, 1, 1)
    )
    assert facet_counts(in_1951, ["total"]).total == counted.count() > 0
    # Proof of where the numbers come from: a kept count changed by hand shows through
    # exactly when the years are precounted.
    FacetTotal.objects.filter(scope="year:1951", facet="all").update(count=F("count") + 1000)
    shown = facet_counts(in_1951, ["total"]).total
    assert shown == counted.count() + (1000 if line == 1 else 0)
    fifties = document_search(QueryDict("date_from=1950&date_to=1959")).filtered
    before = facet_counts(fifties, ["total"]).total
    FacetTotal.objects.filter(scope="decade:195", facet="all").update(count=F("count") + 1000)
    assert facet_counts(fifties, ["total"]).total == before + (1000 if line == 1 else 0)


@postgresql_only
def test_the_facet_tables_are_vacuumed_sooner_than_the_default(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s) ORDER BY relname",
            [["documents_documentfacets", "documents_facettotal"]],
        )
        options = dict(cursor.fetchall())
    for table in ("documents_documentfacets", "documents_facettotal"):
        assert "autovacuum_vacuum_scale_factor=0.01" in options[table]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_two_sessions_precount(monkeypatch):
    from django.core.management import call_command

    call_command("load_seeds", verbosity=0)
    handed: list[list[str]] = []
    fill = services._scopes_fill_apart

    def apart(scopes):
        handed.append(scopes)
        return fill(scopes)

    monkeypatch.setattr(services, "_scopes_fill_apart", apart)
    changes = facet_scopes_refresh(min_documents=1)
    assert len(changes.added) > 10
    assert handed == [changes.added[1::2]]  # the second session took every other one
    assert sorted(assert_precounted_exact()) == changes.added


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_second_session_that_cannot_lock_leaves_its_scopes_to_the_first(monkeypatch):
    from django.core.management import call_command

    call_command("load_seeds", verbosity=0)
    # Taken by the first session, this lock makes the second one's wait out its second.
    monkeypatch.setattr(
        services, "_LOCK_FACET_ROWS", "LOCK TABLE documents_documentfacets IN EXCLUSIVE MODE"
    )
    changes = facet_scopes_refresh(min_documents=1)
    assert len(changes.added) > 10
    assert sorted(assert_precounted_exact()) == changes.added
