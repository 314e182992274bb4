"""Reviewed articles.

An ``Article`` row is the working copy editors write. When the board approves
it, its text is frozen into an ``ApprovedVersion`` and ``Article.live`` points
at that snapshot: the public only ever reads the snapshot, so a newer draft can
be written and reviewed while the approved text stays online unchanged.
"""

import datetime

import reversion
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from references.fields import EditorTextField, OneLineCharField
from references.models import Reference, ReferenceNotice, Topic

from . import evidence_profile, rendering
from .rendering.syntax import citation_lines

# Different references one article may cite: its reference list is formatted
# on the public page, and a list of thousands helps no reader.
MAX_CITED_REFERENCES = 300


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later; a day the target month lacks (31 August
    + 1 month, 29 February + 12) becomes its last day. Review dates and the
    renewal of disclosures both count this way."""
    return day + relativedelta(months=months)


# Each rule below is written twice side by side, as a query for lists and as
# a test of a row already read for pages (which must not pay a query for it);
# tests/articles keep the two in agreement.


def overdue_q(today=None, *, prefix: str = "") -> Q:
    """The rule for an approved version overdue for review: its next review
    date has come (today counts). ``prefix`` reaches the version from another
    model (``"live__"`` from an article)."""
    return Q(**{f"{prefix}next_review_due__lte": today or timezone.localdate()})


def is_overdue_on(next_review_due, today=None) -> bool:
    """``overdue_q`` for a review date already read."""
    return next_review_due <= (today or timezone.localdate())


def caution_q(approved_at, *, prefix: str = "") -> Q:
    """The rule for a notice the public page cautions about: a serious one
    (retraction, withdrawal, expression of concern) first seen after the text
    was approved. An approval after the notice settles it: the board approved
    the text knowing of it. ``prefix`` reaches the notice from another model."""
    return Q(
        **{
            f"{prefix}kind__in": ReferenceNotice.SERIOUS,
            f"{prefix}first_seen_at__gt": approved_at,
        }
    )


def cautions_about(notice, approved_at) -> bool:
    """``caution_q`` for a notice already read."""
    return notice.kind in ReferenceNotice.SERIOUS and notice.first_seen_at > approved_at


# What the public article page reads besides the article row. The topic is
# the live version's; the article's own is only for a never-approved article
# shown as pending review.
PUBLIC_RELATED = (
    "topic",
    "live",
    "live__topic",
    "live__approved_by",
    "live__approved_by__board_profile",
)


class ArticleQuerySet(models.QuerySet):
    def approved(self):
        """Articles with an approved version: the only ones the public sees."""
        return self.filter(live__isnull=False)

    def for_public(self):
        return self.approved().select_related(*PUBLIC_RELATED)

    def with_board(self):
        """Articles the board holds: submitted or under review."""
        return self.filter(status__in=Article.WITH_BOARD)

    def overdue_for_review(self, today=None):
        """Approved articles whose live version is overdue for review
        (``overdue_q``, as ``ApprovedVersion.is_overdue()``)."""
        return self.approved().filter(overdue_q(today, prefix="live__"))

    def needing_attention(self):
        """Approved articles whose live text cites a reference with a notice
        to caution readers about (``caution_q``, as the public page's
        ``ApprovedVersion.notice_cautions()``)."""
        return (
            self.approved()
            .filter(
                caution_q(
                    F("live__approved_at"),
                    prefix="live__citations__reference__notices__",
                )
            )
            .distinct()
        )

    def with_few_checkable_citations(self, percent=None):
        """Articles whose working text has fewer than ``percent`` % of its
        citations checkable (``PORTAL_CHECKABLE_CITATIONS_MIN_PERCENT`` by
        default), read from the stored evidence profile."""
        if percent is None:
            percent = settings.PORTAL_CHECKABLE_CITATIONS_MIN_PERCENT
        return self.filter(evidence_profile__checkable_percent__lt=percent).exclude(
            evidence_profile__checkable_percent=None
        )

    def published_at(self, slug):
        """The approved article whose public page is ``/articles/<slug>/``:
        where its live version says, whatever slug a newer draft proposes
        (no two live versions share a slug)."""
        return self.filter(live__slug=slug)

    def shown_at(self, slug):
        """The article the public page ``/articles/<slug>/`` shows, or None.

        An approved article at its live address and, only when
        PORTAL_SHOW_UNREVIEWED is on and none is, a never-approved one the
        board holds (submitted or under review) at its working slug, which the
        page shows with a "pending review" caution. Lists, feeds, the sitemap
        and search keep to ``approved()``.

        The approved article is looked up alone, with its live version only:
        it is what nearly every request asks for, the page's parts are kept
        rendered (portal's public fragments), and what they show besides is
        read when they are rendered, once per approval.
        """
        for article in self.published_at(slug).select_related("live").order_by()[:1]:
            return article
        if settings.PORTAL_SHOW_UNREVIEWED:
            return (
                self.with_board()
                .filter(live__isnull=True, slug=slug)
                .select_related("topic")
                .first()
            )
        return None

    def moved_from(self, slug):
        """The approved article that lived at ``slug`` before a renaming."""
        return (
            self.for_public()
            .filter(approved_versions__slug=slug)
            .exclude(live__slug=slug)
            .order_by("-approved_versions__approved_at")
        )

    def recently_approved(self):
        return self.for_public().order_by("-live__approved_at")

    def on_topic(self, topic):
        """Approved articles that the public sees under ``topic``."""
        return self.for_public().filter(live__topic=topic)


class ChangeClass(models.TextChoices):
    """How much an approved version changes what readers should do."""

    PRACTICE_CHANGING = "practice-changing", _("Practice-changing")
    MAJOR = "major", _("Major update")
    MINOR = "minor", _("Minor update")
    CORRECTION = "correction", _("Correction")


# Status, the live pointer and the proposed note belong to the workflow, not
# to the text: a reverted or recovered revision must never publish or
# unpublish anything, so reversion leaves them out (a recovered article comes
# back as a draft).
@reversion.register(
    follow=["citations"],
    exclude=["status", "live", "proposed_change_class", "proposed_change_note"],
)
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("Under review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")

    # The board holds the text in these states: it may not change.
    WITH_BOARD = (Status.SUBMITTED, Status.IN_REVIEW)

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
    title = OneLineCharField(_("title"), max_length=300)
    summary = EditorTextField(_("summary"), blank=True)
    body = EditorTextField(
        _("body"),
        help_text=_(
            "Markdown. Cite references as [@key] or [@a; @b]. State a recommendation "
            "as /// recommendation | strength=strong certainty=moderate, its text, "
            "then a line /// (or /// good-practice for an ungraded statement)."
        ),
    )
    body_html = models.TextField(editable=False, blank=True)
    plain_summary = EditorTextField(_("plain-language summary"), blank=True)
    plain_body = EditorTextField(
        _("plain-language body"),
        blank=True,
        help_text=_("Optional version for patients and caregivers, in Markdown."),
    )
    plain_body_html = models.TextField(editable=False, blank=True)
    # What the clinical body's recommendation boxes say, in order (see
    # rendering.Rendered): for "at a glance" and the structured data.
    recommendations = models.JSONField(default=list, editable=False, blank=True)
    # How checkable the text's citations are (articles.evidence_profile),
    # worked out when it is saved and again when it is approved.
    evidence_profile = models.JSONField(default=dict, editable=False, blank=True)
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
    review_period_months = models.PositiveSmallIntegerField(
        _("review period (months)"),
        null=True,
        blank=True,
        help_text=_(
            "Months from an approval to the next review, for a fast-moving topic. "
            "Leave empty for the site's default."
        ),
    )
    # The note for readers the editor proposes when submitting (what changed
    # since the live version, and its class): the board's approval form
    # starts from it, so the note is written once. Cleared on publication,
    # when it has become the approved version's.
    proposed_change_class = models.CharField(
        _("proposed kind of change"),
        max_length=20,
        choices=ChangeClass.choices,
        blank=True,
        editable=False,
    )
    proposed_change_note = EditorTextField(
        _("proposed note for readers"), blank=True, editable=False
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
        # The board's role (articles.roles): reviewing and approving articles.
        permissions = [("review_article", "Can review and approve articles")]
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
        """The public address: the approved slug once there is one."""
        return reverse("articles:detail", kwargs={"slug": self._public_slug()})

    def get_changes_url(self):
        """The change log of the approved versions, at the public address."""
        return reverse("articles:changes", kwargs={"slug": self._public_slug()})

    def _public_slug(self):
        # An article keeps its approved address until a new slug is approved.
        return self.live.slug if self.live_id else self.slug

    def clean(self):
        errors = {}
        try:
            self.render()
        except ValidationError as exc:
            errors.update(exc.error_dict)
        if self.slug and self.slug_taken_by_another():
            errors["slug"] = _(
                "Another article is published at this address; choose another slug."
            )
        if self.is_overview and self.topic_id:
            others = Article.objects.filter(topic_id=self.topic_id, is_overview=True)
            if others.exclude(pk=self.pk).exists():
                errors["is_overview"] = _("This topic already has an overview article.")
        if errors:
            raise ValidationError(errors)

    def render(self):
        """Render both bodies into their HTML fields; return the cited references.

        One numbering covers both bodies, so the plain-language version points
        into the same reference list. An unknown key, or text over the
        renderer's limits, raises ValidationError naming the field. The
        references are kept in ``cited_references`` and the text they were
        rendered from remembered, so the second ``full_clean()`` of one save
        (the form's, then the service's) does not render again.
        """
        source = (self.body, self.plain_body)
        if getattr(self, "_rendered_source", None) == source:
            return self.cited_references
        errors = {}
        for field in ("body", "plain_body"):
            text = getattr(self, field)
            try:
                # Bounds first: nothing else may read text beyond them.
                rendering.check_limits(text)
            except ValidationError as exc:
                errors[field] = exc
                continue
            faults = rendering.check_blocks(text)
            if faults:
                # The line travels with the message, for the refusal banner;
                # the message names it already and is not a format string.
                errors[field] = [
                    ValidationError(
                        str(fault).replace("%", "%%"),
                        code="invalid_block",
                        params={"line": fault.line},
                    )
                    for fault in faults
                ]
        if errors:
            raise ValidationError(errors)
        numbering = {}
        body = rendering.render(self.body, numbering)
        plain = rendering.render(self.plain_body, numbering, plain=True)
        if len(numbering) > MAX_CITED_REFERENCES:
            raise ValidationError(
                {
                    "body": ValidationError(
                        _(
                            "This article cites %(count)s different references; "
                            "the most is %(limit)s."
                        ),
                        code="too_many_references",
                        params={
                            "count": len(numbering),
                            "limit": MAX_CITED_REFERENCES,
                        },
                    )
                }
            )
        found = Reference.objects.in_bulk(list(numbering), field_name="citation_key")
        for field, result in (("body", body), ("plain_body", plain)):
            unknown = [key for key in result.keys if key not in found]
            if unknown:
                lines = citation_lines(getattr(self, field))
                # One error a key, with its line: the form offers to add each.
                errors[field] = [
                    ValidationError(
                        _(
                            "Line %(line)s: unknown citation key @%(key)s. Add "
                            "the reference to the library, or correct the key."
                        ),
                        code="unknown_citation",
                        params={"key": key, "line": lines.get(key, "?")},
                    )
                    for key in unknown
                ]
        if errors:
            raise ValidationError(errors)
        self.body_html = body.html
        self.plain_body_html = plain.html
        self.recommendations = body.recommendations
        self.evidence_source = evidence_profile.source_of(clinical=body, plain=plain)
        self.cited_references = [found[key] for key in numbering]
        self._rendered_source = source
        return self.cited_references

    @property
    def is_with_board(self):
        return self.status in self.WITH_BOARD

    def slug_taken_by_another(self) -> bool:
        """Whether another article's approved version is public at this slug.

        Working copies have unique slugs (a database constraint), but an
        article keeps its approved address until a new slug is approved, so
        a slug one article is leaving is not free for another until then.
        """
        return Article.objects.filter(live__slug=self.slug).exclude(pk=self.pk).exists()


# The record of review (events, approved versions, declared conflicts) outlives
# a deleted article: the rows stay, pointing at its id, without a database
# constraint, and an article recovered from the admin (same id, through
# django-reversion) finds its whole history again, so the four-eyes rule and
# the public change log still read it. Nothing public reaches them meanwhile:
# every public query goes through the article.
KEEP_WITH_DELETED_ARTICLE = {"on_delete": models.DO_NOTHING, "db_constraint": False}


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
    def updates(self):
        """Approved versions of articles still public, newest first."""
        return (
            self.filter(article__live__isnull=False)
            .select_related("article__live", "topic", "approved_by")
            .order_by("-approved_at", "-pk")
        )


class ApprovedVersion(models.Model):
    """The text the board approved, frozen: what the public reads.

    With the text go the address, topic and overview flag the board approved:
    an editor's draft may propose new ones, but only approval publishes them.
    Every version after the first carries the board's change note for
    readers and its class; the people who wrote it and the board members who
    approved it are kept with it.
    """

    ChangeClass = ChangeClass

    # Kept when the article is deleted (see KEEP_WITH_DELETED_ARTICLE).
    article = models.ForeignKey(
        Article, related_name="approved_versions", **KEEP_WITH_DELETED_ARTICLE
    )
    number = models.PositiveIntegerField(
        _("version"), help_text=_("The article's version number that was approved.")
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="+", verbose_name=_("topic")
    )
    slug = models.SlugField(_("slug"), max_length=100)
    is_overview = models.BooleanField(_("topic overview"), default=False)
    title = OneLineCharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body_html = models.TextField()
    plain_summary = models.TextField(_("plain-language summary"), blank=True)
    plain_body_html = models.TextField(blank=True)
    recommendations = models.JSONField(default=list, editable=False, blank=True)
    # The text's evidence profile as it stood when the board approved it.
    evidence_profile = models.JSONField(default=dict, editable=False, blank=True)
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
    change_class = models.CharField(
        _("kind of change"), max_length=20, choices=ChangeClass.choices, blank=True
    )
    change_note = EditorTextField(_("what changed, for readers"), blank=True)
    # The day through which the topic's saved searches had all run when the
    # board approved this text (SavedSearch.objects.searched_through): what
    # readers are told the literature is current through. None without
    # searches, or before they all ran.
    literature_current_through = models.DateField(
        _("literature current through"), null=True, blank=True, editable=False
    )
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        verbose_name=_("approved by (all board members)"),
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        verbose_name=_("written by"),
    )

    objects = ApprovedVersionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "-number"]
        get_latest_by = "approved_at"
        verbose_name = _("approved version")
        verbose_name_plural = _("approved versions")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="approved_version_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.number})"

    @property
    def is_practice_changing(self) -> bool:
        return self.change_class == ChangeClass.PRACTICE_CHANGING

    def is_overdue(self, today=None) -> bool:
        """Whether this version is overdue for review (``overdue_q``, as
        ``Article.objects.overdue_for_review()``)."""
        return is_overdue_on(self.next_review_due, today)

    def notice_cautions(self, citations) -> list:
        """(citation number, notice) for each notice on a reference this text
        cites that the public page cautions about (``caution_q``, as
        ``Article.objects.needing_attention()``), in citation order.
        ``citations``: this version's, with their references' notices
        prefetched, so this asks the database nothing.
        """
        return [
            (citation.number, notice)
            for citation in sorted(citations, key=lambda c: c.number)
            for notice in citation.reference.notices.all()
            if cautions_about(notice, self.approved_at)
        ]

    @property
    def reviewer_label(self):
        """Who approved this text, as the public page names them."""
        if self.approved_by is None:
            return ""
        profile = getattr(self.approved_by, "board_profile", None)
        return str(profile) if profile else person_name(self.approved_by)


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


def person_name(user):
    """How a person is named on pages: full name, else username."""
    return user.get_full_name() or user.get_username()


class BoardMemberQuerySet(models.QuerySet):
    def listed(self):
        return (
            self.filter(listed=True, user__is_active=True)
            .select_related("user")
            .order_by("position", "user__last_name", "user__first_name")
        )


class BoardMember(models.Model):
    """A member of the editorial board as readers see them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="board_profile",
        verbose_name=_("user"),
    )
    credentials = models.CharField(
        _("credentials"), max_length=100, blank=True, help_text=_("e.g. MD, PhD")
    )
    role = models.CharField(
        _("role"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Chair of the board, consultant rheumatologist"),
    )
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order on the editorial board page.")
    )
    listed = models.BooleanField(
        _("listed"), default=True, help_text=_("Show on the editorial board page.")
    )

    objects = BoardMemberQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("board member")
        verbose_name_plural = _("board members")

    def __str__(self):
        name = person_name(self.user)
        return f"{name}, {self.credentials}" if self.credentials else name


