"""Endpoints for a load balancer: is the process alive, can it serve?"""

import uuid

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .caching import shared_cache


@never_cache
@require_safe
def healthz(request):
    """Liveness: the process answers. Touches neither database nor cache."""
    return JsonResponse({"status": "ok"})


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    # Unguarded on purpose: this check exists to see the failures the rest of
    # the portal shrugs off.
    cache = shared_cache.backend
    key, value = f"readyz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


@never_cache
@require_safe
def readyz(request):
    """Readiness: the database and the cache both answer; 503 with detail if not."""
    checks = {}
    for name, check in (("database", _check_database), ("cache", _check_cache)):
        try:
            check()
        except Exception as exc:  # any failure is reported, never raised
            checks[name] = f"error: {type(exc).__name__}"
        else:
            checks[name] = "ok"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )
