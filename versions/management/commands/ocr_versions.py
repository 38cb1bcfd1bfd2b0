"""Make the pages of the original scans: each page's image for IIIF and its text by OCR.

Reading a page takes seconds (Tesseract), far too long for a request or an import's
transaction, so imports and the admin only store a scan; this command, run by cron or as the
`pages` service of docker-compose.yml (`--follow`), does the rest afterwards. It resumes where
a killed run stopped; `--document ID` reads one record's pages again (archivists'
corrections are kept); `--redraw` only draws again the page images a restored archive lacks;
`--dry-run` says what waits and does nothing.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from versions.models import DocumentVersion, PageState, VersionPage
from versions.pages import (
    document_pages_again,
    pages_redraw_missing,
    pages_work,
    pending_pages,
    versions_without_pages,
)


class Command(BaseCommand):
    help = "Draw and read (OCR) the pages of the original scans that wait for it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--document", metavar="ID", help="Read this record's pages again (and only them)."
        )
        parser.add_argument("--follow", action="store_true", help="Keep going, waiting for work.")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds between looks (--follow)."
        )
        parser.add_argument("--limit", type=int, help="Read at most this many pages a pass.")
        parser.add_argument("--dry-run", action="store_true", help="Say what waits; do nothing.")
        parser.add_argument(
            "--redraw",
            action="store_true",
            help="Only draw again the images of ready pages that have lost theirs (after a "
            "restore); their text is kept.",
        )

    def handle(self, *args, document=None, follow=False, interval=5.0, limit=None, **options):
        document_id = None
        if document:
            found = (
                DocumentVersion.objects.filter(document__identifier=document)
                .values_list("document_id", flat=True)
                .first()
            )
            if found is None:
                raise CommandError(f"No record {document} with a version.")
            document_id = found
        if options["dry_run"]:
            scans = versions_without_pages()
            pages = pending_pages()
            if document_id is not None:
                scans = scans.filter(document_id=document_id)
                pages = pages.filter(version__document_id=document_id)
            failed = VersionPage.objects.filter(state=PageState.FAILED).count()
            self.stdout.write(
                f"{scans.count()} scan(s) wait for their pages, {pages.count()} page(s) to "
                f"read, {failed} failed; nothing was done (dry run)."
            )
            return
        if options["redraw"]:
            drawn = pages_redraw_missing(document_id=document_id)
            self.stdout.write(self.style.SUCCESS(f"Drew the images of {drawn} page(s) again."))
            return
        if document_id is not None:
            waiting = document_pages_again(document_id=document_id)
            self.stdout.write(f"{waiting} page(s) of {document} will be read again.")
        while True:
            work = pages_work(document_id=document_id, limit=limit)
            for message in work.versions_failed + work.pages_failed:
                self.stderr.write(self.style.ERROR(message))
            if work.pages_done or work.pages_failed or work.versions_prepared or not follow:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Pages made for {work.versions_prepared} scan(s); {work.pages_done} "
                        f"page(s) read, {len(work.pages_failed)} failed."
                    )
                )
            if not follow:
                return
            if not (work.pages_done or work.pages_failed):
                time.sleep(interval)