class Disclosure(models.Model):
    """What an author or board member declared about their interests, and when."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="disclosure",
        verbose_name=_("person"),
    )
    statement = EditorTextField(
        _("declared interests"),
        help_text=_(
            "Payments, grants, shares, advisory roles or other interests relevant "
            "to the articles, or “No interests to declare”."
        ),
    )
    declared_on = models.DateField(_("last declared"), default=timezone.localdate)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("disclosure of interests")
        verbose_name_plural = _("disclosures of interests")

    def __str__(self):
        return person_name(self.user)

    def due_on(self) -> datetime.date:
        """The date by which the declaration must be renewed."""
        return months_later(self.declared_on, settings.PORTAL_DISCLOSURE_VALID_MONTHS)

    def is_due(self, today=None) -> bool:
        """Whether the declaration is older than the period it is valid for."""
        return self.due_on() <= (today or timezone.localdate())


class Conflict(models.Model):
    """A board member's declared conflict with an article: they may not review it.

    The workflow refuses every review action to a conflicted member, in the
    same check as the four-eyes rule.
    """

    # Kept when the article is deleted (see KEEP_WITH_DELETED_ARTICLE).
    article = models.ForeignKey(
        Article, related_name="conflicts", **KEEP_WITH_DELETED_ARTICLE
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="declared_conflicts",
        verbose_name=_("board member"),
    )
    statement = EditorTextField(_("the conflict"), blank=True)
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "member"], name="conflict_unique_member"
            )
        ]

    def __str__(self):
        return f"{person_name(self.member)}: {self.article}"


class ReviewAssignment(models.Model):
    """A board member asked to review a submitted article."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)

    class Meta:
        ordering = ["assigned_at"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reviewer"], name="assignment_unique_reviewer"
            )
        ]

    def __str__(self):
        return f"{person_name(self.reviewer)}: {self.article}"


class ReviewEvent(models.Model):
    """One step in an article's record: who did what to which version, and why.

    Written only by ``articles.workflow``; edits are recorded too, so the
    record also says who wrote each version (the four-eyes rule reads it).
    """

    class Action(models.TextChoices):
        EDIT = "edit", _("Edited")
        SUBMIT = "submit", _("Submitted for review")
        WITHDRAW = "withdraw", _("Withdrawn to draft")
        START_REVIEW = "start_review", _("Review started")
        REQUEST_CHANGES = "request_changes", _("Changes requested")
        APPROVE = "approve", _("Approved")
        ASSIGN = "assign", _("Reviewer assigned")
        DECLARE_CONFLICT = "conflict", _("Conflict declared")

    # Kept when the article is deleted (see KEEP_WITH_DELETED_ARTICLE).
    article = models.ForeignKey(
        Article, related_name="events", **KEEP_WITH_DELETED_ARTICLE
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(
        _("from"), max_length=20, choices=Article.Status.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=20, choices=Article.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    comment = EditorTextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        indexes = [models.Index(fields=["article", "action", "version"])]

    def __str__(self):
        return f"{self.article_id} v{self.version}: {self.get_action_display()}"
