"""The read API: what readers may see, as JSON and as FHIR R5.

Every view reads through the querysets the public pages use
(``Article.objects.for_public()``/``published_at()``, ``Reference.objects
.visible()``, ``portal.topics.with_content()``, the topic page's
``TopicContents``) and the approved version of an article, never its
working copy. None authenticates anybody: a signed-in editor gets exactly
what an anonymous reader gets.

Each answer is built once per public change (``api.caching``); a view's
``build()`` returns the data, or raises ``Http404``/an API error, and costs
a fixed number of queries whatever the library holds.
"""

import functools
import json

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.views import APIView

from articles.models import ApprovedCitation, ApprovedVersion, Article
from articles.views import reference_changes
from portal import topics as public_topics
from portal.views import TopicContents
from references.evidence import EvidenceLevel
from references.forms import LiteratureFilterForm
from references.models import Entry, Reference, ReferenceNotice, Topic
from references.numbers import parse_number

from . import caching, fhir, serializers
from .pagination import PublicPagination
from .recommendations import cited_numbers

JSON = "application/json"
OPENAPI_JSON = "application/vnd.oai.openapi+json"
# The largest id a database row can have (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class Moved(Exception):
    """The resource lives at another address now (an approved renaming)."""

    def __init__(self, location):
        self.location = location


class PublicReadView(APIView):
    """A GET-only resource, built once per public change and then reused."""

    http_method_names = ["get", "head", "options"]
    content_type = JSON
    fhir = False
    # Lists come in pages (and the schema says so).
    pagination_class = PublicPagination

    def build(self, request, **kwargs) -> dict:
        raise NotImplementedError

    def get(self, request, **kwargs):
        generation = caching.generation()
        key = caching.body_key(request, generation) if generation else None
        body = caching.store.get(key) if key else None
        if body is None:
            try:
                data = self.build(request, **kwargs)
            except Moved as moved:
                return HttpResponsePermanentRedirect(moved.location)
            body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
            if key:
                caching.store.set(key, body, timeout=caching.BODY_SECONDS)
        response = HttpResponse(body, content_type=self.content_type)
        if generation:
            response["Last-Modified"] = caching.last_modified(generation)
        set_response_etag(response)
        # Browsers and proxies may keep it, asking each time whether it changed
        # (a 304 costs no query).
        patch_cache_control(response, public=True, no_cache=True)
        return response

    def absolute(self, name, **kwargs):
        return serializers.absolute(self.request, name, **kwargs)

    def paginated(self, queryset, serializer_class):
        """One page of ``queryset`` as the list wrapper (count, next, previous)."""
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        data = serializer_class(page, many=True, context={"request": self.request}).data
        return paginator.get_paginated_response(data).data


def _moved_article(slug, name):
    moved = Article.objects.moved_from(slug).first()
    if moved is None:
        raise NotFound(_("No approved article is published at this address."))
    return reverse(name, kwargs={"slug": moved.live.slug})


def _citations(version):
    """The approved version's reference list, with the references' notices."""
    return list(
        ApprovedCitation.objects.filter(version=version)
        .select_related("reference")
        .prefetch_related("reference__notices")
    )


def _approved_article(slug, *, view_name):
    """The approved article at ``slug`` with what its live version shows."""
    article = (
        Article.objects.for_public()
        .published_at(slug)
        .prefetch_related("live__authors", "live__approvers")
        .first()
    )
    if article is None:
        raise Moved(_moved_article(slug, view_name))
    return article


# JSON API ------------------------------------------------------------------


def answers(ok, *codes):
    """The responses of an endpoint: ``ok`` for 200, the JSON error for the
    other statuses it may answer, and the request limit's 429 for all."""
    errors = {code: serializers.ErrorSerializer for code in (*codes, 429)}
    return {200: ok, **errors}


class RootView(PublicReadView):
    """What the API holds: follow the links."""

    @extend_schema(
        responses=answers(serializers.RootSerializer), summary="The API's root"
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, **kwargs):
        return {
            "name": settings.PORTAL_NAME,
            "api_version": "v1",
            "topics": self.absolute("api:topic-list"),
            "articles": self.absolute("api:article-list"),
            "references": self.absolute("api:reference-list"),
            "notices": self.absolute("api:notice-list"),
            "schema": self.absolute("api:schema"),
            "docs": self.absolute("api:docs"),
            "fhir": self.absolute("api:fhir-metadata"),
        }


