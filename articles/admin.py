from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from . import roles, services, workflow
from .forms import ArticleForm
from .models import ApprovedVersion, Article, BoardMember, Disclosure, ReviewEvent


class ReviewEventInline(admin.TabularInline):
    model = ReviewEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "from_state", "to_state", "actor", "version"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleForm
    inlines = [ReviewEventInline]
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
        "review_period_months",
        "author",
        "status",
        "version",
        "live",
        "loaded_version",
        "change_note",
    ]
    actions = ["approve_selected"]

    # Writing is the editors' job on every path. Adding an article is their
    # role's own permission (articles.roles); the board's group holds
    # change_article too, so changing one also takes the editors' role, as
    # on the editorial screens. The board reads here and approves from the list.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and roles.is_editor(
            request.user
        )

    def has_review_permission(self, request):
        return roles.is_board_member(request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (services.EditConflict, workflow.WorkflowError):
            # Someone saved (or submitted) between this form's check and its
            # save; the save's transaction was rolled back. Shown again, the
            # form fails its own check against the stored version: the same
            # message as the editorial screens, with the posted text kept.
            pass
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (services.EditConflict, workflow.WorkflowError) as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect(request.path)

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        services.save_article(
            article=obj,
            user=request.user,
            comment=form.cleaned_data.get("change_note") or _("Edited in the admin"),
            expected_version=form.cleaned_data.get("loaded_version"),
        )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reversion's revert rewrites the row in place; the editorial history
        # reverts by saving the old text as a new draft for review instead.
        messages.info(request, _("Revert here: it saves the old text as a draft."))
        return redirect(reverse("editorial:history", kwargs={"pk": object_id}))

    @admin.action(
        description=_("Approve the current text of the selected articles"),
        permissions=["review"],
    )
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


@admin.register(BoardMember)
class BoardMemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "role", "position", "listed"]
    list_editable = ["position", "listed"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    search_fields = ["user__first_name", "user__last_name", "credentials", "role"]


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    """Declarations of interests of authors and board members."""

    list_display = ["__str__", "declared_on", "is_due"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    search_fields = ["user__first_name", "user__last_name", "statement"]

    @admin.display(boolean=True, description=_("due for renewal"))
    def is_due(self, obj):
        return obj.is_due()
