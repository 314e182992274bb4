import pytest

from references.formats import ParseError, medline

SAMPLE = """PMID- 30776994
TI  - Impact of Balloon Guide Catheter Use on Clinical and Angiographic Outcomes in
      the STRATIS Stroke Thrombectomy Registry.
DP  - 2019 Mar
VI  - 50
IP  - 3
PG  - 697-704
LID - 10.1161/STROKEAHA.118.021126 [doi]
FAU - Zaidat, Osama O
AU  - Zaidat OO
FAU - Rovira, Àlex
AU  - Rovira À
CN  - STRATIS Investigators
PT  - Journal Article
PT  - Multicenter Study
TA  - Stroke
JT  - Stroke

PMID- 16403221
TI  - A high level interface to SCOP and ASTRAL implemented in python.
AU  - Casbon JA
DP  - 2006
"""


def test_medline_records_with_continuations_and_group_authors():
    first, second = medline.parse(SAMPLE)
    assert first.title.endswith("in the STRATIS Stroke Thrombectomy Registry.")
    assert first.authors == ["Zaidat, Osama O", "Rovira, Àlex", "STRATIS Investigators"]
    assert (first.year, first.month) == (2019, 3)
    assert first.doi == "10.1161/STROKEAHA.118.021126"
    assert (first.pmid, first.source, first.pages) == ("30776994", "Stroke", "697-704")
    assert second.authors == ["Casbon JA"]
    assert second.line == 19


def test_a_line_that_is_no_field_is_refused_with_its_line():
    with pytest.raises(ParseError) as excinfo:
        medline.parse("PMID- 1\nTI  - A title\nthis is not a field\n")
    assert excinfo.value.line == 3


def test_a_record_without_pmid_is_refused():
    with pytest.raises(ParseError) as excinfo:
        medline.parse("PMID- 1\nTI  - One\n\nTI  - Two\n")
    assert (excinfo.value.record, excinfo.value.line) == (2, 4)
