"""DOI, PMID and trial registrations: the one place that knows how to read,
check and link them."""

import re
from urllib.parse import quote, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A DOI is "10.<registrant>/<suffix>"; the suffix may hold almost anything but
# whitespace. The doi.org short form "10/abc12" (which Zotero exports) is an
# alias the resolver understands, so it is accepted too. Prefixes people paste
# are stripped before the check.
DOI_RE = re.compile(r"^10\.\d{4,9}(\.\d+)*/\S+$|^10/[a-z0-9]+$")
DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "doi:",
)
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
# A PubMed page's address: pubmed.ncbi.nlm.nih.gov/123/ or the older
# www.ncbi.nlm.nih.gov/pubmed/123.
PUBMED_URL_RE = re.compile(
    r"^(?:https?://)?(?:pubmed\.ncbi\.nlm\.nih\.gov|(?:www\.)?ncbi\.nlm\.nih\.gov/pubmed)"
    r"/(\d+)/?(?:[?#].*)?$",
    re.IGNORECASE,
)


def normalize_doi(value):
    """Return the DOI in its stored form: no resolver prefix, lower-cased.

    DOIs are case-insensitive by definition (the DOI Handbook), so lower case
    lets one DOI be stored once. An empty value stays empty; anything that is
    not a DOI raises ValidationError.
    """
    doi = (value or "").strip()
    if not doi:
        return ""
    lowered = doi.lower()
    for prefix in DOI_PREFIXES:
        if lowered.startswith(prefix):
            doi = doi[len(prefix) :].strip()
            break
    doi = doi.lower()
    if not DOI_RE.match(doi):
        raise ValidationError(
            _("“%(value)s” is not a DOI. A DOI looks like 10.1000/xyz123."),
            code="invalid_doi",
            params={"value": value},
        )
    return doi


def normalize_pmid(value):
    """Return the PMID as digits only (a "PMID:" label is accepted)."""
    pmid = (value or "").strip()
    if not pmid:
        return ""
    if pmid.lower().startswith("pmid:"):
        pmid = pmid[5:].strip()
    if not PMID_RE.match(pmid):
        raise ValidationError(
            _("“%(value)s” is not a PubMed ID. A PMID is a number such as 21504801."),
            code="invalid_pmid",
            params={"value": value},
        )
    return pmid


# Characters a DOI may hold that are safe in a URL's path as they are. The
# DOI Handbook asks for "%", '"', "#", "?" and spaces to be encoded,
# and recommends it for "<", ">", "{", "}", "^", "[", "]", "`", "|", "\\"
# and "+": everything not listed here is percent-encoded (UTF-8).
_DOI_URL_SAFE = "/:;()!*'@,=&$.-_~"


def doi_url(doi):
    """The doi.org address of a DOI, percent-encoded as the DOI Handbook says:
    ``10.1002/(SICI)...35:4<401::AID-JBM1>3.0.CO;2-M`` becomes a valid link."""
    return f"https://doi.org/{quote(doi, safe=_DOI_URL_SAFE)}" if doi else ""


def pubmed_url(pmid):
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else ""


def parse_identifier(value):
    """Tell a pasted DOI from a PMID: return ("doi", doi) or ("pmid", pmid).

    Digits (with or without "PMID:") or a PubMed page's address are a PMID;
    anything else must be a DOI (doi.org addresses included). Raises
    ValidationError naming the value when it is neither.
    """
    text = (value or "").strip()
    if match := PUBMED_URL_RE.match(text):
        text = match.group(1)
    if text.lower().startswith("pmid") or text.isdigit():
        return "pmid", normalize_pmid(text)
    try:
        return "doi", normalize_doi(text)
    except ValidationError:
        raise ValidationError(
            _(
                "“%(value)s” is neither a DOI (10.1000/xyz123) nor a PubMed ID "
                "(21504801)."
            ),
            code="invalid_identifier",
            params={"value": value},
        ) from None


# "PMID: 31234567" as PubMed's result lists (summary text, abstract text,
# the results page copied) give each record's PMID.
RESULT_LIST_PMID_RE = re.compile(r"\bPMID:\s*([1-9]\d{0,8})\b", re.IGNORECASE)


def read_pasted(text):
    """The identifiers in pasted text: (identifiers, unreadable).

    ``identifiers`` holds (line, name, value) for each DOI, PMID, doi.org or
    PubMed address, in the order pasted (one a line, or several on a line
    separated by spaces); ``unreadable`` holds (line, text, message) for
    what is neither. A PubMed result list (lines with "PMID: N") gives its
    PMIDs, and its other lines (titles, authors, journals) are passed over.
    """
    lines = (text or "").splitlines()
    if any(RESULT_LIST_PMID_RE.search(line) for line in lines):
        found = []
        for number, line in enumerate(lines, start=1):
            pmids = RESULT_LIST_PMID_RE.findall(line)
            found += [(number, "pmid", pmid) for pmid in pmids]
            if not pmids and line.strip():
                # An identifier on a line of its own, pasted with the list.
                try:
                    found.append(
                        (number, *parse_identifier(line.strip().rstrip(".,;")))
                    )
                except ValidationError:
                    pass
        return found, []
    found, unreadable = [], []
    for number, line in enumerate(lines, start=1):
        for word in line.split():
            # A list copied from prose may end an identifier with a comma
            # or full stop, which no DOI or PMID ends with.
            word = word.strip().rstrip(".,;")
            if not word or word.lower().rstrip(":") in ("doi", "pmid"):
                continue  # a label before the identifier: "doi: 10.1000/x"
            try:
                name, value = parse_identifier(word)
            except ValidationError as exc:
                unreadable.append((number, word, " ".join(exc.messages)))
            else:
                found.append((number, name, value))
    return found, unreadable


# A trial's registration number in the address of its registry record:
# ClinicalTrials.gov (NCT), ISRCTN, the EU registers (EudraCT, CTIS) and
# ANZCTR. Only an address on the registry itself counts: a press release
# naming a trial is not its registration.
TRIAL_REGISTRIES = {
    "clinicaltrials.gov": re.compile(r"\b(NCT\d{8})\b", re.IGNORECASE),
    "isrctn.com": re.compile(r"\b(ISRCTN\d{8})\b", re.IGNORECASE),
    "clinicaltrialsregister.eu": re.compile(r"\b(\d{4}-\d{6}-\d{2})\b"),
    "euclinicaltrials.eu": re.compile(r"\b(\d{4}-\d{6}-\d{2}-\d{2})\b"),
    "anzctr.org.au": re.compile(r"\b(ACTRN\d{14})\b", re.IGNORECASE),
}


def trial_registration(url) -> str:
    """The registration number a trial registry's address names, upper-cased
    (``https://clinicaltrials.gov/study/NCT03813160`` gives "NCT03813160"),
    or "" for any other address."""
    parts = urlsplit((url or "").strip())
    if parts.scheme.lower() not in {"http", "https"}:
        return ""
    host = (parts.hostname or "").lower().removeprefix("www.")
    pattern = TRIAL_REGISTRIES.get(host)
    if pattern is None:
        return ""
    match = pattern.search(f"{parts.path}?{parts.query}")
    return match.group(1).upper() if match else ""
