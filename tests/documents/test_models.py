"""Document, Region, Collection and DocumentParticipant: database constraints, derived dates,
validation, string forms and URLs."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from documents.dates import Precision
from documents.models import Collection, Document, DocumentParticipant, Region, Role, Status
from people.models import Person
from tests.factories import (
    CollectionFactory,
    DocumentFactory,
    PersonFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def assert_violates(constraint_name: str, queryset, **values) -> None:
    """An UPDATE (bypassing save() and clean()) that the named constraint must refuse."""
    with transaction.atomic(), pytest.raises(IntegrityError) as caught:
        queryset.update(**values)
    # SQLite: "CHECK constraint failed: NAME"; PostgreSQL: 'violates check constraint "NAME"'.
    assert constraint_name in str(caught.value)


# Check constraints hold in the database -------------------------------------------------------


def test_constraint_date_end_not_before_date():
    document = DocumentFactory(date=date(1960, 8, 18))
    rows = Document.objects.filter(pk=document.pk)

    assert_violates(
        "document_date_end_not_before_date",
        rows,
        date_end=date(1960, 8, 17),
        date_end_precision=Precision.DAY,
    )

    document.refresh_from_db()
    assert document.date_end is None
    assert document.date_end_precision == ""


def test_constraint_date_end_on_the_same_day_is_allowed():
    document = DocumentFactory(date=date(1960, 8, 18))

    updated = Document.objects.filter(pk=document.pk).update(
        date_end=date(1960, 8, 18), date_end_precision=Precision.DAY
    )

    assert updated == 1
    document.refresh_from_db()
    assert document.date_end == date(1960, 8, 18)


def test_constraint_date_end_needs_a_precision():
    document = DocumentFactory(date=date(1960, 8, 18))
    rows = Document.objects.filter(pk=document.pk)

    assert_violates(
        "document_date_end_has_precision", rows, date_end=date(1960, 8, 20), date_end_precision=""
    )
    # ... and a precision needs a date_end.
    assert_violates("document_date_end_has_precision", rows, date_end_precision=Precision.DAY)
    # ... and the precision must be one of the three.
    assert_violates(
        "document_date_end_has_precision",
        rows,
        date_end=date(1960, 8, 20),
        date_end_precision="week",
    )


def test_constraint_date_precision_valid():
    document = DocumentFactory()

    assert_violates(
        "document_date_precision_valid",
        Document.objects.filter(pk=document.pk),
        date_precision="week",
    )


def test_constraint_date_last_not_before_date():
    document = DocumentFactory(date=date(1960, 8, 18))

    assert_violates(
        "document_date_last_not_before_date",
        Document.objects.filter(pk=document.pk),
        date_last=date(1960, 8, 17),
    )


def test_constraint_status_valid():
    document = DocumentFactory()

    assert_violates(
        "document_status_valid", Document.objects.filter(pk=document.pk), status="bogus"
    )
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED


def test_constraint_participant_role_valid():
    participation = DocumentParticipant.objects.create(
        document=DocumentFactory(), person=PersonFactory(), role=Role.AUTHOR
    )
    rows = DocumentParticipant.objects.filter(pk=participation.pk)

    assert_violates("participant_role_valid", rows, role="king")

    # The empty role (unknown) and every named role are allowed.
    for role in ["", *Role.values]:
        assert rows.update(role=role) == 1
        participation.refresh_from_db()
        assert participation.role == role


def test_constraint_participant_once_per_document():
    document, person = DocumentFactory(), PersonFactory()
    DocumentParticipant.objects.create(document=document, person=person, role=Role.AUTHOR)

    with transaction.atomic(), pytest.raises(IntegrityError):
        DocumentParticipant.objects.create(document=document, person=person, role=Role.MENTIONED)

    # Moving another participation onto the same pair is refused too.
    other = DocumentParticipant.objects.create(document=document, person=PersonFactory())
    with transaction.atomic(), pytest.raises(IntegrityError):
        DocumentParticipant.objects.filter(pk=other.pk).update(person=person)

    assert DocumentParticipant.objects.filter(document=document, person=person).count() == 1


def test_constraint_region_not_its_own_parent():
    region = RegionFactory()

    assert_violates("region_not_its_own_parent", Region.objects.filter(pk=region.pk), parent=region)
    region.refresh_from_db()
    assert region.parent_id is None


# Derived dates ---------------------------------------------------------------------------------


def test_save_derives_date_last_for_a_day():
    document = DocumentFactory(date=date(1956, 9, 21), date_precision=Precision.DAY)

    document.refresh_from_db()
    assert document.date_last == date(1956, 9, 21)


def test_save_derives_date_last_for_a_month():
    document = DocumentFactory(date=date(1967, 11, 1), date_precision=Precision.MONTH)

    document.refresh_from_db()
    assert document.date == date(1967, 11, 1)
    assert document.date_precision == Precision.MONTH
    assert document.date_last == date(1967, 11, 30)
    assert document.date_display == "November 1967"


def test_save_normalises_a_month_date_to_its_first_day():
    document = DocumentFactory(date=date(1967, 11, 15), date_precision=Precision.MONTH)

    document.refresh_from_db()
    assert document.date == date(1967, 11, 1)
    assert document.date_last == date(1967, 11, 30)


def test_save_derives_date_last_for_february_of_a_leap_year_and_a_year():
    february = DocumentFactory(date=date(1968, 2, 1), date_precision=Precision.MONTH)
    year = DocumentFactory(date=date(1968, 6, 6), date_precision=Precision.YEAR)

    february.refresh_from_db()
    year.refresh_from_db()
    assert february.date_last == date(1968, 2, 29)
    assert (year.date, year.date_last) == (date(1968, 1, 1), date(1968, 12, 31))
    assert year.date_display == "1968"


def test_save_derives_date_last_from_a_year_precision_end():
    document = DocumentFactory(
        date=date(1967, 3, 10),
        date_precision=Precision.DAY,
        date_end=date(1968, 5, 5),
        date_end_precision=Precision.YEAR,
    )

    document.refresh_from_db()
    assert document.date == date(1967, 3, 10)
    assert document.date_end == date(1968, 1, 1)
    assert document.date_end_precision == Precision.YEAR
    assert document.date_last == date(1968, 12, 31)
    assert document.date_display == "March 10, 1967 – 1968"


def test_save_gives_a_date_end_without_precision_day_precision():
    document = DocumentFactory(date=date(1960, 8, 18), date_end=date(1960, 8, 20))

    document.refresh_from_db()
    assert document.date_end_precision == Precision.DAY
    assert document.date_last == date(1960, 8, 20)
    assert document.date_display == "August 18–20, 1960"


def test_save_keeps_date_last_in_step_when_the_date_changes():
    document = DocumentFactory(date=date(1960, 8, 18))

    document.date, document.date_precision = date(1961, 2, 1), Precision.MONTH
    document.save()

    document.refresh_from_db()
    assert document.date_last == date(1961, 2, 28)


# Validation -------------------------------------------------------------------------------------


def test_clean_turns_an_end_before_the_start_into_an_error_on_date_end():
    document = Document(
        identifier="x-1",
        title="A visit",
        date=date(1960, 8, 18),
        date_end=date(1960, 8, 1),
        date_end_precision=Precision.DAY,
    )

    with pytest.raises(ValidationError) as caught:
        document.clean()

    assert list(caught.value.message_dict) == ["date_end"]
    assert "before it begins" in caught.value.message_dict["date_end"][0]


def test_full_clean_reports_an_end_before_the_start_on_date_end():
    document = Document(
        identifier="x-2",
        title="A visit",
        date=date(1960, 8, 18),
        date_end=date(1959, 1, 1),
        date_end_precision=Precision.YEAR,
    )

    with pytest.raises(ValidationError) as caught:
        document.full_clean()

    assert "date_end" in caught.value.message_dict
    assert not Document.objects.filter(identifier="x-2").exists()


def test_clean_fills_in_the_end_precision_and_the_last_day():
    document = Document(
        identifier="x-3", title="A visit", date=date(1960, 8, 18), date_end=date(1960, 8, 25)
    )

    document.full_clean()

    assert document.date_end_precision == Precision.DAY
    assert document.date_last == date(1960, 8, 25)


def test_clean_drops_an_end_precision_without_an_end():
    document = Document(
        identifier="x-4", title="A day", date=date(1960, 8, 18), date_end_precision=Precision.YEAR
    )

    document.full_clean()

    assert document.date_end_precision == ""
    assert document.date_last == date(1960, 8, 18)


def test_clean_without_a_date_reports_the_date_not_a_crash():
    document = Document(identifier="x-5", title="No date")

    with pytest.raises(ValidationError) as caught:
        document.full_clean()

    assert "date" in caught.value.message_dict


def test_full_clean_refuses_a_bad_identifier():
    document = Document(identifier="-bad id", title="T", date=date(1960, 1, 1))

    with pytest.raises(ValidationError) as caught:
        document.full_clean()

    assert "identifier" in caught.value.message_dict


# String forms and URLs --------------------------------------------------------------------------


def test_region_str_and_url():
    asia = RegionFactory(name="East Asia", slug="east-asia")
    korea = RegionFactory(name="North Korea", slug="north-korea", parent=asia)

    assert str(asia) == "East Asia"
    assert str(korea) == "East Asia › North Korea"
    assert asia.get_absolute_url() == "/regions/east-asia/"
    assert korea.get_absolute_url() == "/regions/north-korea/"
    assert korea.name_key == "north korea"


def test_collection_str_url_and_title_key():
    collection = CollectionFactory(
        title="Conversations with Kim Il Sung", slug="conversations-with-kim-il-sung"
    )

    assert str(collection) == "Conversations with Kim Il Sung"
    assert collection.get_absolute_url() == "/collections/conversations-with-kim-il-sung/"
    assert collection.title_key == "conversations with kim il sung"


def test_document_str_and_url():
    document = DocumentFactory(
        identifier="120194",
        title="Telegram from A. Mikoyan to the CPSU Central Committee",
        date=date(1956, 9, 21),
    )
    month = DocumentFactory(
        identifier="month.1967:11", title="Report", date=date(1967, 11, 1), date_precision="month"
    )

    assert str(document) == (
        "Telegram from A. Mikoyan to the CPSU Central Committee (September 21, 1956)"
    )
    assert document.get_absolute_url() == "/documents/120194/"
    assert str(month) == "Report (November 1967)"
    assert month.get_absolute_url() == "/documents/month.1967:11/"


def test_str_of_a_document_with_an_end_before_its_start_does_not_raise():
    # The admin shows str(obj) as the page subtitle when it redisplays a change form that
    # failed validation, so an unsaved instance with a bad span must still print.
    document = Document(
        identifier="x-7",
        title="A visit",
        date=date(1960, 8, 18),
        date_end=date(1960, 8, 1),
        date_end_precision=Precision.DAY,
    )

    text = str(document)

    assert isinstance(text, str)
    assert text.startswith("A visit")


def test_participant_str():
    document = DocumentFactory(identifier="120194")
    kim = PersonFactory(name="Kim Il Sung", birth_year=1912, death_year=1994)
    prath = PersonFactory(name="Károly Práth")

    assert str(DocumentParticipant.objects.create(document=document, person=kim)) == (
        "Kim Il Sung (1912–1994) in 120194"
    )
    assert str(DocumentParticipant.objects.create(document=document, person=prath)) == (
        "Károly Práth in 120194"
    )


def test_every_seed_object_url_opens(client, seeded):
    region = Region.objects.get(slug="north-korea")
    collection = Collection.objects.get()
    document = Document.objects.get(identifier="120194")
    person = Person.objects.get(slug="kim-il-sung")

    assert str(region) == "East Asia › North Korea"
    assert str(person) == "Kim Il Sung (1912–1994)"
    for obj in (region, collection, document, person):
        response = client.get(obj.get_absolute_url())
        assert response.status_code == 200, obj


# Querysets --------------------------------------------------------------------------------------


def test_published_excludes_drafts():
    shown = DocumentFactory(status=Status.PUBLISHED)
    draft = DocumentFactory(status=Status.DRAFT)

    published = Document.objects.published()

    assert list(published) == [shown]
    assert draft not in published
    assert shown.is_published and not draft.is_published


def test_published_on_the_seeds_leaves_out_a_seed_made_draft(seeded):
    Document.objects.filter(identifier="120194").update(status=Status.DRAFT)

    identifiers = set(Document.objects.published().values_list("identifier", flat=True))

    assert len(identifiers) == 9
    assert "120194" not in identifiers
    assert Document.objects.count() == 10


def test_region_descendant_ids(seeded):
    ids = Region.objects.descendant_ids(["east-asia"])

    slugs = set(Region.objects.filter(id__in=ids).values_list("slug", flat=True))
    assert slugs == {"east-asia", "china", "north-korea", "south-korea"}
    assert Region.objects.descendant_ids(["nope"]) == set()
    leaf = Region.objects.descendant_ids(["poland"])
    assert set(Region.objects.filter(id__in=leaf).values_list("slug", flat=True)) == {"poland"}


def test_with_relations_orders_participants_by_position(seeded):
    document = Document.objects.with_relations().get(identifier="208559")

    names = [p.person.name for p in document.participations.all()]
    roles = [p.role for p in document.participations.all()]

    assert names == [
        "Stefan Olszowski",
        "Aleksandr Aksyonov",
        "Kim Il Sung",
        "Kim Jong Il",
        "Deng Xiaoping",
        "Norodom Sihanouk",
    ]
    assert roles == ["author", "participant", "mentioned", "mentioned", "mentioned", "mentioned"]
    assert document.language == "pl"
    assert document.language_name == "Polish"


def test_clean_reports_a_span_whose_stored_end_falls_before_the_start_on_date_end():
    # "June 10, 1967 – 1967": DateSpan accepts it (the year 1967 ends after June 10), but the
    # end is stored as 1967-01-01, which the database refuses (document_date_end_not_before_date).
    # clean() must say so on date_end, as for any other end before the start.
    document = Document(
        identifier="x-6",
        title="A span",
        date=date(1967, 6, 10),
        date_end=date(1967, 1, 1),
        date_end_precision=Precision.YEAR,
    )

    with pytest.raises(ValidationError) as caught:
        document.full_clean()

    assert "date_end" in caught.value.message_dict
