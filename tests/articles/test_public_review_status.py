"""What the public sees of the review: stepper, reviewer, board, pending text."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles import workflow
from articles.models import Article
from tests.factories import (
    BoardMemberFactory,
    UserFactory,
    advance_to,
    make_article,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


def test_article_page_names_the_reviewer_and_the_next_review(client):
    member = BoardMemberFactory(
        user__first_name="Ana", user__last_name="Reyes", credentials="MD, PhD"
    )
    article = make_article()
    workflow.submit(article=article, user=article.author)
    workflow.start_review(article=article, user=member.user)
    workflow.approve(article=article, user=member.user)
    article.refresh_from_db()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Last reviewed" in html and "by Ana Reyes, MD, PhD" in html
    assert "Next review due" in html
    assert article.live.next_review_due.strftime("%B %Y") in html
    assert html.count('class="stepper__step stepper__step--done"') == 3
    assert 'aria-current="step">Approved' in html


def test_unapproved_articles_stay_hidden_by_default(client):
    article = advance_to(make_article(), Status.IN_REVIEW)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_the_setting_shows_a_pending_article_with_a_caution(client, settings):
    settings.PORTAL_SHOW_UNREVIEWED = True
    pending = advance_to(make_article(body="Not yet checked."), Status.IN_REVIEW)
    draft = make_article()
    html = client.get(pending.get_absolute_url()).content.decode()
    assert "Pending review." in html and "Not yet checked." in html
    assert '<li class="stepper__step" aria-current="step">Under review' in html
    assert client.get(draft.get_absolute_url()).status_code == 404
    # Lists keep to approved articles only.
    assert pending.title not in client.get(reverse("portal:home")).content.decode()


def test_editorial_board_page_lists_members_with_credentials(client):
    BoardMemberFactory(
        user__first_name="Ana",
        user__last_name="Reyes",
        credentials="MD, PhD",
        role="Chair, rheumatologist",
    )
    BoardMemberFactory(user__first_name="Hidden", listed=False)
    BoardMemberFactory(user=UserFactory(first_name="Gone", is_active=False))
    html = client.get(reverse("portal:editorial-board")).content.decode()
    assert "Ana Reyes, MD, PhD" in html and "Chair, rheumatologist" in html
    assert "Hidden" not in html and "Gone" not in html


def test_editorial_policy_links_to_the_board_and_explains_the_process(client):
    html = client.get(reverse("portal:editorial-policy")).content.decode()
    assert reverse("portal:editorial-board") in html
    assert "asks for changes" in html and "withdraw" in html


def test_demo_goes_through_the_real_review_when_accounts_exist(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    article = Article.objects.get(slug="antibody-therapy-pm-dm")
    # Two versions, each written, submitted, reviewed and approved.
    assert (
        list(article.events.values_list("action", flat=True))
        == [
            "edit",
            "submit",
            "start_review",
            "approve",
        ]
        * 2
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "MD, PhD" in html
    assert "MD, PhD" in client.get(reverse("portal:editorial-board")).content.decode()
