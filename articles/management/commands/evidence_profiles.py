"""Print articles' evidence profiles, or work them out again."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles import evidence_profile, services
from articles.models import Article
from articles.templatetags.evidence_profile import statement_name


class Command(BaseCommand):
    help = (
        "Print the evidence profile of each article (or of those named by slug): "
        "how many of its citations a reader can check, its references by kind, "
        "and the statements and recommendations resting on nothing checkable. "
        "With --refresh, work the stored profiles out again from the references "
        "as they are now (texts saved before profiles existed have none)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Only these articles.")
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Work out and store the profile of each working text again.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="With --refresh: print the new profiles, store nothing.",
        )

    def handle(self, *args, slugs, refresh, dry_run, verbosity, **options):
        articles = Article.objects.select_related("live").order_by("title")
        if slugs:
            articles = articles.filter(slug__in=slugs)
            missing = set(slugs) - {a.slug for a in articles}
            if missing:
                raise CommandError(f"No article with the slug {sorted(missing)!r}.")
        with transaction.atomic():
            for article in articles:
                if refresh:
                    services.refresh_evidence_profile(article=article)
                if verbosity >= 1:
                    self._print(article)
            if dry_run:
                transaction.set_rollback(True)
        if refresh and verbosity >= 1:
            done = "Would refresh" if dry_run else "Refreshed"
            self.stdout.write(f"{done} {len(articles)} profile(s).")

    def _print(self, article):
        self.stdout.write(
            f"{article.title} ({article.slug}), version {article.version}"
        )
        live = article.live.evidence_profile if article.live_id else None
        rows = evidence_profile.comparison(article.evidence_profile, live)
        if not rows:
            self.stdout.write("  no profile yet: run with --refresh")
            return
        for row in rows:
            before = "" if row["live"] is None else f"{row['live']} → "
            self.stdout.write(f"  {row['label']}: {before}{row['now']}")
        profile = article.evidence_profile
        for box in profile["unsupported"]:
            self.stdout.write(f"  ! {statement_name(box)}: {box['text']}")
        for statement in profile["weak_statements"]:
            self.stdout.write(f"  - {statement_name(statement)}: {statement['text']}")
