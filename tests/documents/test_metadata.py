"""What a document page tells Zotero and search engines: Highwire citation_* and Dublin Core
meta tags, read the way Zotero's page translator reads them, and schema.org JSON-LD that no
title can break out of. A draft's preview tells machines nothing."""

import json

import pytest
from lxml import html

from documents.models import Document
from tests.factories import DocumentFactory
from tests.samples import SPECIAL_TITLE, make_sample_archive

pytestmark = pytest.mark.django_db

MONTH = "avprf.1967-11:a_1"
URL = f"http://testserver/documents/{MONTH}/"


@pytest.fixture
def archive(db):
    return make_sample_archive()


def page(client, identifier: str):
    response = client.get(f"/documents/{identifier}/")
    assert response.status_code == 200
    return html.fromstring(response.content)


def meta(tree) -> dict[str, list[str]]:
    """Every <meta name> with its values in order, as an embedded-metadata reader sees them."""
    found: dict[str, list[str]] = {}
    for element in tree.xpath("//head/meta[@name]"):
        found.setdefault(element.get("name"), []).append(element.get("content"))
    return found


def json_ld(tree) -> dict:
    [script] = tree.xpath('//script[@type="application/ld+json"]')
    return json.loads(script.text)


class TestZoteroRead:
    def test_highwire_tags(self, client, archive):
        tags = meta(page(client, MONTH))
        assert tags["citation_title"] == [SPECIAL_TITLE]
        assert tags["citation_author"] == ["A. M. Puzanov"]
        assert tags["citation_date"] == ["1967/11"]  # the month, not 1 November
        assert tags["citation_publisher"] == ["Cold War Digital Archive"]
        assert tags["citation_language"] == ["ru"]
        assert tags["citation_public_url"] == [URL]
        assert tags["citation_abstract"] == [
            "Puzanov reports a talk with Kim Il Sung. A second paragraph."
        ]
        assert "Mao Zedong" in tags["citation_keywords"][0]

    def test_dublin_core_tags(self, client, archive):
        tree = page(client, MONTH)
        assert tree.xpath('//head/link[@rel="schema.DC"]/@href') == [
            "http://purl.org/dc/elements/1.1/"
        ]
        tags = meta(tree)
        assert tags["DC.title"] == [SPECIAL_TITLE]
        assert tags["DC.creator"] == ["A. M. Puzanov"]
        assert tags["DC.contributor"] == ["Анастас Микоян", "Kim Il Sung"]
        assert tags["DC.date"] == ["1967-11"]
        assert tags["DC.identifier"] == [URL]
        assert tags["DC.source"] == ["AVPRF, f. 0102, op. 16, d. 6."]
        assert tags["DC.coverage"] == ["China"]
        assert tags["DC.rights"] == ["Public domain."]

    @pytest.mark.parametrize(
        "identifier, highwire, dc",
        [("1956-poland", "1956", "1956"), ("span-1960", "1960/08/18", "1960-08-18/1960-08-21")],
    )
    def test_dates_at_their_precision(self, client, archive, identifier, highwire, dc):
        tags = meta(page(client, identifier))
        assert tags["citation_date"] == [highwire]
        assert tags["DC.date"] == [dc]

    def test_the_visible_date_is_machine_readable_at_its_precision(self, client, archive):
        assert page(client, MONTH).xpath('//p[@class="document-date"]/time/@datetime') == [
            "1967-11"  # an HTML month string, not 1967-11-01
        ]
        assert page(client, "1956-poland").xpath("//time/@datetime") == ["1956"]

    def test_no_author_no_author_tag(self, client, archive):
        assert "citation_author" not in meta(page(client, "span-1960"))


class TestJsonLD:
    def test_archive_component(self, client, archive):
        data = json_ld(page(client, MONTH))
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "ArchiveComponent"
        assert data["@id"] == data["url"] == URL
        assert data["name"] == SPECIAL_TITLE
        assert data["dateCreated"] == "1967-11"
        assert data["author"] == [
            {
                "@type": "Person",
                "name": "A. M. Puzanov",
                "url": "http://testserver/people/a-m-puzanov/",
            }
        ]
        about = {(entry["@type"], entry["name"]) for entry in data["about"]}
        assert about == {
            ("Person", "Анастас Микоян"),
            ("Person", "Kim Il Sung"),
            ("Person", "Mao Zedong"),
            ("Place", "China"),
        }
        kim = next(entry for entry in data["about"] if entry["name"] == "Kim Il Sung")
        assert (kim["birthDate"], kim["deathDate"]) == ("1912", "1994")
        assert {entry["name"] for entry in data["isPartOf"]} == {
            "Conversations with Kim Il Sung",
            "Sino-Soviet Split",
        }
        assert all(entry["@type"] == "Collection" for entry in data["isPartOf"])
        assert data["holdingArchive"]["name"] == (
            "Archive of Foreign Policy of the Russian Federation (AVPRF)"
        )
        assert data["inLanguage"] == "ru"

    def test_a_span_is_temporal_coverage(self, client, archive):
        data = json_ld(page(client, "span-1960"))
        assert data["dateCreated"] == "1960-08-18"
        assert data["temporalCoverage"] == "1960-08-18/1960-08-21"

    def test_no_title_can_close_the_script(self, client, db):
        title = '</script><script>alert("x")</script> & <!-- <b>'
        DocumentFactory(identifier="evil", title=title, summary="</SCRIPT>")
        response = client.get("/documents/evil/")
        text = response.content.decode()
        assert "</script><script>alert" not in text
        assert "</SCRIPT>" not in text
        data = json_ld(html.fromstring(response.content))
        assert data["name"] == title and data["description"] == "</SCRIPT>"
        assert meta(html.fromstring(response.content))["citation_title"] == [title]


def test_a_drafts_preview_tells_machines_nothing(admin_client, archive):
    response = admin_client.get("/documents/never-public/")
    assert response.status_code == 200
    tree = html.fromstring(response.content)
    assert not tree.xpath('//script[@type="application/ld+json"]')
    assert not [name for name in meta(tree) if name.startswith(("citation_", "DC."))]
    assert meta(tree)["robots"] == ["noindex"]
    assert "export." not in response.content.decode()


def test_a_fixed_number_of_queries(client, archive, django_assert_max_num_queries, caught_up):
    # 5 for the page and its metadata, 4 for its related documents (documents.related: the
    # candidates' ids come from the search index).
    caught_up()
    with django_assert_max_num_queries(9):
        page(client, MONTH)
    assert Document.objects.count() == 5
