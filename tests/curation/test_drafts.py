"""A draft is invisible everywhere public: every page, list, count, facet, search, URL, API
response, export, feed, OAI-PMH response and sitemap, to anyone not signed in as staff.

The sample archive has a draft that was never published ("never-public", in Poland and in
the Kim Il Sung collection, by a person named in no other document) and a withdrawn one
("withdrawn", published once, then made a draft). Every public URL is fetched anonymously
and none may show either, nor the person only the draft names.
"""

import json

import pytest
from lxml import etree

from documents.models import Document, Status
from documents.services import documents_publish
from reuse.exports import FORMATS
from tests.oai.xml import NS
from tests.samples import HIDDEN_WORDS, PUBLIC, make_sample_archive

pytestmark = pytest.mark.django_db

DRAFTS = ("never-public", "withdrawn")
SCOPES = [
    "/documents/",
    "/people/kim-il-sung/",
    "/regions/poland/",
    "/regions/east-asia/",
    "/collections/conversations-with-kim-il-sung/",
]
OAI = "/oai/?verb={verb}&metadataPrefix=oai_dc"
FACETS = ("people", "collections", "languages", "archives")


def public_urls() -> list[str]:
    urls = [
        "/",
        "/people/",
        "/people/?name=Only",
        "/regions/",
        "/collections/",
        "/documents/?q=SECRET",
        "/documents/?q=never",
        "/documents/?q=withdrawn",
        "/documents/?collection=conversations-with-kim-il-sung&per_page=100",
        "/documents/?region=poland",
        "/documents/?sort=title",
        "/documents/?date_from=1960-08-18&date_to=1960-08-18",
        *(f"/documents/facets/{facet}/" for facet in FACETS),
        "/documents/facets/people/?collection=conversations-with-kim-il-sung",
        "/api/documents/?per_page=100",
        "/api/documents/?q=SECRET",
        "/api/documents/?collection=conversations-with-kim-il-sung",
        "/api/openapi.json",
        "/oai/?verb=Identify",
        "/oai/?verb=ListSets",
        OAI.format(verb="ListRecords"),
        OAI.format(verb="ListIdentifiers"),
        OAI.format(verb="ListRecords") + "&set=conversations-with-kim-il-sung",
        "/sitemap.xml",
        "/sitemap-documents.xml",
        "/sitemap-people.xml",
        "/sitemap-regions.xml",
        "/sitemap-collections.xml",
        "/sitemap-pages.xml",
        "/robots.txt",
    ]
    for scope in SCOPES:
        urls += [scope, f"{scope}?per_page=100", f"{scope}feed/"]
        urls += [f"{scope}export.{fmt}" for fmt in FORMATS]
    for identifier in PUBLIC:
        urls += [f"/documents/{identifier}/", f"/api/documents/{identifier}/"]
        urls += [f"/documents/{identifier}/export.{fmt}" for fmt in FORMATS]
    return urls


@pytest.fixture
def archive(db):
    return make_sample_archive()


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


