"""Living literature: each topic's saved searches, run again and again.

A saved search (``SavedSearch``) is a PubMed query (or Crossref words) an
editor gave a topic. ``check_query`` runs one once for the form (how many
papers, the first five titles). ``run_search`` asks the service for the
papers added since the search last ran successfully and puts those that are
new into the topic's curation inbox, each with a ``Finding`` saying which
search brought it, when, and what PubMed says of it. A paper already in the
library (``references.matching``, through ``importing.preview``) or
dismissed from the topic before (``Dismissal``) is skipped.

Everything is asked of the service first and written after, in one
transaction per search: a service that fails leaves nothing written and the
search's "searched through" date as it was. ``dismiss`` is the editors' "not
relevant": the paper leaves the inbox and is remembered, never brought back.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import importing
from .matching import Matcher
from .models import Dismissal, Finding, Reference, SavedSearch
from .revisions import bulk_revision, revision
from .signals import references_changed
from .sources import SourceError, crossref, http, pubmed
from .sources.works import Work

# Titles the form's check shows.
CHECK_TITLES = 5


@dataclass
class QueryCheck:
    """What one run of a query found, for the editor to judge it by."""

    count: int
    titles: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_query(
    *, service: str, query: str, since: datetime.date, timeout=None, retries=None
) -> QueryCheck:
    """Run ``query`` once over the papers added from ``since`` to today: how
    many it finds and the first titles. Raises ``sources.SourceError`` (with
    a message for the editor) when the service cannot say."""
    today = timezone.localdate()
    if service == SavedSearch.Service.CROSSREF:
        page = crossref.search(
            query,
            since=since,
            until=today,
            rows=CHECK_TITLES,
            timeout=timeout,
            retries=retries,
        )
        return QueryCheck(count=page.total, titles=[w.record.title for w in page.works])
    found = pubmed.search(
        query,
        since=since,
        until=today,
        retmax=CHECK_TITLES,
        timeout=timeout,
        retries=retries,
    )
    works = pubmed.fetch(found.ids, timeout=timeout, retries=retries)
    return QueryCheck(
        count=found.count,
        # In PubMed's order, not the PMIDs'.
        titles=[works[pmid].record.title for pmid in found.ids if pmid in works],
        warnings=found.warnings,
    )


@transaction.atomic
def save_search(*, search: SavedSearch, user, comment: str = "") -> SavedSearch:
    """Validate and save a saved search (new or changed), one revision."""
    if search.pk is None and getattr(user, "is_authenticated", False):
        search.created_by = user
    search.full_clean()
    with revision(
        user=user,
        comment=comment
        or _("Saved the search “%(label)s” of %(topic)s")
        % {"label": search.label, "topic": search.topic.title},
    ):
        search.save()
    return search


@dataclass
class RunResult:
    """What one run of a saved search did (or, with ``dry_run``, would do)."""

    search: SavedSearch
    since: datetime.date
    until: datetime.date
    # How many papers the service said were added in the window.
    found: int = 0
    added: list[Reference] = field(default_factory=list)
    # Already in the library, or earlier in this run's answer.
    known: int = 0
    dismissed: int = 0
    # Records the library cannot take (each with why).
    refused: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


class TooMany(SourceError):
    """The search finds more papers than one run may bring."""


def _too_many(count: int, since: datetime.date) -> TooMany:
    return TooMany(
        _(
            "The search finds %(count)s papers added since %(since)s, more than "
            "the %(limit)s one run brings: narrow the query."
        )
        % {
            "count": count,
            "since": date_format(since, "j F Y"),
            "limit": settings.REFERENCES_SURVEILLANCE_MAX_RESULTS,
        }
    )


def fetch_new_works(
    search: SavedSearch,
    *,
    since: datetime.date,
    until: datetime.date,
    progress: Callable[[int, int], None] | None = None,
    timeout=None,
    retries=None,
    session: http.Session | None = None,
) -> tuple[int, list[Work]]:
    """(how many the service found, their works): everything the search
    finds added from ``since`` to ``until``, read whole before anything is
    written. Raises ``SourceError`` if the service fails at any point."""
    limit = settings.REFERENCES_SURVEILLANCE_MAX_RESULTS
    ask = {"timeout": timeout, "retries": retries, "session": session}
    window = {"since": since, "until": until}
    if search.service == SavedSearch.Service.CROSSREF:
        total = crossref.search(search.query, rows=0, **window, **ask).total
        if total > limit:
            raise _too_many(total, since)
        pages = crossref.search_all(search.query, limit=total, **window, **ask)
    else:
        found = pubmed.search(search.query, **window, **ask)
        total = found.count
        if total > limit:
            raise _too_many(total, since)
        pages = pubmed.fetch_found(found, **ask)
    works = []
    for page in pages:
        works += page
        if progress:
            progress(len(works), total)
    return total, works


def run_search(
    search: SavedSearch,
    *,
    today: datetime.date | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    timeout=None,
    retries=None,
    session: http.Session | None = None,
) -> RunResult:
    """Run ``search`` for the papers added since its last successful run and
    put the new ones into its topic's inbox, in one transaction.

    A service that fails (or an answer that cannot be read) writes nothing
    but the failure: ``last_success_on`` stays as it was and ``last_error``
    says why. ``dry_run`` asks the service and works out what would be added
    without writing anything at all. ``session``: a run's one HTTP client
    (``sources.http.Session``), whose breaker stops asking a service that
    is down.
    """
    until = today or timezone.localdate()
    result = RunResult(search=search, since=search.window_start, until=until)
    try:
        result.found, works = fetch_new_works(
            search,
            since=result.since,
            until=until,
            progress=progress,
            timeout=timeout,
            retries=retries,
            session=session,
        )
    except SourceError as exc:
        result.error = str(exc)
        if not dry_run:
            _record_failure(search, result.error)
        return result
    try:
        with transaction.atomic():
            _bring(search, works, result, dry_run=dry_run)
    except IntegrityError:
        # Someone added one of these papers meanwhile: nothing was written,
        # and the next run finds them again (and skips that one).
        result.added = []
        result.error = _("The library changed during the run; nothing was written.")
        if not dry_run:
            _record_failure(search, result.error)
    return result


def _record_failure(search: SavedSearch, error: str) -> None:
    SavedSearch.objects.filter(pk=search.pk).update(
        last_run_at=timezone.now(), last_error=error
    )
    search.last_error = error


def _bring(search: SavedSearch, works: list[Work], result: RunResult, *, dry_run):
    records = []
    for number, work in enumerate(works, start=1):
        work.record.number = number
        records.append(work.record)
    plan = importing.preview(records)
    result.known = len(plan.skipped)
    result.refused = [str(problem) for problem in plan.problems]
    dismissed = Matcher(
        Dismissal.objects.filter(topic=search.topic_id).sharing_identity(
            [reference for _record, reference in plan.new]
        )
    )
    by_number = {work.record.number: work for work in works}
    new = []
    for record, reference in plan.new:
        if dismissed.match(reference):
            result.dismissed += 1
        else:
            new.append((by_number[record.number], reference))
    now = timezone.now()
    for _work, reference in new:
        reference.inbox_topic_id = search.topic_id
    references = [reference for _work, reference in new]
    if not dry_run:
        for start in range(0, len(references), importing.BATCH_SIZE):
            Reference.objects.bulk_create(
                references[start : start + importing.BATCH_SIZE]
            )
        Finding.objects.bulk_create(
            (
                Finding(
                    search=search,
                    topic_id=search.topic_id,
                    reference=reference,
                    title=reference.title,
                    kind=reference.kind,
                    doi=reference.doi,
                    pmid=reference.pmid,
                    publication_types=work.publication_types,
                    mesh_headings=work.mesh_headings,
                    found_at=now,
                )
                for work, reference in new
            ),
            batch_size=importing.BATCH_SIZE,
        )
        if references:
            bulk_revision(
                references,
                user=None,
                comment=_("Found by the search “%(label)s” on %(date)s")
                % {"label": search.label, "date": date_format(result.until, "j F Y")},
            )
        search.last_success_on = result.until
        search.last_run_at = now
        search.last_error = ""
        search.save(update_fields=["last_success_on", "last_run_at", "last_error"])
        transaction.on_commit(
            lambda: references_changed.send(sender=Reference, references=references)
        )
    result.added = references


def run_all(
    searches: Iterable[SavedSearch] | None = None, **options
) -> list[RunResult]:
    """``run_search`` for each of ``searches`` (every active one by default),
    through one HTTP session: one failing leaves the others to run."""
    if searches is None:
        searches = SavedSearch.objects.active().select_related("topic")
    with http.Session() as session:
        return [run_search(search, session=session, **options) for search in searches]


@transaction.atomic
def dismiss(*, references: Iterable[Reference], user) -> int:
    """Dismiss inbox references as not relevant to their topic: each is
    remembered (who, when, its identifiers), its findings marked, and it
    leaves the library; the topic's searches never bring it back. Only
    references still in an inbox. Returns how many were dismissed."""
    pks = [getattr(reference, "pk", reference) for reference in references]
    doomed = list(
        Reference.objects.select_for_update()
        .in_inbox()
        .filter(pk__in=pks)
        .order_by("pk")
    )
    now = timezone.now()
    who = user if getattr(user, "is_authenticated", False) else None
    Dismissal.objects.bulk_create(
        Dismissal(
            topic_id=reference.inbox_topic_id,
            title=reference.title,
            doi=reference.doi,
            pmid=reference.pmid,
            match_key=reference.match_key,
            dismissed_by=who,
            dismissed_at=now,
        )
        for reference in doomed
    )
    Finding.objects.filter(reference__in=doomed).update(
        dismissed_at=now, dismissed_by=who
    )
    for reference in doomed:
        reference.delete()
    return len(doomed)
