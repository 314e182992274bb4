"""schema.org JSON-LD for article and reference pages.

The data is built here as plain dicts and written into the page by
``jsonld_script()``, which escapes it the way ``json_script`` does, so no text
from the content can close the script element.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import grading

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
        "guidelineSubject": condition,
    }
    if item["strength"]:
        data["recommendationStrength"] = grading.wording(item["strength"])
        data["evidenceLevel"] = grading.SCHEMA_EVIDENCE_LEVEL[item["certainty"]]
        data["evidenceOrigin"] = grading.wording(item["certainty"])
    return data


def article_data(*, article, version, plain, url) -> dict:
    """MedicalWebPage for an approved version, as this reader sees it.

    Its graded recommendations are ``MedicalGuidelineRecommendation`` items
    with their strength and evidence level.
    """
    audience = Audience.PATIENT if plain else Audience.CLINICIAN
    condition = {"@type": "MedicalCondition", "name": version.topic.title}
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": url,
        "name": version.title,
        "headline": version.title,
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
        "about": condition,
    }
    if version.recommendations:
        data["mentions"] = [
            _recommendation(item, condition=condition, url=url)
            for item in version.recommendations
        ]
    return data


def reference_data(*, reference, url) -> dict:
    """ScholarlyArticle for a reference in the library."""
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "url": url,
        "headline": reference.title[:110],
        "name": reference.title,
        "author": [{"@type": "Person", "name": name} for name in reference.author_list],
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
    same_as = [u for u in (reference.doi_url, reference.pubmed_url) if u]
    if same_as:
        data["sameAs"] = same_as
    if reference.doi:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": reference.doi,
        }
    return data
