"""Whole-page caching for anonymous readers, invalidated on every public change.

A portal like this is read by many and written by few, so a reader's page is
rendered once and then served from memory until something it shows changes.
The pages sit in each worker's own memory; the generation that names them
sits in the shared cache (Redis, or files on one machine).

Invalidation is by *generation*: every cached page's key contains the current
generation, and ``invalidate_public_pages()`` starts a new one, so all older
pages become unreachable at once and expire on their own. The generation is
read once per request and the rendered page stored under that generation, so
a page rendered from data that changed meanwhile lands under a dead key and is
never served.

What is cached: GET responses with status 200 to requests that carry no
session (nobody logged in), whose response sets no cookie and is not marked
private or uncacheable. Logged-in editors always get a freshly rendered page.
Both caches are used through ``portal.caching``'s guards: a cache that is
down costs speed, never the page.
"""

import hashlib
import logging

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import (
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date

from . import audience
from .caching import (
    guarded,
    new_generation,
    now_and_on_commit,
    shared_cache,
    shared_generation,
)

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-pages:generation"
# Rendered pages live in each worker's own memory (the "pages" cache) under
# the current generation, which lives in the shared default cache: one small
# shared read per request, and an invalidation reaches every worker at once.
PAGES = "pages"
# This worker's pages (the generation is in portal.caching.shared_cache).
page_store = guarded(PAGES)
# Cookies that change what an anonymous page shows; their values are part of
# the cache key: the reader's choice of plain or clinical language.
KEY_COOKIES = (audience.COOKIE,)
# Cookies that make a request personal: never served from or stored in the cache.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
HIT, MISS = "hit", "miss"


def current_generation() -> str | None:
    """The generation pages are cached under now; started on first use.

    None when the shared cache is unreachable: then no page is served from or
    stored in the cache, since nobody could invalidate it.
    """
    return shared_generation(GENERATION_KEY)


def invalidate_public_pages() -> None:
    """Make every cached public page stale: call after any public change.

    It runs now and again when the surrounding transaction commits, so a
    page rendered from the old rows in between is not kept under the new
    generation (``portal.caching.now_and_on_commit``).
    """

    def bump():
        # The change itself must not fail because the cache is away; the
        # pages it kept expire within PORTAL_PAGE_CACHE_SECONDS.
        if not shared_cache.set(GENERATION_KEY, new_generation(), timeout=None):
            logger.error("Could not invalidate the cached public pages")

    now_and_on_commit(bump)


def is_personal(request) -> bool:
    return any(name in request.COOKIES for name in PERSONAL_COOKIES)


def _page_key(request, generation: str) -> str:
    parts = [
        request.get_host(),
        request.get_full_path(),
        # The language LocaleMiddleware will choose: the cache runs before it.
        translation.get_language_from_request(request),
        *(request.COOKIES.get(name, "") for name in KEY_COOKIES),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"public-pages:{generation}:{digest}"


def _is_storable(response) -> bool:
    cache_control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(
            word in cache_control for word in ("private", "no-store", "no-cache")
        )
    )


def _mark_public(response, generation: str) -> None:
    """Headers for a shared page: revalidate each time (ETag/Last-Modified).

    ``no-cache`` lets browsers keep the page but ask before reusing it, so a
    reader sees an approval at once and a 304 costs almost nothing. ``Vary:
    Cookie`` keeps shared proxies from handing an editor a reader's copy.
    """
    response["Last-Modified"] = http_date(float(generation))
    # Hashed once here rather than by ConditionalGetMiddleware on every hit.
    set_response_etag(response)
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ["Cookie"])


class PublicPageCacheMiddleware:
    """Serve and store anonymous readers' pages; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or is_personal(request):
            return self._personal(self.get_response(request))
        if settings.PORTAL_PAGE_CACHE_SECONDS <= 0:  # switched off
            return self.get_response(request)
        generation = current_generation()
        if generation is None:
            # A cache that is down costs speed, never the page.
            return self.get_response(request)
        key = _page_key(request, generation)
        stored = page_store.get(key)
        if stored is not None:
            response = HttpResponse(stored["content"], status=stored["status"])
            for name, value in stored["headers"]:
                response[name] = value
            response["X-Cache"] = HIT
            return response
        response = self.get_response(request)
        if request.method == "GET" and _is_storable(response):
            _mark_public(response, generation)
            page_store.set(
                key,
                {
                    "status": response.status_code,
                    "headers": list(response.items()),
                    "content": response.content,
                },
                timeout=settings.PORTAL_PAGE_CACHE_SECONDS,
            )
            response["X-Cache"] = MISS
        return response

    @staticmethod
    def _personal(response):
        """Pages for a session are never kept by browsers or proxies."""
        if "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_cache=True)
        return response
