from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import date_format

from references import surveillance
from references.models import SavedSearch, Topic
from references.sources import http


class Command(BaseCommand):
    help = (
        "Run every active saved search for the papers PubMed (or Crossref) "
        "added since its last successful run, and put the new ones into its "
        "topic's curation inbox; papers already in the library or dismissed "
        "before are skipped. Each search is one transaction: one whose service "
        "fails writes nothing and keeps its last successful date. Run it daily "
        "or weekly from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--topic", help="Only the searches of this topic (slug).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Ask the services and say what would be added, writing nothing.",
        )

    def handle(self, *args, **options):
        searches = SavedSearch.objects.active().select_related("topic")
        if options["topic"]:
            topic = Topic.objects.filter(slug=options["topic"]).first()
            if topic is None:
                raise CommandError(
                    f"There is no topic with the slug {options['topic']!r}."
                )
            searches = searches.filter(topic=topic)
        verbosity, dry_run = options["verbosity"], options["dry_run"]
        failed = 0

        def progress(done, total):
            if verbosity >= 2:
                self.stdout.write(f"  {done} of {total} read")

        # One HTTP client for the run: its breaker stops asking a service
        # that is down, and the searches after it say so at once.
        with http.Session() as session:
            for search in searches.order_by("topic__title", "label"):
                failed += not self.run(search, session, progress, verbosity, dry_run)
        if failed:
            raise CommandError(
                f"{failed} searches failed and keep their dates; the others ran. "
                "Run again later."
            )

    def run(self, search, session, progress, verbosity, dry_run) -> bool:
        """Run one search and say what it did; whether it succeeded."""
        if verbosity >= 1:
            since = date_format(search.window_start, "j F Y")
            self.stdout.write(
                f"{search.topic.title}: “{search.label}” "
                f"({search.get_service_display()}), papers added since {since}…"
            )
        result = surveillance.run_search(
            search, dry_run=dry_run, progress=progress, session=session
        )
        if not result.ok:
            kept = (
                date_format(search.last_success_on, "j F Y")
                if search.last_success_on
                else "never"
            )
            self.stderr.write(
                self.style.WARNING(
                    f"  {search.label}: {result.error} Nothing was written; "
                    f"last successful run still: {kept}."
                )
            )
            return False
        for problem in result.refused:
            self.stderr.write(self.style.WARNING(f"  refused: {problem}"))
        if verbosity >= 2:
            for reference in result.added:
                self.stdout.write(f"  new: {reference.title}")
        if verbosity >= 1:
            verb = "would be added" if dry_run else "added"
            self.stdout.write(
                self.style.SUCCESS(
                    f"  {result.found} found, {len(result.added)} new {verb}, "
                    f"{result.known} already in the library, "
                    f"{result.dismissed} dismissed before."
                )
            )
        return True
