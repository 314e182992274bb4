"""A database outage gets a calm 503; probes and the request log work."""

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.db.backends.utils import CursorWrapper
from django.db.utils import InterfaceError, OperationalError
from django.test import Client

from tests.factories import TopicFactory

ROOT = Path(__file__).resolve().parents[2]
# Longer than any answer takes on a loaded machine, far shorter than a hang
# (gunicorn kills a worker after 30 s).
HANG_SECONDS = 10
pytestmark = pytest.mark.django_db


def failing_database(exc_type=OperationalError):
    """Every query raises, as when PostgreSQL has gone away."""
    return mock.patch.object(
        CursorWrapper, "execute", side_effect=exc_type("server closed the connection")
    )


@pytest.mark.parametrize("exc_type", [OperationalError, InterfaceError])
def test_database_failure_in_a_view_gives_a_styled_503_quickly(client, exc_type):
    topic = TopicFactory()
    started = time.monotonic()
    with failing_database(exc_type) as execute:
        response = client.get(topic.get_absolute_url())
    # Quickly means no retrying: the first failed query ends the request. The
    # time bound only catches a hang (the worker timeout is 30 s); a bound near
    # the real figure would fail on a loaded machine, not on slow code.
    assert execute.call_count == 1
    assert time.monotonic() - started < HANG_SECONDS
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert "briefly unavailable" in body
    assert 'rel="stylesheet"' in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_503_is_not_cached(client):
    topic = TopicFactory()
    with failing_database():
        client.get(topic.get_absolute_url())
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_database_failure_outside_views_also_gives_503(db):
    """A failure in a middleware (a logged-in session) reaches handler500."""
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    with (
        failing_database(),
        mock.patch(
            "django.contrib.sessions.backends.db.SessionStore.load",
            side_effect=OperationalError("down"),
        ),
        mock.patch(
            "portal.failures.DatabaseUnavailableMiddleware.process_exception",
            return_value=None,
        ),
    ):
        response = client.get("/")
    assert response.status_code == 503
    assert b"briefly unavailable" in response.content


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """Production pages need collectstatic's manifest."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, "STATIC_ROOT": str(root), "SECRET_KEY": "x" * 50},
        check=True,
        timeout=120,
    )
    return root


def test_unreachable_database_in_a_fresh_process(collected_static):
    """A real refused connection, end to end through the settings and handlers."""
    script = (
        "import django, time; django.setup();"
        "from django.test import Client;"
        "from django.test.utils import setup_test_environment;"
        "setup_test_environment();"
        "c = Client(raise_request_exception=False); t = time.monotonic();"
        "r = c.get('/'); print('=>', r.status_code, round(time.monotonic() - t, 2));"
        "r = c.get('/readyz'); print('=>', r.status_code, r.content.decode());"
        "r = c.get('/healthz'); print('=>', r.status_code)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "SECRET_KEY": "x" * 50,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": str(collected_static),
        # Port 1 on the loopback: nothing listens, the connection is refused.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing",
    }
    env.pop("CACHE_URL", None)
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    # The request log shares stdout; the script's own lines start with "=>".
    lines = [line[3:] for line in result.stdout.splitlines() if line.startswith("=>")]
    home, ready, health = lines
    status, seconds = home.split()
    assert status == "503" and float(seconds) < HANG_SECONDS
    code, detail = ready.split(" ", 1)
    assert code == "503"
    assert json.loads(detail)["checks"] == {
        "database": "error: OperationalError",
        "cache": "ok",
    }
    assert health == "200"
    assert "Traceback" not in result.stdout + result.stderr


def test_healthz_needs_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_a_database_failure(client):
    with failing_database():
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error: OperationalError"


def test_one_json_log_line_per_request(client, caplog):
    topic = TopicFactory()
    with caplog.at_level(logging.INFO, logger="portal.requests"):
        client.get(topic.get_absolute_url())
        client.get("/no-such-page/")
    records = [r for r in caplog.records if r.name == "portal.requests"]
    assert len(records) == 2
    formatter = logging.getLogger("portal.requests").handlers[0].formatter
    first = json.loads(formatter.format(records[0]))
    assert first["method"] == "GET"
    assert first["path"] == topic.get_absolute_url()
    assert first["status"] == 200
    assert first["duration_ms"] >= 0
    assert first["user"] is None
    assert json.loads(formatter.format(records[1]))["status"] == 404


def test_log_line_names_the_logged_in_user(admin_client, admin_user, caplog):
    with caplog.at_level(logging.INFO, logger="portal.requests"):
        admin_client.get("/admin/")
    record = next(r for r in caplog.records if r.name == "portal.requests")
    assert record.fields["user"] == admin_user.pk
