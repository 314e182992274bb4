from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from references import import_jobs, importing
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
        parser.add_argument("file", nargs="?", help="The file to import (UTF-8).")
        parser.add_argument(
            "--topic",
            help="Slug of the topic whose curation inbox receives them.",
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            help=(
                "The largest file to read, in bytes (default: the "
                "REFERENCES_IMPORT_MAX_BYTES setting, which the screens keep to)."
            ),
        )
        parser.add_argument(
            "--job",
            help=(
                "Run an import the editorial screens saved to run in the "
                "background (started by them; see references/import_jobs.py)."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would happen; write nothing.",
        )

    def handle(self, *args, **options):
        if options["job"]:
            return self._run_job(options["job"], options["verbosity"])
        if not options["file"] or not options["topic"]:
            raise CommandError("Give the file to import and --topic.")
        path = Path(options["file"])
        limit = options["max_bytes"] or importing.max_upload_bytes()
        try:
            size = path.stat().st_size
            if size > limit:
                raise CommandError(
                    f"{path.name} is {filesizeformat(size)}; the limit is "
                    f"{filesizeformat(limit)} ({limit} bytes, the "
                    "REFERENCES_IMPORT_MAX_BYTES setting). Split the file, or "
                    "give --max-bytes (or raise the setting) to import it whole."
                )
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        topic = Topic.objects.filter(slug=options["topic"]).first()
        if topic is None:
            raise CommandError(f"There is no topic with the slug {options['topic']!r}.")
        verbosity = options["verbosity"]
        try:
            parsed = importing.read_file(data, filename=path.name, max_bytes=limit)
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

    def _run_job(self, job_id, verbosity):
        def progress(done, count):
            if verbosity >= 1:
                self.stdout.write(f"  {done} of {count} records written…")

        try:
            final = import_jobs.run(job_id, progress=progress)
        except import_jobs.AlreadyRunning:
            raise CommandError(
                f"Import job {job_id} is being run by another process "
                "(or has just finished); this one imported nothing."
            ) from None
        except (LookupError, OSError):
            raise CommandError(f"There is no import job {job_id!r}.") from None
        if final["state"] != import_jobs.DONE:
            raise CommandError("\n".join(final["messages"]))
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {final['done']} references (job {job_id})."
                )
            )

    def _import(self, parsed, topic, dry_run, verbosity, filename):
        def progress(done, count):
            # A line per batch, only when there are several batches.
            if verbosity >= 1 and count > importing.BATCH_SIZE:
                self.stdout.write(f"  {done} of {count} records written…")

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
