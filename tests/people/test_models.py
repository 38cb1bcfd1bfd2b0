"""Person: the database constraint, the derived name key, life dates, string form, URL and
the queryset helpers."""

import pytest
from django.db import IntegrityError, transaction

from documents.models import DocumentParticipant, Status
from people.models import Person
from tests.factories import DocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db


# The check constraint holds in the database ---------------------------------------------------


def test_constraint_death_not_before_birth():
    person = PersonFactory(birth_year=1912, death_year=1994)
    rows = Person.objects.filter(pk=person.pk)

    with transaction.atomic(), pytest.raises(IntegrityError) as caught:
        rows.update(death_year=1900)

    assert "person_death_not_before_birth" in str(caught.value)
    person.refresh_from_db()
    assert (person.birth_year, person.death_year) == (1912, 1994)


def test_constraint_refuses_a_new_person_dying_before_birth():
    with transaction.atomic(), pytest.raises(IntegrityError):
        Person.objects.create(name="Backwards", slug="backwards", birth_year=1950, death_year=1949)

    assert not Person.objects.filter(slug="backwards").exists()


@pytest.mark.parametrize(
    ("birth", "death"),
    [(1912, 1994), (1912, 1912), (1912, None), (None, 1994), (None, None)],
)
def test_constraint_allows_ordered_same_year_and_unknown_years(birth, death):
    person = PersonFactory(birth_year=birth, death_year=death)

    person.refresh_from_db()
    assert (person.birth_year, person.death_year) == (birth, death)


def test_constraint_refuses_a_negative_year():
    # PositiveSmallIntegerField: a year before 0 is refused by the database too.
    person = PersonFactory()

    with transaction.atomic(), pytest.raises(IntegrityError):
        Person.objects.filter(pk=person.pk).update(birth_year=-5)


def test_full_clean_reports_death_before_birth():
    from django.core.exceptions import ValidationError

    person = Person(name="Backwards", slug="backwards", birth_year=1950, death_year=1900)

    with pytest.raises(ValidationError) as caught:
        person.full_clean()

    assert "person_death_not_before_birth" in str(caught.value)


# name_key ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Kim Il Sung", "kim il sung"),
        ("Károly Práth", "karoly prath"),
        ("A.M. Puzanov", "a m puzanov"),
        ("A. M. Puzanov", "a m puzanov"),
        ("  Mao   Zedong ", "mao zedong"),
        ("Ho Chi Minh", "ho chi minh"),
    ],
)
def test_save_sets_name_key(name, key):
    person = PersonFactory(name=name)

    person.refresh_from_db()
    assert person.name_key == key


def test_save_updates_name_key_on_rename():
    person = PersonFactory(name="Mao Tse-tung")
    assert person.name_key == "mao tse tung"

    person.name = "Mao Zedong"
    person.save()

    person.refresh_from_db()
    assert person.name_key == "mao zedong"


def test_matching_name_ignores_accents_case_and_punctuation():
    prath = PersonFactory(name="Károly Práth")
    puzanov = PersonFactory(name="A. M. Puzanov")
    PersonFactory(name="Someone Else")

    assert list(Person.objects.matching_name("KAROLY PRATH")) == [prath]
    assert list(Person.objects.matching_name("A.M. Puzanov")) == [puzanov]
    assert list(Person.objects.matching_name("Karol Prath")) == []


# Life dates, string form and URL ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "death", "dates"),
    [
        (1912, 1994, "1912–1994"),
        (1912, None, "b. 1912"),
        (None, 1994, "d. 1994"),
        (None, None, ""),
    ],
)
def test_life_dates(birth, death, dates):
    person = PersonFactory(name="Kim Il Sung", birth_year=birth, death_year=death)

    assert person.life_dates == dates
    assert "-" not in person.life_dates  # an en dash, never a hyphen


@pytest.mark.parametrize(
    ("birth", "death", "text"),
    [
        (1912, 1994, "Kim Il Sung (1912–1994)"),
        (1912, None, "Kim Il Sung (b. 1912)"),
        (None, 1994, "Kim Il Sung (d. 1994)"),
        (None, None, "Kim Il Sung"),
    ],
)
def test_str(birth, death, text):
    assert str(PersonFactory(name="Kim Il Sung", birth_year=birth, death_year=death)) == text


def test_get_absolute_url(client):
    person = PersonFactory(name="Kim Il Sung", slug="kim-il-sung")
    DocumentFactory(people=[person])  # a person's page exists once a public document names them

    assert person.get_absolute_url() == "/people/kim-il-sung/"
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    assert "Kim Il Sung" in response.content.decode()


def test_alternate_names_default_to_an_empty_list():
    person = PersonFactory()

    person.refresh_from_db()
    assert person.alternate_names == []


def test_ordering_is_by_name():
    PersonFactory(name="Mao Zedong")
    PersonFactory(name="Deng Xiaoping")
    PersonFactory(name="Kim Il Sung")

    assert [p.name for p in Person.objects.all()] == ["Deng Xiaoping", "Kim Il Sung", "Mao Zedong"]


# Document counts count published documents only -------------------------------------------------


def test_with_document_counts_counts_published_documents_only():
    kim, mao, nobody = PersonFactory(name="Kim"), PersonFactory(name="Mao"), PersonFactory()
    DocumentFactory(people=[kim, mao])
    DocumentFactory(people=[kim])
    DocumentFactory(people=[kim, mao], status=Status.DRAFT)

    counts = {p.pk: p.document_count for p in Person.objects.with_document_counts()}

    assert counts == {kim.pk: 2, mao.pk: 1, nobody.pk: 0}


def test_a_person_in_documents_cannot_be_deleted():
    from django.db.models import ProtectedError

    person = PersonFactory()
    DocumentFactory(people=[person])

    with pytest.raises(ProtectedError):
        person.delete()

    assert DocumentParticipant.objects.filter(person=person).count() == 1


def test_seed_people(seeded):
    kim = Person.objects.get(slug="kim-il-sung")
    prath = Person.objects.get(slug="karoly-prath")

    assert (kim.name, kim.birth_year, kim.death_year) == ("Kim Il Sung", 1912, 1994)
    assert str(kim) == "Kim Il Sung (1912–1994)"
    assert kim.name_key == "kim il sung"
    assert prath.name_key == "karoly prath"
    assert str(prath) == "Károly Práth"
    assert Person.objects.with_document_counts().get(pk=kim.pk).document_count == 10
