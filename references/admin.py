from django.contrib import admin
from django.db import models
from reversion.admin import VersionAdmin

from .models import Entry, Reference, Section, Topic


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


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    autocomplete_fields = ["reference"]
    fields = ["reference", "position"]


@admin.register(Section)
class SectionAdmin(VersionAdmin):
    list_display = ["title", "topic", "position"]
    list_filter = ["topic"]
    list_select_related = ["topic"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [EntryInline]


@admin.register(Reference)
class ReferenceAdmin(VersionAdmin):
    list_display = ["title", "kind", "source", "year", "link_status"]
    list_filter = ["kind", "link_status", "entries__section__topic"]
    search_fields = ["title", "authors", "source", "doi", "pmid", "citation_key"]
    # A pasted "example.org/paper" means https; saying so also keeps Django 6's
    # change of default from raising a deprecation warning on the add page.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = [
        "link_checked_at",
        "link_http_status",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["kind", "title", "authors", "summary", "citation_key"]}),
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
        ("Identifiers and link", {"fields": ["doi", "pmid", "url", "link_status"]}),
        (
            "Record",
            {
                "fields": [
                    "link_checked_at",
                    "link_http_status",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
