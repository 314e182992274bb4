"""The JSON the API answers with: what the public pages show, and no more.

Each serializer reads the objects the public querysets return (see
``api.views``), and the approved version of an article, never its working
copy. Nothing here reaches an abstract, an editor's note, a citation key, an
inbox or a disclosure. Resources link to each other by absolute URL
(``url`` for the API resource, ``page`` for the reader's HTML page, ``fhir``
for the same content as FHIR).
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles import grading
from articles.models import person_name
from references.citations import stored_citation
from references.evidence import EvidenceLevel
from references.models import Reference, ReferenceNotice


def absolute(request, name, **kwargs) -> str:
    """The absolute URL of the named route, on the host the client asked."""
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


def page_of(request, obj, anchor="") -> str:
    """The absolute URL of an object's public page."""
    return request.build_absolute_uri(obj.get_absolute_url()) + anchor


# A link that may be missing: an ungraded statement has no rating, a cited
# reference readers cannot open has no resource.
NULLABLE_URI = serializers.URLField(allow_null=True)


class ContextMixin:
    @property
    def request(self):
        return self.context["request"]


# Links between resources --------------------------------------------------


class TopicLinkSerializer(ContextMixin, serializers.Serializer):
    url = serializers.SerializerMethodField()
    slug = serializers.CharField()
    title = serializers.CharField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, topic):
        return absolute(self.request, "api:topic-detail", slug=topic.slug)


class ReferenceLinkSerializer(ContextMixin, serializers.Serializer):
    url = serializers.SerializerMethodField()
    title = serializers.CharField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, reference):
        return absolute(self.request, "api:reference-detail", pk=reference.pk)


class ArticleLinkSerializer(ContextMixin, serializers.Serializer):
    """An approved article, by its approved address and title."""

    url = serializers.SerializerMethodField()
    slug = serializers.CharField(source="live.slug")
    title = serializers.CharField(source="live.title")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, article):
        return absolute(self.request, "api:article-detail", slug=article.live.slug)


# Notices and references --------------------------------------------------


