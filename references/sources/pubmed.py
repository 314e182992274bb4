"""NCBI E-utilities for PubMed: records by PMID, and the PMID of a DOI.

``efetch.fcgi?db=pubmed&retmode=xml&id=...`` returns a ``PubmedArticleSet``
(up to 200 ids a request); each ``PubmedArticle`` carries the citation, the
publication types ("Retracted Publication"...), the abstract and the
``CommentsCorrectionsList`` (``RetractionIn``, ``ErratumIn``...).
``esearch.fcgi`` with ``term=<doi>[doi]`` finds the PMID of a DOI; with a
saved search's query, a date window (``datetype=edat``: when PubMed added the
record) and ``usehistory=y`` it leaves the whole result on NCBI's history
server, from which ``efetch`` reads it 200 at a time (``WebEnv``,
``query_key``, ``retstart``). NCBI allows 3 requests a second without an API
key and 10 with one.
"""

import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

from .. import identifiers
from ..formats import Record, clean_text, keyword_list, parse_date
from ..kinds import kind_from_publication_types
from ..models import ReferenceNotice
from . import http
from .works import FoundNotice, Work, date_from_parts

SERVICE = "PubMed"
BATCH = 200
# DOIs per esearch request ("a[doi] OR b[doi] ..."): the query string stays short.
DOI_SEARCH_BATCH = 50
# CommentsCorrections types that are notices about the article carrying them.
NOTICE_REFTYPES = {
    "RetractionIn": ReferenceNotice.Kind.RETRACTION,
    "PartialRetractionIn": ReferenceNotice.Kind.RETRACTION,
    "ExpressionOfConcernIn": ReferenceNotice.Kind.CONCERN,
    "ErratumIn": ReferenceNotice.Kind.CORRECTION,
    "CorrectedandRepublishedIn": ReferenceNotice.Kind.CORRECTION,
}
RETRACTED_TYPE = "retracted publication"
# "Lancet. 2020 Jun 13;395(10240):1820": the date follows the journal.
REFSOURCE_DATE_RE = re.compile(r"\.\s+(\d{4}(?:\s+[A-Za-z]{3})?(?:\s+\d{1,2})?)")
# The XML is data: no network, no entities expanded, no huge trees.
PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
)
_LIMITERS = {}


def limiter() -> http.RateLimiter:
    """The process's limiter for NCBI: 10 a second with an API key, else 3."""
    rate = 10 if settings.NCBI_API_KEY else 3
    return _LIMITERS.setdefault(rate, http.RateLimiter(per_second=rate))


def _params(**extra) -> dict:
    params = {"db": "pubmed", "tool": "myositis-knowledge-portal", **extra}
    if settings.PORTAL_CONTACT_EMAIL:
        params["email"] = settings.PORTAL_CONTACT_EMAIL
    if settings.NCBI_API_KEY:
        params["api_key"] = settings.NCBI_API_KEY
    return params


def _get(utility: str, *, timeout=None, retries=None, session=None, **params):
    return http.get(
        f"{settings.NCBI_EUTILS_URL}/{utility}",
        service=SERVICE,
        params=_params(**params),
        timeout=timeout,
        retries=retries,
        session=session,
        limiter=limiter(),
    )


def fetch(pmids, *, timeout=None, retries=None, session=None) -> dict[str, Work]:
    """The PubMed records of ``pmids`` by PMID, fetched 200 at a time.

    PMIDs PubMed does not know are simply absent from the result.
    """
    pmids = sorted(set(pmids), key=int)
    works = {}
    for start in range(0, len(pmids), BATCH):
        batch = pmids[start : start + BATCH]
        response = _get(
            "efetch.fcgi",
            retmode="xml",
            id=",".join(batch),
            timeout=timeout,
            retries=retries,
            session=session,
        )
        works.update((w.record.pmid, w) for w in parse_articles(response.content))
    return works


