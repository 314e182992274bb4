from django.conf import settings
from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from .forms import LiteratureFilterForm
from .models import Entry, Reference


class LiteratureListView(ListView):
    """All references, newest first, filterable by topic, section and kind."""

    template_name = "references/literature_list.html"
    context_object_name = "references"
    paginate_by = settings.PORTAL_PAGE_SIZE

    def get_queryset(self):
        self.form = LiteratureFilterForm(self.request.GET or None)
        return self.form.filter(Reference.objects.all()).newest_first()

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=self.form, filter_query=query.urlencode(), **kwargs
        )


class ReferenceDetailView(DetailView):
    template_name = "references/reference_detail.html"
    context_object_name = "reference"
    queryset = Reference.objects.prefetch_related(
        Prefetch("entries", queryset=Entry.objects.select_related("section__topic"))
    )
