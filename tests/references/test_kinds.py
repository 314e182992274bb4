"""Kinds inferred from what files and sources say about a publication."""

import pytest

from references import importing, kinds
from references.models import Reference
from tests.factories import TopicFactory


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
        (["Journal Article", "Review"], "narrative_review"),
        (["Case Reports", "Review"], "case_report"),
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
        ("ENCYC", [], "secondary_summary"),
        ("JOUR", ["Narrative review"], "narrative_review"),
        ("ELEC", ["Secondary summary"], "secondary_summary"),
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
        ("entry-encyclopedia", [], "secondary_summary"),
        ("reference-entry", [], "secondary_summary"),
        ("webpage", ["secondary_summary"], "secondary_summary"),
    ],
)
def test_csl_types(type_, labels, kind):
    assert kinds.kind_from_csl_type(type_, labels) == kind


def test_every_kind_inferred_is_a_reference_kind():
    inferred = {*kinds.PUBLICATION_TYPES.values(), *kinds.OWN_LABELS.values()}
    inferred |= {*kinds.RIS_TYPES.values(), *kinds.CSL_TYPES.values()}
    assert inferred <= set(Reference.Kind.values)
    assert set(kinds.PRIORITY) == set(Reference.Kind.values)


@pytest.mark.django_db
def test_real_pubmed_records_are_kinded_by_their_publication_types(fixture_bytes):
    # PubMed's own export ("Send to: Citation manager"), imported as editors
    # import it: a review is a narrative review unless PubMed also calls it
    # a systematic review or meta-analysis.
    parsed = importing.read_file(
        fixture_bytes("pubmed-nbib-balloongui-set-truncated.nbib"),
        filename="pubmed-balloongui-set.nbib",
    )
    importing.import_records(records=parsed.records, topic=TopicFactory())
    kind = dict(Reference.objects.values_list("pmid", "kind"))
    assert kind["31648562"] == "narrative_review"  # Journal Article; Review
    assert kind["28754806"] == "systematic_review"  # ...; Meta-Analysis; Review
    assert kind["31542275"] == "observational"
    assert kind["30997860"] == "case_report"
    narrative = Reference.objects.get(pmid="31648562")
    assert narrative.evidence_level == "narrative-review"
    assert not narrative.has_evidence_badge
    assert Reference.objects.get(pmid="28754806").has_evidence_badge
