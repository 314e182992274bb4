from django import forms
from django.utils.translation import gettext_lazy as _

from references.models import Topic

from .models import KIND_CHOICES, SearchDocument


class SearchForm(forms.Form):
    """The search page's query and filters; every field is optional.

    The query is never rejected (parse_query copes with anything); a filter
    that does not validate is simply not applied.
    """

    q = forms.CharField(required=False, label=_("Search for"), strip=True)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
        label=_("Topic"),
    )
    kind = forms.ChoiceField(
        choices=[("", _("Articles and literature")), *KIND_CHOICES],
        required=False,
        label=_("Kind"),
    )
    year_from = forms.IntegerField(
        required=False, min_value=1800, max_value=2200, label=_("From year")
    )
    year_to = forms.IntegerField(
        required=False, min_value=1800, max_value=2200, label=_("To year")
    )

    def documents(self):
        """The search documents the valid filters allow."""
        self.is_valid()
        data = self.cleaned_data
        documents = SearchDocument.objects.public()
        if data.get("topic"):
            documents = documents.in_topic(data["topic"])
        if data.get("kind"):
            documents = documents.of_kind(data["kind"])
        return documents.between_years(data.get("year_from"), data.get("year_to"))

    def filters_chosen(self) -> list[str]:
        """The filters applied, in words ("Kind: Trial", "From 2015"), for
        the summary of the folded filters; empty when none is."""
        self.is_valid()
        data = self.cleaned_data
        chosen = []
        if data.get("topic"):
            chosen.append(_("Topic: %(topic)s") % {"topic": data["topic"].title})
        if data.get("kind"):
            kind = dict(self.fields["kind"].choices)[data["kind"]]
            chosen.append(_("Kind: %(kind)s") % {"kind": kind})
        if data.get("year_from") is not None:
            chosen.append(_("From %(year)s") % {"year": data["year_from"]})
        if data.get("year_to") is not None:
            chosen.append(_("To %(year)s") % {"year": data["year_to"]})
        return chosen

    @property
    def query(self):
        self.is_valid()
        return self.cleaned_data.get("q", "")
