"""Pages stay light: a result page with its facets is well under 100 KB, and no page needs a
JavaScript framework (the scripts are the search box's suggestions on every page and the
document page's small "Copy citation" button)."""

import datetime
import gzip
import re

import pytest

from tests.factories import CollectionFactory, DocumentFactory, PersonFactory, RegionFactory

pytestmark = pytest.mark.django_db

BUDGET = 100 * 1024
WORDS = [
    "memorandum",
    "conversation",
    "ambassador",
    "delegation",
    "treaty",
    "plenum",
    "irrigation",
    "border",
    "question",
    "economic",
    "assistance",
    "nuclear",
    "weapons",
    "party",
    "congress",
    "grain",
    "deliveries",
    "decolonization",
]


def words(count: int, offset: int) -> str:
    return " ".join(WORDS[(offset + n) % len(WORDS)] for n in range(count))


@pytest.fixture
def crowded():
    """Every facet full and long: 10 world regions of 7 places, 40 people, 30 collections, 8
    languages and archives; 60 documents over 40 years (a bar a year) with long titles,
    80-word summaries, 4 people, 3 places and 2 collections each."""
    worlds = [RegionFactory(name=f"World region number {w}", slug=f"world-{w}") for w in range(10)]
    places = [
        RegionFactory(name=f"A place with a long name {w}-{p}", slug=f"place-{w}-{p}", parent=world)
        for w, world in enumerate(worlds)
        for p in range(7)
    ]
    people = [
        PersonFactory(
            name=f"Aleksandr Nikolayevich Ponomarev-Kozlov {n}",
            slug=f"aleksandr-nikolayevich-ponomarev-kozlov-{n}",
            birth_year=1900,
            death_year=1980,
        )
        for n in range(40)
    ]
    collections = [
        CollectionFactory(title=f"Conversations on the border question, series {n}")
        for n in range(30)
    ]
    archives = [f"Archive of Foreign Policy of the Russian Federation, fond {n}" for n in range(8)]
    for n in range(60):
        DocumentFactory(
            identifier=f"avprf.weight-{n:04d}",
            title=f"Record of a conversation: {words(22, n)}",
            summary=words(80, n),
            date=datetime.date(1950 + n % 40, 1 + n % 12, 1 + n % 28),
            language=["ru", "en", "zh", "de", "pl", "hu", "cs", "ko"][n % 8],
            original_archive=archives[n % 8],
            regions=[places[(n * 3 + k) % len(places)] for k in range(3)],
            collections=[collections[(n + k) % len(collections)] for k in range(2)],
            people=[people[(n * 4 + k) % len(people)] for k in range(4)],
        )


LISTS = [
    "/documents/",
    "/documents/?q=treaty&date_from=1950&date_to=1989&language=ru&sort=relevance",
    "/documents/?region=world-1&region=world-2&person=aleksandr-nikolayevich-ponomarev-kozlov-3",
    "/regions/world-3/",
    "/people/aleksandr-nikolayevich-ponomarev-kozlov-5/",
]


@pytest.mark.parametrize("path", LISTS)
def test_a_result_page_with_facets_is_under_100_kb_uncompressed(client, crowded, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.context["facets"]["people"], "the facets were not filled"
    size = len(response.content)
    assert size < BUDGET, f"{path}: {size / 1024:.0f} KB"


def test_even_the_largest_page_is_under_100_kb_compressed(client, crowded):
    response = client.get("/documents/?per_page=100")
    assert len(response.context["documents"]) == 60
    compressed = len(gzip.compress(response.content))
    assert compressed < BUDGET / 4, f"{compressed / 1024:.0f} KB"


@pytest.mark.parametrize("path", [*LISTS, "/documents/avprf.weight-0001/"])
def test_no_script_but_the_archive_own(client, crowded, path):
    page = client.get(path).content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    for tag in scripts:
        assert 'type="application/ld+json"' in tag or re.search(r'src="/static/js/\w+\.js"', tag)
    sources = re.findall(r'src="/static/js/(\w+)\.js"', " ".join(scripts))
    assert set(sources) <= {"suggest", "cite"} and "suggest" in sources
