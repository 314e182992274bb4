"""The approved recommendations and the literature as FHIR R5 resources.

Following the HL7 Evidence Based Medicine on FHIR implementation guide
(EBMonFHIR):

- each reference readers may see is a ``Citation`` (its DOI and PMID as
  identifiers, title, authors, journal, date, kind and evidence level as
  classifications; a retraction as its current state, and every notice as a
  related artifact);
- each approved article is a ``Composition`` of the guide's Guideline
  profile, whose recommendations section points at one ``Composition`` of
  the Recommendation profile per recommendation or good practice statement;
- the strength of a graded recommendation and the certainty of its evidence
  are an ``ArtifactAssessment`` of the guide's RecommendationRating profile
  (GRADE, coded with the guide's recommendation justification codes), its
  certainty citing the evidence the recommendation cites;
- a topic is a ``Bundle`` (collection) of all of these.

Ids: ``Citation/<reference id>``, ``Composition/article-<id>`` and
``Composition/article-<id>-<anchor>`` (the anchor of the box on the page,
``recommendation-2``, ``good-practice-1``), ``ArtifactAssessment/`` with the
same id as its recommendation, ``Bundle/topic-<id>``. References between
resources are relative to the FHIR base (``/api/v1/fhir/``), as FHIR wants.
Only what the public pages show goes in, from the approved version.
"""

import re

from django.conf import settings
from django.urls import reverse
from lxml import etree, html

from articles import grading
from articles.models import person_name
from references.citations import stored_citation
from references.models import ReferenceNotice

FHIR_JSON = "application/fhir+json"
FHIR_VERSION = "5.0.0"

# The EBMonFHIR guide's own code system, its recommendation justification
# codes and its profiles.
EBM = "https://fevir.net/resources/CodeSystem/179423"
RJCS = "https://fevir.net/resources/CodeSystem/27834"
PROFILE = "http://hl7.org/fhir/uv/ebm/StructureDefinition/"
CLASSIFICATION_TYPE = (
    "http://terminology.hl7.org/CodeSystem/cited-artifact-classification-type"
)
ARTIFACT_STATUS = "http://terminology.hl7.org/CodeSystem/cited-artifact-status-type"
URL_CLASSIFIER = "http://terminology.hl7.org/CodeSystem/artifact-url-classifier"
DOI_SYSTEM = "https://doi.org"
PMID_SYSTEM = "https://pubmed.ncbi.nlm.nih.gov"
XHTML = "http://www.w3.org/1999/xhtml"

# GRADE's words as the guide's recommendation justification codes.
STRENGTH_CODES = {
    grading.Strength.STRONG: ("RJCS-2001", "Strong expectation"),
    grading.Strength.CONDITIONAL: ("RJCS-2002", "Weak expectation"),
}
CERTAINTY_CODES = {
    grading.Certainty.HIGH: ("RJCS-2003", "High certainty"),
    grading.Certainty.MODERATE: ("RJCS-2004", "Moderate certainty"),
    grading.Certainty.LOW: ("RJCS-2005", "Low certainty"),
    grading.Certainty.VERY_LOW: ("RJCS-2006", "Very low certainty"),
}

# How each kind of notice relates the publication to it (FHIR's
# related-artifact-type): the publication is retracted by a retraction or
# withdrawal, corrected in a correction, commented on by a concern.
NOTICE_RELATION = {
    ReferenceNotice.Kind.RETRACTION: "retracted-by",
    ReferenceNotice.Kind.WITHDRAWAL: "retracted-by",
    ReferenceNotice.Kind.CORRECTION: "correction-in",
    ReferenceNotice.Kind.CONCERN: "comment-in",
}


def ebm_code(code: str, display: str) -> dict:
    return {"coding": [{"system": EBM, "code": code, "display": display}]}


def base_url(request) -> str:
    """The FHIR base: resources are ``<base><type>/<id>``."""
    return request.build_absolute_uri(reverse("api:fhir-base"))


def full_url(request, resource: dict) -> str:
    return f"{base_url(request)}{resource['resourceType']}/{resource['id']}"


