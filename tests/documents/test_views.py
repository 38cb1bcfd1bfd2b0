"""The public HTML pages: the result list with every filter, facets, and bad parameters."""

import datetime
import re

import pytest
from django.urls import reverse

from documents.models import Document, Status
from tests.factories import DocumentFactory, PersonFactory, RegionFactory

pytestmark = pytest.mark.django_db

LIST = "/documents/"


def identifiers(response) -> list[str]:
    return [document.identifier for document in response.context["documents"]]


def all_identifiers(client, query: str) -> set[str]:
    response = client.get(f"{LIST}?per_page=100&{query}")
    assert response.status_code == 200
    return set(identifiers(response))


class TestResultList:
    def test_shows_every_published_document_newest_first(self, client, seeded):
        response = client.get(LIST)
        assert response.status_code == 200
        assert identifiers(response)[:3] == ["208559", "seed-1969-04-14", "seed-1960-08-18"]
        assert "1–10 of 10" in response.content.decode()

    def test_oldest_first_and_title_order(self, client, seeded):
        oldest = identifiers(client.get(f"{LIST}?sort=date"))
        assert oldest[:2] == ["120194", "120189"]
        titles = [d.title for d in client.get(f"{LIST}?sort=title").context["documents"]]
        assert titles == sorted(titles)

    def test_drafts_are_not_listed_nor_counted(self, client, seeded):
        Document.objects.filter(identifier="120194").update(status=Status.DRAFT)
        response = client.get(LIST)
        assert "120194" not in identifiers(response)
        assert response.context["paginator"].count == 9
        regions = {node.region.slug: node.count for node in response.context["facets"]["regions"]}
        assert regions["east-asia"] == 9

    def test_pages_of_results(self, client, seeded):
        first = client.get(f"{LIST}?per_page=4")
        third = client.get(f"{LIST}?per_page=4&page=3")
        assert "1–4 of 10" in first.content.decode()
        assert "9–10 of 10" in third.content.decode()
        assert set(identifiers(first)).isdisjoint(identifiers(third))


class TestFilters:
    def test_date_range_overlaps_document_spans(self, client, seeded):
        assert all_identifiers(client, "date_from=1956&date_to=1956") == {"120194", "120189"}
        assert all_identifiers(client, "date_from=1956-09-22&date_to=1956-09-23") == {"120189"}
        assert all_identifiers(client, "date_from=August 1960&date_to=August 1960") == {
            "seed-1960-08-18",
            "seed-1960-08-16",
            "seed-1960-08-08",
        }
        assert all_identifiers(client, "date_from=1969") == {"seed-1969-04-14", "208559"}
        assert all_identifiers(client, "date_to=1956-09-21") == {"120194"}

    def test_a_span_matches_any_range_it_overlaps(self, client, db):
        DocumentFactory(
            identifier="visit",
            date=datetime.date(1945, 4, 25),
            date_end=datetime.date(1945, 6, 26),
            date_end_precision="day",
        )
        assert all_identifiers(client, "date_from=1945-05&date_to=1945-05") == {"visit"}
        assert all_identifiers(client, "date_from=1945-06-26") == {"visit"}
        assert all_identifiers(client, "date_from=1945-06-27") == set()

    def test_month_precision_document_is_found_by_its_month_not_its_first_day(self, client, db):
        DocumentFactory(identifier="nov67", date=datetime.date(1967, 11, 1), date_precision="month")
        assert all_identifiers(client, "date_from=1967-11-20&date_to=1967-11-21") == {"nov67"}
        assert all_identifiers(client, "date_to=1967-10-31") == set()
        page = client.get(reverse("documents:detail", args=["nov67"])).content.decode()
        assert "November 1967" in page and "November 1, 1967" not in page
        listing = client.get(LIST).content.decode()
        assert '<time datetime="1967-11">November 1967</time>' in listing

    def test_region_includes_the_places_under_it(self, client, seeded):
        everything = all_identifiers(client, "")
        assert all_identifiers(client, "region=east-asia") == everything
        assert all_identifiers(client, "region=hungary") == {"seed-1960-08-08"}
        # repeated regions: any of them
        assert all_identifiers(client, "region=hungary&region=poland") == {
            "seed-1960-08-08",
            "208559",
        }

    def test_people_must_all_appear(self, client, seeded):
        assert len(all_identifiers(client, "person=kim-il-sung")) == 10
        assert all_identifiers(client, "person=kim-il-sung&person=anastas-mikoyan") == {
            "120194",
            "120189",
        }
        assert all_identifiers(client, "person=anastas-mikoyan&person=mao-zedong") == set()

    def test_collection_language_and_archive(self, client, seeded):
        assert len(all_identifiers(client, "collection=conversations-with-kim-il-sung")) == 10
        assert all_identifiers(client, "language=pl") == {"208559"}
        garf = "State Archive of the Russian Federation (GARF)"
        assert all_identifiers(client, f"archive={garf}") == {"120194", "120189"}

    def test_keywords_all_must_match(self, client, seeded):
        assert all_identifiers(client, "q=Mikoyan plenum") == {"120189"}
        assert all_identifiers(client, "q=puzanov") == {
            "seed-1960-08-18",
            "seed-1960-08-16",
            "seed-1960-08-08",
            "seed-1960-07-24",
        }

    def test_keyword_results_rank_title_matches_first(self, client, seeded):
        ranked = identifiers(client.get(f"{LIST}?q=Mikoyan"))
        assert set(ranked[:2]) == {"120194", "120189"}
        assert client.get(f"{LIST}?q=Mikoyan").context["sort"] == "relevance"

    def test_filters_combine(self, client, seeded):
        query = "region=china&person=a-m-puzanov&date_from=1960-08&q=China"
        assert all_identifiers(client, query) == {"seed-1960-08-18"}

    def test_active_filters_each_have_a_remove_link(self, client, seeded):
        response = client.get(f"{LIST}?region=china&person=kim-il-sung&date_from=1960")
        chips = {chip["label"]: chip["url"] for chip in response.context["active_filters"]}
        assert set(chips) == {"Region: China", "Person: Kim Il Sung", "From: 1960"}
        assert "region" not in chips["Region: China"]
        assert "person=kim-il-sung" in chips["Region: China"]


class TestFacets:
    def test_counts_follow_the_result_set(self, client, seeded):
        facets = client.get(f"{LIST}?person=anastas-mikoyan").context["facets"]
        people = {row["slug"]: row["count"] for row in facets["people"]}
        assert people == {"anastas-mikoyan": 2, "kim-il-sung": 2, "peng-dehuai": 2}
        assert facets["years"] == [{"year": 1956, "count": 2}]
        assert facets["languages"] == [{"value": "ru", "name": "Russian", "count": 2}]

    def test_region_tree_counts_each_document_once(self, client, seeded):
        tree = client.get(LIST).context["facets"]["regions"]
        east_asia = next(node for node in tree if node.region.slug == "east-asia")
        assert east_asia.count == 10  # not the sum of China, North Korea, South Korea
        children = {child.region.slug: child.count for child in east_asia.children}
        assert children == {"north-korea": 10, "china": 7, "south-korea": 2}

    def test_people_facet_shows_life_dates(self, client, seeded):
        page = client.get(LIST).content.decode()
        assert re.search(r"Kim Il Sung</a> <span class=\"life-dates\">\(1912–1994\)", page)


class TestBadParameters:
    @pytest.mark.parametrize(
        "query, notice",
        [
            ("date_from=garbage", "From:"),
            ("date_to=1960-13", "To:"),
            ("date_from=1970&date_to=1960", "is before"),
            ("region=nowhere", "Region:"),
            ("person=nobody&person=kim-il-sung", "Person:"),
            ("collection=%00", "Collection:"),
            ("sort=sideways", "Sort:"),
            ("page=abc", "Page:"),
            ("page=0", "Page:"),
            ("page=999", "Page:"),
            ("per_page=100000", "Results per page:"),
            ("per_page=-1", "Results per page:"),
            ("q=" + "x" * 600, "Keywords:"),
            ("q=%00nul", "Keywords:"),
            ("language=" + "y" * 50, "Language:"),
        ],
    )
    def test_bad_values_are_ignored_with_a_visible_notice(self, client, seeded, query, notice):
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 200
        notices = response.context["notices"]
        assert any(notice in text for text in notices), notices
        assert notice.split(":")[0] in response.content.decode()

    def test_an_invalid_filter_is_ignored_but_the_valid_ones_apply(self, client, seeded):
        response = client.get(f"{LIST}?region=nowhere&person=anastas-mikoyan")
        assert set(identifiers(response)) == {"120194", "120189"}

    @pytest.mark.parametrize(
        "path",
        ["/documents/", "/people/kim-il-sung/", "/regions/east-asia/", "/people/"],
    )
    def test_junk_parameters_never_cause_server_errors(self, client, seeded, path):
        junk = "?q=%22unbalanced&q=-&date_from=%00&region[]=x&person=%ff&page=1e9&sort=&per_page="
        assert client.get(path + junk).status_code == 200


