from django import template

from articles.models import person_name

register = template.Library()


@register.filter
def person(user):
    """A user's full name, else username; empty for no user (a system action)."""
    return person_name(user) if user is not None else ""


@register.filter
def person_label(who):
    """A board profile's label (name and credentials), else the person's name."""
    return str(who) if hasattr(who, "credentials") else person(who)
