"""Finding people by name: the person a query names, and everyone a word could name."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Person
from .names import match_key


def name_candidates(word: str) -> QuerySet:
    """Everyone whose folded name or alternate names hold `word` (folded), public or not; on
    PostgreSQL found by trigram indexes (people migration 0003)."""
    return Person.objects.filter(Q(name_key__contains=word) | Q(alternate_names__icontains=word))


def matching_person(text: str) -> Person | None:
    """The public person whose name or alternate name is exactly the query, if any (someone
    named only in unpublished documents is unpublished too)."""
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
