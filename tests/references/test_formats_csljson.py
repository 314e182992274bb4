import pytest

from references.formats import ParseError, csljson

SAMPLE = """[
  {"id": "oddis2013", "type": "article-journal", "title": "Rituximab",
   "author": [{"family": "Oddis", "given": "Chester V"}, {"literal": "RIM Group"}],
   "issued": {"date-parts": [["2013", 2]]}, "DOI": "10.1002/art.37754"},
  {"id": "x", "type": "webpage", "title": "A page"}
]"""


def test_csl_items_and_their_lines():
    first, second = csljson.parse(SAMPLE)
    assert first.authors == ["Oddis, Chester V", "RIM Group"]
    assert (first.year, first.month, first.day) == (2013, 2, None)
    assert (first.line, second.line) == (2, 5)
    assert second.kind == "other"


def test_invalid_json_is_refused_with_its_line():
    with pytest.raises(ParseError) as excinfo:
        csljson.parse('[\n  {"title": "a"},\n  {"title": }\n]')
    assert excinfo.value.line == 3


def test_an_item_that_is_not_an_object_is_refused():
    with pytest.raises(ParseError) as excinfo:
        csljson.parse('[{"title": "a"}, "b"]')
    assert excinfo.value.record == 2
