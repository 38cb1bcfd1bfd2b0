"""Atom feeds of any search: valid XML that a real feed parser reads, newest first by first
publication, the page's own filters and scope, drafts never, bad parameters a 400."""

import datetime

import feedparser
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lxml import etree

from documents.filters import DocumentFilter
from documents.models import Document
from tests.factories import DocumentFactory
from tests.samples import HIDDEN_WORDS, PUBLIC, make_sample_archive

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def archive(db):
    made = make_sample_archive()
    # First published at known, distinct times: the span newest, the year oldest.
    base = timezone.now() - datetime.timedelta(days=10)
    for days, identifier in enumerate(["1956-poland", "avprf.1967-11:a_1", "span-1960"]):
        Document.objects.filter(identifier=identifier).update(
            first_published=base + datetime.timedelta(days=days)
        )
    return made


def read(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    etree.fromstring(response.content)  # well-formed XML, or this raises
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed, response.content.decode()


def entry_identifiers(feed) -> list[str]:
    return [entry.link.rstrip("/").rsplit("/", 1)[1] for entry in feed.entries]


def test_the_newest_published_first(client, archive):
    feed, _ = read(client, "/documents/feed/")
    assert entry_identifiers(feed) == ["span-1960", "avprf.1967-11:a_1", "1956-poland"]
    assert feed.feed.title == "All documents · Cold War Digital Archive"
    assert feed.feed.link == "http://testserver/documents/"


def test_entries_carry_the_document(client, archive):
    feed, _ = read(client, "/documents/feed/?collection=sino-soviet-split")
    [entry] = feed.entries
    assert entry.title.startswith('Puzanov\'s "odd" {report} on 100% & $5')
    assert entry.link == "http://testserver/documents/avprf.1967-11:a_1/"
    assert entry.id == entry.link
    assert entry.summary.startswith("November 1967. Puzanov reports")
    assert entry.author == "A. M. Puzanov"
    assert {tag.term for tag in entry.tags} == {
        "Conversations with Kim Il Sung",
        "Sino-Soviet Split",
    }
    published = Document.objects.get(identifier="avprf.1967-11:a_1").first_published
    assert entry.published_parsed[:6] == published.utctimetuple()[:6]


def test_a_search_feed_keeps_its_filters_and_says_them(client, archive):
    feed, _ = read(client, "/documents/feed/?region=east-asia&date_from=1960&page=2&sort=title")
    assert set(entry_identifiers(feed)) == {"span-1960", "avprf.1967-11:a_1"}
    assert (
        feed.feed.title == "All documents; From: 1960; Region: East Asia · Cold War Digital Archive"
    )
    assert feed.feed.link == "http://testserver/documents/?region=east-asia&date_from=1960"


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/people/kim-il-sung/feed/", {"span-1960", "avprf.1967-11:a_1"}),
        ("/regions/poland/feed/", {"1956-poland"}),
        ("/collections/conversations-with-kim-il-sung/feed/", {"span-1960", "avprf.1967-11:a_1"}),
    ],
)
def test_every_result_page_has_its_feed(client, archive, path, expected):
    feed, _ = read(client, path)
    assert set(entry_identifiers(feed)) == expected


def test_drafts_never_appear(client, archive):
    for path in [
        "/documents/feed/",
        "/collections/conversations-with-kim-il-sung/feed/",
        "/regions/poland/feed/",
    ]:
        feed, text = read(client, path)
        assert set(entry_identifiers(feed)) <= PUBLIC
        for word in HIDDEN_WORDS:
            assert word not in text


def test_bad_parameters_are_a_400(client, archive):
    response = client.get("/documents/feed/?person=nobody&date_to=someday")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"person", "date_to"}
    assert client.get("/people/nobody/feed/").status_code == 404


def test_characters_xml_cannot_carry_do_not_break_the_feed(client, archive):
    DocumentFactory(identifier="control", title="Bell\x07 and form\x0cfeed", summary="\x01<b>")
    feed, _ = read(client, "/documents/feed/?q=Bell")
    assert feed.entries[0].title == "Bell and formfeed"
    read(client, "/documents/feed/?q=%01")


def test_the_result_page_offers_its_feed(client, archive):
    page = client.get("/documents/?region=east-asia&page=1").content.decode()
    link = (
        '<link rel="alternate" type="application/atom+xml" '
        'title="New documents matching this search" href="/documents/feed/?region=east-asia">'
    )
    assert link in page
    assert 'class="feed-link" href="/documents/feed/?region=east-asia"' in page
    person = client.get("/people/kim-il-sung/").content.decode()
    assert 'href="/people/kim-il-sung/feed/"' in person


def test_a_fixed_number_of_queries(client, archive, django_assert_max_num_queries, caught_up):
    for number in range(30):
        DocumentFactory(identifier=f"more-{number}")
    caught_up()
    with django_assert_max_num_queries(8):
        read(client, "/documents/feed/?region=east-asia")
    with django_assert_max_num_queries(8):
        read(client, "/documents/feed/")


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    params=st.dictionaries(
        st.sampled_from([*DocumentFilter.base_filters, "page"]),
        st.text(max_size=60),
        max_size=4,
    )
)
def test_generated_parameters_never_break_a_feed(client, archive, params):
    response = client.get("/documents/feed/", params)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        etree.fromstring(response.content)
