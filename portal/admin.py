from django.contrib import admin

from .models import GlossaryTerm


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["term", "slug", "updated_at"]
    search_fields = ["term", "synonyms", "definition"]
    prepopulated_fields = {"slug": ["term"]}
