"""A notice on cited literature: the reader's caution and the board's
dashboard follow one rule (serious, and first seen after the approval)."""

import datetime

import pytest

from articles.models import ApprovedCitation, Article
from references.models import ReferenceNotice
from tests.factories import ReferenceFactory, make_article

pytestmark = pytest.mark.django_db
Kind = ReferenceNotice.Kind


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("seen", ["before", "after"])
def test_the_page_caution_and_the_dashboard_agree(kind, seen):
    sound, flagged = ReferenceFactory(), ReferenceFactory()
    article = make_article(
        body=f"Sound [@{sound.citation_key}]. Flagged [@{flagged.citation_key}].",
        approve=True,
    )
    live = article.live
    shift = datetime.timedelta(minutes=1 if seen == "after" else -1)
    notice = ReferenceNotice.objects.create(
        reference=flagged, kind=kind, source="editor"
    )
    ReferenceNotice.objects.filter(pk=notice.pk).update(
        first_seen_at=live.approved_at + shift
    )
    citations = ApprovedCitation.objects.filter(version=live).select_related(
        "reference"
    )
    cautions = live.notice_cautions(citations)
    flagged_on_dashboard = article in Article.objects.needing_attention()
    expected = seen == "after" and kind in ReferenceNotice.SERIOUS
    assert flagged_on_dashboard == expected
    assert cautions == ([(2, notice)] if expected else [])
