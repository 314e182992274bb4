"""How a page names a recommendation outside its box ("at a glance")."""

from django import template

from articles import grading

register = template.Library()


@register.simple_tag
def recommendation_label(recommendation, plain=False):
    """The heading and the badges of one stored recommendation.

    ``recommendation`` is one of the dicts rendering collects; the words come
    from ``articles.grading``, as in the box itself.
    """
    kind = recommendation["kind"]
    values = [recommendation["strength"], recommendation["certainty"]]
    if kind == grading.Kind.GOOD_PRACTICE:
        values = [kind]
    return {
        "heading": str(grading.HEADINGS[kind]) % {"number": recommendation["number"]},
        "badges": [
            {"value": value, "text": grading.wording(value, plain=plain)}
            for value in values
        ],
    }


@register.simple_tag
def grades_explained(plain=False):
    """The page's one explanation of strength and certainty
    (``articles.grading.EXPLANATION``): its anchor, heading, paragraphs, and
    the words of the links to it for this version of the text."""
    return {
        "anchor": grading.EXPLANATION_ANCHOR,
        "heading": grading.EXPLANATION_HEADING,
        "paragraphs": grading.EXPLANATION,
        "link": grading.EXPLANATION_LINK[bool(plain)],
    }
