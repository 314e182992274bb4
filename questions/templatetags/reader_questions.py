"""The dashboard's block of readers' questions, read in one query."""

from django import template

from ..models import QuestionGroup

register = template.Library()

# How many questions the dashboard lists.
DASHBOARD_QUESTIONS = 5


@register.simple_tag
def most_asked_questions(limit: int = DASHBOARD_QUESTIONS):
    """The open questions asked most often (planned ones have their answer
    under way), most asked first."""
    return list(
        QuestionGroup.objects.filter(status=QuestionGroup.Status.OPEN).most_asked()[
            :limit
        ]
    )


@register.simple_tag
def questions_answered_by(article):
    """The question groups an article was planned from: the reason it is
    written, for its review page."""
    return list(
        QuestionGroup.objects.filter(planned_article=article)
        .with_counts()
        .order_by("-asked")
    )
