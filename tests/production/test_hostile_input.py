"""Hostile input, each case of issue 28 through its real path: never a 500.

The fuzz test (test_fuzz.py) finds these by chance; here each has its own
test, named for the rule it holds.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.models import Article
from references.numbers import MAX_NUMBER, parse_number, parse_numbers
from tests.factories import (
    BoardMemberFactory,
    TopicFactory,
    administrator,
    advance_to,
    board_member,
    editor,
    make_article,
)

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "text, number",
    [
        ("7", 7),
        (" 12 ", 12),
        (str(MAX_NUMBER), MAX_NUMBER),
        (str(MAX_NUMBER + 1), None),
        (HUGE, None),
        ("²", None),
        ("١٢", None),  # int() would take these
        ("-1", None),
        ("+1", None),
        ("1\x00", None),
        ("", None),
        ("9" * 100_000, None),
        (None, None),
    ],
)
def test_a_number_from_a_request_is_ascii_digits_within_range(text, number):
    assert parse_number(text) == number


def test_garbled_numbers_in_a_list_are_dropped():
    assert parse_numbers(["3", "²", HUGE, "4"]) == [3, 4]


@pytest.mark.parametrize("page", ["²", "١٢", HUGE, "\ud800"])
def test_a_garbled_page_number_gives_the_page_without_a_page_in_its_address(
    client, page
):
    response = client.get("/", {"page": page.encode("utf-8", "surrogatepass")})
    assert response.status_code == 200
    assert b'rel="canonical" href="http://testserver/"' in response.content


def test_page_two_keeps_its_canonical_address(client):
    response = client.get("/glossary/", {"page": "2"})
    assert b"/glossary/?page=2" in response.content


@pytest.mark.parametrize("number", ["²", HUGE, "x"])
def test_a_garbled_version_to_compare_is_not_found(client, number):
    article = make_article()
    client.force_login(article.author)
    url = f"/editorial/articles/{article.pk}/compare/"
    assert client.get(url, {"a": number}).status_code == 404
    assert client.get(url).status_code == 200


def test_a_garbled_reviewer_is_refused_with_a_message(client):
    article = advance_to(make_article(), Article.Status.IN_REVIEW)
    client.force_login(board_member())
    response = client.post(
        f"/editorial/articles/{article.pk}/assign/",
        {"reviewer": ["²", HUGE]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choose at least one board member." in response.content.decode()


@pytest.mark.parametrize("value", ["²", HUGE])
def test_a_garbled_keep_in_the_import_preview_imports_without_it(client, value):
    client.force_login(editor())
    ris = b"TY  - JOUR\nTI  - Rituximab in myositis\nPY  - 2013\nER  - \n"
    client.post(
        "/editorial/literature/import/",
        {"file": SimpleUploadedFile("a.ris", ris), "topic": TopicFactory().pk},
    )
    response = client.post("/editorial/literature/import/preview/", {"keep": value})
    assert response.status_code == 302


@pytest.mark.parametrize("query", [{"topic": "\x00"}, {"q": "a\x00b"}])
def test_nul_in_a_query_is_refused_with_a_message(client, query):
    client.force_login(editor())
    for url in ("/editorial/literature/import/", "/search/"):
        response = client.get(url, query)
        assert response.status_code == 400
        assert "NUL" in response.content.decode()


def test_nul_in_a_review_comment_is_refused_and_nothing_is_saved(client):
    article = advance_to(make_article(), Article.Status.IN_REVIEW)
    events = article.events.count()
    client.force_login(board_member())
    for field in ("comment", "change_note"):
        response = client.post(
            f"/editorial/articles/{article.pk}/act/",
            {"action": "request_changes", field: "Cite\x00", "version": "1"},
            follow=True,
        )
        assert "NUL" in response.content.decode()
    assert article.events.count() == events


@pytest.fixture
def admin_client_():
    client = Client(raise_request_exception=False)
    client.force_login(administrator())
    return client


@pytest.mark.parametrize("year", ["2147483648", HUGE, "²"])
def test_a_huge_year_in_the_admin_date_hierarchy_is_not_a_server_error(
    admin_client_, year
):
    response = admin_client_.get("/admin/portal/loginevent/", {"at__year": year})
    assert response.status_code < 500


@pytest.mark.parametrize("value", [HUGE, "²", "x"])
def test_a_garbled_user_id_in_an_admin_form_is_refused_not_a_server_error(
    admin_client_, value
):
    response = admin_client_.post(
        "/admin/articles/boardmember/add/",
        {"user": value, "credentials": "MD", "role": "Rheumatologist"},
    )
    assert response.status_code in (200, 400)


def test_a_huge_id_in_an_admin_filter_is_not_a_server_error(admin_client_):
    BoardMemberFactory()
    response = admin_client_.get("/admin/auth/group/add/")
    assert response.status_code == 200
    response = admin_client_.post(
        "/admin/auth/group/add/", {"name": "g", "permissions": HUGE}
    )
    assert response.status_code in (200, 400)


def test_a_very_long_admin_search_is_refused_with_a_message(admin_client_):
    response = admin_client_.get("/admin/auth/user/", {"q": "Z" * 60_000})
    assert response.status_code == 400
    assert "limited" in response.content.decode()


# ---------------------------------------------------------------------------
# Titles: any script gets an address, titles are one line, mail never a 500.
# ---------------------------------------------------------------------------


def article_form(topic, **fields):
    return {
        "topic": topic.pk,
        "title": "A title",
        "slug": "",
        "summary": "What it says.",
        "body": "Text.",
        "review_period_months": "12",
        "change_note": "",
        **fields,
    }


@pytest.mark.parametrize("title", ["Миозит", "骨髓炎", "???"])
def test_a_title_without_latin_letters_gets_a_numbered_address(client, title):
    client.force_login(editor())
    topic = TopicFactory()
    for _ in range(2):
        response = client.post(
            "/editorial/articles/new/", article_form(topic, title=title)
        )
        assert response.status_code == 302
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs == ["article-1", "article-2"]
    assert Article.objects.filter(title=title).count() == 2


def test_a_service_refusal_is_shown_on_the_form_not_a_server_error(client, monkeypatch):
    from django.core.exceptions import ValidationError

    from articles import services

    def refuse(**kwargs):
        raise ValidationError({"slug": "Taken.", "author": "Not a writer."})

    monkeypatch.setattr(services, "save_article", refuse)
    client.force_login(editor())
    response = client.post(
        "/editorial/articles/new/", article_form(TopicFactory(), title="Rituximab")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Taken." in page and "Not a writer." in page


def test_a_title_posted_with_line_breaks_is_saved_on_one_line(client):
    client.force_login(editor())
    response = client.post(
        "/editorial/articles/new/",
        article_form(
            TopicFactory(), title="Rituximab\r\nBcc: x@example.org\u2028in PM"
        ),
    )
    assert response.status_code == 302
    assert Article.objects.get().title == "Rituximab Bcc: x@example.org in PM"


def test_titles_are_one_line_on_every_model_whatever_the_path():
    from references.models import Reference, Section, Topic

    topic = Topic.objects.create(title="Two\nlines", slug="two", summary="s")
    section = Section.objects.create(topic=topic, title="A\r\nB", slug="a")
    reference = Reference(title="Myositis\n\tin adults", kind="research")
    reference.title = Reference._meta.get_field("title").to_python(reference.title)
    topic.refresh_from_db()
    section.refresh_from_db()
    assert (topic.title, section.title, reference.title) == (
        "Two lines",
        "A B",
        "Myositis in adults",
    )


def test_an_email_subject_is_always_one_short_line():
    from articles.notifications import safe_subject

    assert (
        safe_subject("Approve:\r\nBcc: x@example.org") == "Approve: Bcc: x@example.org"
    )
    assert len(safe_subject("x" * 5_000)) <= 200


def test_a_mail_failure_after_the_commit_is_logged_and_retried_never_a_500(
    client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from smtplib import SMTPServerDisconnected

    from articles import notifications

    attempts = []

    def fail(messages, fail_silently):
        attempts.append(messages)
        raise SMTPServerDisconnected("the mail server hung up")

    monkeypatch.setattr(notifications, "send_mass_mail", fail)
    monkeypatch.setattr(notifications, "MAIL_RETRY_SECONDS", 0)
    board_member()  # someone to tell
    article = make_article()
    client.force_login(article.author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/editorial/articles/{article.pk}/act/",
            {"action": "submit", "version": str(article.version)},
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.SUBMITTED
    assert len(attempts) == notifications.MAIL_ATTEMPTS
    assert "E-mail lost" in caplog.text


# ---------------------------------------------------------------------------
# Import files: refused with a message, or read, never a 500 or a 503.
# ---------------------------------------------------------------------------


def csl(**name):
    import json

    return json.dumps(
        [{"type": "article-journal", "title": "Myositis", "author": [name]}]
    ).encode()


def upload(client, data, name):
    return client.post(
        "/editorial/literature/import/",
        {"file": SimpleUploadedFile(name, data), "topic": TopicFactory().pk},
        follow=True,
    )


def test_a_lone_surrogate_in_a_csl_json_file_is_refused_with_a_message(client):
    client.force_login(editor())
    response = upload(client, csl(family="Bohan\ud800", given="A"), "a.json")
    assert response.status_code == 200
    assert "half of a character" in response.content.decode()
    assert "references_import_pending" not in client.session
    # The next file is read as usual.
    response = upload(client, csl(family="Bohan", given="A"), "b.json")
    assert "references_import_pending" in client.session


def test_a_nul_in_an_imported_record_is_refused_with_a_message(client):
    client.force_login(editor())
    response = upload(client, csl(family="Bo\x00han", given="A"), "a.json")
    assert "NUL character" in response.content.decode()
    assert "references_import_pending" not in client.session


@pytest.mark.parametrize("length", [100, 60_000])
def test_a_very_long_family_name_imports_with_a_short_citation_key(client, length):
    from references.models import Reference

    client.force_login(editor())
    upload(client, csl(family="B" * length, given="A"), "a.json")
    response = client.post("/editorial/literature/import/preview/", follow=True)
    assert response.status_code == 200
    [reference] = Reference.objects.filter(title="Myositis")
    assert len(reference.citation_key) <= 100


def test_a_readers_confirmation_mail_failing_is_logged_not_a_500(
    client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from smtplib import SMTPRecipientsRefused

    from articles import notifications
    from questions.models import Question

    def fail(messages, fail_silently):
        raise SMTPRecipientsRefused({})

    monkeypatch.setattr(notifications, "send_mass_mail", fail)
    monkeypatch.setattr(notifications, "MAIL_RETRY_SECONDS", 0)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/questions/ask/",
            {
                "text": "Can I exercise with dermatomyositis?",
                "asker": "patient",
                "email": "reader@example.org",
                "page": "/",
                "website": "",
            },
        )
    assert response.status_code == 302
    assert Question.objects.count() == 1
    assert "E-mail lost" in caplog.text
