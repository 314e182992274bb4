"""The editors' synonym sets, as search reads them, cached until one changes.

Editors keep them in the admin (``portal.models.SearchSynonym``);
``portal.signals`` calls ``forget()`` whenever a set is saved or deleted.
"""

from ..caching import now_and_on_commit, shared_cache
from ..models import SearchSynonym
from .query import normalise_forms

CACHE_KEY = "portal:search-synonyms"


def synonym_sets() -> list[tuple[tuple[str, ...], ...]]:
    """Every synonym set, each a tuple of forms (tuples of search words).

    With the cache down they are read from the database on each search.
    """
    sets = shared_cache.get(CACHE_KEY)
    if sets is None:
        sets = [
            forms
            for forms in (normalise_forms(s.forms) for s in SearchSynonym.objects.all())
            if len(forms) > 1
        ]
        shared_cache.set(CACHE_KEY, sets, None)
    return sets


def forget() -> None:
    """Drop the cached sets: now, and again when the transaction commits (a
    search in between may have cached the old sets)."""

    now_and_on_commit(lambda: shared_cache.delete(CACHE_KEY))
