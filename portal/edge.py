"""Input refused at the edge, before any view: what no honest client sends.

A NUL character cannot be sent to PostgreSQL (it raises DataError on any
query carrying one) and no link or search box puts one in an address, so a
query string holding NUL is answered 400 with a plain message before a view
can filter on it (``?topic=%00``, ``?q=``). Posted forms are checked where
they are read: Django's form fields refuse NUL (ProhibitNullCharactersValidator)
and the editorial actions, which read fields directly, refuse it with a
message (``articles.editorial_views.ActionView``).
"""

import logging

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def holds_nul(data) -> bool:
    """Whether any key or value of a QueryDict holds a NUL character."""
    return any(
        "\x00" in key or any("\x00" in v for v in values)
        for key, values in data.lists()
    )


class RefuseNulMiddleware:
    """Answer 400 to a request whose query string holds NUL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if holds_nul(request.GET):
            logger.warning("Refused a request holding NUL: %s", request.path)
            return HttpResponseBadRequest(
                _("This address holds a NUL character, which no link or form sends."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
