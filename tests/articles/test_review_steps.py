"""One round of review walked through the screens, state by state: the
stepper, the counters, the messages and the dashboard must tell the same
story at every step, and the editor's note for readers is written once.

Forms are read from the page and posted as a browser posts them (what the
page filled in, textareas with CRLF line ends, the button pressed).
"""

import lxml.html
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Article, ReviewEvent
from tests.factories import board_member, editor, make_article

pytestmark = pytest.mark.django_db

Status = Article.Status


def page(client, article):
    response = client.get(reverse("editorial:review", args=[article.pk]))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def press(client, article, button, **typed):
    """Post the decision form as shown, with ``typed`` changes, by pressing
    the button whose value is ``button``; the message the next page shows."""
    html = page(client, article)
    action = reverse("editorial:transition", args=[article.pk])
    [form] = [f for f in html.forms if f.get("action") == action]
    data = dict(form.form_values())
    data.update(typed)
    data = {key: value.replace("\n", "\r\n") for key, value in data.items()}
    data["action"] = button
    response = client.post(action, data)
    assert response.status_code == 302
    [message] = list(get_messages(response.wsgi_request))
    return str(message)


def current_step(html):
    steps = html.xpath('//ol[@class="stepper"]/li[@aria-current="step"]')
    return " ".join(steps[0].text_content().split()) if steps else None


def round_counter(html):
    [text] = html.xpath('//section[@class="review-board"]/p[@class="meta"][1]')
    return " ".join(text.text_content().split())


def dashboard(client):
    return client.get(reverse("editorial:dashboard")).context


def test_every_step_of_a_round_agrees_with_itself(client, settings):
    writer, first, second = editor(), board_member(), board_member()
    article = make_article(author=writer, body="IVIG 1 g/kg.", approve=True)
    settings.PORTAL_APPROVALS_REQUIRED = 2

    # Draft: the editor changes the dose, saying what changed.
    client.force_login(writer)
    edit_url = reverse("editorial:edit", args=[article.pk])
    [form] = [
        f
        for f in lxml.html.fromstring(client.get(edit_url).content.decode()).forms
        if "article-form" in f.get("class", "")
    ]
    data = dict(form.form_values())
    data["body"] = "IVIG 2 g/kg over two days.\r\n"
    data["change_note"] = "Raised the IVIG dose to 2 g/kg."
    response = client.post(edit_url, data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    html = page(client, article)
    assert current_step(html) is None
    assert round_counter(html).startswith("No review round is open")
    # The note the editor gave the save is proposed for readers.
    [note] = html.xpath('//textarea[@name="change_note"]')
    assert note.text_content() == "Raised the IVIG dose to 2 g/kg."
    context = dashboard(client)
    assert article in context["my_drafts"]
    assert [v.number for v in context["recently_approved"]] == [1]

    # Submitted, with the note and its class.
    message = press(client, article, "submit", change_class="major")
    assert message == f"Submitted for review: version {article.version}."
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED
    client.force_login(first)
    html = page(client, article)
    assert current_step(html) == "Submitted"
    assert round_counter(html) == "0 of 2 approvals in this round."
    [chosen] = html.xpath('//select[@name="change_class"]/option[@selected]')
    assert chosen.get("value") == "major"
    assert article in dashboard(client)["awaiting_review"]

    # The first approval, straight from "submitted": recorded, not published.
    message = press(client, article, "approve")
    assert message == (
        f"Your approval of version {article.version} is recorded: 1 of 2. "
        "It is published when 2 board members have approved it."
    )
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW and article.live.number == 1
    html = page(client, article)
    assert current_step(html) == "Under review (1 of 2 approvals)"
    assert round_counter(html) == "1 of 2 approvals in this round."
    [row] = [a for a in dashboard(client)["awaiting_review"] if a == article]
    assert row.approvals == 1

    # The second approval publishes, with the note nobody typed again.
    client.force_login(second)
    message = press(client, article, "approve")
    assert message == f"Approved and published: version {article.version}."
    article.refresh_from_db()
    assert article.status == Status.APPROVED
    assert article.live.number == article.version
    assert article.live.change_note == "Raised the IVIG dose to 2 g/kg."
    assert article.live.change_class == "major"
    assert (article.proposed_change_note, article.proposed_change_class) == ("", "")
    html = page(client, article)
    assert current_step(html) == "Approved"
    assert round_counter(html).startswith(f"Version {article.version} was approved on ")
    assert "approvals in this round" not in html.text_content()
    context = dashboard(client)
    assert article not in context["awaiting_review"]
    versions = list(context["recently_approved"])
    assert [v.number for v in versions] == [article.version, 1]
    public = client.get(article.get_absolute_url()).content.decode()
    assert "Raised the IVIG dose to 2 g/kg." in public


def test_the_board_may_edit_the_proposed_note_before_approving(client):
    writer, member = editor(), board_member()
    article = make_article(author=writer, approve=True)
    article.body = "New text."
    from articles import services, workflow

    services.save_article(article=article, user=writer, comment="Reworded.")
    workflow.submit(
        article=article,
        user=writer,
        note=workflow.ChangeNote(text="Reworded the text.", change_class="minor"),
    )
    client.force_login(member)
    press(client, article, "approve", change_note="Clarified the wording.")
    article.refresh_from_db()
    assert article.live.change_note == "Clarified the wording."
    events = article.events.filter(
        action=ReviewEvent.Action.APPROVE, version=article.version
    )
    assert events.count() == 1


def test_a_proposed_note_of_an_unknown_class_is_refused_on_submission(client):
    writer = editor()
    article = make_article(author=writer, approve=True)
    article.body = "New text."
    from articles import services

    services.save_article(article=article, user=writer)
    client.force_login(writer)
    message = press(client, article, "submit", change_class="made-up")
    assert "kind of change" in message
    article.refresh_from_db()
    assert article.status == Status.DRAFT
