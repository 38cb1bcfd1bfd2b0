"""Cite this: the real archive's form at the date's own precision, with a copy button that is
progressive enhancement (a static script, no inline code); stable links under it."""

import datetime

import pytest
from lxml import html

from documents.citations import chicago_citation, document_people
from documents.dates import Precision
from documents.models import Document
from tests.factories import DocumentFactory
from tests.samples import make_sample_archive

pytestmark = pytest.mark.django_db

URL = "https://archive.example.org/documents/x/"


def cite(**fields) -> str:
    document = Document(identifier="x", title="A Telegram", date=datetime.date(1956, 9, 21))
    for name, value in fields.items():
        setattr(document, name, value)
    return chicago_citation(document, url=URL, archive_name="Cold War Digital Archive")


@pytest.mark.parametrize(
    "fields, date",
    [
        ({}, "September 21, 1956"),
        ({"date": datetime.date(1967, 11, 1), "date_precision": Precision.MONTH}, "November 1967"),
        ({"date": datetime.date(1967, 1, 1), "date_precision": Precision.YEAR}, "1967"),
        (
            {"date_end": datetime.date(1956, 9, 23), "date_end_precision": Precision.DAY},
            "September 21–23, 1956",
        ),
    ],
)
def test_the_date_keeps_its_precision(fields, date):
    assert cite(**fields) == f"“A Telegram,” {date}, Cold War Digital Archive. {URL}"


def test_the_source_follows_the_archive():
    assert cite(source="GARF, f. 5446, op. 98c.") == (
        f"“A Telegram,” September 21, 1956, Cold War Digital Archive, GARF, f. 5446, op. 98c. {URL}"
    )


@pytest.mark.parametrize(
    "title, quoted",
    [
        ("Who lost China?", "“Who lost China?”"),
        ("Never again!", "“Never again!”"),
        ("Memorandum.", "“Memorandum,”"),
    ],
)
def test_a_title_ending_in_its_own_mark_takes_no_comma(title, quoted):
    assert cite(title=title).startswith(f"{quoted} September 21, 1956,")


def test_people_by_role(db):
    archive = make_sample_archive()
    document = Document.objects.with_relations().get(pk=archive["month"].pk)
    people = document_people(document)
    assert [p.name for p in people.authors] == ["A. M. Puzanov"]
    assert [p.name for p in people.recipients] == ["Анастас Микоян"]
    assert [p.name for p in people.participants] == ["Kim Il Sung"]
    assert [p.name for p in people.mentioned] == ["Mao Zedong"]
    span = Document.objects.with_relations().get(pk=archive["span"].pk)
    assert [p.name for p in document_people(span).participants] == ["Károly Práth", "Kim Il Sung"]


class TestPage:
    def test_cite_this_with_a_copy_button(self, client, db):
        DocumentFactory(
            identifier="doc-1",
            title="A Telegram",
            date=datetime.date(1967, 11, 1),
            date_precision=Precision.MONTH,
        )
        tree = html.fromstring(client.get("/documents/doc-1/").content)
        [citation] = tree.xpath('//p[@id="citation-text"]')
        assert citation.text_content() == (
            "“A Telegram,” November 1967, Cold War Digital Archive. http://testserver/documents/doc-1/"
        )
        [button] = tree.xpath('//button[@data-copy-target="citation-text"]')
        assert button.get("hidden") is not None  # shown by the script: no script, no button
        assert button.get("type") == "button"

    def test_the_page_has_no_inline_script(self, client, db):
        """A strict CSP is coming: code only from static files, loaded deferred."""
        DocumentFactory(identifier="doc-1")
        tree = html.fromstring(client.get("/documents/doc-1/").content)
        scripts = tree.xpath("//script")
        code = [s for s in scripts if s.get("type") != "application/ld+json"]
        assert [s.get("src") for s in code] == ["/static/js/suggest.js", "/static/js/cite.js"]
        assert all(s.get("defer") is not None and not (s.text or "").strip() for s in code)
        assert not tree.xpath("//@*[starts-with(name(), 'on')]")  # no onclick= handlers

    def test_the_script_is_a_static_file(self):
        from django.contrib.staticfiles import finders

        with open(finders.find("js/cite.js"), encoding="utf-8") as handle:
            script = handle.read()
        assert "navigator.clipboard" in script and "data-copy-target" in script


class TestStableLinks:
    def test_the_permanent_link_survives_a_title_change(self, client, db):
        document = DocumentFactory(identifier="doc-1", title="First title")
        document.title = "A better title"
        document.save()
        response = client.get("/documents/doc-1/")
        assert response.status_code == 200
        assert response.context["citation"].endswith("http://testserver/documents/doc-1/")

    def test_a_renamed_identifier_keeps_redirecting(self, client, db):
        from documents.services import document_rename

        document = DocumentFactory(identifier="old-id")
        document.identifier = "new-id"
        document.save()
        document_rename(document=document, old_identifier="old-id")
        response = client.get("/documents/old-id/")
        assert response.status_code == 301
        assert response["Location"] == "/documents/new-id/"
        assert client.get("/documents/new-id/").context["citation"].endswith("/documents/new-id/")
