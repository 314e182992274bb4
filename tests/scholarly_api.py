"""A local stand-in for Crossref and NCBI E-utilities, serving recorded answers.

Real HTTP on 127.0.0.1 (an ephemeral port): the clients in
``references.sources`` are pointed at it by the ``scholarly_api`` fixture and
talk to it exactly as to the real services. The answers are the files in
``tests/recorded/`` (see its README), put together as the services do: a list
of works for ``/works?filter=updates:...``, a ``PubmedArticleSet`` of the
requested PMIDs for ``efetch``, an ``esearch`` JSON for a DOI.

Saved searches (``references.surveillance``) are answered from what a test
registers: ``add_pubmed_search(term, [(article XML, date added)...])`` (make
the XML with ``pubmed_article()``) for esearch with a date window and
``usehistory=y`` and efetch by ``WebEnv``/``query_key``/``retstart``; and
``add_crossref_search(words, [(message, date indexed)...])`` for
``/works?query=`` with ``from-index-date``/``until-index-date`` and cursors.

A test can script failures for a path prefix (``fail()``): each request that
matches takes the next scripted answer (a status, a body, a delay) until the
script runs out. Every request is kept in ``requests`` for assertions.
"""

import datetime
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

from lxml import etree

RECORDED = Path(__file__).parent / "recorded"
EFETCH_HEAD = (
    b'<?xml version="1.0" ?>\n'
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January '
    b'2024//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">\n'
    b"<PubmedArticleSet>\n"
)


@dataclass
class Scripted:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    delay: float = 0.0
    headers: dict = field(default_factory=dict)


@dataclass
class Seen:
    path: str
    query: dict
    headers: dict
    at: float


def _crossref_works() -> dict:
    works = {}
    for path in (RECORDED / "crossref").glob("*.json"):
        message = json.loads(path.read_text(encoding="utf-8"))["message"]
        works[message["DOI"].lower()] = message
    return works


def _pubmed_articles() -> dict:
    return {
        path.stem: path.read_bytes() for path in (RECORDED / "pubmed").glob("*.xml")
    }


