"""Facts that tell a reader how far to trust an article and how fresh it is."""

from django.utils import timezone


def is_overdue(version, today=None) -> bool:
    """Whether the approved version has passed its next review date."""
    return version.next_review_due < (today or timezone.localdate())


def newest_reference(references):
    """The most recently published of ``references`` (None if none is dated)."""
    dated = [r for r in references if r.year]
    if not dated:
        return None
    return max(dated, key=lambda r: (r.year, r.month or 0, r.day or 0))
