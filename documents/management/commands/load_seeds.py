"""Load the archive's starting data from seeds/ through the ordinary batch import.

The seeds are the ten documents of the seed page (see seeds/README.md) and the people, places
and collection around them. They go through `documents_import` like any batch, so a second
run changes nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents.importing import BatchInvalid, documents_import

SEED_FILES = ["documents.jsonl"]


class Command(BaseCommand):
    help = "Load the seed documents (safe to run again: unchanged records stay as they are)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, then roll back.")

    def handle(self, *args, dry_run, **options):
        paths = [settings.BASE_DIR / "seeds" / name for name in SEED_FILES]
        try:
            report = documents_import(paths=paths, dry_run=dry_run)
        except BatchInvalid as invalid:
            raise CommandError("The seeds are invalid:\n" + "\n".join(invalid.errors)) from None
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        prefix = "Dry run, nothing written: " if dry_run else "Seeds: "
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))
