"""Related documents: shared people, places and collections, close in date, with reasons."""

import datetime

import pytest
from django.core.management import call_command

from documents.dates import DateSpan, PartialDate
from documents.models import Document, Status
from documents.related import related_documents, time_apart
from tests.factories import CollectionFactory, DocumentFactory, PersonFactory, RegionFactory

RELATED_QUERIES = 4  # the candidates, their people, places and collections

pytestmark = pytest.mark.django_db


def load(identifier: str) -> Document:
    return Document.objects.with_relations().get(identifier=identifier)


def span(text: str, end: str | None = None) -> DateSpan:
    return DateSpan(PartialDate.parse(text), PartialDate.parse(end) if end else None)


class TestTimeApart:
    @pytest.mark.parametrize(
        "a, b, words",
        [
            (span("1956-09-21"), span("1956-09-23"), "2 days later"),
            (span("1956-09-23"), span("1956-09-21"), "2 days earlier"),
            (span("1956-09-21"), span("1956-09-22"), "1 day later"),
            (span("1956-09-21"), span("1956-09-21"), "the same day"),
            (span("1960-07-24"), span("1960-08-18"), "3 weeks later"),
            (span("1960-06-16"), span("1960-08-18"), "2 months later"),
            (span("1956-09-21"), span("1960-08-18"), "4 years later"),
            (span("1956-09-21"), span("1957-12-01"), "15 months later"),
            (span("1967-11"), span("1967-11-20"), "the same month"),
            (span("1967-11"), span("1968-02-01"), "3 months later"),
            (span("1967"), span("1967-11-20"), "the same year"),
            (span("1967"), span("1969-01-05"), "2 years later"),
            (span("1945-04-25", "1945-06-26"), span("1945-05-08"), "at the same time"),
            (span("1945-04-25", "1945-06-26"), span("1945-06-28"), "2 days later"),
        ],
    )
    def test_words(self, a, b, words):
        assert time_apart(a, b) == words


class TestOnTheSeeds:
    def test_the_mikoyan_telegrams_find_each_other_first(self, seeded):
        related = related_documents(load("120194"))
        assert related[0].document.identifier == "120189"
        assert related[0].reason.startswith("Also with Anastas Mikoyan and Peng Dehuai")
        assert related[0].reason.endswith("2 days later")
        assert "Kim Il Sung" not in related[0].reason  # he is in every one of them

    def test_ranked_and_limited(self, seeded):
        related = related_documents(load("seed-1960-08-16"), limit=3)
        assert len(related) == 3
        assert [r.score for r in related] == sorted((r.score for r in related), reverse=True)
        # the Puzanov journals of the same weeks come first
        assert {r.document.identifier for r in related} <= {
            "seed-1960-08-18",
            "seed-1960-08-08",
            "seed-1960-07-24",
        }
        eighteenth = next(r for r in related if r.document.identifier == "seed-1960-08-18")
        assert eighteenth.reason.startswith("Also with A. M. Puzanov, also about Soviet Union")
        assert eighteenth.reason.endswith(", 2 days later")

    def test_drafts_never_appear(self, seeded):
        Document.objects.filter(identifier="120189").update(status=Status.DRAFT)
        related = related_documents(load("120194"), limit=20)
        assert "120189" not in {r.document.identifier for r in related}
        assert all(r.document.status == Status.PUBLISHED for r in related)

    def test_a_fixed_number_of_queries(self, seeded, django_assert_num_queries, caught_up):
        document = load("120194")
        caught_up()
        # The candidates' ids from the index; the candidates, their people, places and
        # collections from the database.
        with django_assert_num_queries(RELATED_QUERIES):
            related_documents(document)

    def test_shown_on_the_document_page(self, client, seeded):
        page = client.get("/documents/120194/").content.decode()
        assert "Related documents" in page
        assert "Also with Anastas Mikoyan and Peng Dehuai" in page


def test_nothing_shared_nothing_related(db):
    lonely = DocumentFactory()
    DocumentFactory()
    assert related_documents(Document.objects.with_relations().get(pk=lonely.pk)) == []


def test_a_shared_person_outweighs_a_shared_collection(db):
    person, place, collection = PersonFactory(), RegionFactory(), CollectionFactory()
    day = datetime.date(1960, 1, 1)
    document = DocumentFactory(date=day, people=[person], collections=[collection])
    same_collection = DocumentFactory(date=day, collections=[collection])
    same_person = DocumentFactory(date=day + datetime.timedelta(days=20), people=[person])
    DocumentFactory(date=day, regions=[place])  # nothing in common
    related = related_documents(Document.objects.with_relations().get(pk=document.pk))
    assert [r.document for r in related] == [same_person, same_collection]
    assert related[1].reason == "Also in Collection 0, the same day".replace(
        "Collection 0", collection.title
    )


def test_candidates_are_bounded_however_many_share(db, django_assert_num_queries, caught_up):
    person = PersonFactory()
    documents = [
        DocumentFactory(
            date=datetime.date(1950, 1, 1) + datetime.timedelta(days=i), people=[person]
        )
        for i in range(60)
    ]
    document = Document.objects.with_relations().get(pk=documents[30].pk)
    caught_up()
    with django_assert_num_queries(RELATED_QUERIES):
        related = related_documents(document)
    # the nearest in time, on both sides
    assert {r.document.pk for r in related} <= {d.pk for d in documents[27:34]}
    assert related[0].when in {"1 day later", "1 day earlier"}


def test_the_real_visits_data(db, visits_path):
    call_command("import_documents", str(visits_path), verbosity=0)
    documents = Document.objects.with_relations().order_by("date", "id")
    with_related = 0
    for document in documents[::25]:
        related = related_documents(document)
        assert len(related) <= 5
        assert document not in [r.document for r in related]
        for item in related:
            assert item.reason and item.when
        with_related += bool(related)
    assert with_related >= 15
    # a leader's other visits come first: the same person outweighs the same continent
    king = Document.objects.with_relations().get(identifier="hsg-visit-2234")
    related = related_documents(king)
    assert related[0].document.participants.filter(name="Mackenzie King").exists()
    assert related[0].reason.startswith("Also with Mackenzie King")
