"""Choose which words get their search postings kept ahead, and write them.

A search for a word in a fifth of a million-document archive would otherwise rank all of its
matches from their search vectors on every cold request, most of a second. The words (English
stems) in at least ARCHIVE_SEARCH_WORD_MIN_SHARE of a sample of the published documents get
postings (a trigger then keeps them exact on every write); those that fell below half of it
stop having them. Only archives large enough for facet columns keep any, as only those read
them. Imports of more than a few thousand documents do this by themselves; run it after other
large changes, or with --min-share to try another line. PostgreSQL only.
"""

from django.core.management.base import BaseCommand

from documents.services import search_words_refresh


class Command(BaseCommand):
    help = "Keep search postings for the commonest words (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-share",
            type=float,
            help="Keep postings for words in at least this share of the documents "
            "(default: the ARCHIVE_SEARCH_WORD_MIN_SHARE setting).",
        )
        parser.add_argument(
            "--min-documents",
            type=int,
            help="Only in archives of at least this many published documents "
            "(default: the ARCHIVE_FACET_COLUMNS_MIN_DOCUMENTS setting).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change; change nothing."
        )

    def handle(self, *args, min_share, min_documents, dry_run, **options):
        changes = search_words_refresh(
            min_share=min_share, min_documents=min_documents, dry_run=dry_run
        )
        messages = (
            ("would get postings" if dry_run else "got postings", changes.added),
            ("would lose their postings" if dry_run else "lost their postings", changes.removed),
        )
        for what, words in messages:
            self.stdout.write(f"{len(words)} word(s) {what}")
            if options["verbosity"] > 1:
                for word in words:
                    self.stdout.write(f"  {word}")
        self.stdout.write(self.style.SUCCESS("Dry run: nothing changed." if dry_run else "Done."))
