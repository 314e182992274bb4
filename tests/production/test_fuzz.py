"""Fault class: hostile input on every form and query parameter. Never a 500.

The site is crawled as each role sees it (the URL resolver is walked, as the
permission matrix walks it, so a page or form added later is fuzzed as soon as
it exists): every form a page shows is posted, and every query parameter its
links or search forms use is sent, with values an attacker would try in each
field: digits that are not ASCII, integers past any column, NUL, a lone
surrogate (sent as the bytes a browser never sends), line breaks, 100,000
characters, file contents built the same way.

Hypothesis chooses which fields get which value (derandomised, no shrinking:
every failure of the run is listed, not the first one shrunk), and the work is
bounded by a fixed number of examples per form and per link. Runs on SQLite,
and on PostgreSQL when DATABASE_URL names one.
"""

import json
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from articles.models import Article, Disclosure
from portal.models import LoginEvent
from references.models import Reference, ReferenceNotice, Topic
from tests.factories import (
    BoardMemberFactory,
    advance_to,
    board_member,
    editor,
    make_article,
)

from . import urlmap

pytestmark = pytest.mark.django_db

LONG = "x" * 100_000
HOSTILE = [
    "²",  # "²".isdigit() holds, int("²") fails
    "١٢",  # Arabic-Indic digits: int() accepts them
    "99999999999999999999999",
    "2147483648",
    "-1",
    "0",
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate: sent as its (invalid) UTF-8 bytes
    "line one\r\nline two",
    "\n",
    "Миозит",
    "骨髓炎",
    "???",
    " ",
    "",
    LONG,
    "Z" * 60_000,
    "`" * 9_999,
    "<script>alert(1)</script>",
]


def _csl(**name):
    return json.dumps(
        [{"type": "article-journal", "title": "T", "author": [name], "issued": {}}]
    )


HOSTILE_FILES = [
    # json.dumps writes the surrogate as the escape \ud800, as a file may.
    ("lone.json", _csl(family="Bohan\ud800", given="A")),
    ("long-family.json", _csl(family="B" * 100, given="A")),
    ("huge-family.json", _csl(family="C" * 60_000, given="A")),
    ("nul.json", _csl(family="Bo\x00han", given="A")),
    (
        "title.ris",
        "TY  - JOUR\r\nTI  - ²\x00 --^\r\nAU  - " + "D" * 100 + "\r\nER  -\r\n",
    ),
    ("empty.bib", ""),
    ("garbage.bib", "@article{" + "{" * 5_000),
]

# Posting these would sign the client out or delete what the run needs.
SKIPPED_ACTIONS = ("/logout/", "/delete/", "/password_change/")
ROLES = ("anonymous", "editor", "board", "admin")


@dataclass(frozen=True)
class Target:
    role: str
    method: str
    path: str
    fields: tuple  # (name, kind, default value) in page order
    submit: tuple = ()  # the one (name, value) of the button pressed, if named

    def __str__(self):
        return f"{self.role} {self.method} {self.path} {self.submit}"


@dataclass
class _Form:
    method: str
    action: str
    fields: list = field(default_factory=list)
    buttons: list = field(default_factory=list)


