"""Settings come from the environment and fail loudly when they are wrong."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly this environment."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "DEBUG",
            "DATABASE_URL",
            "CACHE_URL",
            "REDIS_URL",
            "ALLOWED_HOSTS",
        }
    }
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings as s; print(s.DATABASES)"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_production_without_secret_key_refuses_to_start():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_defaults_to_off():
    result = load_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0
    check = subprocess.run(
        [sys.executable, "-c", "import portal.settings as s; print(s.DEBUG)"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "x" * 50, "DEBUG": ""},
        capture_output=True,
        text=True,
    )
    assert check.stdout.strip() == "False"


@pytest.mark.parametrize(
    "url", ["not a url", "mysqlx://host/db", "postgres://", "://nothing"]
)
def test_malformed_database_url_gets_a_clear_message(url):
    result = load_settings(SECRET_KEY="x" * 50, DATABASE_URL=url)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_postgres_url_selects_postgresql():
    result = load_settings(
        SECRET_KEY="x" * 50, DATABASE_URL="postgres://u:p@db.example:5432/portal"
    )
    assert result.returncode == 0
    assert "django.db.backends.postgresql" in result.stdout
    assert "'NAME': 'portal'" in result.stdout


def test_unclear_debug_value_is_an_error():
    result = load_settings(SECRET_KEY="x" * 50, DEBUG="maybe")
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr


def test_without_redis_the_cache_is_shared_by_the_processes_of_a_machine(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings as s; print(s.CACHES)"],
        cwd=ROOT,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in {"CACHE_URL", "REDIS_URL"}
            },
            "SECRET_KEY": "x" * 50,
            "CACHE_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
    )
    assert "FileBasedCache" in result.stdout and str(tmp_path) in result.stdout


def test_cache_url_selects_redis():
    check = subprocess.run(
        [sys.executable, "-c", "import portal.settings as s; print(s.CACHES)"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "x" * 50, "CACHE_URL": "redis://h:6379/3"},
        capture_output=True,
        text=True,
    )
    assert "RedisCache" in check.stdout and "redis://h:6379/3" in check.stdout
