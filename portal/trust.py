"""Facts that tell a reader how far to trust an article and how fresh it is."""


def newest_reference(references):
    """The most recently published of ``references`` (None if none is dated)."""
    dated = [r for r in references if r.year]
    if not dated:
        return None
    return max(dated, key=lambda r: (r.year, r.month or 0, r.day or 0))
