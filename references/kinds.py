"""What kind of publication a record is, from what its file or source says.

The one place that maps outside vocabularies onto ``Reference.Kind``: PubMed
publication types (MEDLINE ``PT``, the E-utilities' ``PublicationType``),
RIS ``TY`` types, BibTeX entry types, CSL ``type``s and the labels our own
exports write (``type``/``genre``/``M3`` hold our kind). Importers and the
Crossref/PubMed lookups call these functions; nothing else guesses a kind.

Every function takes labels as a file gives them (any case, stray spaces) and
returns one of ``Reference.Kind``'s values. The module imports no models, so
the format readers can use it without Django's app registry.
"""

from collections.abc import Iterable

GUIDELINE = "guideline"
SYSTEMATIC_REVIEW = "systematic_review"
TRIAL = "trial"
OBSERVATIONAL = "observational"
RESEARCH = "research"
NARRATIVE_REVIEW = "narrative_review"
CASE_REPORT = "case_report"
# Tertiary literature: point-of-care summaries, question-and-answer services,
# patient websites, textbooks and encyclopaedias. They restate what others
# found; a reader cannot check a claim against them.
SECONDARY_SUMMARY = "secondary_summary"
NEWS = "news"
OTHER = "other"

# When a record carries several labels, the most telling one wins: a
# randomised trial that is also a "Journal Article" is a trial; a letter
# ("Letter", "Journal Article") is not research; a systematic review is also
# labelled "Review" by PubMed, and is a systematic review; "Case Reports"
# with "Review" (two cases and a review of the literature) is a case report.
PRIORITY = [
    GUIDELINE,
    SYSTEMATIC_REVIEW,
    TRIAL,
    OBSERVATIONAL,
    CASE_REPORT,
    NARRATIVE_REVIEW,
    SECONDARY_SUMMARY,
    NEWS,
    OTHER,
    RESEARCH,
]

# PubMed's publication types (https://www.nlm.nih.gov/mesh/pubtypes.html)
# that say something about the kind, lower-cased. Types not listed
# ("Multicenter Study", "Research Support, N.I.H., Extramural"...) say
# nothing about it on their own. "Review" alone is a narrative review: PubMed
# gives systematic reviews and meta-analyses their own types besides it.
PUBLICATION_TYPES = {
    "practice guideline": GUIDELINE,
    "guideline": GUIDELINE,
    "consensus development conference": GUIDELINE,
    "consensus development conference, nih": GUIDELINE,
    "systematic review": SYSTEMATIC_REVIEW,
    "meta-analysis": SYSTEMATIC_REVIEW,
    "network meta-analysis": SYSTEMATIC_REVIEW,
    "randomized controlled trial": TRIAL,
    "randomized controlled trial, veterinary": TRIAL,
    "controlled clinical trial": TRIAL,
    "pragmatic clinical trial": TRIAL,
    "equivalence trial": TRIAL,
    "adaptive clinical trial": TRIAL,
    "clinical trial": TRIAL,
    "clinical trial, phase i": TRIAL,
    "clinical trial, phase ii": TRIAL,
    "clinical trial, phase iii": TRIAL,
    "clinical trial, phase iv": TRIAL,
    "clinical trial, veterinary": TRIAL,
    "observational study": OBSERVATIONAL,
    "observational study, veterinary": OBSERVATIONAL,
    "review": NARRATIVE_REVIEW,
    "scientific integrity review": NARRATIVE_REVIEW,
    "case reports": CASE_REPORT,
    "case report": CASE_REPORT,
    "news": NEWS,
    "newspaper article": NEWS,
    "letter": OTHER,
    "comment": OTHER,
    "editorial": OTHER,
    "published erratum": OTHER,
    "retraction of publication": OTHER,
    "journal article": RESEARCH,
}

