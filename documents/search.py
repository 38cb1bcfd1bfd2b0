"""Full-text search: the stored search vector, and (below) parsing and ranking queries.

On PostgreSQL every document has a `search_vector`, weighted A (title, record ID), B (summary,
people's names and alternate names), C (places and collections) and D (full text, and the text
of its versions: inside its scans' PDFs, its transcripts and translations), built with
the English stemmer over unaccented text, so "Práth" finds "Prath" and "talks" finds "talk";
the unstemmed words of all but the full text are added at weight D for prefix queries.
It is rebuilt by `refresh_search_vectors` whenever a document, its links, or a name it shows
changes: imports, admin edits, merges. Queries never compute it.

In large archives the commonest words also have postings (`SearchWord`, `SearchPostings`):
each matching document with the rank a search for that word alone gives it, kept by a trigger
from the vectors. A search that is one such word reads them (`facet_columns.count_rows_posted`)
instead of ranking every match; any other query goes through the search index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Exists, F, FloatField, Func, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

VECTOR_CHUNK = 5000

# The vector from four texts: a (title, record ID), b (summary, people), c (places,
# collections), d (full text, then the versions' text in their order); plus the unstemmed
# words of a, b and c for prefix queries.
VECTOR_SQL = """
    setweight(to_tsvector('english', unaccent({a})), 'A')
    || setweight(to_tsvector('english', unaccent({b})), 'B')
    || setweight(to_tsvector('english', unaccent({c})), 'C')
    || setweight(to_tsvector('english', unaccent({d})), 'D')
    || setweight(to_tsvector('simple', unaccent({a} || ' ' || {b} || ' ' || {c})), 'D')
"""

_REFRESH_SQL = """
WITH texts AS (
    SELECT d.id,
        d.title || ' ' || d.identifier AS a,
        d.summary || ' ' || coalesce((
            SELECT string_agg(p.name || ' ' || coalesce((
                SELECT string_agg(alternate, ' ')
                FROM jsonb_array_elements_text(p.alternate_names) AS alternate
            ), ''), ' ' ORDER BY dp.position, dp.id)
            FROM documents_documentparticipant AS dp
            JOIN people_person AS p ON p.id = dp.person_id
            WHERE dp.document_id = d.id
        ), '') AS b,
        coalesce((
            SELECT string_agg(r.name, ' ' ORDER BY r.id)
            FROM documents_document_regions AS dr
            JOIN documents_region AS r ON r.id = dr.region_id
            WHERE dr.document_id = d.id
        ), '') || ' ' || coalesce((
            SELECT string_agg(c.title, ' ' ORDER BY c.id)
            FROM documents_document_collections AS dc
            JOIN documents_collection AS c ON c.id = dc.collection_id
            WHERE dc.document_id = d.id
        ), '') AS c,
        d.text || ' ' || coalesce((
            SELECT string_agg(v.text || ' ' || v.extracted_text, ' ' ORDER BY v.position, v.id)
            FROM versions_documentversion AS v
            WHERE v.document_id = d.id
        ), '') AS d
    FROM documents_document AS d
    WHERE d.id = ANY(%s)
)
UPDATE documents_document AS document SET search_vector = {vector}
FROM texts
WHERE document.id = texts.id
"""


REFRESH_SQL = _REFRESH_SQL.format(
    vector=VECTOR_SQL.format(a="texts.a", b="texts.b", c="texts.c", d="texts.d")
)


_VECTORS_SQL = f"""
SELECT {VECTOR_SQL.format(a="a", b="b", c="c", d="d")}
FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) WITH ORDINALITY AS t(a, b, c, d, n)
ORDER BY n
"""


def search_vectors(cursor, texts: list[tuple[str, str, str, str]]) -> list[bytes]:
    """New documents' vectors, in PostgreSQL's binary form (for a binary COPY), from their
    four texts as `refresh_search_vectors` gathers them. `cursor` is a psycopg cursor that
    binds on the server, as only those return binary results.

    The vector is a function of the texts alone and reads no table, so any session can compute
    it: the import computes the next chunk's on a second session while its own writes.
    """
    if not texts:
        return []
    columns = [list(column) for column in zip(*texts, strict=True)]
    cursor.execute(_VECTORS_SQL, columns, binary=True)
    return [vector for (vector,) in cursor.fetchall()]


def refresh_search_vectors(document_ids: Iterable[int]) -> None:
    """Rebuild the search vectors of these documents (PostgreSQL; SQLite searches the text)."""
    if connection.vendor != "postgresql":
        return
    ids = sorted(set(document_ids))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), VECTOR_CHUNK):
            cursor.execute(REFRESH_SQL, [ids[start : start + VECTOR_CHUNK]])


def refresh_search_vectors_of_people(person_ids: Iterable[int]) -> None:
    """A person's names changed: rebuild the vectors of every document they are in."""
    from .models import DocumentParticipant

    refresh_search_vectors(
        DocumentParticipant.objects.filter(person_id__in=list(person_ids)).values_list(
            "document_id", flat=True
        )
    )


