from django.core.management.base import BaseCommand

from portal.search import indexing


class Command(BaseCommand):
    help = (
        "Recreate the search index from the approved articles and all "
        "references. Saves keep the index current; run this after loading "
        "data in bulk (bulk inserts skip the save hooks) or after an upgrade."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database="default", **options):
        count = indexing.rebuild(using=database)
        self.stdout.write(
            self.style.SUCCESS(f"Search index rebuilt: {count} documents.")
        )
