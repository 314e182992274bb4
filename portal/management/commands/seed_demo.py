from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.demo.loader import DEMO_ACCOUNTS, load_demo_content


class DryRun(Exception):
    """Raised to roll back a --dry-run after its report is made."""


class Command(BaseCommand):
    help = (
        "Load the myositis demo content: topics, curated literature and the "
        "reviewed overview article. With DEBUG on it also creates demo accounts "
        "(an editor, a board member and an administrator). Only what is missing "
        "is created: rows that exist (an editor's draft of the demo article, a "
        "changed password) are kept as they are, so it is safe to run again. "
        "--reset brings the demo content back to its original text instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Load the content only, without demo accounts.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                "Overwrite existing demo rows with the demo's values and approve "
                "the demo article's text again, replacing editors' changes. Asks "
                "for confirmation unless --no-input is given."
            ),
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation (for --reset in scripts).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be created or reset, and change nothing.",
        )

    def handle(
        self,
        *args,
        no_accounts=False,
        reset=False,
        interactive=True,
        dry_run=False,
        verbosity=1,
        **options,
    ):
        with_accounts = not no_accounts
        if with_accounts and not settings.DEBUG:
            with_accounts = False
            self.stderr.write(
                "DEBUG is off: refusing to create demo accounts, whose passwords "
                "are public. Loading the content only."
            )
        if reset and interactive and not dry_run:
            answer = input(
                "--reset overwrites the demo topics, literature, glossary and "
                "article (editors' changes to them included) with the demo "
                "content. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Reset cancelled: nothing was changed.")
        if verbosity >= 2:
            self.stdout.write("Loading the demo content…")
        try:
            with transaction.atomic():
                report = load_demo_content(with_accounts=with_accounts, reset=reset)
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        if verbosity >= 2:
            for label in report.created:
                self.stdout.write(f"  created {label}")
            for label in report.updated:
                self.stdout.write(f"  reset {label}")
        done = "Dry run, nothing saved" if dry_run else "Demo content loaded"
        self.stdout.write(
            self.style.SUCCESS(
                f"{done}: {len(report.created)} created, "
                f"{len(report.updated)} reset, kept {report.kept} existing rows."
            )
        )
        if report.accounts and verbosity >= 1:
            self.stdout.write(
                "Demo accounts (development only), log in at /editorial/ "
                "(passwords as created; existing accounts are kept as they are):"
            )
            for account in DEMO_ACCOUNTS:
                self.stdout.write(
                    f"  {account['username']:<8} password: {account['password']}"
                )
