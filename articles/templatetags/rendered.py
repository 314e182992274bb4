"""Filters for rendered article HTML on editorial pages."""

from django import template
from django.utils.safestring import mark_safe

from .. import rendering

register = template.Library()


@register.filter
def id_prefix(html, prefix):
    """The stored, sanitised HTML with its ids prefixed (``with_id_prefix``)."""
    return mark_safe(rendering.with_id_prefix(str(html), prefix))
