"""The format helpers every parser shares: text, dates, names."""

import pytest

from references.formats import clean_text, parse_date, person


@pytest.mark.parametrize(
    "given, expected",
    [
        ("2018 Nov 1", (2018, 11, 1)),
        ("2019/07/24/", (2019, 7, 24)),
        ("2019///", (2019, None, None)),
        ("2019/10//undefined", (2019, 10, None)),
        ("2009-03", (2009, 3, None)),
        ("2019 Jan-Feb", (2019, 1, None)),
        ("2019 Spring", (2019, None, None)),
        ("Mar 1", (None, 3, 1)),
        ("", (None, None, None)),
    ],
)
def test_partial_dates_keep_what_they_give(given, expected):
    assert parse_date(given) == expected


def test_decomposed_unicode_is_composed():
    assert clean_text("Lu\u0308scher") == "Lüscher"


def test_line_breaks_fold_but_no_break_spaces_stay():
    assert clean_text(" a\r\n  b\u00a0c ") == "a b\u00a0c"


def test_person_is_stored_family_first():
    assert person("Oddis", "Chester V") == "Oddis, Chester V"
    assert person("PRIME Study Group") == "PRIME Study Group"
