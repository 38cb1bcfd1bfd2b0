"""The archive's query language, and lists as index queries.

A researcher's query: words (all must match), "a phrase", -word (must not), OR between
alternatives, prefix*. `parse_query` reads it (never failing), and `Criteria` holds it with
the filters of a list; `Criteria.query()` is the one definition of every filter as the index
query it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

import tantivy
from django.utils.translation import gettext

from .index import SCHEMA
from .schema import PREFIX_FIELDS, TEXT_FIELDS, day_number, is_stop_word, words_of

_TOKEN = re.compile(r'(-?)"([^"]*)("?)|(\S+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    """Words that must stand together (one word, or a quoted phrase), maybe a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass
class Clause:
    """Alternatives joined by OR; all clauses of a query must match (or must not, if negated)."""

    terms: list[Term] = field(default_factory=list)
    negated: bool = False


@dataclass
class ParsedQuery:
    text: str
    clauses: list[Clause]
    notices: list[str] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        """Every word a researcher asked for (not those they excluded)."""
        return [
            word
            for clause in self.clauses
            if not clause.negated
            for term in clause.terms
            for word in term.words
        ]


def _term(raw: str, *, phrase: bool) -> Term | None:
    prefix = not phrase and raw.endswith("*")
    words = tuple(word.lower() for word in _WORD.findall(raw) if word != "_")
    return Term(words, prefix and len(words) == 1) if words else None


def parse_query(text: str) -> ParsedQuery:
    """Read a researcher's query: words (all must match), "a phrase", -word, OR, prefix*.

    Never fails: an unclosed quote closes at the end, stray operators are dropped, and a query
    with nothing left to search for says so.
    """
    clauses: list[Clause] = []
    notices: list[str] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        minus, phrase, closed, bare = match.groups()
        if phrase is not None:
            if not closed:
                notices.append(
                    gettext("A quotation mark was not closed; the phrase runs to the end.")
                )
            term, negated = _term(phrase, phrase=True), bool(minus)
        elif bare == "OR":
            pending_or = bool(clauses) and not clauses[-1].negated
            continue
        else:
            negated = bare.startswith("-") and len(bare) > 1
            term = _term(bare[1:] if negated else bare, phrase=False)
        if term is None:
            pending_or = False
            continue
        if pending_or and not negated:
            clauses[-1].terms.append(term)
        else:
            clauses.append(Clause([term], negated))
        pending_or = False
    if text.strip() and not clauses:
        notices.append(
            gettext("There is nothing to search for in “%(text)s”.") % {"text": text.strip()[:80]}
        )
    return ParsedQuery(text, clauses, notices)


# Index queries --------------------------------------------------------------------------------

Occur = tantivy.Occur
Query = tantivy.Query


def _any(queries: list[tantivy.Query]) -> tantivy.Query:
    if not queries:
        return Query.empty_query()
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Should, q) for q in queries])


def term_query(term: Term) -> tantivy.Query | None:
    """One word, phrase or prefix, in every text field, each weighted as it counts; None for
    a stop word, which the query leaves out."""
    if not term.prefix and len(term.words) == 1 and is_stop_word(term.words[0]):
        return None
    if term.prefix:
        (folded,) = words_of(term.words[0], stem=False) or [term.words[0]]
        pattern = re.escape(folded) + ".*"
        return _any(
            [
                Query.boost_query(
                    Query.regex_query(SCHEMA, f"{name}_words", pattern), TEXT_FIELDS[name]
                )
                for name in PREFIX_FIELDS
            ]
        )
    stems = [stem for word in term.words for stem in words_of(word, stem=True)]
    if not stems:
        return Query.empty_query()
    parts: list[tantivy.Query] = []
    for name, weight in TEXT_FIELDS.items():
        if len(stems) == 1:
            query = Query.term_query(SCHEMA, name, stems[0])
        else:
            words: list[str | tuple[int, str]] = list(stems)
            query = Query.phrase_query(SCHEMA, name, words)
        parts.append(Query.boost_query(query, weight))
    # A query that is exactly a record ID finds that record first.
    identifier = "-".join(term.words) if len(term.words) > 1 else term.words[0]
    parts.append(Query.boost_query(Query.term_query(SCHEMA, "identifier", identifier), 8.0))
    return _any(parts)


