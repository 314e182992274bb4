"""The editorial screens: dashboard, writing, review, history.

Every view here needs a signed-in editor or board member (``articles.roles``:
each role is a permission); which actions a person may take is the
workflow's business (``articles.workflow``), what the pages show about an
article is read by ``articles.selectors``, and the views only show and post
what the workflow allows.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import (
    CreateView,
    DetailView,
    TemplateView,
    UpdateView,
    View,
)
from django.views.generic.detail import SingleObjectMixin

from references import identifiers
from references.models import Reference, SavedSearch, Topic
from references.numbers import parse_number, parse_numbers

from . import diff, evidence_profile, selectors, services, workflow
from .forms import ArticleForm
from .models import (
    ApprovedVersion,
    Article,
    ChangeClass,
    Citation,
    ReviewAssignment,
    ReviewEvent,
)
from .roles import BOARD, EDITORS, has_role, is_editor

TEXT_LABELS = {
    "title": _("Title"),
    "summary": _("Summary"),
    "body": _("Body"),
    "plain_summary": _("Plain-language summary"),
    "plain_body": _("Plain-language body"),
}


# Papers found since approval listed per article: the strongest few on the
# dashboard, more on the review page (the rest wait in the topic's inbox).
NEW_EVIDENCE_ON_DASHBOARD = 3
NEW_EVIDENCE_ON_REVIEW = 20


class EditorialMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Signed-in people holding one of ``roles`` (each a permission); others
    are sent to log in or refused."""

    roles = (EDITORS, BOARD)

    def has_permission(self):
        return any(has_role(self.request.user, role) for role in self.roles)


class EditorsOnlyMixin(EditorialMixin):
    roles = (EDITORS,)


class ArticleMixin(EditorialMixin):
    model = Article
    queryset = Article.objects.select_related("topic", "author", "live")
    context_object_name = "article"


class DashboardView(EditorialMixin, TemplateView):
    """The work waiting for the signed-in person, and what was done lately."""

    template_name = "articles/editorial/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        Status = Article.Status
        articles = Article.objects.select_related("topic", "author", "live")
        mine = Q(author=user) | Q(
            events__action=ReviewEvent.Action.EDIT, events__actor=user
        )
        with_board = selectors.with_approval_counts(articles.with_board())
        return super().get_context_data(
            # Assigned reviewers see their articles first.
            assigned_to_me=with_board.filter(assignments__reviewer=user).order_by(
                "updated_at"
            ),
            awaiting_review=with_board.order_by("updated_at"),
            approvals_required=selectors.approvals_required(),
            my_drafts=articles.filter(mine, status=Status.DRAFT).distinct(),
            changes_requested=articles.filter(status=Status.CHANGES_REQUESTED),
            # Versions, not articles: an article approved last week and
            # submitted again today is "awaiting review", with its approved
            # version listed here as what it is.
            recently_approved=ApprovedVersion.objects.updates()[:10],
            overdue=articles.overdue_for_review().order_by("live__next_review_due"),
            needs_attention=articles.needing_attention().order_by("title"),
            few_checkable=articles.with_few_checkable_citations().order_by("title"),
            checkable_min=settings.PORTAL_CHECKABLE_CITATIONS_MIN_PERCENT,
            new_evidence=self.new_evidence(articles),
            inboxes=Topic.objects.with_inbox_count().filter(inbox_count__gt=0),
            can_write=is_editor(user),
            **kwargs,
        )

    def new_evidence(self, articles):
        """(article, its papers found since approval, how many are cited) for
        each approved article whose topic's searches found any."""
        approved = list(articles.approved().order_by("title"))
        found = selectors.found_since_approval(approved)
        return [
            {
                "article": article,
                "papers": found[article.pk][:NEW_EVIDENCE_ON_DASHBOARD],
                "count": len(found[article.pk]),
                "cited": sum(paper.cited for paper in found[article.pk]),
            }
            for article in approved
            if found[article.pk]
        ]


class PreviewMixin:
    """The article form's "Preview" button: the draft as readers will see it,
    on the form page above the text as typed, with nothing saved.

    The form's checks run as for a save (so a preview refuses what a save
    would) and render the text once, with the one renderer; the preview
    shows that rendering.
    """

    def previewing(self) -> bool:
        return "preview" in self.request.POST

    def preview(self, form):
        """The form page with ``form``'s checked, rendered article above it."""
        article = form.instance
        references = Reference.objects.prefetch_related("notices").in_bulk(
            [reference.pk for reference in article.cited_references]
        )
        citations = [
            Citation(number=number, reference=references[reference.pk])
            for number, reference in enumerate(article.cited_references, start=1)
        ]
        return self.render_to_response(
            self.get_context_data(
                form=form, preview=article, preview_citations=citations
            )
        )


