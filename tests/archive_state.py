"""The whole archive as values that survive an export and an import (names, not ids), to
compare an archive with one rebuilt from its export or its data release."""

from documents.models import Collection, Document, DocumentParticipant, Region
from importing.models import ImportBatch
from people.models import Person


def archive_state() -> dict:
    """Everything the round trip must give back, keyed by what survives it (names, not ids)."""

    def region_path(region):
        names = []
        while region is not None:
            names.append(region.name)
            region = region.parent
        return " > ".join(reversed(names))

    documents = {}
    for document in Document.objects.with_relations():
        documents[document.identifier] = {
            "fields": {
                name: getattr(document, name)
                for name in (
                    "title",
                    "original_title",
                    "date",
                    "date_precision",
                    "date_end",
                    "date_end_precision",
                    "date_last",
                    "summary",
                    "text",
                    "language",
                    "source",
                    "original_archive",
                    "rights",
                    "status",
                )
            },
            "regions": sorted(region_path(r) for r in document.regions.all()),
            "collections": sorted(c.title for c in document.collections.all()),
            "participants": [
                (p.person.name, p.role, p.position) for p in document.participations.all()
            ],
        }
    people = {
        p.name: (p.birth_year, p.death_year, sorted(p.alternate_names), p.biography)
        for p in Person.objects.all()
    }
    collections = {c.title: c.description for c in Collection.objects.all()}
    regions = sorted(
        region_path(r) for r in Region.objects.filter(documents__isnull=False).distinct()
    )
    return {
        "documents": documents,
        "people": people,
        "collections": collections,
        "regions": regions,
    }


def empty_the_archive():
    DocumentParticipant.objects.all().delete()
    Document.objects.all().delete()
    Person.objects.all().delete()
    Collection.objects.all().delete()
    while Region.objects.exists():
        Region.objects.filter(children__isnull=True).delete()
    ImportBatch.objects.all().delete()
