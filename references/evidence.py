"""The evidence level a reference's kind implies, shown to readers as a badge.

A rough ladder, from a guideline down to opinion: it says what kind of study
a reference is, not how good that particular study is. Every kind of
reference has exactly one level (a test keeps it so).

Only the study designs that are evidence in their own right (guidelines,
systematic reviews and meta-analyses, trials, observational studies) earn a
badge saying "Evidence: ..."; a narrative review, a secondary summary and the
rest are labelled by their kind alone, so that no summary of other people's
findings reads as a guideline.
"""

from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from . import kinds


class EvidenceLevel(models.TextChoices):
    GUIDELINE = "guideline", _("Guideline")
    SYSTEMATIC_REVIEW = "systematic-review", _("Systematic review or meta-analysis")
    RANDOMISED_TRIAL = "randomised-trial", _("Randomised trial")
    OBSERVATIONAL = "observational", _("Observational study")
    CASE_REPORT = "case-report", _("Case report")
    NARRATIVE_REVIEW = "narrative-review", _("Narrative review")
    EXPERT_OPINION = "expert-opinion", _("Expert opinion or news")
    UNCLASSIFIED = "unclassified", _("Other research")
    # Last: it restates what others found (strength_rank reads this order).
    SECONDARY_SUMMARY = "secondary-summary", _("Secondary summary")


# Reference.Kind value (references.kinds) -> level. "research" is primary
# research whose design has not been classified: it gets no rung of the
# ladder rather than a guess.
LEVEL_OF_KIND = {
    kinds.GUIDELINE: EvidenceLevel.GUIDELINE,
    kinds.SYSTEMATIC_REVIEW: EvidenceLevel.SYSTEMATIC_REVIEW,
    kinds.TRIAL: EvidenceLevel.RANDOMISED_TRIAL,
    kinds.OBSERVATIONAL: EvidenceLevel.OBSERVATIONAL,
    kinds.CASE_REPORT: EvidenceLevel.CASE_REPORT,
    kinds.NEWS: EvidenceLevel.EXPERT_OPINION,
    kinds.OTHER: EvidenceLevel.EXPERT_OPINION,
    kinds.RESEARCH: EvidenceLevel.UNCLASSIFIED,
    kinds.NARRATIVE_REVIEW: EvidenceLevel.NARRATIVE_REVIEW,
    kinds.SECONDARY_SUMMARY: EvidenceLevel.SECONDARY_SUMMARY,
}

# The levels that earn a reader-facing evidence badge, and the kinds at them:
# the evidence a recommendation may rest on (articles' evidence profile).
BADGE_LEVELS = frozenset(
    {
        EvidenceLevel.GUIDELINE,
        EvidenceLevel.SYSTEMATIC_REVIEW,
        EvidenceLevel.RANDOMISED_TRIAL,
        EvidenceLevel.OBSERVATIONAL,
    }
)
EVIDENCE_KINDS = frozenset(
    kind for kind, level in LEVEL_OF_KIND.items() if level in BADGE_LEVELS
)


def level_of(kind: str) -> EvidenceLevel:
    """The evidence level of a reference of ``kind``."""
    return LEVEL_OF_KIND.get(kind, EvidenceLevel.UNCLASSIFIED)


def has_badge(kind: str) -> bool:
    """Whether a reference of ``kind`` shows an evidence badge."""
    return kind in EVIDENCE_KINDS


def kinds_at(level: str) -> list[str]:
    """The kinds of reference whose evidence level is ``level``."""
    return [kind for kind, found in LEVEL_OF_KIND.items() if found == level]


# What the articles' evidence profile asks of each cited reference. A reader
# can check a claim against a reference with an identifier (DOI, PMID, a
# trial registration) or, less surely, a working link; a secondary summary
# restates others' findings and is no evidence of its own.


def has_identifier(reference) -> bool:
    """Whether it carries a DOI, a PMID or a trial registration."""
    return bool(reference.doi or reference.pmid or reference.trial_registration)


def is_checkable(reference) -> bool:
    """Whether a reader can find it: an identifier, or a link that works."""
    return has_identifier(reference) or bool(
        reference.web_url and not reference.is_expired
    )


def is_secondary(reference) -> bool:
    return reference.kind == kinds.SECONDARY_SUMMARY


def supports_recommendation(reference) -> bool:
    """Whether a recommendation may rest on it: evidence in its own right
    (a guideline, systematic review, trial or observational study) that a
    reader can look up by its identifier."""
    return has_badge(reference.kind) and has_identifier(reference)


def strength_rank(kind: str) -> int:
    """Where ``kind`` stands on the ladder: 0 for a guideline, then down."""
    return list(EvidenceLevel).index(level_of(kind))


def strength_order(field: str = "kind") -> Case:
    """``strength_rank`` of ``field`` as a database expression, to order rows
    strongest evidence first (guidelines, systematic reviews, trials...)."""
    return Case(
        *(
            When(**{field: kind}, then=Value(strength_rank(kind)))
            for kind in LEVEL_OF_KIND
        ),
        default=Value(len(EvidenceLevel)),
        output_field=IntegerField(),
    )