# Queries ----------------------------------------------------------------------------------

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
    tsquery: str | None = None  # as PostgreSQL normalised it (see normalised_tsquery)

    @property
    def words(self) -> list[str]:
        """Every word a researcher asked for (not those they excluded), for simple scoring."""
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
                notices.append("A quotation mark was not closed; the phrase runs to the end.")
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
        notices.append(f"There is nothing to search for in “{text.strip()[:80]}”.")
    return ParsedQuery(text, clauses, notices)


# PostgreSQL ------------------------------------------------------------------------------------


def tsquery_sql(parsed: ParsedQuery) -> tuple[str, list[str]]:
    """The query as an SQL tsquery expression, with its parameters.

    Words and phrases are matched by their English stems; a prefix by the unstemmed words
    (the vector holds both), because a prefix may reach past a word's stem: "irrigat*" must
    find "irrigation", whose stem is "irrig".
    """
    params: list[str] = []

    def term(t: Term) -> str:
        config, text = (
            ("simple", f"{t.words[0]}:*") if t.prefix else ("english", " <-> ".join(t.words))
        )
        params.append(text)
        return f"to_tsquery('{config}', unaccent(%s))"

    parts = []
    for clause in parsed.clauses:
        inner = "(" + " || ".join(term(t) for t in clause.terms) + ")"
        parts.append(f"!!{inner}" if clause.negated else inner)
    return " && ".join(parts), params


