"""The seed archive: `load_seeds` puts the ten documents of the seed page in, once."""

import io
import json
from datetime import date

import pytest
from django.conf import settings
from django.core.management import call_command

from documents.dates import PartialDate, Precision
from documents.models import Collection, Document, DocumentParticipant, Region, Status
from people.models import Person
from people.names import name_key, split_life_dates

pytestmark = pytest.mark.django_db

KIM = "Conversations with Kim Il Sung"


def seed_records() -> dict[str, dict]:
    with (settings.BASE_DIR / "seeds" / "documents.jsonl").open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return {r["identifier"]: r for r in records}


def participant_keys(record: dict) -> set[str]:
    names = [p["name"] if isinstance(p, dict) else p for p in record.get("participants", [])]
    return {name_key(split_life_dates(name)[0]) for name in names}


def load_seeds() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_seeds", stdout=out, stderr=err, no_color=True)
    return out.getvalue(), err.getvalue()


def test_the_seed_file_holds_ten_records():
    assert len(seed_records()) == 10


def test_ten_documents(seeded):
    assert Document.objects.count() == 10
    assert set(Document.objects.values_list("identifier", flat=True)) == set(seed_records())
    assert set(Document.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert Document.objects.published().count() == 10


def test_one_collection_with_all_ten(seeded):
    collection = Collection.objects.get()
    assert collection.title == KIM
    assert collection.slug == "conversations-with-kim-il-sung"
    assert collection.documents.count() == 10


@pytest.mark.parametrize(
    ("name", "birth", "death", "documents"),
    [
        ("Kim Il Sung", 1912, 1994, 10),
        ("Mao Zedong", 1893, 1976, 2),
        ("Nikita Khrushchev", 1894, 1971, 1),
        ("Anastas Mikoyan", 1895, 1978, 2),
        ("Leonid Brezhnev", 1906, 1982, 1),
        ("A. M. Puzanov", 1906, 1998, 4),
        ("Peng Dehuai", 1898, 1974, 2),
        ("Károly Práth", None, None, 1),
    ],
)
def test_people_with_life_dates(seeded, name, birth, death, documents):
    person = Person.objects.get(name=name)

    assert (person.birth_year, person.death_year) == (birth, death)
    assert person.documents.count() == documents
    expected = sum(1 for r in seed_records().values() if name_key(name) in participant_keys(r))
    assert person.documents.count() == expected


def test_kim_il_sung(seeded):
    kim = Person.objects.get(name_key=name_key("KIM IL SUNG"))

    assert kim.name == "Kim Il Sung"
    assert kim.slug == "kim-il-sung"
    assert (kim.birth_year, kim.death_year) == (1912, 1994)
    assert kim.life_dates == "1912–1994"
    assert str(kim) == "Kim Il Sung (1912–1994)"
    assert Document.objects.filter(participants=kim).count() == 10
    assert Person.objects.with_document_counts().get(pk=kim.pk).document_count == 10


def test_names_are_matched_across_spellings(seeded):
    assert Person.objects.matching_name("Karoly Prath").get().name == "Károly Práth"
    assert Person.objects.matching_name("A.M. Puzanov").get().name == "A. M. Puzanov"
    assert Person.objects.count() == len(
        set().union(*map(participant_keys, seed_records().values()))
    )


def test_regions(seeded):
    east_asia = Region.objects.get(name="East Asia")
    eastern_europe = Region.objects.get(name="Eastern Europe")

    assert east_asia.parent is None
    assert eastern_europe.parent is None
    assert Region.objects.get(name="China").parent == east_asia
    assert Region.objects.get(name="North Korea").parent == east_asia
    assert Region.objects.get(name="South Korea").parent == east_asia
    assert Region.objects.get(name="Soviet Union").parent == eastern_europe
    assert Region.objects.get(name="Poland").parent == eastern_europe
    assert Region.objects.get(name="Hungary").parent == eastern_europe
    assert sorted(Region.objects.filter(parent=None).values_list("name", flat=True)) == [
        "Central America and Caribbean",
        "East Asia",
        "Eastern Europe",
    ]
    # Cuba is in the seed page's places menu though none of the ten documents is about it.
    assert Region.objects.get(name="Cuba").parent.name == "Central America and Caribbean"
    assert not Region.objects.get(name="Cuba").documents.exists()
    assert Region.objects.get(slug="china").name == "China"
    assert Region.objects.get(slug="north-korea").name == "North Korea"
    assert Region.objects.get(slug="soviet-union").name == "Soviet Union"


def test_documents_per_region(seeded):
    records = seed_records().values()
    for slug, name in [
        ("soviet-union", "Eastern Europe > Soviet Union"),
        ("north-korea", "East Asia > North Korea"),
        ("china", "East Asia > China"),
        ("south-korea", "East Asia > South Korea"),
    ]:
        expected = sum(1 for r in records if name in r["regions"])
        assert Document.objects.filter(regions__slug=slug).count() == expected, slug
    assert Document.objects.filter(regions__slug="north-korea").count() == 10
    ids = Region.objects.descendant_ids(["east-asia"])
    assert Document.objects.filter(regions__in=ids).distinct().count() == 10


def test_document_120194(seeded):
    seed = seed_records()["120194"]
    document = Document.objects.get(identifier="120194")

    assert document.date == date(1956, 9, 21)
    assert document.date_precision == Precision.DAY
    assert document.date_end is None
    assert document.date_last == date(1956, 9, 21)
    assert document.date_display == "September 21, 1956"
    assert document.title == seed["title"]
    assert document.title == "Telegram from A. Mikoyan to the CPSU Central Committee"
    assert document.source == seed["source"]
    assert document.source == (
        "GARF, f. 5446, op. 98c, d. 718, ll. 12-16. Translated by Gary Goldberg."
    )
    assert document.original_archive == seed["original_archive"]
    assert document.summary == seed["summary"]
    assert document.language == "ru"
    assert document.language_name == "Russian"
    assert list(document.participations.values_list("person__name", "role")) == [
        ("Anastas Mikoyan", "author"),
        ("Kim Il Sung", "participant"),
        ("Peng Dehuai", "participant"),
    ]
    assert list(document.collections.values_list("title", flat=True)) == [KIM]


def test_every_seed_date_is_kept(seeded):
    for identifier, seed in seed_records().items():
        expected = PartialDate.parse(seed["date"])
        document = Document.objects.get(identifier=identifier)
        assert (document.date, document.date_precision) == (expected.value, expected.precision)
    assert Document.objects.get(identifier="208559").date == date(1984, 6, 4)
    assert Document.objects.get(identifier="208559").language == "pl"


def test_load_seeds_prints_its_counts():
    out, err = load_seeds()

    assert out == (
        "Seeds: 10 created, 0 updated, 0 unchanged "
        "(people: 13 new, regions: 10 new, collections: 1 new)\n"
    )
    assert err == ""
    assert Person.objects.count() == 13
    assert Region.objects.count() == 10


def test_load_seeds_twice_changes_nothing():
    load_seeds()
    documents = list(Document.objects.order_by("id").values())
    people = list(Person.objects.order_by("id").values())
    regions = list(Region.objects.order_by("id").values())
    collections = list(Collection.objects.order_by("id").values())
    links = list(
        DocumentParticipant.objects.order_by("id").values_list(
            "document_id", "person_id", "role", "position"
        )
    )

    out, err = load_seeds()

    assert out == (
        "Seeds: 0 created, 0 updated, 10 unchanged "
        "(people: 0 new, regions: 0 new, collections: 0 new)\n"
    )
    assert err == ""
    assert list(Document.objects.order_by("id").values()) == documents
    assert list(Person.objects.order_by("id").values()) == people
    assert list(Region.objects.order_by("id").values()) == regions
    assert list(Collection.objects.order_by("id").values()) == collections
    assert (
        list(
            DocumentParticipant.objects.order_by("id").values_list(
                "document_id", "person_id", "role", "position"
            )
        )
        == links
    )


def test_load_seeds_dry_run_writes_nothing():
    out, err = io.StringIO(), io.StringIO()

    call_command("load_seeds", "--dry-run", stdout=out, stderr=err, no_color=True)

    assert out.getvalue() == (
        "Dry run, nothing written: 10 created, 0 updated, 0 unchanged "
        "(people: 13 new, regions: 10 new, collections: 1 new)\n"
    )
    assert Document.objects.count() == 0
    assert Person.objects.count() == 0
