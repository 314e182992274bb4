import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from references.models import Reference
from tests.factories import EntryFactory, ReferenceFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_duplicate_doi_is_refused_with_a_link_to_the_existing_entry():
    existing = ReferenceFactory(doi="10.1000/abc")
    duplicate = ReferenceFactory.build(doi="https://doi.org/10.1000/ABC")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    message = excinfo.value.message_dict["doi"][0]
    assert existing.title in message
    assert existing.get_absolute_url() in message


def test_duplicate_pmid_is_refused():
    ReferenceFactory(pmid="21504801")
    with pytest.raises(ValidationError) as excinfo:
        ReferenceFactory.build(pmid="PMID: 21504801").full_clean()
    assert "already exists" in excinfo.value.message_dict["pmid"][0]


def test_database_refuses_duplicate_identifiers_even_without_validation():
    ReferenceFactory(doi="10.1000/abc", pmid="123")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceFactory(doi="10.1000/abc")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceFactory(pmid="123")


def test_many_references_without_identifiers_are_allowed():
    ReferenceFactory(doi="", pmid="")
    ReferenceFactory(doi="", pmid="")
    assert Reference.objects.filter(doi="").count() == 2


def test_clean_normalises_identifiers():
    reference = ReferenceFactory.build(doi="doi:10.1000/XYZ", pmid=" 42 ")
    reference.full_clean()
    assert (reference.doi, reference.pmid) == ("10.1000/xyz", "42")


def test_bad_identifier_changes_nothing():
    reference = ReferenceFactory.build(doi="10.1000/has space")
    with pytest.raises(ValidationError):
        reference.full_clean()
    assert not Reference.objects.exists()


@pytest.mark.parametrize(
    "parts, field",
    [
        ({"month": 13}, "month"),
        ({"year": 2023, "month": 2, "day": 30}, "day"),
        ({"year": None, "month": 2}, "month"),
        ({"month": None, "day": 3}, "day"),
    ],
)
def test_impossible_dates_are_refused(parts, field):
    reference = ReferenceFactory.build(**{"year": 2020, **parts})
    with pytest.raises(ValidationError) as excinfo:
        reference.full_clean()
    assert field in excinfo.value.message_dict


def test_database_refuses_a_month_out_of_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceFactory(month=13)


def test_citation_key_is_suggested_from_author_and_year():
    first = ReferenceFactory(citation_key="", authors="Marie, Isabelle", year=2011)
    second = ReferenceFactory(citation_key="", authors="Marie, I", year=2011)
    assert first.citation_key == "marie-2011"
    assert second.citation_key == "marie-2011-2"


def test_citation_key_with_spaces_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        ReferenceFactory.build(citation_key="has space").full_clean()
    assert "citation_key" in excinfo.value.message_dict


def test_expired_link_falls_back_to_doi_then_pubmed():
    reference = ReferenceFactory.build(
        url="https://gone.example/x", doi="10.1000/x", pmid="1"
    )
    assert reference.best_url == "https://gone.example/x"
    reference.link_status = Reference.LinkStatus.EXPIRED
    assert reference.best_url == "https://doi.org/10.1000/x"
    reference.doi = ""
    assert reference.best_url == "https://pubmed.ncbi.nlm.nih.gov/1/"


def test_source_line_and_date_display():
    reference = ReferenceFactory.build(
        source="Clin Rheumatol",
        year=2019,
        month=8,
        volume="38",
        issue="8",
        pages="2039-2051",
    )
    assert reference.source_line == "Clin Rheumatol, August 2019; 38(8):2039-2051"


def test_a_reference_is_listed_once_per_section():
    entry = EntryFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryFactory(section=entry.section, reference=entry.reference)


def test_queryset_in_topic_finds_each_reference_once():
    section = SectionFactory()
    other = SectionFactory(topic=section.topic)
    reference = ReferenceFactory()
    EntryFactory(section=section, reference=reference)
    EntryFactory(section=other, reference=reference)
    assert list(Reference.objects.in_topic(section.topic)) == [reference]


def test_authors_show_the_first_six_then_et_al():
    names = [f"Author{n}, A" for n in range(1, 9)]
    reference = ReferenceFactory.build(authors="\n".join(names))
    assert reference.authors_display == "; ".join(names[:6]) + ", et al."


def test_an_incomplete_author_list_keeps_et_al_before_the_group_author():
    reference = ReferenceFactory.build(
        authors="Oddis, C. V.\r\net al.\r\nRIM Study Group\r\n"
    )
    assert reference.authors_display == "Oddis, C. V., et al.; RIM Study Group"


def test_citation_keys_are_unique_whatever_their_case():
    ReferenceFactory(citation_key="Keytest")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceFactory(citation_key="keytest")


def test_a_suggested_key_avoids_a_key_taken_in_another_case():
    ReferenceFactory(citation_key="Marie-2011")
    reference = Reference(title="T", authors="Marie, Isabelle", year=2011)
    assert reference.suggest_citation_key() == "marie-2011-2"


def test_the_year_range_is_a_database_constraint_too():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceFactory(year=10000)
