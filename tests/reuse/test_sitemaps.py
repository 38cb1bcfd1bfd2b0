"""sitemap.xml: an index of sections, each well-formed, listing only what the public can read
(published documents; people, places and collections with published documents); robots.txt
points at it."""

import pytest
from lxml import etree

from tests.factories import DocumentFactory, PersonFactory, RegionFactory
from tests.samples import make_sample_archive

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SERVER = "http://testserver"


@pytest.fixture
def archive(db):
    return make_sample_archive()


def xml(client, path: str):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def locations(client, section: str) -> set[str]:
    root = xml(client, f"/sitemap-{section}.xml")
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {loc.removeprefix(SERVER) for loc in root.xpath("//s:url/s:loc/text()", namespaces=NS)}


def test_the_index_lists_every_section(client, archive):
    root = xml(client, "/sitemap.xml")
    listed = set(root.xpath("//s:sitemap/s:loc/text()", namespaces=NS))
    assert listed == {
        f"{SERVER}/sitemap-{section}.xml"
        for section in ("pages", "documents", "people", "regions", "collections")
    }


def test_published_documents_only(client, archive):
    assert locations(client, "documents") == {
        "/documents/avprf.1967-11:a_1/",
        "/documents/1956-poland/",
        "/documents/span-1960/",
    }


def test_documents_have_their_modification_time(client, archive):
    root = xml(client, "/sitemap-documents.xml")
    lastmods = root.xpath("//s:url/s:lastmod/text()", namespaces=NS)
    assert len(lastmods) == 3 and all(value.startswith("20") for value in lastmods)


def test_people_with_published_documents(client, archive):
    PersonFactory(name="Nobody", slug="nobody")
    assert locations(client, "people") == {
        "/people/kim-il-sung/",
        "/people/a-m-puzanov/",
        "/people/anastas-mikoyan/",
        "/people/mao-zedong/",
        "/people/karoly-prath/",
    }  # not "only-in-a-draft", who appears in a draft alone, nor "nobody"


def test_places_with_published_documents_and_the_places_above_them(client, archive):
    parent = RegionFactory(name="Europe", slug="europe")
    RegionFactory(name="Empty", slug="empty", parent=parent)
    assert locations(client, "regions") == {
        "/regions/east-asia/",
        "/regions/china/",
        "/regions/poland/",
    }


def test_collections_with_published_documents(client, archive):
    assert locations(client, "collections") == {
        "/collections/conversations-with-kim-il-sung/",
        "/collections/sino-soviet-split/",
    }


def test_browse_pages(client, archive):
    assert locations(client, "pages") == {
        "/",
        "/documents/",
        "/people/",
        "/regions/",
        "/collections/",
    }


def test_a_fixed_number_of_queries(client, archive, django_assert_max_num_queries):
    for number in range(30):
        DocumentFactory(identifier=f"more-{number}", people=[PersonFactory()])
    for section in ("documents", "people", "regions", "collections"):
        with django_assert_max_num_queries(4):
            xml(client, f"/sitemap-{section}.xml")


@pytest.mark.parametrize(
    "path", ["/sitemap-nothing.xml", "/sitemap-documents.xml?p=abc", "/sitemap-documents.xml?p=99"]
)
def test_bad_sections_and_pages_are_404(client, archive, path):
    assert client.get(path).status_code == 404


def test_robots_txt_points_at_the_sitemap(client, archive):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert not [line for line in lines if "/oai/" in line]  # harvesters may honour it
    for private in ("/accounts/", "/folders/", "/searches/"):
        for prefix in ("", "/ru", "/zh-hans"):
            assert f"Disallow: {prefix}{private}" in lines
