"""RIS, written by rispy: one `TY` ... `ER` record a document, as Zotero and EndNote read it.

The type is MANSCPT (Zotero's "Manuscript", the item type with an archive and a location in
it). The date keeps its precision in `DA` (`1967/11//`), with the span written out in its free
part; every value is folded to one line, since a line break would end the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import rispy

from documents.citations import document_people
from documents.dates import PartialDate, Precision
from documents.models import Document

from .context import ExportContext

MEDIA_TYPE = "application/x-research-info-systems; charset=utf-8"
EXTENSION = "ris"
LABEL = "RIS"


class _Writer(rispy.RisWriter):
    def set_header(self, count: int) -> str:
        return ""  # no "1." numbering before each record


def ris_date(start: PartialDate, other: str = "") -> str:
    """RIS `DA`: YYYY/MM/DD/other, with the unknown parts left empty."""
    month = f"{start.value.month:02d}" if start.precision != Precision.YEAR else ""
    day = f"{start.value.day:02d}" if start.precision == Precision.DAY else ""
    return f"{start.value.year:04d}/{month}/{day}/{other}"


def _one_line(value):
    if isinstance(value, list):
        return [" ".join(item.split()) for item in value if item.strip()]
    return " ".join(value.split())


def reference(document: Document, context: ExportContext) -> dict:
    """The rispy dictionary for one document; empty fields are left out."""
    span = document.date_span
    people = document_people(document)
    entry = {
        "type_of_reference": "MANSCPT",
        "id": document.identifier,
        "title": document.title,
        "authors": [person.name for person in people.authors],
        "date": ris_date(span.start, str(span) if span.end else ""),
        "year": f"{span.start.value.year:04d}",
        "abstract": document.summary,
        "keywords": [person.name for person in people.not_authors]
        + [region.name for region in document.regions.all()]
        + [collection.title for collection in document.collections.all()],
        "name_of_database": document.original_archive,  # Zotero: Archive
        "accession_number": document.source,  # Zotero: Loc. in Archive
        "database_provider": context.archive_name,
        "language": document.language,
        "urls": [context.url(document)],
        "notes": [document.rights],
    }
    return {key: _one_line(value) for key, value in entry.items() if _one_line(value)}


def render(documents: Iterable[Document], context: ExportContext) -> Iterator[str]:
    writer = _Writer()
    for document in documents:
        yield writer.formats([reference(document, context)]) + "\n"
