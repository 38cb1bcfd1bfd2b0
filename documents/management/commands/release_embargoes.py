"""Publish the documents whose embargo has ended.

An archive holds some documents back until a day (a declassification schedule): they are
drafts with `embargo_until` set. Run this daily (cron, or the `embargoes` service in
docker-compose.yml): it publishes what is due, in one transaction, each with a historical
record that says it was released; `--dry-run` lists what it would release.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from documents.models import Document
from documents.services import documents_release_embargoes


class Command(BaseCommand):
    help = "Publish the drafts whose embargo ends today or earlier."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List them; publish none.")
        parser.add_argument(
            "--today", metavar="YYYY-MM-DD", help="Release as on this day (default: today)."
        )

    def handle(self, *args, dry_run=False, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today: '{today}' is not a day (YYYY-MM-DD)") from None
        if dry_run:
            due = list(Document.objects.embargo_over(day).values_list("identifier", flat=True))
            self.stdout.write(f"Would release {len(due)} document(s): {', '.join(due) or '-'}")
            return
        with transaction.atomic():
            released = documents_release_embargoes(today=day)
        self.stdout.write(
            self.style.SUCCESS(
                f"Released {len(released)} document(s) whose embargo ended by {day}: "
                f"{', '.join(released) or '-'}"
            )
        )
        upcoming = Document.objects.embargoed().values_list("identifier", "embargo_until")[:5]
        for identifier, until in upcoming:
            self.stdout.write(f"  next: {identifier} on {until}")
