"""Keep the search index following the database.

The index is derived data: writes record what they touched in the outbox, and this applies
it. By default the web process does that itself after each commit; in production it runs
here, `--follow`, as a service of its own. `--rebuild` makes the index again from the
database alone (after a restore, a schema change, or a damaged index), reporting progress;
readers keep the old index until the new one is whole. One writer at a time: a second one
waits for the first, saying so.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from search import index as search_index
from search.health import index_status
from search.indexing import apply_outbox, pending_entries, rebuild


class Command(BaseCommand):
    help = "Apply the search index's outbox, follow it, or rebuild the index."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="Index every published document again."
        )
        parser.add_argument(
            "--follow", action="store_true", help="Keep applying the outbox as writes arrive."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at the outbox with --follow (default 1).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what the index would do, and change nothing.",
        )

    def handle(self, *args, rebuild: bool, follow: bool, interval: float, dry_run: bool, **kw):
        if dry_run:
            status = index_status()
            self.stdout.write(status.message)
            self.stdout.write(f"{pending_entries()} outbox entr(ies) waiting")
            return
        if rebuild:
            self._rebuild()
        if follow:
            self._follow(interval)
        elif not rebuild:
            self._apply()

    def _lock_message(self) -> None:
        try:
            with search_index.writer_lock(wait=False):
                pass
        except search_index.WriterBusy as busy:
            self.stdout.write(f"Waiting: {busy}.")

    def _rebuild(self) -> None:
        self._lock_message()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            if time.monotonic() - last[0] > 5 or done == total:
                last[0] = time.monotonic()
                self.stdout.write(f"  {done:,} of {total:,} documents")

        done = rebuild(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the index: {done.indexed:,} published documents in {done.seconds:.1f} s."
            )
        )

    def _apply(self) -> None:
        self._lock_message()
        done = apply_outbox()
        self.stdout.write(
            self.style.SUCCESS(
                f"Applied {done.entries:,} outbox entr(ies) for {done.documents:,} document(s) "
                f"in {done.seconds:.1f} s."
            )
        )

    def _follow(self, interval: float) -> None:
        self._lock_message()
        self.stdout.write(f"Following the outbox every {interval:g} s (Ctrl-C stops).")
        try:
            while True:
                try:
                    done = apply_outbox()
                except search_index.IndexUnavailable as error:
                    raise CommandError(str(error)) from None
                if done.entries:
                    self.stdout.write(
                        f"Applied {done.entries:,} entr(ies) for {done.documents:,} "
                        f"document(s) in {done.seconds:.1f} s."
                    )
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