PAGE = OpenApiParameter(
    "page", OpenApiTypes.INT, description="Page number, from 1 (or “last”)."
)


class TopicListView(PublicReadView):
    """Topics with something to read: an approved article or visible literature."""

    @extend_schema(
        responses=answers(serializers.TopicSerializer(many=True), 400, 404),
        parameters=[PAGE],
        summary="Topics",
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, **kwargs):
        return self.paginated(public_topics.with_content(), serializers.TopicSerializer)


class TopicDetailView(PublicReadView):
    """A topic as its page shows it."""

    @extend_schema(
        responses=answers(serializers.TopicDetailSerializer, 404), summary="A topic"
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, slug):
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            raise NotFound(_("No topic is published at this address."))
        topic.contents = TopicContents(topic)
        return serializers.TopicDetailSerializer(
            topic, context={"request": request, "topic": topic}
        ).data


class ArticleListView(PublicReadView):
    """Approved articles, most recently approved first."""

    @extend_schema(
        responses=answers(serializers.ArticleSerializer(many=True), 400, 404),
        parameters=[PAGE],
        summary="Approved articles",
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, **kwargs):
        articles = Article.objects.recently_approved().order_by(
            "-live__approved_at", "pk"
        )
        return self.paginated(articles, serializers.ArticleSerializer)


class ArticleDetailView(PublicReadView):
    """An approved article: the approved version's text, recommendations,
    reference list and change log. An old address redirects to the new one."""

    @extend_schema(
        responses={
            **answers(serializers.ArticleDetailSerializer, 404),
            301: OpenApiResponse(description="Moved to its approved new address."),
        },
        summary="An approved article",
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, slug):
        article = _approved_article(slug, view_name="api:article-detail")
        versions = list(
            ApprovedVersion.objects.filter(article=article)
            .order_by("-number")
            .prefetch_related(
                Prefetch(
                    "citations",
                    queryset=ApprovedCitation.objects.select_related("reference"),
                ),
                "approvers",
            )
        )
        context = {
            "request": request,
            "citations": _citations(article.live),
            "cited": cited_numbers(article.live.body_html),
            "changes": reference_changes(versions),
        }
        return serializers.ArticleDetailSerializer(article, context=context).data


FILTERS = [
    OpenApiParameter("topic", OpenApiTypes.STR, description="A topic's slug."),
    OpenApiParameter("section", OpenApiTypes.INT, description="A section's id."),
    OpenApiParameter(
        "kind", OpenApiTypes.STR, enum=Reference.Kind.values, description="The kind."
    ),
    OpenApiParameter(
        "level",
        OpenApiTypes.STR,
        enum=EvidenceLevel.values,
        description="The evidence level its kind implies.",
    ),
]


class ReferenceListView(PublicReadView):
    """The literature readers may see, newest first, with the literature
    list's filters; a reference waiting in a curation inbox is never listed."""

    @extend_schema(
        responses=answers(serializers.ReferenceSerializer(many=True), 400, 404),
        parameters=[PAGE, *FILTERS],
        summary="References",
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, **kwargs):
        filters = request.query_params.copy()
        filters.pop("page", None)
        form = LiteratureFilterForm(filters or None)
        if filters and not form.is_valid():
            raise ValidationError(
                {
                    name: [str(error) for error in errors]
                    for name, errors in form.errors.items()
                }
            )
        references = form.filter(
            Reference.objects.visible().prefetch_related("notices")
        ).newest_first()
        return self.paginated(references, serializers.ReferenceSerializer)


class ReferenceDetailView(PublicReadView):
    """One reference readers may see, as its page shows it."""

    @extend_schema(
        responses=answers(serializers.ReferenceDetailSerializer, 404),
        summary="A reference",
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, pk):
        reference = (
            Reference.objects.visible()
            .filter(pk=row_id(str(pk)))
            .prefetch_related(
                "notices",
                Prefetch(
                    "entries", queryset=Entry.objects.select_related("section__topic")
                ),
            )
            .first()
        )
        if reference is None:
            raise NotFound(_("No reference is published at this address."))
        return serializers.ReferenceDetailSerializer(
            reference, context={"request": request}
        ).data


class NoticeListView(PublicReadView):
    """Retractions, expressions of concern, corrections and withdrawals of
    the literature readers may see, newest first."""

    @extend_schema(
        responses=answers(
            serializers.NoticeWithReferenceSerializer(many=True), 400, 404
        ),
        parameters=[PAGE],
        summary="Notices",
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, **kwargs):
        notices = (
            ReferenceNotice.objects.filter(reference__in=Reference.objects.visible())
            .select_related("reference")
            .order_by("-first_seen_at", "-pk")
        )
        return self.paginated(notices, serializers.NoticeWithReferenceSerializer)


