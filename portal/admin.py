from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q

from references.admin import ReferenceAdmin as LibraryReferenceAdmin
from references.identifiers import normalize_doi, normalize_pmid
from references.models import Reference

from .models import (
    ARTICLE_KIND,
    GlossaryTerm,
    LoginEvent,
    SearchDocument,
    SearchSynonym,
)
from .search import MAX_RESULTS, search
from .throttling import ThrottledAuthenticationForm

# ---------------------------------------------------------------------------
# Accounts: throttled admin login, read-only login audit.
# ---------------------------------------------------------------------------


class PortalAdminAuthenticationForm(
    ThrottledAuthenticationForm, AdminAuthenticationForm
):
    """The portal's throttled login form with the admin's staff-only rule."""


admin.site.login_form = PortalAdminAuthenticationForm


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    """The audit is written by the system only: nobody adds, edits or deletes."""

    list_display = ["at", "kind", "username", "user", "ip_address"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["term", "slug", "updated_at"]
    search_fields = ["term", "synonyms", "definition"]
    prepopulated_fields = {"slug": ["term"]}


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Editors keep the words search treats as one (IVIG, IVIg, ...)."""

    list_display = ["__str__", "note", "updated_at"]
    search_fields = ["terms", "note"]


# ---------------------------------------------------------------------------
# The library's admin: its search box, and every autocomplete
# widget naming a reference, look references up through the site's full-text
# index rather than scanning seven columns of every row.
# ---------------------------------------------------------------------------

admin.site.unregister(Reference)


@admin.register(Reference)
class ReferenceAdmin(LibraryReferenceAdmin):
    def get_search_results(self, request, queryset, search_term):
        """References whose indexed text matches, or that carry the term as
        their DOI, PMID or citation key; references waiting in an inbox are
        not indexed, so their titles are matched as text."""
        term = search_term.strip()
        if not term:
            return queryset, False
        hits = search(term, SearchDocument.objects.exclude(kind=ARTICLE_KIND))
        found = [hit.document.reference_id for hit in hits[:MAX_RESULTS]]
        match = (
            Q(pk__in=found)
            | Q(citation_key=term)
            | Q(inbox_topic__isnull=False, title__icontains=term)
        )
        for normalize, field in ((normalize_doi, "doi"), (normalize_pmid, "pmid")):
            try:
                identifier = normalize(term)
            except ValidationError:
                continue
            match |= Q(**{field: identifier})
        return queryset.filter(match), False
