from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm

from .models import GlossaryTerm, LoginEvent, SearchSynonym
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
