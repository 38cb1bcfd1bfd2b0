"""Totals and every facet count of the index equal what SQL counts on the same data: on
generated archives (hypothesis), for many combinations of filters and keywords, on both
databases. An approximate count is a defect."""

import datetime
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from documents.models import Collection, Document, DocumentParticipant, Region, Status
from people.models import Person
from search import engine
from search import index as search_index
from search.queries import Criteria, parse_query
from tests.search.counting import index_counts, sql_counts

pytestmark = pytest.mark.django_db

WORDS = ["treaty", "grain", "visit", "plenum", "talks"]
LANGUAGES = ["", "ru", "zh", "de"]
ARCHIVES = ["", "GARF", "AVPRF"]

documents_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "year": st.integers(1945, 1970),
            "span": st.integers(0, 900),
            "words": st.lists(st.sampled_from(WORDS), max_size=3),
            "regions": st.lists(st.integers(0, 5), max_size=3, unique=True),
            "people": st.lists(st.integers(0, 7), max_size=4, unique=True),
            "collections": st.lists(st.integers(0, 2), max_size=2, unique=True),
            "language": st.sampled_from(LANGUAGES),
            "archive": st.sampled_from(ARCHIVES),
            "draft": st.booleans(),
        }
    ),
    min_size=1,
    max_size=25,
)


def build(specs) -> dict:
    # East Asia > China > Beijing, East Asia > Korea, Europe > Hungary, and Cuba alone.
    east = Region.objects.create(name="East Asia", slug="east-asia")
    europe = Region.objects.create(name="Europe", slug="europe")
    regions = [
        Region.objects.create(name="China", slug="china", parent=east),
        Region.objects.create(name="Korea", slug="korea", parent=east),
        Region.objects.create(name="Hungary", slug="hungary", parent=europe),
        Region.objects.create(name="Cuba", slug="cuba"),
        east,
        europe,
    ]
    beijing = Region.objects.create(name="Beijing", slug="beijing", parent=regions[0])
    regions[4] = beijing
    people = [Person.objects.create(name=f"Person {n}", slug=f"person-{n}") for n in range(8)]
    collections = [Collection.objects.create(title=f"C {n}", slug=f"c-{n}") for n in range(3)]
    for n, spec in enumerate(specs):
        start = datetime.date(spec["year"], 1 + n % 12, 1 + n % 28)
        document = Document(
            identifier=f"g-{n}",
            title=f"Record {n} " + " ".join(spec["words"][:1]),
            summary=" ".join(spec["words"]),
            date=start,
            date_end=start + datetime.timedelta(days=spec["span"]) if spec["span"] else None,
            date_end_precision="day" if spec["span"] else "",
            language=spec["language"],
            original_archive=spec["archive"],
            status=Status.DRAFT if spec["draft"] else Status.PUBLISHED,
        )
        document.save()
        document.regions.set([regions[i] for i in spec["regions"]])
        document.collections.set([collections[i] for i in spec["collections"]])
        for position, i in enumerate(spec["people"]):
            DocumentParticipant.objects.create(
                document=document, person=people[i], position=position
            )
    return {"regions": regions + [east, europe], "people": people, "collections": collections}


def combinations(made) -> list[Criteria]:
    east, hungary = made["regions"][-2], made["regions"][2]
    first, second = made["people"][0], made["people"][1]
    return [
        Criteria(),
        Criteria(regions=((east.pk,),)),
        Criteria(regions=((east.pk, hungary.pk),), people=(first.pk,)),
        Criteria(people=(first.pk, second.pk)),
        Criteria(collections=((made["collections"][0].pk,),), language="ru"),
        Criteria(date_from=datetime.date(1950, 1, 1), date_to=datetime.date(1959, 12, 31)),
        Criteria(date_from=datetime.date(1961, 6, 1), archive="GARF"),
        Criteria(keywords=parse_query("treaty")),
        Criteria(keywords=parse_query("treaty grain"), regions=((east.pk,),)),
        Criteria(keywords=parse_query('"grain visit"')),
        Criteria(keywords=parse_query("visit -talks"), date_to=datetime.date(1960, 1, 1)),
        Criteria(keywords=parse_query("plen* OR treaty"), people=(second.pk,)),
        Criteria(regions=((east.pk,), (hungary.pk,))),  # a region page narrowed to another
    ]


def sql_ids(criteria: Criteria) -> set[int]:
    """The documents `criteria` select, by SQL (keywords aside: the index's own matches)."""
    documents = Document.objects.published()
    for group in criteria.regions:
        under = Region.objects.descendant_ids(
            Region.objects.filter(pk__in=group).values_list("slug", flat=True)
        )
        documents = documents.filter(regions__in=under)
    for person_id in criteria.people:
        documents = documents.filter(participations__person_id=person_id)
    for group in criteria.collections:
        documents = documents.filter(collections__in=group)
    if criteria.language:
        documents = documents.filter(language=criteria.language)
    if criteria.archive:
        documents = documents.filter(original_archive=criteria.archive)
    if criteria.date_from:
        documents = documents.filter(date_last__gte=criteria.date_from)
    if criteria.date_to:
        documents = documents.filter(date__lte=criteria.date_to)
    return set(documents.values_list("id", flat=True))


def assert_exact(criteria: Criteria) -> None:
    counts = engine.counts(criteria)
    ids = engine.window(criteria, sort="-date", offset=0, limit=10_000).ids
    assert len(ids) == counts.total
    if not criteria.has_keywords:
        assert set(ids) == sql_ids(criteria), criteria
    else:
        assert set(ids) <= sql_ids(Criteria(**{**vars(criteria), "keywords": None}))
    assert index_counts(counts) == sql_counts(ids), criteria


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=documents_strategy)
def test_every_facet_of_every_combination_equals_sql(db, tmp_path_factory, specs):
    from django.conf import settings as django_settings
    from django.db import transaction

    django_settings.ARCHIVE_INDEX_DIR = tmp_path_factory.mktemp("generated")
    search_index.forget()
    try:
        with transaction.atomic():
            made = build(specs)
            for criteria in combinations(made):
                assert_exact(criteria)
            transaction.set_rollback(True)
    finally:
        search_index.forget()


def test_people_are_cut_after_the_ties_of_the_last_place(db):
    """Fifteen people shown: everyone tied with the fifteenth comes back, so the page can
    order the ties by name, and nobody is cut by the engine's own order."""
    people = [Person.objects.create(name=f"P {n:02d}", slug=f"p-{n}") for n in range(40)]
    for n in range(30):
        document = Document.objects.create(
            identifier=f"t-{n}", title="T", date=datetime.date(1960, 1, 1)
        )
        # Person 0 in every document; the others in one each, all tied.
        for position, person in enumerate([people[0], people[1 + n]]):
            DocumentParticipant.objects.create(document=document, person=person, position=position)
    counts = engine.counts(Criteria(), ("person",), people_limit=16)
    assert counts.people[0] == (people[0].pk, 30)
    tied = {pk for pk, n in counts.people[1:]}
    assert tied == {person.pk for person in people[1:31]}  # every one of the 30 tied at 1
    assert all(n == 1 for _, n in counts.people[1:])
    assert dict(itertools.islice(counts.people, 1)) == {people[0].pk: 30}
