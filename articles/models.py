"""Reviewed articles.

An ``Article`` row is the working copy editors write. When the board approves
it, its text is frozen into an ``ApprovedVersion`` and ``Article.live`` points
at that snapshot: the public only ever reads the snapshot, so a newer draft can
be written and reviewed while the approved text stays online unchanged.
"""

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from references.models import Reference, Topic

from . import rendering


class ArticleQuerySet(models.QuerySet):
    def approved(self):
        """Articles with an approved version: the only ones the public sees."""
        return self.filter(live__isnull=False)

    def for_public(self):
        return self.approved().select_related("topic", "live", "live__approved_by")

    def recently_approved(self):
        return self.for_public().order_by("-live__approved_at")

    def overview_of(self, topic):
        return self.for_public().filter(topic=topic, is_overview=True)


@reversion.register(follow=["citations"])
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("Under review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")

    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("topic"),
    )
    is_overview = models.BooleanField(
        _("topic overview"),
        default=False,
        help_text=_("Shown on the topic page beside its literature."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(
        _("body"), help_text=_("Markdown. Cite references as [@key] or [@a; @b].")
    )
    body_html = models.TextField(editable=False, blank=True)
    plain_summary = models.TextField(_("plain-language summary"), blank=True)
    plain_body = models.TextField(
        _("plain-language body"),
        blank=True,
        help_text=_("Optional version for patients and caregivers, in Markdown."),
    )
    plain_body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("review status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up by one with every saved change to the text."),
    )
    references = models.ManyToManyField(
        Reference,
        through="Citation",
        related_name="+",
        blank=True,
        verbose_name=_("references"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles_written",
        verbose_name=_("author"),
    )
    live = models.OneToOneField(
        "ApprovedVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("live version"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["topic"],
                condition=Q(is_overview=True),
                name="article_one_overview_per_topic",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        try:
            self.render()
        except ValidationError as exc:
            errors.update(exc.error_dict)
        if self.is_overview and self.topic_id:
            others = Article.objects.filter(topic_id=self.topic_id, is_overview=True)
            if others.exclude(pk=self.pk).exists():
                errors["is_overview"] = _("This topic already has an overview article.")
        if errors:
            raise ValidationError(errors)

    def render(self):
        """Render both bodies into their HTML fields; return the cited references.

        One numbering covers both bodies, so the plain-language version points
        into the same reference list. An unknown key raises ValidationError
        naming it.
        """
        numbering = {}
        body = rendering.render(self.body, numbering)
        plain = rendering.render(self.plain_body, numbering)
        found = Reference.objects.in_bulk(list(numbering), field_name="citation_key")
        errors = {}
        for field, result in (("body", body), ("plain_body", plain)):
            unknown = [key for key in result.keys if key not in found]
            if unknown:
                errors[field] = ValidationError(
                    _("Unknown citation key: %(keys)s. Add the reference first."),
                    code="unknown_citation",
                    params={"keys": ", ".join(f"@{key}" for key in unknown)},
                )
        if errors:
            raise ValidationError(errors)
        self.body_html = body.html
        self.plain_body_html = plain.html
        return [found[key] for key in numbering]

    @property
    def has_unapproved_changes(self):
        return self.live_id is None or self.live.number != self.version


class BaseCitation(models.Model):
    reference = models.ForeignKey(
        Reference,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reference"),
    )
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        abstract = True
        ordering = ["number"]

    def __str__(self):
        return f"[{self.number}] {self.reference_id}"


@reversion.register()
class Citation(BaseCitation):
    """A reference cited by an article's working copy, numbered by first use."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="citations"
    )

    class Meta(BaseCitation.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="citation_unique_number"
            ),
            models.UniqueConstraint(
                fields=["article", "reference"], name="citation_unique_reference"
            ),
        ]


class ApprovedVersionQuerySet(models.QuerySet):
    def with_references(self):
        return self.prefetch_related(
            models.Prefetch(
                "citations",
                queryset=ApprovedCitation.objects.select_related("reference"),
            )
        )


class ApprovedVersion(models.Model):
    """The text the board approved, frozen: what the public reads."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="approved_versions"
    )
    number = models.PositiveIntegerField(
        _("version"), help_text=_("The article's version number that was approved.")
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body_html = models.TextField()
    plain_summary = models.TextField(_("plain-language summary"), blank=True)
    plain_body_html = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"))
    next_review_due = models.DateField(_("next review due"))

    objects = ApprovedVersionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "-number"]
        get_latest_by = "approved_at"
        verbose_name = _("approved version")
        verbose_name_plural = _("approved versions")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="approved_version_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.title} (v{self.number})"


class ApprovedCitation(BaseCitation):
    version = models.ForeignKey(
        ApprovedVersion, on_delete=models.CASCADE, related_name="citations"
    )

    class Meta(BaseCitation.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"], name="approved_citation_unique_number"
            ),
        ]
