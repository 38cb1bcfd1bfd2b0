"""Factories for tests: valid objects with the least fuss."""

import datetime

import factory

from documents.dates import Precision
from documents.models import Collection, Document, DocumentParticipant, Region, Status
from people.models import Person


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    title = factory.Sequence(lambda n: f"Collection {n}")
    slug = factory.Sequence(lambda n: f"collection-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    identifier = factory.Sequence(lambda n: f"doc-{n}")
    title = factory.Sequence(lambda n: f"Document {n}")
    date = datetime.date(1960, 8, 18)
    date_precision = Precision.DAY
    summary = "A summary."
    status = Status.PUBLISHED

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def collections(self, create, extracted, **kwargs):
        if create and extracted:
            self.collections.set(extracted)

    @factory.post_generation
    def people(self, create, extracted, **kwargs):
        if create and extracted:
            for position, person in enumerate(extracted):
                DocumentParticipant.objects.create(document=self, person=person, position=position)
