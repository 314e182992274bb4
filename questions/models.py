"""Readers' questions to the editors, kept privately and for a while only.

A ``Question`` is one reader's message; questions that ask the same thing
share a ``QuestionGroup``, which the editors decide on once (answer with
existing content, plan an article, decline). Nothing here is public: no
public view, feed, export, sitemap, search index or API reads these models.
An e-mail address is kept only until the reply is sent or the group closes.
"""

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from references.fields import EditorTextField

from . import text as question_text

MAX_LENGTH = 1000


class QuestionGroupQuerySet(models.QuerySet):
    def waiting(self):
        """Groups the editors have still to answer: open or planned."""
        return self.filter(
            status__in=(QuestionGroup.Status.OPEN, QuestionGroup.Status.PLANNED)
        )

    def with_counts(self):
        """Each group with ``asked`` (how many questions) and ``first_asked``."""
        return self.annotate(
            asked=Count("questions"), first_asked=Min("questions__created_at")
        )

    def most_asked(self):
        return self.with_counts().order_by("-asked", "-last_asked_at")


@reversion.register(exclude=["text", "key", "terms"])
class QuestionGroup(models.Model):
    """Questions that ask the same thing, and what the editors did about them.

    Its revisions keep the decisions, never the readers' words: the text
    fields are left out of them.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PLANNED = "planned", _("Article planned")
        ANSWERED = "answered", _("Answered")
        DECLINED = "declined", _("Declined")

    class Reason(models.TextChoices):
        OFF_TOPIC = "off_topic", _("Off topic")
        PERSONAL_ADVICE = "personal_advice", _("Asks for personal medical advice")
        OTHER = "other", _("Other")

    CLOSED = (Status.ANSWERED, Status.DECLINED)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    # The first question's words: what the queue shows for the group.
    text = models.TextField(_("question"), editable=False)
    key = models.TextField(editable=False, db_index=True)
    terms = models.TextField(editable=False, blank=True)
    answer_article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answer_fragment = models.CharField(
        _("section"),
        max_length=100,
        blank=True,
        help_text=_("The anchor of the section that answers, e.g. treatment."),
    )
    planned_article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reader_question_groups",
        verbose_name=_("planned article"),
    )
    decline_reason = models.CharField(
        _("reason"), max_length=20, choices=Reason.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_asked_at = models.DateTimeField(_("last asked"), default=timezone.now)

    objects = QuestionGroupQuerySet.as_manager()

    class Meta:
        ordering = ["-last_asked_at"]
        verbose_name = _("question group")
        verbose_name_plural = _("question groups")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="questiongroup_declined_has_reason",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("questions_editorial:group", kwargs={"pk": self.pk})

    def clean(self):
        if self.status == self.Status.DECLINED and not self.decline_reason:
            raise ValidationError(
                {"decline_reason": _("Say why the question is declined.")}
            )

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    def answer_url(self) -> str:
        """The public address of the answer (an article section), or ''."""
        article = self.answer_article
        if self.status != self.Status.ANSWERED or article is None:
            return ""
        if article.live_id is None:
            return ""
        url = article.get_absolute_url()
        return f"{url}#{self.answer_fragment}" if self.answer_fragment else url


class Question(models.Model):
    """One reader's question: their words, who they are, where they asked.

    The e-mail address is optional, used only once confirmed, and emptied
    when the reply is sent or the group is closed.
    """

    class Asker(models.TextChoices):
        PATIENT = "patient", _("A patient or carer")
        CLINICIAN = "clinician", _("A clinician")
        OTHER = "other", _("Someone else")

    group = models.ForeignKey(
        QuestionGroup,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("group"),
    )
    # A TextField's max_length only sizes the form's box: the validator holds
    # the limit on every path that cleans the model (the services do).
    text = EditorTextField(
        _("question"),
        max_length=MAX_LENGTH,
        validators=[MaxLengthValidator(MAX_LENGTH)],
    )
    normalised = models.TextField(editable=False)
    asker = models.CharField(_("asked by"), max_length=20, choices=Asker.choices)
    # The local address of the page the question was asked from.
    page = models.CharField(_("asked on"), max_length=300, blank=True)
    # Its title when the question was asked (``pages.title_of``), shown in
    # place of the address; '' for a page that names none.
    page_title = models.CharField(
        _("title of the page"), max_length=300, blank=True, editable=False
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    email_confirmed_at = models.DateTimeField(
        _("address confirmed"), null=True, blank=True
    )
    replied_at = models.DateTimeField(_("reply sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(email_confirmed_at__isnull=True) | ~Q(email=""),
                name="question_confirmed_has_address",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def clean(self):
        if self.email_confirmed_at is not None and not self.email:
            raise ValidationError({"email": _("A confirmed address cannot be empty.")})

    def set_normalised(self) -> None:
        """Compute the folded text once, when the words are stored."""
        self.normalised = question_text.normalise(self.text)

    @property
    def is_confirmed(self) -> bool:
        return bool(self.email) and self.email_confirmed_at is not None
