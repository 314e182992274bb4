from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Reference, Section, Topic


class LiteratureFilterForm(forms.Form):
    """The filters of the public literature list; every field is optional."""

    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
        label=_("Topic"),
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.select_related("topic"),
        required=False,
        empty_label=_("All sections"),
        label=_("Section"),
    )
    kind = forms.ChoiceField(
        choices=[("", _("All kinds")), *Reference.Kind.choices],
        required=False,
        label=_("Kind"),
    )

    def filter(self, queryset):
        """Apply the valid filters to a Reference queryset; ignore invalid ones."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["topic"]:
            queryset = queryset.in_topic(data["topic"])
        if data["section"]:
            queryset = queryset.in_section(data["section"])
        if data["kind"]:
            queryset = queryset.of_kind(data["kind"])
        return queryset
