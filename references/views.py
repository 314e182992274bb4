from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.views.generic import DetailView, ListView, View

from . import exporting
from .forms import LiteratureFilterForm
from .models import Reference
from .pagination import DeferredJoinPaginator


class LiteratureListView(ListView):
    """All references, newest first, filterable by topic, section and kind."""

    template_name = "references/literature_list.html"
    context_object_name = "references"
    paginate_by = settings.PORTAL_PAGE_SIZE
    paginator_class = DeferredJoinPaginator

    def get_queryset(self):
        self.form = LiteratureFilterForm(self.request.GET or None)
        return self.form.filter(
            Reference.objects.visible().prefetch_related("notices")
        ).newest_first()

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=self.form,
            filter_query=query.urlencode(),
            # Part of the page fragment's key: editors' copy has edit links.
            editing=self.request.user.has_perm("references.change_reference"),
            **kwargs,
        )


class ReferenceDetailView(DetailView):
    """One reference; one still in a curation inbox only for the editorial team."""

    template_name = "references/reference_detail.html"
    context_object_name = "reference"

    def get_queryset(self):
        # The entries and notices are read by the parts of the page that show
        # them, when those are rendered: once per public change.
        references = Reference.objects.select_related("inbox_topic")
        if self.request.user.has_perm("references.view_reference"):
            return references
        return references.visible()

    def get_context_data(self, **kwargs):
        reference = self.object
        return super().get_context_data(
            # A reference still in an inbox is not public: rendered every time.
            page_key=None if reference.is_in_inbox else reference.pk,
            entries=SimpleLazyObject(
                lambda: list(reference.entries.select_related("section__topic"))
            ),
            **kwargs,
        )


class LiteratureExportView(View):
    """The references of a topic, a section or a filtered list, as a file.

    Takes the literature list's filters (topic, section, kind) and the file
    format from the URL: ``export.ris``, ``export.bib`` or ``export.json``.
    """

    def get(self, request, extension):
        if extension not in exporting.EXPORT_FORMATS:
            raise Http404("Unknown export format.")
        form = LiteratureFilterForm(request.GET or None)
        references = form.filter(Reference.objects.visible()).newest_first()
        # Streamed: a whole library's file is never held in memory.
        response = StreamingHttpResponse(
            exporting.stream(references, extension),
            content_type=exporting.media_type(extension),
        )
        name = "literature"
        if form.is_valid():
            for value in (form.cleaned_data["topic"], form.cleaned_data["section"]):
                if value:
                    name += "-" + slugify(getattr(value, "slug", value))
            if form.cleaned_data["kind"]:
                name += "-" + slugify(form.cleaned_data["kind"])
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
        return response
