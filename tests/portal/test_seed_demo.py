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
    # Three in the first version; the second added one with its recommendations.
    assert article.citations.count() == 4

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


@pytest.mark.parametrize("debug", [True, False])
def test_demo_article_has_graded_recommendations_and_two_noted_versions(
    settings, debug
):
    settings.DEBUG = debug
    call_command("seed_demo", verbosity=0)
    article = Article.objects.approved().get(slug="antibody-therapy-pm-dm")
    graded = [r for r in article.live.recommendations if r["strength"]]
    good_practice = [r for r in article.live.recommendations if not r["strength"]]
    assert len(graded) >= 3 and len(good_practice) >= 1
    assert "recommendation-3" in article.live.plain_body_html
    versions = list(article.approved_versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert all(v.change_note for v in versions)
    assert versions[1].change_class == "major"


def test_demo_board_members_and_authors_have_disclosures(settings):
    from articles.models import BoardMember, Disclosure

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    for member in BoardMember.objects.all():
        assert Disclosure.objects.get(user=member.user).statement
    assert Disclosure.objects.filter(user__username="editor").exists()
