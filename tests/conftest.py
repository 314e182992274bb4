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
    """Pages may be cached; each test starts from an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# ---------------------------------------------------------------------------
# Production (issue 6)
# ---------------------------------------------------------------------------


@pytest.fixture
def no_page_cache(settings):
    """Measure rendering itself: anonymous pages are not served from the cache."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.7 s a login; the tests log in often."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
