"""The literature watch: ask Crossref and PubMed what became of each reference.

For every reference with a DOI, Crossref's record of the work (its
``updated-by``) and the notices that name it in their ``update-to``; for every
reference with a PMID, PubMed's record (``CommentsCorrections`` such as
``RetractionIn``, and the publication type "Retracted Publication"). What they
report goes through ``notices.record_notices``, which records each notice once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import notices
from .sources import NotFound, SourceError, crossref, pubmed


@dataclass
class WatchResult:
    checked: int = 0
    reported: int = 0
    recorded: notices.NoticeResult = field(default_factory=notices.NoticeResult)
    errors: list[str] = field(default_factory=list)


def watch(
    references,
    *,
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    timeout: float | None = None,
    retries: int | None = None,
) -> WatchResult:
    """Check ``references`` (in the order given) and record the notices found.

    A service that fails is noted in ``errors`` and the watch goes on with
    the others; what was found is recorded either way. ``progress`` is
    called with (step, done, total).
    """
    references = list(references)
    dois = [r.doi for r in references if r.doi]
    pmids = [r.pmid for r in references if r.pmid]
    result = WatchResult(checked=len(references))
    found = []
    for done, doi in enumerate(dois, start=1):
        try:
            work = crossref.fetch_work(doi, timeout=timeout, retries=retries)
        except NotFound:
            pass
        except SourceError as exc:
            result.errors.append(
                _("Crossref, DOI %(doi)s: %(error)s") % {"doi": doi, "error": exc}
            )
        else:
            found += [n for n in work.notices if n.target_doi == doi]
        if progress:
            progress("Crossref", done, len(dois))
    try:
        found += crossref.notices_updating(dois, timeout=timeout, retries=retries)
    except SourceError as exc:
        result.errors.append(_("Crossref, notices: %(error)s") % {"error": exc})
    for start in range(0, len(pmids), pubmed.BATCH):
        batch = pmids[start : start + pubmed.BATCH]
        try:
            works = pubmed.fetch(batch, timeout=timeout, retries=retries)
        except SourceError as exc:
            result.errors.append(_("PubMed: %(error)s") % {"error": exc})
        else:
            for work in works.values():
                found += work.notices
        if progress:
            progress("PubMed", start + len(batch), len(pmids))
    result.reported = len(found)
    result.recorded = notices.record_notices(
        found, comment=_("Literature watch"), dry_run=dry_run
    )
    return result
