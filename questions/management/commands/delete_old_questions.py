"""Delete readers' questions older than PORTAL_QUESTION_RETENTION_DAYS."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from questions import services


class Command(BaseCommand):
    help = (
        "Delete every reader's question asked more than "
        "PORTAL_QUESTION_RETENTION_DAYS days ago (and groups left empty). Run "
        "daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be deleted; delete nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        days = settings.PORTAL_QUESTION_RETENTION_DAYS
        with transaction.atomic():
            questions, groups = services.delete_expired()
            if dry_run:
                transaction.set_rollback(True)
        verb = "Would delete" if dry_run else "Deleted"
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{verb} {questions} question(s) and {groups} group(s) "
                f"older than {days} days."
            )
