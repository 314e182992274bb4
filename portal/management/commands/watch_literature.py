from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from articles.models import ApprovedCitation
from references import watch
from references.models import Reference


class Command(BaseCommand):
    help = (
        "Ask Crossref and PubMed whether any reference with a DOI or PMID was "
        "retracted, corrected or given an expression of concern, and record "
        "each new notice once (the board is emailed about it). References cited "
        "by published articles are checked first. Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be recorded without writing or emailing anything.",
        )
        parser.add_argument(
            "--skip-watched-within",
            type=float,
            default=20,
            metavar="HOURS",
            help=(
                "Leave references watched this many hours ago or less (default: "
                "%(default)s): a run started again after being stopped goes on "
                "where it stopped. 0 watches every reference."
            ),
        )

    def handle(self, *args, **options):
        # This lives in portal, which knows both apps: what published
        # articles cite goes first, so a short run covers what readers see.
        cited_live = ApprovedCitation.objects.filter(
            reference=OuterRef("pk"), version__article__live=F("version")
        )
        hours = options["skip_watched_within"]
        if hours < 0:
            raise CommandError("--skip-watched-within must be 0 or more hours.")
        due = Q()
        if hours:
            since = timezone.now() - timedelta(hours=hours)
            due = Q(watched_at__isnull=True) | Q(watched_at__lt=since)
        references = (
            Reference.objects.filter(~Q(doi="") | ~Q(pmid=""))
            .filter(due)
            .annotate(cited=Exists(cited_live))
            .order_by("-cited", "pk")
            .only("pk", "doi", "pmid")
        )
        verbosity = options["verbosity"]
        total = references.count()
        every = max(watch.BATCH, total // 10)

        def progress(done):
            if verbosity >= 2 or (
                verbosity >= 1 and (done % every < watch.BATCH or done == total)
            ):
                self.stdout.write(f"  {done} of {total} references checked…")

        def report(error):
            # As it happens: a failing service is seen during the run.
            self.stderr.write(self.style.WARNING(error))

        result = watch.watch(
            references.iterator(chunk_size=watch.BATCH),
            dry_run=options["dry_run"],
            progress=progress,
            report=report,
        )
        recorded = result.recorded
        if verbosity >= 1:
            for notice in recorded.new:
                self.stdout.write(f"  new: {notice.badge}: “{notice.reference.title}”")
            verb = "would be recorded" if options["dry_run"] else "recorded"
            self.stdout.write(
                self.style.SUCCESS(
                    f"Checked {result.checked} references: {result.reported} notices "
                    f"reported, {len(recorded.new)} new {verb}, "
                    f"{len(recorded.updated)} completed, {recorded.known} known."
                )
            )
        if result.down:
            raise CommandError(
                f"Stopped asking {' and '.join(result.down)}: down (see above). "
                f"{result.checked} of {total} references were checked and what "
                "was found is recorded. Run the watch again later."
            )
        if result.errors:
            raise CommandError(
                f"{len(result.errors)} checks failed; the rest were recorded. "
                "Run the watch again later."
            )
