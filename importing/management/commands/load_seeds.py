"""Load the archive's starting data from seeds/ through the ordinary batch import.

The seeds are the places of the seed page (seeds/regions.txt) and its ten documents with the
people and collection around them (seeds/documents.jsonl); see seeds/README.md. The documents
go through `documents_import` like any batch, so a second run changes nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.history import history_paused
from importing.importer import BatchInvalid, documents_import, regions_import


class Command(BaseCommand):
    help = "Load the seed archive (safe to run again: unchanged records stay as they are)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, then roll back.")

    def handle(self, *args, dry_run, **options):
        seeds = settings.BASE_DIR / "seeds"
        try:
            # An import is audited by its batch, not by edit history (see core/history.py).
            with transaction.atomic(), history_paused():
                places = regions_import(path=seeds / "regions.txt")
                report = documents_import(paths=[seeds / "documents.jsonl"])
                report.regions_created += places.regions_created
                report.warnings[:0] = places.warnings
                if dry_run:
                    transaction.set_rollback(True)
        except BatchInvalid as invalid:
            raise CommandError("The seeds are invalid:\n" + "\n".join(invalid.errors)) from None
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        if options["verbosity"] > 0:
            prefix = "Dry run, nothing written: " if dry_run else "Seeds: "
            self.stdout.write(self.style.SUCCESS(prefix + report.summary()))