# Our kinds in words, as the exports write them (CSL ``genre``, RIS ``M3``,
# BibTeX ``type``), where a citation style or a reader may print them. Data,
# not interface text: the same words whatever the site's language, so that
# any export reads back.
GENRES = {
    GUIDELINE: "Guideline",
    SYSTEMATIC_REVIEW: "Systematic review",
    TRIAL: "Trial",
    OBSERVATIONAL: "Observational study",
    RESEARCH: "Research",
    NARRATIVE_REVIEW: "Narrative review",
    CASE_REPORT: "Case report",
    SECONDARY_SUMMARY: "Secondary summary",
    NEWS: "News",
    OTHER: "Other",
}

# Our own kinds, as exports write them now (GENRES) and wrote them before
# (the codes themselves).
OWN_LABELS = {
    **{kind: kind for kind in GENRES},
    **{label.lower(): kind for kind, label in GENRES.items()},
}

# RIS reference types (TY). Journal-like types are research; everything else
# (books, web pages, reports, theses...) is "other" unless a label says more.
RIS_TYPES = {
    "JOUR": RESEARCH,
    "JFULL": RESEARCH,
    "EJOUR": RESEARCH,
    "ABST": RESEARCH,
    "INPR": RESEARCH,
    "NEWS": NEWS,
    "MGZN": NEWS,
    # Encyclopaedia and dictionary entries are tertiary by definition.
    "ENCYC": SECONDARY_SUMMARY,
    "DICT": SECONDARY_SUMMARY,
}

# BibTeX/BibLaTeX entry types.
BIBTEX_TYPES = {"article": RESEARCH}

# CSL item types (https://docs.citationstyles.org/en/stable/specification.html),
# and Crossref's names for a journal article and a proceedings paper.
CSL_TYPES = {
    "article-journal": RESEARCH,
    "journal-article": RESEARCH,
    "proceedings-article": RESEARCH,
    "article": RESEARCH,
    "article-newspaper": NEWS,
    "article-magazine": NEWS,
    "entry-encyclopedia": SECONDARY_SUMMARY,
    "entry-dictionary": SECONDARY_SUMMARY,
    # Crossref's name for an entry in a reference work.
    "reference-entry": SECONDARY_SUMMARY,
}


def genre(kind: str, *, implied: str) -> str:
    """The words for ``kind`` an export writes beside a type that implies
    ``implied``; "" when the type already says it (a journal article is
    research), so that no style prints "[Research]"."""
    return "" if kind == implied else GENRES.get(kind, "")


def _fold(label) -> str:
    return " ".join(str(label).split()).lower() if label else ""


def kind_from_labels(labels: Iterable[str], default: str = RESEARCH) -> str:
    """The most telling kind among ``labels`` (publication types or our own
    kinds), or ``default`` if none of them says anything about the kind."""
    found = set()
    for label in labels:
        folded = _fold(label)
        kind = PUBLICATION_TYPES.get(folded) or OWN_LABELS.get(folded)
        if kind:
            found.add(kind)
    return next((kind for kind in PRIORITY if kind in found), default)


def kind_from_publication_types(types: Iterable[str]) -> str:
    """Our kind for a PubMed record's publication types.

    ``["Journal Article", "Randomized Controlled Trial"]`` is a trial;
    ``["Case Reports"]`` a case report; a record whose types say nothing
    about the design is research.
    """
    return kind_from_labels(types, default=RESEARCH)


def kind_from_ris_type(type_: str, labels: Iterable[str] = ()) -> str:
    """Our kind for an RIS record: its ``TY``, refined by labels (``M3``)."""
    default = RIS_TYPES.get(_fold(type_).upper(), OTHER)
    return kind_from_labels(labels, default=default)


def kind_from_bibtex_type(entry_type: str, labels: Iterable[str] = ()) -> str:
    """Our kind for a BibTeX entry: its type, refined by ``type``/``entrysubtype``."""
    default = BIBTEX_TYPES.get(_fold(entry_type), OTHER)
    return kind_from_labels(labels, default=default)


def kind_from_csl_type(type_: str, labels: Iterable[str] = ()) -> str:
    """Our kind for a CSL item (or a Crossref work): its ``type``, refined by
    ``genre`` or other labels."""
    default = CSL_TYPES.get(_fold(type_), OTHER)
    return kind_from_labels(labels, default=default)
