"""The JSON API: same filters, results and facets as the HTML list; paging; precision-keeping
dates; drafts never shown; bad parameters are a 400, never a 500; a fixed number of queries."""

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from documents.dates import Precision
from documents.models import Collection, Region, Status
from people.models import Person
from tests.factories import DocumentFactory, PersonFactory, RegionFactory

API = "/api/documents/"
HTML = "/documents/"

# The seeds file, read independently of the importer ------------------------------------------

SEEDS_FILE = Path(settings.BASE_DIR) / "seeds" / "documents.jsonl"
RECORDS = [json.loads(line) for line in SEEDS_FILE.read_text("utf-8").splitlines() if line.strip()]
LANGUAGE_CODES = {"Russian": "ru", "Polish": "pl"}


def seed_date(record) -> date:
    return datetime.strptime(record["date"], "%B %d, %Y").date()


def seed_people(record) -> set[str]:
    return {
        slugify(re.sub(r"\s*\([^)]*\)\s*$", "", participant["name"]))
        for participant in record.get("participants", [])
    }


def seed_regions(record) -> set[str]:
    """Every region the record is under: "East Asia > China" is in east-asia and china."""
    return {slugify(part.strip()) for path in record["regions"] for part in path.split(">")}


def seed_words(record) -> str:
    """What a keyword search looks in: the text, the people, the places and collections."""
    people = [p["name"] if isinstance(p, dict) else p for p in record.get("participants", [])]
    places = [path.split(">")[-1] for path in record.get("regions", [])]
    words = [record.get(key, "") for key in ("title", "summary", "text")]
    return " ".join(words + people + places + record.get("collections", [])).casefold()


def expected(predicate) -> set[str]:
    return {record["identifier"] for record in RECORDS if predicate(record)}


ALL = expected(lambda r: True)


# Helpers ----------------------------------------------------------------------------------------


