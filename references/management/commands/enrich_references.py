from django.core.management.base import BaseCommand, CommandError

from references import enrich
from references.models import Reference, Topic


class Command(BaseCommand):
    help = (
        "Fill empty fields of references (PMID from the DOI and back, journal, "
        "abstract) "
        "from Crossref and PubMed, printing every change. Never overwrites a "
        "value; all changes are one revision."
    )

    def add_arguments(self, parser):
        parser.add_argument("--topic", help="Only the references of this topic.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would change without saving anything.",
        )

    def handle(self, *args, **options):
        references = Reference.objects.exclude(doi="", pmid="").order_by("pk")
        if options["topic"]:
            topic = Topic.objects.filter(slug=options["topic"]).first()
            if topic is None:
                raise CommandError(
                    f"There is no topic with the slug {options['topic']!r}."
                )
            references = references.in_topic(topic)
        verbosity = options["verbosity"]

        def progress(step, done, total):
            if verbosity >= 2 or (verbosity >= 1 and done == total and total):
                self.stdout.write(f"  {step}: {done} of {total}")

        result = enrich.enrich(
            references, dry_run=options["dry_run"], progress=progress
        )
        for change in result.changes:
            if verbosity >= 1:
                new = " ".join(change.new.split())
                new = new if len(new) <= 70 else new[:69] + "…"
                self.stdout.write(
                    f"“{change.reference.title}” (#{change.reference.pk}): "
                    f"{change.field} → {new}"
                )
        for error in result.errors:
            self.stderr.write(self.style.WARNING(error))
        if verbosity >= 1:
            done = "Would fill" if options["dry_run"] else "Filled"
            self.stdout.write(
                self.style.SUCCESS(f"{done} {len(result.changes)} empty fields.")
            )
