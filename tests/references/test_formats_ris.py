import pytest

from references.formats import ParseError, ris

SAMPLE = """TY  - JOUR
TI  - Rituximab in the treatment of refractory adult and juvenile dermatomyositis
AU  - Oddis, Chester V.
AU  - RIM Study Group
T2  - Arthritis Rheum
PY  - 2013
DA  - 2013/02//
VL  - 65
IS  - 2
SP  - 314
EP  - 324
DO  - 10.1002/art.37754
AN  - 23124935
DP  - NLM
M3  - Randomized Controlled Trial
ER  - 
"""


def test_ris_record_fields():
    [record] = ris.parse(SAMPLE)
    assert record.title.startswith("Rituximab")
    assert record.authors == ["Oddis, Chester V.", "RIM Study Group"]
    assert (record.year, record.month, record.day) == (2013, 2, None)
    assert record.pages == "314-324"
    assert (record.doi, record.pmid) == ("10.1002/art.37754", "23124935")
    assert record.kind == "trial"


def test_embase_initials_become_family_comma_initials():
    text = "TY  - JOUR\nT1  - A title\nA1  - Adler D.G.\nER  - \n"
    assert ris.parse(text)[0].authors == ["Adler, D.G."]


def test_endnote_month_only_date_joins_the_year():
    text = "TY  - JOUR\nTI  - A title\nPY  - 2011\nDA  - Mar 1\nER  - \n"
    record = ris.parse(text)[0]
    assert (record.year, record.month, record.day) == (2011, 3, 1)


def test_record_without_end_is_refused_with_its_line():
    text = SAMPLE + "\nTY  - JOUR\nTI  - Never ends\n"
    with pytest.raises(ParseError) as excinfo:
        ris.parse(text)
    assert (excinfo.value.record, excinfo.value.line) == (2, 18)
    assert "ER" in str(excinfo.value)


def test_text_outside_records_is_refused_with_its_line():
    with pytest.raises(ParseError) as excinfo:
        ris.parse(SAMPLE + "stray words\n")
    assert excinfo.value.line == 17


def test_new_record_before_end_is_refused():
    with pytest.raises(ParseError) as excinfo:
        ris.parse("TY  - JOUR\nTI  - One\nTY  - JOUR\nTI  - Two\nER  - \n")
    assert excinfo.value.line == 3