class CitationHelpMixin:
    """The article form's help with citing: the picker's address, and for a
    refused save, each unknown key with its line and a link that adds the
    reference (the DOI or PMID looked up when the key is one, else the add
    form with the key filled in), opening beside the unsaved text."""

    def get_context_data(self, **kwargs):
        form = kwargs.get("form")
        return super().get_context_data(
            unknown_citations=unknown_citations(form) if form is not None else [],
            **kwargs,
        )


def unknown_citations(form) -> list[dict]:
    """The unknown keys a refused article form cites, with where and how to
    add each (``Article.render`` raises them, code "unknown_citation")."""
    if not form.is_bound or not form.errors:
        return []
    topic = form.cleaned_data.get("topic") if hasattr(form, "cleaned_data") else None
    found = []
    for field, errors in form.errors.as_data().items():
        for error in errors:
            if error.code != "unknown_citation":
                continue
            key = error.params["key"]
            query = {"citation_key": key}
            try:
                identifiers.parse_identifier(key)
            except ValidationError:
                pass
            else:
                query["identifier"] = key
            if topic is not None:
                query["topic"] = topic.slug
            found.append(
                {
                    "key": key,
                    "line": error.params["line"],
                    "name": field,
                    "field": form.fields[field].label if field in form.fields else "",
                    "add_url": reverse("references_editorial:add")
                    + "?"
                    + urlencode(query),
                }
            )
    return found


class ArticleCreateView(EditorsOnlyMixin, CitationHelpMixin, PreviewMixin, CreateView):
    model = Article
    form_class = ArticleForm
    template_name = "articles/editorial/article_form.html"

    def form_valid(self, form):
        if self.previewing():
            return self.preview(form)
        form.instance.author = self.request.user
        try:
            self.object = services.save_article(
                article=form.instance,
                user=self.request.user,
                comment=form.cleaned_data["change_note"] or _("Created"),
            )
        except ValidationError as exc:
            # What the service's full_clean() refuses is the form's error too.
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Draft saved."))
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return reverse("editorial:review", kwargs={"pk": self.object.pk})


class ArticleUpdateView(
    EditorsOnlyMixin, CitationHelpMixin, ArticleMixin, PreviewMixin, UpdateView
):
    """Edit the working copy; approved text stays live until the new one is."""

    form_class = ArticleForm
    template_name = "articles/editorial/article_form.html"

    def get_context_data(self, **kwargs):
        article = self.object
        user = self.request.user
        editable = workflow.can_edit(article=article, user=user)
        return super().get_context_data(
            editable=editable,
            open_comments=selectors.open_comments(article),
            can_withdraw=not editable
            and workflow.can(workflow.Action.WITHDRAW, article=article, user=user),
            **kwargs,
        )

    def form_valid(self, form):
        if self.previewing():
            return self.preview(form)
        try:
            self.object = services.save_article(
                article=form.instance,
                user=self.request.user,
                comment=form.cleaned_data["change_note"],
                expected_version=form.cleaned_data["loaded_version"],
            )
        except (services.EditConflict, workflow.WorkflowError) as exc:
            # Someone saved between the form's check and this save: the same
            # refusal, with the text kept in the form.
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Saved as version %s. Submit it for review when it is ready.")
            % form.instance.version,
        )
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        errors = form.errors.as_data().get("__all__", [])
        loaded = parse_number(form.data.get("loaded_version", ""))
        conflict_url = None
        if loaded is not None and any(e.code == "conflict" for e in errors):
            # The diff between the version the editor loaded and the stored one.
            conflict_url = (
                reverse("editorial:compare", args=[self.object.pk])
                + f"?a={loaded}&b={self.object.version}"
            )
        return self.render_to_response(
            self.get_context_data(form=form, conflict_url=conflict_url)
        )

    def get_success_url(self):
        return reverse("editorial:review", kwargs={"pk": self.object.pk})


class ReviewView(ArticleMixin, DetailView):
    """The proposed text, what changed since the live version, and the record."""

    template_name = "articles/editorial/review.html"

    def get_context_data(self, **kwargs):
        article = self.object
        user = self.request.user
        events = list(article.events.select_related("actor"))
        # The references' notices come along: badges and the retraction warning.
        citations = list(
            article.citations.select_related(
                "reference", "reference__inbox_topic"
            ).prefetch_related("reference__notices")
        )
        facts = selectors.review_facts(article)
        assigned = ReviewAssignment.objects.filter(article=article).select_related(
            "reviewer"
        )
        can_assign = workflow.can_assign(article=article, user=user)
        actions = workflow.allowed_actions(article=article, user=user, facts=facts)
        kept = kept_typed(self.request, article)
        return super().get_context_data(
            actions=actions,
            board_may_decide=any(
                rule.action == workflow.Action.APPROVE for rule in actions
            ),
            progress=selectors.approval_progress(article, facts),
            change_classes=ChangeClass.choices,
            # A refused approval's note as typed, else the one proposed.
            note={"text": kept["change_note"], "change_class": kept["change_class"]}
            if kept.get("change_note") or kept.get("change_class")
            else selectors.proposed_note(article, events),
            assignments=assigned,
            can_assign=can_assign,
            assignable=workflow.assignable_reviewers(article=article, facts=facts)
            if can_assign
            else [],
            conflicted=user.pk in facts.conflicted_ids,
            can_declare_conflict=workflow.can_declare_conflict(user=user, facts=facts),
            **self.comparison(article, events, citations),
            open_comments=selectors.open_comments(article, events),
            events=events,
            citations=citations,
            retracted=selectors.cited_retractions(article, citations),
            profile=article.evidence_profile,
            profile_rows=evidence_profile.comparison(
                article.evidence_profile,
                article.live.evidence_profile if article.live_id else None,
            ),
            waiting_in_inbox=selectors.cited_in_inbox(article, citations),
            can_edit=workflow.can_edit(article=article, user=user),
            kept=kept,
            new_evidence=self.new_evidence(article, citations),
            **kwargs,
        )

    def new_evidence(self, article, citations):
        """The papers found since the live version was approved, strongest
        first, and the date an approval now would give the literature."""
        found = selectors.found_since_approval(
            [article],
            cited_ids={(article.pk, c.reference_id) for c in citations},
        )[article.pk]
        return {
            "papers": found[:NEW_EVIDENCE_ON_REVIEW],
            "count": len(found),
            "cited": sum(paper.cited for paper in found),
            "searched_through": SavedSearch.objects.searched_through(article.topic_id),
        }

    def comparison(self, article, events, citations):
        """The diff the board asked for (``?against=live`` or ``round``).

        Against the live version, and against the version the board last
        reviewed (the one it sent back), each one link away; the live one
        first, else the last round's.
        """
        versions = services.text_versions(article)
        bases = {}
        if article.live_id and article.live.number in versions:
            bases["live"] = versions[article.live.number]
        round_number = selectors.last_reviewed_version(article, events)
        if round_number in versions:
            bases["round"] = versions[round_number]
        against = self.request.GET.get("against")
        if against not in bases:
            against = next(iter(bases), None)
        if against is None:
            return {"comparison": None, "bases": bases, "against": None}
        after = [citation.reference for citation in citations]
        if against == "live":
            # The approved version keeps its own citations and rendering.
            live_citations = list(article.live.citations.select_related("reference"))
            before = [c.reference for c in live_citations]
            rendered_before = services.rendered_text(article.live, live_citations)
        else:
            ids = bases[against].cited_reference_ids()
            before = services.cited_references(bases[against], known=after, ids=ids)
            rendered_before = services.rendered_version(
                bases[against], reference_ids=ids
            )
        return {
            "comparison": services.Comparison(
                article=article,
                saved=bases[against],
                labels=TEXT_LABELS,
                before=before,
                after=after,
                rendered_before=rendered_before,
                rendered_after=services.rendered_text(article, citations),
            ),
            "bases": bases,
            "against": against,
        }


def _posted_version(request):
    """The version number a form was showing, or None if absent or garbled."""
    return parse_number(request.POST.get("version", ""))


KEPT_SESSION_KEY = "editorial_refused_text"


def keep_typed(request, article, names) -> None:
    """Keep what a refused form typed (``names`` of its fields) for the next
    page showing this article, which puts it back in the form (``kept_typed``)."""
    typed = {name: request.POST.get(name, "") for name in names}
    if any(typed.values()):
        request.session[KEPT_SESSION_KEY] = {"article": article.pk, "typed": typed}


def kept_typed(request, article) -> dict:
    """What a refused form typed about ``article``, once; else nothing."""
    kept = request.session.pop(KEPT_SESSION_KEY, None)
    if not kept or kept.get("article") != article.pk:
        return {}
    return kept.get("typed", {})


class Refused(Exception):
    """A posted action that cannot be done as posted, with a message for people."""


def _posted_text(request, name: str) -> str:
    """A text field of a posted action (a comment, a note), refused if it
    holds NUL: no browser sends one, and PostgreSQL cannot store it."""
    text = request.POST.get(name, "")
    if "\x00" in text:
        raise Refused(_("The text held a NUL character; nothing was done."))
    return text


