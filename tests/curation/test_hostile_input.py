"""Hostile input: markup and `</script>` in any text field come out as text in every output
(HTML pages, JSON-LD, the API, feeds, OAI-PMH XML, exports), and generated values for every
parameter of every public URL never cause a server error nor show an anonymous user a draft.
"""

import csv
import io
import json

import lxml.html
import pytest
import rispy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from documents.filters import DocumentFilter
from documents.models import DocumentParticipant, Role, Status
from reuse.exports import FORMATS
from tests.factories import CollectionFactory, DocumentFactory, PersonFactory, RegionFactory
from tests.oai.xml import DC, NS
from tests.samples import HIDDEN_WORDS, make_sample_archive

pytestmark = pytest.mark.django_db

EVIL = '</script><script>alert("x")</script><img src=x onerror=alert(1)><b style="x">&amp;'
EVIL_PERSON = "</SCRIPT ><svg onload=alert(2)> Doe"
EVIL_PLACE = "<iframe src=//evil.example>"
EVIL_COLLECTION = "<style>*{}</style>Talks"


@pytest.fixture
def evil(db):
    region = RegionFactory(name=EVIL_PLACE, slug="evil-place")
    collection = CollectionFactory(title=EVIL_COLLECTION, slug="evil-collection")
    person = PersonFactory(name=EVIL_PERSON, slug="evil-person", biography=EVIL)
    document = DocumentFactory(
        identifier="evil-1",
        title=EVIL,
        summary=EVIL,
        text=EVIL,
        source=EVIL,
        original_archive=EVIL,
        rights=EVIL,
        language="ru",
        regions=[region],
        collections=[collection],
    )
    DocumentParticipant.objects.create(document=document, person=person, role=Role.AUTHOR)
    return document


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


HTML_PAGES = [
    "/",
    "/documents/",
    "/documents/?q=alert",
    "/documents/facets/people/",
    "/documents/facets/collections/",
    "/documents/facets/archives/",
    "/documents/evil-1/",
    "/people/",
    "/people/evil-person/",
    "/regions/",
    "/regions/evil-place/",
    "/collections/",
    "/collections/evil-collection/",
]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_html_pages_show_markup_as_text(client, evil, path):
    response = client.get(path)
    assert response.status_code == 200
    page = body(response)
    for raw in ("<script>alert", "<img src=x", "<svg onload", "<iframe", "<style>*", "</SCRIPT >"):
        assert raw not in page, raw
    tree = lxml.html.fromstring(page)
    for script in tree.iter("script"):
        assert script.get("src") or script.get("type") == "application/ld+json"
    assert not tree.xpath("//iframe | //img[@src='x'] | //style")
    # The page's own SVG (the timeline) is fine; an injected one would carry a handler.
    handlers = [a for el in tree.iter() for a in el.attrib if a.lower().startswith("on")]
    assert not handlers, handlers
    text = tree.text_content()
    for shown in (EVIL, EVIL_PERSON, EVIL_PLACE, EVIL_COLLECTION):
        if shown in text:
            break
    else:
        pytest.fail("the hostile text is shown nowhere on the page")


def test_json_ld_is_data_that_cannot_end_its_script(client, evil):
    page = body(client.get("/documents/evil-1/"))
    tree = lxml.html.fromstring(page)
    [block] = tree.xpath("//script[@type='application/ld+json']")
    raw = block.text
    assert "<" not in raw and ">" not in raw
    data = json.loads(raw)
    assert data["name"] == EVIL
    assert data["description"] == EVIL
    assert data["author"][0]["name"] == EVIL_PERSON
    # Meta tags carry it as attribute text.
    assert tree.xpath("//meta[@name='citation_title']/@content") == [" ".join(EVIL.split())]


def test_the_api_returns_it_as_json_data(client, evil):
    response = client.get("/api/documents/evil-1/")
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    data = response.json()
    assert (data["title"], data["participants"][0]["name"]) == (EVIL, EVIL_PERSON)
    listed = client.get("/api/documents/", {"q": "alert"}).json()
    assert listed["results"][0]["summary"] == EVIL


def test_feeds_escape_it(client, evil):
    response = client.get("/documents/feed/")
    root = etree.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    [entry] = root.iter(f"{atom}entry")
    assert entry.findtext(f"{atom}title") == EVIL  # text, as XML carries it
    summary = entry.find(f"{atom}summary")
    assert summary.get("type") == "html"
    # The summary is HTML: the document's text in it is escaped, so a reader shows it as text.
    assert "<script>" not in summary.text and "&lt;/script&gt;" in summary.text
    assert entry.findtext(f"{atom}author/{atom}name") == EVIL_PERSON


