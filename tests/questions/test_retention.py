"""Questions are deleted after PORTAL_QUESTION_RETENTION_DAYS, on a fixed clock."""

import datetime
from io import StringIO

import pytest
import reversion
from django.core.management import call_command
from django.utils import timezone
from reversion.models import Version

from questions import services
from questions.models import Question, QuestionGroup

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock(monkeypatch):
    """Fix "now" for the services and the command."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def asked_on(ask, when, text):
    question = ask(text)
    Question.objects.filter(pk=question.pk).update(created_at=when)
    QuestionGroup.objects.filter(pk=question.group_id).update(last_asked_at=when)
    return question


def test_questions_past_the_period_go_and_newer_ones_stay(ask, clock, settings):
    settings.PORTAL_QUESTION_RETENTION_DAYS = 30
    old = asked_on(ask, NOW - datetime.timedelta(days=30, seconds=1), "Old one?")
    kept = asked_on(ask, NOW - datetime.timedelta(days=29, hours=23), "Newer one?")
    out = StringIO()
    call_command("delete_old_questions", stdout=out)
    assert "Deleted 1 question(s) and 1 group(s) older than 30 days." in out.getvalue()
    assert list(Question.objects.all()) == [kept]
    assert not QuestionGroup.objects.filter(pk=old.group_id).exists()
    # The group's revisions go with it.
    assert not Version.objects.get_for_model(QuestionGroup).filter(
        object_id=str(old.group_id)
    )


def test_a_group_keeping_newer_questions_loses_the_old_words(ask, clock, settings):
    settings.PORTAL_QUESTION_RETENTION_DAYS = 30
    first = asked_on(ask, NOW - datetime.timedelta(days=40), "Can I swim?")
    second = services.ask(text="can I SWIM", asker="other")
    assert second.group_id == first.group_id
    call_command("delete_old_questions", verbosity=0)
    group = QuestionGroup.objects.get()
    assert group.text == "can I SWIM"
    assert list(group.questions.all()) == [second]


def test_a_dry_run_deletes_nothing(ask, clock, settings):
    settings.PORTAL_QUESTION_RETENTION_DAYS = 30
    asked_on(ask, NOW - datetime.timedelta(days=31), "Old one?")
    out = StringIO()
    call_command("delete_old_questions", "--dry-run", stdout=out)
    assert "Would delete 1 question(s)" in out.getvalue()
    assert Question.objects.count() == 1


def test_revisions_never_hold_readers_words_or_addresses(ask):
    ask("SECRETWORDS about my dose?", email="secret@example.org")
    stored = " ".join(
        version.serialized_data
        for version in Version.objects.get_for_model(QuestionGroup)
    )
    assert stored
    assert "SECRETWORDS" not in stored.upper()
    assert "secret@example.org" not in stored
    assert not reversion.is_registered(Question)
