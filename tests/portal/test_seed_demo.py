import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles import services, workflow
from articles.models import ApprovedVersion, Article
from portal.models import GlossaryTerm
from references.models import Entry, Reference, Section, Topic

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything the demo loads, as comparable data."""
    return {
        model.__name__: sorted(
            tuple(str(v) for k, v in row.items() if k not in {"updated_at"})
            for row in model.objects.values()
        )
        for model in (Topic, Section, Reference, Entry, Article, ApprovedVersion)
    }


def test_seed_demo_twice_gives_the_same_data(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first
    assert (
        get_user_model()
        .objects.filter(username__in=["editor", "board", "admin"])
        .count()
        == 3
    )


def test_seed_demo_loads_the_myositis_topic_article_and_literature(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    topic = Topic.objects.get(slug="myositis-treatment")
    article = Article.objects.approved().get(topic=topic, is_overview=True)
    assert article.live.approved_by.username == "board"
    assert article.author.username == "editor"
    assert {"Interleukins", "Biologic Agents", "Clinical Trials"} <= set(
        topic.also_see.values_list("title", flat=True)
    )
    sections = list(topic.sections.values_list("title", flat=True))
    assert sections.index("Biological Agents") < sections.index("Stem Cell Transplants")
    expired = Reference.objects.expired().get()
    assert "21-year Retrospective Study" in expired.title
    assert article.citations.count() == 3

    page = client.get(topic.get_absolute_url()).content.decode()
    assert article.live.title in page and "Expired link" in page
    article_page = client.get(article.get_absolute_url()).content.decode()
    assert "1000 mg" in article_page and "Rituximab" in article_page
    assert "Guideline" in article_page and "Research" in article_page


def test_seed_demo_refuses_demo_accounts_when_debug_is_off(settings, capsys):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
    assert not get_user_model().objects.exists()
    assert "refusing to create demo accounts" in capsys.readouterr().err
    article = Article.objects.approved().get()
    assert article.live.approved_by is None


def _demo_article():
    return Article.objects.get(slug="antibody-therapy-pm-dm")


def test_seed_demo_keeps_an_editors_pending_version_of_the_demo_article(
    settings, capsys
):
    """``make run`` re-runs seed_demo: an editor's work must survive it."""
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    article = _demo_article()
    live = article.live
    article.body += "\n\nA paragraph an editor added."
    services.save_article(
        article=article,
        user=get_user_model().objects.get(username="editor"),
        expected_version=article.version,
    )
    workflow.submit(article=article, user=article.author)
    reference = Reference.objects.first()
    reference.summary = "An editor's better summary."
    reference.save()
    capsys.readouterr()

    call_command("seed_demo")
    out = capsys.readouterr().out
    article = _demo_article()
    assert article.body.endswith("A paragraph an editor added.")
    assert article.status == Article.Status.SUBMITTED
    assert article.live == live and ApprovedVersion.objects.count() == 1
    assert Reference.objects.get(pk=reference.pk).summary == (
        "An editor's better summary."
    )
    kept = (
        sum(
            model.objects.count()
            for model in (Topic, Section, Reference, Entry, GlossaryTerm, Article)
        )
        + 3
    )  # the demo accounts
    assert f"0 created, 0 reset, kept {kept} existing rows." in out


def test_seed_demo_keeps_a_changed_password(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    user = get_user_model().objects.get(username="editor")
    user.set_password("a password of my own")
    user.save()
    call_command("seed_demo", verbosity=0)
    user.refresh_from_db()
    assert user.check_password("a password of my own")


def test_seed_demo_creates_only_what_is_missing(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--no-accounts", verbosity=0)
    Topic.objects.filter(slug="interleukins").delete()
    reference = Reference.objects.first()
    reference.summary = "Edited."
    reference.save()
    call_command("seed_demo", "--no-accounts", verbosity=0)
    assert Topic.objects.filter(slug="interleukins").exists()
    assert Reference.objects.get(pk=reference.pk).summary == "Edited."


def test_seed_demo_reset_restores_the_demo_text_after_confirmation(
    settings, monkeypatch
):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    article = _demo_article()
    demo_body = article.body
    article.body = "An editor's rewrite."
    services.save_article(
        article=article, user=article.author, expected_version=article.version
    )

    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("seed_demo", "--reset", verbosity=0)
    assert _demo_article().body == "An editor's rewrite."

    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("seed_demo", "--reset", verbosity=0)
    article = _demo_article()
    assert article.body == demo_body
    assert article.status == Article.Status.APPROVED
    assert article.live.number == article.version


def test_seed_demo_reset_without_input_does_not_ask(settings, monkeypatch):
    settings.DEBUG = True
    call_command("seed_demo", "--no-accounts", verbosity=0)
    reference = Reference.objects.first()
    original = reference.summary
    reference.summary = "Edited."
    reference.save()

    def refuse(prompt):
        raise AssertionError("--no-input must not ask")

    monkeypatch.setattr("builtins.input", refuse)
    call_command("seed_demo", "--no-accounts", "--reset", "--no-input", verbosity=0)
    assert Reference.objects.get(pk=reference.pk).summary == original


def test_seed_demo_dry_run_saves_nothing(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", "--dry-run")
    assert "Dry run, nothing saved" in capsys.readouterr().out
    assert not Topic.objects.exists() and not Article.objects.exists()
