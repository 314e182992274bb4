"""Parts of public pages rendered once per public change, then reused.

``{% public_fragment "name" part ... %}...{% endpublic_fragment %}`` keeps the
rendered block in this worker's memory (the page cache's store) under the page
cache's generation (see ``portal.page_cache``): any change to what public pages
show starts a new generation, so a stored fragment is never older than the
data it shows. It serves those the page cache cannot: signed-in editors,
readers with a query string, and the first reader after a change of another
page.

A fragment may show public data and what its parts name, nothing else: never
the user, a session, a CSRF token or a message. Besides its parts, its key
holds what any public block may depend on without saying so: the language,
the site's address (blocks show absolute links) and today's date (an overdue
review, a declaration of interests falling due, the "accessed" date of a
citation). A part that is None means "not public yet" (a draft shown pending
review, which changes without a new generation): the block is then rendered
every time.
"""

import hashlib

from django import template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from .. import page_cache

register = template.Library()

# Fragments last as long as a generation at most; this bounds the memory
# that one generation's fragments keep when nothing changes for a long time.
FRAGMENT_SECONDS = 24 * 60 * 60
SCOPE = "public_fragment_scope"


class PublicFragmentNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        # Read once per template rendering: a page holds several fragments,
        # some of them in loops.
        if SCOPE not in context.render_context:
            context.render_context[SCOPE] = _page_scope(context)
        scope = context.render_context[SCOPE]
        values = [part.resolve(context) for part in self.parts]
        # Nothing to share: the shared cache is down, or the content is not public.
        if scope is None or any(value is None for value in values):
            return self.nodelist.render(context)
        generation, prefix = scope
        digest = hashlib.sha256(
            "\n".join([prefix, *(str(value) for value in values)]).encode()
        ).hexdigest()
        key = f"public-fragments:{generation}:{digest}"
        html = page_cache.page_store.get(key)
        if html is None:
            html = self.nodelist.render(context)
            page_cache.page_store.set(key, str(html), timeout=FRAGMENT_SECONDS)
        # Rendered by the template engine, which escaped what needed it.
        return mark_safe(html)


def _page_scope(context):
    """(generation, what every fragment's key holds), or None without a cache."""
    generation = page_cache.current_generation()
    if generation is None:
        return None
    request = context.get("request")
    site = f"{request.scheme}://{request.get_host()}" if request else ""
    language = translation.get_language() or ""
    return generation, f"{language}\n{site}\n{timezone.localdate().isoformat()}"


@register.tag
def public_fragment(parser, token):
    """``{% public_fragment "article-references" version.pk %}``: see module."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(
            f"{bits[0]} needs a name and the values that identify the fragment."
        )
    nodelist = parser.parse(("endpublic_fragment",))
    parser.delete_first_token()
    return PublicFragmentNode(nodelist, [parser.compile_filter(b) for b in bits[1:]])
