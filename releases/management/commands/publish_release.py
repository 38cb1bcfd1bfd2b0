"""Publish the whole archive as a data release, for researchers who want all of it.

Writes every published document, in the batch format (gzipped JSON Lines that
`import_documents` reads as it is), to ARCHIVE_RELEASES_DIR with its SHA-256 and a changelog
of what was added, changed and withdrawn since the previous release; `/data/` lists it for
download. Run it on a schedule (cron, or the compose file's `releases` service): a run that
finds nothing changed since the last release writes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from releases.services import ReleaseRefused, release_publish


class Command(BaseCommand):
    help = "Publish a dated, numbered release of every published document (/data/)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what the release would hold and how it differs; write nothing.",
        )

    def handle(self, *args, dry_run: bool, **options):
        try:
            plan = release_publish(dry_run=dry_run)
        except ReleaseRefused as exc:
            raise CommandError(f"No release published: {exc}.") from None
        since = f" since release {plan.previous.number}" if plan.previous else ""
        changes = (
            f"{plan.document_count} document(s); {len(plan.added)} added, "
            f"{len(plan.changed)} changed, {len(plan.withdrawn)} withdrawn{since}"
        )
        if plan.unchanged:
            self.stdout.write(f"Nothing changed{since}: no release written.")
        elif dry_run:
            self.stdout.write(f"Dry run: release {plan.number} would hold {changes}.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Release {plan.number} published as {plan.file_name}: {changes}."
                )
            )