def test_oai_records_carry_it_as_xml_text(client, evil):
    response = client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    root = etree.fromstring(response.content)
    titles = root.xpath("//dc:title/text()", namespaces={**NS, "dc": DC})
    assert titles == [EVIL]
    assert EVIL_PERSON in root.xpath("//dc:creator/text()", namespaces={**NS, "dc": DC})


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_exports_keep_it_as_data_and_are_downloads(client, evil, fmt):
    response = client.get(f"/documents/evil-1/export.{fmt}")
    assert response.status_code == 200
    assert "html" not in response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment;")
    text = body(response)
    if fmt == "ris":
        [entry] = rispy.loads(text)
        assert entry["title"] == EVIL
    elif fmt == "csl.json":
        assert json.loads(text)[0]["title"] == EVIL
    elif fmt == "jsonl":
        assert json.loads(text.splitlines()[0])["title"] == EVIL
    elif fmt == "csv":
        [row] = csv.DictReader(io.StringIO(text))
        assert row["title"] == EVIL
    else:  # BibTeX escapes TeX's specials; the words are all there
        assert "alert" in text and "script" in text


# Generated input for every public URL ---------------------------------------------------------

PARAMETERS = [
    *DocumentFilter.base_filters,  # every filter of the lists (documents/filters.py)
    "page",
    "per_page",
    "name",
    "verb",
    "metadataPrefix",
    "identifier",
    "set",
    "from",
    "until",
    "resumptionToken",
    "p",
]
values = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        [
            "",
            "\x00",
            "1956",
            "1956-13",
            "1956-02-30",
            "September 1956",
            "-1",
            "0",
            "1e9",
            "99999999999999999999",
            "kim-il-sung",
            "east-asia",
            "only-in-a-draft",
            "conversations-with-kim-il-sung",
            "relevance",
            "-date",
            "ListRecords",
            "GetRecord",
            "oai_dc",
            "oai:cold-war-archive.example.org:never-public",
            "never-public",
            "2024-01-01T00:00:00Z",
            "SECRET",
            '"unbalanced',
            "a & b | !c",
            "<script>",
            "%ff",
            "../../etc/passwd",
        ]
    ),
)
queries = st.lists(st.tuples(st.sampled_from(PARAMETERS), values), max_size=6)
path_values = st.one_of(
    st.sampled_from(
        [
            "kim-il-sung",
            "east-asia",
            "conversations-with-kim-il-sung",
            "never-public",
            "x",
            "people",
            "collections",
            "languages",
            "archives",
        ]
    ),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,30}", fullmatch=True),
)
TEMPLATES = [
    "/",
    "/documents/",
    "/documents/{v}/",
    "/documents/export.{fmt}",
    "/documents/{v}/export.{fmt}",
    "/documents/feed/",
    "/documents/facets/{v}/",
    "/people/",
    "/people/{v}/",
    "/people/{v}/export.{fmt}",
    "/people/{v}/feed/",
    "/regions/",
    "/regions/{v}/",
    "/regions/{v}/export.{fmt}",
    "/regions/{v}/feed/",
    "/collections/",
    "/collections/{v}/",
    "/collections/{v}/export.{fmt}",
    "/collections/{v}/feed/",
    "/api/documents/",
    "/api/documents/{v}/",
    "/api/openapi.json",
    "/oai/",
    "/sitemap.xml",
    "/sitemap-{v}.xml",
    "/robots.txt",
]


@pytest.fixture
def archive(db):
    """The sample archive, with its draft, withdrawn document and draft-only person; the
    generated requests only read it, so one serves all of a test's examples."""
    return make_sample_archive()


@pytest.mark.parametrize("template", TEMPLATES)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=path_values, fmt=st.sampled_from(list(FORMATS)), params=queries, post=st.booleans())
def test_generated_input_never_breaks_a_public_url(
    client, archive, template, value, fmt, params, post
):
    path = template.format(v=value, fmt=fmt)
    client.raise_request_exception = False
    if post and template == "/oai/":
        response = client.post(path, dict(params))
    else:
        response = client.get(path, params)
    assert response.status_code < 500, (path, params, response.status_code)
    if response.status_code == 200 and response["Content-Type"].split(";")[0] != "text/plain":
        text = body(response)
        asked = " ".join([path, *(v for _name, v in params)]).lower()
        for word in HIDDEN_WORDS:
            if word.lower() not in asked:  # a page may repeat what it was asked
                assert word not in text, (path, params, word)
    assert archive["draft"].status == Status.DRAFT
