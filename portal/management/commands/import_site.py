from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, import_site


class Command(BaseCommand):
    help = (
        "Load a file written by export_site into this (freshly migrated, empty) "
        "database, in one transaction: all of it or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Import into a database that already holds content, "
            "overwriting rows with the same keys.",
        )

    def handle(self, *args, file, force=False, **options):
        try:
            with open(file, encoding="utf-8") as stream:
                count = import_site(stream=stream, force=force)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {count} rows from {file}."))
