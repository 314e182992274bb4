"""Kinds inferred from what files and sources say about a publication."""

import pytest

from references import kinds
from references.models import Reference


@pytest.mark.parametrize(
    "types, kind",
    [
        (["Journal Article", "Randomized Controlled Trial"], "trial"),
        (["Clinical Trial, Phase II", "Multicenter Study"], "trial"),
        (["Journal Article", "Meta-Analysis", "Review"], "systematic_review"),
        (["Systematic Review"], "systematic_review"),
        (["Practice Guideline"], "guideline"),
        (["Guideline", "Journal Article"], "guideline"),
        (["Case Reports", "Journal Article"], "case_report"),
        (["Observational Study", "Journal Article"], "observational"),
        (["News"], "news"),
        (["Newspaper Article"], "news"),
        (["Letter", "Comment"], "other"),
        (["Letter", "Journal Article"], "other"),
        (["Journal Article", "Review"], "research"),
        (["Something else"], "research"),
        ([], "research"),
        (["  randomized   CONTROLLED trial "], "trial"),
    ],
)
def test_pubmed_publication_types_give_the_most_telling_kind(types, kind):
    assert kinds.kind_from_publication_types(types) == kind


@pytest.mark.parametrize(
    "type_, labels, kind",
    [
        ("JOUR", [], "research"),
        ("jour", [""], "research"),
        ("NEWS", [], "news"),
        ("BOOK", [], "other"),
        ("ELEC", [], "other"),
        ("JOUR", ["Randomized Controlled Trial"], "trial"),
        ("JOUR", ["observational"], "observational"),
    ],
)
def test_ris_type_and_m3_labels(type_, labels, kind):
    assert kinds.kind_from_ris_type(type_, labels) == kind


@pytest.mark.parametrize(
    "entry_type, labels, kind",
    [
        ("article", [], "research"),
        ("Article", [], "research"),
        ("inproceedings", [], "other"),
        ("misc", ["guideline"], "guideline"),
        ("article", ["systematic_review"], "systematic_review"),
    ],
)
def test_bibtex_entry_types(entry_type, labels, kind):
    assert kinds.kind_from_bibtex_type(entry_type, labels) == kind


@pytest.mark.parametrize(
    "type_, labels, kind",
    [
        ("article-journal", [], "research"),
        ("journal-article", [], "research"),
        ("proceedings-article", [], "research"),
        ("posted-content", [], "other"),
        ("article-newspaper", [], "news"),
        ("book", [], "other"),
        ("article-journal", ["case_report"], "case_report"),
    ],
)
def test_csl_types(type_, labels, kind):
    assert kinds.kind_from_csl_type(type_, labels) == kind


def test_every_kind_inferred_is_a_reference_kind():
    inferred = {*kinds.PUBLICATION_TYPES.values(), *kinds.OWN_LABELS.values()}
    inferred |= {*kinds.RIS_TYPES.values(), *kinds.CSL_TYPES.values()}
    assert inferred <= set(Reference.Kind.values)
    assert set(kinds.PRIORITY) == set(Reference.Kind.values)