# Narrative ---------------------------------------------------------------

# FHIR narrative is XHTML limited to HTML 4's formatting elements: the
# rendered HTML's newer elements become their nearest plain equivalent and
# only these attributes stay.
RENAMED = {
    "section": "div",
    "article": "div",
    "aside": "div",
    "nav": "div",
    "header": "div",
    "footer": "div",
    "figure": "div",
    "figcaption": "p",
    "mark": "span",
    "time": "span",
}
KEPT_ATTRIBUTES = {"href", "name", "id", "class", "title", "lang", "colspan", "rowspan"}


def narrative(fragment: str, *, status: str = "additional") -> dict:
    """A FHIR Narrative from a fragment of the site's (sanitised) HTML."""
    root = etree.Element(f"{{{XHTML}}}div", nsmap={None: XHTML})
    if fragment.strip():
        container = html.fragment_fromstring(fragment, create_parent="div")
        for element in container.iter():
            if not isinstance(element.tag, str):  # comments, processing instructions
                continue
            element.tag = RENAMED.get(element.tag, element.tag)
            for name in list(element.attrib):
                if name not in KEPT_ATTRIBUTES:
                    del element.attrib[name]
        root.text = container.text
        for child in container:
            root.append(child)
        for element in root.iter():
            if isinstance(element.tag, str) and not element.tag.startswith("{"):
                element.tag = f"{{{XHTML}}}{element.tag}"
        etree.strip_elements(root, etree.Comment, with_tail=False)
    return {"status": status, "div": etree.tostring(root, encoding="unicode")}


def text_narrative(text: str) -> dict:
    """A Narrative of one paragraph of plain text."""
    paragraph = etree.Element("p")
    paragraph.text = text
    return narrative(etree.tostring(paragraph, encoding="unicode"))


# Citation ----------------------------------------------------------------


def _article_date(reference) -> str:
    if not reference.year:
        return ""
    parts = [f"{reference.year:04d}"]
    if reference.month:
        parts.append(f"{reference.month:02d}")
        if reference.day:
            parts.append(f"{reference.day:02d}")
    return "-".join(parts)


def _pages(pages: str) -> dict:
    data = {"pageString": pages}
    match = re.fullmatch(r"\s*(\w+)\s*[-–]\s*(\w+)\s*", pages)
    if match:
        data["firstPage"], data["lastPage"] = match[1], match[2]
    return data


