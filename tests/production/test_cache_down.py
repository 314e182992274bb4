"""Fault class: the cache is down. Readers get their pages, editors keep working.

The cache here is a real Redis client pointed at a closed port on the
loopback, so every cache call fails the way it does when Redis has stopped.
"""

import ast
import socket
import threading
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session

from articles.models import Article
from portal.audience import COOKIE
from portal.models import GlossaryTerm
from tests.factories import (
    EntryFactory,
    ReferenceFactory,
    approve_through_review,
    editor,
    make_article,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse 42"
# Port 1 on the loopback: nothing listens, every connection is refused.
CLOSED_PORT_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
}


@pytest.fixture
def redis_sessions(settings):
    """Sessions as production keeps them with CACHE_URL set."""
    settings.SESSION_ENGINE = "portal.sessions"


def stop_cache(settings):
    settings.CACHES = {**settings.CACHES, "default": CLOSED_PORT_REDIS}


@pytest.fixture
def cache_down(settings, redis_sessions):
    stop_cache(settings)


@pytest.fixture
def plain_article():
    GlossaryTerm.objects.create(
        term="IVIG", slug="ivig", definition="Antibodies from donors, by drip."
    )
    return make_article(
        slug="ivig",
        body="Clinical text on intravenous immunoglobulin.",
        plain_summary="In short.",
        plain_body="IVIG is given by drip.",
        approve=True,
    )


def login(client, username, password, path="/editorial/login/"):
    return client.post(path, {"username": username, "password": password})


def test_a_patient_gets_the_plain_page_with_its_glossary(
    client, cache_down, plain_article
):
    client.cookies[COOKIE] = "patient"
    response = client.get(plain_article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a class="term" href="#term-ivig">IVIG</a>' in html
    assert "X-Cache" not in response  # rendered, neither served nor stored


def test_anonymous_pages_render_without_the_page_cache(client, cache_down):
    article = make_article(body="Readable while Redis is away.", approve=True)
    urls = ("/", article.topic.get_absolute_url(), article.get_absolute_url())
    for url in (*urls, "/search/?q=readable", "/literature/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Cache" not in response


def test_search_filters_show_each_readers_choice_while_the_cache_is_down(
    client, cache_down
):
    trial = ReferenceFactory(title="Readable trial", kind="trial")
    EntryFactory(reference=trial, section__topic__slug="ibm")
    ReferenceFactory(title="Readable news", kind="news")
    url = "/search/"
    page = client.get(
        url, {"q": "readable", "topic": "ibm", "kind": "trial", "year_from": ""}
    ).content.decode()
    assert '<option value="ibm" selected>' in page
    assert '<option value="trial" selected>' in page
    assert "Readable trial" in page and "Readable news" not in page
    page = client.get(url, {"q": "readable", "kind": "news"}).content.decode()
    assert '<option value="news" selected>' in page
    assert '<option value="ibm" selected>' not in page
    assert "Readable news" in page and "Readable trial" not in page


def test_a_signed_in_editor_stays_signed_in_when_the_cache_stops(
    client, settings, redis_sessions
):
    user = editor(password=PASSWORD)
    assert login(client, user.username, PASSWORD).status_code == 302
    stop_cache(settings)
    response = client.get("/editorial/")
    assert response.status_code == 200
    assert response.context["user"] == user
    # The session was read from the database, where it always is.
    assert Session.objects.filter(
        session_key=client.cookies[settings.SESSION_COOKIE_NAME].value
    ).exists()


def test_an_editor_signs_in_and_saves_while_the_cache_is_down(client, cache_down):
    user = editor(password=PASSWORD)
    assert login(client, user.username, "wrong password").status_code == 200
    assert login(client, user.username, PASSWORD).status_code == 302
    assert client.get("/editorial/").status_code == 200
    client.post("/editorial/logout/")
    assert "_auth_user_id" not in client.session


def test_an_approval_made_while_the_cache_is_down_is_public(client, cache_down):
    article = make_article(body="First text.", approve=True)
    assert client.get(article.get_absolute_url()).status_code == 200
    article.body = "Approved while Redis was stopped."
    from articles import services

    services.save_article(article=article, user=article.author)
    approve_through_review(article)
    assert Article.objects.get(pk=article.pk).live.number == 2
    assert b"Approved while Redis was stopped." in (
        client.get(article.get_absolute_url()).content
    )


def test_the_admin_login_works_while_the_cache_is_down(client, cache_down):
    user = editor(password=PASSWORD, is_staff=True)
    response = login(client, user.username, PASSWORD, "/admin/login/?next=/admin/")
    assert response.status_code == 302


def test_readyz_still_reports_the_cache_down(client, cache_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "error: ConnectionError",
    }


@pytest.fixture
def hung_redis(settings):
    """A server that accepts connections and never answers, as a hung Redis."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:  # closed at the end of the test
                return

    threading.Thread(target=accept, daemon=True).start()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            **CLOSED_PORT_REDIS,
            "LOCATION": f"redis://127.0.0.1:{server.getsockname()[1]}/0",
        },
    }
    settings.PORTAL_CACHE_RETRY_SECONDS = 60
    yield accepted
    server.close()
    for connection in accepted:
        connection.close()


def test_a_hung_cache_costs_one_timeout_not_one_per_call(client, hung_redis):
    """After one timed-out call the process leaves the cache alone a while."""
    article = make_article(body="Served without waiting on Redis.", approve=True)
    client.cookies[COOKIE] = "patient"
    for _ in range(3):
        assert client.get(article.get_absolute_url()).status_code == 200
    assert len(hung_redis) == 1


def test_only_portal_caching_touches_django_caches():
    """One guarded accessor: no other module imports django.core.cache."""
    offenders = []
    for package in ("portal", "articles", "references"):
        for path in (ROOT / package).rglob("*.py"):
            if path.relative_to(ROOT).as_posix() == "portal/caching.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.ImportFrom)
                    and node.module == "django.core.cache"
                ):
                    offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []
