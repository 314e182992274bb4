"""The literature library: topics, their sections, and the references in them."""

import calendar
import datetime
from urllib.parse import urlsplit

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import citations, evidence, formats, identifiers, kinds, matching
from .fields import EditorTextField, OneLineCharField
from .formats import ET_AL, split_et_al, with_et_al

# Vancouver lists six authors, then "et al.".
AUTHORS_SHOWN = 6

# The Reference fields a bibliographic record fills (a file's record, a
# service's description of a work), in the order the add form shows them.
BIBLIOGRAPHIC_FIELDS = (
    "kind",
    "item_type",
    "title",
    "authors",
    "authors_incomplete",
    "source",
    "year",
    "month",
    "day",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
    "abstract",
)

# Publication years the library accepts: the one range forms, the admin and
# imports all check (through the field's validators and the constraint).
YEAR_MIN = 1000
YEAR_MAX = 2100


# The longest name part of a suggested citation key: with "-2011" and a
# "-<n>" it stays well within the key's 100 characters.
KEY_BASE_LENGTH = 60


def unique_citation_key(base, taken):
    """``base``, or ``base-2``, ``base-3``... whichever is not in ``taken``.

    BibTeX compares keys without regard to case, and so does the library:
    ``taken`` holds lower-cased keys.
    """
    key, n = base, 1
    while key.lower() in taken:
        n += 1
        key = f"{base}-{n}"
    return key


citation_key_validator = RegexValidator(
    r"^[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*$",
    _(
        "A citation key starts with a letter, digit or underscore and holds no "
        "spaces, for example smith-2020."
    ),
)


def year_range_message():
    return _("A year is a number from %(min)s to %(max)s.") % {
        "min": YEAR_MIN,
        "max": YEAR_MAX,
    }


def validate_year(value):
    """The publication year range, for forms, the admin and imports alike."""
    if value is not None and not YEAR_MIN <= value <= YEAR_MAX:
        raise ValidationError(year_range_message(), code="year_range")


def record_values(record) -> dict:
    """The Reference field values of a record (``formats.Record``) read from a
    file or a service: its ``BIBLIOGRAPHIC_FIELDS``, the authors one a line,
    "research" when it does not say what kind of publication it is."""
    values = {name: getattr(record, name) for name in BIBLIOGRAPHIC_FIELDS}
    values["authors"] = "\n".join(record.authors)
    values["kind"] = record.kind or kinds.RESEARCH
    values["item_type"] = record.item_type or formats.ARTICLE
    return values


class TopicQuerySet(models.QuerySet):
    def with_inbox_count(self):
        """Topics with ``inbox_count``: references waiting in their inbox."""
        return self.annotate(inbox_count=models.Count("inbox"))


