"""Fault class: concurrent writers. They queue, then get the workflow's answer.

Twenty editors saving the same version at once: one is saved, nineteen are
told of the conflict, and nobody sees "database is locked" (a 503). Board
members approving while the editor withdraws: exactly one action happens.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from portal.settings import database_from_url
from tests.production import racing

ROOT = Path(__file__).resolve().parents[2]


def test_sqlite_transactions_take_the_write_lock_and_wait_for_it():
    config = database_from_url("sqlite:////tmp/portal.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5
    # Readers do not wait for a long writer (a background import).
    assert config["OPTIONS"]["init_command"] == "PRAGMA journal_mode=WAL;"


def assert_one_writer_won(result):
    saves = result["saves"]
    assert saves["outcomes"] == {"saved": 1, "conflict": racing.SAVERS - 1}
    assert saves["version"] == 2
    assert saves["edit_events"] == 2  # the first save and the winner
    admin_saves = result["admin_saves"]
    assert admin_saves["outcomes"] == {
        "saved": 1,
        "conflict": racing.ADMIN_SAVERS - 1,
    }
    assert admin_saves["version"] == 2
    transitions = result["transitions"]
    assert transitions["statuses"] == {"302": 3 * racing.ROUNDS}
    assert transitions["rounds_by_winners"] == {"1": racing.ROUNDS}


def test_parallel_writers_on_a_sqlite_file_queue_and_one_wins(tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 50,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "CACHE_DIR": str(tmp_path / "cache"),
    }
    for name in ("DATABASE_URL", "CACHE_URL", "REDIS_URL"):
        env.pop(name, None)
    run = subprocess.run(
        [sys.executable, "-m", "tests.production.racing", str(tmp_path / "db.sqlite3")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    line = next(x for x in run.stdout.splitlines() if x.startswith("RESULT "))
    assert "database is locked" not in run.stdout + run.stderr
    assert_one_writer_won(json.loads(line.removeprefix("RESULT ")))


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_on_postgresql_one_wins(settings):
    if connection.vendor != "postgresql":
        pytest.skip("runs when DATABASE_URL names PostgreSQL (CI's second pass)")
    result = {
        "saves": racing.parallel_saves(),
        "admin_saves": racing.parallel_admin_saves(),
        "transitions": racing.approve_racing_withdraw(),
    }
    assert_one_writer_won(json.loads(json.dumps(result)))
