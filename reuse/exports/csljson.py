"""CSL-JSON, the citation processors' own input (Zotero, Pandoc, citeproc-js, citeproc-py).

A JSON array streamed one item at a time. Items are `manuscript`s with the archive and the
location in it; names are `literal` (the sources do not split names into family and given);
`issued` has as many date parts as the date has (`[[1967, 11]]` for November 1967) and two
dates for a span.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from documents.citations import document_people
from documents.dates import PartialDate
from documents.models import Document

from .context import ExportContext

MEDIA_TYPE = "application/vnd.citationstyles.csl+json; charset=utf-8"
EXTENSION = "json"
LABEL = "CSL-JSON"


def date_parts(date: PartialDate) -> list[int]:
    parts = [date.value.year, date.value.month, date.value.day]
    return parts[: date.parts_known]


def item(document: Document, context: ExportContext) -> dict:
    span = document.date_span
    people = document_people(document)
    issued = [date_parts(span.start)] + ([date_parts(span.end)] if span.end else [])
    keywords = (
        [person.name for person in people.participants + people.mentioned]
        + [region.name for region in document.regions.all()]
        + [collection.title for collection in document.collections.all()]
    )
    data = {
        "id": document.identifier,
        "type": "manuscript",
        "title": document.title,
        "author": [{"literal": person.name} for person in people.authors],
        "recipient": [{"literal": person.name} for person in people.recipients],
        "issued": {"date-parts": issued},
        "abstract": document.summary,
        "archive": document.original_archive,
        "archive_location": document.source,
        "source": context.archive_name,
        "language": document.language,
        "keyword": ", ".join(keywords),
        "collection-title": "; ".join(c.title for c in document.collections.all()),
        "URL": context.url(document),
        "license": document.rights,
    }
    return {key: value for key, value in data.items() if value}


def render(documents: Iterable[Document], context: ExportContext) -> Iterator[str]:
    separator = "[\n"
    for document in documents:
        yield separator + json.dumps(item(document, context), ensure_ascii=False)
        separator = ",\n"
    yield "[]\n" if separator == "[\n" else "\n]\n"
