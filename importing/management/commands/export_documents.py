"""Write the archive, or any filtered part of it, in the batch format.

What comes out imports again with `import_documents`: JSON Lines carries every field, status,
person (with life dates, alternate names and biography), place path and collection
(with its description); CSV carries the same but roles, alternate names, biographies and
collection descriptions, which it has no column for. The filters are the result list's.

Each document's versions (scans, transcripts, translations) are listed in `files`, each at
`files/<record>-<kind>-<language>-<id>.<ext>` beside the output; `--with-files` copies them
there (a typed-in text as a .txt), so that the output and its folder import again whole.
Without it the entries only say what there is.
"""

import contextlib
import csv
import json
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from documents.filters import DocumentFilter
from documents.models import Document, Region, Status
from importing.batch_format import CSV_COLUMNS, csv_record, document_record
from search import engine
from search.engine import Sort


class Command(BaseCommand):
    help = "Export documents in the batch format (JSON Lines or CSV), optionally filtered."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--output", "-o", metavar="FILE", help="Write here, not to stdout.")
        parser.add_argument(
            "--with-files",
            action="store_true",
            help="Copy each document's files (scans, transcripts, translations) into files/ "
            "beside --output, where its `files` entries point.",
        )
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
        if options["with_files"] and not options["output"]:
            raise CommandError("--with-files needs --output: the files go beside it.")
        params = QueryDict(mutable=True)
        for name in ("q", "date_from", "date_to", "language", "archive"):
            if options[name]:
                params[name] = options[name]
        for name in ("region", "person", "collection"):
            params.setlist(name, options[name])
        queryset = Document.objects.all()
        if options["status"] != "all":
            queryset = queryset.filter(status=options["status"])
        filterset = DocumentFilter(params, queryset=queryset)
        if filterset.errors:
            problems = "; ".join(
                f"--{name.replace('_', '-')}: {' '.join(messages)}"
                for name, messages in filterset.errors.items()
            )
            raise CommandError(f"Nothing exported: {problems}")
        if any(params.values()):
            # The list's filters are the search index's, which holds published documents only.
            if options["status"] == "draft":
                raise CommandError(
                    "Nothing exported: the filters select among published documents; "
                    "export drafts with --status draft and no filters."
                )
            limit = Document.objects.count() or 1
            ids = engine.window(filterset.criteria, sort=Sort.DATE, offset=0, limit=limit).ids
            queryset = Document.objects.published().filter(id__in=ids)

        paths = Region.objects.paths()
        rows = (
            queryset.order_by("id")
            .with_relations()
            .prefetch_related("versions")
            .iterator(chunk_size=1000)
        )
        self.files_folder = Path(options["output"]).parent if options["with_files"] else None
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
                writer.writerow(csv_record(self.record(document, paths)))
                count += 1
        else:
            for document in documents:
                record = json.dumps(self.record(document, paths), ensure_ascii=False)
                output.write(record + "\n")
                count += 1
        return count

    def record(self, document, paths: dict[int, str]) -> dict:
        record = document_record(document, paths, with_files=True)
        if self.files_folder is not None:
            for version, entry in zip(document.versions.all(), record["files"], strict=True):
                self.copy(version, self.files_folder / entry["path"])
        return record

    def copy(self, version, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not version.file:
            target.write_text(version.text, encoding="utf-8")
            return
        with version.file.open("rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy)
