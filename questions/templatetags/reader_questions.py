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