def api_get(client, params=None):
    response = client.get(API, params or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def api_identifiers(client, params) -> list[str]:
    data = api_get(client, {**params, "per_page": 100})
    identifiers = [result["identifier"] for result in data["results"]]
    assert data["count"] == len(identifiers)
    assert data["next"] is None
    return identifiers


def html_identifiers(client, params) -> list[str]:
    response = client.get(HTML, {**params, "per_page": 100})
    assert response.status_code == 200
    assert not response.context["notices"], response.context["notices"]
    return [document.identifier for document in response.context["documents"]]


# Shape and paging -------------------------------------------------------------------------------


def test_list_shape_on_the_seeds(client, seeded):
    data = api_get(client)

    assert set(data) == {"count", "next", "previous", "results", "facets"}
    assert data["count"] == 10
    assert data["next"] is None
    assert data["previous"] is None
    assert {result["identifier"] for result in data["results"]} == ALL
    assert set(data["facets"]) == {
        "regions",
        "people",
        "collections",
        "languages",
        "archives",
        "years",
    }
    # Newest first by default.
    dates = [result["date"] for result in data["results"]]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == "1984-06-04"


def test_result_fields(client, seeded):
    data = api_get(client, {"q": "Mikoyan", "sort": "date"})

    first = data["results"][0]
    assert first["identifier"] == "120194"
    assert first["url"] == "http://testserver/documents/120194/"
    assert first["title"] == "Telegram from A. Mikoyan to the CPSU Central Committee"
    assert first["date"] == "1956-09-21"
    assert first["date_end"] is None
    assert first["date_display"] == "September 21, 1956"
    assert first["language"] == "ru"
    assert first["original_archive"] == "State Archive of the Russian Federation (GARF)"
    assert first["source"].startswith("GARF, f. 5446")
    assert first["collections"] == [
        {"title": "Conversations with Kim Il Sung", "slug": "conversations-with-kim-il-sung"}
    ]
    assert {region["slug"] for region in first["regions"]} == {
        "soviet-union",
        "north-korea",
        "china",
    }
    assert [(p["slug"], p["role"]) for p in first["participants"]] == [
        ("anastas-mikoyan", "author"),
        ("kim-il-sung", "participant"),
        ("peng-dehuai", "participant"),
    ]
    assert first["participants"][0]["birth_year"] == 1895
    assert first["participants"][0]["death_year"] == 1978
    datetime.fromisoformat(first["created"])
    datetime.fromisoformat(first["modified"])


def test_paging_follows_next_to_a_last_page_with_next_null(client, seeded):
    first = api_get(client, {"per_page": 3})

    assert first["count"] == 10
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/documents/?")
    assert "per_page=3" in first["next"] and "page=2" in first["next"]

    pages = [first]
    while pages[-1]["next"]:
        response = client.get(pages[-1]["next"])
        assert response.status_code == 200
        pages.append(response.json())
        assert len(pages) <= 4

    assert [len(page["results"]) for page in pages] == [3, 3, 3, 1]
    assert all(page["count"] == 10 for page in pages)
    last = pages[-1]
    assert last["next"] is None
    assert "page=3" in last["previous"]
    assert "page=1" in pages[1]["previous"]
    paged = [result["identifier"] for page in pages for result in page["results"]]
    assert len(paged) == len(set(paged)) == 10
    # The pages together are the unpaged list, in the same order.
    assert paged == api_identifiers(client, {})


def test_paging_keeps_the_filters_in_next(client, seeded):
    first = api_get(client, {"per_page": 2, "language": "ru", "sort": "date"})

    assert first["count"] == 6
    second = client.get(first["next"]).json()

    assert second["count"] == 6
    assert "language=ru" in first["next"] and "sort=date" in first["next"]
    identifiers = [r["identifier"] for r in first["results"] + second["results"]]
    assert identifiers == ["120194", "120189", "seed-1960-07-24", "seed-1960-08-08"]


# Every filter gives what the HTML list gives, and what the seeds say ----------------------------

FILTER_CASES = [
    ({}, lambda r: True),
    ({"q": "Mikoyan"}, lambda r: "mikoyan" in seed_words(r)),
    ({"q": "puzanov china"}, lambda r: "puzanov" in seed_words(r) and "china" in seed_words(r)),
    ({"q": "Mao Zedong"}, lambda r: "mao" in seed_words(r) and "zedong" in seed_words(r)),
    ({"q": "TRAITOR"}, lambda r: "traitor" in seed_words(r)),
    ({"q": "nothing-like-this"}, lambda r: False),
    ({"date_from": "1960-08"}, lambda r: seed_date(r) >= date(1960, 8, 1)),
    ({"date_to": "1960"}, lambda r: seed_date(r) <= date(1960, 12, 31)),
    (
        {"date_from": "June 1960", "date_to": "1960-07-31"},
        lambda r: date(1960, 6, 1) <= seed_date(r) <= date(1960, 7, 31),
    ),
    ({"date_from": "1956", "date_to": "1956"}, lambda r: seed_date(r).year == 1956),
    ({"date_from": "September 22, 1956"}, lambda r: seed_date(r) >= date(1956, 9, 22)),
    ({"region": "east-asia"}, lambda r: "east-asia" in seed_regions(r)),
    ({"region": "eastern-europe"}, lambda r: "eastern-europe" in seed_regions(r)),
    ({"region": "south-korea"}, lambda r: "south-korea" in seed_regions(r)),
    ({"region": "china"}, lambda r: "china" in seed_regions(r)),
    ({"region": ["hungary", "poland"]}, lambda r: seed_regions(r) & {"hungary", "poland"}),
    ({"person": "a-m-puzanov"}, lambda r: "a-m-puzanov" in seed_people(r)),
    ({"person": "karoly-prath"}, lambda r: "karoly-prath" in seed_people(r)),
    (
        {"person": ["kim-il-sung", "anastas-mikoyan"]},
        lambda r: {"kim-il-sung", "anastas-mikoyan"} <= seed_people(r),
    ),
    (
        {"person": ["kim-il-sung", "mao-zedong"]},
        lambda r: {"kim-il-sung", "mao-zedong"} <= seed_people(r),
    ),
    ({"person": ["mao-zedong", "anastas-mikoyan"]}, lambda r: False),
    (
        {"collection": "conversations-with-kim-il-sung"},
        lambda r: "Conversations with Kim Il Sung" in r["collections"],
    ),
    ({"language": "ru"}, lambda r: LANGUAGE_CODES.get(r.get("language")) == "ru"),
    ({"language": "pl"}, lambda r: LANGUAGE_CODES.get(r.get("language")) == "pl"),
    ({"language": "de"}, lambda r: False),
    (
        {"archive": "State Archive of the Russian Federation (GARF)"},
        lambda r: r.get("original_archive") == "State Archive of the Russian Federation (GARF)",
    ),
    (
        {"archive": "Archive of Foreign Policy of the Russian Federation (AVPRF)"},
        lambda r: (
            r.get("original_archive")
            == "Archive of Foreign Policy of the Russian Federation (AVPRF)"
        ),
    ),
    (
        {"language": "ru", "date_from": "1960", "region": "china", "person": "a-m-puzanov"},
        lambda r: (
            LANGUAGE_CODES.get(r.get("language")) == "ru"
            and seed_date(r).year >= 1960
            and "china" in seed_regions(r)
            and "a-m-puzanov" in seed_people(r)
        ),
    ),
]


@pytest.mark.parametrize(
    ("params", "predicate"),
    FILTER_CASES,
    ids=[json.dumps(params, ensure_ascii=True) for params, _ in FILTER_CASES],
)
def test_filters_match_the_html_list_and_the_seeds(client, seeded, params, predicate):
    want = expected(predicate)

    api = api_identifiers(client, params)
    html = html_identifiers(client, params)

    assert set(api) == want
    assert api == html  # the same documents in the same order


def test_sanity_of_the_expected_sets():
    # The comparisons above are not vacuous: the filters really narrow the seeds.
    assert len(ALL) == 10
    assert expected(lambda r: "south-korea" in seed_regions(r)) == {
        "seed-1960-08-16",
        "seed-1960-07-24",
    }
    assert expected(lambda r: {"kim-il-sung", "anastas-mikoyan"} <= seed_people(r)) == {
        "120194",
        "120189",
    }
    assert len(expected(lambda r: LANGUAGE_CODES.get(r.get("language")) == "ru")) == 6
    assert expected(lambda r: "east-asia" in seed_regions(r)) == ALL


def test_region_filter_includes_sub_regions_only(client, seeded):
    # No seed is tagged East Asia itself: all ten come through North Korea, China, South Korea.
    asia = Region.objects.get(slug="east-asia")
    assert not asia.documents.exists()
    europe = RegionFactory(name="Western Europe", slug="western-europe")
    france = RegionFactory(name="France", slug="france", parent=europe)
    DocumentFactory(identifier="paris-1", regions=[france])

    assert set(api_identifiers(client, {"region": "east-asia"})) == ALL
    assert api_identifiers(client, {"region": "western-europe"}) == ["paris-1"]
    assert api_identifiers(client, {"region": "france"}) == ["paris-1"]
    assert html_identifiers(client, {"region": "western-europe"}) == ["paris-1"]
    assert set(api_identifiers(client, {"region": ["france", "south-korea"]})) == {
        "paris-1",
        "seed-1960-08-16",
        "seed-1960-07-24",
    }


SEED_ORDER_BY_DATE = [r["identifier"] for r in sorted(RECORDS, key=seed_date)]


@pytest.mark.parametrize(
    ("sort", "want"),
    [
        ("date", SEED_ORDER_BY_DATE),
        ("-date", SEED_ORDER_BY_DATE[::-1]),
    ],
)
def test_sort_by_date(client, seeded, sort, want):
    assert api_identifiers(client, {"sort": sort}) == want
    assert html_identifiers(client, {"sort": sort}) == want


def test_sort_by_title(client, seeded):
    data = api_get(client, {"sort": "title", "per_page": 100})

    titles = [result["title"] for result in data["results"]]
    identifiers = [result["identifier"] for result in data["results"]]
    assert titles == sorted(record["title"] for record in RECORDS)
    assert identifiers == html_identifiers(client, {"sort": "title"})
    # The two telegrams share a title; the order between them is still stable.
    assert identifiers == api_identifiers(client, {"sort": "title"})


def test_sort_by_relevance_with_keywords_puts_title_matches_first(client, seeded):
    identifiers = api_identifiers(client, {"q": "Mikoyan", "sort": "relevance"})

    assert identifiers == ["120189", "120194"]  # equal scores: newest first
    assert identifiers == html_identifiers(client, {"q": "Mikoyan", "sort": "relevance"})


# Dates keep their precision ---------------------------------------------------------------------


def test_day_precision_date(client, seeded):
    data = client.get(f"{API}120194/").json()

    assert data["date"] == "1956-09-21"
    assert data["date_end"] is None
    assert data["date_display"] == "September 21, 1956"


def test_month_and_year_precision_dates(client, db):
    DocumentFactory(identifier="m-1967-11", date=date(1967, 11, 1), date_precision=Precision.MONTH)
    DocumentFactory(
        identifier="span-1968",
        date=date(1968, 3, 5),
        date_end=date(1969, 1, 1),
        date_end_precision=Precision.YEAR,
    )

    results = {r["identifier"]: r for r in api_get(client)["results"]}
    detail = client.get(f"{API}m-1967-11/").json()

    month = results["m-1967-11"]
    assert month["date"] == "1967-11"
    assert month["date_end"] is None
    assert month["date_display"] == "November 1967"
    assert detail["date"] == "1967-11"
    assert detail["date_display"] == "November 1967"
    span = results["span-1968"]
    assert span["date"] == "1968-03-05"
    assert span["date_end"] == "1969"
    assert span["date_display"] == "March 5, 1968 – 1969"


def test_date_filters_use_the_whole_period(client, db):
    DocumentFactory(identifier="m-1967-11", date=date(1967, 11, 1), date_precision=Precision.MONTH)

    assert api_identifiers(client, {"date_from": "1967-11-30"}) == ["m-1967-11"]
    assert api_identifiers(client, {"date_to": "1967-11-01"}) == ["m-1967-11"]
    assert api_identifiers(client, {"date_from": "November 15, 1967"}) == ["m-1967-11"]
    assert api_identifiers(client, {"date_from": "1967-12"}) == []
    assert api_identifiers(client, {"date_to": "1967-10"}) == []


# Drafts ----------------------------------------------------------------------------------------


def test_drafts_are_never_shown(client, seeded):
    kim = Person.objects.get(slug="kim-il-sung")
    secret = PersonFactory(name="Secret Person", slug="secret-person")
    collection = Collection.objects.get()
    hidden_region = RegionFactory(name="Hidden Land", slug="hidden-land")
    DocumentFactory(
        identifier="draft-1",
        title="Telegram from A. Mikoyan, a draft",
        date=date(1999, 1, 1),
        status=Status.DRAFT,
        language="de",
        original_archive="Draft Archive",
        people=[kim, secret],
        regions=[Region.objects.get(slug="north-korea"), hidden_region],
        collections=[collection],
    )

    data = api_get(client, {"per_page": 100})

    assert data["count"] == 10
    assert "draft-1" not in {r["identifier"] for r in data["results"]}
    facets = data["facets"]
    people = {p["slug"]: p["count"] for p in facets["people"]}
    assert people["kim-il-sung"] == 10
    assert "secret-person" not in people
    assert {c["slug"]: c["count"] for c in facets["collections"]} == {
        "conversations-with-kim-il-sung": 10
    }
    assert "de" not in {language["value"] for language in facets["languages"]}
    assert "Draft Archive" not in {archive["value"] for archive in facets["archives"]}
    assert 1999 not in {year["year"] for year in facets["years"]}
    regions = {node["slug"]: node for node in facets["regions"]}
    assert "hidden-land" not in regions
    assert regions["east-asia"]["count"] == 10
    korea = {child["slug"]: child["count"] for child in regions["east-asia"]["children"]}
    assert korea["north-korea"] == 10

    # Filters that only the draft would match find nothing, without an error.
    # Someone or some place named only in drafts is not public: asking for them is a bad
    # parameter, as for a name nobody has (issue 24).
    for parameter, slug, name in [
        ("person", "secret-person", "Secret Person"),
        ("region", "hidden-land", "Hidden Land"),
    ]:
        response = client.get("/api/documents/", {parameter: slug})
        assert response.status_code == 400
        assert name not in response.content.decode()
    assert api_get(client, {"language": "de"})["count"] == 0
    assert api_get(client, {"q": "draft"})["count"] == 0
    assert api_get(client, {"q": "Mikoyan"})["count"] == 2
    assert api_get(client, {"date_from": "1990"})["count"] == 0

    # The detail endpoint does not know it; a published document it does.
    assert client.get(f"{API}draft-1/").status_code == 404
    assert client.get(f"{API}120194/").status_code == 200
    assert client.get(f"{API}no-such-document/").status_code == 404


def test_a_document_made_draft_disappears(client, seeded):
    from documents.models import Document

    Document.objects.filter(identifier="120194").update(status=Status.DRAFT)

    data = api_get(client, {"q": "Mikoyan"})

    assert data["count"] == 1
    assert [r["identifier"] for r in data["results"]] == ["120189"]
    people = {p["slug"]: p["count"] for p in data["facets"]["people"]}
    assert people["anastas-mikoyan"] == 1
    assert client.get(f"{API}120194/").status_code == 404


# Facets ----------------------------------------------------------------------------------------


def test_facets_on_the_seeds(client, seeded):
    facets = api_get(client)["facets"]

    languages = {language["value"]: language for language in facets["languages"]}
    assert {code: language["count"] for code, language in languages.items()} == {"ru": 6, "pl": 1}
    assert languages["ru"]["name"] == "Russian"
    years = {year["year"]: year["count"] for year in facets["years"]}
    want_years = {}
    for record in RECORDS:
        want_years[seed_date(record).year] = want_years.get(seed_date(record).year, 0) + 1
    assert years == want_years
    people = {person["slug"]: person for person in facets["people"]}
    assert people["kim-il-sung"]["count"] == 10
    assert people["kim-il-sung"]["life_dates"] == "1912–1994"
    assert people["a-m-puzanov"]["count"] == 4
    regions = {node["slug"]: node for node in facets["regions"]}
    assert set(regions) == {"east-asia", "eastern-europe"}
    children = {child["slug"]: child["count"] for child in regions["east-asia"]["children"]}
    for slug, count in children.items():
        assert count == len(expected(lambda r, slug=slug: slug in seed_regions(r)))
    assert children["china"] == 7


def test_facets_follow_the_filters(client, seeded):
    facets = api_get(client, {"region": "south-korea"})["facets"]

    people = {person["slug"]: person["count"] for person in facets["people"]}
    assert people == {"a-m-puzanov": 2, "kim-il-sung": 2, "nikita-khrushchev": 1}
    assert {y["year"]: y["count"] for y in facets["years"]} == {1960: 2}


# Bad parameters are a 400 naming the parameter, never a 500 ------------------------------------

BAD_PARAMS = [
    ({"region": "nope"}, "region"),
    ({"region": ["north-korea", "nope"]}, "region"),
    ({"person": "nobody"}, "person"),
    ({"collection": "nope"}, "collection"),
    ({"date_from": "garbage"}, "date_from"),
    ({"date_to": "1960-13"}, "date_to"),
    ({"date_from": "February 30, 1960"}, "date_from"),
    ({"date_from": "1961", "date_to": "1960"}, "date_to"),
    ({"page": "abc"}, "page"),
    ({"page": "0"}, "page"),
    ({"page": "-1"}, "page"),
    ({"page": "9" * 5000}, "page"),
    ({"per_page": "1000"}, "per_page"),
    ({"per_page": "0"}, "per_page"),
    ({"per_page": "abc"}, "per_page"),
    ({"per_page": "1e2"}, "per_page"),
    ({"sort": "bogus"}, "sort"),
    ({"q": "\x00"}, "q"),
    ({"q": "Kim\x00Il"}, "q"),
    ({"q": "x" * 501}, "q"),
    ({"region": "\x00"}, "region"),
    ({"region": "north-korea\x00"}, "region"),
    ({"person": "kim-il-sung\x00"}, "person"),
    ({"collection": "\x00"}, "collection"),
    ({"date_from": "\x00"}, "date_from"),
    ({"language": "\x00"}, "language"),
    ({"language": "x" * 11}, "language"),
    ({"archive": "GARF\x00"}, "archive"),
]


@pytest.mark.parametrize(
    ("params", "name"),
    BAD_PARAMS,
    ids=[f"{name}-{index}" for index, (_, name) in enumerate(BAD_PARAMS)],
)
def test_bad_parameters_are_a_400_naming_the_parameter(client, seeded, params, name):
    response = client.get(API, params)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()["errors"]
    assert name in errors
    assert errors[name]
    assert all(isinstance(message, str) and message for message in errors[name])


@pytest.mark.parametrize(
    ("params", "name"),
    BAD_PARAMS,
    ids=[f"{name}-{index}" for index, (_, name) in enumerate(BAD_PARAMS)],
)
def test_bad_parameters_on_the_html_list_are_notices_not_errors(client, seeded, params, name):
    response = client.get(HTML, params)

    assert response.status_code == 200
    assert response.context["notices"]


def test_unknown_detail_identifiers_are_404(client, seeded):
    assert client.get(f"{API}{'x' * 300}/").status_code == 404
    assert client.get(f"{API}120194.bak/").status_code == 404
    assert client.get(f"{API}%D0%96/").status_code == 404


@pytest.mark.parametrize("prefix", [API, HTML], ids=["api", "html"])
def test_a_nul_character_in_a_detail_identifier_is_404_not_500(client, seeded, prefix):
    # A NUL can never be in an identifier (IDENTIFIER_PATTERN), so no document has it.
    client.raise_request_exception = False

    response = client.get(f"{prefix}120194%00/")

    assert response.status_code == 404


def test_a_page_past_the_end_is_empty_not_an_error(client, seeded):
    data = api_get(client, {"per_page": 3, "page": 5})

    assert data["count"] == 10
    assert data["results"] == []
    assert data["next"] is None


# A fixed number of queries ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{}, {"person": ["kim-il-sung", "a-m-puzanov"], "region": "east-asia", "q": "Kim"}],
    ids=["plain", "filtered"],
)
def test_queries_do_not_grow_with_the_page_size(
    client, seeded, django_assert_num_queries, params, settings
):
    settings.ARCHIVE_FACET_CACHE_SECONDS = 0  # every request counts (the cache: test_facets)
    client.get(API, {**params, "per_page": 2})  # warm any per-process caches
    with CaptureQueriesContext(connection) as small:
        response = client.get(API, {**params, "per_page": 2})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
    queries = len(small.captured_queries)
    assert 1 <= queries <= 20

    with django_assert_num_queries(queries):
        response = client.get(API, {**params, "per_page": 10})
    assert response.status_code == 200
    assert len(response.json()["results"]) == response.json()["count"] > 2

    with django_assert_num_queries(queries):
        response = client.get(API, {**params, "per_page": 1, "page": 3})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_detail_queries_are_fixed(client, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(f"{API}208559/")

    data = response.json()
    assert len(data["participants"]) == 6
    assert len(data["regions"]) == 3


def test_an_empty_choice_asks_for_nothing(client, seeded):
    """A form's blank choice (`?collection=`, found by schemathesis) filters nothing."""
    everything = client.get("/api/documents/").json()["count"]
    for parameter in ("collection", "region", "person"):
        response = client.get(f"/api/documents/?{parameter}=")
        assert response.status_code == 200, parameter
        assert response.json()["count"] == everything