def fetch_one(pmid: str, *, timeout=None, retries=None, session=None) -> Work:
    """The PubMed record of one PMID, or NotFound."""
    work = fetch([pmid], timeout=timeout, retries=retries, session=session).get(pmid)
    if work is None:
        raise http.NotFound(_("PubMed does not know PMID %(pmid)s.") % {"pmid": pmid})
    return work


def pmid_for_doi(doi: str, *, timeout=None, retries=None, session=None) -> str:
    """The PMID PubMed gives this DOI, or NotFound if it has none (or several)."""
    response = _get(
        "esearch.fcgi",
        term=f"{doi}[doi]",
        retmode="json",
        timeout=timeout,
        retries=retries,
        session=session,
    )
    pmids = _search_ids(response)
    if len(pmids) != 1:
        raise http.NotFound(_("PubMed has no record with this DOI."))
    return pmids[0]


def fetch_by_dois(dois, *, timeout=None, retries=None) -> dict[str, Work]:
    """The PubMed records of these DOIs (normalised), by DOI.

    esearch finds their PMIDs ``DOI_SEARCH_BATCH`` DOIs a request, efetch
    reads them 200 a request (``fetch``); each record is matched back to
    its DOI by the DOI it carries. DOIs PubMed does not know are absent.
    """
    dois = sorted(set(dois))
    pmids = []
    for start in range(0, len(dois), DOI_SEARCH_BATCH):
        batch = dois[start : start + DOI_SEARCH_BATCH]
        response = _get(
            "esearch.fcgi",
            # Quoted: a DOI may hold brackets, which PubMed's syntax reads.
            term=" OR ".join(f'"{doi}"[doi]' for doi in batch),
            retmode="json",
            retmax=len(batch) * 2,
            timeout=timeout,
            retries=retries,
        )
        pmids += _search_ids(response)
    wanted = set(dois)
    return {
        work.record.doi: work
        for work in fetch(pmids, timeout=timeout, retries=retries).values()
        if work.record.doi in wanted
    }


def _search_ids(response) -> list[str]:
    try:
        ids = json.loads(response.content)["esearchresult"]["idlist"]
        return [identifiers.normalize_pmid(str(pmid)) for pmid in ids]
    except Exception:  # noqa: BLE001 (any way the JSON is not what NCBI documents)
        raise http.Malformed(_("PubMed's search answer could not be read.")) from None


class QueryRefused(http.SourceError):
    """PubMed could not run the query as written (its syntax)."""


@dataclass
class Search:
    """What esearch says of a query: how many records it finds, where NCBI's
    history server keeps them, the first ids and any warnings."""

    count: int
    webenv: str = ""
    query_key: str = ""
    ids: list[str] = field(default_factory=list)
    # Phrases PubMed did not find, and its other warnings about the query.
    warnings: list[str] = field(default_factory=list)


def _day(value: datetime.date) -> str:
    return value.strftime("%Y/%m/%d")


def search(
    term: str,
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    retmax: int = 0,
    timeout=None,
    retries=None,
    session=None,
) -> Search:
    """Run ``term`` (PubMed's query language) once, keeping the result on the
    history server; ``since``/``until`` bound the date PubMed added a record
    (both days included). ``retmax`` ids come back with it."""
    params = {"term": term, "retmode": "json", "usehistory": "y", "retmax": retmax}
    if since or until:
        params.update(
            datetype="edat",
            mindate=_day(since or datetime.date(1800, 1, 1)),
            maxdate=_day(until or datetime.date.today()),
        )
    response = _get(
        "esearch.fcgi", timeout=timeout, retries=retries, session=session, **params
    )
    try:
        result = json.loads(response.content)["esearchresult"]
        if result.get("ERROR"):
            raise QueryRefused(
                _("PubMed refused the query: %(error)s") % {"error": result["ERROR"]}
            )
        errors = result.get("errorlist") or {}
        warnings = result.get("warninglist") or {}
        return Search(
            count=int(result["count"]),
            webenv=str(result.get("webenv", "")),
            query_key=str(result.get("querykey", "")),
            ids=[identifiers.normalize_pmid(str(i)) for i in result.get("idlist", [])],
            warnings=[
                *(
                    _("Not found: %(phrase)s") % {"phrase": phrase}
                    for phrase in errors.get("phrasesnotfound") or []
                ),
                *(str(message) for message in warnings.get("outputmessages") or []),
            ],
        )
    except QueryRefused:
        raise
    except Exception:  # noqa: BLE001 (any way the JSON is not what NCBI documents)
        raise http.Malformed(_("PubMed's search answer could not be read.")) from None


