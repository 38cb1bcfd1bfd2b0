"""Postings kept for the commonest search words (PostgreSQL): chosen by share, kept exact by the
trigger on every write, and read instead of ranking every match, with the same results."""

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from documents import facet_columns
from documents.facets import FACETS, facet_counts
from documents.importing import documents_import
from documents.models import ArchiveVersion, Document, SearchPostings, SearchWord, Status
from documents.search import refresh_search_vectors, single_lexeme
from documents.selectors import RANKED_AHEAD, document_search
from documents.services import search_words_refresh

EVERY = ["total", *FACETS]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="postings are kept by PostgreSQL triggers"
)

# Words in a quarter of these documents or more get postings.
SHARE = 0.25


@pytest.fixture
def archive(seeded, visits_path):
    documents_import(paths=[visits_path])


@pytest.fixture
def words(archive):
    changes = search_words_refresh(min_share=SHARE, min_documents=0)
    assert changes.added and not changes.removed
    return changes.added


def _ranks(word: str) -> dict[int, float]:
    """Every document's rank for a search for this word alone, computed from its vector."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ts_rank_cd(search_vector, %s::tsquery) FROM documents_document "
            "WHERE search_vector @@ %s::tsquery",
            [f"'{word}'", f"'{word}'"],
        )
        return dict(cursor.fetchall())


def _postings(word: str) -> dict[int, float]:
    """The word's postings: each document's rank, checking that none is there twice and that
    each row's documents are in its span, in order."""
    found: dict[int, float] = {}
    for row in SearchPostings.objects.filter(lexeme=word):
        ids = np.frombuffer(bytes(row.document_ids), ">i8").tolist()
        ranks = np.frombuffer(bytes(row.ranks), ">f4").tolist()
        assert len(ids) == len(ranks) > 0 and ids == sorted(ids)
        assert {i // SearchPostings.SPAN for i in ids} == {row.span}
        for document_id, rank in zip(ids, ranks, strict=True):
            assert document_id not in found
            found[document_id] = rank
    return found


def _all_postings() -> list[tuple]:
    return sorted(
        (w, i, r)
        for w in SearchWord.objects.values_list("lexeme", flat=True)
        for i, r in _postings(w).items()
    )


def _shares() -> dict[str, float]:
    """Each stem's share of every published document, counted in full."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc::float / (SELECT count(*) FROM documents_document "
            "WHERE status = 'published') FROM ts_stat('SELECT search_vector "
            "FROM documents_document WHERE status = ''published''')"
        )
        return dict(cursor.fetchall())


def test_the_words_in_a_large_share_of_the_documents_are_chosen(words):
    shares = _shares()
    # The archive is smaller than the sample: every published document is counted.
    assert all(shares[word] >= SHARE for word in words)
    assert {w for w, s in shares.items() if s >= SHARE and single_lexeme(f"'{w}'")} >= set(words)
    assert "visit" in words  # the visits data's commonest stem
    # Stems only: the vectors' unstemmed words (for prefix queries) are not searched alone.
    assert "visits" not in words and "conversation" not in words
    chosen = SearchWord.objects.get(lexeme="visit")
    assert chosen.share == pytest.approx(shares["visit"])
    for word in words:
        assert _postings(word) == pytest.approx(_ranks(word), rel=1e-6)
        assert _postings(word)


def test_a_rerun_changes_nothing_and_a_dry_run_writes_nothing(words):
    postings = _all_postings()
    assert search_words_refresh(min_share=SHARE, min_documents=0).added == []
    version = ArchiveVersion.objects.get().version
    dry = search_words_refresh(min_share=0.05, min_documents=0, dry_run=True)
    assert dry.added and not dry.removed
    assert SearchWord.objects.count() == len(words) and _all_postings() == postings
    assert ArchiveVersion.objects.get().version == version


def test_words_fall_out_below_half_the_share_and_small_archives_keep_none(words):
    shares = _shares()
    kept = sorted(w for w in words if shares[w] >= 0.6)
    assert search_words_refresh(min_share=1.2, min_documents=0).removed == sorted(
        set(words) - set(kept)
    )
    assert sorted(SearchWord.objects.values_list("lexeme", flat=True)) == kept
    assert set(SearchPostings.objects.values_list("lexeme", flat=True)) == set(kept)
    search_words_refresh(min_share=SHARE, min_documents=10**9)
    assert not SearchWord.objects.exists() and not SearchPostings.objects.exists()


def test_the_trigger_keeps_postings_exact_on_every_write(words):
    document = Document.objects.filter(search_vector__isnull=False).order_by("id").first()

    def posted() -> set[str]:
        return {word for word in words if document.pk in _postings(word)}

    assert posted() == _lexemes(document.pk) & set(words) != set(words)
    # Edits that change the vector: the document gains every word, then loses all but those
    # of its names and places.
    for summary in (" ".join(words), ""):
        Document.objects.filter(pk=document.pk).update(title="Nothing", summary=summary, text="")
        refresh_search_vectors([document.pk])
        assert posted() == _lexemes(document.pk) & set(words)
    assert posted() != set(words)
    for word in words:
        assert _postings(word) == pytest.approx(_ranks(word), rel=1e-6)
    # Edits that leave the vector alone change nothing; nor do those that change no chosen
    # word's postings (a word that is none of them: not a row is written).
    rows = list(SearchPostings.objects.values_list("id", "span", "document_ids", "ranks"))
    Document.objects.filter(pk=document.pk).update(status=Status.DRAFT)
    Document.objects.filter(pk=document.pk).update(text="zyzzogeton")
    refresh_search_vectors([document.pk])
    assert "zyzzogeton" in _lexemes(document.pk)
    assert list(SearchPostings.objects.values_list("id", "span", "document_ids", "ranks")) == rows
    # Deletes take their postings along, and new documents bring theirs.
    Document.objects.filter(pk=document.pk).delete()
    assert posted() == set()
    call_command("load_seeds", verbosity=0)
    for word in words:
        assert _postings(word) == pytest.approx(_ranks(word), rel=1e-6)


def _lexemes(document_id: int) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unnest(tsvector_to_array(search_vector)) FROM documents_document WHERE id = %s",
            [document_id],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def columns(words):
    yield facet_columns.refresh(min_documents=0)
    facet_columns.forget()


def _copies(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("COPY (SELECT")]


@pytest.mark.parametrize(
    "query",
    [
        "q=visit",
        "q=visits",  # normalised to the same stem
        "q=visit&region=east-asia&date_from=1950",
        "q=visit&person=mao-zedong",
        "q=visit&archive=Nowhere",  # the filters leave no documents at all
        "q=Visit&language=ru",
    ],
)
def test_a_chosen_word_is_read_from_its_postings_with_sqls_counts_and_order(
    columns, monkeypatch, query
):
    assert "visit" in columns.words
    search = document_search(QueryDict(query))
    options = {"people_limit": 16, "ranked": RANKED_AHEAD}
    with CaptureQueriesContext(connection) as queries:
        posted = facet_counts(search.filtered, EVERY, **options)
    (copy,) = _copies(queries)
    assert "documents_searchpostings" in copy and "search_vector" not in copy
    with monkeypatch.context() as patched:
        patched.setattr(facet_columns, "current", lambda version: None)
        from_sql = facet_counts(search.filtered, EVERY, **options)
    assert posted == from_sql
    assert posted.ranked == from_sql.ranked
    assert (posted.total > 0) == ("Nowhere" not in query)


@pytest.mark.parametrize("query", ["q=visit talks", "q=visit*", "q=-visit", "q=zzzznothing"])
def test_other_queries_are_searched_through_the_index(columns, query):
    search = document_search(QueryDict(query))
    with CaptureQueriesContext(connection) as queries:
        facet_counts(search.filtered, EVERY, people_limit=16, ranked=RANKED_AHEAD)
    assert not any("documents_searchposting" in sql for sql in _copies(queries))


def test_drafts_postings_are_kept_but_never_shown(columns, monkeypatch):
    search = document_search(QueryDict("q=visit"))
    first = search.counts.ranked[0]
    Document.objects.filter(pk=first).update(status=Status.DRAFT)
    assert first in _postings("visit")
    fresh = facet_columns.refresh(min_documents=0)
    assert fresh.version != columns.version
    counts = facet_counts(search.filtered, EVERY, people_limit=16, ranked=RANKED_AHEAD)
    assert first not in counts.ranked
    with monkeypatch.context() as patched:
        patched.setattr(facet_columns, "current", lambda version: None)
        assert counts == facet_counts(search.filtered, EVERY, people_limit=16, ranked=RANKED_AHEAD)


def test_a_change_of_words_is_a_new_version_the_columns_are_read_again_for(columns):
    assert search_words_refresh(min_share=10, min_documents=0).removed  # every word
    search = document_search(QueryDict("q=visit"))
    assert facet_columns.current(ArchiveVersion.objects.get().version) is None  # stale
    fresh = facet_columns.refresh(min_documents=0)
    assert fresh.words == frozenset()
    with CaptureQueriesContext(connection) as queries:
        facet_counts(search.filtered, EVERY, people_limit=16, ranked=RANKED_AHEAD)
    assert not any("documents_searchposting" in sql for sql in _copies(queries))


def test_the_command_says_what_it_chose(archive):
    from io import StringIO

    out = StringIO()
    call_command(
        "choose_search_words",
        "--min-share=0.25",
        "--min-documents=0",
        "--dry-run",
        "-v2",
        stdout=out,
    )
    assert "word(s) would get postings" in out.getvalue() and "  visit\n" in out.getvalue()
    assert not SearchWord.objects.exists()
    out = StringIO()
    call_command("choose_search_words", "--min-share=0.25", "--min-documents=0", stdout=out)
    assert SearchWord.objects.filter(lexeme="visit").exists()
    assert "Done." in out.getvalue()


def test_a_large_import_chooses_the_words_and_later_imports_keep_them(
    seeded, visits_path, settings, monkeypatch, write_batch
):
    monkeypatch.setattr("documents.importing.ANALYZE_AFTER", 10)
    settings.ARCHIVE_FACET_COLUMNS_MIN_DOCUMENTS = 0
    settings.ARCHIVE_SEARCH_WORD_MIN_SHARE = SHARE
    documents_import(paths=[visits_path])
    words = set(SearchWord.objects.values_list("lexeme", flat=True))
    assert "visit" in words
    # A small import adds its documents' postings through the trigger alone.
    batch = write_batch(
        "more.jsonl",
        [{"identifier": "NEW-1", "title": "A visit", "date": "1961-02-03", "summary": "Talks."}],
    )
    documents_import(paths=[batch])
    new = Document.objects.get(identifier="NEW-1")
    assert set(SearchWord.objects.values_list("lexeme", flat=True)) == words
    assert new.pk in _postings("visit")
    for word in words:
        assert _postings(word) == pytest.approx(_ranks(word), rel=1e-6)


def test_an_import_stands_when_choosing_words_fails(seeded, visits_path, monkeypatch):
    from django.db import DatabaseError

    def refuse(**kwargs):
        raise DatabaseError("lock timeout")

    monkeypatch.setattr("documents.importing.ANALYZE_AFTER", 10)
    monkeypatch.setattr("documents.importing.search_words_refresh", refuse)
    report = documents_import(paths=[visits_path])
    assert report.created > 400
    assert report.warnings[-1] == (
        "search words were not chosen (lock timeout); run manage.py choose_search_words"
    )
