"""CSV in the batch format: a header row, list fields joined with `;` (roles need JSON Lines).

RFC 4180 (CRLF line ends, quoted cells where needed), UTF-8 without a byte-order mark.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from documents.models import Document

from .batch import COLUMNS, csv_row
from .context import ExportContext

MEDIA_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"
LABEL = "CSV"


class _Line:
    """A file that hands back what is written to it, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def render(documents: Iterable[Document], context: ExportContext) -> Iterator[str]:
    writer = csv.DictWriter(_Line(), fieldnames=COLUMNS)
    yield writer.writeheader()
    for document in documents:
        yield writer.writerow(csv_row(document, context.region_paths))
