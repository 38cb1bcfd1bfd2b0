"""E-mail researchers the newly published documents their saved searches find.

Run it on a schedule (cron, or the compose file's `alerts` service, hourly): each saved
search with alerts on gets one message listing the documents first published since its last
alert that it matches, each document once; a search that no longer works (its place or
person is gone, a filter no longer reads) is reported to its owner once instead.
"""

from django.core.management.base import BaseCommand, CommandError

from alerts.services import alerts_send


class Command(BaseCommand):
    help = "Send saved searches' alerts: the documents newly published that each matches."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be sent; send nothing and change nothing.",
        )

    def handle(self, *args, dry_run: bool, **options):
        report = alerts_send(dry_run=dry_run)
        would = "would be " if dry_run else ""
        self.stdout.write(
            f"{report.sent} alert(s) {would}sent, with {report.documents} document(s); "
            f"{report.problems} saved search(es) no longer work."
        )
        for failure in report.failed:
            self.stderr.write(f"Not sent (tried again next run): {failure}")
        if report.failed:
            raise CommandError(f"{len(report.failed)} alert(s) could not be sent.")
