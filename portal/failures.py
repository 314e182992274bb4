"""Calm failure: when the database is down or slow, readers get a 503 page.

The page is rendered without touching the database or the session, says
when to try again (``Retry-After``), and never shows a traceback. The server
recovers by itself: ``CONN_HEALTH_CHECKS`` drops a dead connection before the
next request uses it.
"""

import logging
import sys

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


FALLBACK_PAGE = (
    "<!doctype html><title>Temporarily unavailable</title>"
    "<h1>The portal is briefly unavailable</h1>"
    "<p>Please try again in a minute.</p>"
)


def unavailable_response() -> HttpResponse:
    """The 503 page: a standalone template, no request context, no queries."""
    try:
        page = render_to_string("503.html", {"portal_name": settings.PORTAL_NAME})
    except Exception:  # the page of last resort must not fail in its turn
        logger.exception("The 503 page could not be rendered")
        page = FALLBACK_PAGE
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(settings.PORTAL_RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Turn a database outage raised by a view or its template into a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable: %s", exception)
            return unavailable_response()
        return None


def server_error(request, template_name="500.html"):
    """handler500: a database outage outside any view also gets the 503 page.

    Django calls this while handling the exception, so ``sys.exc_info()``
    still holds it; a failure in a middleware (say, saving a session) lands
    here rather than in ``DatabaseUnavailableMiddleware``.
    """
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return unavailable_response()
    return defaults.server_error(request, template_name)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form posted without its page's token (a page left
    open too long, a post from elsewhere, a robot) is refused (403) with a page
    saying what to do, not Django's technical one."""
    response = render(request, "403_csrf.html", status=403)
    add_never_cache_headers(response)
    return response
