"""Filling empty fields of references from Crossref and PubMed.

Only empty fields are filled, never an editor's value overwritten: the PMID
from the DOI (PubMed's search), the DOI from the PMID, and the journal and
abstract from PubMed or Crossref. All changes are saved in one transaction
and one revision.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Reference
from .revisions import revision
from .sources import NotFound, SourceError, crossref, pubmed


@dataclass
class Change:
    reference: Reference
    field: str
    old: str
    new: str


@dataclass
class EnrichResult:
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _fill(result, reference, name, value, taken=None):
    value = value or ""
    if getattr(reference, name) or not value:
        return
    if taken is not None and value in taken:
        # Another reference holds it: a duplicate for an editor to look at.
        result.errors.append(
            _("“%(title)s”: %(field)s %(value)s belongs to another reference.")
            % {"title": reference.title, "field": name.upper(), "value": value}
        )
        return
    result.changes.append(Change(reference, name, "", value))
    setattr(reference, name, value)
    if taken is not None:
        taken.add(value)


def enrich(
    references,
    *,
    dry_run: bool = False,
    user=None,
    progress: Callable[[str, int, int], None] | None = None,
    timeout=None,
    retries=None,
) -> EnrichResult:
    """Fill empty PMIDs, DOIs, journals and abstracts of ``references``."""
    references = list(references)
    result = EnrichResult()
    taken_pmids = set(Reference.objects.exclude(pmid="").values_list("pmid", flat=True))
    taken_dois = set(Reference.objects.exclude(doi="").values_list("doi", flat=True))
    without_pmid = [r for r in references if r.doi and not r.pmid]
    for done, reference in enumerate(without_pmid, start=1):
        try:
            pmid = pubmed.pmid_for_doi(reference.doi, timeout=timeout, retries=retries)
        except NotFound:
            pmid = ""
        except SourceError as exc:
            result.errors.append(f"{reference.doi}: {exc}")
            pmid = ""
        _fill(result, reference, "pmid", pmid, taken_pmids)
        if progress:
            progress("PubMed search", done, len(without_pmid))
    with_pmid = {r.pmid: r for r in references if r.pmid}
    try:
        works = pubmed.fetch(list(with_pmid), timeout=timeout, retries=retries)
    except SourceError as exc:
        result.errors.append(str(exc))
        works = {}
    for pmid, work in works.items():
        reference = with_pmid[pmid]
        _fill(result, reference, "doi", work.record.doi, taken_dois)
        _fill(result, reference, "source", work.record.source)
        _fill(result, reference, "abstract", work.record.abstract)
    without_source = [r for r in references if r.doi and not (r.source and r.abstract)]
    for done, reference in enumerate(without_source, start=1):
        try:
            work = crossref.fetch_work(reference.doi, timeout=timeout, retries=retries)
        except NotFound:
            continue
        except SourceError as exc:
            result.errors.append(f"{reference.doi}: {exc}")
            continue
        _fill(result, reference, "source", work.record.source)
        _fill(result, reference, "abstract", work.record.abstract)
        if progress:
            progress("Crossref", done, len(without_source))
    if not dry_run and result.changes:
        _save(result.changes, user=user)
    return result


@transaction.atomic
def _save(changes: list[Change], *, user) -> None:
    by_reference = {}
    for change in changes:
        by_reference.setdefault(change.reference.pk, (change.reference, set()))[1].add(
            change.field
        )
    with revision(user=user, comment=_("Filled empty fields from Crossref and PubMed")):
        for reference, fields in by_reference.values():
            reference.full_clean()
            if reference.refresh_citations():
                fields |= set(Reference.CITATION_FIELDS)
            reference.save(update_fields=[*fields, "updated_at"])
