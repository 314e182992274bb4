"""gunicorn settings for production, all from the environment.

    gunicorn -c gunicorn.conf.py portal.wsgi

The access log is off: Django's request log (portal/request_log.py) writes
one JSON line per request to stdout with the user and the duration.
"""

import multiprocessing
import os
import time

bind = os.environ.get("GUNICORN_BIND", os.environ.get("BIND", "127.0.0.1:8000"))
workers = int(
    os.environ.get("GUNICORN_WORKERS", os.environ.get("WEB_CONCURRENCY", 0))
    or multiprocessing.cpu_count() * 2 + 1
)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A worker silent this long is killed and replaced; requests past the database
# timeouts (settings.py) are bugs, so this is a last resort.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycling workers (after N requests) bounds a slow memory leak but costs a
# cold start each time, which shows as latency spikes under load; off unless
# asked for.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "0"))
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind a proxy on another host, list its address so gunicorn trusts its
# X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = os.environ.get("GUNICORN_PRELOAD", "false").lower() in {"1", "true"}


# A worker killed by the timeout never returns from Django, so the request log
# (portal/request_log.py) would never hear of the request. These hooks keep
# the requests each worker is serving, and the abort hook (run in the worker
# when the arbiter kills it) logs each with its path before it dies.
def pre_request(worker, req):
    worker.in_flight = getattr(worker, "in_flight", {})
    worker.in_flight[id(req)] = (req.method, req.path, time.perf_counter())


def post_request(worker, req, environ, resp):
    getattr(worker, "in_flight", {}).pop(id(req), None)


def worker_abort(worker):
    from portal.request_log import log_worker_timeout

    for method, path, started in getattr(worker, "in_flight", {}).values():
        log_worker_timeout(method=method, path=path, started=started)
