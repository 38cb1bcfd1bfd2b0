"""Moving through results: result links carry the search, document pages step through it and
lead back; facets' "more" pages list every value; no inline script or style anywhere."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.http import QueryDict
from lxml import html

from documents.models import Document, Status

pytestmark = pytest.mark.django_db


def result_links(response) -> list[str]:
    tree = html.fromstring(response.content)
    return tree.xpath('//ol[@class="result-list"]//h3/a/@href')


def query_of(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


class TestResultLinks:
    def test_carry_the_search_and_the_list(self, client, seeded):
        response = client.get("/documents/?region=east-asia&date_from=1960&per_page=3&page=2")
        links = result_links(response)
        assert len(links) == 3
        assert urlsplit(links[0]).path == "/documents/seed-1960-08-16/"
        assert query_of(links[0]) == {
            "region": ["east-asia"],
            "date_from": ["1960"],
            "per_page": ["3"],
            "page": ["2"],
            "list": ["/documents/"],
        }

    def test_on_a_person_page_the_list_is_the_person_page(self, client, seeded):
        links = result_links(client.get("/people/anastas-mikoyan/"))
        assert query_of(links[0]) == {"list": ["/people/anastas-mikoyan/"]}


class TestDocumentNavigation:
    def test_previous_next_and_back_within_the_results(self, client, seeded):
        # oldest first: 120194, 120189, seed-1960-06-16, seed-1960-06-25, ...
        response = client.get(
            "/documents/120189/?sort=date&per_page=2&page=1&list=/documents/&region=east-asia"
        )
        navigation = response.context["navigation"]
        assert (navigation.position, navigation.count) == (2, 10)
        assert navigation.previous.document.identifier == "120194"
        assert navigation.next.document.identifier == "seed-1960-06-16"
        # the next one is on page 2, and its link says so
        assert query_of(navigation.next.url)["page"] == ["2"]
        assert "page" not in query_of(navigation.previous.url)
        back = urlsplit(navigation.back_url)
        assert back.path == "/documents/"
        assert QueryDict(back.query).dict() == {
            "sort": "date",
            "per_page": "2",
            "region": "east-asia",
        }
        assert back.fragment == "result-120189"
        page = response.content.decode()
        assert "Result 2 of 10" in page and 'rel="next"' in page and 'rel="prev"' in page

    def test_following_next_keeps_going(self, client, seeded):
        url = "/documents/120194/?sort=date&per_page=2&list=/documents/"
        seen = []
        for _ in range(12):
            response = client.get(url)
            seen.append(response.context["document"].identifier)
            navigation = response.context["navigation"]
            if navigation.next is None:
                break
            url = navigation.next.url
        assert len(seen) == 10 and seen[:2] == ["120194", "120189"]
        assert seen[-1] == "208559"

    def test_within_a_person_page_and_its_filters(self, client, seeded):
        response = client.get(
            "/documents/seed-1960-08-16/?list=/people/a-m-puzanov/&date_from=1960-08"
        )
        navigation = response.context["navigation"]
        assert navigation.count == 3  # Puzanov's journals of August 1960
        assert navigation.previous.document.identifier == "seed-1960-08-18"
        assert navigation.next.document.identifier == "seed-1960-08-08"
        assert navigation.back_url.startswith("/people/a-m-puzanov/?date_from=1960-08")

    def test_with_keywords(self, client, seeded):
        response = client.get("/documents/120189/?q=Mikoyan&list=/documents/")
        navigation = response.context["navigation"]
        assert navigation.count == len(client.get("/documents/?q=Mikoyan").context["documents"])
        assert navigation.position is not None

    def test_without_a_list_there_is_no_navigation(self, client, seeded):
        assert client.get("/documents/120189/").context["navigation"] is None

    @pytest.mark.parametrize(
        "value",
        [
            "https://example.org/",
            "//example.org/documents/",
            "/admin/",
            "/documents/120194/",
            "/people/nobody/",
            "documents/",
            "/\x00",
            "/" + "x" * 600,
        ],
    )
    def test_only_the_archives_result_lists_are_followed(self, client, seeded, value):
        response = client.get("/documents/120189/", {"list": value})
        assert response.status_code == 200
        assert response.context["navigation"] is None

    def test_a_document_no_longer_in_the_results_still_leads_back(self, client, seeded):
        response = client.get("/documents/120189/?list=/documents/&region=poland")
        navigation = response.context["navigation"]
        assert navigation.position is None and navigation.next is None
        assert navigation.back_url.startswith("/documents/?region=poland")

    def test_drafts_are_skipped(self, client, seeded):
        Document.objects.filter(identifier="120189").update(status=Status.DRAFT)
        response = client.get("/documents/120194/?sort=date&list=/documents/")
        assert response.context["navigation"].next.document.identifier == "seed-1960-06-16"

    def test_a_fixed_number_of_queries(
        self, client, seeded, django_assert_max_num_queries, django_assert_num_queries
    ):
        url = "/documents/seed-1960-08-16/?list=/people/a-m-puzanov/&region=east-asia"
        client.get(url)
        # the page, its versions and its related documents (9; 10 on PostgreSQL, where the
        # related documents' ids come first); the list's person (and whether anything public
        # names them), its filters (2), the page of ids, the count, the neighbours
        most = 17 if connection.vendor == "postgresql" else 16
        with django_assert_max_num_queries(most) as captured:
            client.get(url)
        with django_assert_num_queries(len(captured.captured_queries)):
            client.get(url + "&per_page=100")


class TestFacetValues:
    def test_more_links_appear_when_the_sidebar_is_cut_short(self, client, db):
        from tests.factories import DocumentFactory, PersonFactory

        people = [PersonFactory() for _ in range(16)]
        DocumentFactory(people=people)
        page = client.get("/documents/").content.decode()
        assert 'href="/documents/facets/people/?list=%2Fdocuments%2F"' in page
        facets = client.get("/documents/").context["facets"]
        assert len(facets["people"]) == 15 and facets["people"].more

    def test_no_more_link_when_everything_is_shown(self, client, seeded):
        page = client.get("/documents/?person=anastas-mikoyan").content.decode()
        assert "/documents/facets/people/" not in page

    def test_every_person_of_a_filtered_person_page(self, client, seeded):
        response = client.get(
            "/documents/facets/people/?list=/people/kim-il-sung/&date_from=1960&date_to=1960"
        )
        assert response.status_code == 200
        rows = {row["slug"]: (row["count"], row["url"]) for row in response.context["rows"]}
        assert "kim-il-sung" not in rows  # the person of the page
        count, url = rows["a-m-puzanov"]
        assert count == 4
        assert urlsplit(url).path == "/people/kim-il-sung/"
        assert query_of(url) == {
            "date_from": ["1960"],
            "date_to": ["1960"],
            "person": ["a-m-puzanov"],
        }
        assert len(client.get(url).context["documents"]) == 4
        assert "(1906–1998)" in response.content.decode()

    @pytest.mark.parametrize("facet", ["collections", "languages", "archives"])
    def test_other_facets(self, client, seeded, facet):
        response = client.get(f"/documents/facets/{facet}/?region=hungary")
        assert response.status_code == 200
        assert [row["count"] for row in response.context["rows"]] == [1]
        assert client.get(response.context["rows"][0]["url"]).context["paginator"].count == 1

    def test_unknown_facet_is_a_404_and_junk_is_harmless(self, client, seeded):
        assert client.get("/documents/facets/nothing/").status_code == 404
        junk = "?list=/nowhere/&date_from=%00&person=nobody&page=x"
        assert client.get("/documents/facets/people/" + junk).status_code == 200

    def test_drafts_are_not_counted(self, client, seeded):
        Document.objects.filter(identifier__in=["120194", "120189"]).update(status=Status.DRAFT)
        rows = client.get("/documents/facets/people/").context["rows"]
        assert "anastas-mikoyan" not in {row["slug"] for row in rows}


class TestFacetSidebar:
    def test_an_active_value_is_marked_and_removes_itself(self, client, seeded):
        tree = html.fromstring(client.get("/documents/?region=china&person=kim-il-sung").content)
        active = tree.xpath('//aside//a[@aria-current="true"]')
        labels = {a.text_content().replace("Remove the filter ", "") for a in active}
        assert labels == {"China", "Kim Il Sung"}
        china = next(a for a in active if "China" in a.text_content())
        assert query_of(china.get("href")) == {"person": ["kim-il-sung"]}


PAGES = [
    "/",
    "/documents/",
    "/documents/?region=east-asia&date_from=1956&person=kim-il-sung",
    "/documents/120194/",
    "/documents/120194/?list=/documents/&sort=date",
    "/people/",
    "/people/kim-il-sung/",
    "/regions/",
    "/regions/east-asia/",
    "/collections/",
    "/collections/conversations-with-kim-il-sung/",
    "/documents/facets/people/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_inline_script_or_style(client, seeded, path):
    """Ready for a strict Content-Security-Policy: scripts and styles come from static files."""
    response = client.get(path)
    assert response.status_code == 200
    tree = html.fromstring(response.content)
    assert not tree.xpath("//style")
    assert not tree.xpath("//*[@style]")
    assert not [
        name
        for element in tree.iter()
        if isinstance(element.tag, str)
        for name in element.attrib
        if name.startswith("on")
    ]
    for script in tree.xpath("//script"):
        # JSON-LD is data, not a script a browser runs
        assert script.get("src") or script.get("type") == "application/ld+json"
    assert not re.search(r"javascript:", response.content.decode(), re.I)


@pytest.mark.parametrize("path", PAGES)
def test_headings_in_order_and_one_main(client, seeded, path):
    tree = html.fromstring(client.get(path).content)
    assert len(tree.xpath("//main")) == 1
    levels = [int(h.tag[1]) for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
