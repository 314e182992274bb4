"""The portal app's own models: the login audit, the search index, the glossary.

``SearchDocument`` is denormalised, derived data: one row per approved
article (its live snapshot only) and per reference, rebuilt from them at any
time with ``manage.py rebuild_search_index``. The database keeps its own
full-text structures in step with these rows (triggers created by the
migration: an FTS5 table on SQLite, a stored ``tsvector`` on PostgreSQL).
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from references.fields import EditorTextField
from references.models import Entry, Reference

# ---------------------------------------------------------------------------
# Accounts: the login audit, so an administrator sees who signed in and
# who was refused.
# ---------------------------------------------------------------------------


class LoginEvent(models.Model):
    """A login, failed login or logout, kept for the audit in the admin."""

    class Kind(models.TextChoices):
        SUCCESS = "success", _("Logged in")
        FAILURE = "failure", _("Failed login")
        THROTTLED = "throttled", _("Refused: too many attempts")
        LOGOUT = "logout", _("Logged out")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    username = models.CharField(
        _("username given"), max_length=150, blank=True, db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="login_events",
        verbose_name=_("user"),
    )
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("login event")
        verbose_name_plural = _("login events")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.username} ({self.at:%Y-%m-%d %H:%M})"


ARTICLE_KIND = "article"
KIND_CHOICES = [(ARTICLE_KIND, _("Reviewed article")), *Reference.Kind.choices]


class SearchDocumentQuerySet(models.QuerySet):
    """Filters the search page applies before the full-text match."""

    def public(self):
        """Documents readers may find: articles (only their approved text is
        indexed) and the references ``Reference.objects.visible()`` allows."""
        # Excluding the few references waiting in an inbox is cheaper than
        # listing (or joining) the visible ones, which are nearly all.
        return self.exclude(reference__in=Reference.objects.in_inbox().values("pk"))

    def in_topic(self, topic):
        # Resolved at query time, so moving literature between topics needs
        # no reindexing.
        # Both sides are IN lists over unique columns, which lets the database
        # look the few matching documents up by index instead of scanning.
        # The references are read from the topic's entries alone: joining
        # the references themselves (Reference.objects.in_topic) would only
        # repeat the ids the entries hold, and de-duplicate them.
        return self.filter(
            Q(article__in=Article.objects.filter(topic=topic).values("pk"))
            | Q(
                reference__in=Entry.objects.filter(section__topic=topic).values(
                    "reference_id"
                )
            )
        )

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def between_years(self, start=None, end=None):
        if start is not None:
            self = self.filter(year__gte=start)
        if end is not None:
            self = self.filter(year__lte=end)
        return self


class SearchDocument(models.Model):
    """What search reads for one approved article or one reference."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reference = models.OneToOneField(
        Reference, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES)
    title = models.CharField(_("title"), max_length=500)
    authors = models.TextField(_("authors"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    date_display = models.CharField(_("date"), max_length=50, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # Filled by a PostgreSQL trigger; unused (and empty) on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    # On PostgreSQL the same trigger also fills search_pairs, a column only
    # the search backend reads (migration 0006), so it is not a field here.

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=True) ^ Q(reference__isnull=True),
                name="searchdocument_article_xor_reference",
            )
        ]
        indexes = [models.Index(fields=["kind", "year"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url


class SearchWord(models.Model):
    """A word of the indexed text: the vocabulary spelling suggestions come from.

    Derived data, like ``SearchDocument``: ``portal.search.indexing`` adds the
    words of each document it indexes (``portal.search.spelling.words_in``)
    and never removes one, since a word's last document may go at any time.
    A suggestion is offered only once the engine finds documents for it, so
    a word left behind is never shown; ``rebuild_search_index`` starts the
    list afresh. Each database finds similar words with an index of its own
    (migration 0009): trigrams with pg_trgm on PostgreSQL, an FTS5 table with
    the trigram tokenizer on SQLite.
    """

    word = models.CharField(_("word"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word


class GlossaryTerm(models.Model):
    """A medical term explained in plain words on plain-language pages."""

    term = models.CharField(_("term"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    synonyms = models.TextField(
        _("other forms"),
        blank=True,
        help_text=_("Other ways the text may write it, one per line (e.g. IVIg)."),
    )
    definition = EditorTextField(
        _("plain definition"), help_text=_("One or two sentences, in plain words.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return f"{reverse('portal:glossary')}#term-{self.slug}"

    @property
    def forms(self):
        """The term and its other forms, longest first so the longest wins."""
        others = [line.strip() for line in self.synonyms.splitlines() if line.strip()]
        return sorted({self.term, *others}, key=len, reverse=True)


class SearchSynonym(models.Model):
    """Ways of writing one thing that search treats as the same word.

    Readers type "IVIG dose" where an article says "intravenous
    immunoglobulin"; editors keep these sets in the admin, and search finds a
    document with any form of the set (``portal.search.query.expand``).
    """

    terms = models.TextField(
        _("words that mean the same"),
        help_text=_(
            "One form per line, for example IVIG, IVIg and intravenous "
            "immunoglobulin. A form may be several words."
        ),
    )
    note = models.CharField(_("note for editors"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = _("search synonym set")
        verbose_name_plural = _("search synonyms")

    def __str__(self):
        return " ↔ ".join(self.forms)

    def clean(self):
        if len(self.forms) < 2:
            raise ValidationError(
                {"terms": _("Give at least two forms, one per line.")}
            )

    @property
    def forms(self):
        """The forms as written, one per line (search normalises them)."""
        return [line.strip() for line in self.terms.splitlines() if line.strip()]
