from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from references import linkcheck
from references.models import Reference, Topic


class Command(BaseCommand):
    help = (
        "Check every reference URL (or a topic's) and record whether it works. A "
        "link is marked expired only after several checks in a row find it gone "
        "(404, 410 or an unknown host); a timeout never expires it. Results "
        "are written 500 references at a time, stalest check first."
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
        parser.add_argument(
            "--skip-checked-within",
            type=float,
            default=20,
            metavar="HOURS",
            help=(
                "Leave links checked this many hours ago or less (default: "
                "%(default)s): a run started again after being stopped goes on "
                "where it stopped. 0 checks every link."
            ),
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
        if (
            options["workers"] < 1
            or options["timeout"] <= 0
            or options["retries"] < 0
            or options["skip_checked_within"] < 0
        ):
            raise CommandError(
                "--workers and --timeout must be positive, --retries and "
                "--skip-checked-within ≥ 0."
            )
        verbosity = options["verbosity"]

        tenths = []

        def progress(done, total):
            # A line a batch with -v 2, else a line each tenth of the way.
            tenth = done * 10 // max(total, 1)
            if verbosity >= 2 or (
                verbosity >= 1 and total >= 20 and tenth not in tenths
            ):
                tenths.append(tenth)
                self.stdout.write(f"  {done} of {total} links checked…")

        hours = options["skip_checked_within"]
        summary = linkcheck.check_links(
            references,
            workers=options["workers"],
            timeout=options["timeout"],
            retries=options["retries"],
            checked_before=timezone.now() - timedelta(hours=hours) if hours else None,
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