# FHIR ----------------------------------------------------------------------

FHIR_RESOURCE = {
    (200, fhir.FHIR_JSON): OpenApiResponse(
        OpenApiTypes.OBJECT, description="A FHIR R5 resource."
    ),
    **{
        (code, fhir.FHIR_JSON): OpenApiResponse(
            OpenApiTypes.OBJECT, description="A FHIR OperationOutcome."
        )
        for code in (400, 404, 429)
    },
}


class FhirView(PublicReadView):
    content_type = fhir.FHIR_JSON
    fhir = True

    @extend_schema(responses=FHIR_RESOURCE, tags=["fhir"])
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)


def row_id(text: str) -> int:
    """A database id from the address: plain digits that fit a bigint, or 404."""
    number = parse_number(text, maximum=MAX_ID)
    if number is None:
        raise NotFound(_("No resource has this id."))
    return number


def _fhir_article(id_):
    """(article, anchor) for ``article-<id>[-<anchor>]``, the article approved."""
    prefix, _sep, rest = id_.partition("-")
    number, _sep, anchor = rest.partition("-")
    if prefix != "article":
        raise NotFound(_("No resource has this id."))
    article = (
        Article.objects.for_public()
        .filter(pk=row_id(number))
        .prefetch_related("live__authors", "live__approvers")
        .first()
    )
    if article is None:
        raise NotFound(_("No approved article has this id."))
    return article, anchor


def _recommendation(article, anchor):
    item = next(
        (i for i in article.live.recommendations if i["anchor"] == anchor), None
    )
    if item is None:
        raise NotFound(_("The approved article has no recommendation with this id."))
    return item


def _cited(citations, numbers):
    by_number = {citation.number: citation for citation in citations}
    return [by_number[n] for n in numbers if n in by_number]


class CapabilityView(FhirView):
    """The FHIR capability statement: what this read-only server offers."""

    def build(self, request, **kwargs):
        # When this statement was produced (once per public change).
        return fhir.capability_statement(request, date=timezone.now().isoformat())


class CitationView(FhirView):
    """A reference readers may see, as a FHIR Citation."""

    def build(self, request, pk):
        reference = (
            Reference.objects.visible()
            .filter(pk=row_id(str(pk)))
            .prefetch_related("notices")
            .first()
        )
        if reference is None:
            raise NotFound(_("No reference is published with this id."))
        return fhir.citation(request, reference)


class CompositionView(FhirView):
    """An approved article as a Guideline Composition (``article-<id>``), or
    one of its recommendations (``article-<id>-recommendation-<n>``,
    ``article-<id>-good-practice-<n>``) as a Recommendation Composition."""

    def build(self, request, id):
        article, anchor = _fhir_article(id)
        citations = _citations(article.live)
        authors = list(article.live.authors.all())
        if not anchor:
            return fhir.guideline(
                request,
                article=article,
                citations=citations,
                authors=authors,
                approvers=list(article.live.approvers.all()),
            )
        item = _recommendation(article, anchor)
        numbers = cited_numbers(article.live.body_html).get(anchor, [])
        return fhir.recommendation(
            request,
            article=article,
            item=item,
            cited=_cited(citations, numbers),
            authors=authors,
        )


class RatingView(FhirView):
    """A graded recommendation's strength and certainty, as an ArtifactAssessment."""

    def build(self, request, id):
        article, anchor = _fhir_article(id)
        item = _recommendation(article, anchor)
        if not item["strength"]:
            raise NotFound(_("A good practice statement is not graded."))
        citations = _citations(article.live)
        numbers = cited_numbers(article.live.body_html).get(anchor, [])
        return fhir.rating(
            request, article=article, item=item, cited=_cited(citations, numbers)
        )


