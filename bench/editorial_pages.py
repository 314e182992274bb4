"""Server time of every editorial page at the demo's size (issue 21: under 300 ms).

    python bench/editorial_pages.py                # every page, 30 requests each
    python bench/editorial_pages.py review preview --requests 100

It builds a temporary SQLite database (or uses ``DATABASE_URL``) with the
demo content and the editorial work a demo site has under way: the overview
revised (one dose) and submitted for review, an editor's draft as long as
the overview, a reader's question, a reference waiting
in the inbox. Each page is requested through Django's WSGI handler, as
gunicorn would call it, signed in as the person who uses it (an editor or a
board member), once to warm up and then REQUESTS times. It prints, per page,
the status, the size, the queries of one request and the median and slowest
wall-clock milliseconds (the server's time, no network), and the median CPU
milliseconds. Asserts nothing: the target is a median under 300 ms, and
``tests/production/test_editorial_queries.py`` asserts the query counts.
"""

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO = "antibody-therapy-pm-dm"
DRAFT = "bench-editorial-draft"
EDITOR, BOARD = "bench-editor", "bench-board"


def setup(work: Path) -> dict:
    """The database, the demo and the work under way; the pages to request as
    {name: (who, method, path, form)}."""
    from fixtures import bench_environment

    bench_environment(
        work, "editorial", SESSION_COOKIE_SECURE="false", CSRF_COOKIE_SECURE="false"
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", "--no-accounts", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    return under_way()


def under_way() -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from articles import roles, services, workflow
    from articles.models import Article
    from questions.models import Question
    from questions.services import ask
    from references import services as library
    from references.models import Reference, SavedSearch

    users = get_user_model().objects
    editor, _ = users.get_or_create(username=EDITOR)
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    board, _ = users.get_or_create(username=BOARD)
    board.groups.add(Group.objects.get(name=roles.BOARD))

    overview = Article.objects.get(slug=DEMO)
    if overview.status == Article.Status.APPROVED:
        overview.body = overview.body.replace("from 15 mg up", "from 10 mg up")
        services.save_article(article=overview, user=editor, comment="Dose")
        workflow.submit(article=overview, user=editor)
    draft = Article.objects.filter(slug=DRAFT).first()
    if draft is None:
        draft = Article(
            topic=overview.topic,
            slug=DRAFT,
            title="A draft as long as the overview",
            summary=overview.summary,
            body=overview.body,
            plain_summary=overview.plain_summary,
            plain_body=overview.plain_body,
        )
        services.save_article(article=draft, user=editor, comment="Started")
    topic = overview.topic
    # The demo's standing searches (never run here: no network).
    search = SavedSearch.objects.filter(topic=topic).order_by("pk").first()
    question = ask(
        text="Can I exercise with dermatomyositis?", asker=Question.Asker.PATIENT
    )
    if not Reference.objects.filter(title="A study waiting in the inbox").exists():
        library.add_to_inbox(
            reference=Reference(
                title="A study waiting in the inbox",
                authors="Waiting, Walter",
                source="Arthritis Rheumatol",
                year=2024,
            ),
            topic=topic,
            user=None,
        )
    reference = Reference.objects.visible().order_by("pk").first()
    review = reverse("editorial:review", args=[overview.pk])
    edit = reverse("editorial:edit", args=[draft.pk])
    form = {
        "topic": str(draft.topic_id),
        "title": draft.title,
        "slug": draft.slug,
        "summary": draft.summary,
        "body": draft.body.replace("\n", "\r\n"),
        "plain_summary": draft.plain_summary,
        "plain_body": draft.plain_body.replace("\n", "\r\n"),
        "change_note": "",
        "loaded_version": str(draft.version),
        "preview": "",
    }
    literature = "/editorial/literature"
    return {
        "dashboard": ("board", "GET", "/editorial/", None),
        "review": ("board", "GET", review, None),
        "history": (
            "board",
            "GET",
            reverse("editorial:history", args=[overview.pk]),
            None,
        ),
        "compare": (
            "board",
            "GET",
            reverse("editorial:compare", args=[overview.pk]) + "?a=1&b=3",
            None,
        ),
        "create": ("editor", "GET", reverse("editorial:create"), None),
        "edit": ("editor", "GET", edit, None),
        "preview": ("editor", "POST", edit, form),
        "picker": ("editor", "GET", "/editorial/cite/?q=rituximab", None),
        "picker-json": (
            "editor",
            "GET",
            "/editorial/cite/?q=oldroyd+2022&format=json",
            None,
        ),
        "tools": ("editor", "GET", f"{literature}/", None),
        "import": ("editor", "GET", f"{literature}/import/", None),
        "add": ("editor", "GET", f"{literature}/add/", None),
        "add-many": ("editor", "GET", f"{literature}/add/many/", None),
        "reference-edit": (
            "editor",
            "GET",
            f"{literature}/references/{reference.pk}/edit/",
            None,
        ),
        "inboxes": ("editor", "GET", f"{literature}/inbox/", None),
        "inbox": ("editor", "GET", f"{literature}/inbox/{topic.slug}/", None),
        "search-topics": ("board", "GET", f"{literature}/searches/", None),
        "searches": ("board", "GET", f"{literature}/searches/{topic.slug}/", None),
        "search-edit": (
            "editor",
            "GET",
            f"{literature}/searches/{topic.slug}/{search.pk}/",
            None,
        ),
        "questions": ("editor", "GET", "/editorial/questions/", None),
        "question": (
            "editor",
            "GET",
            f"/editorial/questions/{question.group_id}/",
            None,
        ),
    }


def sessions() -> dict:
    """{who: "sessionid=…; csrftoken=…"} for the editor and the board member."""
    from django.contrib.auth import get_user_model
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    cookies = {}
    for who, username in (("editor", EDITOR), ("board", BOARD)):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        token = _get_new_csrf_string()
        cookies[who] = (
            f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}",
            token,
        )
    return cookies


