"""The citation picker: find a reference to cite while writing an article.

Editors search the library by author, title, year, DOI, PMID or citation key
and get each reference's key to cite it as ``[@key]`` (the article form's
script inserts it at the cursor; without script the results page shows the
keys to copy). Every way in is indexed:

- a DOI or PMID, pasted as such or as a doi.org or PubMed address: the
  unique identifier columns (``Reference.objects.with_identifier``);
- a key, with or without its "@": the key's own index, exactly, then keys
  starting with it (``with_key``, ``with_key_starting``);
- words (authors, title, journal, year): the site's full-text search over
  the references it indexes (``portal.search``), best first.

References waiting in a curation inbox are not in the search index (readers
never find them there), yet an article may cite one; they are found among
the inbox's own rows, a bounded set, and marked as waiting.
"""

import re
from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.views.generic import TemplateView

from articles.rendering.syntax import KEY
from articles.roles import EDITORS, has_role
from references import identifiers
from references.models import Reference

from .models import SearchDocument
from .search import search

# Results shown for one search: enough to choose from, few enough to read.
LIMIT = 20
# Longer text is cut: nobody types a search that long, and the engines
# should not be asked to.
MAX_QUERY = 200
KEY_RE = re.compile(rf"@?({KEY})")
WORD_RE = re.compile(r"\w+")
# Words of a search among the inbox's rows (each must match).
MAX_INBOX_WORDS = 6


@dataclass(frozen=True)
class Found:
    """A reference found for citing, and whether it waits in an inbox."""

    reference: Reference

    @property
    def in_inbox(self) -> bool:
        return self.reference.is_in_inbox

    def as_json(self) -> dict:
        reference = self.reference
        return {
            "key": reference.citation_key,
            "title": reference.title,
            "authors": reference.authors_display,
            "year": reference.year,
            "source": reference.source,
            "inbox": self.in_inbox,
            "url": reference.get_absolute_url(),
        }


def find_references(text: str, *, limit: int = LIMIT) -> list[Found]:
    """References matching ``text``, the surest first: identifiers, the
    exact key, keys starting with it, full-text matches, then references
    waiting in an inbox. Each appears once; at most ``limit``."""
    text = " ".join(text.split())[:MAX_QUERY]
    if not text:
        return []
    found: dict[int, Reference] = {}

    def take(references):
        for reference in references:
            if len(found) >= limit:
                return
            found.setdefault(reference.pk, reference)

    base = Reference.objects.select_related("inbox_topic")
    try:
        name, value = identifiers.parse_identifier(text)
    except ValidationError:
        pass
    else:
        take(base.with_identifier(**{name: value}))
    key = KEY_RE.fullmatch(text)
    if key:
        take(base.with_key(key[1]))
        take(base.with_key_starting(key[1]).order_by("citation_key")[:limit])
    if len(found) < limit:
        take(_full_text(text, limit - len(found), base))
    if len(found) < limit:
        take(_in_inboxes(text, base)[: limit - len(found)])
    return [Found(reference) for reference in found.values()]


def _full_text(text, limit, base):
    """The references the site's search finds for ``text``, best first."""
    documents = SearchDocument.objects.filter(kind__in=Reference.Kind.values)
    hits = search(text, documents)[:limit]
    ids = [hit.document.reference_id for hit in hits]
    by_id = base.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _in_inboxes(text, base):
    """References waiting in an inbox whose title, authors, key or year hold
    every word of ``text``: the inbox's rows, not the library's."""
    words = WORD_RE.findall(text)[:MAX_INBOX_WORDS]
    if not words:
        return base.none()
    condition = Q()
    for word in words:
        either = (
            Q(title__icontains=word)
            | Q(authors__icontains=word)
            | Q(citation_key__icontains=word)
        )
        if word.isdigit() and len(word) == 4:
            either |= Q(year=int(word))
        condition &= either
    return base.in_inbox().filter(condition).order_by("-created_at", "-pk")


class CitationPickerView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """``/editorial/cite/?q=``: the picker's search, as a page (keys to
    copy) or, with ``format=json``, for the article form's script."""

    template_name = "portal/citation_picker.html"

    def has_permission(self):
        # Those who write articles cite in them.
        return has_role(self.request.user, EDITORS)

    def get(self, request, *args, **kwargs):
        query = request.GET.get("q", "")
        results = find_references(query)
        if request.GET.get("format") == "json":
            return JsonResponse(
                {"query": query, "results": [found.as_json() for found in results]}
            )
        return self.render_to_response(
            self.get_context_data(query=query, results=results)
        )