class NoticeSerializer(ContextMixin, serializers.Serializer):
    """A retraction, expression of concern, correction or withdrawal."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ReferenceNotice.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    label = serializers.CharField(source="badge", help_text="What the badge says.")
    date = serializers.DateField(allow_null=True)
    link = serializers.CharField(help_text="Where the notice itself can be read.")
    reason = serializers.CharField()
    source = serializers.CharField()
    source_label = serializers.CharField(source="get_source_display")
    first_seen_at = serializers.DateTimeField()
    page = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, notice):
        return page_of(self.request, notice.reference, f"#notice-{notice.pk}")


class NoticeWithReferenceSerializer(NoticeSerializer):
    reference = ReferenceLinkSerializer()


class ReferenceSerializer(ContextMixin, serializers.Serializer):
    """A reference as its public page shows it."""

    url = serializers.SerializerMethodField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Reference.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    evidence_level = serializers.ChoiceField(choices=EvidenceLevel.choices)
    evidence_level_label = serializers.CharField(source="evidence_level.label")
    authors = serializers.SerializerMethodField()
    authors_complete = serializers.SerializerMethodField(
        help_text="False when the publication has authors not listed (“et al.”)."
    )
    source = serializers.CharField(help_text="Journal, publisher or website.")
    year = serializers.IntegerField(allow_null=True)
    month = serializers.IntegerField(allow_null=True)
    day = serializers.IntegerField(allow_null=True)
    date_display = serializers.CharField()
    volume = serializers.CharField()
    issue = serializers.CharField()
    pages = serializers.CharField()
    source_line = serializers.CharField()
    doi = serializers.CharField()
    doi_url = serializers.CharField()
    pmid = serializers.CharField()
    pubmed_url = serializers.CharField()
    link = serializers.CharField(
        source="best_url", help_text="Where to read it: its own link unless expired."
    )
    link_expired = serializers.BooleanField(source="is_expired")
    summary = serializers.CharField(help_text="One or two sentences in our words.")
    notices = NoticeSerializer(many=True, source="notices.all")
    page = serializers.SerializerMethodField()
    fhir = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, reference):
        return absolute(self.request, "api:reference-detail", pk=reference.pk)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_authors(self, reference):
        return reference.author_list

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_authors_complete(self, reference):
        return not reference.authors_incomplete

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, reference):
        return page_of(self.request, reference)

    @extend_schema_field(OpenApiTypes.URI)
    def get_fhir(self, reference):
        return absolute(self.request, "api:fhir-citation", pk=reference.pk)


class CitationsSerializer(serializers.Serializer):
    vancouver = serializers.SerializerMethodField()
    ama = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_vancouver(self, reference):
        return str(stored_citation(reference, "vancouver"))

    @extend_schema_field(OpenApiTypes.STR)
    def get_ama(self, reference):
        return str(stored_citation(reference, "ama"))


class ListingSerializer(ContextMixin, serializers.Serializer):
    """Where a reference is listed: a section of a topic."""

    topic = TopicLinkSerializer(source="section.topic")
    section = serializers.CharField(source="section.title")
    page = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, entry):
        return page_of(self.request, entry.section)


class ReferenceDetailSerializer(ReferenceSerializer):
    citations = CitationsSerializer(
        source="*", help_text="Formatted citations, as HTML (AMA italicises)."
    )
    listed_under = ListingSerializer(many=True, source="entries.all")


# Topics ------------------------------------------------------------------


class TopicSerializer(TopicLinkSerializer):
    summary = serializers.CharField()
    page = serializers.SerializerMethodField()
    fhir = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, topic):
        return page_of(self.request, topic)

    @extend_schema_field(OpenApiTypes.URI)
    def get_fhir(self, topic):
        return absolute(self.request, "api:fhir-bundle", id=f"topic-{topic.pk}")


class SectionSerializer(ContextMixin, serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    intro = serializers.CharField()
    reference_count = serializers.IntegerField(source="visible_entries")
    references = serializers.SerializerMethodField(
        help_text="The section's references, a paginated list."
    )
    first_references = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_references(self, section):
        return absolute(self.request, "api:reference-list") + f"?section={section.pk}"

    @extend_schema_field(ReferenceLinkSerializer(many=True))
    def get_first_references(self, section):
        return ReferenceLinkSerializer(
            [entry.reference for entry in section.first_entries],
            many=True,
            context=self.context,
        ).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, section):
        # The topic being shown: read once, not once per section.
        topic = self.context["topic"]
        return self.request.build_absolute_uri(
            topic.get_absolute_url() + f"#section-{section.slug}"
        )


class TopicDetailSerializer(TopicSerializer):
    """A topic as its page shows it: articles, literature by section, links."""

    overview = serializers.SerializerMethodField()
    articles = serializers.SerializerMethodField()
    sections = SectionSerializer(many=True, source="contents.sections")
    references = serializers.SerializerMethodField(
        help_text="All the topic's references, a paginated list."
    )
    also_see = TopicLinkSerializer(many=True, source="contents.also_see")

    @extend_schema_field(ArticleLinkSerializer(allow_null=True))
    def get_overview(self, topic):
        overview = topic.contents.overview
        if overview is None:
            return None
        return ArticleLinkSerializer(overview, context=self.context).data

    @extend_schema_field(ArticleLinkSerializer(many=True))
    def get_articles(self, topic):
        return ArticleLinkSerializer(
            topic.contents.articles, many=True, context=self.context
        ).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_references(self, topic):
        return absolute(self.request, "api:reference-list") + f"?topic={topic.slug}"


# Articles ----------------------------------------------------------------


class ArticleSerializer(ContextMixin, serializers.Serializer):
    """An approved article: its live version's metadata."""

    url = serializers.SerializerMethodField()
    slug = serializers.CharField(source="live.slug")
    title = serializers.CharField(source="live.title")
    summary = serializers.CharField(source="live.summary")
    topic = TopicLinkSerializer(source="live.topic")
    is_overview = serializers.BooleanField(source="live.is_overview")
    version = serializers.IntegerField(
        source="live.number", help_text="The approved version's number."
    )
    approved_at = serializers.DateTimeField(
        source="live.approved_at", help_text="When the board last approved it."
    )
    next_review_due = serializers.DateField(source="live.next_review_due")
    reviewed_by = serializers.CharField(source="live.reviewer_label")
    page = serializers.SerializerMethodField()
    fhir = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, article):
        return absolute(self.request, "api:article-detail", slug=article.live.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, article):
        return page_of(self.request, article)

    @extend_schema_field(OpenApiTypes.URI)
    def get_fhir(self, article):
        return absolute(
            self.request, "api:fhir-composition", id=f"article-{article.pk}"
        )


