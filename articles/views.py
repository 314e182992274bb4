from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from .models import ApprovedCitation, Article, BoardMember


class ArticleDetailView(DetailView):
    """An article as the board approved it: the live version, never a draft.

    Only with PORTAL_SHOW_UNREVIEWED on may a never-approved article the board
    holds be shown, as its working copy under a "pending review" caution.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        # Built per request: which articles show depends on a setting.
        return Article.objects.for_article_page()

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        article = queryset.at_address(self.kwargs["slug"]).first()
        if article is None:
            raise Http404(_("No article at this address."))
        return article

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # An address the board approved once keeps working after an
            # approved renaming: links in the wild lead to the new one.
            moved = Article.objects.moved_from(kwargs["slug"]).first()
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(moved.get_absolute_url())

    def get_context_data(self, **kwargs):
        article = self.object
        if article.live_id is None:
            return super().get_context_data(
                version=article,
                citations=article.citations.select_related(
                    "reference"
                ).prefetch_related("reference__notices"),
                pending=True,
                **kwargs,
            )
        live = article.live
        # The references' notices in one query: badges and the caution.
        citations = list(
            ApprovedCitation.objects.filter(version=live)
            .select_related("reference")
            .prefetch_related("reference__notices")
        )
        return super().get_context_data(
            version=live,
            citations=citations,
            cautions=live.notice_cautions(citations),
            update_in_review=article.is_with_board,
            **kwargs,
        )


class EditorialBoardView(ListView):
    """The editorial board: who reviews the articles, with their credentials."""

    template_name = "articles/editorial_board.html"
    context_object_name = "members"
    queryset = BoardMember.objects.listed()