class TestQueryCounts:
    def test_list_queries_do_not_grow_with_page_size(
        self, client, seeded, django_assert_num_queries, settings
    ):
        client.get(LIST)  # warm caches such as content types
        # The index answers the ids, total and facets; the database the filter's region
        # (and whether the public may know it), the facets' names and the page's rows with
        # their relations.
        with django_assert_num_queries(9) as small:
            client.get(f"{LIST}?per_page=2&region=east-asia")
        with django_assert_num_queries(len(small.captured_queries)):
            client.get(f"{LIST}?per_page=100&region=east-asia")


class TestDocumentPage:
    def test_every_field_and_links(self, client, seeded):
        response = client.get("/documents/120194/")
        page = response.content.decode()
        assert response.status_code == 200
        for text in [
            "Telegram from A. Mikoyan to the CPSU Central Committee",
            "September 21, 1956",
            "GARF, f. 5446, op. 98c, d. 718, ll. 12-16",
            "State Archive of the Russian Federation (GARF)",
            "Russian",
            'href="/people/anastas-mikoyan/"',
            "(1895–1978)",
            'href="/regions/china/"',
            'href="/collections/conversations-with-kim-il-sung/"',
        ]:
            assert text in page, text

    def test_cite_this_in_the_archive_form(self, client, seeded, settings):
        settings.ARCHIVE_NAME = "Cold War Digital Archive"
        response = client.get("/documents/120194/")
        assert response.context["citation"] == (
            "“Telegram from A. Mikoyan to the CPSU Central Committee,” September 21, 1956, "
            "Cold War Digital Archive, GARF, f. 5446, op. 98c, d. 718, ll. 12-16. "
            "Translated by Gary Goldberg. http://testserver/documents/120194/"
        )

    def test_a_draft_is_a_404_for_the_public_and_visible_to_archivists(
        self, client, admin_client, seeded
    ):
        Document.objects.filter(identifier="120194").update(status=Status.DRAFT)
        assert client.get("/documents/120194/").status_code == 404
        response = admin_client.get("/documents/120194/")
        assert response.status_code == 200
        assert "Draft: only archivists" in response.content.decode()

    def test_unknown_identifier_is_a_404(self, client, db):
        assert client.get("/documents/no-such-record/").status_code == 404


class TestBrowsePages:
    def test_home(self, client, seeded):
        response = client.get("/")
        assert response.status_code == 200
        assert response.context["document_count"] == 10

    def test_region_pages(self, client, seeded):
        response = client.get("/regions/east-asia/")
        assert response.context["total"] == 10
        assert {r.slug for r in response.context["subregions"]} == {
            "china",
            "north-korea",
            "south-korea",
        }
        assert client.get("/regions/hungary/").context["total"] == 1
        assert client.get("/regions/atlantis/").status_code == 404

    def test_a_region_with_no_documents_is_listed_with_zero(self, client, db):
        RegionFactory(name="Cuba", slug="cuba")
        assert "(0) documents" in client.get("/regions/").content.decode()

    def test_collection_pages(self, client, seeded):
        listing = client.get("/collections/")
        assert [c.document_count for c in listing.context["collections"]] == [10]
        response = client.get("/collections/conversations-with-kim-il-sung/?region=poland")
        assert response.context["total"] == 10
        assert identifiers(response) == ["208559"]


def test_person_factory_documents_count_only_published(client, db):
    person = PersonFactory(name="Peng Dehuai", slug="peng-dehuai")
    DocumentFactory(people=[person])
    DocumentFactory(people=[person], status=Status.DRAFT)
    response = client.get("/people/peng-dehuai/")
    assert response.context["total"] == 1
    assert "(1) document<" in response.content.decode()
