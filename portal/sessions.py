"""Sessions kept in the database and read through the cache, which may fail.

Django's ``cached_db`` engine lets a cache failure on reading or deleting a
session escape as an error, so with Redis down every signed-in editor's
request would fail. This store reads and writes through the guarded cache:
when the cache is down the session is read from the database, where it always
is, and the editor stays signed in.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db

from .caching import guarded


class SessionStore(cached_db.SessionStore):
    """``cached_db`` sessions whose cache is the guarded one."""

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = guarded(settings.SESSION_CACHE_ALIAS)
