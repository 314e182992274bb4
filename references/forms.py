import datetime

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import batch_add, evidence, identifiers, importing
from .models import BIBLIOGRAPHIC_FIELDS, Reference, SavedSearch, Section, Topic
from .numbers import MAX_ID, parse_number


def add_service_error(form, error) -> None:
    """Show what a save service refused on ``form``: beside the field it
    names, or above the form when that field is not one of the form's (a
    service validates the whole object, the form only some of its fields)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


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
        # A section of the chosen topic says it all: the topic's semi-join
        # over every entry it lists would only repeat it (85 ms to 13 ms on
        # PostgreSQL for a section of a topic of 100,000).
        within = data["section"] and data["section"].topic_id == getattr(
            data["topic"], "pk", None
        )
        if data["topic"] and not within:
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
            "RIS (.ris), BibTeX (.bib), PubMed/MEDLINE (.nbib), CSL-JSON (.json) "
            "or a saved Crossref API answer (.json), in UTF-8, up to %(limit)s."
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


class AddByIdentifierForm(forms.Form):
    """Add many references at once: pasted DOIs, PMIDs or their addresses."""

    required_css_class = "required"

    identifiers = forms.CharField(
        label=_("DOIs and PMIDs"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=_(
            "One a line: DOIs, PMIDs, doi.org or PubMed addresses, up to "
            "%(limit)s; or a PubMed result list (Send to → Clipboard, or a "
            "saved summary), whose PMIDs are read."
        )
        % {"limit": batch_add.MAX_IDENTIFIERS},
        error_messages={"required": _("Paste at least one DOI or PMID.")},
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        label=_("Topic"),
        help_text=_(
            "They wait in this topic's curation inbox, unseen by readers, until "
            "you place each in a section."
        ),
    )

    def clean_identifiers(self):
        found, self.unreadable = identifiers.read_pasted(
            self.cleaned_data["identifiers"]
        )
        if len(found) > batch_add.MAX_IDENTIFIERS:
            raise forms.ValidationError(
                _("Paste up to %(limit)s identifiers at a time; this holds %(count)s.")
                % {"limit": batch_add.MAX_IDENTIFIERS, "count": len(found)}
            )
        if not found:
            raise forms.ValidationError(
                [
                    _("Line %(line)s: %(message)s") % {"line": line, "message": message}
                    for line, _text, message in self.unreadable
                ]
                or _("Paste at least one DOI or PMID.")
            )
        return found


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
        fields = [*BIBLIOGRAPHIC_FIELDS, "summary", "citation_key"]
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
        # Empty: made from the first author and year (add_to_inbox).
        self.fields["citation_key"].required = False
        self.fields["citation_key"].help_text = _(
            "Leave empty to make one from the first author and year, or give "
            "the key an article already cites."
        )

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django adds a hidden copy of a field whose default is computed (a
        # year ago); nothing here asks whether it changed, and the copy would
        # carry the field's aria-describedby, which HTML forbids on it.
        self.fields["since"].show_hidden_initial = False

    def clean_query(self):
        # One line: a browser's CRLF or a pasted line break means a space.
        return " ".join(self.cleaned_data["query"].split())

    def signature(self) -> str:
        """The query as checked: whatever changes the answer changes this."""
        data = self.cleaned_data
        return f"{data.get('service')}|{data.get('since')}|{data.get('query')}"

    def is_checked(self) -> bool:
        return self.cleaned_data.get("checked") == self.signature()


class InboxFilterForm(forms.Form):
    """The curation inbox's filters; every field is optional, and an invalid
    value is ignored (the list is shown unfiltered by it)."""

    BY_HAND = "by-hand"
    WRITTEN, MISSING = "written", "missing"

    batch = forms.ChoiceField(label=_("Source file"), required=False)
    added_from = forms.DateField(
        label=_("Added on or after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    added_until = forms.DateField(
        label=_("Added on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    filter_kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Reference.Kind.choices],
    )
    summary = forms.ChoiceField(
        label=_("Summary"),
        required=False,
        choices=[
            ("", _("With or without")),
            (WRITTEN, _("Written: ready to place")),
            (MISSING, _("Not written yet")),
        ],
    )

    def __init__(self, *args, batches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].choices = [
            ("", _("All files, and those added one by one")),
            (self.BY_HAND, _("Added one by one")),
            *((str(batch.pk), str(batch)) for batch in batches),
        ]

    def filter(self, queryset):
        """Apply the valid filters to a Reference queryset; ignore invalid ones."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        batch = data.get("batch")
        if batch == self.BY_HAND:
            queryset = queryset.from_import(None)
        elif batch:
            queryset = queryset.filter(import_batch_id=int(batch))
        queryset = queryset.added_between(
            _start_of(data.get("added_from")),
            _start_of(data.get("added_until"), days=1),
        )
        if data.get("filter_kind"):
            queryset = queryset.of_kind(data["filter_kind"])
        if data.get("summary"):
            queryset = queryset.with_summary(data["summary"] == self.WRITTEN)
        return queryset

    @property
    def active(self):
        """Whether any filter narrows the list."""
        return any(self.cleaned_data.values()) if self.is_valid() else False

    def as_query(self):
        """The valid filters as query parameters, for links and hidden fields."""
        if not self.is_valid():
            return {}
        return {
            name: self.data[name]
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }


