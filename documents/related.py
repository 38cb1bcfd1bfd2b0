"""Documents related to a document: the same people, the same places or collections, close in date.

Four kinds of candidate, each cut to `CANDIDATES` documents, asked of the search index:

- documents sharing one of its people, the nearest before and after;
- documents sharing a place or a collection, the nearest before and the nearest after.

The candidates are read in one query with three prefetches for their people, places and
collections, scored in Python, and the best few returned with the reasons in words ("Also
with Anastas Mikoyan, 2 days later"). So a document page costs a fixed number of queries
however large the archive, and only published documents are ever candidates: the index holds
no drafts, and the rows are read through `published()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext

from .dates import DateSpan, Precision
from .models import Document, DocumentParticipant

SHOWN = 5
CANDIDATES = 10  # from each of the four searches

# How much each shared thing is worth; closeness in time adds up to DATE_WEIGHT more.
PERSON_WEIGHT = 3.0
REGION_WEIGHT = 1.5
COLLECTION_WEIGHT = 0.5
DATE_WEIGHT = 3.0
DATE_HALF_LIFE_DAYS = 30  # a month apart is worth half as much as the same day
# What scoring a candidate and showing it read (not its texts).
_CANDIDATE_FIELDS = (
    "identifier",
    "title",
    "date",
    "date_precision",
    "date_end",
    "date_end_precision",
    "status",
)


@dataclass
class Related:
    document: Document
    score: float
    people: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    when: str = ""

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.people:
            reasons.append(gettext("also with %(names)s") % {"names": _names(self.people)})
        if self.places:
            reasons.append(gettext("also about %(names)s") % {"names": _names(self.places)})
        if self.collections and not (self.people or self.places):
            reasons.append(gettext("also in %(names)s") % {"names": _names(self.collections)})
        if self.when:
            reasons.append(self.when)
        return reasons

    @property
    def reason(self) -> str:
        text = ", ".join(self.reasons)
        return text[:1].upper() + text[1:]


def _names(names: list[str], shown: int = 2) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) <= shown:
        return gettext("%(first)s and %(second)s") % {"first": names[0], "second": names[1]}
    rest = len(names) - shown
    return ngettext("%(names)s and %(count)s more", "%(names)s and %(count)s more", rest) % {
        "names": ", ".join(names[:shown]),
        "count": rest,
    }


def related_documents(document: Document, *, limit: int = SHOWN) -> list[Related]:
    """The documents most related to `document` (which comes with its relations prefetched)."""
    people = {p.person_id: p.person.name for p in document.participations.all()}
    places = {region.id: region.name for region in document.regions.all()}
    collections = {c.id: c.title for c in document.collections.all()}
    if not (people or places or collections):
        return []
    ids = _nearest_in_index(document, people, places, collections)
    candidates = _candidates(ids)
    if not candidates:
        return []
    # How many candidates share each person, place and collection: one shared by nearly all
    # of them (Kim Il Sung in his own collection) says less than one shared by few.
    frequency: dict[tuple[str, int], int] = {}
    for candidate in candidates:
        for key in _shared_keys(candidate, people, places, collections):
            frequency[key] = frequency.get(key, 0) + 1
    span = document.date_span
    names = {"person": people, "region": places, "collection": collections}
    weights = {"person": PERSON_WEIGHT, "region": REGION_WEIGHT, "collection": COLLECTION_WEIGHT}
    scored = []
    for candidate in candidates:
        shared = sorted(
            _shared_keys(candidate, people, places, collections),
            key=lambda key: (frequency[key], key),
        )
        rarity = {key: 1.5 - frequency[key] / len(candidates) for key in shared}
        related = Related(document=candidate.document, score=0.0)
        for kind, target in (
            ("person", related.people),
            ("region", related.places),
            ("collection", related.collections),
        ):
            keys = [key for key in shared if key[0] == kind]
            telling = [key for key in keys if frequency[key] < len(candidates)] or keys
            target.extend(names[kind][key[1]] for key in telling)
        other = candidate.document.date_span
        days = days_apart(span, other)
        related.when = time_apart(span, other)
        related.score = sum(weights[key[0]] * rarity[key] for key in shared) + DATE_WEIGHT / (
            1 + days / DATE_HALF_LIFE_DAYS
        )
        scored.append((related, days))
    scored.sort(key=lambda item: (-item[0].score, item[1], item[0].document.identifier))
    return [related for related, _days in scored[:limit]]


@dataclass
class _Candidate:
    document: Document
    people: set[int]
    places: set[int]
    collections: set[int]


def _candidates(ids: list[int]) -> list[_Candidate]:
    """The published documents of `ids` with the ids of their people, places and
    collections: four queries, and no model objects for their relations (a page reads
    about 40 candidates with some 400 relations, and shows five)."""
    rows = Document.objects.published().filter(id__in=ids).only(*_CANDIDATE_FIELDS)
    documents = {d.id: d for d in rows}
    if not documents:
        return []
    chosen = list(documents)
    relations: dict[int, tuple[set[int], set[int], set[int]]] = {
        pk: (set(), set(), set()) for pk in chosen
    }
    links = (
        (DocumentParticipant.objects, "person_id"),
        (Document.regions.through.objects, "region_id"),
        (Document.collections.through.objects, "collection_id"),
    )
    for position, (manager, column) in enumerate(links):
        for pk, value in manager.filter(document_id__in=chosen).values_list("document_id", column):
            relations[pk][position].add(value)
    return [_Candidate(documents[pk], *relations[pk]) for pk in chosen]


def _shared_keys(candidate: _Candidate, people, places, collections) -> list[tuple[str, int]]:
    keys = [("person", person_id) for person_id in candidate.people if person_id in people]
    keys += [("region", region_id) for region_id in candidate.places if region_id in places]
    keys += [("collection", c) for c in candidate.collections if c in collections]
    return keys


def _nearest_in_index(document: Document, people, places, collections) -> list[int]:
    """The published documents nearest in time on each side that share one of its people,
    and those that share a place or collection: four short searches of the index, however
    many documents share them."""
    from search.engine import nearest

    searches = []
    if people:
        searches.append({"people": list(people)})
    if places or collections:
        searches.append({"regions": list(places), "collections": list(collections)})
    ids = nearest(searches, around=document.date, excluded=document.id, limit=CANDIDATES)
    return sorted(set(ids))


def days_apart(a: DateSpan, b: DateSpan) -> int:
    """Days between two dates, 0 when their periods overlap (a visit and a telegram during it)."""
    if b.first > a.last:
        return (b.first - a.last).days
    if a.first > b.last:
        return (a.first - b.last).days
    return 0


# "2 days later", "3 weeks earlier": each unit and direction its own message, for plural forms.
_APART = {
    ("year", True): lambda n: ngettext("%(count)s year later", "%(count)s years later", n),
    ("year", False): lambda n: ngettext("%(count)s year earlier", "%(count)s years earlier", n),
    ("month", True): lambda n: ngettext("%(count)s month later", "%(count)s months later", n),
    ("month", False): lambda n: ngettext("%(count)s month earlier", "%(count)s months earlier", n),
    ("week", True): lambda n: ngettext("%(count)s week later", "%(count)s weeks later", n),
    ("week", False): lambda n: ngettext("%(count)s week earlier", "%(count)s weeks earlier", n),
    ("day", True): lambda n: ngettext("%(count)s day later", "%(count)s days later", n),
    ("day", False): lambda n: ngettext("%(count)s day earlier", "%(count)s days earlier", n),
}


def _apart(number: int, unit: str, later: bool) -> str:
    return _APART[unit, later](number) % {"count": number}


def time_apart(a: DateSpan, b: DateSpan) -> str:
    """When `b` is, seen from `a`, only as precisely as both dates are known.

    "the same day", "2 days later", "3 weeks earlier", "the same month", "4 years later".
    """
    coarse = _coarsest(a, b)
    overlap = days_apart(a, b) == 0
    if overlap:
        if coarse == Precision.YEAR:
            return gettext("the same year")
        if coarse == Precision.MONTH:
            return gettext("the same month")
        single_days = a.end is None and b.end is None
        return gettext("the same day") if single_days else gettext("at the same time")
    later = b.first > a.last
    start, end = (a.last, b.first) if later else (b.last, a.first)
    months = (end.year - start.year) * 12 + end.month - start.month
    if coarse == Precision.YEAR:
        return _apart(max(end.year - start.year, 1), "year", later)
    if months >= 18:
        return _apart(round(months / 12), "year", later)
    if coarse == Precision.MONTH or (end - start).days >= 60:
        return _apart(max(months, 1), "month", later)
    days = (end - start).days
    if days >= 14:
        return _apart(days // 7, "week", later)
    return _apart(days, "day", later)


def _coarsest(a: DateSpan, b: DateSpan) -> str:
    order: list[str] = [Precision.DAY, Precision.MONTH, Precision.YEAR]
    precisions = [a.start.precision, b.start.precision]
    precisions += [span.end.precision for span in (a, b) if span.end is not None]
    return max(precisions, key=order.index)
