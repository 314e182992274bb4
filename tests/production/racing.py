"""Race editors' and board members' posts on one article, through the real views.

Used by test_concurrent_writers.py: in the test process on PostgreSQL, and as
``python -m tests.production.racing DB_FILE`` on a fresh SQLite file (the
suite's own SQLite database lives in memory, where locking works otherwise).
The run prints one JSON line of what happened.
"""

import json
import os
import sys
import threading
from collections import Counter

SAVERS = 20
ROUNDS = 5


def _post_all(posts):
    """Send every (client, path, data) post at once, one thread each.

    Returns the responses in order. Each thread closes its own database
    connection, as a server's worker thread would at the end of a request.
    """
    from django.db import connection

    barrier = threading.Barrier(len(posts))
    responses = [None] * len(posts)

    def run(index, client, path, data):
        try:
            barrier.wait()
            responses[index] = client.post(path, data)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def _client(user):
    from django.test import Client

    # As a browser sees it: a failure is a response (500), not an exception.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _outcome(response) -> str:
    body = response.content.decode(errors="replace")
    if response.status_code == 302:
        return "saved"
    if response.status_code == 200 and "Someone else saved this article" in body:
        return "conflict"
    if "database is locked" in body:
        return "locked"
    return str(response.status_code)


def parallel_saves() -> dict:
    """SAVERS editors save the same loaded version at once: one wins."""
    from django.urls import reverse

    from articles.models import Article
    from tests.factories import editor, make_article

    article = make_article(body="The text everyone opened.")
    form = {
        "topic": article.topic_id,
        "title": article.title,
        "slug": article.slug,
        "summary": "",
        "plain_summary": "",
        "plain_body": "",
        "loaded_version": article.version,
        "change_note": "",
    }
    path = reverse("editorial:edit", args=[article.pk])
    posts = [
        (_client(editor()), path, {**form, "body": f"Edit number {n}.\r\n"})
        for n in range(SAVERS)
    ]
    outcomes = Counter(_outcome(r) for r in _post_all(posts))
    article = Article.objects.get(pk=article.pk)
    return {
        "outcomes": dict(outcomes),
        "version": article.version,
        "edit_events": article.events.filter(action="edit").count(),
    }


ADMIN_SAVERS = 10


def parallel_admin_saves() -> dict:
    """ADMIN_SAVERS editors save the same loaded version in the admin: one wins,
    the others get the conflict message (never a 500)."""
    from django.urls import reverse

    from articles.models import Article
    from tests.factories import editor, make_article

    article = make_article(body="The text everyone opened in the admin.")
    form = {
        "topic": article.topic_id,
        "title": article.title,
        "slug": article.slug,
        "summary": "",
        "plain_summary": "",
        "plain_body": "",
        "author": article.author_id,
        "loaded_version": article.version,
        "change_note": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    path = reverse("admin:articles_article_change", args=[article.pk])
    posts = [
        (_client(editor()), path, {**form, "body": f"Admin edit {n}.\r\n"})
        for n in range(ADMIN_SAVERS)
    ]
    outcomes = Counter(_outcome(r) for r in _post_all(posts))
    article = Article.objects.get(pk=article.pk)
    return {"outcomes": dict(outcomes), "version": article.version}


def approve_racing_withdraw() -> dict:
    """Two board members approve while the editor withdraws: one action wins."""
    from django.urls import reverse

    from articles import workflow
    from tests.factories import board_member, make_article

    winners, statuses = Counter(), Counter()
    for _ in range(ROUNDS):
        article = make_article(body="Text under review.")
        workflow.submit(article=article, user=article.author)
        workflow.start_review(article=article, user=board_member())
        path = reverse("editorial:transition", args=[article.pk])
        version = article.version
        posts = [
            (_client(board_member()), path, {"action": "approve", "version": version}),
            (_client(board_member()), path, {"action": "approve", "version": version}),
            (_client(article.author), path, {"action": "withdraw", "version": version}),
        ]
        statuses.update(str(r.status_code) for r in _post_all(posts))
        done = list(
            article.events.filter(action__in=["approve", "withdraw"]).values_list(
                "action", flat=True
            )
        )
        winners[len(done)] += 1
    return {"statuses": dict(statuses), "rounds_by_winners": dict(winners)}


def main(db_file: str) -> None:
    """Migrate a fresh SQLite file, race, print the results as JSON."""
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    # As the suite runs: no collectstatic manifest, a fast password hash.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ).enable()
    call_command("migrate", verbosity=0)
    result = {
        "saves": parallel_saves(),
        "admin_saves": parallel_admin_saves(),
        "transitions": approve_racing_withdraw(),
    }
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
