from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from . import evidence, identifiers, importing
from .models import BIBLIOGRAPHIC_FIELDS, Reference, SavedSearch, Section, Topic


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
    level = forms.ChoiceField(
        choices=[("", _("All evidence levels")), *evidence.EvidenceLevel.choices],
        required=False,
        label=_("Evidence level"),
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
        if data["level"]:
            queryset = queryset.at_evidence_level(data["level"])
        return queryset


class ImportForm(forms.Form):
    """Step one of an import: the file, and where its references will be listed."""

    required_css_class = "required"

    file = forms.FileField(
        label=_("Reference file"),
        help_text=_(
            "RIS (.ris), BibTeX (.bib), PubMed/MEDLINE (.nbib) or CSL-JSON (.json), "
            "in UTF-8, up to %(limit)s."
        ),
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        label=_("Topic"),
        help_text=_(
            "The references wait in this topic's curation inbox, unseen by "
            "readers, until you place each in a section."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text %= {
            "limit": filesizeformat(importing.max_upload_bytes())
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            # The size first, so a huge upload is refused before it is read.
            importing.check_size(upload.size)
            return importing.read_file(upload.read(), filename=upload.name)
        except importing.ImportRejected as exc:
            raise forms.ValidationError(exc.messages) from None


class ReferenceAddForm(forms.ModelForm):
    """Add one reference: paste a DOI or PMID, type the rest."""

    required_css_class = "required"

    identifier = forms.CharField(
        label=_("DOI or PMID"),
        required=False,
        max_length=300,
        help_text=_(
            "Paste one, for example 10.1016/j.autrev.2011.04.010, "
            "https://doi.org/10.1016/j.autrev.2011.04.010 or 21504801."
        ),
    )
    url = forms.URLField(
        label=_("URL"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("Leave empty to link to the DOI or PubMed entry."),
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        label=_("Topic"),
        help_text=_(
            "It waits in this topic's curation inbox, unseen by readers, until "
            "you place it in a section."
        ),
    )

    class Meta:
        model = Reference
        fields = [*BIBLIOGRAPHIC_FIELDS, "summary"]
        error_messages = {
            "title": {"required": _("Give the reference its title.")},
            "kind": {"required": _("Choose what kind of publication this is.")},
        }
        widgets = {"authors": forms.Textarea(attrs={"rows": 4})}

    field_order = ["identifier", "topic"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].required = True
        self.fields["source"].error_messages["required"] = _(
            "Give the journal, publisher or website it appeared in."
        )
        # Most of the literature is journal articles: a form posted without
        # the choice (a script, an older page) adds one.
        self.fields["item_type"].required = False

    def clean_item_type(self):
        return self.cleaned_data["item_type"] or Reference.ItemType.ARTICLE

    def clean(self):
        data = super().clean()
        pasted = data.get("identifier")
        if pasted:
            try:
                name, value = identifiers.parse_identifier(pasted)
            except forms.ValidationError as exc:
                self.add_error("identifier", exc)
            else:
                if data.get(name) and data[name] != value:
                    self.add_error(
                        "identifier",
                        _("This does not match the %(field)s given below.")
                        % {"field": self.fields[name].label},
                    )
                else:
                    # The model validates it again, duplicates included.
                    data[name] = value
        return data


class SavedSearchForm(forms.ModelForm):
    """A topic's saved search; saved only once its query was checked (run
    once, its count and first titles shown) as it stands."""

    required_css_class = "required"

    # What was last checked: service, day and query, as ``signature()``.
    checked = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SavedSearch
        fields = ["label", "service", "query", "since", "active"]
        widgets = {
            "query": forms.Textarea(attrs={"rows": 3}),
            "since": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {
            "label": {"required": _("Give the search a label.")},
            "query": {"required": _("Write the query.")},
        }

    def clean_query(self):
        # One line: a browser's CRLF or a pasted line break means a space.
        return " ".join(self.cleaned_data["query"].split())

    def signature(self) -> str:
        """The query as checked: whatever changes the answer changes this."""
        data = self.cleaned_data
        return f"{data.get('service')}|{data.get('since')}|{data.get('query')}"

    def is_checked(self) -> bool:
        return self.cleaned_data.get("checked") == self.signature()


class InboxActionForm(forms.Form):
    """A bulk action on references chosen in a topic's curation inbox."""

    PLACE, KIND, DELETE = "place", "kind", "delete"

    references = forms.ModelMultipleChoiceField(
        queryset=Reference.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("References"),
        error_messages={"required": _("Choose at least one reference.")},
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (PLACE, _("Place in a section")),
            (KIND, _("Set the kind")),
            (DELETE, _("Delete")),
        ],
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.none(),
        required=False,
        label=_("Section"),
        empty_label=_("Choose a section"),
    )
    kind = forms.ChoiceField(
        choices=[("", _("Choose a kind")), *Reference.Kind.choices],
        required=False,
        label=_("Kind"),
    )

    def __init__(self, *args, topic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["references"].queryset = Reference.objects.in_inbox(topic)
        self.fields["section"].queryset = topic.sections.all()

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == self.PLACE and not data.get("section"):
            self.add_error("section", _("Choose the section to place them in."))
        if action == self.KIND and not data.get("kind"):
            self.add_error("kind", _("Choose the kind to give them."))
        return data
