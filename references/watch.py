"""The literature watch: ask Crossref and PubMed what became of each reference.

For every reference with a DOI, Crossref's record of the work (its
``updated-by``) and the notices that name it in their ``update-to``; for every
reference with a PMID, PubMed's record (``CommentsCorrections`` such as
``RetractionIn``, and the publication type "Retracted Publication"). What they
report goes through ``notices.record_notices``, which records each notice once.

The library is watched a batch at a time: each batch's notices are recorded
(and committed) before the next is asked about, so memory stays flat, a run
killed half-way keeps what it found, and a run started again records nothing
twice. All requests share one HTTP session; a service whose circuit breaker
opens (``sources.http.CircuitBreaker``) is asked nothing more this run.
"""

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from . import notices
from .models import Reference
from .sources import NotFound, SourceError, crossref, http, pubmed

# References per batch: PubMed's efetch takes this many PMIDs in one request.
BATCH = pubmed.BATCH
# Seconds a service has to answer one request of the watch: both answer in
# well under one when up, and a service that is down (its breaker opening
# after 10 seconds of failures) then stops a run within 30 seconds.
TIMEOUT = 6


@dataclass
class WatchResult:
    checked: int = 0
    reported: int = 0
    recorded: notices.NoticeResult = field(default_factory=notices.NoticeResult)
    errors: list[str] = field(default_factory=list)
    # Services whose breaker opened: the run stopped asking them.
    down: list[str] = field(default_factory=list)


def _merge(total: notices.NoticeResult, part: notices.NoticeResult) -> None:
    total.new += part.new
    total.updated += part.updated
    total.known += part.known
    total.unmatched += part.unmatched


class _Watch:
    def __init__(self, session, result, report):
        self.session = session
        self.result = result
        self.report = report

    def fail(self, service: str, message: str, exc: SourceError) -> None:
        self.result.errors.append(message)
        if isinstance(exc, http.ServiceDown) and service not in self.result.down:
            self.result.down.append(service)
        if self.report:
            self.report(message)

    def ask(self, service: str, where: str, call):
        """``call()``'s answer, or None when the service fails (reported)."""
        if service in self.result.down:
            return None
        try:
            return call()
        except NotFound:
            return None
        except SourceError as exc:
            message = _("%(where)s: %(error)s") % {"where": where, "error": exc}
            self.fail(service, message, exc)
            return None

    def batch(self, references) -> list:
        found = []
        dois = [r.doi for r in references if r.doi]
        pmids = [r.pmid for r in references if r.pmid]
        works = (
            self.ask(
                crossref.SERVICE,
                _("Crossref, works"),
                lambda: crossref.fetch_works(dois, session=self.session),
            )
            if dois
            else None
        )
        for doi, work in (works or {}).items():
            found += [n for n in work.notices if n.target_doi == doi]
        if dois:
            found += (
                self.ask(
                    crossref.SERVICE,
                    _("Crossref, notices"),
                    lambda: crossref.notices_updating(dois, session=self.session),
                )
                or []
            )
        if pmids:
            works = self.ask(
                pubmed.SERVICE,
                _("PubMed"),
                lambda: pubmed.fetch(pmids, session=self.session),
            )
            for work in (works or {}).values():
                found += work.notices
        return found


def watch(
    references: Iterable,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    report: Callable[[str], None] | None = None,
    timeout: float | None = None,
    retries: int | None = None,
    session: http.Session | None = None,
) -> WatchResult:
    """Check ``references`` (in the order given) and record the notices found.

    A service that fails is noted in ``errors`` (and passed to ``report`` as
    it happens) and the watch goes on with the others; one that is down
    (its breaker open) is asked nothing more and named in ``down``. Each
    batch's notices are recorded before the next batch is asked about.
    ``progress`` is called with the number of references checked so far.
    """
    result = WatchResult()
    own_session = session is None
    if own_session:
        session = http.Session(
            timeout=TIMEOUT if timeout is None else timeout, retries=retries
        )
    run = _Watch(session, result, report)
    try:
        iterator = iter(references)
        while batch := list(itertools.islice(iterator, BATCH)):
            failures = len(result.errors)
            found = run.batch(batch)
            result.checked += len(batch)
            result.reported += len(found)
            if found:
                _merge(
                    result.recorded,
                    notices.record_notices(
                        found, comment=_("Literature watch"), dry_run=dry_run
                    ),
                )
            if not dry_run and len(result.errors) == failures:
                # Every service answered about this batch: a run started
                # again after a stop need not ask about it (``watched_at``).
                Reference.objects.filter(pk__in=[r.pk for r in batch]).update(
                    watched_at=timezone.now()
                )
            if progress:
                progress(result.checked)
            if {crossref.SERVICE, pubmed.SERVICE} <= set(result.down):
                break
    finally:
        if own_session:
            session.close()
    return result
