"""Permanent links (issue 24): a merged or renamed person's, place's or collection's old
address answers with a permanent redirect to the page it is now, its feed and exports too,
with the same parameters; and a change to what documents show of a person, place or
collection (a rename) makes them modified, so harvesters, feeds and the sitemap see it."""

import datetime

import feedparser
import pytest
from django.utils import timezone

from curation.merging import collections_merge, people_merge, regions_merge
from documents.models import Document, PageRedirect
from tests.factories import CollectionFactory, DocumentFactory, PersonFactory, RegionFactory

pytestmark = pytest.mark.django_db


def assert_moved(client, old: str, new: str) -> None:
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == new


def test_a_merged_persons_pages_redirect_to_the_survivors(client):
    mao = PersonFactory(name="Mao Zedong", slug="mao-zedong")
    tse = PersonFactory(name="Mao Tse-tung", slug="mao-tse-tung")
    DocumentFactory(identifier="talk", people=[tse])
    people_merge(survivor=mao, others=[tse])
    assert_moved(client, "/people/mao-tse-tung/", "/people/mao-zedong/")
    assert_moved(
        client,
        "/people/mao-tse-tung/?date_from=1950&page=2",
        "/people/mao-zedong/?date_from=1950&page=2",
    )
    assert_moved(client, "/people/mao-tse-tung/feed/", "/people/mao-zedong/feed/")
    assert_moved(client, "/people/mao-tse-tung/export.ris", "/people/mao-zedong/export.ris")
    assert client.get("/people/mao-zedong/").status_code == 200
    assert client.get("/people/no-such-person/").status_code == 404


def test_redirects_follow_a_second_merge_and_a_new_record_may_take_an_old_slug(client):
    a, b, c = (PersonFactory(slug=slug) for slug in ("a-name", "b-name", "c-name"))
    for person in (a, b, c):
        DocumentFactory(people=[person])
    people_merge(survivor=b, others=[a])
    people_merge(survivor=c, others=[b])
    assert_moved(client, "/people/a-name/", "/people/c-name/")
    assert_moved(client, "/people/b-name/", "/people/c-name/")
    # The live page wins: someone new called a-name has their own page again.
    newcomer = PersonFactory(slug="a-name")
    DocumentFactory(people=[newcomer])
    assert client.get("/people/a-name/").status_code == 200
    assert not PageRedirect.objects.filter(old_slug="a-name").exists()


def test_merged_places_and_collections_redirect(client):
    korea = RegionFactory(name="Korea", slug="korea")
    dprk = RegionFactory(name="DPRK", slug="dprk")
    keep = CollectionFactory(title="Kim Il Sung", slug="kim-il-sung-talks")
    dup = CollectionFactory(title="Kim talks", slug="kim-talks")
    DocumentFactory(regions=[dprk], collections=[dup])
    regions_merge(survivor=korea, others=[dprk])
    collections_merge(survivor=keep, others=[dup])
    assert_moved(client, "/regions/dprk/", "/regions/korea/")
    assert_moved(client, "/collections/kim-talks/feed/", "/collections/kim-il-sung-talks/feed/")
    # A link from a document page back to the old list still finds its neighbours.
    document = Document.objects.get()
    page = client.get(f"/documents/{document.identifier}/", {"list": "/regions/dprk/"})
    assert page.status_code == 200 and page.context["navigation"] is not None


def test_a_new_slug_keeps_the_old_address(client):
    collection = CollectionFactory(title="Talks", slug="talks")
    DocumentFactory(collections=[collection])
    collection.slug = "conversations"
    collection.save()
    assert_moved(client, "/collections/talks/", "/collections/conversations/")
    collection.slug = "talks"  # and back: the live page wins
    collection.save()
    assert client.get("/collections/talks/").status_code == 200


def test_renaming_a_person_place_or_collection_modifies_their_documents(client):
    person = PersonFactory(name="Anastas Mikoyan", slug="anastas-mikoyan")
    asia = RegionFactory(name="Asia", slug="asia")
    china = RegionFactory(name="China", slug="china", parent=asia)
    collection = CollectionFactory(title="Talks", slug="talks")
    with_person = DocumentFactory(identifier="p", people=[person])
    in_china = DocumentFactory(identifier="r", regions=[china])
    in_collection = DocumentFactory(identifier="c", collections=[collection])
    other = DocumentFactory(identifier="o")
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Document.objects.update(modified=long_ago)

    person.name = "A. I. Mikoyan"
    person.save()
    asia.name = "East Asia"  # a place above a document's place: it shows the whole path
    asia.save()
    collection.title = "Conversations"
    collection.save()
    # Saved again with nothing its documents show changed: nothing more is modified.
    other_person = PersonFactory(name="Someone")
    other_person.biography = "A biography."
    other_person.save()

    modified = dict(Document.objects.values_list("identifier", "modified"))
    for document in (with_person, in_china, in_collection):
        assert modified[document.identifier] > long_ago, document.identifier
    assert modified[other.identifier] == long_ago
    # Harvesters asking for what changed since yesterday see them.
    since = (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%d")
    listed = client.get(
        "/oai/", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": since}
    ).content.decode()
    assert all(f":{i}<" in listed for i in ("p", "r", "c")) and ":o<" not in listed
    feed = feedparser.parse(client.get("/documents/feed/").content)
    updated = {entry.link.rstrip("/").rsplit("/", 1)[1]: entry.updated for entry in feed.entries}
    assert updated["p"] > updated["o"]