class _Matches(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


def normalised_tsquery(parsed: ParsedQuery) -> str:
    """The query as PostgreSQL normalises it (unaccented, stemmed), worked out once.

    Every query of a result page (the list, its count, six facets) then compares with a
    constant: written as the expression itself, unaccent() and to_tsquery() would run again
    for every row a sequential scan reads.
    """
    if parsed.tsquery is None:
        sql, params = tsquery_sql(parsed)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT ({sql})::text", params)
            parsed.tsquery = cursor.fetchone()[0]
    return parsed.tsquery


_ONE_WORD = re.compile(r"'([^\W_]+)'")


def single_lexeme(tsquery: str) -> str | None:
    """The one word a normalised tsquery ("'convers'") searches for, without weights, prefix
    or anything else; None for any other query. Such a word may have postings kept
    (`SearchWord`)."""
    match = _ONE_WORD.fullmatch(tsquery)
    return match.group(1) if match else None


def _tsquery(parsed: ParsedQuery) -> RawSQL:
    return RawSQL("%s::tsquery", [normalised_tsquery(parsed)])


def postgres_search(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    return queryset.filter(_Matches(F("search_vector"), _tsquery(parsed)))


def postgres_ranked(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    rank = Func(
        F("search_vector"), _tsquery(parsed), function="ts_rank_cd", output_field=FloatField()
    )
    return queryset.annotate(relevance=rank).order_by("-relevance", "-date", "-id")


# Markers no document contains, swapped for <mark> after the whole snippet is escaped.
_START, _STOP = "\x02", "\x03"


# Where a snippet comes from, when not the summary: said before the passage.
SOURCE_LABELS = {
    "text": "In the full text:",
    "original": "In the original scan:",
    "transcript": "In the transcript:",
    "translation": "In the translation:",
}
SNIPPET_TEXT_LIMIT = 100_000  # characters of a long text looked at for its passage


def snippets(document_ids: list[int], parsed: ParsedQuery) -> dict[int, SafeString]:
    """The passage that matches in each document: its summary, else its full text, else the
    text of its first version that matches (a scan's, a transcript's, a translation's), which
    the snippet names. HTML-safe."""
    if connection.vendor != "postgresql" or not document_ids:
        return _plain_snippets(document_ids, parsed)
    marks = f"StartSel={_START}, StopSel={_STOP}"
    # A short summary is shown whole; a long one or a full text by its best two passages.
    whole, passages = (
        f"{marks}, HighlightAll=true",
        f"{marks}, MaxWords=40, MinWords=15, MaxFragments=2",
    )
    query, params = "%s::tsquery", [normalised_tsquery(parsed)]
    limit = SNIPPET_TEXT_LIMIT
    version_text = f"left(v.text || ' ' || v.extracted_text, {limit})"
    sql = f"""
        SELECT id,
            CASE WHEN in_summary
                THEN ts_headline('english', summary, q,
                    CASE WHEN length(summary) < 400 THEN %s ELSE %s END)
                WHEN in_text OR version_kind IS NULL
                THEN ts_headline('english', left(text, {limit}), q, %s)
                ELSE ts_headline('english', version_body, q, %s)
            END,
            CASE WHEN in_summary THEN ''
                WHEN in_text OR version_kind IS NULL THEN 'text'
                ELSE version_kind END
        FROM (
            SELECT d.id, d.summary, d.text, search.q,
                to_tsvector('english', unaccent(d.summary)) @@ search.q AS in_summary,
                to_tsvector('english', unaccent(left(d.text, {limit}))) @@ search.q AS in_text,
                version.kind AS version_kind, version.body AS version_body
            FROM documents_document AS d
            CROSS JOIN (SELECT {query} AS q) AS search
            LEFT JOIN LATERAL (
                SELECT v.kind, {version_text} AS body
                FROM versions_documentversion AS v
                WHERE v.document_id = d.id
                    AND to_tsvector('english', unaccent({version_text})) @@ search.q
                ORDER BY v.position, v.id
                LIMIT 1
            ) AS version ON true
            WHERE d.id = ANY(%s)
        ) AS found
    """
    with connection.cursor() as cursor:
        # The FROM clause's parameters come after the select list's in the SQL text.
        cursor.execute(sql, [whole, passages, passages, passages, *params, document_ids])
        rows = cursor.fetchall()
    return {
        document_id: _marked(headline, source)
        for document_id, headline, source in rows
        if headline and _START in headline
    }


def _marked(headline: str, source: str = "") -> SafeString:
    """A passage with our markers made <mark>; `source` names where it is from ("" for the
    summary, "text" for the full text, a version's kind for a version's text)."""
    # Safe by construction: the document's text is escaped whole, then only our markers become
    # tags, so nothing a document contains can become markup.
    safe = escape(headline).replace(_START, "<mark>").replace(_STOP, "</mark>")
    if source:
        label = SOURCE_LABELS.get(source, "In the full text:")
        safe = f'<span class="snippet-source">{label}</span> {safe}'
    return mark_safe(safe)  # noqa: S308


# SQLite, and anything else -------------------------------------------------------------------


def _term_matches(term: Term) -> Q:
    """Where the fallback looks: what the search vector holds on PostgreSQL.

    One word is a case-blind substring; a phrase is its words in order with anything but
    letters between them ("Sino-Soviet delegation" matches "sino soviet delegation").
    """
    from versions.models import DocumentVersion

    from .models import Document, DocumentParticipant

    if len(term.words) == 1:
        lookup, value = "icontains", term.words[0]
    else:
        lookup, value = "iregex", r"\W+".join(re.escape(word) for word in term.words)

    def where(field_name: str) -> Q:
        return Q(**{f"{field_name}__{lookup}": value})

    names = DocumentParticipant.objects.filter(document_id=OuterRef("pk")).filter(
        where("person__name") | where("person__alternate_names")
    )
    places = Document.regions.through.objects.filter(
        where("region__name"), document_id=OuterRef("pk")
    )
    collections = Document.collections.through.objects.filter(
        where("collection__title"), document_id=OuterRef("pk")
    )
    versions = DocumentVersion.objects.filter(document_id=OuterRef("pk")).filter(
        where("text") | where("extracted_text")
    )
    return (
        where("title")
        | where("summary")
        | where("text")
        | Q(Exists(versions))
        | Q(identifier__iexact=" ".join(term.words))
        | Q(Exists(names))
        | Q(Exists(places))
        | Q(Exists(collections))
    )


def plain_search(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """The fallback where there is no search vector: substring matching, case-blind.

    Words, phrases (as contiguous text), -exclusions, OR and prefixes all work; stemming and
    accent-blindness do not (documented in the README).
    """
    for clause in parsed.clauses:
        condition = Q()
        for term in clause.terms:
            condition |= _term_matches(term)
        queryset = queryset.exclude(condition) if clause.negated else queryset.filter(condition)
    return queryset


def _plain_snippets(document_ids: list[int], parsed: ParsedQuery) -> dict[int, SafeString]:
    """The fallback's snippets: the summary with the words marked, else a passage of the
    first version whose text has one of them (named: "In the original scan: …")."""
    from versions.models import DocumentVersion

    from .models import Document

    words = [w for w in parsed.words if len(w) > 1]
    if not words or not document_ids:
        return {}
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)

    def marked(text: str) -> str:
        return pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", text)

    found = {}
    for document_id, summary in Document.objects.filter(id__in=document_ids).values_list(
        "id", "summary"
    ):
        if pattern.search(summary):
            found[document_id] = _marked(marked(summary))
    versions = (
        DocumentVersion.objects.filter(document_id__in=set(document_ids) - set(found))
        .order_by("document_id", "position", "id")
        .values_list("document_id", "kind", "text", "extracted_text")
    )
    for document_id, kind, text, extracted in versions:
        if document_id in found:
            continue
        body = f"{text} {extracted}"[:SNIPPET_TEXT_LIMIT]
        hit = pattern.search(body)
        if hit:
            start, stop = max(0, hit.start() - 120), min(len(body), hit.end() + 120)
            passage = " ".join(body[start:stop].split())
            passage = f"{'… ' if start else ''}{passage}{' …' if stop < len(body) else ''}"
            found[document_id] = _marked(marked(passage), kind)
    return found


# Either ----------------------------------------------------------------------------------------


def search(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    if not parsed.clauses:
        return queryset
    if connection.vendor == "postgresql":
        return postgres_search(queryset, parsed)
    return plain_search(queryset, parsed)


def name_candidates(word: str) -> QuerySet:
    """Everyone whose folded name or alternate names hold `word` (folded), public or not; on
    PostgreSQL found by trigram indexes (people migration 0003)."""
    from people.models import Person

    return Person.objects.filter(Q(name_key__contains=word) | Q(alternate_names__icontains=word))


def matching_person(text: str):
    """The public person whose name or alternate name is exactly the query, if any (someone
    named only in unpublished documents is unpublished too)."""
    from people.models import Person
    from people.names import match_key

    key = match_key(text)
    if not key:
        return None
    longest = max(key.split(), key=len)
    # Everyone whose names hold the longest word, then the exact ones (the keys are Python's),
    # and only then which of those are public: a common surname has thousands of namesakes,
    # and the one asked for may come after any number of them.
    candidates = name_candidates(longest).values_list("id", "name", "alternate_names")
    exact = [
        person_id
        for person_id, name, alternates in candidates
        if key in {match_key(each) for each in (name, *alternates)}
    ]
    if not exact:
        return None
    return Person.objects.filter(pk__in=exact).first_public()
