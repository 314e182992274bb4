"""The one way the portal uses a cache: guarded, shared, invalidated by generation.

Every use of a cache in the portal goes through ``GuardedCache`` (the
instance ``shared_cache`` below, or ``guarded(alias)``): a cache that is down
or slow counts as a miss, is logged, and never reaches the reader or the
editor as an error. Only ``/readyz`` talks to the cache unguarded, because its
job is to report the outage.

What is cached from stored data (the glossary, the search synonyms, the
public pages in ``portal.page_cache``) is dropped when that data changes, by
deleting its key or starting a new *generation* (``shared_generation``), now
and again when the change commits (``now_and_on_commit``).
"""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import transaction

logger = logging.getLogger(__name__)


class GuardedCache:
    """A Django cache whose failures are misses: the one way the portal uses a cache.

    Each method does what Django's cache method of the same name does; when
    the backend raises (Redis stopped, a socket timeout, a full disk) the
    failure is logged and the method returns what an empty cache would:
    ``get`` the default, ``add`` and ``set`` False, ``get_many`` nothing,
    ``incr`` None. After a failure this process leaves the cache alone for
    ``PORTAL_CACHE_RETRY_SECONDS``, so a Redis that hangs costs one timeout
    now and then rather than one per call. The cache is looked up on each
    call because Django keeps one connection per thread.
    """

    def __init__(self, alias: str = "default"):
        self.alias = alias
        self._down_until = 0.0

    @property
    def backend(self):
        """The unguarded Django cache, for code whose job is to see failures."""
        return caches[self.alias]

    def reset(self) -> None:
        """Try the cache again at the next call (tests, after an outage)."""
        self._down_until = 0.0

    def _call(self, operation: str, default, *args):
        if time.monotonic() < self._down_until:
            return default
        try:
            return getattr(self.backend, operation)(*args)
        except Exception as exc:
            if operation == "incr" and isinstance(exc, ValueError):
                raise  # no such key: the caller's business, as in Django
            self._failed(operation, exc)
        return default

    def _failed(self, operation: str, exc: Exception) -> None:
        self._down_until = time.monotonic() + settings.PORTAL_CACHE_RETRY_SECONDS
        # A warning, not a traceback: an outage makes one per request.
        logger.warning(
            "Cache %r unavailable (%s): %s: %s",
            self.alias,
            operation,
            type(exc).__name__,
            exc,
        )

    def get(self, key, default=None):
        return self._call("get", default, key, default)

    def get_many(self, keys) -> dict:
        return self._call("get_many", {}, keys)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT) -> bool:
        return self._call("set", False, key, value, timeout) is None

    def add(self, key, value, timeout=DEFAULT_TIMEOUT) -> bool:
        return bool(self._call("add", False, key, value, timeout))

    def incr(self, key, delta: int = 1) -> int | None:
        """Add ``delta``; ValueError (no such key) is the caller's, as in Django."""
        return self._call("incr", None, key, delta)

    def delete(self, key) -> bool:
        return bool(self._call("delete", False, key))

    def delete_many(self, keys) -> None:
        self._call("delete_many", None, keys)

    def __contains__(self, key) -> bool:
        return self.get(key, _MISSING) is not _MISSING


_MISSING = object()
_guarded: dict[str, GuardedCache] = {}


def reset_guards() -> None:
    """Every guarded cache tries its backend again at the next call."""
    for guard in _guarded.values():
        guard.reset()


def guarded(alias: str = "default") -> GuardedCache:
    """The guarded form of the cache ``alias`` (one instance per alias)."""
    if alias not in _guarded:
        _guarded[alias] = GuardedCache(alias)
    return _guarded[alias]


# The shared cache (Redis, or files on one machine), which every worker sees.
shared_cache = guarded("default")


def new_generation() -> str:
    """A fresh generation: the time of the change (the page cache sends it as
    its pages' Last-Modified)."""
    return str(time.time())


def shared_generation(key: str) -> str | None:
    """The generation stored under ``key`` in the shared cache, started on first use.

    ``add`` then ``get``: when two workers start one at once, both use the
    winner's. None when the shared cache is unreachable.
    """
    generation = shared_cache.get(key)
    if generation is None:
        shared_cache.add(key, new_generation(), timeout=None)
        generation = shared_cache.get(key)
    return generation


def now_and_on_commit(forget: Callable[[], object]) -> None:
    """Run ``forget`` (which drops something cached) now and again on commit.

    Call it when rows that something cached was derived from change. Between
    the two runs a reader still sees the old rows (the change is not
    committed yet) and may cache them again; the second run drops that copy.
    Outside a transaction Django runs the second at once.
    """
    forget()
    transaction.on_commit(forget)
