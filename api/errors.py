"""Errors as JSON with a message a person understands, never an HTML page.

Every refusal of the API has the same body, ``{"status": 404, "message":
"..."}`` (with ``errors`` by field for a bad parameter); the FHIR endpoints
answer with a FHIR ``OperationOutcome`` instead, as FHIR clients expect. A
database outage is a 503 with ``Retry-After``, as for the pages, and any
other failure a logged 500 in the same form.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.utils import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

logger = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"

# The FHIR issue type of each HTTP status the API answers with.
FHIR_ISSUE_CODES = {
    400: "invalid",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    429: "throttled",
    503: "transient",
}


def error_body(status_code: int, message: str, *, errors=None) -> dict:
    """The body of every JSON error the API sends."""
    body = {"status": status_code, "message": str(message)}
    if errors:
        body["errors"] = errors
    return body


def operation_outcome(status_code: int, message: str) -> dict:
    """The same error as a FHIR R5 OperationOutcome."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": FHIR_ISSUE_CODES.get(status_code, "exception"),
                "diagnostics": str(message),
            }
        ],
    }


def json_error(status_code: int, message: str, *, fhir=False, **headers):
    """A complete error response outside DRF (middleware, the catch-all)."""
    if fhir:
        response = JsonResponse(
            operation_outcome(status_code, message),
            status=status_code,
            content_type=FHIR_JSON,
        )
    else:
        response = JsonResponse(error_body(status_code, message), status=status_code)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _message(detail) -> tuple[str, dict | None]:
    """One sentence for a DRF error detail, and the fields' errors if any."""
    if isinstance(detail, dict):
        fields = {
            name: [
                str(item) for item in (value if isinstance(value, list) else [value])
            ]
            for name, value in detail.items()
        }
        first = next(iter(fields.values()), [""])
        return (
            first[0] if len(fields) == 1 else _("Some parameters are wrong.")
        ), fields
    if isinstance(detail, list):
        return (str(detail[0]) if detail else ""), None
    return str(detail), None


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every failure of an API view, as JSON."""
    view = context.get("view")
    fhir = getattr(view, "fhir", False)
    headers = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(
            str(exc) or _("Nothing is published at this address.")
        )
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.APIException):
        code = exc.status_code
        message, errors = _message(exc.detail)
        if isinstance(exc, exceptions.MethodNotAllowed):
            headers["Allow"] = ", ".join(view.allowed_methods) if view else "GET"
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
    elif isinstance(exc, OperationalError | InterfaceError):
        logger.error("Database unavailable: %s", exc)
        code, errors = status.HTTP_503_SERVICE_UNAVAILABLE, None
        message = _("The portal is briefly unavailable: try again in a minute.")
        headers["Retry-After"] = str(settings.PORTAL_RETRY_AFTER_SECONDS)
    else:
        logger.error("API failure", exc_info=exc)
        code, errors = status.HTTP_500_INTERNAL_SERVER_ERROR, None
        message = _("Something went wrong on our side; it has been logged.")
    if fhir:
        response = Response(
            operation_outcome(code, message), status=code, content_type=FHIR_JSON
        )
    else:
        response = Response(error_body(code, message, errors=errors), status=code)
    for name, value in headers.items():
        response[name] = value
    if code >= 500:
        add_never_cache_headers(response)
    return response


class NotFoundView(APIView):
    """Any other address under /api/: a JSON 404, whatever the method.

    Without it Django would answer with the site's HTML 404 page (and an
    address missing only its final slash would not be redirected, since
    this pattern matches it): so it redirects those itself.
    """

    # Not an endpoint: left out of the OpenAPI schema.
    schema = None

    def _answer(self, request, path=""):
        if not request.path.endswith("/"):
            try:
                match = resolve(request.path + "/")
            except Resolver404:
                match = None
            if match is not None and match.url_name != "not-found":
                query = request.META.get("QUERY_STRING", "")
                target = request.path + "/" + (f"?{query}" if query else "")
                return Response(status=301, headers={"Location": target})
        raise exceptions.NotFound(
            _("Nothing is published at this address. Start from %(root)s.")
            % {"root": request.build_absolute_uri(reverse("api:root"))}
        )

    get = post = put = patch = delete = head = options = _answer