class BundleView(FhirView):
    """A topic as a FHIR Bundle (collection): its approved articles with their
    recommendations and ratings, and a Citation of each reference it lists
    or its articles cite, for readers to see. Large topics come in pages
    (``?page=``, Bundle links "next" and "previous")."""

    @extend_schema(responses=FHIR_RESOURCE, parameters=[PAGE], tags=["fhir"])
    def get(self, request, **kwargs):
        return super(FhirView, self).get(request, **kwargs)

    def build(self, request, id):
        prefix, _sep, number = id.partition("-")
        if prefix != "topic":
            raise NotFound(_("No resource has this id."))
        topic = Topic.objects.filter(pk=row_id(number)).first()
        if topic is None:
            raise NotFound(_("No topic has this id."))
        paginator = BundlePagination()
        references = paginator.paginate_queryset(
            Reference.objects.visible()
            .filter(entries__section__topic=topic)
            .distinct()
            .prefetch_related("notices")
            .order_by("pk"),
            request,
            view=self,
        )
        entries = []
        if paginator.page.number == 1:
            entries = self._articles(request, topic)
        entries += [fhir.citation(request, reference) for reference in references]
        links = [{"relation": "self", "url": request.build_absolute_uri()}]
        for relation, url in (
            ("next", paginator.get_next_link()),
            ("previous", paginator.get_previous_link()),
        ):
            if url:
                links.append({"relation": relation, "url": url})
        return {
            "resourceType": "Bundle",
            "id": id,
            "type": "collection",
            "timestamp": timezone.now().isoformat(),
            "link": links,
            "entry": [
                {"fullUrl": fhir.full_url(request, resource), "resource": resource}
                for resource in entries
            ],
        }

    def _articles(self, request, topic):
        """The topic's approved articles, each with its recommendations and
        ratings: five queries for all of them."""
        articles = list(
            Article.objects.on_topic(topic)
            .order_by("live__title", "pk")
            .prefetch_related(
                "live__authors",
                "live__approvers",
                Prefetch(
                    "live__citations",
                    queryset=ApprovedCitation.objects.select_related(
                        "reference"
                    ).prefetch_related("reference__notices"),
                ),
            )
        )
        resources = []
        for article in articles:
            version = article.live
            citations = list(version.citations.all())
            authors = list(version.authors.all())
            cited = cited_numbers(version.body_html)
            resources.append(
                fhir.guideline(
                    request,
                    article=article,
                    citations=citations,
                    authors=authors,
                    approvers=list(version.approvers.all()),
                )
            )
            for item in version.recommendations:
                evidence = _cited(citations, cited.get(item["anchor"], []))
                resources.append(
                    fhir.recommendation(
                        request,
                        article=article,
                        item=item,
                        cited=evidence,
                        authors=authors,
                    )
                )
                if item["strength"]:
                    resources.append(
                        fhir.rating(request, article=article, item=item, cited=evidence)
                    )
        return resources


class BundlePagination(PublicPagination):
    # Citations are small: four pages of the literature list per Bundle.
    page_size = settings.PORTAL_PAGE_SIZE * 4


# The schema and its page ---------------------------------------------------


@functools.cache
def openapi_schema() -> dict:
    """The OpenAPI 3 schema, generated from the views and serializers once
    per process (the code does not change while it runs)."""
    # Imported here: generating is rare, and the generator's imports would
    # otherwise add to every worker's first request.
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


class SchemaView(APIView):
    """The OpenAPI 3 schema of this API, generated from its code, as JSON."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(exclude=True)
    def get(self, request):
        from drf_spectacular.renderers import OpenApiJsonRenderer

        body = OpenApiJsonRenderer().render(openapi_schema(), renderer_context={})
        response = HttpResponse(body, content_type=OPENAPI_JSON)
        set_response_etag(response)
        patch_cache_control(response, public=True, no_cache=True)
        return response


def code_spans(text: str) -> list[tuple[str, bool]]:
    """(part, is code) for a description whose ``code spans`` are CommonMark's."""
    return [(part, index % 2 == 1) for index, part in enumerate(text.split("``"))]


@require_safe
def docs(request):
    """The schema as a readable page: every endpoint with what it answers.

    Rendered on the server from the same generated schema, with no script
    (the site's Content Security Policy allows none inline and no CDN).
    """
    schema = openapi_schema()
    endpoints = [
        {
            "path": path,
            "summary": operation.get("summary") or "",
            "description": code_spans(operation.get("description", "")),
            "parameters": operation.get("parameters", []),
            "tags": operation.get("tags", []),
            "responses": sorted(operation.get("responses", {})),
        }
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method == "get"
    ]
    return render(
        request,
        "api/docs.html",
        {
            "schema_info": schema["info"],
            "endpoints": endpoints,
            "evidence_levels": LiteratureFilterForm.base_fields["level"].choices[1:],
            "examples": [
                request.build_absolute_uri(reverse("api:root")),
                request.build_absolute_uri(reverse("api:article-list")),
            ],
        },
    )