class CitedReferenceSerializer(ContextMixin, serializers.Serializer):
    """A numbered entry of the article's reference list."""

    number = serializers.IntegerField()
    reference = serializers.SerializerMethodField(
        help_text="The reference's resource; null for one readers cannot open."
    )
    title = serializers.CharField(source="reference.title")
    citation = serializers.SerializerMethodField(help_text="Vancouver, as HTML.")
    kind = serializers.ChoiceField(
        choices=Reference.Kind.choices, source="reference.kind"
    )
    evidence_level = serializers.ChoiceField(
        choices=EvidenceLevel.choices, source="reference.evidence_level"
    )
    evidence_level_label = serializers.CharField(
        source="reference.evidence_level.label"
    )
    notices = NoticeSerializer(many=True, source="reference.notices.all")

    @extend_schema_field(NULLABLE_URI)
    def get_reference(self, citation):
        if citation.reference.is_in_inbox:
            return None
        return absolute(self.request, "api:reference-detail", pk=citation.reference_id)

    @extend_schema_field(OpenApiTypes.STR)
    def get_citation(self, citation):
        return str(stored_citation(citation.reference, "vancouver"))

    def to_representation(self, citation):
        data = super().to_representation(citation)
        if citation.reference.is_in_inbox:
            # Cited, but not placed by an editor: the page shows the citation
            # and nothing else of it.
            data["notices"] = []
        return data


class RecommendationSerializer(ContextMixin, serializers.Serializer):
    """A graded recommendation or good practice statement of the approved text."""

    kind = serializers.ChoiceField(choices=grading.Kind.choices)
    number = serializers.IntegerField()
    heading = serializers.SerializerMethodField()
    strength = serializers.CharField(
        help_text="strong or conditional; empty if ungraded."
    )
    strength_label = serializers.SerializerMethodField()
    certainty = serializers.CharField(
        help_text="high, moderate, low or very-low; empty if ungraded."
    )
    certainty_label = serializers.SerializerMethodField()
    statement = serializers.CharField(source="text")
    references = serializers.SerializerMethodField(
        help_text="The numbers of the article's references it cites."
    )
    page = serializers.SerializerMethodField()
    fhir = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField(
        help_text="Its FHIR recommendation rating; null if ungraded."
    )

    @extend_schema_field(OpenApiTypes.STR)
    def get_heading(self, item):
        return str(grading.HEADINGS[item["kind"]]) % {"number": item["number"]}

    @extend_schema_field(OpenApiTypes.STR)
    def get_strength_label(self, item):
        return grading.wording(item["strength"]) if item["strength"] else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_certainty_label(self, item):
        return grading.wording(item["certainty"]) if item["certainty"] else ""

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_references(self, item):
        return self.context["cited"].get(item["anchor"], [])

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, item):
        return page_of(self.request, self.context["article"], f"#{item['anchor']}")

    def _fhir_id(self, item):
        return f"article-{self.context['article'].pk}-{item['anchor']}"

    @extend_schema_field(OpenApiTypes.URI)
    def get_fhir(self, item):
        return absolute(self.request, "api:fhir-composition", id=self._fhir_id(item))

    @extend_schema_field(NULLABLE_URI)
    def get_rating(self, item):
        if not item["strength"]:
            return None
        return absolute(self.request, "api:fhir-rating", id=self._fhir_id(item))


class ChangedReferenceSerializer(serializers.Serializer):
    """A reference a version added or removed."""

    title = serializers.CharField()
    url = serializers.URLField(
        allow_null=True, help_text="Null for one readers cannot open."
    )


