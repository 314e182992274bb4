"""Graded recommendations: the GRADE vocabulary and the words readers see.

An article states a recommendation in a block of its Markdown::

    /// recommendation | strength=strong certainty=moderate
    In refractory polymyositis, we recommend rituximab [@key].
    ///

    /// good-practice
    Check the heart of every newly diagnosed patient.
    ///

The strength is GRADE's (strong or conditional; "for" or "against" is part
of the statement), the certainty is that of the evidence behind it. A good
practice statement is not graded. Every word a reader sees for a grade, in the
clinical or the plain-language version, is defined here and nowhere else.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Recommendation")
    GOOD_PRACTICE = "good-practice", _("Good practice statement")


class Strength(models.TextChoices):
    STRONG = "strong", _("Strong")
    CONDITIONAL = "conditional", _("Conditional")


class Certainty(models.TextChoices):
    HIGH = "high", _("High")
    MODERATE = "moderate", _("Moderate")
    LOW = "low", _("Low")
    VERY_LOW = "very-low", _("Very low")


# The box's heading, numbered within the article.
HEADINGS = {
    Kind.RECOMMENDATION: _("Recommendation %(number)s"),
    Kind.GOOD_PRACTICE: _("Good practice statement %(number)s"),
}

# What the badges say: for clinicians, the GRADE terms; for patients and
# caregivers, what they mean. A badge is text, never colour alone.
CLINICAL_WORDING = {
    Strength.STRONG: _("Strong recommendation"),
    Strength.CONDITIONAL: _("Conditional recommendation"),
    Certainty.HIGH: _("High certainty of evidence"),
    Certainty.MODERATE: _("Moderate certainty of evidence"),
    Certainty.LOW: _("Low certainty of evidence"),
    Certainty.VERY_LOW: _("Very low certainty of evidence"),
    Kind.GOOD_PRACTICE: _("Good practice statement (not graded)"),
}
PLAIN_WORDING = {
    # "For" or "against" is in the statement, so the words fit both.
    Strength.STRONG: _("We are confident this advice is right for most people"),
    Strength.CONDITIONAL: _(
        "This advice may not suit everyone: the right choice depends on you, so "
        "talk it over with your doctor"
    ),
    Certainty.HIGH: _("The research behind this is very reliable"),
    Certainty.MODERATE: _("The research behind this is fairly reliable"),
    Certainty.LOW: _("The research behind this is limited"),
    Certainty.VERY_LOW: _("The research behind this is very limited"),
    Kind.GOOD_PRACTICE: _("Doctors agree this is good care, without needing a study"),
}

# One explanation of the two labels, in plain words, for every reader. The
# label of each box links to it (EXPLANATION_ANCHOR, a section of the same
# page), so that "we are confident this advice is right" beside "the research
# behind this is limited" reads as two answers, not a contradiction.
EXPLANATION_ANCHOR = "grades-explained"
EXPLANATION_LINK = {
    False: _("What strength and certainty mean"),
    True: _("What do these labels mean?"),
}
EXPLANATION_HEADING = _("How to read the advice labels")
EXPLANATION = (
    _("Each piece of advice carries two labels. They answer different questions."),
    _(
        "How strong is the advice? Strong advice is right for almost everyone in "
        "that situation. Conditional advice depends on the person: on their other "
        "health problems and on what matters to them, so it is a choice to make "
        "together with a doctor."
    ),
    _(
        "How sure is the research behind it? When the certainty is high, new "
        "studies are unlikely to change the picture. When it is low or very low, "
        "they well might."
    ),
    _(
        "The two answers can differ. Advice can be strong although the research is "
        "limited: when an illness is serious, the benefits clearly outweigh the "
        "risks, and waiting for better studies would leave people without "
        "treatment. Advice can be conditional although the research is reliable: "
        "when the benefit is small, or the treatment is a burden some people would "
        "rather not carry."
    ),
    _(
        "A good practice statement is care that doctors agree on without needing a "
        "study to prove it, such as checking the heart; it has no grade."
    ),
)

# schema.org's MedicalEvidenceLevel for each certainty of evidence.
SCHEMA_EVIDENCE_LEVEL = {
    Certainty.HIGH: "https://schema.org/EvidenceLevelA",
    Certainty.MODERATE: "https://schema.org/EvidenceLevelB",
    Certainty.LOW: "https://schema.org/EvidenceLevelC",
    Certainty.VERY_LOW: "https://schema.org/EvidenceLevelC",
}

_SETTING = re.compile(r'([A-Za-z]+)\s*=\s*(?:"([^"]*)"|([^\s"]+))')


class GradeError(ValueError):
    """A recommendation's grade that cannot be read, with a message for editors."""


def wording(value: str, *, plain: bool = False) -> str:
    """What a badge says for a strength, a certainty or a good practice statement."""
    return str((PLAIN_WORDING if plain else CLINICAL_WORDING)[value])


def parse_grade(argument: str) -> tuple[str, str]:
    """Read ``strength=... certainty=...`` into (strength, certainty).

    Raises GradeError naming what is missing, unknown or repeated. A
    certainty of "very low" may be written ``very-low``, ``very_low`` or
    ``"very low"``.
    """
    settings = {}
    rest = _SETTING.sub("", argument or "").strip()
    if rest:
        raise GradeError(
            _("“%(text)s” is not a setting: write strength=… certainty=….")
            % {"text": rest[:40]}
        )
    for match in _SETTING.finditer(argument or ""):
        name = match.group(1).lower()
        value = match.group(2) if match.group(2) is not None else match.group(3)
        value = re.sub(r"[\s_]+", "-", value.strip().lower())
        if name not in ("strength", "certainty"):
            raise GradeError(
                _("Unknown setting “%(name)s”: use strength and certainty.")
                % {"name": name}
            )
        if name in settings:
            raise GradeError(_("“%(name)s” is given twice.") % {"name": name})
        settings[name] = value
    for name, choices in (("strength", Strength), ("certainty", Certainty)):
        if name not in settings:
            raise GradeError(
                _("The %(name)s is missing: add %(name)s=%(choices)s.")
                % {"name": name, "choices": "|".join(choices.values)}
            )
        if settings[name] not in choices.values:
            raise GradeError(
                _("Unknown %(name)s “%(value)s”: use one of %(choices)s.")
                % {
                    "name": name,
                    "value": settings[name][:40],
                    "choices": ", ".join(choices.values),
                }
            )
    return settings["strength"], settings["certainty"]
