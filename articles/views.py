from django.views.generic import DetailView

from .models import ApprovedCitation, Article


class ArticleDetailView(DetailView):
    """An article as the board approved it: the live version, never a draft."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"
    queryset = Article.objects.for_public()

    def get_context_data(self, **kwargs):
        live = self.object.live
        citations = ApprovedCitation.objects.filter(version=live).select_related(
            "reference"
        )
        return super().get_context_data(version=live, citations=citations, **kwargs)
