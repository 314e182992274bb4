"""Editorial pages of living literature: each topic's saved searches (with
their report, also as CSV) and the form that checks a query before saving it.
"""

import csv

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View

from . import surveillance
from .editorial_views import EditorMixin
from .forms import SavedSearchForm
from .models import SavedSearch, Topic
from .sources import SourceError


class SurveillanceMixin(EditorMixin):
    """Who may read the searches and their report: editors, who keep them,
    and the board, for its minutes (both hold ``view_savedsearch``)."""

    permission_required = ("references.view_savedsearch",)

    def dispatch(self, request, *args, **kwargs):
        self.topic = get_object_or_404(Topic, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def searches(self):
        return (
            SavedSearch.objects.filter(topic=self.topic).with_counts().order_by("label")
        )


class TopicsView(EditorMixin, TemplateView):
    """Every topic, with how many searches it has."""

    permission_required = SurveillanceMixin.permission_required

    template_name = "references/editorial/search_topics.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            topics=Topic.objects.annotate(search_count=Count("saved_searches")),
            **kwargs,
        )


class ReportView(SurveillanceMixin, TemplateView):
    """A topic's searches: each query, when it last ran and what it brought."""

    template_name = "references/editorial/searches.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            topic=self.topic,
            searches=self.searches(),
            searched_through=SavedSearch.objects.searched_through(self.topic),
            can_change=self.request.user.has_perm("references.change_savedsearch"),
            **kwargs,
        )


# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class ReportCSVView(SurveillanceMixin, View):
    """The report as CSV, for the board's minutes."""

    HEADER = (
        _("Topic"),
        _("Search"),
        _("Service"),
        _("Query"),
        _("Active"),
        _("Searched through"),
        _("Last run"),
        _("Last run's error"),
        _("Papers brought"),
        _("Placed"),
        _("Dismissed"),
        _("Waiting in the inbox"),
    )

    def get(self, request, *args, **kwargs):
        today = timezone.localdate().isoformat()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="surveillance-{self.topic.slug}-{today}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow([str(label) for label in self.HEADER])
        for search in self.searches():
            last_run = (
                timezone.localtime(search.last_run_at).strftime("%Y-%m-%d %H:%M")
                if search.last_run_at
                else ""
            )
            writer.writerow(
                _cell(value)
                for value in (
                    self.topic.title,
                    search.label,
                    search.get_service_display(),
                    search.query,
                    _("yes") if search.active else _("no"),
                    search.last_success_on.isoformat()
                    if search.last_success_on
                    else "",
                    last_run,
                    search.last_error,
                    search.brought,
                    search.placed,
                    search.dismissed,
                    search.waiting,
                )
            )
        return response


class SearchFormView(SurveillanceMixin, FormView):
    """Add or change a saved search. "Check the query" runs it once and
    shows the count and first titles; it is saved only as checked."""

    template_name = "references/editorial/search_form.html"
    form_class = SavedSearchForm

    def get_permission_required(self):
        # Editors only: a board member reads the searches but does not keep them.
        wanted = "change" if "pk" in self.kwargs else "add"
        return (
            *super().get_permission_required(),
            "references.add_reference",
            f"references.{wanted}_savedsearch",
        )

    def get_form_kwargs(self):
        if "pk" in self.kwargs:
            search = get_object_or_404(
                SavedSearch, pk=self.kwargs["pk"], topic=self.topic
            )
        else:
            search = SavedSearch(topic=self.topic)
        return {**super().get_form_kwargs(), "instance": search}

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)

    def form_valid(self, form):
        if "check" in self.request.POST or not form.is_checked():
            return self.check(form)
        search = surveillance.save_search(search=form.instance, user=self.request.user)
        messages.success(
            self.request,
            _("The search “%(label)s” was saved; it runs with the others.")
            % {"label": search.label},
        )
        return redirect("references_editorial:searches", slug=self.topic.slug)

    def check(self, form):
        """Run the query once; show what it finds, and let it be saved."""
        data = form.cleaned_data
        try:
            found = surveillance.check_query(
                service=data["service"],
                query=data["query"],
                since=data["since"],
                timeout=settings.REFERENCES_LOOKUP_TIMEOUT,
                retries=0,
            )
        except SourceError as exc:
            form.add_error(
                "query",
                _("The query could not be checked: %(problem)s Try again later.")
                % {"problem": exc},
            )
            return self.form_invalid(form)
        # The hidden field now says what was checked: "Save" saves it as is.
        form.data = form.data.copy()
        form.data["checked"] = form.signature()
        return self.render_to_response(self.get_context_data(form=form, check=found))
