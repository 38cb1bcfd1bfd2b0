"""What of a document the search index holds: the index's source for the catalogue.

`search/` knows the index and how to keep it; this module knows the documents. The indexer
(`search.indexing`) asks the source named by `ARCHIVE_SEARCH_SOURCE`, this class, for the
published documents' ids and for the fields of any of them, and reads nothing else. Only
published documents have fields: a draft enters no list, count or facet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from search.schema import PREFIX_FIELDS, VERSION_KINDS, day_number, sort_key
from versions.models import DocumentVersion, TextSource, VersionPage

from .models import Document, DocumentParticipant, Region, Status


class PublishedDocuments:
    """The index's source: published documents, their people, places, collections and
    versions. One is made for each pass of the indexer (the region tree is read once)."""

    def __init__(self) -> None:
        self._ancestors: dict[int, list[int]] | None = None

    def published_ids(self) -> list[int]:
        return list(Document.objects.published().order_by("id").values_list("id", flat=True))

    def any_published(self) -> bool:
        return Document.objects.published().exists()

    def fields_of(self, document_ids: list[int]) -> Iterator[dict]:
        """Each published one of these documents as the index's fields (six queries)."""
        if self._ancestors is None:
            self._ancestors = _region_ancestors()
        return _fields_of(document_ids, self._ancestors)


def _region_ancestors() -> dict[int, list[int]]:
    """Each region with every region above it, from one query (the tree is small)."""
    parents = dict(Region.objects.values_list("id", "parent_id"))
    ancestors: dict[int, list[int]] = {}
    for region_id in parents:
        chain: list[int] = []
        node: int | None = region_id
        seen: set[int] = set()
        while node is not None and node not in seen:
            seen.add(node)
            chain.append(node)
            node = parents.get(node)
        ancestors[region_id] = chain
    return ancestors


def _fields_of(document_ids: list[int], ancestors: dict[int, list[int]]) -> Iterator[dict]:
    """The index fields of those of these ids that are published (six queries)."""
    found = Document.objects.filter(id__in=document_ids, status=Status.PUBLISHED).values_list(
        "id",
        "identifier",
        "title",
        "original_title",
        "summary",
        "text",
        "language",
        "original_archive",
        "source",
        "date",
        "date_last",
        "first_published",
    )
    rows = list(found)
    if not rows:
        return
    ids = [row[0] for row in rows]
    names: dict[int, list[str]] = defaultdict(list)
    people: dict[int, list[int]] = defaultdict(list)
    for document_id, person_id, name, alternates in (
        DocumentParticipant.objects.filter(document_id__in=ids)
        .order_by("document_id", "position", "id")
        .values_list("document_id", "person_id", "person__name", "person__alternate_names")
    ):
        people[document_id].append(person_id)
        names[document_id].append(" ".join([name, *(alternates or [])]))
    places: dict[int, list[str]] = defaultdict(list)
    regions: dict[int, set[int]] = defaultdict(set)
    # A place's and a collection's other names find their documents too (a merge keeps them).
    for document_id, region_id, name, alternates in (
        Document.regions.through.objects.filter(document_id__in=ids)
        .order_by("region_id")
        .values_list("document_id", "region_id", "region__name", "region__alternate_names")
    ):
        places[document_id].append(" ".join([name, *(alternates or [])]))
        regions[document_id].update(ancestors.get(region_id, [region_id]))
    collections: dict[int, list[int]] = defaultdict(list)
    for document_id, collection_id, title, alternates in (
        Document.collections.through.objects.filter(document_id__in=ids)
        .order_by("collection_id")
        .values_list(
            "document_id", "collection_id", "collection__title", "collection__alternate_names"
        )
    ):
        places[document_id].append(" ".join([title, *(alternates or [])]))
        collections[document_id].append(collection_id)
    versions: dict[tuple[int, str], list[str]] = defaultdict(list)
    for document_id, kind, text, extracted in (
        DocumentVersion.objects.filter(document_id__in=ids)
        .order_by("document_id", "position", "id")
        .values_list("document_id", "kind", "text", "extracted_text")
    ):
        versions[document_id, kind].append(f"{text} {extracted}".strip())
    # Pages read by OCR (an archivist's correction instead, where there is one), in order.
    read: dict[int, list[str]] = defaultdict(list)
    for document_id, ocr_text, corrected in (
        VersionPage.objects.ready()
        .filter(version__document_id__in=ids, text_source=TextSource.OCR)
        .order_by("version__document_id", "version__position", "version_id", "number")
        .values_list("version__document_id", "ocr_text", "corrected_text")
    ):
        read[document_id].append(corrected or ocr_text)
    for (
        pk,
        identifier,
        title,
        original_title,
        summary,
        text,
        language,
        archive,
        source,
        date,
        date_last,
        first_published,
    ) in rows:
        fields = {
            "id": pk,
            "title": f"{title} {identifier}",
            "original_title": original_title,
            "summary": summary,
            "names": " ".join(names[pk]),
            "places": " ".join(places[pk]),
            "body": text,
            "identifier": identifier.lower(),
            "regions": sorted(regions[pk]),
            "people": sorted(set(people[pk])),
            "collections": sorted(set(collections[pk])),
            "year": date.year,
            "date": day_number(date),
            "date_last": day_number(date_last),
            "sort_date": sort_key(date, pk),
            "sort_published": (int(first_published.timestamp()) if first_published else 0) * 2**24
            + pk % 2**24,
            "sort_title": title[:200],
        }
        for name in PREFIX_FIELDS:
            fields[f"{name}_words"] = fields[name]
        for kind in VERSION_KINDS:
            if versions[pk, kind]:
                fields[kind] = "\n".join(versions[pk, kind])
        if read[pk]:
            fields["ocr"] = "\n".join(read[pk])
        if language:
            fields["language"] = language
        if archive:
            fields["archive"] = archive
        if source:
            fields["source"] = source
        yield fields
