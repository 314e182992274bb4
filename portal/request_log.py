"""Structured request logs: one JSON line per request on stdout.

gunicorn's access log is off (see gunicorn.conf.py); this line replaces it
and adds what the access log cannot know: the user and the time spent in
Django.
"""

import json
import logging
import time

from django.utils.functional import empty

logger = logging.getLogger("portal.requests")


class JsonFormatter(logging.Formatter):
    """Render a record's ``fields`` (or its message) as one JSON object."""

    def format(self, record):
        fields = getattr(record, "fields", None) or {"message": record.getMessage()}
        return json.dumps(
            {
                "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
                "level": record.levelname,
                "logger": record.name,
                **fields,
            },
            default=str,
        )


def _user_id(request):
    """The user's id if authentication already ran, without forcing it.

    Resolving ``request.user`` would query the session and user tables, which
    costs anonymous readers nothing today but would fail while the database
    is down, turning a 503 into a crash in the logger.
    """
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """Time each request and log method, path, status, duration and user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        logger.info(
            "request",
            extra={
                "fields": {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "user": _user_id(request),
                    "cache": response.get("X-Cache"),
                }
            },
        )
        return response


def log_worker_timeout(*, method: str, path: str, started: float) -> None:
    """Log a request that gunicorn's worker timeout killed (gunicorn.conf.py).

    The middleware above never sees it finish, so without this line a
    timeout leaves no trace in the request log. ``started`` is the
    ``time.perf_counter()`` of when the worker took the request.
    """
    logger.error(
        "worker timeout",
        extra={
            "fields": {
                "method": method,
                "path": path,
                "status": None,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "user": None,
                "cache": None,
                "worker_timeout": True,
            }
        },
    )