class ActionView(ArticleMixin, SingleObjectMixin, View):
    """One posted action on an article: do it, say how it went, go back.

    ``act()`` does the action and returns the message for success; what it
    raises among ``refusals`` is shown as an error, with nothing changed.
    """

    http_method_names = ["post"]
    refusals = (Refused, workflow.WorkflowError)
    # What the form typed, kept for the page a refusal goes back to.
    kept_fields = ("comment", "change_class", "change_note", "statement")

    def act(self, request, article) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        self.object = article = self.get_object()
        try:
            message = self.act(request, article)
        except self.refusals as exc:
            said = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            # One message per problem: the refusal banner lists each.
            for problem in said:
                messages.error(request, problem)
            keep_typed(request, article, self.kept_fields)
            return HttpResponseRedirect(self.refused_url(article))
        messages.success(request, message)
        return HttpResponseRedirect(self.done_url(article))

    def done_url(self, article):
        return reverse("editorial:review", args=[article.pk])

    def refused_url(self, article):
        return self.done_url(article)


class TransitionView(ActionView):
    """Posts one review action; the workflow refuses anything not allowed."""

    def act(self, request, article):
        action = request.POST.get("action", "")
        event = workflow.transition(
            action,
            article=article,
            user=request.user,
            comment=_posted_text(request, "comment"),
            version=_posted_version(request),
            note=workflow.ChangeNote(
                text=_posted_text(request, "change_note"),
                change_class=request.POST.get("change_class", ""),
            ),
        )
        if action == ReviewEvent.Action.APPROVE and event.to_state != "approved":
            progress = selectors.approval_progress(article)
            return _(
                "Your approval of version %(version)s is recorded: %(count)s of "
                "%(required)s. It is published when %(required)s board members "
                "have approved it."
            ) % {
                "version": article.version,
                "count": progress["approvals"],
                "required": progress["required"],
            }
        if action == ReviewEvent.Action.APPROVE:
            return _("Approved and published: version %(version)s.") % {
                "version": article.version
            }
        return _("%(action)s: version %(version)s.") % {
            "action": ReviewEvent.Action(action).label,
            "version": article.version,
        }


class AssignReviewersView(ActionView):
    """A board member asks one or more colleagues to review the article."""

    def act(self, request, article):
        ids = parse_numbers(request.POST.getlist("reviewer"))
        reviewers = list(get_user_model().objects.filter(pk__in=ids))
        if not reviewers:
            raise Refused(_("Choose at least one board member."))
        workflow.assign_reviewers(
            article=article, reviewers=reviewers, user=request.user
        )
        return _("Reviewers assigned and emailed.")


class DeclareConflictView(ActionView):
    """A board member declares a conflict with the article, which bars them."""

    def act(self, request, article):
        workflow.declare_conflict(
            article=article,
            user=request.user,
            statement=_posted_text(request, "statement"),
        )
        return _("Your conflict is recorded: you will not review this article.")


class HistoryView(ArticleMixin, DetailView):
    """Every saved version with who and when, to compare or go back to."""

    template_name = "articles/editorial/history.html"

    def get_context_data(self, **kwargs):
        versions = list(services.text_versions(self.object).values())
        return super().get_context_data(
            versions=versions,
            events=self.object.events.select_related("actor"),
            can_revert=workflow.can_edit(article=self.object, user=self.request.user),
            **kwargs,
        )


class CompareView(ArticleMixin, DetailView):
    """A word-level diff between any two saved versions (``?a=1&b=3``)."""

    template_name = "articles/editorial/compare.html"

    def get_context_data(self, **kwargs):
        versions = services.text_versions(self.object)
        a, b = (self.request.GET.get(name) for name in ("a", "b"))
        a = min(versions) if not a else parse_number(a)
        b = max(versions) if not b else parse_number(b)
        if a not in versions or b not in versions:
            raise Http404(_("No such version."))
        old, new = versions[a], versions[b]
        return super().get_context_data(
            old=old,
            new=new,
            numbers=list(versions),
            changes=diff.field_diffs(old.fields, new.fields, TEXT_LABELS),
            **kwargs,
        )


class RevertView(EditorsOnlyMixin, ActionView):
    """Save an earlier version's text as a new draft."""

    refusals = (
        Refused,
        ValidationError,
        services.EditConflict,
        workflow.WorkflowError,
    )

    def act(self, request, article):
        expected = _posted_version(request)
        if expected is None:
            raise Refused(
                _("This form did not say which version you were looking at. Retry.")
            )
        number = parse_number(request.POST.get("number", ""))
        if number is None:
            raise Refused(_("Choose a version to go back to."))
        services.revert_article(
            article=article, number=number, user=request.user, expected_version=expected
        )
        return _("The old text is saved as version %s, a draft for review.") % (
            article.version
        )

    def refused_url(self, article):
        return reverse("editorial:history", args=[article.pk])
