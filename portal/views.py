"""Site pages that compose articles and literature."""

from django.db.models import Prefetch
from django.views.generic import DetailView, TemplateView

from articles.models import Article
from references.models import Entry, Section, Topic


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            topics=Topic.objects.all(),
            recent_articles=Article.objects.recently_approved()[:6],
            **kwargs,
        )


class TopicDetailView(DetailView):
    """A topic: its approved overview beside its literature, by section."""

    template_name = "portal/topic_detail.html"
    context_object_name = "topic"
    queryset = Topic.objects.prefetch_related(
        "also_see",
        Prefetch(
            "sections",
            queryset=Section.objects.prefetch_related(
                Prefetch("entries", queryset=Entry.objects.select_related("reference"))
            ),
        ),
    )

    def get_context_data(self, **kwargs):
        articles = list(
            Article.objects.for_public().filter(topic=self.object).order_by("title")
        )
        overview = next((a for a in articles if a.is_overview), None)
        return super().get_context_data(
            overview=overview,
            other_articles=[a for a in articles if a is not overview],
            sections=[s for s in self.object.sections.all() if s.entries.all()],
            **kwargs,
        )


class EditorialPolicyView(TemplateView):
    template_name = "portal/editorial_policy.html"
