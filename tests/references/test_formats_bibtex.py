import pytest

from references.formats import ParseError, bibtex

SAMPLE = r"""@Comment{jabref-meta: databaseType:biblatex;}
@article{oddis2013,
  author  = {Oddis, Chester V. and M{\"u}ller, Anna and {RIM Study Group}},
  title   = {{Rituximab} in 50% of \& refractory myositis},
  journaltitle = {Arthritis Rheum},
  date    = {2013-02},
  pages   = {314--324},
  doi     = {10.1002/art.37754},
  pmid    = {23124935},
  url     = {https://example.org/a\_b},
}
@article{,
  title = {No key},
  year = 2018,
  month = mar,
}
"""


def test_bibtex_fields_latex_and_group_authors():
    first, second = bibtex.parse(SAMPLE)
    assert first.authors == ["Oddis, Chester V.", "Müller, Anna", "RIM Study Group"]
    assert first.title == "Rituximab in 50% of & refractory myositis"
    assert (first.year, first.month, first.pages) == (2013, 2, "314-324")
    assert first.url == "https://example.org/a_b"
    assert first.citation_key == "oddis2013"
    assert second.citation_key == "" and (second.year, second.month) == (2018, 3)
    assert second.line == 12


def test_a_broken_entry_is_refused_with_its_line():
    with pytest.raises(ParseError) as excinfo:
        bibtex.parse('@article{a, title = {One}}\n\n@article{b, title = "unclosed}\n')
    assert excinfo.value.record == 2
    assert excinfo.value.line == 3