def citation(request, reference) -> dict:
    """A reference readers may see, as a FHIR R5 ``Citation``.

    ``reference`` comes with its notices prefetched.
    """
    cited = {
        "title": [{"text": reference.title}],
        "classification": [
            {
                "type": {
                    "coding": [
                        {
                            "system": CLASSIFICATION_TYPE,
                            "code": "knowledge-artifact-type",
                            "display": "Knowledge Artifact Type",
                        }
                    ]
                },
                "classifier": [{"text": str(reference.get_kind_display())}],
            },
            {
                "type": {"text": "Evidence level"},
                "classifier": [
                    {
                        "coding": [
                            {
                                "system": request.build_absolute_uri(
                                    reverse("api:docs")
                                )
                                + "#evidence-levels",
                                "code": str(reference.evidence_level),
                            }
                        ],
                        "text": str(reference.evidence_level.label),
                    }
                ],
            },
        ],
    }
    identifiers = []
    if reference.doi:
        identifiers.append(
            {"type": {"text": "DOI"}, "system": DOI_SYSTEM, "value": reference.doi}
        )
    if reference.pmid:
        identifiers.append(
            {"type": {"text": "PMID"}, "system": PMID_SYSTEM, "value": reference.pmid}
        )
    if identifiers:
        cited["identifier"] = identifiers
    people = reference.author_list
    if people:
        cited["contributorship"] = {
            "complete": not reference.authors_incomplete,
            "entry": [{"contributor": {"display": name}} for name in people],
        }
    form = {}
    if reference.source:
        form["publishedIn"] = {"title": reference.source}
    for field in ("volume", "issue"):
        if getattr(reference, field):
            form[field] = getattr(reference, field)
    if _article_date(reference):
        form["articleDate"] = _article_date(reference)
        form["publicationDateText"] = reference.date_display
    if reference.pages:
        form.update(_pages(reference.pages))
    if form:
        cited["publicationForm"] = [form]
    locations = []
    if reference.web_url and not reference.is_expired:
        locations.append(
            {
                "classifier": [
                    {"coding": [{"system": URL_CLASSIFIER, "code": "webpage"}]}
                ],
                "url": reference.web_url,
            }
        )
    if reference.doi_url:
        locations.append(
            {
                "classifier": [
                    {"coding": [{"system": URL_CLASSIFIER, "code": "doi-based"}]}
                ],
                "url": reference.doi_url,
            }
        )
    if locations:
        cited["webLocation"] = locations
    notices = list(reference.notices.all())
    retraction = next((n for n in notices if n.kind in ReferenceNotice.RETRACTED), None)
    if retraction is not None:
        state = {
            "coding": [
                {
                    "system": ARTIFACT_STATUS,
                    "code": "retracted",
                    "display": "Retracted",
                }
            ],
            "text": retraction.badge,
        }
        cited["currentState"] = [state]
        if retraction.date:
            cited["statusDate"] = [
                {"activity": state, "period": {"start": retraction.date.isoformat()}}
            ]
    if notices:
        cited["relatesTo"] = [_notice(notice) for notice in notices]
    resource = {
        "resourceType": "Citation",
        "id": str(reference.pk),
        "url": f"{base_url(request)}Citation/{reference.pk}",
        "status": "active",
        "title": reference.title,
        "date": reference.updated_at.isoformat(),
        "publisher": settings.PORTAL_NAME,
        "summary": [
            {
                "style": {"text": style},
                "text": str(stored_citation(reference, key)),
            }
            for key, style in (("vancouver", "Vancouver"), ("ama", "AMA"))
        ],
        "citedArtifact": cited,
    }
    if reference.summary:
        resource["description"] = reference.summary
    return resource


def _notice(notice) -> dict:
    related = {
        "type": NOTICE_RELATION[notice.kind],
        "classifier": [{"text": str(notice.get_kind_display())}],
        "label": str(notice.get_kind_display()),
        "display": notice.badge,
    }
    if notice.reason:
        related["citation"] = notice.reason
    if notice.link:
        related["document"] = {"url": notice.link}
    return related


# Guideline, recommendations, ratings ---------------------------------------


def _reference(resource_type: str, id_: str, display: str = "") -> dict:
    data = {"reference": f"{resource_type}/{id_}", "type": resource_type}
    if display:
        data["display"] = display
    return data


def article_id(article) -> str:
    return f"article-{article.pk}"


def recommendation_id(article, item) -> str:
    return f"{article_id(article)}-{item['anchor']}"


def _heading(item) -> str:
    return str(grading.HEADINGS[item["kind"]]) % {"number": item["number"]}


def _authors(authors) -> list:
    names = [{"display": person_name(user)} for user in authors]
    return names or [{"display": settings.PORTAL_NAME}]


def _dates(version) -> list:
    # When the board approved the text, and so last reviewed it.
    day = version.approved_at.date().isoformat()
    return [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/artifact-approvalDate",
            "valueDate": day,
        },
        {
            "url": "http://hl7.org/fhir/StructureDefinition/artifact-lastReviewDate",
            "valueDate": day,
        },
    ]


def _citation_entry(citation) -> dict:
    """A cited reference: a link to its Citation if readers may see it."""
    display = f"[{citation.number}] {citation.reference.title}"
    if not citation.reference.is_in_inbox:
        return _reference("Citation", str(citation.reference_id), display)
    return {"display": display}


