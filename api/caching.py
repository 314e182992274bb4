"""The API's responses, kept per cache generation like the pages' parts.

Every answer the API gives is public and the same for every caller, so its
body is rendered once per public change and then served from this worker's
memory: the key holds the cache generation (any public change starts a new
one, see ``portal.page_cache``), the site's address, the path with its query
and today's date (a review falls due). The generation's time is the
answer's ``Last-Modified`` and the body's digest its ``ETag``; Django's
ConditionalGetMiddleware turns a matching request into a 304.

This module is the API's one use of portal's cache machinery: the import
below is the only line to change if that machinery moves.
"""

import hashlib
from email.utils import formatdate

from django.utils import timezone

from portal.page_cache import current_generation, page_store

# Rendered bodies sit in each worker's memory beside the pages' parts.
store = page_store
# A generation lasts until the next public change; this bounds the memory an
# unread answer keeps when nothing changes for a long time.
BODY_SECONDS = 24 * 60 * 60


def generation() -> str | None:
    """The cache generation now, or None when the shared cache is unreachable."""
    return current_generation()


def body_key(request, generation: str) -> str:
    """Where the body of this request's answer is kept in ``generation``."""
    parts = [
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        timezone.localdate().isoformat(),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"api:{generation}:{digest}"


def last_modified(generation: str) -> str:
    """The generation's start (a Unix time) as an HTTP date."""
    return formatdate(float(generation), usegmt=True)
