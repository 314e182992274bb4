"""``manage.py`` as a developer or a checker runs it in a bare checkout."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_bare(*args):
    """``manage.py ARGS`` with no DEBUG, no SECRET_KEY and no settings named."""
    bare = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=bare,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_migrations_check_runs_without_any_setting():
    """With no DEBUG and no SECRET_KEY the settings refuse to start the site;
    checking migrations reads the models only and must still answer."""
    done = run_bare("makemigrations", "--check", "--dry-run")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "No changes detected" in done.stdout


def test_the_site_still_refuses_to_start_without_a_key():
    done = run_bare("check")
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr
