"""Choose which facet values get their facet counts kept ahead, and count them.

A page narrowed to one region, person, collection, language or original archive with tens of
thousands of documents would otherwise count all of them for its facets on every cold
request. The values with at least ARCHIVE_PRECOUNT_MIN_DOCUMENTS published documents are
precounted (a trigger then keeps their counts exact on every write); those that fell below
half of it stop being. Imports of more than a few thousand documents do this by themselves;
run it after other large changes, or with --min-documents to try another line. PostgreSQL only
(SQLite counts with joins).
"""

from django.core.management.base import BaseCommand

from documents.services import facet_scopes_refresh


class Command(BaseCommand):
    help = "Precount the facets of the heaviest facet values (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-documents",
            type=int,
            help="Precount values with at least this many documents "
            "(default: the ARCHIVE_PRECOUNT_MIN_DOCUMENTS setting).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change; change nothing."
        )

    def handle(self, *args, min_documents, dry_run, **options):
        changes = facet_scopes_refresh(min_documents=min_documents, dry_run=dry_run)
        messages = (
            ("would be precounted" if dry_run else "precounted", changes.added),
            (
                "would no longer be precounted" if dry_run else "no longer precounted",
                changes.removed,
            ),
        )
        for what, scopes in messages:
            self.stdout.write(f"{len(scopes)} facet value(s) {what}")
            if options["verbosity"] > 1:
                for scope in scopes:
                    self.stdout.write(f"  {scope}")
        self.stdout.write(self.style.SUCCESS("Dry run: nothing changed." if dry_run else "Done."))
