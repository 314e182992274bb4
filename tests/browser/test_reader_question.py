"""A reader's question, all the way round, in real Chromium.

A patient on a 390 px phone asks from the plain version of an article with
an e-mail address and confirms it from the e-mail; an editor groups it with
a similar question and plans an article from it; the board approves the
article; the reader gets one e-mail with the public link, and the address is
gone.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from questions import services
from questions.models import Question, QuestionGroup
from tests.factories import BoardMemberFactory, editor

from .conftest import PHONE, log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = "/articles/antibody-therapy-pm-dm/"
ADDRESS = "patient@example.org"


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def link_in(message, live_server):
    return re.search(rf"{re.escape(live_server.url)}/\S+", message.body)[0]


def test_a_question_goes_round_and_comes_back_reviewed(
    demo, chromium, live_server, page, axe_violations, screenshot, settings
):
    settings.PORTAL_SITE_URL = live_server.url
    author = editor(first_name="Erin", last_name="Editor")
    reviewer = BoardMemberFactory(user__first_name="Bao", user__last_name="Board").user
    # Another reader asked much the same thing earlier, without an address.
    services.ask(text="Can I exercise when I have dermatomyositis?", asker="other")

    # The patient, on a phone, reading the plain version.
    phone = chromium.new_context(base_url=live_server.url, viewport=PHONE)
    reader = phone.new_page()
    reader.set_default_timeout(10_000)
    reader.goto(ARTICLE + "?version=plain")
    reader.get_by_role("link", name="Ask our editors a question").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Ask our editors")
    expect(reader.get_by_text("This is not a medical consultation")).to_be_visible()
    assert no_sideways_scroll(reader)
    assert axe_violations(reader) == []
    screenshot(reader, "question-form-phone")
    reader.get_by_role("textbox", name="Your question").fill(
        "Is it safe to exercise with dermatomyositis?\nI used to run."
    )
    reader.get_by_label("A patient or carer").check()
    reader.get_by_label("Your e-mail address (optional)").fill(ADDRESS)
    reader.get_by_role("button", name="Send my question").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "Thank you for your question"
    )
    asked = Question.objects.get(email=ADDRESS)
    assert asked.page == ARTICLE + "?version=plain"
    assert asked.text == "Is it safe to exercise with dermatomyositis?\nI used to run."

    # One e-mail, with the signed link; nothing else until it is confirmed.
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    reader.goto(link_in(mail.outbox[0], live_server))
    reader.get_by_role("button", name="Confirm my address").click()
    expect(reader.get_by_role("status")).to_contain_text("your address is confirmed")
    asked.refresh_from_db()
    assert asked.is_confirmed
    mail.outbox.clear()

    # The editor groups it with the similar question and plans an article.
    log_in(page, author.username)
    page.get_by_role("link", name="Readers’ questions").first.click()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("Is it safe to exercise")).click()
    page.get_by_role("button", name=re.compile("Group with this question")).click()
    expect(page.get_by_text("asked 2 times since")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "question-group")
    page.get_by_label("Topic").select_option(
        label="Treatment of dermatomyositis and polymyositis"
    )
    page.get_by_label("Working title").fill("Exercise with myositis")
    page.get_by_label("Outline").fill("## Training\n\nWhat the trials found.\n")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Exercise with myositis"
    )
    group = QuestionGroup.objects.get()
    assert group.status == QuestionGroup.Status.PLANNED
    assert group.questions.count() == 2
    article = group.planned_article
    page.goto(f"/editorial/articles/{article.pk}/")
    expect(page.locator(".reader-reason")).to_contain_text("asked 2 times since")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".status").first).to_have_text("Submitted")
    log_out(page)
    assert not [m for m in mail.outbox if ADDRESS in m.to]

    # The board approves it.
    log_in(page, reviewer.username)
    page.goto(f"/editorial/articles/{article.pk}/")
    page.get_by_role("button", name="Start review").click()
    page.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.locator(".status").first).to_have_text("Approved")
    log_out(page)

    # One e-mail with the public link, which readers can open; no address left.
    replies = [m for m in mail.outbox if ADDRESS in m.to]
    assert len(replies) == 1
    link = link_in(replies[0], live_server)
    assert link == f"{live_server.url}/articles/exercise-with-myositis/"
    reader.goto(link)
    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "Exercise with myositis"
    )
    assert not Question.objects.exclude(email="").exists()
    group.refresh_from_db()
    assert group.status == QuestionGroup.Status.ANSWERED
    phone.close()
