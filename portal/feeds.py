from django.conf import settings
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from articles.models import ApprovedVersion, Article, ChangeClass
from references.feeds import PortalFeed


class ApprovedArticlesFeed(PortalFeed):
    """Atom feed of approved articles, newest approval first."""

    link = reverse_lazy("portal:home")
    subtitle = _("Articles newly approved by the editorial board.")

    def title(self):
        return _("%(site)s: reviewed articles") % {"site": settings.PORTAL_NAME}

    def items(self):
        return Article.objects.recently_approved()[:30]

    def item_title(self, item):
        return item.live.title

    def item_text(self, item):
        return item.live.summary

    def item_pubdate(self, item):
        return item.live.approved_at

    def item_updateddate(self, item):
        return item.live.approved_at

    def item_categories(self, item):
        return [item.live.topic.title]


class UpdatesFeed(PortalFeed):
    """Atom feed of approved versions with their change notes, newest first.

    ``?class=practice-changing`` keeps only the updates that change what
    clinicians should do.
    """

    link = reverse_lazy("portal:home")

    def get_object(self, request):
        wanted = request.GET.get("class", "")
        return wanted if wanted in ChangeClass.values else ""

    def title(self, obj):
        if obj == ChangeClass.PRACTICE_CHANGING:
            return _("%(site)s: practice-changing updates") % {
                "site": settings.PORTAL_NAME
            }
        return _("%(site)s: updates to reviewed articles") % {
            "site": settings.PORTAL_NAME
        }

    def subtitle(self, obj):
        return _("What changed in each version the editorial board approved.")

    def items(self, obj):
        versions = ApprovedVersion.objects.updates()
        if obj:
            versions = versions.filter(change_class=obj)
        return versions[:30]

    def item_title(self, item):
        label = item.get_change_class_display() or _("First published")
        return f"{item.title} ({label})"

    def item_text(self, item):
        return item.change_note or item.summary

    def item_link(self, item):
        return item.article.get_changes_url() + f"#version-{item.number}"

    def item_pubdate(self, item):
        return item.approved_at

    def item_updateddate(self, item):
        return item.approved_at

    def item_categories(self, item):
        categories = [item.topic.title]
        if item.change_class:
            categories.append(item.get_change_class_display())
        return categories
