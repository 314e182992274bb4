from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from . import services, workflow
from .models import ApprovedVersion, Article


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    list_display = ["title", "topic", "status", "version", "updated_at"]
    list_filter = ["status", "topic"]
    list_select_related = ["topic"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "version", "live", "created_at", "updated_at"]
    fields = [
        "topic",
        "is_overview",
        "title",
        "slug",
        "summary",
        "body",
        "plain_summary",
        "plain_body",
        "author",
        "status",
        "version",
        "live",
    ]
    actions = ["approve_selected"]

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        services.save_article(
            article=obj, user=request.user, comment=_("Edited in the admin")
        )

    @admin.action(description=_("Approve the current text of the selected articles"))
    def approve_selected(self, request, queryset):
        for article in queryset:
            try:
                workflow.approve(article=article, user=request.user)
            except workflow.WorkflowError as exc:
                self.message_user(request, f"{article}: {exc}", messages.ERROR)
            else:
                self.message_user(request, _("Approved: %s") % article)


@admin.register(ApprovedVersion)
class ApprovedVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "approved_by", "approved_at", "next_review_due"]
    list_select_related = ["approved_by"]
    readonly_fields = [f.name for f in ApprovedVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