def fetch_found(
    found: Search,
    *,
    limit: int | None = None,
    timeout=None,
    retries=None,
    session=None,
) -> Iterator[list[Work]]:
    """The records of an esearch left on the history server, a batch of 200
    (``BATCH``) at a time, in PubMed's order; at most ``limit``."""
    total = found.count if limit is None else min(found.count, limit)
    if total and not (found.webenv and found.query_key):
        raise http.Malformed(_("PubMed's search answer names no history to read."))
    for start in range(0, total, BATCH):
        asked = min(BATCH, total - start)
        response = _get(
            "efetch.fcgi",
            retmode="xml",
            WebEnv=found.webenv,
            query_key=found.query_key,
            retstart=start,
            retmax=asked,
            timeout=timeout,
            retries=retries,
            session=session,
        )
        works = parse_articles(response.content)
        if len(works) < asked:
            # An expired history answers with an <ERROR> and no articles: a
            # short batch would pass for a search that found less.
            raise http.Malformed(
                _("PubMed sent %(sent)s of the %(asked)s records asked for.")
                % {"sent": len(works), "asked": asked}
            )
        yield works


def parse_articles(data: bytes) -> list[Work]:
    """The Works in an efetch answer (a ``PubmedArticleSet``)."""
    try:
        root = etree.fromstring(data, parser=PARSER)
    except etree.XMLSyntaxError:
        raise http.Malformed(
            _("PubMed's answer could not be read (it is not the XML it documents).")
        ) from None
    if root is None or root.tag not in {"PubmedArticleSet", "eFetchResult"}:
        raise http.Malformed(_("PubMed's answer holds no articles."))
    return [parse_article(article) for article in root.iter("PubmedArticle")]


def _text(element, path: str) -> str:
    found = element.find(path)
    return clean_text("".join(found.itertext())) if found is not None else ""


def _doi_of(article) -> str:
    candidates = [
        *article.iterfind(".//Article/ELocationID[@EIdType='doi']"),
        *article.iterfind("PubmedData/ArticleIdList/ArticleId[@IdType='doi']"),
    ]
    for element in candidates:
        try:
            return identifiers.normalize_doi("".join(element.itertext()))
        except ValidationError:
            continue
    return ""


def _authors(article) -> list[str]:
    names = []
    for author in article.iterfind(".//Article/AuthorList/Author"):
        family, given = _text(author, "LastName"), _text(author, "ForeName")
        if family:
            names.append(f"{family}, {given}" if given else family)
        elif group := _text(author, "CollectiveName"):
            names.append(group)
    return names


def _abstract(article) -> str:
    paragraphs = []
    for part in article.iterfind(".//Article/Abstract/AbstractText"):
        text = clean_text("".join(part.itertext()))
        label = part.get("Label")
        if text:
            paragraphs.append(f"{label.capitalize()}: {text}" if label else text)
    return "\n\n".join(paragraphs)


