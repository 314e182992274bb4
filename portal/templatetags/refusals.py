"""The refusal banner at the top of every editorial screen.

``{% refusals as problems %}`` gathers what the page was refused: each error
of the page's bound ``form`` (with its field's label, the id to link to, and
the line of the text when the error carries one, as the renderer's do in
``params["line"]``), and each error message a refused action left for the
page. ``templates/editorial/refusals.html`` shows them.
"""

from dataclasses import dataclass

from django import template
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS

register = template.Library()


@dataclass
class Problem:
    """One reason a save or an action was refused."""

    message: str
    label: str = ""
    anchor: str = ""
    line: int | None = None


def form_problems(form) -> list[Problem]:
    """Each error of a bound ``form``, in the order of its fields."""
    if form is None or not getattr(form, "is_bound", False) or not form.errors:
        return []
    problems = []
    errors = form.errors.as_data()
    names = [NON_FIELD_ERRORS, *form.fields]
    for name in sorted(errors, key=lambda n: names.index(n) if n in names else 0):
        field = form[name] if name in form.fields else None
        visible = field is not None and not field.is_hidden
        for error in errors[name]:
            params = error.params if isinstance(error.params, dict) else {}
            line = params.get("line")
            problems.append(
                Problem(
                    message=" ".join(error.messages),
                    label=str(field.label) if visible else "",
                    anchor=field.id_for_label if visible else "",
                    line=line if isinstance(line, int) else None,
                )
            )
    return problems


@register.simple_tag(takes_context=True)
def refusals(context) -> list[Problem]:
    """What this page was refused: its form's errors and the error messages."""
    problems = form_problems(context.get("form"))
    for message in context.get("messages") or []:
        if message.level == messages.ERROR:
            problems.append(Problem(message=str(message)))
    return problems


@register.simple_tag
def notices(messages_, skip_errors=False) -> list:
    """The page's messages, without the errors when the refusal banner shows
    them (``skip_errors``)."""
    return [
        message
        for message in messages_ or []
        if not (skip_errors and message.level == messages.ERROR)
    ]
