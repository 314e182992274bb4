"""The portal's admin site: Django's, refusing garbled numbers with a 400.

The admin reads ids from many places we do not write: changelist filters
(``?user__id__exact=``), the date hierarchy (``?at__year=``), raw-id and
autocomplete fields, the permission lists of ``auth``. Django turns most bad
values into a form error, but not all: on SQLite a number past 64 bits
raises OverflowError when the query runs, a huge year raises OverflowError
in ``datetime``, and an autocomplete widget re-rendering a form with a value
that is not an id raises ValueError. Those come from the request, not from a
fault of ours, so they are answered 400 with a message and logged; searches
are bounded so that SQLite never gets a LIKE pattern it calls too complex.
"""

import functools
import logging

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Longer searches are refused: no name or title is this long, and SQLite
# refuses LIKE patterns of 50,000 bytes as "too complex" (a 503 otherwise).
MAX_SEARCH_LENGTH = 500


class PortalAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @functools.wraps(inner)
        def guarded(request, *args, **kwargs):
            if len(request.GET.get("q", "")) > MAX_SEARCH_LENGTH:
                return HttpResponseBadRequest(
                    _("Searches are limited to %(n)d characters.")
                    % {"n": MAX_SEARCH_LENGTH},
                    content_type="text/plain; charset=utf-8",
                )
            try:
                response = inner(request, *args, **kwargs)
                # Rendered here, so that a widget failing on a garbled value
                # is caught too.
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
            except (OverflowError, ValueError) as exc:
                logger.warning(
                    "Admin refused a garbled value: %s (%s)", request.path, exc
                )
                return HttpResponseBadRequest(
                    _(
                        "A number in this address or form is not one the site "
                        "can hold. Go back and correct it."
                    ),
                    content_type="text/plain; charset=utf-8",
                )
            return response

        return guarded


class PortalAdminConfig(AdminConfig):
    """Django's admin app with the portal's site (INSTALLED_APPS names it)."""

    default_site = "portal.admin_site.PortalAdminSite"
