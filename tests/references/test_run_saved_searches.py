"""run_saved_searches end to end against the recorded PubMed."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from references.models import Finding, Reference
from tests.factories import SavedSearchFactory
from tests.scholarly_api import Scripted, pubmed_article

pytestmark = pytest.mark.django_db

TERM = "polymyositis[mh] AND systematic review[pt]"


@pytest.fixture
def search(scholarly_api):
    today = timezone.localdate()
    scholarly_api.add_pubmed_search(
        TERM,
        [
            (
                pubmed_article(
                    "900000060",
                    "An invented review of polymyositis treatments",
                    types=["Systematic Review"],
                ),
                today,
            )
        ],
    )
    return SavedSearchFactory(query=TERM, label="Reviews in polymyositis")


def test_runs_every_search_and_says_what_it_brought(search, capsys):
    call_command("run_saved_searches")

    out = capsys.readouterr().out
    assert "“Reviews in polymyositis” (PubMed)" in out
    assert "1 found, 1 new added, 0 already in the library" in out
    assert Reference.objects.in_inbox(search.topic).count() == 1

    call_command("run_saved_searches")

    assert "1 found, 0 new added, 1 already in the library" in capsys.readouterr().out
    assert Finding.objects.count() == 1


def test_a_dry_run_writes_nothing(search, capsys):
    call_command("run_saved_searches", "--dry-run", verbosity=2)

    out = capsys.readouterr().out
    assert "1 new would be added" in out
    assert "new: An invented review of polymyositis treatments" in out
    assert not Reference.objects.exists()
    search.refresh_from_db()
    assert search.last_success_on is None


def test_a_failing_service_is_said_and_keeps_the_date(scholarly_api, search, capsys):
    call_command("run_saved_searches")
    search.refresh_from_db()
    ran_on = search.last_success_on
    scholarly_api.fail("/eutils/esearch", *[Scripted(503, b"", "text/plain")] * 3)

    with pytest.raises(CommandError, match="1 searches failed and keep their dates"):
        call_command("run_saved_searches")

    err = capsys.readouterr().err
    assert "HTTP 503" in err and "Nothing was written" in err
    search.refresh_from_db()
    assert search.last_success_on == ran_on


def test_quiet_at_verbosity_zero(search, capsys):
    call_command("run_saved_searches", verbosity=0)

    assert capsys.readouterr().out == ""


def test_an_unknown_topic_is_refused(search):
    with pytest.raises(CommandError, match="no topic with the slug"):
        call_command("run_saved_searches", "--topic", "nope")
