"""Atom feeds of newly added literature: overall and per topic."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .models import Reference, Topic

FEED_LENGTH = 30


def board_name() -> str:
    """Who publishes the portal's feeds: its editorial board."""
    return str(_("%(site)s editorial board") % {"site": settings.PORTAL_NAME})


class PortalFeed(Feed):
    """An Atom feed of the portal, valid by RFC 4287 and safe in any reader.

    The editorial board is the feed's author and the author of every entry
    that names no other. Summaries are ``type="html"``: ``item_text()`` is
    plain text, escaped here once, so "< 5 mg", "AT&T" or a pasted ``<img
    onerror=…>`` reach the reader as the characters that were written.
    """

    feed_type = Atom1Feed

    def author_name(self):
        return board_name()

    def item_author_name(self, item):
        return board_name()

    def item_text(self, item) -> str:
        """The entry's summary as plain text."""
        return ""

    def item_description(self, item):
        return escape(self.item_text(item))


class LatestLiteratureFeed(PortalFeed):
    """The references most recently added to the library."""

    title = _("New literature")
    subtitle = _("References our editors have added most recently.")
    link = reverse_lazy("references:list")

    def items(self):
        return Reference.objects.visible().order_by("-created_at")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_text(self, item):
        parts = [item.source_line, item.summary]
        return " — ".join(part for part in parts if part)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_author_name(self, item):
        return item.authors_display or board_name()

    def item_pubdate(self, item):
        return getattr(item, "added_at", None) or item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class TopicLiteratureFeed(LatestLiteratureFeed):
    """References most recently listed in one topic's sections."""

    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj):
        return _("New literature: %(topic)s") % {"topic": obj.title}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        # When it was listed in this topic, not when it entered the library.
        return (
            Reference.objects.visible()
            .filter(entries__section__topic=obj)
            .annotate(added_at=Max("entries__added_at"))
            .order_by("-added_at")[:FEED_LENGTH]
        )
