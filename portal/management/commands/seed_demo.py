from django.conf import settings
from django.core.management.base import BaseCommand

from portal.demo.loader import DEMO_ACCOUNTS, load_demo_content


class Command(BaseCommand):
    help = (
        "Load the myositis demo content: topics, curated literature and the "
        "reviewed overview article. With DEBUG on it also creates demo accounts "
        "(an editor, a board member and an administrator). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Load the content only, without demo accounts.",
        )

    def handle(self, *args, no_accounts=False, verbosity=1, **options):
        with_accounts = not no_accounts
        if with_accounts and not settings.DEBUG:
            with_accounts = False
            self.stderr.write(
                "DEBUG is off: refusing to create demo accounts, whose passwords "
                "are public. Loading the content only."
            )
        report = load_demo_content(with_accounts=with_accounts)
        if verbosity >= 2:
            for label in report.created:
                self.stdout.write(f"  created {label}")
            for label in report.updated:
                self.stdout.write(f"  updated {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content loaded: {len(report.created)} created, "
                f"{len(report.updated)} updated."
            )
        )
        if report.accounts and verbosity >= 1:
            self.stdout.write(
                "Demo accounts (development only), log in at /editorial/:"
            )
            for account in DEMO_ACCOUNTS:
                self.stdout.write(
                    f"  {account['username']:<8} password: {account['password']}"
                )
