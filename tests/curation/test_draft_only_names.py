"""A place or a collection that only drafts name is an archivist's unpublished work: its name
is on no public page, list, count, facet, filter, feed, export, API response, OAI set or
sitemap, and its own pages are 404 to the public (issue 24). Staff may look.

The sample archive of test_drafts.py, with one more draft, in a place and a collection that
no published document is in ("Secret Base Alpha" under East Asia, "Kappa Papers")."""

import pytest

from documents.models import Status
from tests.curation.test_drafts import public_urls, text_of
from tests.factories import CollectionFactory, DocumentFactory, RegionFactory
from tests.samples import make_sample_archive

pytestmark = pytest.mark.django_db

HIDDEN = ("Secret Base Alpha", "secret-base-alpha", "Kappa Papers", "kappa-papers")


@pytest.fixture
def archive(db):
    made = make_sample_archive()
    place = RegionFactory(
        name="Secret Base Alpha", slug="secret-base-alpha", parent=made["regions"]["east_asia"]
    )
    collection = CollectionFactory(title="Kappa Papers", slug="kappa-papers")
    DocumentFactory(
        identifier="kappa-1", status=Status.DRAFT, regions=[place], collections=[collection]
    )
    # A place and a collection no document is in yet are not secrets: the public sees them.
    RegionFactory(name="Empty Atoll", slug="empty-atoll")
    CollectionFactory(title="Empty Shelf", slug="empty-shelf")
    return made


@pytest.mark.parametrize("url", public_urls())
def test_no_public_url_names_them(client, archive, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = text_of(response)
    for word in HIDDEN:
        assert word not in body, (url, word)


@pytest.mark.parametrize(
    "url",
    [
        "/regions/secret-base-alpha/",
        "/regions/secret-base-alpha/feed/",
        "/regions/secret-base-alpha/export.ris",
        "/collections/kappa-papers/",
        "/collections/kappa-papers/feed/",
        "/collections/kappa-papers/export.csv",
    ],
)
def test_their_own_pages_are_404(client, archive, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("parameter", "slug"), [("region", "secret-base-alpha"), ("collection", "kappa-papers")]
)
def test_a_filter_by_them_is_told_what_an_unknown_name_is_told(client, archive, parameter, slug):
    hidden = client.get("/api/documents/", {parameter: slug})
    unknown = client.get("/api/documents/", {parameter: "no-such-slug"})
    assert hidden.status_code == unknown.status_code == 400
    assert hidden.json()["errors"][parameter] == [
        message.replace("no-such-slug", slug) for message in unknown.json()["errors"][parameter]
    ]
    page = client.get("/documents/", {parameter: slug}).content.decode()
    for word in HIDDEN[::2]:
        assert word not in page


def test_empty_places_and_collections_are_still_listed(client, archive):
    assert "Empty Atoll" in client.get("/regions/").content.decode()
    assert "Empty Shelf" in client.get("/collections/").content.decode()
    assert client.get("/collections/empty-shelf/").status_code == 200


def test_staff_may_look(admin_client, archive):
    assert admin_client.get("/regions/secret-base-alpha/").status_code == 200
    assert admin_client.get("/collections/kappa-papers/").status_code == 200
