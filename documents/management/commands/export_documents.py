"""Write the archive, or any filtered part of it, in the batch format.

What comes out imports again with `import_documents`: JSON Lines carries every field, status,
person (with life dates, alternate names and biography), place path and collection
(with its description); CSV carries the same but roles, alternate names, biographies and
collection descriptions, which it has no column for. The filters are the result list's.
"""

import contextlib
import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from documents.batch_format import CSV_COLUMNS, csv_record, document_record
from documents.filters import DocumentFilter
from documents.models import Document, Region, Status


class Command(BaseCommand):
    help = "Export documents in the batch format (JSON Lines or CSV), optionally filtered."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--output", "-o", metavar="FILE", help="Write here, not to stdout.")
        parser.add_argument(
            "--status",
            choices=["all", *Status.values],
            default="all",
            help="Which documents: all (the default, for a full copy), published or draft.",
        )
        filters = parser.add_argument_group("filters (as on /documents/)")
        filters.add_argument("--q", metavar="WORDS")
        filters.add_argument("--date-from", metavar="DATE")
        filters.add_argument("--date-to", metavar="DATE")
        for name in ("region", "person", "collection"):
            filters.add_argument(f"--{name}", action="append", default=[], metavar="SLUG")
        filters.add_argument("--language", metavar="CODE")
        filters.add_argument("--archive", metavar="NAME")

    def handle(self, *args, **options):
        params = QueryDict(mutable=True)
        for name in ("q", "date_from", "date_to", "language", "archive"):
            if options[name]:
                params[name] = options[name]
        for name in ("region", "person", "collection"):
            params.setlist(name, options[name])
        documents = Document.objects.all()
        if options["status"] != "all":
            documents = documents.filter(status=options["status"])
        filterset = DocumentFilter(params, queryset=documents)
        queryset = filterset.qs
        if filterset.errors:
            problems = "; ".join(
                f"--{name.replace('_', '-')}: {' '.join(messages)}"
                for name, messages in filterset.errors.items()
            )
            raise CommandError(f"Nothing exported: {problems}")

        paths = Region.objects.paths()
        rows = queryset.order_by("id").with_relations().iterator(chunk_size=1000)
        target = options["output"]
        opened = open(target, "w", encoding="utf-8", newline="") if target else None  # noqa: SIM115
        with opened or contextlib.nullcontext(self.stdout) as output:
            count = self.write(output, options["format"], rows, paths)
        if options["output"]:
            self.stdout.write(
                self.style.SUCCESS(f"{count} document(s) written to {options['output']}")
            )

    def write(self, output, file_format: str, documents, paths: dict[int, str]) -> int:
        count = 0
        if file_format == "csv":
            writer = csv.DictWriter(output, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            for document in documents:
                writer.writerow(csv_record(document_record(document, paths)))
                count += 1
        else:
            for document in documents:
                record = json.dumps(document_record(document, paths), ensure_ascii=False)
                output.write(record + "\n")
                count += 1
        return count
