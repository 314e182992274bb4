"""The editors' queue of readers' questions, under /editorial/questions/.

Editors and board members read the queue and decide (group, answer, decline);
planning writes an article draft, so only editors plan. Readers' words are
shown as text: escaped, never rendered as Markdown or links.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, View

from articles.editorial_views import EditorialMixin, EditorsOnlyMixin
from articles.roles import is_editor
from articles.workflow import WorkflowError

from . import services
from . import text as question_text
from .forms import AnswerForm, DeclineForm, MergeForm, PlanForm
from .models import Question, QuestionGroup

# How many similar questions the group page suggests.
SUGGESTIONS = 5


class QueueView(EditorialMixin, ListView):
    """Questions waiting for a decision, the most asked first; closed ones
    below."""

    template_name = "questions/editorial/queue.html"
    context_object_name = "groups"
    paginate_by = 50

    def get_queryset(self):
        last = Question.objects.filter(group=OuterRef("pk")).order_by("-created_at")
        return (
            QuestionGroup.objects.waiting()
            .with_counts()
            .annotate(
                last_page=Subquery(last.values("page")[:1]),
                last_page_title=Subquery(last.values("page_title")[:1]),
            )
            .select_related("planned_article")
            .order_by("-asked", "-last_asked_at")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            closed=QuestionGroup.objects.filter(status__in=QuestionGroup.CLOSED)
            .with_counts()
            .select_related("answer_article", "decided_by")
            .order_by("-decided_at")[:20],
            **kwargs,
        )


class GroupView(EditorialMixin, DetailView):
    """One question group: every reader's words, where they asked, similar
    questions to group it with, and the three decisions."""

    template_name = "questions/editorial/group.html"
    context_object_name = "group"

    def get_queryset(self):
        return (
            QuestionGroup.objects.with_counts()
            .select_related("answer_article__live", "planned_article", "decided_by")
            .prefetch_related(
                Prefetch("questions", queryset=Question.objects.order_by("created_at"))
            )
        )

    def similar(self, group):
        """Waiting groups whose words are close to this one's, closest first."""
        if group.is_closed:
            return []
        others = (
            QuestionGroup.objects.waiting()
            .exclude(pk=group.pk)
            .with_counts()
            .only("pk", "text", "terms", "status", "last_asked_at")
        )
        scored = [
            (question_text.similarity(group.terms, other.terms), other)
            for other in others
        ]
        close = [
            (score, other) for score, other in scored if score >= question_text.SIMILAR
        ]
        close.sort(key=lambda pair: (-pair[0], -pair[1].pk))
        return [other for _score, other in close[:SUGGESTIONS]]

    def get_context_data(self, **kwargs):
        group = self.object
        forms = kwargs.pop("forms", {})
        return super().get_context_data(
            similar=self.similar(group),
            answer_form=forms.get("answer") or AnswerForm(prefix="answer"),
            plan_form=forms.get("plan")
            or PlanForm(prefix="plan", initial={"outline": ""}),
            decline_form=forms.get("decline") or DeclineForm(prefix="decline"),
            # The refused decision: the editorial refusal banner
            # (editorial/refusals.html) reads the page's ``form``.
            form=next(iter(forms.values()), None),
            can_plan=is_editor(self.request.user),
            **kwargs,
        )


class GroupActionView(EditorialMixin, View):
    """Base of the POST-only decisions: on a refusal the group page comes
    back with the form's errors (400), never an error page."""

    form_class = None
    prefix = None
    success = ""

    def post(self, request, pk):
        group = get_object_or_404(QuestionGroup, pk=pk)
        form = self.form_class(request.POST, prefix=self.prefix)
        if form.is_valid():
            try:
                target = self.act(group=group, data=form.cleaned_data)
            except (services.QuestionError, WorkflowError) as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, self.success)
                return HttpResponseRedirect(target)
        view = GroupView()
        view.setup(request, pk=pk)
        view.object = view.get_object()
        context = view.get_context_data(forms={self.prefix: form})
        response = view.render_to_response(context)
        response.status_code = 400
        return response


class MergeView(GroupActionView):
    form_class = MergeForm
    prefix = "merge"
    success = _("Grouped: the questions are counted together.")

    def act(self, *, group, data):
        merged = services.merge(
            group=group, other=data["other"], user=self.request.user
        )
        return merged.get_absolute_url()


class AnswerView(GroupActionView):
    form_class = AnswerForm
    prefix = "answer"
    success = _(
        "Answered. Readers who confirmed an address are sent the link; every "
        "address is deleted."
    )

    def act(self, *, group, data):
        services.answer_with_content(
            group=group,
            article=data["article"],
            fragment=data["fragment"],
            user=self.request.user,
        )
        return group.get_absolute_url()


class PlanView(EditorsOnlyMixin, GroupActionView):
    form_class = PlanForm
    prefix = "plan"
    success = _(
        "Draft started. Readers who confirmed an address will get the link once "
        "the board approves the article."
    )

    def act(self, *, group, data):
        article = services.plan_article(
            group=group,
            topic=data["topic"],
            title=data["title"],
            slug=data["slug"],
            outline=data["outline"],
            user=self.request.user,
        )
        return reverse("editorial:edit", kwargs={"pk": article.pk})


class DeclineView(GroupActionView):
    form_class = DeclineForm
    prefix = "decline"
    success = _(
        "Declined. Readers who confirmed an address get a short, polite reply; "
        "every address is deleted."
    )

    def act(self, *, group, data):
        services.decline(group=group, reason=data["reason"], user=self.request.user)
        return group.get_absolute_url()
