"""Who is reading, and so which text of an article they get.

The reader says once whether they are a patient or caregiver or a clinician;
a cookie remembers it (no login). Patients get an article's plain-language
version when the approved text has one, clinicians the clinical text, and
anyone may ask for the other with ``?version=clinical`` or ``?version=plain``.
Nobody who has not chosen gets the clinical text, which is the complete one.
"""

import html as html_lib
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from articles.rendering import with_id_prefix

from . import glossary

COOKIE = "portal_audience"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
VERSION_PARAM = "version"
PLAIN, CLINICAL = "plain", "clinical"
# The section headings the renderer gave ids (articles.rendering.SectionAnchors).
SECTION_HEADING_RE = re.compile(r'<h2 id="(h-[a-z0-9-]+)">(.*?)</h2>', re.DOTALL)


class Audience(models.TextChoices):
    PATIENT = "patient", _("Patient or caregiver")
    CLINICIAN = "clinician", _("Clinician")


def audience_of(request):
    """The audience the reader chose, or None if they have not chosen."""
    value = request.COOKIES.get(COOKIE)
    return Audience(value) if value in Audience.values else None


def remember(response, audience):
    """Set the audience cookie on ``response``."""
    response.set_cookie(
        COOKIE,
        audience,
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@dataclass
class ArticleText:
    """The text of an approved version one reader gets, and what else exists."""

    audience: Audience | None
    is_plain: bool
    has_plain: bool
    summary: str
    html: str
    terms: list = field(default_factory=list)
    choices = Audience.choices

    @property
    def selected(self):
        """The audience the selector shows as chosen: the reader's, or else
        the one whose text is on the page."""
        if self.audience:
            return self.audience
        return Audience.PATIENT if self.is_plain else Audience.CLINICIAN

    @property
    def contents(self):
        """(id, heading) of each section, for the "On this page" box."""
        return [
            (anchor, " ".join(html_lib.unescape(strip_tags(text)).split()))
            for anchor, text in SECTION_HEADING_RE.findall(self.html)
        ]


def has_plain(version) -> bool:
    return bool(version.plain_body_html.strip())


def shows_plain(request, version) -> bool:
    """Whether this reader gets the plain-language text of ``version``."""
    asked = request.GET.get(VERSION_PARAM)
    if asked == CLINICAL or not has_plain(version):
        return False
    return asked == PLAIN or audience_of(request) == Audience.PATIENT


def reader_choice(request, version) -> str:
    """All an article page shows of the reader: the audience they chose and
    whether they get the plain text. Pages rendered once are kept under it."""
    text = PLAIN if shows_plain(request, version) else CLINICAL
    return f"{audience_of(request) or ''}:{text}"


def article_text(request, version) -> ArticleText:
    """The clinical or plain-language text of ``version`` for this reader."""
    audience = audience_of(request)
    plain = shows_plain(request, version)
    if not plain:
        return ArticleText(
            audience,
            False,
            has_plain(version),
            version.summary,
            mark_safe(version.body_html),
        )
    # The stored HTML is sanitised; define_terms only adds links of its own.
    html, terms = glossary.linked(version.plain_body_html)
    return ArticleText(
        audience,
        True,
        True,
        version.plain_summary or version.summary,
        mark_safe(html),
        terms,
    )


# The plain-language text's ids on a page that shows both texts.
PREVIEW_PLAIN_PREFIX = "plain-"


def preview_texts(article) -> list[ArticleText]:
    """Both texts of a rendered, unsaved article as their readers will get
    them, for the editors' preview: the clinical text, then the plain-language
    text if there is one, its ids prefixed (both share the page) and the
    glossary's words linked as on the public page. Drafts are not cached."""
    texts = [
        ArticleText(
            None,
            False,
            has_plain(article),
            article.summary,
            mark_safe(article.body_html),
        )
    ]
    if has_plain(article):
        html = with_id_prefix(article.plain_body_html, PREVIEW_PLAIN_PREFIX)
        html, terms = glossary.define_terms(html, glossary.all_terms())
        texts.append(
            ArticleText(
                None,
                True,
                True,
                article.plain_summary or article.summary,
                mark_safe(html),
                terms,
            )
        )
    return texts
