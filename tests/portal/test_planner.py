"""The query planner's statistics are kept: after big imports and by cron."""

import pytest
from django.core.management import call_command
from django.db import connection

from portal import planner
from references import importing
from references.formats import Record
from tests.factories import ReferenceFactory, TopicFactory

pytestmark = pytest.mark.django_db(transaction=True)


def analysed_tables():
    if connection.vendor != "sqlite":
        pytest.skip("sqlite_stat1 is SQLite's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return set()
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


def forget_statistics():
    if connection.vendor == "sqlite" and analysed_tables():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_stat1")


def test_the_command_gathers_statistics_for_the_library(capsys):
    forget_statistics()
    ReferenceFactory.create_batch(3)
    call_command("refresh_statistics")
    assert "references_reference" in analysed_tables()
    assert "Planner statistics refreshed." in capsys.readouterr().out


def records(count, title="Imported study"):
    return [
        Record(
            number=n,
            line=n,
            title=f"{title} {n}",
            authors=["Marie, Isabelle"],
            year=2011,
        )
        for n in range(1, count + 1)
    ]


def test_a_big_import_refreshes_them_and_a_small_one_does_not(monkeypatch):
    forget_statistics()
    monkeypatch.setattr(planner, "BULK_WRITE_ROWS", 5)
    topic = TopicFactory()
    importing.import_records(records=records(4), topic=topic)
    assert analysed_tables() == set()
    importing.import_records(records=records(5, "Another study"), topic=topic)
    assert "references_reference" in analysed_tables()


def test_an_import_of_many_batches_refreshes_them_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(planner, "BULK_WRITE_ROWS", 5)
    topic = TopicFactory()
    refreshed = []
    monkeypatch.setattr(planner, "refresh_statistics", lambda: refreshed.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        importing.import_records(records=records(15), topic=topic, batch_size=5)
    assert refreshed == [1]
