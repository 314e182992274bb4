"""Atom feeds of newly added literature: overall and per topic; and the
Atom conventions every feed of the portal keeps (``PortalFeed``)."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .models import Entry, Reference, Topic

FEED_LENGTH = 30
# The <updated> of a feed with no entries: a fixed instant, so that the feed
# reads the same on every request (readers and caches compare it) instead of
# seeming new each time.
EMPTY_FEED_UPDATED = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)


def board_name() -> str:
    """Who publishes the portal's feeds: its editorial board."""
    return str(_("%(site)s editorial board") % {"site": settings.PORTAL_NAME})


def site_url(path: str) -> str:
    """``path`` on the site's own address (``PORTAL_SITE_URL``), whichever
    host a request named."""
    return f"{settings.PORTAL_SITE_URL}{path}"


def tag_uri(created: datetime.datetime | datetime.date, specific: str) -> str:
    """A tag URI (RFC 4151) naming one thing of the site for good:
    ``tag:myositis.example.org,2024-05-01:reference/12``.

    Made of the site's host name (``PORTAL_SITE_URL``), the day the thing was
    created and its kind and number: unlike an address, it outlives a new
    slug or title, and whichever host name a request used.
    """
    host = urlsplit(settings.PORTAL_SITE_URL).hostname or "localhost"
    return f"tag:{host},{created:%Y-%m-%d}:{specific}"


class PortalAtom1Feed(Atom1Feed):
    """Atom with one ``<author>`` per author of an entry (``authors``) and an
    ``<updated>`` that does not change while the feed has no entries."""

    def latest_post_date(self):
        dates = [
            date
            for item in self.items
            for date in (item.get("updateddate"), item.get("pubdate"))
            if date
        ]
        return max(dates, default=EMPTY_FEED_UPDATED)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item.get("authors") or ():
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


class PortalFeed(Feed):
    """An Atom feed of the portal, valid by RFC 4287 and safe in any reader.

    The editorial board is the feed's author and the author of every entry
    that names no other; an entry with authors has one ``<author>`` each.
    Every feed has an ``<id>`` of its own: its address on ``PORTAL_SITE_URL``
    with the query that makes it another feed (``feed_query``). An entry's
    ``<id>`` is a tag URI of what it is about (``item_tag``), never an
    address built from the request's Host header.

    Summaries are ``type="html"``: ``item_text()`` is plain text, escaped
    here once, so "< 5 mg", "AT&T" or a pasted ``<img onerror=…>`` reach the
    reader as the characters that were written.
    """

    feed_type = PortalAtom1Feed

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        address = request.path + self.feed_query(obj)
        feed.feed["id"] = site_url(address)
        feed.feed["feed_url"] = request.build_absolute_uri(address)
        return feed

    def feed_query(self, obj) -> str:
        """The query string ("?class=...") that makes this another feed."""
        return ""

    def author_name(self):
        return board_name()

    def item_authors(self, item) -> list[str]:
        """The names of the entry's authors, each an ``<author>`` of its own."""
        return [board_name()]

    def item_extra_kwargs(self, item):
        return {"authors": self.item_authors(item)}

    def item_tag(self, item) -> tuple:
        """(when the item was created, "kind/number"): its tag URI's parts."""
        return item.created_at, f"{item._meta.model_name}/{item.pk}"

    def item_guid(self, item):
        return tag_uri(*self.item_tag(item))

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

    def item_authors(self, item):
        # People and groups, one each; "et al." is no author.
        return item.author_list or [board_name()]

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
        """The topic's newest entries' references, each once, newest first.

        When it was listed in this topic, not when it entered the library:
        the newest FEED_LENGTH entries of each section are read and walked
        newest first until FEED_LENGTH references are found, rather than
        grouping every entry of the topic for a ``Max`` on each request.
        """
        # Each section's newest entries by the index on (section, added_at),
        # in one query: ordering the whole topic's entries would sort them all.
        entries = (
            Entry.objects.first_in_each(
                obj.sections.all(), "-added_at", limit=FEED_LENGTH
            )
            .select_related("reference")
            .order_by("-added_at", "-pk")
        )
        references = {}
        for entry in entries:
            if entry.reference_id not in references:
                entry.reference.added_at = entry.added_at
                references[entry.reference_id] = entry.reference
                if len(references) == FEED_LENGTH:
                    break
        return list(references.values())
