"""Reference exports: RIS, BibTeX, CSL-JSON, CSV and JSON Lines of one document or of any
result list, parsed back with real libraries; streaming, bounded, drafts never included,
bad parameters a 400, a fixed number of queries, and a JSON Lines round trip through the
importer."""

import csv
import io
import json

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.http import StreamingHttpResponse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from documents.filters import DocumentFilter
from documents.models import Collection, Document, IdentifierRedirect, Region
from importing.importer import documents_import
from people.models import Person
from tests.factories import DocumentFactory
from tests.samples import HIDDEN_WORDS, PUBLIC, SPECIAL_TITLE, make_sample_archive

pytestmark = pytest.mark.django_db

FORMATS = ("ris", "bib", "csl.json", "csv", "jsonl")
MONTH = "avprf.1967-11:a_1"
URL = "http://testserver/documents/avprf.1967-11:a_1/"


@pytest.fixture
def archive(db):
    return make_sample_archive()


def body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def export(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.content if not response.streaming else ""
    return body(response)


def by_id(entries, key) -> dict:
    return {entry[key]: entry for entry in entries}


# RIS ------------------------------------------------------------------------------------------


class TestRIS:
    def test_fields_survive_a_parse_by_rispy(self, client, archive):
        entries = by_id(rispy.loads(export(client, "/documents/export.ris")), "id")
        assert set(entries) == PUBLIC
        month = entries[MONTH]
        assert month["type_of_reference"] == "MANSCPT"
        assert month["title"] == SPECIAL_TITLE
        assert month["authors"] == ["A. M. Puzanov"]
        assert month["date"] == "1967/11//"  # November 1967, not 1 November
        assert month["year"] == "1967"
        assert month["urls"] == [URL]
        assert month["name_of_database"] == (
            "Archive of Foreign Policy of the Russian Federation (AVPRF)"
        )
        assert month["accession_number"] == "AVPRF, f. 0102, op. 16, d. 6."
        assert month["database_provider"] == "Cold War Digital Archive"
        assert month["language"] == "ru"
        assert month["abstract"] == "Puzanov reports a talk with Kim Il Sung. A second paragraph."
        assert {"Анастас Микоян", "Kim Il Sung", "Mao Zedong", "China"} <= set(month["keywords"])
        assert {"Conversations with Kim Il Sung", "Sino-Soviet Split"} <= set(month["keywords"])

    def test_year_and_span_precision(self, client, archive):
        entries = by_id(rispy.loads(export(client, "/documents/export.ris")), "id")
        assert entries["1956-poland"]["date"] == "1956///"
        assert entries["span-1960"]["date"] == "1960/08/18/August 18–21, 1960"
        assert "authors" not in entries["span-1960"]  # participants are not authors

    def test_one_document(self, client, archive):
        response = client.get(f"/documents/{MONTH}/export.ris")
        assert response["Content-Type"].startswith("application/x-research-info-systems")
        assert response["Content-Disposition"] == f'attachment; filename="{MONTH}.ris"'
        [entry] = rispy.loads(body(response))
        assert entry["id"] == MONTH


# BibTeX ---------------------------------------------------------------------------------------


def latex_decoder() -> LatexNodes2Text:
    """pylatexenc, taught three LaTeX2e text commands it lacks (the braces and the caret)."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "latex2e-text-symbols",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", simplify_repl="{"),
            MacroTextSpec("textbraceright", simplify_repl="}"),
            MacroTextSpec("textasciicircum", simplify_repl="^"),
        ],
    )
    return LatexNodes2Text(latex_context=context)


def parse_bibtex(text: str):
    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(decoder=latex_decoder())]
    )
    assert not library.failed_blocks
    return {entry.key: entry for entry in library.entries}


class TestBibTeX:
    def test_fields_survive_a_parse_by_bibtexparser(self, client, archive):
        entries = parse_bibtex(export(client, "/documents/export.bib"))
        assert set(entries) == PUBLIC
        month = entries[MONTH]
        assert month.entry_type == "misc"
        assert month["title"] == SPECIAL_TITLE  # every special character escaped and back
        assert month["author"] == "A. M. Puzanov"
        assert month["date"] == "1967-11"
        assert month["year"] == "1967"
        assert month["month"] == "nov"
        assert month["url"] == URL
        assert month["archive"] == "Archive of Foreign Policy of the Russian Federation (AVPRF)"
        assert month["note"] == "AVPRF, f. 0102, op. 16, d. 6."
        assert "Анастас Микоян" in month["keywords"]

    def test_precision_and_spans(self, client, archive):
        entries = parse_bibtex(export(client, "/documents/export.bib"))
        year = entries["1956-poland"]
        assert year["date"] == "1956"
        assert "month" not in year.fields_dict
        assert entries["span-1960"]["date"] == "1960-08-18/1960-08-21"

    def test_names_and_titles_are_protected_from_styles(self, client, archive):
        text = export(client, f"/documents/{MONTH}/export.bib")
        assert "  author = {{A. M. Puzanov}}," in text  # one name, never split at the dots
        assert "  title = {{Puzanov's" in text  # capitals kept
        assert "\\%" in text and "{\\textbackslash}" in text


# CSL-JSON -------------------------------------------------------------------------------------


class TestCSLJSON:
    def test_items(self, client, archive):
        items = by_id(json.loads(export(client, "/documents/export.csl.json")), "id")
        assert set(items) == PUBLIC
        month = items[MONTH]
        assert month["type"] == "manuscript"
        assert month["title"] == SPECIAL_TITLE
        assert month["author"] == [{"literal": "A. M. Puzanov"}]
        assert month["recipient"] == [{"literal": "Анастас Микоян"}]
        assert month["issued"] == {"date-parts": [[1967, 11]]}
        assert month["URL"] == URL
        assert month["archive"] == "Archive of Foreign Policy of the Russian Federation (AVPRF)"
        assert month["archive_location"] == "AVPRF, f. 0102, op. 16, d. 6."
        assert items["1956-poland"]["issued"] == {"date-parts": [[1956]]}
        assert items["span-1960"]["issued"] == {"date-parts": [[1960, 8, 18], [1960, 8, 21]]}

    def test_an_empty_list_is_an_empty_array(self, client, archive):
        assert json.loads(export(client, "/documents/export.csl.json?q=nothingmatches")) == []


# CSV and JSON Lines (the batch format) -------------------------------------------------------


class TestBatchFormats:
    def test_csv_has_the_batch_columns(self, client, archive):
        rows = by_id(
            csv.DictReader(io.StringIO(export(client, "/documents/export.csv"))), "identifier"
        )
        assert set(rows) == PUBLIC
        month = rows[MONTH]
        assert month["title"] == SPECIAL_TITLE
        assert month["date"] == "1967-11"
        assert month["regions"] == "East Asia > China"
        assert month["collections"] == "Conversations with Kim Il Sung; Sino-Soviet Split"
        assert month["participants"] == (
            "A. M. Puzanov; Анастас Микоян (1895-1978); Kim Il Sung (1912-1994); "
            "Mao Zedong (1893-1976)"
        )
        assert month["text"] == "Line one.\nLine two."
        assert rows["span-1960"]["date_end"] == "1960-08-21"
        assert rows["span-1960"]["participants"] == "Károly Práth (1920-); Kim Il Sung (1912-1994)"

    def test_jsonl_keeps_roles(self, client, archive):
        lines = export(client, "/documents/export.jsonl").splitlines()
        records = by_id([json.loads(line) for line in lines], "identifier")
        assert set(records) == PUBLIC
        assert records[MONTH]["participants"][0] == {"name": "A. M. Puzanov", "role": "author"}
        assert records["span-1960"]["participants"][0] == "Károly Práth (1920-)"
        assert "status" not in records[MONTH]

    @pytest.mark.parametrize("fmt", ["jsonl", "csv"])
    def test_round_trip_through_the_importer(self, client, archive, tmp_path, fmt):
        """Export, empty the archive, import the export: the same documents come back."""

        def snapshot():
            documents = Document.objects.published().with_relations().order_by("identifier")
            return [
                (
                    d.identifier,
                    d.title,
                    str(d.date_span),
                    d.date_span.start.iso(),
                    d.summary,
                    d.text,
                    d.language,
                    d.source,
                    d.original_archive,
                    d.rights,
                    sorted(
                        f"{r.parent.name + ' > ' if r.parent else ''}{r.name}"
                        for r in d.regions.all()
                    ),
                    sorted(c.title for c in d.collections.all()),
                    [
                        (p.person.name, p.person.birth_year, p.person.death_year)
                        + ((p.role,) if fmt == "jsonl" else ())
                        for p in d.participations.all()
                    ],
                )
                for d in documents
            ]

        before = snapshot()
        path = tmp_path / f"export.{fmt}"
        path.write_text(export(client, f"/documents/export.{fmt}"), encoding="utf-8")
        Document.objects.all().delete()
        Person.objects.all().delete()
        Region.objects.filter(parent__isnull=False).delete()
        Region.objects.all().delete()
        Collection.objects.all().delete()

        report = documents_import(paths=[path])
        assert report.created == len(PUBLIC)
        assert snapshot() == before
        assert documents_import(paths=[path]).unchanged == len(PUBLIC)


# Every format ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
class TestEveryFormat:
    def test_drafts_are_never_exported(self, client, archive, fmt):
        text = export(client, f"/documents/export.{fmt}")
        for word in HIDDEN_WORDS:
            assert word not in text
        for identifier in ("never-public", "withdrawn"):
            assert client.get(f"/documents/{identifier}/export.{fmt}").status_code == 404

    def test_a_draft_is_not_exported_to_archivists_either(self, admin_client, archive, fmt):
        assert admin_client.get(f"/documents/never-public/export.{fmt}").status_code == 404

    def test_the_filters_of_the_result_page(self, client, archive, fmt):
        text = export(client, f"/documents/export.{fmt}?region=east-asia&date_from=1960")
        assert "avprf.1967-11" in text and "span-1960" in text and "1956-poland" not in text

    def test_the_order_of_the_result_page(self, client, archive, fmt):
        text = export(client, f"/documents/export.{fmt}?sort=date")
        positions = [text.index(identifier) for identifier in ("1956-poland", "span-1960", MONTH)]
        assert positions == sorted(positions)

    def test_bad_parameters_are_a_400_naming_them(self, client, archive, fmt):
        response = client.get(f"/documents/export.{fmt}?date_from=1960-13&region=atlantis")
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"date_from", "region"}

    def test_exports_are_bounded(self, client, archive, settings, fmt):
        settings.ARCHIVE_EXPORT_MAX_DOCUMENTS = 2
        response = client.get(f"/documents/export.{fmt}")
        assert response.status_code == 400
        assert "at most 2" in response.json()["errors"]["__all__"][0]
        assert client.get(f"/documents/export.{fmt}?region=poland").status_code == 200

    def test_streams_with_a_fixed_number_of_queries(
        self, client, archive, fmt, django_assert_max_num_queries, caught_up
    ):
        # The same queries for 3 documents as for 43: prefetching is per chunk, not per row.
        def queries() -> int:
            caught_up()
            with django_assert_max_num_queries(50) as captured:
                body(client.get(f"/documents/export.{fmt}?sort=title"))
            return len(captured.captured_queries)

        few = queries()
        for number in range(40):
            DocumentFactory(identifier=f"more-{number}", regions=[archive["regions"]["china"]])
        assert queries() == few
        assert few <= 8


class TestScopes:
    """A place's, a person's and a collection's page export what the page lists."""

    @pytest.mark.parametrize(
        "page, expected",
        [
            ("/regions/east-asia/", {MONTH, "span-1960"}),
            ("/people/kim-il-sung/", {MONTH, "span-1960"}),
            ("/collections/sino-soviet-split/", {MONTH}),
            ("/regions/east-asia/?region=china", {MONTH}),  # the page and the filter: both
        ],
    )
    def test_scope_and_filters(self, client, archive, page, expected):
        path, _, query = page.partition("?")
        records = export(client, f"{path}export.jsonl?{query}").splitlines()
        assert {json.loads(line)["identifier"] for line in records} == expected
        listed = {d.identifier for d in client.get(page).context["documents"]}
        assert listed == expected

    def test_file_names_name_the_scope(self, client, archive):
        response = client.get("/people/kim-il-sung/export.bib")
        assert response["Content-Disposition"] == 'attachment; filename="person-kim-il-sung.bib"'

    @pytest.mark.parametrize(
        "path",
        ["/regions/atlantis/export.ris", "/people/nobody/export.ris", "/collections/x/export.ris"],
    )
    def test_unknown_pages_are_404(self, client, archive, path):
        assert client.get(path).status_code == 404


class TestLinks:
    def test_the_result_page_links_its_exports(self, client, archive):
        page = client.get("/documents/?region=east-asia&page=1&per_page=5").content.decode()
        for fmt in FORMATS:
            assert f'href="/documents/export.{fmt}?region=east-asia"' in page

    def test_links_leave_out_what_the_page_ignored(self, client, archive):
        page = client.get("/documents/?region=east-asia&date_from=nonsense").content.decode()
        assert 'href="/documents/export.ris?region=east-asia"' in page

    def test_a_person_page_links_its_own_exports(self, client, archive):
        page = client.get("/people/kim-il-sung/").content.decode()
        assert 'href="/people/kim-il-sung/export.csv"' in page

    def test_too_many_results_are_not_offered(self, client, archive, settings):
        settings.ARCHIVE_EXPORT_MAX_DOCUMENTS = 1
        page = client.get("/documents/").content.decode()
        assert "export.ris" not in page
        assert "Exports hold at most 1 documents" in page

    def test_the_document_page_links_its_exports(self, client, archive):
        page = client.get(f"/documents/{MONTH}/").content.decode()
        for fmt in FORMATS:
            assert f'href="/documents/{MONTH}/export.{fmt}"' in page

    def test_a_renamed_document_export_redirects(self, client, archive):
        IdentifierRedirect.objects.create(old_identifier="old-name", document=archive["month"])
        response = client.get("/documents/old-name/export.ris")
        assert response.status_code == 301
        assert response["Location"] == f"/documents/{MONTH}/export.ris"


# Generated bad input --------------------------------------------------------------------------

# Every filter of the lists (documents/filters.py), paging, and one the lists do not know.
PARAMETERS = [*DocumentFilter.base_filters, "page", "per_page", "x"]


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fmt=st.sampled_from(FORMATS),
    params=st.lists(st.tuples(st.sampled_from(PARAMETERS), st.text(max_size=60)), max_size=4),
)
def test_generated_parameters_never_break_an_export(client, archive, fmt, params):
    response = client.get(f"/documents/export.{fmt}", params and _multi(params))
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        text = body(response)
        for word in HIDDEN_WORDS:
            assert word not in text
    else:
        assert response.json()["errors"]


def _multi(pairs):
    data = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data
