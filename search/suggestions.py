"""Did you mean: the closest spelling the index knows ("Did you mean Mikoyan?")."""

from __future__ import annotations

import difflib

from . import index as search_index
from .queries import ParsedQuery, Term
from .schema import PREFIX_FIELDS, words_of


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