@pytest.mark.parametrize("url", public_urls())
def test_no_public_url_shows_a_draft(client, archive, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = text_of(response)
    for word in HIDDEN_WORDS:
        assert word not in body, (url, word)
    for identifier in DRAFTS:
        assert f"/documents/{identifier}/" not in body, (url, identifier)


@pytest.mark.parametrize(
    "url",
    [
        *(f"/documents/{i}/" for i in DRAFTS),
        *(f"/api/documents/{i}/" for i in DRAFTS),
        *(f"/documents/{i}/export.{fmt}" for i in DRAFTS for fmt in FORMATS),
        "/people/only-in-a-draft/",
        "/people/only-in-a-draft/feed/",
        "/people/only-in-a-draft/export.ris",
    ],
)
def test_a_drafts_own_urls_are_404(client, archive, url):
    assert client.get(url).status_code == 404


def test_signed_in_staff_may_preview_a_draft(admin_client, archive):
    assert admin_client.get("/documents/never-public/").status_code == 200
    assert admin_client.get("/people/only-in-a-draft/").status_code == 200


def test_counts_leave_drafts_out(client, archive):
    # The Kim Il Sung collection has two published documents, a draft and a withdrawn one.
    collection = client.get("/collections/conversations-with-kim-il-sung/")
    assert collection.context["total"] == 2
    assert collection.context["paginator"].count == 2
    listed = {c.slug: c.document_count for c in client.get("/collections/").context["collections"]}
    assert listed["conversations-with-kim-il-sung"] == 2
    # Poland: one published document and the draft.
    poland = client.get("/regions/poland/")
    assert poland.context["total"] == 1
    tree = {node.region.slug: node.count for node in client.get("/regions/").context["tree"]}
    assert tree["poland"] == 1
    people = {p.slug: p.document_count for p in client.get("/people/").context["people"]}
    assert people["kim-il-sung"] == 2
    assert "only-in-a-draft" not in people
    home = client.get("/")
    assert home.context["document_count"] == 3


def test_facets_and_search_leave_drafts_out(client, archive):
    data = client.get("/api/documents/", {"per_page": 100}).json()
    assert data["count"] == 3
    assert {d["identifier"] for d in data["results"]} == PUBLIC
    facets = data["facets"]
    assert {c["slug"]: c["count"] for c in facets["collections"]}[
        "conversations-with-kim-il-sung"
    ] == 2
    assert "only-in-a-draft" not in {p["slug"] for p in facets["people"]}
    assert sum(y["count"] for y in facets["years"]) == 3
    assert client.get("/api/documents/", {"q": "SECRET"}).json()["count"] == 0
    assert client.get("/api/documents/", {"person": "only-in-a-draft"}).status_code in (200, 400)
    assert client.get("/api/documents/", {"person": "only-in-a-draft"}).json().get("count", 0) == 0
    html = client.get("/documents/", {"q": "SECRET"})
    assert html.context["paginator"].count == 0


def test_oai_reports_the_withdrawn_document_as_deleted_and_never_mentions_the_draft(
    client, archive
):
    root = etree.fromstring(client.get(OAI.format(verb="ListIdentifiers")).content)
    headers = {
        h.findtext("o:identifier", namespaces=NS).rsplit(":", 1)[-1]: h.get("status")
        for h in root.iterfind(".//o:header", NS)
    }
    assert headers["withdrawn"] == "deleted"
    assert "never-public" not in headers
    record = etree.fromstring(
        client.get(
            "/oai/",
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": "oai:cold-war-archive.example.org:never-public",
            },
        ).content
    )
    assert record.find(".//o:error", NS).get("code") == "idDoesNotExist"


def test_publishing_a_draft_shows_it_everywhere(client, archive):
    documents_publish(documents=Document.objects.filter(identifier="never-public"))

    assert client.get("/documents/never-public/").status_code == 200
    assert client.get("/api/documents/never-public/").status_code == 200
    assert "never-public" in text_of(client.get("/documents/export.jsonl"))
    assert "SECRET DRAFT" in client.get("/documents/feed/").content.decode()
    assert "never-public" in client.get("/sitemap-documents.xml").content.decode()
    assert client.get("/people/only-in-a-draft/").status_code == 200
    assert client.get("/collections/conversations-with-kim-il-sung/").context["total"] == 3


def test_unpublishing_hides_a_document_at_once(client, archive):
    assert client.get("/documents/span-1960/").status_code == 200
    Document.objects.filter(identifier="span-1960").update(status=Status.DRAFT)
    assert client.get("/documents/span-1960/").status_code == 404
    assert "span-1960" not in json.dumps(client.get("/api/documents/").json())


@pytest.mark.django_db
def test_a_person_named_only_in_drafts_is_not_a_filter_the_public_can_name(client, db):
    from documents.models import Document, DocumentParticipant
    from people.models import Person

    hidden = Person.objects.create(name="Only In Drafts", slug="only-in-drafts")
    draft = Document.objects.create(
        identifier="d-1", title="Draft", date="1960-01-01", status="draft"
    )
    DocumentParticipant.objects.create(document=draft, person=hidden)
    response = client.get("/documents/", {"person": "only-in-drafts"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Only In Drafts" not in page
    assert client.get("/documents/feed/", {"person": "only-in-drafts"}).status_code == 400
