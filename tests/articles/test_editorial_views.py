"""The editorial screens: who may open what, and what each screen does."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services, workflow
from articles.models import Article, ReviewEvent
from tests.factories import (
    ReferenceFactory,
    TopicFactory,
    UserFactory,
    advance_to,
    approve_through_review,
    board_member,
    editor,
    make_article,
)

pytestmark = pytest.mark.django_db

Status = Article.Status
LOGIN = reverse("editorial:login")


@pytest.fixture
def people():
    return {
        "editor": editor(),
        "board": board_member(),
        "admin": UserFactory(is_superuser=True),
        "outsider": UserFactory(),
    }


@pytest.fixture
def article(people):
    # Written by someone else, so the board member and admin may review it.
    return make_article(body="Rituximab helps.", approve=True)


# (name, method, expected status for: anonymous, editor, board, admin, outsider)
# 302 after a POST means the action was taken or refused with a message.
URLS = [
    ("dashboard", "get", (302, 200, 200, 200, 403)),
    ("create", "get", (302, 200, 403, 200, 403)),
    ("review", "get", (302, 200, 200, 200, 403)),
    ("edit", "get", (302, 200, 403, 200, 403)),
    ("history", "get", (302, 200, 200, 200, 403)),
    ("compare", "get", (302, 200, 200, 200, 403)),
    ("transition", "post", (302, 302, 302, 302, 403)),
    ("revert", "post", (302, 302, 403, 302, 403)),
    # Editors reach these and are refused by the workflow, with a message.
    ("assign", "post", (302, 302, 302, 302, 403)),
    ("declare-conflict", "post", (302, 302, 302, 302, 403)),
]
WHO = ["anonymous", "editor", "board", "admin", "outsider"]


@pytest.mark.parametrize(
    "name, method, who, expected",
    [
        (name, method, who, statuses[i])
        for name, method, statuses in URLS
        for i, who in enumerate(WHO)
    ],
)
def test_every_editorial_url_needs_the_right_role(
    client, people, article, name, method, who, expected
):
    if who != "anonymous":
        client.force_login(people[who])
    needs_pk = name not in ("dashboard", "create")
    url = reverse(f"editorial:{name}", args=[article.pk] if needs_pk else [])
    data = {"action": "submit", "number": "1", "version": str(article.version)}
    response = getattr(client, method)(url, data if method == "post" else None)
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(f"{LOGIN}?next=")


def test_every_editorial_url_is_in_the_permission_table():
    from articles.editorial_urls import urlpatterns

    names = {p.name for p in urlpatterns} - {"login", "logout"}
    assert names == {name for name, _method, _statuses in URLS}


def test_login_page_and_logout(client, people):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'<label for="id_username">' in response.content
    response = client.post(
        LOGIN, {"username": people["editor"].username, "password": "correct horse 42"}
    )
    assert response["Location"] == reverse("editorial:dashboard")
    assert client.post(reverse("editorial:logout")).status_code == 302
    assert client.get(reverse("editorial:dashboard")).status_code == 302


def test_editor_writes_a_new_draft(client, people):
    client.force_login(people["editor"])
    topic = TopicFactory()
    response = client.post(
        reverse("editorial:create"),
        {
            "topic": topic.pk,
            "title": "IVIG for dermatomyositis",
            "slug": "",
            "summary": "When IVIG helps.",
            "body": "IVIG helps refractory skin disease.",
            "change_note": "First draft",
        },
    )
    article = Article.objects.get(slug="ivig-for-dermatomyositis")
    assert response["Location"] == reverse("editorial:review", args=[article.pk])
    assert article.author == people["editor"]
    assert article.status == Status.DRAFT
    assert article.events.get().comment == "First draft"
    assert client.get(article.get_absolute_url()).status_code == 404


def test_review_page_shows_only_the_actions_the_user_may_take(client, people):
    article = advance_to(make_article(author=people["editor"]), Status.SUBMITTED)
    client.force_login(people["editor"])
    html = client.get(reverse("editorial:review", args=[article.pk])).content.decode()
    assert 'value="withdraw"' in html
    assert 'value="start_review"' not in html and 'value="approve"' not in html

    client.force_login(people["board"])
    html = client.get(reverse("editorial:review", args=[article.pk])).content.decode()
    # The board may decide at once; starting a review is optional and says so.
    assert 'value="start_review"' in html and 'value="approve"' in html
    assert 'value="withdraw"' not in html
    assert "“Start review” is optional" in html


def test_the_server_refuses_a_posted_action_that_is_not_allowed(client, people):
    article = advance_to(make_article(author=people["editor"]), Status.IN_REVIEW)
    client.force_login(people["editor"])
    response = client.post(
        reverse("editorial:transition", args=[article.pk]), {"action": "approve"}
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW
    [message] = get_messages(response.wsgi_request)
    assert "members of the editorial board" in str(message)


def test_board_requests_changes_and_approves_through_the_screens(client, people):
    article = advance_to(make_article(author=people["editor"]), Status.SUBMITTED)
    url = reverse("editorial:transition", args=[article.pk])
    client.force_login(people["board"])
    client.post(url, {"action": "start_review", "version": article.version})
    client.post(url, {"action": "request_changes", "comment": ""})
    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW
    client.post(url, {"action": "request_changes", "comment": "Cite the guideline"})
    assert Article.objects.get(pk=article.pk).status == Status.CHANGES_REQUESTED
    page = client.get(reverse("editorial:review", args=[article.pk])).content.decode()
    assert "Cite the guideline" in page


def test_approved_stays_live_while_the_new_version_is_reviewed(client, people):
    article = make_article(body="The approved dose is 2 g/kg.", approve=True)
    public_url = article.get_absolute_url()
    client.force_login(people["editor"])
    response = client.post(
        reverse("editorial:edit", args=[article.pk]),
        {
            "topic": article.topic_id,
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "body": "The proposed dose is 1 g/kg.",
            "loaded_version": article.version,
        },
    )
    assert response.status_code == 302
    workflow.submit(article=article, user=people["editor"])
    workflow.start_review(article=article, user=people["board"])
    client.logout()

    page = client.get(public_url).content.decode()
    assert "2 g/kg" in page and "1 g/kg" not in page
    assert "updated version of this article is being reviewed" in page

    client.force_login(people["board"])
    client.post(
        reverse("editorial:transition", args=[article.pk]),
        {
            "action": "approve",
            "comment": "",
            "change_class": "major",
            "change_note": "The dose of IVIG was corrected.\r\n",
        },
    )
    client.logout()
    page = client.get(public_url).content.decode()
    assert "1 g/kg" in page and "2 g/kg" not in page
    assert "being reviewed" not in page


def test_a_stale_edit_is_refused_with_a_diff_link_and_the_text_kept(client, people):
    article = make_article(body="Version one.")
    client.force_login(people["editor"])
    form_page = client.get(reverse("editorial:edit", args=[article.pk]))
    assert b'name="loaded_version" value="1"' in form_page.content
    # Meanwhile someone else saves.
    article.body = "Someone else's version two."
    services.save_article(article=article, user=editor(), expected_version=1)

    response = client.post(
        reverse("editorial:edit", args=[article.pk]),
        {
            "topic": article.topic_id,
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "body": "My careful rewrite.",
            "loaded_version": 1,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this article" in html
    assert "My careful rewrite." in html
    compare = reverse("editorial:compare", args=[article.pk]) + "?a=1&amp;b=2"
    assert compare in html
    stored = Article.objects.get(pk=article.pk)
    assert (stored.body, stored.version) == ("Someone else's version two.", 2)


def test_edit_page_refuses_text_with_the_board_and_offers_withdrawal(client, people):
    article = advance_to(make_article(author=people["editor"]), Status.SUBMITTED)
    client.force_login(people["editor"])
    url = reverse("editorial:edit", args=[article.pk])
    html = client.get(url).content.decode()
    assert "cannot be changed now" in html and 'value="withdraw"' in html
    # Submitted while this editor was typing: refused, and the text kept.
    response = client.post(
        url,
        {
            "topic": article.topic_id,
            "title": "Changed",
            "slug": article.slug,
            "body": "Typed while it was submitted",
            "loaded_version": article.version,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Withdraw it to draft first" in html
    assert "Typed while it was submitted" in html
    assert Article.objects.get(pk=article.pk).title != "Changed"


def test_history_compare_and_revert(client, people, article):
    first_live = article.live
    article.body = "Rituximab does not help."
    services.save_article(article=article, user=people["editor"], comment="Oops")
    client.force_login(people["editor"])

    history = client.get(reverse("editorial:history", args=[article.pk]))
    html = history.content.decode()
    assert "Oops" in html and people["editor"].get_full_name() in html

    compare = client.get(
        reverse("editorial:compare", args=[article.pk]), {"a": 1, "b": 2}
    )
    html = compare.content.decode()
    assert "Rituximab <del>helps.</del><ins>does not help.</ins>" in html

    client.post(
        reverse("editorial:revert", args=[article.pk]), {"number": 1, "version": 2}
    )
    article.refresh_from_db()
    assert article.version == 3
    assert article.body == "Rituximab helps."
    assert article.status == Status.DRAFT
    assert article.live == first_live  # nothing goes live without review


def test_compare_of_a_missing_version_is_not_found(client, people, article):
    client.force_login(people["editor"])
    url = reverse("editorial:compare", args=[article.pk])
    assert client.get(url, {"a": 1, "b": 99}).status_code == 404


def test_diff_escapes_markup(client, people):
    article = make_article(body="Safe text.")
    article.body = "Safe <script>alert(1)</script> text."
    services.save_article(article=article, user=article.author)
    client.force_login(people["editor"])
    html = client.get(
        reverse("editorial:compare", args=[article.pk]), {"a": 1, "b": 2}
    ).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_review_page_shows_the_diff_against_the_live_version(client, people, article):
    article.body = "Rituximab helps. Often."
    services.save_article(article=article, user=people["editor"])
    client.force_login(people["board"])
    html = client.get(reverse("editorial:review", args=[article.pk])).content.decode()
    assert "<ins> Often.</ins>" in html
    assert "Changes since the live version (1)" in html


def test_dashboard_sorts_work_into_its_queues(client, people):
    mine = make_article(author=people["editor"], title="My draft")
    waiting = advance_to(make_article(title="Waiting one"), Status.SUBMITTED)
    sent_back = advance_to(make_article(title="Sent back"), Status.CHANGES_REQUESTED)
    done = make_article(title="Done and live", approve=True)
    client.force_login(people["editor"])
    context = client.get(reverse("editorial:dashboard")).context
    assert list(context["my_drafts"]) == [mine]
    assert list(context["awaiting_review"]) == [waiting]
    assert list(context["changes_requested"]) == [sent_back]
    assert list(context["recently_approved"]) == [done.live]
    assert list(context["overdue"]) == []


@pytest.mark.parametrize("view", ["dashboard", "review", "history", "compare"])
def test_editorial_pages_cost_a_fixed_number_of_queries(
    client, people, django_assert_max_num_queries, view
):
    def build(n):
        """n approved articles, half of them revised n times and resubmitted."""
        articles = [make_article(approve=True) for _ in range(n)]
        for article in articles[: n // 2]:
            for i in range(n):
                article.body = f"Revised {i}."
                services.save_article(article=article, user=article.author)
            workflow.submit(article=article, user=article.author)
        return articles[0]

    client.force_login(people["board"])
    counts = []
    for n in (2, 8):
        article = build(n)
        url = reverse(
            f"editorial:{view}", args=[] if view == "dashboard" else [article.pk]
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # The review page also reads conflicts, this round's approvals, the
    # assigned reviewers and who may be assigned, and the live version's
    # citations (for the citations added and removed), and the papers the
    # topic's saved searches found since approval with the day they last ran.
    with django_assert_max_num_queries(17):
        client.get(url)


def test_every_transition_through_the_screens_is_recorded(client, people):
    article = make_article(author=people["editor"])
    url = reverse("editorial:transition", args=[article.pk])
    client.force_login(people["editor"])
    client.post(url, {"action": "submit", "comment": "Please review"})
    client.force_login(people["board"])
    client.post(url, {"action": "start_review"})
    client.post(url, {"action": "approve", "comment": "Accurate"})
    actions = list(
        article.events.exclude(action=ReviewEvent.Action.EDIT).values_list(
            "action", "actor__username", "comment"
        )
    )
    assert actions == [
        ("submit", people["editor"].username, "Please review"),
        ("start_review", people["board"].username, ""),
        ("approve", people["board"].username, "Accurate"),
    ]


BODY = (
    "## Treatment\n\n"
    "Rituximab is often chosen when steroids fail.\n"
    "IVIG helps in dermatomyositis with skin disease.\n\n"
    "## Monitoring\n\n"
    "Check creatine kinase and strength at each visit.\n"
    "Review the dose every three months.\n"
)


def browser_form(article, **changes):
    """The edit form as a browser posts it: textareas with CRLF line endings,
    empty optional fields sent empty, an unticked checkbox left out."""
    data = {
        "topic": str(article.topic_id),
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "plain_summary": article.plain_summary,
        "plain_body": article.plain_body,
        "change_note": "",
        "loaded_version": str(article.version),
    }
    if article.is_overview:
        data["is_overview"] = "on"
    data.update(changes)
    return {
        name: value.replace("\n", "\r\n") if isinstance(value, str) else value
        for name, value in data.items()
    }


def test_a_browser_edit_of_one_sentence_shows_only_that_sentence_in_the_diff(
    client, people
):
    article = make_article(body=BODY, summary="Two lines\nof summary.", approve=True)
    client.force_login(people["editor"])
    edited = BODY.replace("every three months", "every six months")
    response = client.post(
        reverse("editorial:edit", args=[article.pk]),
        browser_form(article, body=edited + "   \n"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert "\r" not in article.body and "\r" not in article.summary
    assert article.body == edited.rstrip()

    client.force_login(people["board"])
    html = client.get(reverse("editorial:review", args=[article.pk])).content.decode()
    # Once in the rendered text, once in the Markdown diff folded below it.
    rendered, markdown = html.split('class="markdown-diff"')
    for part in (rendered, markdown):
        assert part.count("<del>") == 1 and part.count("<ins>") == 1
        assert "<del>three</del><ins>six</ins>" in part


def test_a_comment_posted_with_crlf_is_stored_with_lf(client, people):
    article = advance_to(make_article(), Status.IN_REVIEW)
    client.force_login(people["board"])
    client.post(
        reverse("editorial:transition", args=[article.pk]),
        {
            "action": "request_changes",
            "comment": "Cite the guideline.  \r\nAnd the trial.\r\n",
            "version": article.version,
        },
    )
    event = ReviewEvent.objects.get(
        article=article, action=ReviewEvent.Action.REQUEST_CHANGES
    )
    assert event.comment == "Cite the guideline.\nAnd the trial."


def test_an_edit_form_without_the_loaded_version_is_refused(client, people):
    article = make_article(body="Kept.")
    client.force_login(people["editor"])
    data = browser_form(article, body="Saved without a version.")
    del data["loaded_version"]
    response = client.post(reverse("editorial:edit", args=[article.pk]), data)
    assert response.status_code == 200
    assert "did not say which version" in response.content.decode()
    assert Article.objects.get(pk=article.pk).body == "Kept."


def test_a_revert_without_the_version_is_refused(client, people, article):
    article.body = "Rituximab does not help."
    services.save_article(article=article, user=people["editor"])
    client.force_login(people["editor"])
    client.post(reverse("editorial:revert", args=[article.pk]), {"number": 1})
    article.refresh_from_db()
    assert (article.version, article.body) == (2, "Rituximab does not help.")


def _act(client, article, action, comment=""):
    article.refresh_from_db()
    return client.post(
        reverse("editorial:transition", args=[article.pk]),
        {"action": action, "comment": comment, "version": article.version},
    )


def test_after_a_round_the_review_page_shows_what_changed_since_it(client, people):
    ReferenceFactory(citation_key="old-trial", title="An older open trial")
    ReferenceFactory(citation_key="eular-2017", title="EULAR/ACR criteria")
    article = make_article(body=BODY + "\nSee the trial [@old-trial].\n")
    article.author = people["editor"]
    article.save()
    client.force_login(people["editor"])
    _act(client, article, "submit")
    client.force_login(people["board"])
    _act(client, article, "start_review")
    _act(client, article, "request_changes", "Cite the classification criteria.")
    article.refresh_from_db()
    sent_back = article.version

    client.force_login(people["editor"])
    edited = BODY.replace("every three months", "every six months")
    client.post(
        reverse("editorial:edit", args=[article.pk]),
        browser_form(article, body=edited + "\nSee the criteria [@eular-2017].\n"),
    )
    _act(client, article, "submit")

    client.force_login(people["board"])
    html = client.get(reverse("editorial:review", args=[article.pk])).content.decode()
    assert f"Changes since the version the board last reviewed ({sent_back})" in html
    assert "all of its text is new" not in html
    assert "<del>three</del><ins>six</ins>" in html
    # The summary above the rendered text names them, each linked to its change.
    added = html[html.index("References added") : html.index("References removed")]
    removed = html[html.index("References removed") : html.index("rendered-diff")]
    assert "EULAR/ACR criteria" in added and "An older open trial" not in added
    assert "An older open trial" in removed
    assert 'href="#diff-change-' in added and 'href="#diff-change-' in removed
    # The Markdown diff, one click away, lists them too.
    markdown = html[html.index('class="markdown-diff"') :]
    added = markdown[
        markdown.index("Citations added") : markdown.index("Citations removed")
    ]
    assert "EULAR/ACR criteria" in added
    # The comment the editors answered is at the top, with who and when.
    top = html[: html.index('id="changes-heading"')]
    assert "Cite the classification criteria." in top
    assert people["board"].get_full_name() in top


def test_both_diffs_are_one_link_away(client, people):
    article = make_article(body=BODY, approve=True)
    article = advance_to(article, Status.DRAFT)
    edited = BODY.replace("each visit", "every visit")
    article.body = edited
    services.save_article(
        article=article, user=people["editor"], expected_version=article.version
    )
    advance_to(article, Status.CHANGES_REQUESTED)
    article.refresh_from_db()
    round_version = article.version
    article.body = edited.replace("three months", "six months")
    services.save_article(
        article=article, user=people["editor"], expected_version=article.version
    )
    client.force_login(people["board"])
    url = reverse("editorial:review", args=[article.pk])

    since_live = client.get(url).content.decode()
    assert "Changes since the live version (1)" in since_live
    assert "<del>each</del><ins>every</ins>" in since_live
    assert "?against=round#changes" in since_live

    since_round = client.get(url, {"against": "round"}).content.decode()
    assert (
        f"Changes since the version the board last reviewed ({round_version})"
        in since_round
    )
    assert "<del>three</del><ins>six</ins>" in since_round
    assert "<del>each</del>" not in since_round
    assert "?against=live#changes" in since_round


def test_the_edit_page_opens_with_the_boards_open_comments(client, people):
    article = advance_to(make_article(author=people["editor"]), Status.IN_REVIEW)
    client.force_login(people["board"])
    _act(client, article, "request_changes", "Add the IVIG dose.\r\nAnd cite it.")
    client.force_login(people["editor"])
    html = client.get(reverse("editorial:edit", args=[article.pk])).content.decode()
    top = html[: html.index("article-form")]
    assert "Open comments from the board" in top
    assert "Add the IVIG dose.<br>And cite it." in top
    assert people["board"].get_full_name() in top

    # Approval closes them.
    article.refresh_from_db()
    approve_through_review(article, editor_user=people["editor"])
    html = client.get(reverse("editorial:edit", args=[article.pk])).content.decode()
    assert "Open comments from the board" not in html


def test_a_change_note_posted_with_crlf_is_stored_with_lf(client, people):
    article = make_article(body="Approved.", approve=True)
    article.body = "Revised."
    services.save_article(
        article=article, user=article.author, expected_version=article.version
    )
    advance_to(article, Status.IN_REVIEW, reviewer=people["board"])
    client.force_login(people["board"])
    client.post(
        reverse("editorial:transition", args=[article.pk]),
        {
            "action": "approve",
            "change_class": "minor",
            "change_note": "Revised the text.  \r\nNothing else.\r\n",
            "version": article.version,
        },
    )
    article.refresh_from_db()
    assert article.live.number == article.version
    assert article.live.change_note == "Revised the text.\nNothing else."


@pytest.mark.parametrize(
    "number", ["", "one", "²", "٣", "9" * 5000, "-1", "99", "1\x00", "1\n2"]
)
def test_a_revert_to_a_garbled_or_missing_version_says_so(
    client, people, article, number
):
    article.body = "Rituximab does not help."
    services.save_article(article=article, user=people["editor"])
    client.force_login(people["editor"])
    response = client.post(
        reverse("editorial:revert", args=[article.pk]),
        {"number": number, "version": 2},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("editorial:history", args=[article.pk])
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "error"
    article.refresh_from_db()
    assert (article.version, article.body) == (2, "Rituximab does not help.")


@pytest.mark.parametrize("value", ["²", "9" * 5000, "1\x00", "٣"])
@pytest.mark.parametrize("field", ["reviewer", "version", "revert-version"])
def test_garbled_numbers_in_posted_actions_get_a_message_not_an_error(
    client, field, value
):
    article = advance_to(make_article(), Status.SUBMITTED)
    if field == "reviewer":
        client.force_login(board_member())
        url = reverse("editorial:assign", args=[article.pk])
        data = {"reviewer": value}
    elif field == "version":
        client.force_login(board_member())
        url = reverse("editorial:transition", args=[article.pk])
        data = {"action": "start_review", "version": value}
    else:
        client.force_login(article.author)
        url = reverse("editorial:revert", args=[article.pk])
        data = {"number": "1", "version": value}
    response = client.post(url, data)
    assert response.status_code == 302
    # A garbled version on a review action is no version: the action is
    # taken as posted. A revert needs the version, and assigning a person.
    expected = "success" if field == "version" else "error"
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == [expected]
    assert not article.assignments.exists()
