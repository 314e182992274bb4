"""A request limit per client address on the API, answered with a JSON 429.

It sits before the page cache (see settings.MIDDLEWARE), so an answer the
cache would serve still counts: a client that floods the API is told to
wait however cheap its requests are. The count lives in the shared cache
(``portal.throttling.count_request``); with the cache down nobody is
limited, as logins are not throttled then either.
"""

from django.conf import settings
from django.utils.cache import add_never_cache_headers
from django.utils.translation import ngettext

from portal import throttling

from .errors import json_error

PREFIX = "/api/"
SCOPE = "api-requests"


class RequestLimitMiddleware:
    """Refuse an address's requests to /api/ past ``API_RATE_LIMIT`` a window."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.API_RATE_LIMIT
        if limit > 0 and request.path.startswith(PREFIX):
            counted = throttling.count_request(
                scope=SCOPE, request=request, window=settings.API_RATE_WINDOW_SECONDS
            )
            if counted is not None and counted[0] > limit:
                wait = counted[1]
                message = ngettext(
                    "Too many requests from your address: at most %(limit)d in "
                    "%(window)d seconds. Try again in %(wait)d second.",
                    "Too many requests from your address: at most %(limit)d in "
                    "%(window)d seconds. Try again in %(wait)d seconds.",
                    wait,
                ) % {
                    "limit": limit,
                    "window": settings.API_RATE_WINDOW_SECONDS,
                    "wait": wait,
                }
                response = json_error(
                    429,
                    message,
                    fhir=request.path.startswith(f"{PREFIX}v1/fhir/"),
                    Retry_After=str(wait),
                )
                add_never_cache_headers(response)
                return response
        return self.get_response(request)
