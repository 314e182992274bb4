from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from . import diff, selectors
from .models import ApprovedCitation, ApprovedVersion, Article, BoardMember


def _people():
    # Authors and approvers as pages name them, with their disclosures.
    return get_user_model().objects.select_related("disclosure", "board_profile")


def _or_404(article):
    if article is None:
        raise Http404(_("No article at this address."))
    return article


class ArticleDetailView(DetailView):
    """An article as the board approved it: the live version, never a draft.

    Only with PORTAL_SHOW_UNREVIEWED on may a never-approved article the board
    holds be shown, as its working copy under a "pending review" caution.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        return _or_404(Article.objects.shown_at(self.kwargs["slug"]))

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
            citations = article.citations.select_related("reference").prefetch_related(
                "reference__notices"
            )
            return super().get_context_data(
                version=article,
                citations=citations,
                pending=True,
                progress=selectors.approval_progress(article),
                # Not public: the page's parts are rendered every time.
                page_key=None,
                **kwargs,
            )
        live = article.live
        # Everything below is lazy, built only if a part of the page is
        # rendered: the parts are kept rendered per approved version and
        # public change (portal's public fragments), so most requests need
        # none of it and cost one query. The references come with their
        # notices in one query, for the badges and the caution.
        citations = SimpleLazyObject(
            lambda: list(
                ApprovedCitation.objects.filter(version=live)
                .select_related("reference")
                .prefetch_related("reference__notices")
            )
        )
        return super().get_context_data(
            version=live,
            citations=citations,
            cautions=SimpleLazyObject(lambda: live.notice_cautions(citations)),
            page_key=f"approved-{live.pk}",
            authors=SimpleLazyObject(
                lambda: list(_people().filter(pk__in=live.authors.values("pk")))
            ),
            approvers=SimpleLazyObject(
                lambda: list(_people().filter(pk__in=live.approvers.values("pk")))
            ),
            update_in_review=article.is_with_board,
            **kwargs,
        )


def reference_changes(versions) -> list:
    """Pair each approved version (newest first) with the references it added
    and removed compared with the version before it (the first adds none)."""
    changes = []
    for index, version in enumerate(versions):
        cited = [c.reference for c in version.citations.all()]
        older = versions[index + 1] if index + 1 < len(versions) else None
        if older is None:
            added, removed = [], []
        else:
            before = [c.reference for c in older.citations.all()]
            added, removed = diff.citation_changes(before, cited)
        changes.append({"version": version, "added": added, "removed": removed})
    return changes


class ArticleChangesView(DetailView):
    """Every approved version of an article: its change note, date, approvers,
    and the references it added and removed, newest first."""

    template_name = "articles/article_changes.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        return _or_404(
            Article.objects.for_public().published_at(self.kwargs["slug"]).first()
        )

    def get_context_data(self, **kwargs):
        versions = list(
            ApprovedVersion.objects.filter(article=self.object)
            .order_by("-number")
            .prefetch_related(
                Prefetch(
                    "citations",
                    queryset=ApprovedCitation.objects.select_related("reference"),
                ),
                Prefetch("approvers", queryset=_people()),
            )
        )
        return super().get_context_data(
            version=self.object.live, changes=reference_changes(versions), **kwargs
        )


class EditorialBoardView(ListView):
    """The editorial board and the authors of published articles, with the
    interests each has declared."""

    template_name = "articles/editorial_board.html"
    context_object_name = "members"
    queryset = BoardMember.objects.listed().select_related("user__disclosure")

    def get_context_data(self, **kwargs):
        # Lazy, like the members: the page is kept rendered per public change.
        authors = (
            _people()
            .filter(pk__in=Article.objects.approved().values("live__authors"))
            .exclude(pk__in=self.object_list.values("user"))
            .order_by("last_name", "first_name", "username")
        )
        return super().get_context_data(authors=authors, **kwargs)
