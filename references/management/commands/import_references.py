from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from references import importing
from references.models import Topic


class DryRun(Exception):
    """Raised inside the import's transaction to roll it back."""


class Command(BaseCommand):
    help = (
        "Import references from an RIS, BibTeX, PubMed/MEDLINE (.nbib) or CSL-JSON "
        "file into a topic's curation inbox, where editors place each reference "
        "in a section; until then readers do not see them. Duplicates are "
        "skipped; a record that cannot be imported is left out and named with "
        "its line and reason. A file that cannot be read is refused whole and "
        "nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import (UTF-8).")
        parser.add_argument(
            "--topic",
            required=True,
            help="Slug of the topic whose curation inbox receives them.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would happen; write nothing.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        topic = Topic.objects.filter(slug=options["topic"]).first()
        if topic is None:
            raise CommandError(f"There is no topic with the slug {options['topic']!r}.")
        verbosity = options["verbosity"]
        try:
            parsed = importing.read_file(data, filename=path.name)
            if verbosity >= 1:
                self.stdout.write(
                    f"Read {len(parsed.records)} records from {path.name} "
                    f"({parsed.format_label})."
                )
            result = self._import(
                parsed, topic, options["dry_run"], verbosity, path.name
            )
        except importing.ImportRejected as exc:
            raise CommandError("\n".join(exc.messages)) from None
        if verbosity >= 1:
            for skipped in result.skipped:
                self.stdout.write(f"Skipped {skipped.record.where}: {skipped.reason}")
            for problem in result.problems:
                self.stdout.write(self.style.WARNING(f"Not imported: {problem}"))
            verb = "Would import" if options["dry_run"] else "Imported"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{verb} {result.created} references into the curation inbox "
                    f"of “{result.topic}”; "
                    f"skipped {len(result.skipped)} duplicates; "
                    f"{len(result.problems)} records could not be imported."
                )
            )

    def _import(self, parsed, topic, dry_run, verbosity, filename):
        def progress(done, count):
            # A line per batch, only when there are several batches.
            if verbosity >= 1 and count > importing.BATCH_SIZE:
                self.stdout.write(f"  {done} of {count} references written…")

        result = None
        try:
            with transaction.atomic():
                result = importing.import_records(
                    records=parsed.records,
                    topic=topic,
                    user=None,
                    comment=f"Imported from {filename} with import_references",
                    progress=progress,
                    filename=filename,
                )
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        return result