class ScholarlyAPI:
    """The server; ``url`` is its base, ``crossref_url`` and ``eutils_url`` the two
    services' roots under it."""

    def __init__(self):
        self.works = _crossref_works()
        self.articles = _pubmed_articles()
        self.doi_to_pmid = {}
        for pmid, xml in self.articles.items():
            root = etree.fromstring(xml)
            for doi in root.iterfind(".//ArticleId[@IdType='doi']"):
                self.doi_to_pmid[doi.text.lower()] = pmid
        # Saved searches: term -> [(pmid, date added)]; words -> [(doi, date)].
        self.pubmed_searches = {}
        self.crossref_searches = {}
        # WebEnv|query_key -> the PMIDs an esearch left on the history server.
        self.history = {}
        self._webenvs = itertools.count(1)
        self.scripts = {}
        self.requests = []
        self._lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the http.server API)
                api.handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.crossref_url = f"{self.url}/crossref"
        self.eutils_url = f"{self.url}/eutils"
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def fail(self, prefix: str, *answers: Scripted | None) -> None:
        """The next requests whose path starts with ``prefix`` get ``answers``;
        a None among them lets that request have its recorded answer."""
        with self._lock:
            self.scripts.setdefault(prefix, []).extend(answers)

    def add_pubmed_search(self, term: str, found) -> None:
        """PubMed finds ``found`` ((article XML, date added) pairs) for ``term``."""
        with self._lock:
            for xml, added in found:
                pmid = etree.fromstring(xml).findtext("MedlineCitation/PMID")
                self.articles[pmid] = xml
                self.pubmed_searches.setdefault(term, []).append((pmid, added))

    def add_crossref_search(self, words: str, found) -> None:
        """Crossref finds ``found`` ((work message, date indexed)) for ``words``."""
        with self._lock:
            for message, indexed in found:
                self.works[message["DOI"].lower()] = message
                self.crossref_searches.setdefault(words, []).append(
                    (message["DOI"].lower(), indexed)
                )

    def seen(self, prefix: str) -> list[Seen]:
        return [r for r in self.requests if r.path.startswith(prefix)]

    def handle(self, request):
        split = urlsplit(request.path)
        path, query = unquote(split.path), parse_qs(split.query)
        with self._lock:
            self.requests.append(
                Seen(path, query, dict(request.headers.items()), time.monotonic())
            )
            script = next(
                (
                    answers
                    for prefix, answers in self.scripts.items()
                    if path.startswith(prefix) and answers
                ),
                None,
            )
            scripted = script.pop(0) if script else None
        if scripted is None:
            scripted = self.answer(path, query)
        if scripted.delay:
            time.sleep(scripted.delay)
        try:
            request.send_response(scripted.status)
            request.send_header("Content-Type", scripted.content_type)
            request.send_header("Content-Length", str(len(scripted.body)))
            for name, value in scripted.headers.items():
                request.send_header(name, value)
            request.end_headers()
            request.wfile.write(scripted.body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a timeout test): nothing to answer.
            pass

    # What the real services answer.

    def answer(self, path: str, query: dict) -> Scripted:
        if path.startswith("/crossref/works/"):
            return self.crossref_work(path.removeprefix("/crossref/works/"))
        if path == "/crossref/works" and "query" in query:
            return self.crossref_search(query)
        if path == "/crossref/works":
            return self.crossref_updates(query.get("filter", [""])[0])
        if path == "/eutils/efetch.fcgi" and "WebEnv" in query:
            return self.efetch_history(query)
        if path == "/eutils/efetch.fcgi":
            return self.efetch(query.get("id", [""])[0])
        if path == "/eutils/esearch.fcgi":
            term = query.get("term", [""])[0]
            if term.endswith("[doi]"):
                return self.esearch(term)
            return self.esearch_history(term, query)
        return Scripted(404, b"Not found", "text/plain")

    def crossref_work(self, doi: str) -> Scripted:
        message = self.works.get(doi.lower())
        if message is None:
            # Crossref's answer for a DOI it does not know.
            return Scripted(404, b"Resource not found.", "text/plain")
        body = {
            "status": "ok",
            "message-type": "work",
            "message-version": "1.0.0",
            "message": message,
        }
        return Scripted(body=json.dumps(body).encode())

    def crossref_updates(self, filters: str) -> Scripted:
        """``filter=updates:a,updates:b`` (the notices updating a or b) or
        ``filter=doi:a,doi:b`` (the works a and b); Crossref ORs a filter
        given several times."""
        wanted = {
            part.split(":", 1)[1].lower()
            for part in filters.split(",")
            if part.startswith("updates:")
        }
        dois = {
            part.split(":", 1)[1].lower()
            for part in filters.split(",")
            if part.startswith("doi:")
        }
        items = [
            work
            for work in self.works.values()
            if any(u["DOI"].lower() in wanted for u in work.get("update-to", []))
            or work["DOI"].lower() in dois
        ]
        body = {
            "status": "ok",
            "message-type": "work-list",
            "message-version": "1.0.0",
            "message": {
                "facets": {},
                "total-results": len(items),
                "items": items,
                "items-per-page": 1000,
                "query": {"start-index": 0, "search-terms": None},
            },
        }
        return Scripted(body=json.dumps(body).encode())

    def efetch(self, ids: str) -> Scripted:
        articles = [self.articles[i] for i in ids.split(",") if i in self.articles]
        body = EFETCH_HEAD + b"\n".join(articles) + b"\n</PubmedArticleSet>\n"
        return Scripted(body=body, content_type="text/xml; charset=UTF-8")

    def esearch(self, term: str) -> Scripted:
        """``term=a[doi]`` or ``a[doi] OR b[doi] ...``: the PMIDs of DOIs."""
        dois = [
            part.strip().removesuffix("[doi]").strip().strip('"').lower()
            for part in term.split(" OR ")
        ]
        ids = [self.doi_to_pmid[doi] for doi in dois if doi in self.doi_to_pmid]
        body = {
            "header": {"type": "esearch", "version": "0.3"},
            "esearchresult": {
                "count": str(len(ids)),
                "retmax": str(len(ids)),
                "retstart": "0",
                "idlist": ids,
                "translationset": [],
                "querytranslation": term,
            },
        }
        return Scripted(body=json.dumps(body).encode())

    def esearch_history(self, term: str, query: dict) -> Scripted:
        # PubMed's dates are YYYY/MM/DD; both ends of the window count.
        window = [
            datetime.datetime.strptime(query[name][0], "%Y/%m/%d").date()
            if name in query
            else None
            for name in ("mindate", "maxdate")
        ]
        ids = [
            pmid
            for pmid, added in self.pubmed_searches.get(term, [])
            if (window[0] is None or added >= window[0])
            and (window[1] is None or added <= window[1])
        ]
        retmax = int(query.get("retmax", ["20"])[0])
        result = {
            "count": str(len(ids)),
            "retmax": str(min(retmax, len(ids))),
            "retstart": "0",
            "idlist": ids[:retmax],
            "translationset": [],
            "querytranslation": term,
        }
        if query.get("usehistory", [""])[0] == "y":
            webenv = f"MCID_{next(self._webenvs):024d}"
            with self._lock:
                self.history[f"{webenv}|1"] = ids
            result.update(querykey="1", webenv=webenv)
        if not ids:
            result["warninglist"] = {
                "phrasesignored": [],
                "quotedphrasesnotfound": [],
                "outputmessages": ["No items found."],
            }
        body = {
            "header": {"type": "esearch", "version": "0.3"},
            "esearchresult": result,
        }
        return Scripted(body=json.dumps(body).encode())

    def efetch_history(self, query: dict) -> Scripted:
        key = f"{query['WebEnv'][0]}|{query.get('query_key', [''])[0]}"
        if key not in self.history:
            # What NCBI says of an expired or unknown WebEnv.
            body = (
                b'<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n'
                b"\t<ERROR>Unable to obtain query #1</ERROR>\n</eFetchResult>\n"
            )
            return Scripted(body=body, content_type="text/xml; charset=UTF-8")
        start = int(query.get("retstart", ["0"])[0])
        count = int(query.get("retmax", ["20"])[0])
        ids = self.history[key][start : start + count]
        return self.efetch(",".join(ids))

    def crossref_search(self, query: dict) -> Scripted:
        filters = dict(
            part.split(":", 1)
            for part in query.get("filter", [""])[0].split(",")
            if ":" in part
        )
        since = filters.get("from-index-date")
        until = filters.get("until-index-date")
        dois = [
            doi
            for doi, indexed in self.crossref_searches.get(query["query"][0], [])
            if (since is None or indexed.isoformat() >= since)
            and (until is None or indexed.isoformat() <= until)
        ]
        cursor = query.get("cursor", ["*"])[0]
        start = 0 if cursor == "*" else int(cursor)
        rows = int(query.get("rows", ["20"])[0])
        items = [self.works[doi] for doi in dois[start : start + rows]]
        body = {
            "status": "ok",
            "message-type": "work-list",
            "message-version": "1.0.0",
            "message": {
                "facets": {},
                "next-cursor": str(start + len(items)),
                "total-results": len(dois),
                "items": items,
                "items-per-page": rows,
                "query": {"start-index": 0, "search-terms": query["query"][0]},
            },
        }
        return Scripted(body=json.dumps(body).encode())


