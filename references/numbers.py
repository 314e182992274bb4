"""Numbers read from a request: the one parser every view, form and the admin use.

A number in an address or a form is an id, a version, a page: it is written
in ASCII digits and fits the database's integer columns. ``str.isdigit()`` is
not that test: it holds for "²" (which ``int()`` refuses) and for "١٢" (which
``int()`` accepts), and ``int()`` accepts thousands of digits that no column
holds (SQLite raises OverflowError on them, PostgreSQL a DataError).

This lives in ``references``, the bottom layer, so that every app may use it.
"""

# The largest value of a 32-bit signed integer column, the smallest integer
# column any of our databases has: every id, version and page fits in it.
MAX_NUMBER = 2**31 - 1


def parse_number(value, *, minimum: int = 0, maximum: int = MAX_NUMBER) -> int | None:
    """``value`` as an int when it is plain ASCII digits within range, else None.

    Surrounding spaces are allowed (a form field may add them); signs, other
    digits, NUL, and anything that is not a str are not.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    # len() first: a 100,000-digit string is refused before int() reads it.
    if not (0 < len(text) <= len(str(maximum)) and text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def parse_numbers(values, **bounds) -> list[int]:
    """The numbers among ``values`` (a ``getlist()``), garbled ones dropped."""
    parsed = (parse_number(value, **bounds) for value in values)
    return [number for number in parsed if number is not None]
