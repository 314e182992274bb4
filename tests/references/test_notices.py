"""Recording notices: once per notice, whichever source reports it."""

import datetime

import pytest

from references import notices
from references.models import ReferenceNotice
from references.signals import notices_recorded
from references.sources import FoundNotice
from tests.factories import ReferenceFactory

pytestmark = pytest.mark.django_db
Kind, Source = ReferenceNotice.Kind, ReferenceNotice.Source


@pytest.fixture
def retracted():
    return ReferenceFactory(doi="10.5555/myo.2019.001", pmid="900000001")


def crossref_retraction(**kwargs):
    return FoundNotice(
        kind=Kind.RETRACTION,
        source=Source.CROSSREF,
        target_doi="10.5555/myo.2019.001",
        doi="10.5555/myo.2024.901",
        date=datetime.date(2024, 3, 12),
        **kwargs,
    )


def test_a_notice_reported_by_three_sources_is_recorded_once(retracted):
    pubmed = FoundNotice(
        kind=Kind.RETRACTION,
        source=Source.PUBMED,
        target_pmid="900000001",
        pmid="900000009",
    )
    watch = FoundNotice(
        kind=Kind.RETRACTION,
        source=Source.RETRACTION_WATCH,
        target_doi="10.5555/myo.2019.001",
        doi="10.5555/myo.2024.901",
        reason="Concerns/Issues About Data",
    )

    first = notices.record_notices([crossref_retraction()])
    second = notices.record_notices([pubmed, watch])

    (notice,) = ReferenceNotice.objects.all()
    assert (len(first.new), len(second.new)) == (1, 0)
    assert notice.source == Source.CROSSREF
    # Later reports complete what the first one lacked.
    assert (notice.pmid, notice.reason) == ("900000009", "Concerns/Issues About Data")
    assert notice.badge == "Retracted 12 March 2024"


def test_two_corrections_with_their_own_dois_are_two_notices(retracted):
    found = [
        FoundNotice(Kind.CORRECTION, Source.CROSSREF, target_doi=retracted.doi, doi=d)
        for d in ("10.5555/fix.1", "10.5555/fix.2")
    ]

    result = notices.record_notices(found)

    assert len(result.new) == 2
    assert ReferenceNotice.objects.filter(kind=Kind.CORRECTION).count() == 2


def test_a_dry_run_writes_nothing(retracted):
    result = notices.record_notices([crossref_retraction()], dry_run=True)

    assert len(result.new) == 1
    assert not ReferenceNotice.objects.exists()


def test_notices_about_works_not_in_the_library_are_dropped(retracted):
    other = FoundNotice(Kind.RETRACTION, Source.CROSSREF, target_doi="10.5555/other")

    result = notices.record_notices([other])

    assert (result.unmatched, len(result.new)) == (1, 0)


def test_new_notices_are_announced_once_after_commit(
    retracted, django_capture_on_commit_callbacks
):
    announced = []

    def receiver(sender, notices, **kwargs):
        announced.append([n.pk for n in notices])

    notices_recorded.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notices.record_notices([crossref_retraction()])
        with django_capture_on_commit_callbacks(execute=True):
            notices.record_notices([crossref_retraction()])
    finally:
        notices_recorded.disconnect(receiver)

    assert announced == [[ReferenceNotice.objects.get().pk]]


def test_the_constraint_refuses_the_same_notice_twice_in_words(retracted):
    notices.record_notices([crossref_retraction()])
    again = ReferenceNotice(
        reference=retracted,
        kind=Kind.RETRACTION,
        doi="https://doi.org/10.5555/MYO.2024.901",
        source=Source.EDITOR,
    )

    with pytest.raises(Exception, match="already has this notice"):
        again.full_clean()


def test_recorded_notices_are_one_revision_with_the_comment(retracted):
    from reversion.models import Version

    notices.record_notices([crossref_retraction()], comment="Literature watch")

    (version,) = Version.objects.get_for_model(ReferenceNotice)
    assert version.revision.comment == "Literature watch"
    assert version.field_dict["doi"] == "10.5555/myo.2024.901"
