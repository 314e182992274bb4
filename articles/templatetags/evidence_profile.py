"""Words for the parts of a stored evidence profile (``articles.evidence_profile``)."""

from django import template
from django.utils.translation import gettext as _

from .. import evidence_profile, workflow

register = template.Library()


@register.filter
def statement_name(statement):
    """“Recommendation 2”, “List item (plain-language text)”..."""
    kind = statement["kind"]
    if kind == "recommendation":
        return workflow.box_name(statement)
    name = str(evidence_profile.STATEMENT_KINDS.get(kind, kind))
    if statement["anchor"]:
        name = f"{name} {statement['anchor'].rsplit('-', 1)[-1]}"
    if statement["body"] == evidence_profile.PLAIN:
        name = _("%(name)s (plain-language text)") % {"name": name}
    return name


@register.filter
def kind_label(kind):
    return evidence_profile.kind_label(kind)


@register.filter
def notice_label(kind):
    return evidence_profile.notice_label(kind)


@register.filter
def reader_line(profile):
    """The profile in one line for readers, above the reference list:
    “21 sources, 18 linked to PubMed or DOI, newest from 2025”."""
    return evidence_profile.reader_line(profile)
