from django.core.management.base import BaseCommand

from portal import planner


class Command(BaseCommand):
    help = (
        "Refresh the database's query-planner statistics (ANALYZE). SQLite "
        "gathers none by itself: run this daily from cron. Imports of many "
        "references refresh them too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database="default", **options):
        planner.refresh_statistics(using=database)
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS("Planner statistics refreshed."))