def guideline(request, *, article, citations, authors, approvers) -> dict:
    """An approved article as a Composition of the guide's Guideline profile."""
    version = article.live
    page = request.build_absolute_uri(article.get_absolute_url())
    sections = []
    if version.summary:
        sections.append(
            {
                "title": "Summary",
                "code": ebm_code("summary", "Summary"),
                "text": text_narrative(version.summary),
            }
        )
    if version.recommendations:
        items = "".join(
            f"<li>{_escape(_heading(item))}: {_escape(item['text'])}</li>"
            for item in version.recommendations
        )
        sections.append(
            {
                "title": "Recommendations",
                "code": ebm_code("recommendations", "Recommendations"),
                "text": narrative(f"<ol>{items}</ol>"),
                "entry": [
                    _reference(
                        "Composition",
                        recommendation_id(article, item),
                        _heading(item),
                    )
                    for item in version.recommendations
                ],
            }
        )
    sections.append(
        {
            "title": "Text for clinicians",
            "code": {"text": "clinical-text"},
            "text": narrative(version.body_html),
        }
    )
    if version.plain_body_html:
        plain = {
            "title": "Text for patients and caregivers",
            "code": {"text": "plain-language-text"},
            "text": narrative(version.plain_body_html),
        }
        sections.append(plain)
    if citations:
        sections.append(
            {
                "title": "References",
                "code": ebm_code("references", "References"),
                "entry": [_citation_entry(citation) for citation in citations],
            }
        )
    resource = {
        "resourceType": "Composition",
        "id": article_id(article),
        "meta": {"profile": [f"{PROFILE}guideline"]},
        "extension": _dates(version),
        "url": f"{base_url(request)}Composition/{article_id(article)}",
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": page}],
        "version": str(version.number),
        "status": "final",
        "type": ebm_code("Guideline", "Guideline"),
        "subject": [{"display": version.topic.title}],
        "date": version.approved_at.isoformat(),
        "author": _authors(authors),
        "title": version.title,
        "attester": [
            {
                "mode": {
                    "coding": [
                        {
                            "system": "http://hl7.org/fhir/composition-attestation-mode",
                            "code": "official",
                            "display": "Official",
                        }
                    ]
                },
                "time": version.approved_at.isoformat(),
                "party": {"display": person_name(user)},
            }
            for user in approvers
        ],
        "custodian": {"display": settings.PORTAL_NAME},
        "relatesTo": [
            {
                "type": "documentation",
                "label": "Public page",
                "document": {"url": page, "contentType": "text/html"},
            }
        ],
        "section": sections,
    }
    if not resource["attester"]:
        del resource["attester"]
    return resource


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _grade(item) -> str:
    if not item["strength"]:
        return grading.wording(grading.Kind.GOOD_PRACTICE)
    return f"{grading.wording(item['strength'])}; {grading.wording(item['certainty'])}"


def recommendation(request, *, article, item, cited, authors) -> dict:
    """One recommendation box as a Composition of the Recommendation profile.

    ``cited`` are the article's citations the box cites.
    """
    version = article.live
    id_ = recommendation_id(article, item)
    page = request.build_absolute_uri(article.get_absolute_url()) + f"#{item['anchor']}"
    ratings = {
        "title": "Ratings",
        "code": ebm_code("ratings", "Ratings"),
        "text": text_narrative(_grade(item)),
    }
    if item["strength"]:
        ratings["entry"] = [
            _reference("ArtifactAssessment", id_, f"Rating of {_heading(item)}")
        ]
    sections = [
        {
            "title": "Recommendation Statement",
            "code": ebm_code("recommendation-statement", "Recommendation Statement"),
            "text": text_narrative(item["text"]),
        },
        ratings,
    ]
    if cited:
        sections.append(
            {
                "title": "Evidence",
                "code": ebm_code("evidence", "Evidence"),
                "entry": [_citation_entry(citation) for citation in cited],
            }
        )
    return {
        "resourceType": "Composition",
        "id": id_,
        "meta": {"profile": [f"{PROFILE}recommendation"]},
        "extension": _dates(version),
        "url": f"{base_url(request)}Composition/{id_}",
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": page}],
        "version": str(version.number),
        "status": "final",
        "type": ebm_code("Recommendation", "Recommendation"),
        "date": version.approved_at.isoformat(),
        "author": _authors(authors),
        "title": f"{_heading(item)}: {version.title}",
        "relatesTo": [
            {
                "type": "part-of",
                "resourceReference": _reference(
                    "Composition", article_id(article), version.title
                ),
            }
        ],
        "section": sections,
    }