@reversion.register()
class Topic(models.Model):
    title = OneLineCharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = EditorTextField(_("summary"), blank=True)
    also_see = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="seen_from",
        verbose_name=_("also see"),
        help_text=_("Related topics shown as “also see” links."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:topic", kwargs={"slug": self.slug})


@reversion.register()
class Section(models.Model):
    topic = models.ForeignKey(
        Topic,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("topic"),
    )
    title = OneLineCharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    intro = EditorTextField(_("introduction"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["topic", "position", "title"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "slug"], name="section_unique_slug_per_topic"
            )
        ]

    def __str__(self):
        return f"{self.topic}: {self.title}"

    def get_absolute_url(self):
        return f"{self.topic.get_absolute_url()}#section-{self.slug}"


class ImportBatch(models.Model):
    """One imported file: the references it brought wait in a topic's inbox.

    Editors filter the curation inbox by it ("what came from that file").
    ``count`` is how many references the import created, kept as it was.
    """

    topic = models.ForeignKey(
        Topic,
        on_delete=models.CASCADE,
        related_name="import_batches",
        verbose_name=_("topic"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    count = models.PositiveIntegerField(_("references created"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self):
        return _("%(file)s, imported %(date)s") % {
            "file": self.filename,
            "date": date_format(timezone.localtime(self.created_at), "j M Y H:i"),
        }


def identity_q(references) -> Q | None:
    """Rows sharing a DOI, PMID or match key with any of ``references``
    (None if they have none): what a ``matching.Matcher`` must be fed."""
    dois = {reference.doi for reference in references if reference.doi}
    pmids = {reference.pmid for reference in references if reference.pmid}
    keys = {reference.match_key for reference in references if reference.match_key}
    if not (dois or pmids or keys):
        return None
    return Q(doi__in=dois) | Q(pmid__in=pmids) | Q(match_key__in=keys)


# What makes a reference visible to readers (``ReferenceQuerySet.visible``),
# as lookups, so that entries can ask it of their reference through a join.
VISIBLE = {"inbox_topic__isnull": True}


class ReferenceQuerySet(models.QuerySet):
    def visible(self):
        """References readers may see: all but those waiting in a curation inbox.

        Every public view, feed, export, the sitemap and search go through
        this one filter; an imported or added reference stays hidden until an
        editor places it in a section (``services.place_in_section``).
        """
        return self.filter(**VISIBLE)

    def in_inbox(self, topic=None):
        """References waiting in a curation inbox (``topic``'s, or any)."""
        if topic is not None:
            return self.filter(inbox_topic=topic)
        return self.filter(inbox_topic__isnull=False)

    def in_topic(self, topic):
        # A semi-join rather than a join: a reference listed in two sections
        # would need DISTINCT, whose COUNT(DISTINCT) cost every filtered page
        # 77 ms at 100,000. Asked as EXISTS of each reference's entries (its
        # index), not IN a list of the topic's: a page walks the order's
        # index and stops, where the list made SQLite fetch and sort every
        # reference of the topic (page 1: 93 ms to 1 ms; page 2,000: 340 ms
        # to 142 ms; PostgreSQL 185 ms to 94 ms).
        return self.filter(
            models.Exists(
                Entry.objects.filter(
                    reference=models.OuterRef("pk"), section__topic=topic
                )
            )
        )

    def with_key(self, key):
        """The reference cited as ``key``, whatever its case (served by the
        ``reference_unique_citation_key_any_case`` index)."""
        return self.alias(key_lower=Lower("citation_key")).filter(key_lower=key.lower())

    def with_key_starting(self, prefix):
        """References whose key starts with ``prefix``, whatever its case.

        A range on the lower-cased key, which its unique index serves on
        both databases (a LIKE would read every key), then the prefix test
        itself for any collation that orders punctuation its own way.
        """
        prefix = prefix.lower()
        if not prefix:
            return self.none()
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return self.alias(key_lower=Lower("citation_key")).filter(
            key_lower__gte=prefix, key_lower__lt=after, key_lower__startswith=prefix
        )

    def added_between(self, start=None, end=None):
        """References added from ``start`` and before ``end`` (datetimes; either
        may be None): a range on the indexed column, not a date cast."""
        if start is not None:
            self = self.filter(created_at__gte=start)
        if end is not None:
            self = self.filter(created_at__lt=end)
        return self

    def from_import(self, batch):
        """References created by the import ``batch``; None: those added one
        by one (the add form, a lookup)."""
        if batch is None:
            return self.filter(import_batch__isnull=True)
        return self.filter(import_batch=batch)

    def with_summary(self, written=True):
        """References whose summary is written (or, ``written=False``, not):
        what may be placed in a section."""
        blank = Q(summary="")
        return self.exclude(blank) if written else self.filter(blank)

    def in_section(self, section):
        return self.filter(entries__section=section)

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def at_evidence_level(self, level):
        """References whose kind implies the evidence ``level``."""
        return self.filter(kind__in=evidence.kinds_at(level))

    def expired(self):
        return self.filter(link_status=Reference.LinkStatus.EXPIRED)

    def newest_first(self):
        """Newest first, by date, title, then number (so that references of
        one day and title keep their place from page to page): served, keys
        included, by the partial index ``reference_newest_first`` (migration
        0021) on visible references."""
        return self.order_by(
            models.F("year").desc(nulls_last=True),
            models.F("month").desc(nulls_last=True),
            models.F("day").desc(nulls_last=True),
            "title",
            "pk",
        )

    def sharing_identity(self, references):
        """References that share a DOI, PMID or match key with any of
        ``references``: what a ``matching.Matcher`` must know to judge them."""
        query = identity_q(references)
        return self.filter(query) if query else self.none()

    def strongest_first(self):
        """Strongest evidence first (guidelines, systematic reviews, trials...),
        then newest."""
        return self.alias(strength=evidence.strength_order()).order_by(
            "strength", "-created_at", "-pk"
        )

    def with_identifier(self, *, doi="", pmid=""):
        """References that already carry this DOI or PMID (both normalised)."""
        query = Q()
        if doi:
            query |= Q(doi=doi)
        if pmid:
            query |= Q(pmid=pmid)
        return self.filter(query) if query else self.none()


class IdentifierFieldsMixin:
    """Normalises the ``doi`` and ``pmid`` fields before the field checks.

    Pasted identifiers are measured as stored: "https://doi.org/10.1000/X"
    is a valid way to give a DOI, and its normalised form is what the length
    and uniqueness checks must see.
    """

    def clean_fields(self, exclude=None):
        errors = {}
        for field, normalize in (
            ("doi", identifiers.normalize_doi),
            ("pmid", identifiers.normalize_pmid),
        ):
            try:
                setattr(self, field, normalize(getattr(self, field)))
            except ValidationError as exc:
                errors[field] = exc.error_list
        try:
            super().clean_fields(exclude={*(exclude or ()), *errors})
        except ValidationError as exc:
            errors.update(exc.error_dict)
        if errors:
            raise ValidationError(errors)


@reversion.register()
class Reference(IdentifierFieldsMixin, models.Model):
    class Kind(models.TextChoices):
        GUIDELINE = kinds.GUIDELINE, _("Guideline")
        SYSTEMATIC_REVIEW = kinds.SYSTEMATIC_REVIEW, _("Systematic review")
        TRIAL = kinds.TRIAL, _("Trial")
        OBSERVATIONAL = kinds.OBSERVATIONAL, _("Observational study")
        RESEARCH = kinds.RESEARCH, _("Research")
        NARRATIVE_REVIEW = kinds.NARRATIVE_REVIEW, _("Narrative review")
        CASE_REPORT = kinds.CASE_REPORT, _("Case report")
        SECONDARY_SUMMARY = kinds.SECONDARY_SUMMARY, _("Secondary summary")
        NEWS = kinds.NEWS, _("News")
        OTHER = kinds.OTHER, _("Other")

    class ItemType(models.TextChoices):
        ARTICLE = formats.ARTICLE, _("Journal article")
        WEBPAGE = formats.WEBPAGE, _("Web page or registry record")
        DOCUMENT = formats.DOCUMENT, _("Report, book or other document")

    class LinkStatus(models.TextChoices):
        UNCHECKED = "unchecked", _("Not yet checked")
        OK = "ok", _("Working")
        EXPIRED = "expired", _("Expired")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.RESEARCH
    )
    # How it was published, which kind (above) does not say: how exports
    # type it and how citation styles cite it (formats.publication_form).
    item_type = models.CharField(
        _("type of publication"),
        max_length=10,
        choices=ItemType.choices,
        default=ItemType.ARTICLE,
    )
    title = OneLineCharField(_("title"), max_length=500)
    authors = models.TextField(
        _("authors"),
        blank=True,
        help_text=_(
            "One author per line, “Family, Given”; a group author on a line of its own."
        ),
    )
    # A fact about the list, not an author: exports list people and groups
    # only; pages and citations say "et al." (formats.with_et_al).
    authors_incomplete = models.BooleanField(
        _("more authors than listed"),
        default=False,
        help_text=_(
            "Tick if the publication has authors not listed: shown as “et al.”."
        ),
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Journal, publisher or website."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[validate_year],
    )
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    volume = models.CharField(_("volume"), max_length=50, blank=True)
    issue = models.CharField(_("issue"), max_length=50, blank=True)
    pages = models.CharField(_("pages"), max_length=50, blank=True)
    doi = models.CharField(
        _("DOI"), max_length=255, blank=True, help_text=_("For example 10.1000/xyz123.")
    )
    pmid = models.CharField(_("PMID"), max_length=12, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    links = models.JSONField(
        _("other links"),
        default=list,
        blank=True,
        help_text=_("Further addresses the imported file gave, after the URL."),
    )
    abstract = EditorTextField(
        _("abstract"),
        blank=True,
        help_text=_(
            "The publisher's abstract, for editors only: readers never see it. "
            "Write the summary from it in our own words."
        ),
    )
    # What the paper is indexed under (MeSH headings, the authors' keywords),
    # as the file or service gave them: shown to editors and searched, so
    # that a reader's word finds a paper filed under it.
    keywords = models.JSONField(
        _("keywords"),
        default=list,
        blank=True,
        help_text=_("Keywords and MeSH headings the imported record gave."),
    )
    summary = EditorTextField(
        _("summary"), blank=True, help_text=_("One or two sentences in our own words.")
    )
    citation_key = models.CharField(
        _("citation key"),
        max_length=100,
        unique=True,
        validators=[citation_key_validator],
        help_text=_(
            "Cite it in an article as [@key]. Keys are unique whatever their case."
        ),
    )
    # Same title, year and first author, folded (references.matching): how a
    # record without identifiers is recognised as one already in the library.
    match_key = models.CharField(
        _("match key"), max_length=40, blank=True, editable=False, db_index=True
    )
    # Set while the reference waits in a topic's curation inbox: hidden from
    # readers until an editor places it in a section. PROTECT: deleting the
    # topic must not silently publish what waits in its inbox.
    inbox_topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inbox",
        verbose_name=_("waiting in the curation inbox of"),
    )
    # The file it was imported from, for the inbox's filter; none when it was
    # added one by one.
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="references",
        verbose_name=_("import batch"),
    )
    link_status = models.CharField(
        _("link status"),
        max_length=10,
        choices=LinkStatus.choices,
        default=LinkStatus.UNCHECKED,
    )
    link_checked_at = models.DateTimeField(_("link checked"), null=True, blank=True)
    link_http_status = models.PositiveSmallIntegerField(
        _("HTTP status of the last check"), null=True, blank=True
    )
    # One 404 may be a server's bad minute: a link expires only after several
    # checks in a row found it gone (see references.linkcheck).
    link_failures = models.PositiveSmallIntegerField(
        _("failed link checks in a row"), default=0, editable=False
    )
    # When watch_literature last asked Crossref and PubMed about it: a run
    # stopped half-way, started again, goes on with the others.
    watched_at = models.DateTimeField(
        _("last watched"), null=True, blank=True, editable=False
    )
    # The reference formatted in each citation style (references.citations),
    # stored because citeproc takes milliseconds per reference and style: too
    # slow to repeat for every page that lists references; with the digest of
    # what they were made from, so that a stale one is known. "" means not
    # formatted yet: rows written in bulk (imports) are formatted on first use.
    citation_vancouver = models.TextField(
        _("Vancouver citation"), blank=True, editable=False
    )
    citation_ama = models.TextField(_("AMA citation"), blank=True, editable=False)
    citation_source = models.CharField(
        _("fingerprint of the citations' source"),
        max_length=64,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReferenceQuerySet.as_manager()

    CITATION_FIELDS = ("citation_vancouver", "citation_ama", "citation_source")

    class Meta:
        ordering = ["title"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        # The curation inbox lists a topic's waiting references newest first.
        indexes = [
            models.Index(
                fields=["inbox_topic", "-created_at"], name="reference_inbox_newest"
            ),
            # The library's latest change (the sitemap index's lastmod).
            models.Index(
                fields=["-updated_at"],
                condition=Q(inbox_topic__isnull=True),
                name="reference_visible_updated",
            ),
            # Visible references by number, with what a sitemap <url> says:
            # a sitemap page and the filtered lists' semi-joins read this
            # index alone, never the table and its abstracts (PostgreSQL's
            # count of a topic's 100,000 references: 165 ms to 58 ms).
            models.Index(
                fields=["id", "updated_at"],
                condition=Q(inbox_topic__isnull=True),
                name="reference_visible_by_number",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["doi"], condition=~Q(doi=""), name="reference_unique_doi"
            ),
            # DOIs are case-insensitive: stored in one form, lower case
            # (identifiers.normalize_doi), so the constraint above is unique
            # whatever the case a file or a person wrote.
            models.CheckConstraint(
                condition=Q(doi=Lower("doi")), name="reference_doi_lower_case"
            ),
            models.UniqueConstraint(
                fields=["pmid"], condition=~Q(pmid=""), name="reference_unique_pmid"
            ),
            # BibTeX reads "Smith2020" and "smith2020" as one key.
            models.UniqueConstraint(
                Lower("citation_key"), name="reference_unique_citation_key_any_case"
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True)
                | Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="reference_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="reference_month_in_range",
            ),
            models.CheckConstraint(
                condition=Q(day__isnull=True) | Q(day__gte=1, day__lte=31),
                name="reference_day_in_range",
            ),
            models.CheckConstraint(
                condition=(Q(month__isnull=True) | Q(year__isnull=False))
                & (Q(day__isnull=True) | Q(month__isnull=False)),
                name="reference_date_parts_nested",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The match key is derived from this row's title, year and authors
        # and cheap to work out: kept with them on every save, so that no
        # path writing them (the admin, a script) leaves a duplicate unfound.
        # (The stored citations are costly: they carry their own fingerprint
        # instead.)
        update_fields = kwargs.get("update_fields")
        self.match_key = self.compute_match_key()
        if update_fields is not None and {"title", "year", "authors"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "match_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("references:detail", kwargs={"pk": self.pk})

    def compute_match_key(self):
        """The key shared by records of this publication (references.matching)."""
        return matching.match_key(
            title=self.title, year=self.year, authors=self.author_list
        )

    @property
    def evidence_level(self) -> evidence.EvidenceLevel:
        """The evidence level this reference's kind implies."""
        return evidence.level_of(self.kind)

    @property
    def has_evidence_badge(self) -> bool:
        """Whether readers see an evidence badge for it (``evidence.has_badge``)."""
        return evidence.has_badge(self.kind)

    def clean(self):
        self.et_al_as_flag()
        errors = self._duplicate_errors()
        errors.update(self._duplicate_key_errors())
        errors.update(self.date_errors())
        if errors:
            raise ValidationError(errors)

    def _duplicate_errors(self):
        """The reference already in the library, named by the field that says
        so (DOI, PMID, or the title for a probable duplicate) with a link, so
        the editor can go to it instead."""
        # From the values being validated, not those last saved.
        self.match_key = self.compute_match_key()
        known = Reference.objects.sharing_identity([self]).exclude(pk=self.pk)
        errors = {}
        for match in matching.Matcher(known).matches(self):
            existing = match.known
            params = {"title": existing.title, "url": existing.get_absolute_url()}
            if match.probable:
                errors["title"] = ValidationError(
                    _(
                        "This is probably the same as “%(title)s” (%(url)s): same "
                        "title, year and first author."
                    ),
                    code="probable_duplicate",
                    params=params,
                )
            else:
                errors[match.how] = ValidationError(
                    _(
                        "A reference with this %(label)s already exists: "
                        "“%(title)s” (%(url)s)."
                    ),
                    code="duplicate",
                    params={
                        "label": self._meta.get_field(match.how).verbose_name,
                        **params,
                    },
                )
        return errors

    def _duplicate_key_errors(self):
        """The key taken by another reference, in any case (constraint repeated)."""
        if not self.citation_key:
            return {}
        existing = (
            Reference.objects.filter(citation_key__iexact=self.citation_key)
            .exclude(pk=self.pk)
            .first()
        )
        if existing is None:
            return {}
        return {
            "citation_key": ValidationError(
                _("The key “%(key)s” is taken by “%(title)s” (%(url)s)."),
                code="duplicate",
                params={
                    "key": existing.citation_key,
                    "title": existing.title,
                    "url": existing.get_absolute_url(),
                },
            )
        }

    def date_errors(self):
        """Messages for impossible dates, by field (no database needed)."""
        if self.year is not None and not YEAR_MIN <= self.year <= YEAR_MAX:
            return {}  # validate_year says so; no calendar goes that far
        if self.month and not self.year:
            return {"month": _("Give the year as well as the month.")}
        if self.day and not self.month:
            return {"day": _("Give the month as well as the day.")}
        if self.month and not 1 <= self.month <= 12:
            return {"month": _("A month is a number from 1 to 12.")}
        if self.day:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                return {"day": _("That day does not exist in that month.")}
        return {}

    def refresh_citations(self) -> bool:
        """Format the citations again if what they are made of has changed
        since they were (or if they never were); True if it did.

        Sets the stored fields (``CITATION_FIELDS``) without saving: the
        editorial services call it before they save, ``stored_citation`` on
        first use of a reference written by any other path.
        """
        source = citations.fingerprint(self)
        if source == self.citation_source:
            return False
        for style in citations.STYLES:
            setattr(
                self, f"citation_{style}", str(citations.format_citation(self, style))
            )
        self.citation_source = source
        return True

    def set_default_citation_key(self, taken=None):
        """Give a reference without a citation key the suggested one.

        The one place a key is made up: the editorial service and the
        importer call it before validating, never ``save()``. ``taken`` as
        for ``suggest_citation_key``.
        """
        if not self.citation_key:
            self.citation_key = self.suggest_citation_key(taken)

    def suggest_citation_key(self, taken=None):
        """A readable key from the first author's family name (or title) and
        year, unique whatever its case among ``taken`` (lower-cased keys; an
        import's, read once) or else among the library's keys."""
        base = self.citation_key_base()
        if taken is None:
            taken = {
                key.lower()
                for key in Reference.objects.filter(citation_key__istartswith=base)
                .exclude(pk=self.pk)
                .values_list("citation_key", flat=True)
            }
        return unique_citation_key(base, taken)

    def citation_key_base(self):
        """The key before any "-2" that keeps it unique: "marie-2011"."""
        first = self.author_list[0].split(",")[0] if self.author_list else self.title
        # The name is cut before slugify() reads it (a file may hold a
        # 60,000-character name) and the words after: the key, with its year
        # and a "-<n>" to keep it unique, fits its 100 characters, and the
        # istartswith query for taken keys stays a short LIKE pattern.
        words = slugify(first[:KEY_BASE_LENGTH]).split("-")[:3]
        base = "-".join(word for word in words if word)[:KEY_BASE_LENGTH]
        base = base.strip("-") or "ref"
        return f"{base}-{self.year}" if self.year else base

    def _author_lines(self):
        return [line.strip() for line in self.authors.splitlines() if line.strip()]

    @property
    def author_list(self):
        """The people and groups listed, one a line: never an "et al." line
        (typed by hand, or in a row written by a script)."""
        return split_et_al(self._author_lines())[0]

    @property
    def has_more_authors(self):
        """Whether more authors exist than are listed: pages and citations
        then say "et al."."""
        return self.authors_incomplete or split_et_al(self._author_lines())[1]

    def et_al_as_flag(self):
        """An "et al." line in the authors becomes ``authors_incomplete``."""
        names, incomplete = split_et_al(self._author_lines())
        if incomplete:
            self.authors = "\n".join(names)
            self.authors_incomplete = True

    @property
    def authors_display(self):
        """Authors as Vancouver gives them: the first six, then “et al.”.

        An incomplete list says “et al.” after its people, so a group author
        after them still shows.
        """
        shown, people = [], 0
        for name in with_et_al(self.author_list, self.has_more_authors):
            if name != ET_AL:
                people += 1
                if people > AUTHORS_SHOWN:
                    shown.append(ET_AL)
                    break
            shown.append(name)
        text = ""
        for name in shown:
            if name == ET_AL:
                if text and not text.endswith(ET_AL):
                    text += f", {_('et al.')}"
            else:
                text += f"; {name}" if text else name
        return text

    @property
    def date_display(self):
        if not self.year:
            return ""
        if not self.month:
            return str(self.year)
        if not self.day:
            return date_format(datetime.date(self.year, self.month, 1), "F Y")
        return date_format(datetime.date(self.year, self.month, self.day), "j F Y")

    @property
    def doi_url(self):
        return identifiers.doi_url(self.doi)

    @property
    def pubmed_url(self):
        return identifiers.pubmed_url(self.pmid)

    @property
    def trial_registration(self):
        """The trial registration its registry address (URL or another link)
        names, or "" (``identifiers.trial_registration``)."""
        for url in (self.url, *(self.links or ())):
            found = identifiers.trial_registration(url if isinstance(url, str) else "")
            if found:
                return found
        return ""

    @property
    def web_url(self):
        """The stored link if it is a web address, else "".

        Form validation allows only web addresses, but rows can arrive by other
        ways (an import, a script); a javascript: or data: link must never be
        rendered as one.
        """
        scheme = urlsplit(self.url.strip()).scheme.lower()
        return self.url if scheme in {"http", "https"} else ""

    @property
    def best_url(self):
        """Where a reader should go: the link itself unless it has died."""
        if self.web_url and self.link_status != self.LinkStatus.EXPIRED:
            return self.web_url
        return self.doi_url or self.pubmed_url or ""

    @property
    def is_expired(self):
        return self.link_status == self.LinkStatus.EXPIRED

    @property
    def is_in_inbox(self):
        """Waiting for an editor to place it, hidden from readers: for one
        reference, the rule ``ReferenceQuerySet.visible`` applies to many."""
        return self.inbox_topic_id is not None

    @property
    def source_line(self):
        """“Clin Rheumatol, 2019;38(8):2039-2051”, from whatever parts exist."""
        details = ""
        if self.volume:
            details = self.volume
            if self.issue:
                details += f"({self.issue})"
            if self.pages:
                details += f":{self.pages}"
        parts = [part for part in (self.source, self.date_display) if part]
        line = ", ".join(parts)
        return f"{line}; {details}" if details and line else line or details


class EntryQuerySet(models.QuerySet):
    def visible(self):
        """Entries of references readers may see (``ReferenceQuerySet.visible``).

        Asked through the join to each entry's reference: ``reference__in``
        a subquery of the visible references made SQLite list all 100,000 of
        them for every section the topic page or feed read.
        """
        return self.filter(
            **{f"reference__{key}": value for key, value in VISIBLE.items()}
        )

    def first_in_each(self, sections, *ordering, limit):
        """The first ``limit`` visible entries of each of ``sections`` by
        ``ordering`` (the topic page's first entries, its feed's newest).

        Each section's share is a LIMITed walk of its index that stops
        early. Where the database allows a LIMIT inside a UNION
        (PostgreSQL), the shares are united: an OR of one ``IN`` per section
        made PostgreSQL scan every entry of the library for each (0.1 s at
        100,000); SQLite, which refuses that UNION, answers the OR from the
        index.
        """
        shares = [
            self.model.objects.visible()
            .filter(section=section)
            .order_by(*ordering)
            .values("pk")[:limit]
            for section in sections
        ]
        if not shares:
            return self.none()
        if connections[self.db].features.supports_slicing_ordering_in_compound:
            return self.filter(pk__in=shares[0].union(*shares[1:], all=True))
        either = Q(pk__in=shares[0])
        for share in shares[1:]:
            either |= Q(pk__in=share)
        return self.filter(either)

    def hidden(self):
        """Entries whose reference readers may not see (put back in an
        inbox from the admin): few, found from the inbox's index."""
        return self.exclude(
            **{f"reference__{key}": value for key, value in VISIBLE.items()}
        )


@reversion.register()
class Entry(models.Model):
    """A reference placed in a topic's section, in the editors' chosen order."""

    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("section"),
    )
    reference = models.ForeignKey(
        Reference,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("reference"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    added_at = models.DateTimeField(_("added"), auto_now_add=True, db_index=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["section", "position", "id"]
        verbose_name = _("literature entry")
        verbose_name_plural = _("literature entries")
        indexes = [
            # A section's entries in order, first ones first (the topic page
            # reads each section's first few of up to 100,000).
            models.Index(fields=["section", "position", "id"], name="entry_in_order"),
            # A section's newest entries (the topic's literature feed).
            models.Index(fields=["section", "-added_at"], name="entry_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "reference"],
                name="entry_unique_reference_per_section",
            )
        ]

    def __str__(self):
        return f"{self.section}: {self.reference}"


class ReferenceNoticeQuerySet(models.QuerySet):
    def serious(self):
        """Retractions, withdrawals and expressions of concern: notices that put
        the evidence itself in doubt (a correction does not)."""
        return self.filter(kind__in=ReferenceNotice.SERIOUS)


@reversion.register()
class ReferenceNotice(IdentifierFieldsMixin, models.Model):
    """A retraction, expression of concern, correction or withdrawal of a reference.

    Recorded by ``references.notices.record_notices`` from whichever source
    reported it first (Crossref, PubMed, Retraction Watch or an editor); the
    same notice reported again, by any source, is the same row.
    """

    class Kind(models.TextChoices):
        RETRACTION = "retraction", _("Retraction")
        CONCERN = "concern", _("Expression of concern")
        CORRECTION = "correction", _("Correction")
        WITHDRAWAL = "withdrawal", _("Withdrawal")

    class Source(models.TextChoices):
        CROSSREF = "crossref", _("Crossref")
        PUBMED = "pubmed", _("PubMed")
        RETRACTION_WATCH = "retraction_watch", _("Retraction Watch")
        EDITOR = "editor", _("An editor")

    # Notices that make an article citing the reference need the board's eyes.
    SERIOUS = (Kind.RETRACTION, Kind.WITHDRAWAL, Kind.CONCERN)
    # Notices that an approval must acknowledge (see articles.workflow).
    RETRACTED = (Kind.RETRACTION, Kind.WITHDRAWAL)

    reference = models.ForeignKey(
        Reference,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("reference"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date of the notice"), null=True, blank=True)
    doi = models.CharField(_("DOI of the notice"), max_length=255, blank=True)
    pmid = models.CharField(_("PMID of the notice"), max_length=12, blank=True)
    url = models.URLField(_("URL of the notice"), max_length=1000, blank=True)
    source = models.CharField(_("reported by"), max_length=20, choices=Source.choices)
    reason = models.TextField(_("reason"), blank=True)
    first_seen_at = models.DateTimeField(
        _("first seen"), default=timezone.now, db_index=True
    )

    objects = ReferenceNoticeQuerySet.as_manager()

    class Meta:
        # Not by reference: that would join the references table into every
        # prefetch of a reference's notices.
        ordering = ["-date", "-first_seen_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "kind", "doi"],
                condition=~Q(doi=""),
                name="notice_unique_doi",
            ),
            models.UniqueConstraint(
                fields=["reference", "kind", "pmid"],
                condition=~Q(pmid=""),
                name="notice_unique_pmid",
            ),
            models.CheckConstraint(
                condition=Q(doi=Lower("doi")), name="notice_doi_lower_case"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.reference_id}"

    def get_absolute_url(self):
        return f"{self.reference.get_absolute_url()}#notice-{self.pk}"

    def clean(self):
        # The named constraints, said in words.
        others = ReferenceNotice.objects.filter(
            reference_id=self.reference_id, kind=self.kind
        ).exclude(pk=self.pk)
        for field in ("doi", "pmid"):
            value = getattr(self, field)
            if value and others.filter(**{field: value}).exists():
                raise ValidationError(
                    {
                        field: _(
                            "This reference already has this notice (same %(label)s)."
                        )
                        % {"label": self._meta.get_field(field).verbose_name}
                    }
                )

    @property
    def is_serious(self):
        return self.kind in self.SERIOUS

    @property
    def badge(self):
        """What the badge says: “Retracted 12 March 2024”, “Corrected”..."""
        label = NOTICE_BADGES[self.kind]
        if self.date and self.kind in self.RETRACTED:
            return f"{label} {date_format(self.date, 'j F Y')}"
        return str(label)

    @property
    def link(self):
        """Where the notice itself can be read."""
        scheme = urlsplit(self.url.strip()).scheme.lower()
        if scheme in {"http", "https"}:
            return self.url
        return identifiers.doi_url(self.doi) or identifiers.pubmed_url(self.pmid)


NOTICE_BADGES = {
    ReferenceNotice.Kind.RETRACTION: _("Retracted"),
    ReferenceNotice.Kind.WITHDRAWAL: _("Withdrawn"),
    ReferenceNotice.Kind.CONCERN: _("Expression of concern"),
    ReferenceNotice.Kind.CORRECTION: _("Corrected"),
}


def a_year_ago():
    """Where a new saved search starts looking: papers added in the last year."""
    return timezone.localdate() - datetime.timedelta(days=365)


class SavedSearchQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def with_counts(self):
        """Searches with how many papers each brought (``brought``) and what
        became of them: ``placed`` in a section, ``dismissed`` as not
        relevant, still ``waiting`` in the inbox. One query."""
        findings = models.Count("findings")
        return self.annotate(
            brought=findings,
            dismissed=models.Count(
                "findings", filter=Q(findings__dismissed_at__isnull=False)
            ),
            waiting=models.Count(
                "findings", filter=Q(findings__reference__inbox_topic__isnull=False)
            ),
            placed=models.Count(
                "findings",
                filter=Q(
                    findings__reference__isnull=False,
                    findings__reference__inbox_topic__isnull=True,
                ),
            ),
        )

    def searched_through(self, topic):
        """The day through which every active search of ``topic`` has run
        successfully: the earliest of their last successful runs. None if the
        topic has no active search or one has never run successfully."""
        days = list(
            self.active().filter(topic=topic).values_list("last_success_on", flat=True)
        )
        if not days or None in days:
            return None
        return min(days)


@reversion.register()
class SavedSearch(models.Model):
    """A standing literature search of a topic, run from cron
    (``run_saved_searches``): what it finds that is new lands in the topic's
    curation inbox."""

    class Service(models.TextChoices):
        PUBMED = "pubmed", _("PubMed")
        CROSSREF = "crossref", _("Crossref")

    topic = models.ForeignKey(
        Topic,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("topic"),
    )
    label = models.CharField(
        _("label"),
        max_length=200,
        help_text=_("What it looks for, for example “RCTs in dermatomyositis”."),
    )
    service = models.CharField(
        _("service"), max_length=10, choices=Service.choices, default=Service.PUBMED
    )
    query = models.TextField(
        _("query"),
        max_length=4000,
        help_text=_(
            "PubMed: its query language, for example "
            "dermatomyositis[mh] AND randomized controlled trial[pt]. "
            "Crossref: words to look for."
        ),
    )
    since = models.DateField(
        _("find papers added since"),
        default=a_year_ago,
        help_text=_(
            "The first run looks back to this day; each later run starts from "
            "the last successful one."
        ),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Run it with the others.")
    )
    # The day the last successful run searched through (its window's end):
    # the next run starts there. A failed run leaves it as it was.
    last_success_on = models.DateField(
        _("searched through"), null=True, blank=True, editable=False
    )
    last_run_at = models.DateTimeField(
        _("last run"), null=True, blank=True, editable=False
    )
    last_error = models.TextField(_("last run's error"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "label"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "label"], name="saved_search_unique_label_per_topic"
            )
        ]

    def __str__(self):
        return f"{self.topic}: {self.label}"

    def clean(self):
        # The named constraint, said in words.
        if (
            self.topic_id
            and SavedSearch.objects.filter(topic_id=self.topic_id, label=self.label)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {"label": _("This topic already has a search with this label.")}
            )

    @property
    def window_start(self) -> datetime.date:
        """The first day the next run asks about: the day the last successful
        run searched through (again, for what was added later that day), or
        ``since`` before any."""
        return self.last_success_on or self.since


class FindingQuerySet(models.QuerySet):
    def kept(self):
        """Findings not dismissed, whose reference is still in the library."""
        return self.filter(dismissed_at__isnull=True, reference__isnull=False)

    def strongest_first(self):
        return self.alias(strength=evidence.strength_order()).order_by(
            "strength", "-found_at", "pk"
        )


class Finding(models.Model):
    """A paper a saved search brought into its topic's curation inbox: when,
    with what PubMed says of it (publication types, MeSH headings), and what
    became of it."""

    search = models.ForeignKey(
        SavedSearch,
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("found by"),
    )
    # The search's topic, kept here: the board's pages ask by topic.
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="+", verbose_name=_("topic")
    )
    # Null once the reference is dismissed (deleted) or deleted otherwise.
    reference = models.ForeignKey(
        Reference,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("reference"),
    )
    title = models.CharField(_("title"), max_length=500)
    # The reference's kind when found, for ordering without a join.
    kind = models.CharField(_("kind"), max_length=20, choices=Reference.Kind.choices)
    doi = models.CharField(_("DOI"), max_length=255, blank=True)
    pmid = models.CharField(_("PMID"), max_length=12, blank=True)
    publication_types = models.JSONField(
        _("publication types"), default=list, blank=True
    )
    mesh_headings = models.JSONField(_("MeSH headings"), default=list, blank=True)
    found_at = models.DateTimeField(_("found"), default=timezone.now, db_index=True)
    dismissed_at = models.DateTimeField(_("dismissed"), null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dismissed by"),
    )

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["-found_at", "pk"]
        verbose_name = _("paper found by a search")
        verbose_name_plural = _("papers found by searches")
        indexes = [models.Index(fields=["topic", "found_at"])]

    def __str__(self):
        return self.title

    @property
    def level(self):
        return evidence.level_of(self.kind)


class DismissalQuerySet(models.QuerySet):
    def sharing_identity(self, references):
        """Dismissals a ``matching.Matcher`` must know to judge ``references``
        (as ``ReferenceQuerySet.sharing_identity``)."""
        query = identity_q(references)
        return self.filter(query) if query else self.none()


class Dismissal(models.Model):
    """A paper an editor dismissed from a topic's inbox as not relevant: the
    topic's searches never bring it back. Who and when are kept."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="+", verbose_name=_("topic")
    )
    title = models.CharField(_("title"), max_length=500)
    doi = models.CharField(_("DOI"), max_length=255, blank=True, db_index=True)
    pmid = models.CharField(_("PMID"), max_length=12, blank=True, db_index=True)
    # As Reference.match_key: recognises the paper without identifiers.
    match_key = models.CharField(
        _("match key"), max_length=40, blank=True, db_index=True
    )
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dismissed by"),
    )
    dismissed_at = models.DateTimeField(_("dismissed"), default=timezone.now)

    objects = DismissalQuerySet.as_manager()

    class Meta:
        ordering = ["-dismissed_at", "pk"]
        verbose_name = _("dismissed paper")
        verbose_name_plural = _("dismissed papers")

    def __str__(self):
        return self.title