def pubmed_article(
    pmid: str,
    title: str,
    *,
    year: int = 2026,
    types=("Journal Article",),
    mesh=(),
    doi: str = "",
    author: str = "Invented",
) -> bytes:
    """A PubmedArticle in efetch's shape: synthetic PMIDs (900000001-) only;
    ``mesh`` holds "Descriptor" or "Descriptor/Qualifier" strings."""
    headings = "".join(
        '<MeshHeading><DescriptorName MajorTopicYN="N">'
        f"{escape(heading.split('/')[0])}</DescriptorName>"
        + "".join(
            f'<QualifierName MajorTopicYN="Y">{escape(q)}</QualifierName>'
            for q in heading.split("/")[1:]
        )
        + "</MeshHeading>"
        for heading in mesh
    )
    type_list = "".join(
        f"<PublicationType>{escape(kind)}</PublicationType>" for kind in types
    )
    elocation = (
        f'<ELocationID EIdType="doi" ValidYN="Y">{escape(doi)}</ELocationID>'
        if doi
        else ""
    )
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
        f'<PMID Version="1">{pmid}</PMID><Article PubModel="Print"><Journal>'
        f'<JournalIssue CitedMedium="Internet"><Volume>1</Volume>'
        f"<PubDate><Year>{year}</Year></PubDate></JournalIssue>"
        f"<Title>Test journal of myositis</Title>"
        f"<ISOAbbreviation>Test J Myositis</ISOAbbreviation></Journal>"
        f"<ArticleTitle>{escape(title)}</ArticleTitle>{elocation}"
        f'<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>{escape(author)}'
        f"</LastName><ForeName>Ann</ForeName></Author></AuthorList>"
        f"<PublicationTypeList>{type_list}</PublicationTypeList></Article>"
        f"<MedlineJournalInfo><MedlineTA>Test J Myositis</MedlineTA>"
        f"</MedlineJournalInfo><MeshHeadingList>{headings}</MeshHeadingList>"
        f"</MedlineCitation><PubmedData><ArticleIdList>"
        f'<ArticleId IdType="pubmed">{pmid}</ArticleId></ArticleIdList>'
        f"</PubmedData></PubmedArticle>"
    ).encode()
