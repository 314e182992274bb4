"""schema.org JSON-LD for article and reference pages.

The data is built here as plain dicts and written into the page by
``jsonld_script()``, which escapes it the way ``json_script`` does, so no text
from the content can close the script element.
"""

import json
import re

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import grading
from references.formats import is_group

from .audience import Audience

# The same escapes as django.utils.html.json_script.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
AUDIENCE_TYPES = {Audience.PATIENT: "Patient", Audience.CLINICIAN: "Clinician"}


def jsonld_script(data) -> str:
    """A ``<script type="application/ld+json">`` element holding ``data``."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_ESCAPES)),
    )


# The conditions the portal writes about, as schema.org MedicalConditions.
# An article is "about" those its title or summary names (a topic's title is
# a heading, not a condition: "Treatment of dermatomyositis and ...").
CONDITIONS = {
    "polymyositis": {"name": "Polymyositis", "alternateName": "PM"},
    "dermatomyositis": {"name": "Dermatomyositis", "alternateName": "DM"},
    "inclusion body myositis": {"name": "Inclusion body myositis"},
    "necrotising myopathy": {"name": "Immune-mediated necrotising myopathy"},
    "antisynthetase syndrome": {"name": "Antisynthetase syndrome"},
}
# Google shows at most this many characters of a headline.
HEADLINE_CHARS = 110


def headline(title: str) -> str:
    """``title`` shortened to HEADLINE_CHARS at a word boundary, with "…"."""
    title = " ".join(title.split())
    if len(title) <= HEADLINE_CHARS:
        return title
    cut = title[: HEADLINE_CHARS - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–") + "…"


def conditions(*texts: str) -> list[dict]:
    """The MedicalConditions named in ``texts``, in CONDITIONS order."""
    text = " ".join(texts).lower()
    return [
        {"@type": "MedicalCondition", **condition}
        for words, condition in CONDITIONS.items()
        if re.search(rf"\b{re.escape(words)}\b", text)
    ]


def author_data(name: str) -> dict:
    """A Person, or an Organization for a group author ("RIM Study Group")."""
    return {"@type": "Organization" if is_group(name) else "Person", "name": name}


def _publisher():
    return {"@type": "Organization", "name": settings.PORTAL_NAME}


def _reviewer(version):
    user = version.approved_by
    name = user.get_full_name() if user else ""
    if name:
        return {"@type": "Person", "name": name}
    return {"@type": "Organization", "name": f"{settings.PORTAL_NAME} Editorial Board"}


def _recommendation(item, *, condition, url) -> dict:
    # One recommendation box, as rendering stored it.
    data = {
        "@type": "MedicalGuidelineRecommendation",
        "name": str(grading.HEADINGS[item["kind"]]) % {"number": item["number"]},
        "description": item["text"],
        "url": f"{url}#{item['anchor']}",
    }
    if condition:
        data["guidelineSubject"] = condition
    if item["strength"]:
        data["recommendationStrength"] = grading.wording(item["strength"])
        data["evidenceLevel"] = grading.SCHEMA_EVIDENCE_LEVEL[item["certainty"]]
        data["evidenceOrigin"] = grading.wording(item["certainty"])
    return data


def identifiers_data(reference) -> dict:
    """``sameAs`` (doi.org and PubMed pages) and ``identifier`` (DOI, PMID,
    trial registration) of a reference: the identifiers its reference list
    entry links to."""
    data = {}
    same_as = [u for u in (reference.doi_url, reference.pubmed_url) if u]
    if same_as:
        data["sameAs"] = same_as
    found = [
        {"@type": "PropertyValue", "propertyID": name, "value": value}
        for name, value in (
            ("DOI", reference.doi),
            ("PMID", reference.pmid),
            ("Trial registration", reference.trial_registration),
        )
        if value
    ]
    if found:
        data["identifier"] = found[0] if len(found) == 1 else found
    return data


def citation_data(reference) -> dict:
    """A cited reference as the article's ``citation`` lists it."""
    data = {"@type": "CreativeWork", "name": reference.title}
    if reference.best_url:
        data["url"] = reference.best_url
    data.update(identifiers_data(reference))
    return data


def article_data(*, article, version, plain, url, citations=()) -> dict:
    """MedicalWebPage for an approved version, as this reader sees it.

    Its graded recommendations are ``MedicalGuidelineRecommendation`` items
    with their strength and evidence level; ``citations`` (the version's, in
    order) are its ``citation`` list, with the identifiers the page links.
    """
    audience = Audience.PATIENT if plain else Audience.CLINICIAN
    about = conditions(version.title, version.summary)
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": url,
        "name": version.title,
        "headline": headline(version.title),
        "description": (plain and version.plain_summary) or version.summary,
        "inLanguage": "en",
        "datePublished": version.approved_at.date(),
        "dateModified": version.approved_at,
        "lastReviewed": version.approved_at.date(),
        "reviewedBy": _reviewer(version),
        "publisher": _publisher(),
        "audience": {
            "@type": "MedicalAudience",
            "audienceType": AUDIENCE_TYPES[audience],
        },
    }
    if about:
        data["about"] = about
    if version.recommendations:
        data["mentions"] = [
            _recommendation(item, condition=about, url=url)
            for item in version.recommendations
        ]
    if citations:
        data["citation"] = [citation_data(c.reference) for c in citations]
    return data


def reference_data(*, reference, url) -> dict:
    """ScholarlyArticle for a reference in the library."""
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "url": url,
        "headline": headline(reference.title),
        "name": reference.title,
        # People and groups; an incomplete list has no "et al." author.
        "author": [author_data(name) for name in reference.author_list],
        "genre": reference.get_kind_display(),
    }
    if reference.summary:
        data["abstract"] = reference.summary
    if reference.year:
        data["datePublished"] = "-".join(
            f"{part:02d}"
            for part in (reference.year, reference.month, reference.day)
            if part
        )
    if reference.source:
        data["isPartOf"] = {"@type": "Periodical", "name": reference.source}
    data.update(identifiers_data(reference))
    return data


def topic_data(*, topic, url, overview, overview_url, entries) -> dict:
    """CollectionPage for a topic: its reviewed overview and its literature.

    ``entries`` are (reference, absolute url) pairs in the page's order.
    """
    data = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "url": url,
        "name": topic.title,
        "inLanguage": "en",
        "publisher": _publisher(),
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": len(entries),
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": item_url,
                    "name": reference.title,
                }
                for position, (reference, item_url) in enumerate(entries, start=1)
            ],
        },
    }
    if topic.summary:
        data["description"] = topic.summary
    about = conditions(topic.title, topic.summary)
    if about:
        data["about"] = about
    if overview is not None:
        data["hasPart"] = {
            "@type": "MedicalWebPage",
            "url": overview_url,
            "name": overview.live.title,
            "lastReviewed": overview.live.approved_at.date(),
        }
    return data
