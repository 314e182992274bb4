import pytest
from django.core.exceptions import ValidationError

from references import identifiers
from references.identifiers import normalize_doi, normalize_pmid


@pytest.mark.parametrize(
    "given",
    [
        "10.1016/J.AUTREV.2011.04.010",
        "https://doi.org/10.1016/j.autrev.2011.04.010",
        "http://dx.doi.org/10.1016/j.autrev.2011.04.010",
        "doi:10.1016/j.autrev.2011.04.010",
        "  DOI: 10.1016/j.autrev.2011.04.010 ",
    ],
)
def test_doi_is_stored_once_whatever_form_it_is_pasted_in(given):
    assert normalize_doi(given) == "10.1016/j.autrev.2011.04.010"


@pytest.mark.parametrize(
    "bad", ["10.1016/ j.autrev", "11.1000/xyz", "not a doi", "10.12/x", "10.1000/"]
)
def test_malformed_doi_is_refused_with_its_value(bad):
    with pytest.raises(ValidationError) as excinfo:
        normalize_doi(bad)
    assert "is not a DOI" in excinfo.value.messages[0]


@pytest.mark.parametrize("given", ["21504801", " PMID: 21504801 ", "pmid:21504801"])
def test_pmid_is_digits_only(given):
    assert normalize_pmid(given) == "21504801"


@pytest.mark.parametrize("bad", ["2150480a", "0123", "PMC123456", "12 34", "-5"])
def test_pmid_with_letters_or_spaces_is_refused(bad):
    with pytest.raises(ValidationError):
        normalize_pmid(bad)


def test_empty_identifiers_stay_empty():
    assert normalize_doi("  ") == "" and normalize_pmid(None) == ""


def test_a_pasted_list_gives_each_identifier_with_its_line():
    found, unreadable = identifiers.read_pasted(
        "10.1000/ABC.\r\n\r\n123 https://pubmed.ncbi.nlm.nih.gov/456/\r\n"
        "doi: 10.1000/xyz\r\nnonsense\r\n"
    )
    assert found == [
        (1, "doi", "10.1000/abc"),
        (3, "pmid", "123"),
        (3, "pmid", "456"),
        (4, "doi", "10.1000/xyz"),
    ]
    assert [(line, text) for line, text, _message in unreadable] == [(5, "nonsense")]


def test_a_pubmed_result_list_gives_its_pmids_and_lone_identifiers():
    found, unreadable = identifiers.read_pasted(
        "1. A title. Journal. 2020. doi: 10.1000/in-the-citation.\n"
        "PMID: 31234567 Free PMC article.\n"
        "10.1000/on-its-own.\n"
    )
    assert found == [(2, "pmid", "31234567"), (3, "doi", "10.1000/on-its-own")]
    assert unreadable == []
