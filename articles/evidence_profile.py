"""The evidence profile of an article's text: how checkable its citations are.

Worked out when the text is saved (``services.save_article``) and again when
it is approved (``workflow``: the references' kinds, links and notices may
have changed meanwhile), and stored with the version (``Article`` and
``ApprovedVersion.evidence_profile``): pages read it, never compute it.

A profile is a dict of plain values (it is stored as JSON):

- ``references``: distinct references cited (both bodies: the reference
  list); ``with_identifier`` of them carry a DOI, PMID or trial
  registration, ``with_doi_or_pmid`` a DOI or PMID (what readers are told),
  ``with_url_only`` only a working link; ``checkable`` is either;
- ``citations``: citation markers in the clinical text, and
  ``checkable_citations`` of them to a checkable reference, with
  ``checkable_percent`` (None when it cites nothing);
- ``by_kind``: references by kind; ``newest_year``;
- ``notices``: cited references retracted, withdrawn, corrected or under an
  expression of concern;
- ``weak_statements``: statements (paragraphs, list items, boxes) whose
  only citations are uncheckable or secondary summaries;
- ``unsupported``: recommendation boxes that cite no guideline, systematic
  review, trial or observational study with an identifier (an approval
  needs a comment acknowledging them: ``workflow``);
- ``source``: what the text says (its statements and how often it cites
  each key), kept so that approval can work the profile out again without
  rendering.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from references import evidence
from references.models import Reference, ReferenceNotice

from . import grading

CLINICAL, PLAIN = "clinical", "plain"

# What a statement is called on the review page.
STATEMENT_KINDS = {
    "paragraph": _("Paragraph"),
    "item": _("List item"),
    grading.Kind.RECOMMENDATION: _("Recommendation"),
    grading.Kind.GOOD_PRACTICE: _("Good practice statement"),
}


def source_of(*, clinical, plain) -> dict:
    """What the profile is worked out from, given the two bodies' renderings
    (``rendering.Rendered``)."""
    statements = [
        {**statement, "body": body}
        for body, rendered in ((CLINICAL, clinical), (PLAIN, plain))
        for statement in rendered.statements
    ]
    return {"statements": statements, "citations": dict(clinical.occurrences)}


def _reference_facts(reference) -> dict:
    return {
        "key": reference.citation_key,
        "title": reference.title,
        "kind": reference.kind,
        "identifier": evidence.has_identifier(reference),
        "checkable": evidence.is_checkable(reference),
        "secondary": evidence.is_secondary(reference),
        "supports": evidence.supports_recommendation(reference),
    }


def compute(*, source: dict, references, notices=()) -> dict:
    """The profile of a text whose ``source`` (``source_of``) cites
    ``references`` (Reference rows, each once), given the ``notices``
    (ReferenceNotice rows) recorded against them. Asks the database nothing.
    """
    facts = {
        reference.citation_key: _reference_facts(reference) for reference in references
    }
    by_kind = {}
    for reference in references:
        by_kind[reference.kind] = by_kind.get(reference.kind, 0) + 1
    years = [reference.year for reference in references if reference.year]
    citations = source.get("citations", {})
    total = sum(citations.values())
    checkable_citations = sum(
        count for key, count in citations.items() if facts.get(key, {}).get("checkable")
    )
    weak, unsupported = [], []
    for statement in source.get("statements", []):
        cited = [facts[key] for key in statement["keys"] if key in facts]
        if not cited:
            continue
        summary = {
            "body": statement["body"],
            "kind": statement["kind"],
            "anchor": statement["anchor"],
            "text": statement["text"],
            "cites": [
                {
                    "title": fact["title"],
                    "kind": fact["kind"],
                    "identifier": fact["identifier"],
                }
                for fact in cited
            ],
        }
        if all(not fact["checkable"] or fact["secondary"] for fact in cited):
            weak.append(summary)
        if statement["kind"] == grading.Kind.RECOMMENDATION and not any(
            fact["supports"] for fact in cited
        ):
            unsupported.append(summary)
    by_key = {reference.pk: reference.citation_key for reference in references}
    titles = {reference.pk: reference.title for reference in references}
    return {
        "references": len(references),
        "with_identifier": sum(fact["identifier"] for fact in facts.values()),
        "with_doi_or_pmid": sum(bool(r.doi or r.pmid) for r in references),
        "with_url_only": sum(
            fact["checkable"] and not fact["identifier"] for fact in facts.values()
        ),
        "checkable": sum(fact["checkable"] for fact in facts.values()),
        "citations": total,
        "checkable_citations": checkable_citations,
        # Rounded down: 89.9 % is below a threshold of 90.
        "checkable_percent": 100 * checkable_citations // total if total else None,
        "by_kind": dict(sorted(by_kind.items(), key=lambda item: (-item[1], item[0]))),
        "newest_year": max(years) if years else None,
        "notices": sorted(
            (
                {
                    "key": by_key[notice.reference_id],
                    "title": titles[notice.reference_id],
                    "kind": notice.kind,
                }
                for notice in notices
                if notice.reference_id in by_key
            ),
            key=lambda item: (item["title"], item["kind"]),
        ),
        "weak_statements": weak,
        "unsupported": unsupported,
        "source": source,
    }


def profile_of(*, source: dict, references) -> dict:
    """``compute()`` for ``references`` as they are now: reads their notices
    (one query)."""
    references = list(references)
    notices = ReferenceNotice.objects.filter(reference__in=references).order_by("pk")
    return compute(source=source, references=references, notices=list(notices))


def current_profile(article) -> dict:
    """The profile of the article's working copy worked out again from the
    references as they are now: for an approval. Its citations are read
    again (one query) and their notices (one more); a text saved before
    profiles existed is rendered once to learn its statements."""
    source = (article.evidence_profile or {}).get("source")
    if source is None:
        article.render()
        source = article.evidence_source
    references = Reference.objects.filter(
        pk__in=article.citations.values("reference_id")
    ).order_by("pk")
    return profile_of(source=source, references=references)


def kind_label(kind: str) -> str:
    """A reference kind in words."""
    return Reference.Kind(kind).label if kind in Reference.Kind.values else kind


def notice_label(kind: str) -> str:
    return (
        ReferenceNotice.Kind(kind).label
        if kind in ReferenceNotice.Kind.values
        else kind
    )


# The measures the review page compares, in order: (label, how it reads).


def _share(part, whole):
    if not whole:
        return str(_("none cited"))
    return str(_("%(part)s of %(whole)s")) % {"part": part, "whole": whole}


def _kinds(profile):
    return ", ".join(
        f"{kind_label(kind)} {count}" for kind, count in profile["by_kind"].items()
    )


MEASURES = (
    (
        _("Checkable citations (identifier or working link)"),
        lambda p: _share(p["checkable_citations"], p["citations"]),
    ),
    (
        _("References with a DOI, PMID or trial registration"),
        lambda p: _share(p["with_identifier"], p["references"]),
    ),
    (
        _("References with only a working link"),
        lambda p: _share(p["with_url_only"], p["references"]),
    ),
    (_("References by kind"), _kinds),
    (_("Newest publication"), lambda p: p["newest_year"] or "—"),
    (
        _("Retracted, withdrawn, corrected or questioned"),
        lambda p: len(p["notices"]),
    ),
    (
        _("Statements citing only uncheckable or secondary sources"),
        lambda p: len(p["weak_statements"]),
    ),
    (
        _("Recommendations resting on no checkable evidence"),
        lambda p: len(p["unsupported"]),
    ),
)


def comparison(profile: dict, live: dict | None) -> list[dict]:
    """The review page's rows: each measure of the text under review beside
    the live version's (None where there is no live profile)."""
    if not profile:
        return []
    return [
        {
            "label": label,
            "now": read(profile),
            "live": read(live) if live else None,
        }
        for label, read in MEASURES
    ]


def reader_line(profile: dict) -> str:
    """“21 sources, 18 linked to PubMed or DOI, newest from 2025”, or "" for
    a text without a profile."""
    if not profile or not profile.get("references"):
        return ""
    count = profile["references"]
    parts = [
        ngettext("%(count)s source", "%(count)s sources", count) % {"count": count},
        _("%(count)s linked to PubMed or DOI") % {"count": profile["with_doi_or_pmid"]},
    ]
    if profile.get("newest_year"):
        parts.append(_("newest from %(year)s") % {"year": profile["newest_year"]})
    return ", ".join(str(part) for part in parts)
