from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from references import linkcheck
from references.models import Reference, Topic


class Command(BaseCommand):
    help = (
        "Check every reference URL (or a topic's) and record whether it works. A "
        "link is marked expired only after several checks in a row find it gone "
        "(404, 410 or an unknown host); a timeout never expires it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--topic", help="Only check the references of this topic.")
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.REFERENCES_LINKCHECK_WORKERS,
            help="How many links to check at once (default: %(default)s).",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=settings.REFERENCES_LINKCHECK_TIMEOUT,
            help="Seconds to wait for each answer (default: %(default)s).",
        )
        parser.add_argument(
            "--retries",
            type=int,
            default=settings.REFERENCES_LINKCHECK_RETRIES,
            help="Retries after a timeout or server error (default: %(default)s).",
        )

    def handle(self, *args, **options):
        references = Reference.objects.all()
        if options["topic"]:
            topic = Topic.objects.filter(slug=options["topic"]).first()
            if topic is None:
                raise CommandError(
                    f"There is no topic with the slug {options['topic']!r}."
                )
            references = references.in_topic(topic)
        if options["workers"] < 1 or options["timeout"] <= 0 or options["retries"] < 0:
            raise CommandError(
                "--workers and --timeout must be positive, --retries ≥ 0."
            )
        verbosity = options["verbosity"]

        def progress(done, total):
            step = max(1, total // 10)
            if verbosity >= 1 and total >= 20 and (done % step == 0 or done == total):
                self.stdout.write(f"  {done} of {total} links checked…")

        summary = linkcheck.check_links(
            references,
            workers=options["workers"],
            timeout=options["timeout"],
            retries=options["retries"],
            progress=progress,
        )
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Checked {summary.checked} links: {summary.ok} working, "
                    f"{summary.gone} gone ({summary.expired} newly expired), "
                    f"{summary.unclear} without a clear answer."
                )
            )
