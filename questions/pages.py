"""What the reader and the editors are shown of the page a question was
asked from: its title, found once when the question is asked.

Only the pages that offer "Ask our editors" are named (an article, a topic,
a search); any other local address keeps no title and is shown as it is.
The title comes from the database, never from the request, so a crafted
link cannot put words of its own on the form.
"""

from urllib.parse import parse_qs, urlsplit

from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from articles.models import Article
from references.models import Topic

# A search's words shown at most this long.
QUERY_SHOWN = 80


def title_of(page: str) -> str:
    """The title of the local page ``page`` (a path with its query), or ''."""
    parts = urlsplit(page)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ""
    if match.view_name == "portal:topic":
        topic = Topic.objects.filter(slug=match.kwargs["slug"]).first()
        return topic.title if topic else ""
    if match.view_name == "articles:detail":
        article = Article.objects.for_public().published_at(match.kwargs["slug"])
        article = article.first()
        return article.live.title if article else ""
    if match.view_name == "portal:search":
        words = " ".join(parse_qs(parts.query).get("q", [""])[0].split())
        if not words:
            return ""
        if len(words) > QUERY_SHOWN:
            words = words[: QUERY_SHOWN - 1] + "…"
        return _("Search for “%(words)s”") % {"words": words}
    return ""