def environ(method: str, path: str, cookie: str, token: str, form) -> dict:
    parts = urlsplit(path)
    body = urlencode(form).encode() if form is not None else b""
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_COOKIE": cookie,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if form is not None:
        env.update(
            CONTENT_TYPE="application/x-www-form-urlencoded",
            CONTENT_LENGTH=str(len(body)),
            HTTP_X_CSRFTOKEN=token,
            HTTP_REFERER="http://127.0.0.1:8000" + parts.path,
            HTTP_ORIGIN="http://127.0.0.1:8000",
        )
    return env


def request(app, page, cookies):
    who, method, path, form = page
    cookie, token = cookies[who]
    status = []
    body = b"".join(
        app(
            environ(method, path, cookie, token, form),
            lambda s, h, *a: status.append(s),
        )
    )
    return status[0], body


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("pages", nargs="*", help="pages to measure (default: all)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        pages = setup(Path(tmp))
        import logging

        from django.core.wsgi import get_wsgi_application
        from django.db import connection

        app = get_wsgi_application()
        # The request log writes a line per request: not what is measured.
        logging.getLogger("portal.requests").disabled = True
        cookies = sessions()
        names = args.pages or list(pages)
        print(f"Editorial pages at the demo's size, {args.requests} requests each")
        print(
            f"{'page':<16} {'status':<7} {'KB':>6} {'queries':>7} "
            f"{'ms median':>9} {'ms max':>7} {'ms CPU':>7}"
        )
        for name in names:
            page = pages[name]
            status, body = request(app, page, cookies)
            queries = []

            def count(execute, sql, *rest, queries=queries):
                queries.append(sql)
                return execute(sql, *rest)

            with connection.execute_wrapper(count):
                request(app, page, cookies)
            wall, cpu = [], []
            for _ in range(args.requests):
                start, start_cpu = time.perf_counter(), time.process_time()
                request(app, page, cookies)
                wall.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            print(
                f"{name:<16} {status[:3]:<7} {len(body) / 1024:6.1f} "
                f"{len(queries):>7} {statistics.median(wall):9.1f} "
                f"{max(wall):7.1f} {statistics.median(cpu):7.1f}"
            )


if __name__ == "__main__":
    main()
