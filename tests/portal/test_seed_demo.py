import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import ApprovedVersion, Article
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
