"""Readers' questions in the admin: for administrators only, and read-only.

The editorial groups hold no permission on these models, so their members
never see them here (they work in the queue at /editorial/questions/). An
administrator may read and delete (a reader asking for their question to
go); decisions are taken in the queue, through the services.
"""

from django.contrib import admin

from .models import Question, QuestionGroup


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["text", "asker", "page", "created_at", "replied_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QuestionGroup)
class QuestionGroupAdmin(ReadOnlyAdmin):
    list_display = ["text", "status", "last_asked_at"]
    list_filter = ["status"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["text", "asker", "created_at"]
    readonly_fields = ["group", "text", "asker", "page", "email", "replied_at"]
