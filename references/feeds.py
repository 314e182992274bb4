"""Atom feeds of newly added literature: overall and per topic."""

from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .models import Reference, Topic

FEED_LENGTH = 30


class LatestLiteratureFeed(Feed):
    """The references most recently added to the library."""

    feed_type = Atom1Feed
    title = _("New literature")
    subtitle = _("References our editors have added most recently.")
    link = reverse_lazy("references:list")

    def items(self):
        return Reference.objects.visible().order_by("-created_at")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom summaries are HTML; the text is ours to escape.
        parts = [item.source_line, item.summary]
        return escape(" — ".join(part for part in parts if part))

    def item_link(self, item):
        return item.get_absolute_url()

    def item_author_name(self, item):
        return item.authors_display or None

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
