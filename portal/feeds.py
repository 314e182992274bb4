from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class ApprovedArticlesFeed(Feed):
    """Atom feed of approved articles, newest approval first."""

    feed_type = Atom1Feed
    link = reverse_lazy("portal:home")
    subtitle = _("Articles newly approved by the editorial board.")

    def title(self):
        return _("%(site)s: reviewed articles") % {"site": settings.PORTAL_NAME}

    def items(self):
        return Article.objects.recently_approved()[:30]

    def item_title(self, item):
        return item.live.title

    def item_description(self, item):
        return item.live.summary

    def item_pubdate(self, item):
        return item.live.approved_at

    def item_updateddate(self, item):
        return item.live.approved_at

    def item_categories(self, item):
        return [item.live.topic.title]
