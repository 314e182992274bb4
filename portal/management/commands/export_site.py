import sys

from django.core.management.base import BaseCommand

from portal.backup import export_site


class Command(BaseCommand):
    help = (
        "Write every article, reference, user and group, with the full version "
        "history, to one JSON file (import it with import_site)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup ('-' for stdout).")

    def handle(self, *args, file, **options):
        if file == "-":
            # Not self.stdout: it would end every write() with a newline.
            export_site(stream=sys.stdout)
            return
        with open(file, "w", encoding="utf-8") as stream:
            count = export_site(stream=stream)
        self.stderr.write(self.style.SUCCESS(f"Exported {count} rows to {file}."))
