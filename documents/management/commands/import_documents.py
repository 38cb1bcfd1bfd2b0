"""Import batches of documents from JSON Lines or CSV files.

Staff bring new material in with this command. It checks every record of every file before
writing anything; with any error it writes nothing, lists every problem as
`FILE:LINE: field: what is wrong`, and exits non-zero. Re-importing an identifier updates that
document; a record that has not changed is left exactly as it was.
"""

from django.core.management.base import BaseCommand, CommandError

from documents.importing import BatchInvalid, documents_import


class Command(BaseCommand):
    help = "Import documents from .jsonl or .csv batch files (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and count everything, then roll back: nothing is written.",
        )

    def handle(self, *args, files, dry_run, **options):
        try:
            report = documents_import(paths=files, dry_run=dry_run)
        except BatchInvalid as invalid:
            for warning in invalid.warnings:
                self.stderr.write(self.style.WARNING(f"warning: {warning}"))
            for error in invalid.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(invalid.errors)} error(s); nothing was written.") from None
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        if dry_run:
            for identifier, fields in report.changes.items():
                self.stdout.write(f"would update {identifier}: {', '.join(fields)}")
            self.stdout.write(self.style.NOTICE(f"Dry run, nothing written: {report.summary()}"))
        else:
            self.stdout.write(self.style.SUCCESS(report.summary()))
