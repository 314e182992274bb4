from django import template

from references.citations import format_citation

register = template.Library()


@register.filter
def citation(reference, style="vancouver"):
    """``{{ reference|citation:"ama" }}``: the reference formatted as a citation."""
    return format_citation(reference, style)
