"""Recording notices (retractions, corrections...) against the library.

Every source (the Crossref and PubMed watch, the Retraction Watch import, an
editor) reports notices as ``FoundNotice``; ``record_notices`` is the one rule
that matches them to references and records each notice once, however many
sources report it and however often.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import reversion
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Reference, ReferenceNotice
from .revisions import revision
from .signals import notices_recorded, references_changed
from .sources import FoundNotice

# Details a later report may add to a notice recorded without them.
DETAILS = ("date", "doi", "pmid", "url", "reason")


@dataclass
class NoticeResult:
    """What recording a batch of found notices did (or would do)."""

    new: list[ReferenceNotice] = field(default_factory=list)
    updated: list[ReferenceNotice] = field(default_factory=list)
    known: int = 0
    unmatched: int = 0


def is_same(notice: ReferenceNotice, found: FoundNotice) -> bool:
    """Whether ``found`` reports ``notice`` again (same reference and kind given).

    The notice's identifiers decide where both have one of a kind (two DOIs
    that differ are two notices); a report without a shared identifier is the
    same notice seen by another source, e.g. PubMed's "Retracted Publication"
    for the retraction Crossref named by DOI.
    """
    for name in ("doi", "pmid"):
        ours, theirs = getattr(notice, name), getattr(found, name)
        if ours and theirs:
            return ours == theirs
    return True


def _targets(found: list[FoundNotice]) -> tuple[dict, dict]:
    dois = {f.target_doi for f in found if f.target_doi}
    pmids = {f.target_pmid for f in found if f.target_pmid}
    by_doi, by_pmid = {}, {}
    if dois or pmids:
        for reference in Reference.objects.filter(
            Q(doi__in=dois) | Q(pmid__in=pmids)
        ).only("pk", "title", "doi", "pmid"):
            if reference.doi:
                by_doi[reference.doi] = reference
            if reference.pmid:
                by_pmid[reference.pmid] = reference
    return by_doi, by_pmid


@transaction.atomic
def record_notices(
    found, *, user=None, comment: str = "", dry_run: bool = False
) -> NoticeResult:
    """Record the ``found`` notices about references in the library.

    A notice already recorded (see ``is_same``) is not recorded again: details
    it lacked (a date, an identifier, the reason) are filled in. Notices about
    works not in the library are counted and dropped. Everything is one
    transaction and one revision; with ``dry_run`` nothing is written. Sends
    ``notices_recorded`` with the new notices and ``references_changed`` with
    the references whose notices changed.
    """
    found = list(found)
    by_doi, by_pmid = _targets(found)
    result = NoticeResult()
    matched = []
    for notice in found:
        reference = by_doi.get(notice.target_doi) or by_pmid.get(notice.target_pmid)
        if reference is None:
            result.unmatched += 1
        else:
            matched.append((reference, notice))
    existing = defaultdict(list)
    for notice in ReferenceNotice.objects.filter(
        reference__in={reference.pk for reference, _report in matched}
    ):
        existing[notice.reference_id, notice.kind].append(notice)
    now = timezone.now()
    for reference, report in matched:
        known = existing[reference.pk, report.kind]
        same = next((n for n in known if is_same(n, report)), None)
        if same is None:
            notice = ReferenceNotice(
                reference=reference,
                first_seen_at=now,
                **{
                    name: getattr(report, name) for name in ("kind", "source", *DETAILS)
                },
            )
            # Field checks only: ``is_same`` against the notices loaded above
            # is the duplicate check that clean() would ask the database.
            notice.clean_fields(exclude=["reference"])
            known.append(notice)
            result.new.append(notice)
            continue
        changed = False
        for name in DETAILS:
            if not getattr(same, name) and getattr(report, name):
                setattr(same, name, getattr(report, name))
                changed = True
        if changed and same.pk and same not in result.updated:
            result.updated.append(same)
        elif not changed:
            result.known += 1
    if dry_run or not (result.new or result.updated):
        return result
    with revision(user=user, comment=comment or _("Notices recorded")):
        # In bulk, like an import: one save each would refresh the page cache
        # once per notice; references_changed below does it once for all.
        ReferenceNotice.objects.bulk_create(result.new)
        ReferenceNotice.objects.bulk_update(result.updated, DETAILS)
        for notice in result.new + result.updated:
            reversion.add_to_revision(notice)
    changed_references = {
        n.reference_id: n.reference for n in result.new + result.updated
    }
    references_changed.send(
        sender=Reference, references=list(changed_references.values())
    )
    if result.new:
        new = list(result.new)
        transaction.on_commit(
            lambda: notices_recorded.send(sender=ReferenceNotice, notices=new)
        )
    return result
