"""Documents as batch records for the JSON Lines and CSV exports.

The batch format has one definition, `importing.batch_format` (the importer's own reader and
writer), so an export imports again with `import_documents`: dates in the batch's ISO forms
with their precision, regions as full paths, people with their life dates and (in JSON Lines)
their roles. Public exports leave the status out: only published documents are exported, and
a record without a status is published when new and keeps its status when it exists, so
re-importing an export never publishes what an archivist has since held back.
"""

from __future__ import annotations

from typing import Any

from documents.models import Document
from importing.batch_format import CSV_COLUMNS, csv_record, document_record

COLUMNS = CSV_COLUMNS


def export_record(document: Document, region_paths: dict[int, str]) -> dict[str, Any]:
    """One document as a JSON Lines batch record; relations must be prefetched."""
    record = document_record(document, region_paths)
    record.pop("status", None)
    return record


def csv_row(document: Document, region_paths: dict[int, str]) -> dict[str, str]:
    return csv_record(export_record(document, region_paths))
