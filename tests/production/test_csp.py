"""Every HTML response carries a strict Content Security Policy."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.db.backends.utils import CursorWrapper
from django.db.utils import OperationalError
from django.test import Client

from articles.models import Article
from questions import emails as question_emails
from questions import services as question_services
from references.models import Reference, Topic
from tests.factories import SavedSearchFactory

from . import urlmap

pytestmark = pytest.mark.django_db


def directives(header):
    return {
        part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()
    }


def assert_strict(response, url):
    header = response.get("Content-Security-Policy")
    assert header, f"{url} has no CSP header"
    policy = directives(header)
    assert policy["default-src"] == ["'self'"], url
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy.get(directive, []), url
        assert "'unsafe-eval'" not in policy.get(directive, []), url
    assert policy["frame-ancestors"] == ["'none'"], url
    assert policy["object-src"] == ["'none'"], url
    assert policy["base-uri"] == ["'self'"], url
    assert policy["form-action"] == ["'self'"], url


@pytest.fixture
def data():
    call_command("seed_demo", "--no-accounts", verbosity=0)
    topic = Topic.objects.first()
    question = question_services.ask(
        text="Can I exercise with dermatomyositis?",
        asker="patient",
        email="reader@example.org",
    )
    return {
        "topic": topic,
        "article": Article.objects.approved().first(),
        "reference": Reference.objects.first(),
        "search": SavedSearchFactory(topic=topic),
        "question": question,
        "question_token": question_emails.confirmation_token(question),
    }


def test_every_public_html_page_and_the_admin_login_have_the_policy(data):
    client = Client()
    urls = [
        urlmap.url_for(route, data)
        for route in urlmap.walk()
        if not route.route.startswith("admin/")
    ]
    urls += ["/admin/login/", "/no-such-page/"]
    html_pages = 0
    for url in urls:
        for _ in range(2):  # the second answer comes from the page cache
            response = client.get(url)
            if response["Content-Type"].startswith("text/html"):
                html_pages += 1
                assert_strict(response, url)
    assert html_pages >= 2 * 7


def test_admin_pages_have_the_policy(admin_client):
    for url in ("/admin/", "/admin/references/reference/add/"):
        assert_strict(admin_client.get(url), url)


def test_the_503_page_has_the_policy(client):
    topic = Topic.objects.create(title="T", slug="t")
    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError):
        response = client.get(topic.get_absolute_url())
    assert response.status_code == 503
    assert_strict(response, "503")
