"""Citing the portal's own pages.

Plain Python, on purpose: two fixed formats for one kind of item (a web page
by the editorial board). References themselves are cited by
``references.citations`` and exported by ``references.exporting``.
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
