"""Template tags for the reader's view of an article or reference page.

They are thin: each calls the one function in ``portal`` that holds the rule
(audience, trust, citing, structured data) with what the page already has.
"""

from django import template

from .. import audience, citing, structured_data, trust

register = template.Library()


@register.simple_tag(takes_context=True)
def article_text(context, version):
    """The clinical or plain-language text of ``version`` for this reader."""
    return audience.article_text(context["request"], version)


@register.simple_tag
def preview_texts(article):
    """Both texts of an unsaved article, for the editors' preview."""
    return audience.preview_texts(article)


@register.simple_tag(takes_context=True)
def reader_choice(context, version):
    """What of this reader an article page shows (``audience.reader_choice``)."""
    return audience.reader_choice(context["request"], version)


@register.simple_tag
def trust_facts(version, citations):
    """Freshness facts: is the review overdue, and the newest cited reference."""
    return {
        "overdue": version.is_overdue(),
        "newest_reference": trust.newest_reference(c.reference for c in citations),
    }


@register.simple_tag(takes_context=True)
def cite_article(context, article, version):
    """AMA and Vancouver citations of the article's page."""
    return citing.cite_page(
        title=version.title,
        url=context["request"].build_absolute_uri(article.get_absolute_url()),
        updated=version.approved_at.date(),
    )


@register.simple_tag(takes_context=True)
def article_jsonld(context, article, version, citations=()):
    request = context["request"]
    return structured_data.jsonld_script(
        structured_data.article_data(
            article=article,
            version=version,
            plain=audience.shows_plain(request, version),
            url=request.build_absolute_uri(article.get_absolute_url()),
            citations=citations,
        )
    )


@register.simple_tag(takes_context=True)
def reference_jsonld(context, reference):
    url = context["request"].build_absolute_uri(reference.get_absolute_url())
    return structured_data.jsonld_script(
        structured_data.reference_data(reference=reference, url=url)
    )


@register.simple_tag(takes_context=True)
def topic_jsonld(context, topic, overview, sections):
    """CollectionPage JSON-LD for a topic page: what the page lists, in order."""
    request = context["request"]
    entries = [
        (
            entry.reference,
            request.build_absolute_uri(entry.reference.get_absolute_url()),
        )
        for section in sections
        for entry in section.first_entries
    ]
    return structured_data.jsonld_script(
        structured_data.topic_data(
            topic=topic,
            url=request.build_absolute_uri(topic.get_absolute_url()),
            overview=overview,
            overview_url=(
                request.build_absolute_uri(overview.get_absolute_url())
                if overview
                else None
            ),
            entries=entries,
        )
    )
