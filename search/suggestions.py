"""Helping a researcher find what they meant: the person a query names, the closest
spelling the index knows ("Did you mean Mikoyan?"), and people and places as the search box
is typed into."""

from __future__ import annotations

import difflib

from django.db.models import Q, QuerySet

from . import index as search_index
from .queries import ParsedQuery, Term
from .schema import PREFIX_FIELDS, words_of


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


def _known(searcher, word: str) -> bool:
    stems = words_of(word, stem=True)
    return bool(stems) and any(
        searcher.doc_freq(name, stems[0])
        for name in ("title", "summary", "names", "places", "body")
    )


def _closest(searcher, word: str) -> str | None:
    """The word of the titles, summaries, names and places nearest to `word` in spelling,
    the more frequent of equally near ones."""
    folded = (words_of(word, stem=False) or [word])[0]
    if len(folded) < 4:
        return None
    frequency: dict[str, int] = {}
    for name in PREFIX_FIELDS:
        for term, count in searcher.terms_with_prefix(f"{name}_words", folded[:2], limit=20_000):
            frequency[term] = frequency.get(term, 0) + count
    close = difflib.get_close_matches(folded, list(frequency), n=5, cutoff=0.75)
    close = [term for term in close if term != folded]
    if not close:
        return None
    return max(
        close,
        key=lambda term: (difflib.SequenceMatcher(None, folded, term).ratio(), frequency[term]),
    )


def did_you_mean(parsed: ParsedQuery) -> str | None:
    """The query with each word the index does not know replaced by the closest one it
    does; None when every word is known or none has a near spelling."""
    try:
        searcher = search_index.searcher()
    except search_index.IndexUnavailable:
        return None
    changed = False
    parts = []
    for clause in parsed.clauses:
        alternatives = []
        for term in clause.terms:
            words = list(term.words)
            if not term.prefix:
                for position, word in enumerate(words):
                    if not word.isdigit() and not _known(searcher, word):
                        better = _closest(searcher, word)
                        if better:
                            words[position], changed = better, True
            alternatives.append(_written(Term(tuple(words), term.prefix)))
        text = " OR ".join(alternatives)
        parts.append(f"-{text}" if clause.negated else text)
    return " ".join(parts) if changed else None


def _written(term: Term) -> str:
    if len(term.words) > 1:
        return '"' + " ".join(term.words) + '"'
    return term.words[0] + ("*" if term.prefix else "")


def typeahead(text: str, *, limit: int = 8) -> dict[str, list[dict]]:
    """People and places whose names begin with (or hold a word beginning with) what has
    been typed: public people only."""
    from documents.models import Region
    from people.models import Person
    from people.names import name_key

    key = name_key(text.replace("\x00", "").strip()[:100])
    if len(key) < 2:
        return {"people": [], "places": []}
    people = (
        Person.objects.filter(Q(name_key__startswith=key) | Q(name_key__contains=f" {key}"))
        .public()
        .order_by("name", "id")[:limit]
    )
    places = Region.objects.filter(
        Q(name_key__startswith=key) | Q(name_key__contains=f" {key}")
    ).order_by("name")[:limit]
    return {
        "people": [
            {"name": person.name, "url": person.get_absolute_url(), "slug": person.slug}
            for person in people
        ],
        "places": [
            {"name": region.name, "url": region.get_absolute_url(), "slug": region.slug}
            for region in places
        ],
    }