def _start_of(day, days=0):
    """The aware datetime at which ``day`` (plus ``days``) begins, or None."""
    if day is None:
        return None
    moment = datetime.datetime.combine(
        day + datetime.timedelta(days=days), datetime.time.min
    )
    return timezone.make_aware(moment)


class ReferenceIdsField(forms.ModelMultipleChoiceField):
    """References ticked by their ids. An id no database column could hold
    is refused in words before it reaches the database (SQLite raises
    OverflowError on one)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if parse_number(text, maximum=MAX_ID) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:30]},
                )
        return super()._check_values(value)


class InboxActionForm(forms.Form):
    """A bulk action on references of a topic's curation inbox: those ticked
    on the page, or all that match the inbox's filters (posted as the
    filters, never as thousands of ids)."""

    PLACE, KIND, DISMISS, DELETE = "place", "kind", "dismiss", "delete"
    CHOSEN, ALL = "chosen", "all"
    # "All that match" acts on this many at a time, the first as listed:
    # placing takes about a millisecond a reference on PostgreSQL, and a
    # request over all of 100,000 would be killed by the worker's timeout,
    # undone, after 30 s. The editor applies again for the next ones.
    BULK_LIMIT = 2000

    scope = forms.ChoiceField(
        label=_("Apply to"),
        choices=[(CHOSEN, _("The references ticked")), (ALL, _("All that match"))],
        initial=CHOSEN,
        required=False,
        widget=forms.RadioSelect,
    )
    references = ReferenceIdsField(
        queryset=Reference.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("References"),
        required=False,
    )
    # How many matched when the page was shown: a bulk action on "all" is
    # refused if that changed meanwhile (a new import, a colleague's work).
    expected = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (PLACE, _("Place in a section")),
            (KIND, _("Set the kind")),
            (DISMISS, _("Dismiss as not relevant")),
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

    def __init__(self, *args, topic, matching, **kwargs):
        """``matching``: the inbox's references that the filters leave, or
        None when the filters posted are not valid (then nothing is "all")."""
        super().__init__(*args, **kwargs)
        self.matching = matching
        self.fields["references"].queryset = Reference.objects.in_inbox(topic)
        self.fields["section"].queryset = topic.sections.all()
        # All of one topic: its name would only repeat.
        self.fields["section"].label_from_instance = lambda section: section.title

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == self.PLACE and not data.get("section"):
            self.add_error("section", _("Choose the section to place them in."))
        if action == self.KIND and not data.get("kind"):
            self.add_error("kind", _("Choose the kind to give them."))
        if data.get("scope") == self.ALL and self.matching is None:
            self.add_error("scope", _("The filters are not valid: correct them first."))
        elif data.get("scope") == self.ALL:
            count = self.matched = self.matching.count()
            if data.get("expected") != count:
                self.add_error(
                    "scope",
                    _(
                        "The inbox changed since the page was shown: %(count)s "
                        "references match now. Check them, then apply again."
                    )
                    % {"count": count},
                )
        elif not data.get("references"):
            self.add_error("references", _("Choose at least one reference."))
        return data

    def clean_scope(self):
        # A post without it (a script, a page from before) means the ticked.
        return self.cleaned_data["scope"] or self.CHOSEN

    def chosen(self):
        """The references the action applies to (a queryset): those ticked,
        or the first ``BULK_LIMIT`` that match, as the inbox lists them."""
        if self.cleaned_data["scope"] == self.ALL:
            first = self.matching.values_list("pk", flat=True)[: self.BULK_LIMIT]
            return Reference.objects.filter(pk__in=list(first))
        return self.cleaned_data["references"]

    def left_over(self) -> int:
        """How many that matched the action leaves for another time."""
        if self.cleaned_data["scope"] != self.ALL:
            return 0
        return max(0, self.matched - self.BULK_LIMIT)


class ReferenceEditForm(forms.ModelForm):
    """An editor's changes to a reference: its summary, kind, bibliographic
    fields and identifiers; for one waiting in an inbox, where to place it.

    Carries the ``updated_at`` it was loaded with, so that a save over a
    colleague's newer one is a conflict, not an overwrite
    (``services.save_reference``).
    """

    required_css_class = "required"

    # The exact instant, microseconds included (a DateTimeField's widget
    # would drop them): compared with the stored one on save.
    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)
    url = forms.URLField(
        label=_("URL"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("Leave empty to link to the DOI or PubMed entry."),
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.none(),
        required=False,
        label=_("Place it in a section"),
        empty_label=_("Not yet: keep it in the inbox"),
        help_text=_("Readers see it once it is placed; it needs its summary for that."),
    )
    change_note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=200,
        help_text=_("A short note for the history, e.g. “Corrected the pages”."),
    )

    class Meta:
        model = Reference
        fields = ["summary", *BIBLIOGRAPHIC_FIELDS, "citation_key"]
        error_messages = {
            "title": {"required": _("Give the reference its title.")},
            "kind": {"required": _("Choose what kind of publication this is.")},
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "authors": forms.Textarea(attrs={"rows": 4}),
            "abstract": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reference = self.instance
        if reference.updated_at:
            self.fields["loaded_at"].initial = reference.updated_at.isoformat()
        self.fields["citation_key"].help_text = _(
            "Articles cite it as [@key]: change it only with the articles that "
            "cite it, whose next save would otherwise refuse the old key."
        )
        if reference.is_in_inbox:
            self.fields["section"].queryset = reference.inbox_topic.sections.all()
            # All of one topic: its name would only repeat.
            self.fields["section"].label_from_instance = lambda section: section.title
        else:
            del self.fields["section"]

    def clean_loaded_at(self):
        """The instant the form was loaded at; a form posted without it (or
        with nonsense) is refused rather than allowed to overwrite."""
        try:
            return datetime.datetime.fromisoformat(self.cleaned_data["loaded_at"])
        except ValueError:
            raise forms.ValidationError(
                _(
                    "This form did not say which version of the reference it was "
                    "editing, so it was not saved. Reload the page and make your "
                    "change again."
                ),
                code="missing_version",
            ) from None

    def clean(self):
        data = super().clean()
        if data.get("section") and not (data.get("summary") or "").strip():
            self.add_error(
                "summary", _("Write its summary: a reference is placed with one.")
            )
        return data
