"""The search index's schema: what each published document becomes in Tantivy.

Text fields are analysed two ways: `stem` (lower-cased, accents folded, English stems), which
words and phrases match, and `folded` (the same without stemming), which prefixes match,
because a prefix may reach past a word's stem ("irrigat*" must find "irrigation", whose stem
is "irrig"). Filters and facets read fast fields: ids of regions (with every region above
them), people and collections, the language, the original archive, dates as day numbers.
"""

from __future__ import annotations

from datetime import date

import tantivy

# Bump when the fields below change: an index of another version must be rebuilt.
SCHEMA_VERSION = 4

# Where each text of a document goes, and how much a match there weighs in relevance: the
# record ID and title first; the summary and people's names; places and collections; the
# full text and the text of its versions last.
TEXT_FIELDS = {
    "title": 4.0,  # title and record ID
    "original_title": 4.0,  # the title in the original's language, weighed as the title
    "summary": 2.0,
    "names": 2.0,  # participants' names and alternate names
    "places": 1.5,  # places and collections
    "body": 1.0,  # the full text
    "original": 1.0,  # the text of the versions, by kind
    "transcript": 1.0,
    "translation": 1.0,
    "ocr": 1.0,  # the text read by OCR on scans' pages: at the weight of the scans' text
}
# Prefixes reach the unstemmed words of these (not of the long texts, as before the engine).
PREFIX_FIELDS = ("title", "original_title", "summary", "names", "places")
# Stored, for snippets: where a passage can come from, in the order a snippet looks.
SNIPPET_FIELDS = ("summary", "body", "original", "transcript", "translation", "ocr")
VERSION_KINDS = ("original", "transcript", "translation")
FACET_FIELDS = ("regions", "people", "collections", "language", "archive", "year")

_EPOCH = date(1, 1, 1).toordinal()


def day_number(value: date) -> int:
    return value.toordinal() - _EPOCH


def sort_key(value: date, document_id: int) -> int:
    """One number that orders by date, then id: the list's order (-date, -id) as one field."""
    return day_number(value) * 2**40 + document_id


def _analyzer(*, stem: bool) -> tantivy.TextAnalyzer:
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(60))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )
    if stem:
        builder = builder.filter(tantivy.Filter.stemmer("english"))
    return builder.build()


STEM = _analyzer(stem=True)
FOLDED = _analyzer(stem=False)
_STOP = (
    tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    .filter(tantivy.Filter.lowercase())
    .filter(tantivy.Filter.stopword("english"))
    .build()
)


def is_stop_word(word: str) -> bool:
    """A word that says nothing of a document ("the", "of"): a query leaves it out, as
    PostgreSQL's did. The index keeps them, so phrases still match as written."""
    return not _STOP.analyze(word)


def words_of(text: str, *, stem: bool) -> list[str]:
    """A query's words as the index holds them."""
    return (STEM if stem else FOLDED).analyze(text)


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, stored=name in SNIPPET_FIELDS, tokenizer_name="stem")
    for name in PREFIX_FIELDS:
        builder.add_text_field(f"{name}_words", tokenizer_name="folded")
    # The whole record ID, so that a query that is exactly one finds it first.
    builder.add_text_field("identifier", tokenizer_name="raw")
    builder.add_unsigned_field("regions", indexed=True, fast=True)
    builder.add_unsigned_field("people", indexed=True, fast=True)
    builder.add_unsigned_field("collections", indexed=True, fast=True)
    builder.add_text_field("language", tokenizer_name="raw", fast=True)
    builder.add_text_field("archive", tokenizer_name="raw", fast=True)
    # The archival citation, for the `source` filter (its words, not relevance).
    builder.add_text_field("source", tokenizer_name="stem")
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("date", indexed=True, fast=True)  # day numbers
    builder.add_integer_field("date_last", indexed=True, fast=True)
    builder.add_integer_field("sort_date", fast=True)  # sort_key(date, id)
    builder.add_integer_field("sort_published", fast=True)  # first published, then id
    builder.add_text_field("sort_title", tokenizer_name="raw", fast=True)
    return builder.build()


def register_analyzers(index: tantivy.Index) -> None:
    index.register_tokenizer("stem", STEM)
    index.register_tokenizer("folded", FOLDED)
