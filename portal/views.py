"""Site pages that compose articles and literature."""

from django.conf import settings
from django.db.models import Count
from django.http import (
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from articles.models import ApprovedCitation, Article
from references import exporting
from references.models import Entry, Section, Topic

from . import audience, topics
from .forms import SearchForm
from .models import GlossaryTerm
from .search import search, spelling


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        # Lazy: read only when the page's content is rendered, once per
        # public change (a public fragment); most requests need neither.
        return super().get_context_data(
            topics=SimpleLazyObject(lambda: list(topics.with_content())),
            recent_articles=SimpleLazyObject(
                lambda: list(Article.objects.recently_approved()[:6])
            ),
            **kwargs,
        )


class TopicContents:
    """What a topic page shows besides the topic row: its approved articles,
    its literature by section and its "also see" links.

    Each is read from the database when a part of the page that shows it is
    rendered, which happens once per public change (the parts are public
    fragments): most requests read the topic row alone.
    """

    def __init__(self, topic):
        self.topic = topic

    @cached_property
    def articles(self):
        # Where the approved versions put them, not where drafts propose.
        return list(Article.objects.on_topic(self.topic).order_by("title"))

    @cached_property
    def overview(self):
        return next((a for a in self.articles if a.live.is_overview), None)

    @cached_property
    def other_articles(self):
        return [a for a in self.articles if a is not self.overview]

    @cached_property
    def also_see(self):
        # An "also see" link to an empty topic would lead nowhere useful.
        return list(topics.with_content(self.topic.also_see.all()))

    @cached_property
    def sections(self):
        """Sections with visible literature, each with its first entries and
        how many it has: the page's size and queries stay the same whatever
        the library holds; the rest are a link away, on the paginated
        literature list."""
        # Every entry counted per section from the entries' own index, less
        # the few whose reference went back to an inbox: counting the
        # visible ones through a join to each reference cost PostgreSQL
        # 0.15 s at 100,000 (and a correlated count per section, 0.8 s).
        sections = list(
            Section.objects.filter(topic=self.topic).annotate(
                entry_total=Count("entries")
            )
        )
        hidden = dict(
            Entry.objects.hidden()
            .filter(section__topic=self.topic)
            .values_list("section")
            .annotate(Count("pk"))
            .order_by()
        )
        for section in sections:
            section.visible_entries = section.entry_total - hidden.get(section.pk, 0)
            section.first_entries = []
        sections = [section for section in sections if section.visible_entries]
        by_section = {section.pk: section for section in sections}
        # (A sliced prefetch numbers every entry of every section with a
        # window function before keeping the first: 1 s at 100,000.)
        for entry in (
            Entry.objects.first_in_each(
                sections,
                "position",
                "id",
                limit=settings.PORTAL_TOPIC_SECTION_ENTRIES,
            )
            .select_related("reference")
            .prefetch_related("reference__notices")
            .order_by("section", "position", "id")
        ):
            entry.section = by_section[entry.section_id]
            entry.section.first_entries.append(entry)
        return sections


class TopicDetailView(DetailView):
    """A topic: its approved overview beside its literature, by section."""

    template_name = "portal/topic_detail.html"
    context_object_name = "topic"
    model = Topic

    def get_context_data(self, **kwargs):
        return super().get_context_data(contents=TopicContents(self.object), **kwargs)


class EditorialPolicyView(TemplateView):
    template_name = "portal/editorial_policy.html"


class SearchView(ListView):
    """Ranked full-text search over approved articles and the literature.

    A search that finds nothing never ends there: the page offers a spelling
    correction from the index's own words when one finds something
    (``search.spelling``), the topics to browse, and a way to ask the editors.
    """

    template_name = "portal/search.html"
    context_object_name = "hits"
    paginate_by = settings.PORTAL_PAGE_SIZE

    def get_queryset(self):
        # Always bound: an empty query is a normal state, not a missing form.
        self.form = SearchForm(self.request.GET)
        return search(self.form.query, self.form.documents())

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        context = super().get_context_data(
            form=self.form,
            # The filters' fields (every topic, every kind) are the same on
            # every search but for the values chosen: kept rendered per
            # choice (a public fragment), they cost nothing after the first.
            filter_values="\n".join(
                query.get(name, "") for name in self.form.fields if name != "q"
            ),
            filters_chosen=self.form.filters_chosen(),
            query=self.form.query,
            parsed=self.object_list.query,
            hits_total=self.object_list,
            filter_query=query.urlencode(),
            # Read only where a search found nothing (the topics to browse,
            # a public fragment).
            topics=SimpleLazyObject(lambda: list(topics.with_content())),
            **kwargs,
        )
        if context["parsed"] and not context["paginator"].count:
            context.update(self.ways_on(query))
        return context

    def ways_on(self, query):
        """What a search that found nothing offers: a spelling correction
        (with the same filters) if one finds something, and the same words
        without the filters."""
        ways = {"unfiltered_query": urlencode({"q": self.form.query})}
        suggestion = spelling.suggest(self.form.query, self.form.documents())
        if suggestion is not None:
            corrected = query.copy()
            corrected["q"] = suggestion.text
            ways.update(suggestion=suggestion, suggestion_query=corrected.urlencode())
        return ways


class AudienceView(View):
    """Remember whether the reader is a patient or a clinician, then go back.

    A plain form (GET or POST) so it works without JavaScript; the cookie is
    the only state, and the return address must be on this site.
    """

    def get(self, request):
        return self.choose(request, request.GET)

    def post(self, request):
        return self.choose(request, request.POST)

    def choose(self, request, data):
        target = data.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        ):
            target = reverse("portal:home")
        response = HttpResponseRedirect(target)
        if data.get("audience") in audience.Audience.values:
            audience.remember(response, data["audience"])
        return response


class GlossaryView(ListView):
    template_name = "portal/glossary.html"
    context_object_name = "terms"
    model = GlossaryTerm


def favicon(request):
    """The site icon for clients that ask for /favicon.ico, not the page's link."""
    # Resolved per request: the static files manifest may not exist at import.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


class RobotsView(TemplateView):
    template_name = "portal/robots.txt"
    content_type = "text/plain; charset=utf-8"


class ArticleReferencesRisView(DetailView):
    """An approved article's reference list as an RIS file for citation managers."""

    queryset = Article.objects.for_public()
    slug_field = "live__slug"

    def render_to_response(self, context):
        citations = ApprovedCitation.objects.filter(
            version=self.object.live
        ).select_related("reference")
        response = HttpResponse(
            exporting.export((c.reference for c in citations), "ris"),
            content_type=exporting.media_type("ris"),
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{self.object.live.slug}-references.ris"'
        )
        return response
