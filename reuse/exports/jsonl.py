"""JSON Lines in the batch format: one document a line, importable by `import_documents`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from documents.models import Document

from .batch import export_record
from .context import ExportContext

MEDIA_TYPE = "application/x-ndjson; charset=utf-8"
EXTENSION = "jsonl"
LABEL = "JSON Lines"


def render(documents: Iterable[Document], context: ExportContext) -> Iterator[str]:
    for document in documents:
        record = export_record(document, context.region_paths)
        yield json.dumps(record, ensure_ascii=False) + "\n"