def keyword_query(
    parsed: ParsedQuery | None, *, positive_only: bool = False
) -> tantivy.Query | None:
    """The query's words as an index query; None when there is nothing to search for."""
    if parsed is None:
        return None
    must: list[tantivy.Query] = []
    must_not: list[tantivy.Query] = []
    for clause in parsed.clauses:
        queries = [q for q in (term_query(term) for term in clause.terms) if q is not None]
        if not queries:
            continue  # stop words only
        (must_not if clause.negated else must).append(_any(queries))
    if positive_only:
        must_not = []
    if not must and not must_not:
        # Words were asked for, and all were stop words: nothing matches (as in PostgreSQL).
        return Query.empty_query() if parsed.clauses else None
    if not must:
        must = [Query.all_query()]
    if len(must) == 1 and not must_not:
        return must[0]
    return Query.boolean_query(
        [(Occur.Must, q) for q in must] + [(Occur.MustNot, q) for q in must_not]
    )


def _filter(query: tantivy.Query) -> tuple:
    # A filter decides what matches, never the order: it adds nothing to a match's score.
    return (Occur.Must, Query.const_score_query(query, 0.0))


@dataclass(frozen=True)
class Criteria:
    """Which published documents a list shows: a scope (a person's, a place's, a
    collection's page) and the researcher's filters, as one value.

    `regions` and `collections` are groups: a document must be under (or in) any one of
    each group's ids, and match every group, so a region page narrowed to another region
    keeps both."""

    keywords: ParsedQuery | None = None
    date_from: date | None = None  # documents that have not ended before this day
    date_to: date | None = None  # documents that have begun by this day
    regions: tuple[tuple[int, ...], ...] = ()
    people: tuple[int, ...] = ()  # with all of these people
    collections: tuple[tuple[int, ...], ...] = ()
    language: str = ""
    archive: str = ""
    source: str = ""  # words the archival citation holds, all of them
    # Only these documents (a saved search's alert asks among the newly published); None is
    # no such limit.
    ids: tuple[int, ...] | None = None

    def merged(self, other: Criteria) -> Criteria:
        """These documents narrowed by `other` too (a page's scope and a researcher's
        filters)."""
        return replace(
            self,
            keywords=other.keywords or self.keywords,
            date_from=max(filter(None, [self.date_from, other.date_from]), default=None),
            date_to=min(filter(None, [self.date_to, other.date_to]), default=None),
            regions=(*self.regions, *other.regions),
            people=tuple(dict.fromkeys([*self.people, *other.people])),
            collections=(*self.collections, *other.collections),
            language=other.language or self.language,
            archive=other.archive or self.archive,
            source=other.source or self.source,
            ids=other.ids if other.ids is not None else self.ids,
        )

    @property
    def has_keywords(self) -> bool:
        return bool(self.keywords and self.keywords.clauses)

    def query(self) -> tantivy.Query:
        """The one index query for these documents."""
        parts = []
        if self.date_from:
            parts.append(_filter(range_query("date_last", low=day_number(self.date_from))))
        if self.date_to:
            parts.append(_filter(range_query("date", high=day_number(self.date_to))))
        for group in self.regions:
            parts.append(_filter(Query.term_set_query(SCHEMA, "regions", list(group))))
        for person_id in self.people:
            parts.append(_filter(Query.term_query(SCHEMA, "people", person_id)))
        for group in self.collections:
            parts.append(_filter(Query.term_set_query(SCHEMA, "collections", list(group))))
        if self.language:
            parts.append(_filter(Query.term_query(SCHEMA, "language", self.language)))
        if self.archive:
            parts.append(_filter(Query.term_query(SCHEMA, "archive", self.archive)))
        for word in words_of(self.source, stem=True):
            parts.append(_filter(Query.term_query(SCHEMA, "source", word)))
        if self.ids is not None:
            parts.append(_filter(Query.term_set_query(SCHEMA, "id", list(self.ids))))
        keywords = keyword_query(self.keywords) if self.has_keywords else None
        if keywords is not None:
            if not parts:
                return keywords
            parts.insert(0, (Occur.Must, keywords))
        if not parts:
            return Query.all_query()
        return Query.boolean_query(parts)


def range_query(field_name: str, *, low: int | None = None, high: int | None = None):
    return Query.range_query(SCHEMA, field_name, tantivy.FieldType.Integer, low, high)
