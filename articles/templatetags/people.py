from django import template

from articles.models import person_name

register = template.Library()


@register.filter
def person(user):
    """A user's full name, else username; empty for no user (a system action)."""
    return person_name(user) if user is not None else ""