def _notices(article, pmid: str, doi: str, types: list[str]) -> list[FoundNotice]:
    found = []
    for comment in article.iterfind(".//CommentsCorrectionsList/CommentsCorrections"):
        kind = NOTICE_REFTYPES.get(comment.get("RefType", ""))
        if kind is None:
            continue
        try:
            notice_pmid = identifiers.normalize_pmid(_text(comment, "PMID"))
        except ValidationError:
            notice_pmid = ""
        source = _text(comment, "RefSource")
        match = REFSOURCE_DATE_RE.search(source)
        found.append(
            FoundNotice(
                kind=kind,
                source=ReferenceNotice.Source.PUBMED,
                target_pmid=pmid,
                target_doi=doi,
                pmid=notice_pmid,
                url=identifiers.pubmed_url(notice_pmid),
                date=date_from_parts(parse_date(match.group(1))) if match else None,
                reason=source,
            )
        )
    retracted = any(t.lower() == RETRACTED_TYPE for t in types)
    if retracted and not any(n.kind == ReferenceNotice.Kind.RETRACTION for n in found):
        # PubMed marks the article retracted without linking the notice.
        found.append(
            FoundNotice(
                kind=ReferenceNotice.Kind.RETRACTION,
                source=ReferenceNotice.Source.PUBMED,
                target_pmid=pmid,
                target_doi=doi,
                url=identifiers.pubmed_url(pmid),
            )
        )
    return found


def parse_article(article) -> Work:
    """A Work from one ``PubmedArticle`` element."""
    citation = article.find("MedlineCitation")
    if citation is None:
        raise http.Malformed(_("PubMed's answer holds an article without a citation."))
    try:
        pmid = identifiers.normalize_pmid(_text(citation, "PMID"))
    except ValidationError:
        raise http.Malformed(
            _("PubMed's answer holds an article without a PMID.")
        ) from None
    journal_issue = ".//Article/Journal/JournalIssue"
    pub_date = citation.find(f"{journal_issue}/PubDate")
    year = month = day = None
    if pub_date is not None:
        medline_date = _text(pub_date, "MedlineDate")
        year, month, day = parse_date(
            medline_date
            or " ".join(
                filter(None, (_text(pub_date, p) for p in ("Year", "Month", "Day")))
            )
        )
    types = [
        clean_text("".join(t.itertext()))
        for t in citation.iterfind(".//Article/PublicationTypeList/PublicationType")
    ]
    doi = _doi_of(article)
    mesh = []
    for heading in citation.iterfind("MeshHeadingList/MeshHeading"):
        descriptor = _text(heading, "DescriptorName")
        qualifiers = [
            clean_text("".join(q.itertext())) for q in heading.iterfind("QualifierName")
        ]
        if descriptor:
            mesh.append("/".join([descriptor, *qualifiers]))
    record = Record(
        number=1,
        line=0,
        title=_text(citation, ".//Article/ArticleTitle").rstrip(".")
        or _text(citation, ".//Article/VernacularTitle"),
        authors=_authors(citation),
        # PubMed lists at most so many authors of older records, and says so.
        authors_incomplete=any(
            author_list.get("CompleteYN") == "N"
            for author_list in citation.iterfind(".//Article/AuthorList")
        ),
        source=_text(citation, ".//Article/Journal/ISOAbbreviation")
        or _text(citation, "MedlineJournalInfo/MedlineTA")
        or _text(citation, ".//Article/Journal/Title"),
        year=year,
        month=month,
        day=day,
        volume=_text(citation, f"{journal_issue}/Volume"),
        issue=_text(citation, f"{journal_issue}/Issue"),
        pages=_text(citation, ".//Article/Pagination/MedlinePgn"),
        doi=doi,
        pmid=pmid,
        abstract=_abstract(citation),
        # The MeSH headings as MEDLINE files write them, then the authors'.
        keywords=keyword_list(
            mesh
            + [_text(word, ".") for word in citation.iterfind("KeywordList/Keyword")]
        ),
        kind=kind_from_publication_types(types),
    )
    return Work(
        record=record,
        publication_types=types,
        mesh_headings=mesh,
        notices=_notices(article, pmid, doi, types),
        services={SERVICE},
    )
