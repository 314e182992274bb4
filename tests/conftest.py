import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests run without collectstatic, so static URLs need no manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    """Pages may be cached; each test starts from empty caches."""
    from django.core.cache import caches

    from portal.caching import reset_guards

    for cache in caches.all():
        cache.clear()
    reset_guards()  # a cache that failed in an earlier test is tried again
    yield
    for cache in caches.all():
        cache.clear()
    reset_guards()


@pytest.fixture(scope="session")
def _import_jobs_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("import-jobs")


@pytest.fixture(autouse=True)
def _import_jobs_dir(settings, _import_jobs_folder):
    """Pending imports and import jobs are files: tests keep theirs aside."""
    settings.REFERENCES_IMPORT_JOBS_DIR = _import_jobs_folder


@pytest.fixture
def no_page_cache(settings):
    """Measure rendering itself: anonymous pages are not served from the cache."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories set passwords for every user; a slow hash only slows tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def scholarly_api(settings):
    """Crossref and PubMed stand-ins on 127.0.0.1, with the clients pointed at them.

    Fast failures for tests: short timeouts, no waiting between retries.
    """
    from tests.scholarly_api import ScholarlyAPI

    api = ScholarlyAPI().start()
    settings.CROSSREF_API_URL = api.crossref_url
    settings.NCBI_EUTILS_URL = api.eutils_url
    settings.PORTAL_CONTACT_EMAIL = "editors@example.org"
    settings.NCBI_API_KEY = "test-key"
    settings.REFERENCES_SOURCES_TIMEOUT = 2
    settings.REFERENCES_LOOKUP_TIMEOUT = 2
    settings.REFERENCES_SOURCES_RETRIES = 2
    settings.REFERENCES_SOURCES_BACKOFF = 0
    yield api
    api.stop()
