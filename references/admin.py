import copy

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from . import services, surveillance
from .models import (
    Dismissal,
    Entry,
    Reference,
    ReferenceNotice,
    SavedSearch,
    Section,
    Topic,
)
from .signals import notices_recorded


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "position"]


@admin.register(Topic)
class TopicAdmin(VersionAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["also_see"]
    inlines = [SectionInline]


class ListedInInline(admin.TabularInline):
    """Where a reference is listed: one row per topic section."""

    model = Entry
    extra = 0
    autocomplete_fields = ["section"]
    fields = ["section", "position"]
    verbose_name = _("listed in")
    verbose_name_plural = _("listed in these sections")

    def get_queryset(self, request):
        # Each row's widget names its section and topic: read with the rows.
        return super().get_queryset(request).select_related("section__topic")


class SectionListFilter(admin.RelatedFieldListFilter):
    """Sections named with their topic, read in one query."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        sections = Section.objects.select_related("topic")
        if ordering:
            sections = sections.order_by(*ordering)
        return [(section.pk, str(section)) for section in sections]


def _move(modeladmin, request, queryset, offset):
    # Move the entries nearest the destination first, so that two selected
    # neighbours keep their order.
    entries = list(queryset.order_by("section", "position", "id"))
    for entry in reversed(entries) if offset > 0 else entries:
        services.move_entry(entry=entry, offset=offset, user=request.user)
    modeladmin.message_user(
        request,
        _("Moved %(count)d entries.") % {"count": len(entries)},
        messages.SUCCESS,
    )


@admin.action(description=_("Move selected entries up"), permissions=["change"])
def move_up(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, -1)


@admin.action(description=_("Move selected entries down"), permissions=["change"])
def move_down(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, 1)


@admin.register(Entry)
class EntryAdmin(VersionAdmin):
    """Entries by section, in order: filter by section, then move them."""

    list_display = ["reference", "section", "position", "added_at"]
    list_filter = ["section__topic", ("section", SectionListFilter)]
    list_select_related = ["reference", "section__topic"]
    list_editable = ["position"]
    ordering = ["section", "position", "id"]
    search_fields = ["reference__title", "section__title"]
    autocomplete_fields = ["reference", "section"]
    actions = [move_up, move_down]


@admin.register(Section)
class SectionAdmin(VersionAdmin):
    list_display = ["title", "topic", "position"]
    list_filter = ["topic"]
    list_select_related = ["topic"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    # A section may hold tens of thousands of entries: an inline form for
    # each would never finish. Its entries are edited in the entries' own
    # list (paginated, filtered to the section), which the page links to.
    readonly_fields = ["entries_link"]

    @admin.display(description=_("entries"))
    def entries_link(self, obj):
        if obj.pk is None:
            return "—"
        count = obj.entries.count()
        url = reverse("admin:references_entry_changelist")
        return format_html(
            '<a href="{}?section__id__exact={}">{}</a>',
            url,
            obj.pk,
            ngettext(
                "%(count)d entry: order and edit them",
                "%(count)d entries: order and edit them",
                count,
            )
            % {"count": count},
        )


class ReferenceAdminForm(forms.ModelForm):
    """The admin's reference form: taking a reference out of its inbox makes
    it public, which needs its summary, as placing it does elsewhere. (Its
    fields are the admin's fieldsets.)"""

    def clean(self):
        data = super().clean()
        leaving = self.instance.is_in_inbox and not data.get("inbox_topic")
        if self.instance.pk and leaving:
            probe = copy.copy(self.instance)
            probe.summary = data.get("summary") or ""
            services.check_summaries([probe])
        return data


@admin.register(Reference)
class ReferenceAdmin(VersionAdmin):
    form = ReferenceAdminForm
    inlines = [ListedInInline]
    list_display = ["title", "kind", "source", "year", "link_status", "inbox_topic"]
    list_filter = ["kind", "link_status", "inbox_topic", "entries__section__topic"]
    list_select_related = ["inbox_topic"]
    # Identifiers exactly and titles: never the abstracts (a scan of every
    # row's longest column). The site's admin searches its full-text index
    # instead (portal.admin), which the autocomplete widgets use too.
    search_fields = ["=doi", "=pmid", "=citation_key", "title"]
    # A pasted "example.org/paper" means https; saying so also keeps Django 6's
    # change of default from raising a deprecation warning on the add page.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = [
        "link_checked_at",
        "link_http_status",
        "link_failures",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("kind", "item_type"),
                    "title",
                    "authors",
                    "authors_incomplete",
                    "abstract",
                    "keywords",
                    "summary",
                    "citation_key",
                    "inbox_topic",
                ]
            },
        ),
        (
            "Publication",
            {
                "fields": [
                    "source",
                    ("year", "month", "day"),
                    ("volume", "issue", "pages"),
                ]
            },
        ),
        (
            "Identifiers and link",
            {"fields": ["doi", "pmid", "url", "links", "link_status"]},
        ),
        (
            "Record",
            {
                "fields": [
                    "link_checked_at",
                    "link_http_status",
                    "link_failures",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        # Formatted now, once, rather than by the first reader's request.
        obj.refresh_citations()
        super().save_model(request, obj, form, change)


@admin.register(ReferenceNotice)
class ReferenceNoticeAdmin(VersionAdmin):
    """Notices found by the watch, and ones an editor records by hand."""

    list_display = ["reference", "kind", "date", "source", "first_seen_at"]
    list_filter = ["kind", "source"]
    list_select_related = ["reference"]
    search_fields = ["reference__title", "doi", "pmid", "reason"]
    autocomplete_fields = ["reference"]
    date_hierarchy = "first_seen_at"
    readonly_fields = ["first_seen_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_changeform_initial_data(self, request):
        return {
            "source": ReferenceNotice.Source.EDITOR,
            **super().get_changeform_initial_data(request),
        }

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # A new notice is news for the board, as one the watch finds.
            transaction.on_commit(
                lambda: notices_recorded.send(sender=ReferenceNotice, notices=[obj])
            )


@admin.register(SavedSearch)
class SavedSearchAdmin(VersionAdmin):
    """Topics' saved searches. Editors keep them on the editorial screen,
    which checks a query before saving it; here administrators see them all."""

    list_display = [
        "label",
        "topic",
        "service",
        "active",
        "last_success_on",
        "last_run_at",
    ]
    list_filter = ["topic", "service", "active"]
    list_select_related = ["topic"]
    search_fields = ["label", "query"]
    readonly_fields = [
        "last_success_on",
        "last_run_at",
        "last_error",
        "created_by",
        "created_at",
    ]

    def save_model(self, request, obj, form, change):
        # The one way a search is saved, on every path.
        surveillance.save_search(search=obj, user=request.user)


@admin.register(Dismissal)
class DismissalAdmin(admin.ModelAdmin):
    """Papers dismissed from a topic's inbox as not relevant. Read-only:
    deleting one lets the topic's searches bring the paper again."""

    list_display = ["title", "topic", "dismissed_by", "dismissed_at"]
    list_filter = ["topic"]
    list_select_related = ["topic", "dismissed_by"]
    search_fields = ["title", "doi", "pmid"]
    date_hierarchy = "dismissed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
