"""Import batches of documents from JSON Lines or CSV files, or undo an earlier import.

Staff bring new material in with this command. It checks every record of every file before
writing anything; with any error it writes nothing, lists every problem as
`FILE:LINE: field: what is wrong`, and exits non-zero. Re-importing an identifier updates that
document; a record that has not changed is left exactly as it was, and a field an archivist
edited since the last import is kept (and reported) unless --overwrite-edits is given. Every
run is recorded as an import batch (see the admin), and `--undo BATCH` reverts one. The last
line says when the search index caught up, so the public lists show the import.
"""

import getpass
import socket
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError
from tqdm import tqdm

from core.history import history_paused
from importing.importer import BatchInvalid, UndoRefused, documents_import, import_batch_undo
from importing.models import ImportBatch
from search.indexing import wait_until_indexed

# How long an import waits, after its commit, for the search index to show what it wrote.
INDEX_WAIT_SECONDS = 600


def who_ran_it() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()} (command line)"


class Command(BaseCommand):
    help = "Import .jsonl, .jsonl.gz or .csv batch files (all or nothing), or undo an import."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and count everything, then roll back: nothing is written.",
        )
        parser.add_argument(
            "--no-index-wait",
            action="store_true",
            help="End after the commit, without waiting for the search index to catch up "
            "(the lists show the import once `index_documents` has applied it).",
        )
        parser.add_argument(
            "--overwrite-edits",
            action="store_true",
            help="Replace fields an archivist edited since the last import with the batch's.",
        )
        parser.add_argument(
            "--undo",
            type=int,
            metavar="BATCH",
            help="Revert import batch number BATCH instead of importing.",
        )

    def handle(self, *args, **options):
        # An import and its undo are audited by the batch, not by edit history
        # (see core/history.py): no historical row per document, however large the batch.
        with history_paused():
            return self.import_or_undo(**options)

    def import_or_undo(
        self, *, files, dry_run, overwrite_edits, undo, verbosity, no_index_wait, **options
    ):
        if undo is not None:
            if files:
                raise CommandError("Give either files to import or --undo BATCH, not both.")
            return self.undo(undo)
        if not files:
            raise CommandError(
                "Name at least one .jsonl, .jsonl.gz or .csv file (or --undo BATCH)."
            )
        started = time.monotonic()
        try:
            report = self.run(files, dry_run, overwrite_edits, verbosity)
        except OperationalError as lost:
            raise CommandError(
                f"The database connection was lost during the import ({str(lost).strip()}): "
                "nothing was written, as the import is one transaction that did not commit. "
                "Run it again once the database is back."
            ) from None
        except OSError as failed:
            # Storing a version's file failed (a full disk, a storage that refuses): the
            # import's transaction rolled back and the files it had stored were removed.
            what = f"{failed.strerror or failed}" + (
                f": {failed.filename}" if failed.filename else ""
            )
            raise CommandError(
                f"Storing the batch's files failed ({what}): nothing was written and no file "
                "of this import was kept. Free space (or mend the storage) and run it again."
            ) from None
        except BatchInvalid as invalid:
            for warning in invalid.warnings:
                self.stderr.write(self.style.WARNING(f"warning: {warning}"))
            for error in invalid.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(invalid.errors)} error(s); nothing was written.") from None
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        for conflict in report.conflicts:
            self.stderr.write(self.style.WARNING(f"conflict: {conflict}"))
        if dry_run:
            for identifier, fields in report.changes.items():
                self.stdout.write(f"would update {identifier}: {', '.join(fields)}")
            if report.people_updated:
                self.stdout.write(f"would fill in details of {report.people_updated} people")
            self.stdout.write(self.style.NOTICE(f"Dry run, nothing written: {report.summary()}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"{report.summary()} [import #{report.batch.pk}]"))
            if not no_index_wait:
                try:
                    self.index_caught_up(started)
                except OperationalError as lost:
                    self.stdout.write(
                        self.style.WARNING(
                            f"The import is written, but the database connection was lost "
                            f"while waiting for the search index ({str(lost).strip()}): the "
                            "index follows once the database is back."
                        )
                    )

    def index_caught_up(self, started: float) -> None:
        """The import's last line: when the lists show what it wrote (the index follows the
        database after the commit, in this process or in `index_documents --follow`)."""
        waited = wait_until_indexed(timeout=INDEX_WAIT_SECONDS)
        if waited is None:
            self.stdout.write(
                self.style.WARNING(
                    f"The search index has not caught up after {INDEX_WAIT_SECONDS} s: the "
                    "lists show the previous state until `index_documents --follow` applies it."
                )
            )
            return
        self.stdout.write(
            f"The search index caught up {time.monotonic() - started:.1f} s after the import "
            "began: the lists show it."
        )

    def run(self, files, dry_run, overwrite_edits, verbosity):
        # A bar only for a person at a terminal; CI logs and --verbosity 0 stay quiet.
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, unit="doc", file=sys.stderr, desc="importing")
            bar.update(done - bar.n)

        show = verbosity > 0 and sys.stderr.isatty()
        try:
            return documents_import(
                paths=files,
                dry_run=dry_run,
                overwrite_edits=overwrite_edits,
                run_by=who_ran_it(),
                progress=progress if show else None,
            )
        finally:
            if bar is not None:
                bar.close()

    def undo(self, number: int) -> None:
        batch = ImportBatch.objects.filter(pk=number).first()
        if batch is None:
            raise CommandError(f"There is no import batch #{number}.")
        try:
            import_batch_undo(batch=batch, run_by=who_ran_it())
        except UndoRefused as refused:
            for problem in refused.problems:
                self.stderr.write(problem)
            raise CommandError(f"Import #{number} was not undone; nothing changed.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Import #{number} undone: {batch.created_count} document(s) removed, "
                f"{batch.updated_count} restored."
            )
        )
