from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from references import notices, retractionwatch


class Command(BaseCommand):
    help = (
        "Read the Retraction Watch database (the CSV Crossref publishes) and "
        "record a notice for every reference in the library whose DOI or PMID "
        "it lists. One pass over the file; notices already recorded are not "
        "recorded again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The Retraction Watch CSV file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be recorded without writing anything.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        verbosity = options["verbosity"]

        def progress(rows):
            if verbosity >= 1:
                self.stdout.write(f"  {rows} rows read…")

        try:
            with path.open("rb") as binary:
                read = retractionwatch.read(binary, progress=progress)
        except retractionwatch.RetractionWatchError as exc:
            raise CommandError(str(exc)) from None
        result = notices.record_notices(
            read.notices,
            comment=_("Imported from the Retraction Watch database (%(file)s)")
            % {"file": path.name},
            dry_run=options["dry_run"],
        )
        if verbosity >= 2:
            for notice in result.new:
                self.stdout.write(f"  new: {notice.badge}: “{notice.reference.title}”")
        if verbosity >= 1:
            verb = "would be recorded" if options["dry_run"] else "recorded"
            self.stdout.write(
                self.style.SUCCESS(
                    f"Read {read.rows} rows: {len(read.notices)} about references in "
                    f"the library; {len(result.new)} new notices {verb}, "
                    f"{len(result.updated)} completed, {result.known} already known."
                )
            )
