from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from articles.models import ApprovedCitation, ApprovedVersion, Article, ChangeClass
from references.feeds import PortalFeed
from references.models import ReferenceNotice


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

    def item_tag(self, item):
        # The article, whichever version is live: a new approval updates
        # the entry rather than adding one.
        return item.created_at, f"article/{item.pk}"


class NoticesFeed(PortalFeed):
    """Atom feed of notices (retractions, corrections...) on literature that
    published articles cite, newest first."""

    link = reverse_lazy("portal:home")
    subtitle = _(
        "Retractions, expressions of concern and corrections of publications "
        "that our reviewed articles cite."
    )

    def title(self):
        return _("%(site)s: notices on cited literature") % {
            "site": settings.PORTAL_NAME
        }

    def items(self):
        live_citations = ApprovedCitation.objects.filter(
            version__article__live=F("version")
        )
        notices = list(
            ReferenceNotice.objects.filter(
                Exists(live_citations.filter(reference=OuterRef("reference")))
            )
            .select_related("reference")
            .order_by("-first_seen_at", "-pk")[:30]
        )
        # The citing articles of all items in one query, not one per item.
        citing = {}
        for citation in live_citations.filter(
            reference__in={n.reference_id for n in notices}
        ).select_related("version__article"):
            citing.setdefault(citation.reference_id, []).append(citation.version)
        for notice in notices:
            notice.citing_versions = citing.get(notice.reference_id, [])
        return notices

    def item_title(self, item):
        return f"{item.badge}: {item.reference.title}"

    def item_link(self, item):
        return f"{item.reference.get_absolute_url()}#notice-{item.pk}"

    def item_text(self, item):
        cited_by = _("Cited by: %(titles)s.") % {
            "titles": "; ".join(version.title for version in item.citing_versions)
        }
        parts = [item.get_kind_display(), item.reason, cited_by]
        return " — ".join(part for part in parts if part)

    def item_pubdate(self, item):
        return item.first_seen_at

    def item_updateddate(self, item):
        return item.first_seen_at

    def item_tag(self, item):
        return item.first_seen_at, f"notice/{item.pk}"


class UpdatesFeed(PortalFeed):
    """Atom feed of approved versions with their change notes, newest first.

    ``?class=practice-changing`` keeps only the updates that change what
    clinicians should do.
    """

    link = reverse_lazy("portal:home")

    def get_object(self, request):
        wanted = request.GET.get("class", "")
        return wanted if wanted in ChangeClass.values else ""

    def feed_query(self, obj):
        return f"?class={obj}" if obj else ""

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

    def item_tag(self, item):
        return item.approved_at, f"approved-version/{item.pk}"