def rating(request, *, article, item, cited) -> dict:
    """A graded recommendation's strength and certainty: an ArtifactAssessment
    of the RecommendationRating profile, its certainty citing the evidence."""
    version = article.live
    id_ = recommendation_id(article, item)
    strength_code, strength_display = STRENGTH_CODES[item["strength"]]
    certainty_code, certainty_display = CERTAINTY_CODES[item["certainty"]]
    certainty = {
        "type": ebm_code("certainty-of-evidence", "Certainty of Evidence"),
        "classifier": [
            {
                "coding": [
                    {
                        "system": RJCS,
                        "code": certainty_code,
                        "display": certainty_display,
                    }
                ],
                "text": grading.wording(item["certainty"]),
            }
        ],
        "freeToShare": True,
    }
    evidence = [
        {
            "type": "cites",
            "display": f"[{citation.number}] {citation.reference.title}",
            **(
                {
                    "resourceReference": _reference(
                        "Citation", str(citation.reference_id)
                    )
                }
                if not citation.reference.is_in_inbox
                else {}
            ),
        }
        for citation in cited
    ]
    if evidence:
        certainty["relatedArtifact"] = evidence
    return {
        "resourceType": "ArtifactAssessment",
        "id": id_,
        "meta": {"profile": [f"{PROFILE}recommendation-rating"]},
        "title": f"Rating of {_heading(item)}: {version.title}",
        "date": version.approved_at.isoformat(),
        "approvalDate": version.approved_at.date().isoformat(),
        "lastReviewDate": version.approved_at.date().isoformat(),
        "artifactReference": _reference("Composition", id_, _heading(item)),
        "content": [
            {
                "type": ebm_code("rating-system", "Rating System"),
                "classifier": [{"text": "GRADE"}],
                "freeToShare": True,
            },
            {
                "type": ebm_code(
                    "strength-of-recommendation", "Strength of Recommendation"
                ),
                "classifier": [
                    {
                        "coding": [
                            {
                                "system": RJCS,
                                "code": strength_code,
                                "display": strength_display,
                            }
                        ],
                        "text": grading.wording(item["strength"]),
                    }
                ],
                "freeToShare": True,
            },
            certainty,
        ],
        "workflowStatus": "applied",
    }


# Capability ----------------------------------------------------------------


def capability_statement(request, *, date: str) -> dict:
    """What this read-only FHIR server offers."""
    read = [{"code": "read"}]
    return {
        "resourceType": "CapabilityStatement",
        "id": "portal",
        "url": f"{base_url(request)}metadata",
        "name": "PortalOpenEvidence",
        "title": f"{settings.PORTAL_NAME}: open evidence",
        "status": "active",
        "date": date,
        "publisher": settings.PORTAL_NAME,
        "description": (
            "Reviewed recommendations as EBMonFHIR Guideline and Recommendation "
            "compositions with their ratings, and curated literature as "
            "Citations, read-only."
        ),
        "kind": "instance",
        "implementation": {
            "description": settings.PORTAL_NAME,
            "url": base_url(request),
        },
        "fhirVersion": FHIR_VERSION,
        "format": [FHIR_JSON, "json"],
        "implementationGuide": [
            "http://hl7.org/fhir/uv/ebm/ImplementationGuide/hl7.fhir.uv.ebm"
        ],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Read each resource by its id; a topic's Bundle holds all."
                ),
                "resource": [
                    {"type": "Citation", "interaction": read},
                    {
                        "type": "Composition",
                        "supportedProfile": [
                            f"{PROFILE}guideline",
                            f"{PROFILE}recommendation",
                        ],
                        "interaction": read,
                    },
                    {
                        "type": "ArtifactAssessment",
                        "supportedProfile": [f"{PROFILE}recommendation-rating"],
                        "interaction": read,
                    },
                    {"type": "Bundle", "interaction": read},
                ],
            }
        ],
    }