class PageReader(HTMLParser):
    """The forms of a page (fields with their values) and the links' queries."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.links = []
        self._form = None
        self._select = None
        self._textarea = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "option" and self._select is not None:
            # A <select>'s value: its selected option, else its first.
            if self._select[2] is None or "selected" in attrs:
                self._select[2] = attrs.get("value", "")
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = _Form(
                method=(attrs.get("method") or "get").lower(),
                action=attrs.get("action") or "",
            )
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "image"):
                self._form.buttons.append((attrs["name"], attrs.get("value") or ""))
            elif kind in ("checkbox", "radio") and "checked" not in attrs:
                self._form.fields.append((attrs["name"], kind, None))
            else:
                self._form.fields.append((attrs["name"], kind, attrs.get("value", "")))
        elif tag == "button" and (attrs.get("type") or "submit") == "submit":
            self._form.buttons.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea":
            self._form.fields.append((attrs["name"], "textarea", ""))
            self._textarea = True
        elif tag == "select":
            self._select = [attrs["name"], "select", None]
            self._form.fields.append(self._select)

    def handle_data(self, data):
        if self._textarea:
            name, kind, text = self._form.fields[-1]
            self._form.fields[-1] = (name, kind, text + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = False

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


@pytest.fixture
def site(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    call_command("seed_demo", "--no-accounts", verbosity=0)
    article = Article.objects.approved().first()
    admin_user = get_user_model().objects.create_superuser(
        "site-admin", "admin@example.org", "correct horse 42"
    )
    # What the admin's other pages need, as in the permission matrix.
    LoginEvent.objects.create(kind="failure", username="someone")
    Disclosure.objects.create(
        user=BoardMemberFactory().user, statement="No interests to declare."
    )
    with reversion.create_revision():
        ReferenceNotice.objects.create(
            reference=Reference.objects.first(),
            kind=ReferenceNotice.Kind.CORRECTION,
            source=ReferenceNotice.Source.EDITOR,
        )
    users = {"editor": editor(), "board": board_member(), "admin": admin_user}
    # The editorial pages of an article at each stage show different forms.
    stages = [
        advance_to(make_article(author=users["editor"]), status)
        for status in (Article.Status.DRAFT, Article.Status.IN_REVIEW)
    ]
    return {
        "topic": Topic.objects.first(),
        "article": article,
        "stages": stages,
        "reference": Reference.objects.first(),
        "users": users,
    }


def client_for(role, site):
    # A 500 is counted, not raised: the run lists every one.
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(site["users"][role])
    return client


def crawl(site):
    """Every GET and POST target each role can reach from the URL resolver."""
    targets = {}
    for role in ROLES:
        client = client_for(role, site)
        urls = []
        for route in urlmap.walk():
            # The administrator's crawl covers the admin.
            if role != "admin" and route.route.startswith("admin"):
                continue
            try:
                urls.append(urlmap.url_for(route, site))
            except LookupError:
                continue
            if route.name.startswith("editorial:") and "pk" in route.arg_names:
                urls += [
                    reverse(route.name, kwargs={"pk": article.pk})
                    for article in site["stages"]
                ]
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get(
                "Content-Type", ""
            ):
                continue
            path = urlsplit(url).path
            reader = PageReader()
            reader.feed(response.content.decode())
            page = Target(role, "get", path, (("page", "text", "2"),))
            targets[page] = None
            for href in reader.links:
                parts = urlsplit(href)
                if parts.netloc:
                    continue
                query = tuple(
                    (name, "text", value)
                    for name, value in parse_qsl(parts.query, keep_blank_values=True)
                )
                target = Target(role, "get", parts.path or path, query)
                targets.setdefault(target, None)
            for form in reader.forms:
                action = urlsplit(form.action).path or path
                if any(part in action for part in SKIPPED_ACTIONS):
                    continue
                fields = tuple(tuple(f) for f in form.fields)
                for button in form.buttons or [()]:
                    targets.setdefault(
                        Target(role, form.method, action, fields, tuple(button)), None
                    )
    # One target per (role, method, path, names): the admin's many sort links
    # differ only in values.
    unique = {}
    for target in targets:
        key = (
            target.role,
            target.method,
            target.path,
            tuple(name for name, _kind, _value in target.fields),
            target.submit,
        )
        unique.setdefault(key, target)
    return list(unique.values())


def _encoded(value):
    # Bytes go on the wire as they are: a lone surrogate as the bytes of its
    # code point, which no browser sends and any client can.
    return value.encode("utf-8", "surrogatepass")


def values_for(target):
    """A strategy for one submission: each field a hostile value or its own.

    Each target starts the hostile list at its own place (derandomised runs
    draw the same choices for every target of the same shape), so across the
    site every value reaches every kind of field.
    """
    start = zlib.crc32(str(target).encode())
    per_field = []
    for index, (name, kind, default) in enumerate(target.fields):
        if kind == "file":
            files = _rotated(HOSTILE_FILES, start + index)
            choice = st.sampled_from(files).map(
                lambda f: SimpleUploadedFile(f[0], _encoded(f[1]))
            )
        else:
            own = [] if default is None else [default]
            choice = st.sampled_from(_rotated(HOSTILE, start + index) + own)
            choice = choice.map(_encoded)
        # A checkbox or radio left unticked is sometimes not sent at all.
        per_field.append(st.tuples(st.just(name), st.one_of(choice, st.none())))
    return st.tuples(*per_field)


def _rotated(values, start):
    start %= len(values)
    return values[start:] + values[:start]


def send(client, target, values):
    data = {}
    for name, value in values:
        if value is not None:
            data.setdefault(name, []).append(value)
    if target.submit:
        data.setdefault(target.submit[0], []).append(_encoded(target.submit[1]))
    if target.method == "post":
        return client.post(target.path, data)
    return client.get(target.path, data)


EXAMPLES_PER_TARGET = 8


def fuzz(site, targets):
    """Send every target its examples; the (target, status) of each 5xx."""
    failures = []
    clients = {role: client_for(role, site) for role in ROLES}
    for target in targets:
        if target.fields or target.submit:
            examples(target, clients, site, failures)()
    return failures


def examples(target, clients, site, failures):
    """The hypothesis run for one target, recording each 5xx in ``failures``."""

    @settings(
        max_examples=EXAMPLES_PER_TARGET,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(values_for(target))
    def run(values):
        client = clients[target.role]
        response = send(client, target, values)
        if response.status_code >= 500:
            failures.append((str(target), response.status_code))
        if response.status_code in (302, 200) and target.role != "anonymous":
            # A post may have signed the client out (a password changed):
            # sign in again for the next example.
            if "_auth_user_id" not in client.session:
                client.force_login(site["users"][target.role])

    return run


def test_the_crawl_finds_the_editorial_and_public_forms(site):
    targets = crawl(site)
    posted = {t.path for t in targets if t.method == "post"}
    assert "/editorial/articles/new/" in posted
    assert "/editorial/literature/import/" in posted
    assert f"/editorial/articles/{site['stages'][1].pk}/act/" in posted
    assert "/editorial/login/" in posted
    searched = {t.path for t in targets if t.method == "get" and t.fields}
    assert "/search/" in searched


def test_no_form_post_or_query_parameter_answers_a_server_error(site):
    targets = crawl(site)
    failures = fuzz(site, targets)
    print(f"\nfuzz: {len(targets)} targets, {len(failures)} answers >= 500")
    for target, status in sorted(set(failures)):
        print(status, target)
    assert failures == []