class ChangeSerializer(ContextMixin, serializers.Serializer):
    """One approved version in the change log."""

    version = serializers.IntegerField(source="version.number")
    approved_at = serializers.DateTimeField(source="version.approved_at")
    change_class = serializers.CharField(source="version.change_class")
    change_class_label = serializers.CharField(
        source="version.get_change_class_display"
    )
    change_note = serializers.CharField(source="version.change_note")
    approvers = serializers.SerializerMethodField()
    added = serializers.SerializerMethodField()
    removed = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_approvers(self, change):
        return [person_name(user) for user in change["version"].approvers.all()]

    def _references(self, references):
        return [
            {"title": reference.title, "url": self._reference_url(reference)}
            for reference in references
        ]

    def _reference_url(self, reference):
        if reference.is_in_inbox:
            return None
        return absolute(self.request, "api:reference-detail", pk=reference.pk)

    @extend_schema_field(ChangedReferenceSerializer(many=True))
    def get_added(self, change):
        return self._references(change["added"])

    @extend_schema_field(ChangedReferenceSerializer(many=True))
    def get_removed(self, change):
        return self._references(change["removed"])


class CautionSerializer(serializers.Serializer):
    """A serious notice on a cited reference, first seen since the approval."""

    number = serializers.IntegerField(help_text="The citation number.")
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    date = serializers.DateField(allow_null=True)


class ArticleDetailSerializer(ArticleSerializer):
    """An approved article: the approved version's text, grades and record."""

    plain_summary = serializers.CharField(source="live.plain_summary")
    is_overdue = serializers.SerializerMethodField(
        help_text="Its review date has come."
    )
    update_in_review = serializers.SerializerMethodField(
        help_text="A newer version is with the board."
    )
    change_class = serializers.CharField(source="live.change_class")
    change_note = serializers.CharField(source="live.change_note")
    authors = serializers.SerializerMethodField()
    approvers = serializers.SerializerMethodField()
    body_html = serializers.CharField(
        source="live.body_html", help_text="The clinical text, rendered."
    )
    plain_body_html = serializers.CharField(
        source="live.plain_body_html",
        help_text="The plain-language text, rendered; empty if there is none.",
    )
    recommendations = serializers.SerializerMethodField()
    references = serializers.SerializerMethodField()
    cautions = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField(
        help_text="Every approved version, newest first."
    )

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_overdue(self, article):
        return article.live.is_overdue()

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_update_in_review(self, article):
        return article.is_with_board

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_authors(self, article):
        return [person_name(user) for user in article.live.authors.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_approvers(self, article):
        return [person_name(user) for user in article.live.approvers.all()]

    @extend_schema_field(RecommendationSerializer(many=True))
    def get_recommendations(self, article):
        return RecommendationSerializer(
            article.live.recommendations,
            many=True,
            context={**self.context, "article": article},
        ).data

    @extend_schema_field(CitedReferenceSerializer(many=True))
    def get_references(self, article):
        return CitedReferenceSerializer(
            self.context["citations"], many=True, context=self.context
        ).data

    @extend_schema_field(CautionSerializer(many=True))
    def get_cautions(self, article):
        return CautionSerializer(
            [
                {
                    "number": number,
                    "kind": notice.kind,
                    "kind_label": notice.get_kind_display(),
                    "date": notice.date,
                }
                for number, notice in article.live.notice_cautions(
                    self.context["citations"]
                )
            ],
            many=True,
        ).data

    @extend_schema_field(ChangeSerializer(many=True))
    def get_changes(self, article):
        return ChangeSerializer(
            self.context["changes"], many=True, context=self.context
        ).data


# The root and errors -------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every error the JSON API answers with (api.errors)."""

    status = serializers.IntegerField(help_text="The HTTP status.")
    message = serializers.CharField(help_text="What went wrong, in words.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For a bad parameter: its messages, by name.",
    )


class RootSerializer(serializers.Serializer):
    """What the API holds, each a link to follow."""

    name = serializers.CharField()
    api_version = serializers.CharField()
    topics = serializers.URLField()
    articles = serializers.URLField()
    references = serializers.URLField()
    notices = serializers.URLField()
    schema = serializers.URLField(help_text="This API's OpenAPI 3 schema.")
    docs = serializers.URLField(help_text="The schema as a readable page.")
    fhir = serializers.URLField(help_text="The FHIR R5 capability statement.")
