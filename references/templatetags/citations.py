from django import template

from references.citations import stored_citation

register = template.Library()


@register.filter
def citation(reference, style="vancouver"):
    """``{{ reference|citation:"ama" }}``: the reference's stored citation."""
    return stored_citation(reference, style)
