from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from references import sources


class Command(BaseCommand):
    help = (
        "Look up a DOI or PMID (or a doi.org or PubMed address) at Crossref and "
        "PubMed and print the reference as it would be stored, with its abstract "
        "and any notices (retraction, correction...). Writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("identifier", help="A DOI, a PMID, or their web address.")

    def handle(self, *args, **options):
        try:
            work = sources.lookup(options["identifier"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except sources.SourceError as exc:
            raise CommandError(str(exc)) from None
        for name, value in sources.reference_values(work).items():
            if value in ("", None):
                continue
            lines = str(value).splitlines() or [""]
            self.stdout.write(f"{name + ':':<10}{lines[0]}")
            for line in lines[1:]:
                self.stdout.write(f"{'':<10}{line}")
        if work.publication_types:
            self.stdout.write(f"{'types:':<10}{'; '.join(work.publication_types)}")
        if work.abstract and options["verbosity"] >= 1:
            self.stdout.write("abstract:")
            for paragraph in work.abstract.split("\n\n"):
                self.stdout.write(f"  {paragraph}")
        for notice in work.notices:
            when = notice.date.isoformat() if notice.date else "date unknown"
            where = notice.doi or notice.pmid or notice.url
            self.stdout.write(
                self.style.WARNING(
                    f"notice:   {notice.kind} ({notice.source}, {when}) {where}"
                )
            )
