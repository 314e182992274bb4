"""Citing the portal's own pages, and exporting an article's reference list.

Plain Python, on purpose: these are two fixed formats for one kind of item
(a web page by the editorial board), independent of the reference library's
citation styles.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

VANCOUVER_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
AMA_MONTHS = (
    "January February March April May June July August September October "
    "November December".split()
)


def _ama_date(day: datetime.date) -> str:
    return f"{AMA_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _vancouver_date(day: datetime.date) -> str:
    return f"{day.year} {VANCOUVER_MONTHS[day.month - 1]} {day.day}"


def cite_page(*, title: str, url: str, updated: datetime.date, accessed=None) -> dict:
    """AMA (11th edition) and Vancouver (NLM) citations of one of our pages.

    The editorial board is the group author; ``updated`` is the date the
    text was approved and ``accessed`` defaults to today.
    """
    accessed = accessed or timezone.localdate()
    site = settings.PORTAL_NAME
    author = _("%(site)s Editorial Board") % {"site": site}
    title = title.rstrip(".")
    return {
        "ama": (
            f"{author}. {title}. {site}. Updated {_ama_date(updated)}. "
            f"Accessed {_ama_date(accessed)}. {url}"
        ),
        "vancouver": (
            f"{author}. {title} [Internet]. {site}; {updated.year} "
            f"[updated {_vancouver_date(updated)}; cited {_vancouver_date(accessed)}]. "
            f"Available from: {url}"
        ),
    }


RIS_TYPES = {
    "guideline": "GEN",
    "systematic_review": "JOUR",
    "trial": "JOUR",
    "research": "JOUR",
    "case_report": "JOUR",
    "news": "NEWS",
    "other": "GEN",
}


def _ris_line(tag, value):
    # A line break inside a value would start a new (bogus) tag.
    value = " ".join(str(value).split())
    return f"{tag}  - {value}" if value else None


def references_to_ris(references) -> str:
    """The references as an RIS file, one record each, in the order given."""
    lines = []
    for ref in references:
        kind = RIS_TYPES.get(ref.kind, "GEN")
        if kind == "GEN" and ref.url and not ref.source:
            kind = "ELEC"
        first_page, _, last_page = ref.pages.partition("-")
        date = ""
        if ref.year:
            month = f"{ref.month:02d}" if ref.month else ""
            day = f"{ref.day:02d}" if ref.day else ""
            date = f"{ref.year}/{month}/{day}/"
        record = [
            _ris_line("TY", kind),
            *(_ris_line("AU", name) for name in ref.author_list),
            _ris_line("TI", ref.title),
            _ris_line("T2", ref.source),
            _ris_line("PY", ref.year or ""),
            _ris_line("DA", date),
            _ris_line("VL", ref.volume),
            _ris_line("IS", ref.issue),
            _ris_line("SP", first_page),
            _ris_line("EP", last_page),
            _ris_line("DO", ref.doi),
            _ris_line("AN", f"PMID:{ref.pmid}" if ref.pmid else ""),
            _ris_line("UR", ref.url or ref.doi_url or ref.pubmed_url),
            _ris_line("N2", ref.summary),
            "ER  - ",
        ]
        lines.extend(line for line in record if line)
    return "\r\n".join(lines) + "\r\n" if lines else ""
