"""Settings for the Myositis Knowledge Portal.

Everything that differs between machines comes from the environment; the
defaults are the safe ones (DEBUG off, a local SQLite file, a file-based
cache). See README.md for the variables.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """Read a yes/no variable; anything but a clear yes or no is an error."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default=""):
    """Read a comma-separated variable into a list, dropping empty items."""
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {value!r}."
        ) from None


DEBUG = env_bool("DEBUG", False)

# Development gets a throwaway key; anything else must be given a real one.
_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a "
            "long random string (for example: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), or set DEBUG=true for development."
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "localhost,127.0.0.1"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin on the portal's site: garbled numbers are a 400.
    "portal.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "django.contrib.sitemaps",
    "reversion",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "references",
    "articles",
    "questions",
    "portal",
    "api",
]

# Order matters: the request log is outermost so it
# times everything; ConditionalGet sits outside the page cache so cache hits
# can answer 304; the page cache comes next, as early as it can: a
# hit is answered before the CSP, session, locale and common middleware run,
# with the headers they added when the page was stored (the CSP header is the
# same for every page: no nonces); the database-failure handler is innermost
# so it sees the view's exceptions.
MIDDLEWARE = [
    "portal.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The read API: CORS headers on every answer under /api/,
    # 304s and 429s included, and its request limit before the page cache.
    "corsheaders.middleware.CorsMiddleware",
    "api.middleware.RequestLimitMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "portal.page_cache.PublicPageCacheMiddleware",
    # NUL in a parameter is refused before any view reads it.
    "portal.edge.RefuseNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "reversion.middleware.RevisionMiddleware",
    "portal.failures.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"


def database_from_url(url):
    """Parse DATABASE_URL, turning a malformed value into a readable error."""
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    except Exception as exc:  # dj-database-url raises several types
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL Django understands ({exc}). "
            "Use sqlite:///path/to/db.sqlite3 or "
            "postgres://user:password@host:5432/name."
        ) from exc
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"DATABASE_URL {url!r} names no database engine.")
    if config["ENGINE"] != "django.db.backends.sqlite3" and not config.get("NAME"):
        raise ImproperlyConfigured(f"DATABASE_URL {url!r} names no database.")
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Concurrent writers queue instead of failing with "database is
        # locked": a transaction takes the write lock when it begins
        # (IMMEDIATE), so it never has to upgrade a read lock half-way, and
        # waits up to SQLITE_TIMEOUT seconds for it.
        options = config.setdefault("OPTIONS", {})
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", env_int("SQLITE_TIMEOUT", 10))
        # Write-ahead logging: readers never wait for a writer. Without it a
        # long write (a background import of thousands of records) spills
        # its pages under an exclusive lock and every page that reads the
        # database waits for its commit (the import's progress page 6 s).
        options.setdefault("init_command", "PRAGMA journal_mode=WAL;")
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Fail fast when PostgreSQL is unreachable or a query hangs, so readers
        # get the 503 page quickly instead of a worker stuck until its timeout.
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 2))
        statement_timeout = env_int("DB_STATEMENT_TIMEOUT_MS", 5000)
        if statement_timeout:
            options.setdefault("options", f"-c statement_timeout={statement_timeout}")
    return config


DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}

_CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
if _CACHE_URL:
    if not _CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"CACHE_URL must be a redis:// URL, not {_CACHE_URL!r}."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
            "KEY_PREFIX": "portal",
            # A Redis that hangs costs each request at most this long per call
            # (portal.caching.GuardedCache turns the timeout into a miss).
            "OPTIONS": {
                "socket_connect_timeout": env_int("CACHE_TIMEOUT_MS", 500) / 1000,
                "socket_timeout": env_int("CACHE_TIMEOUT_MS", 500) / 1000,
            },
        }
    }
else:
    # Without Redis, a cache on disk: every worker process of this machine
    # shares it, so an approval invalidates the cached pages of all of them
    # (a per-process memory cache would keep serving the old text).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / ".cache")),
        }
    }
# Rendered public pages, in each process's memory; they are found through the
# generation key in the shared default cache (portal/page_cache.py).
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "portal-pages",
    "OPTIONS": {"MAX_ENTRIES": env_int("PORTAL_PAGE_CACHE_ENTRIES", 1000)},
}

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {
        "NAME": f"{_VALIDATORS}.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "editorial:login"
LOGIN_REDIRECT_URL = "editorial:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "editors@localhost")
# For EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# Security. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER_NAME
# (usually HTTP_X_FORWARDED_PROTO); production defaults are strict.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if os.environ.get("SECURE_PROXY_SSL_HEADER_NAME"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER_NAME"], "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "portal.request_log.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # One JSON line per request on stdout, for the log collector.
        "requests": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "portal.requests": {
            "handlers": ["requests"],
            "level": "INFO",
            "propagate": False,
        },
        # httpx logs every request at INFO: a daily literature watch asks
        # thousands. Failures reach the command's output and errors anyway.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

# The portal's own settings.
PORTAL_NAME = os.environ.get("PORTAL_NAME", "Myositis Knowledge Portal")
PORTAL_PAGE_SIZE = env_int("PORTAL_PAGE_SIZE", 25)
# Entries a topic page shows per section; the rest are on /literature/.
PORTAL_TOPIC_SECTION_ENTRIES = env_int("PORTAL_TOPIC_SECTION_ENTRIES", 25)
# Months between an approval and the article's next review.
PORTAL_REVIEW_PERIOD_MONTHS = env_int("PORTAL_REVIEW_PERIOD_MONTHS", 12)
# Four eyes: nobody approves their own text, superusers included, unless this
# is switched on (for a one-person test site, never for a real board).
PORTAL_ALLOW_SELF_APPROVAL = env_bool("PORTAL_ALLOW_SELF_APPROVAL", False)
# Board sign-off: how many distinct, independent, unconflicted board members
# must approve a text before it is published.
PORTAL_APPROVALS_REQUIRED = max(1, env_int("PORTAL_APPROVALS_REQUIRED", 1))
# The editorial dashboard lists articles with fewer than this share (per
# cent) of their citations checkable: by a DOI, PMID, trial registration or
# a working link (articles.evidence_profile).
PORTAL_CHECKABLE_CITATIONS_MIN_PERCENT = env_int(
    "PORTAL_CHECKABLE_CITATIONS_MIN_PERCENT", 90
)
# A declared interest older than this many months shows as due for renewal.
PORTAL_DISCLOSURE_VALID_MONTHS = env_int("PORTAL_DISCLOSURE_VALID_MONTHS", 12)
# Show a never-approved article that the board holds (submitted or under
# review) on its public page, under a prominent "pending review" caution.
PORTAL_SHOW_UNREVIEWED = env_bool("PORTAL_SHOW_UNREVIEWED", False)
# Where the site lives, for links in notification emails.
PORTAL_SITE_URL = os.environ.get("PORTAL_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Literature management (references app).
# The largest reference file an editor may import, in bytes.
REFERENCES_IMPORT_MAX_BYTES = env_int("REFERENCES_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# Imports of thousands of records run in the background (references/
# import_jobs.py): each job's records and status are files here, which every
# worker must see (a shared volume when there are several machines).
REFERENCES_IMPORT_JOBS_DIR = Path(
    os.environ.get("REFERENCES_IMPORT_JOBS_DIR", BASE_DIR / ".import-jobs")
)
# Link checking: parallel requests, seconds per request, retries of a request
# that timed out or failed on the server's side, and how many checks in a row
# must find a link gone (404, 410, unknown host) before it counts as expired.
REFERENCES_LINKCHECK_WORKERS = env_int("REFERENCES_LINKCHECK_WORKERS", 8)
REFERENCES_LINKCHECK_TIMEOUT = env_int("REFERENCES_LINKCHECK_TIMEOUT", 10)
REFERENCES_LINKCHECK_RETRIES = env_int("REFERENCES_LINKCHECK_RETRIES", 2)
REFERENCES_LINKCHECK_EXPIRE_AFTER = env_int("REFERENCES_LINKCHECK_EXPIRE_AFTER", 3)

# Evidence surveillance (references/sources/): metadata by DOI or PMID and the
# retraction watch. The contact address goes to Crossref (``mailto``, its
# "polite pool") and NCBI (``email``), as both ask; an NCBI API key raises
# NCBI's limit from 3 to 10 requests a second.
CROSSREF_API_URL = os.environ.get(
    "CROSSREF_API_URL", "https://api.crossref.org"
).rstrip("/")
NCBI_EUTILS_URL = os.environ.get(
    "NCBI_EUTILS_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
).rstrip("/")
PORTAL_CONTACT_EMAIL = os.environ.get("PORTAL_CONTACT_EMAIL", "")
NCBI_API_KEY = os.environ.get("NCBI_API_KEY", "")
# Seconds per request, retries of a request that timed out or got a 429/5xx
# (waiting REFERENCES_SOURCES_BACKOFF seconds, then twice that...), and the
# shorter budget of the editor's "Look up" button, who waits for it.
REFERENCES_SOURCES_TIMEOUT = env_int("REFERENCES_SOURCES_TIMEOUT", 20)
REFERENCES_SOURCES_RETRIES = env_int("REFERENCES_SOURCES_RETRIES", 3)
REFERENCES_SOURCES_BACKOFF = env_int("REFERENCES_SOURCES_BACKOFF", 1)
REFERENCES_LOOKUP_TIMEOUT = env_int("REFERENCES_LOOKUP_TIMEOUT", 5)
# Most papers one run of a saved search brings: PubMed serves no more than
# 10,000 records of one search; a search finding more must be narrowed.
REFERENCES_SURVEILLANCE_MAX_RESULTS = env_int(
    "REFERENCES_SURVEILLANCE_MAX_RESULTS", 10000
)


# ---------------------------------------------------------------------------
# Production: serving, caching, CSP, accounts. See README.md.
# ---------------------------------------------------------------------------

# Full pages for anonymous readers, invalidated on every public change
# (portal/page_cache.py); this only bounds how long an unread entry lingers.
# 0 switches page caching off.
PORTAL_PAGE_CACHE_SECONDS = env_int("PORTAL_PAGE_CACHE_SECONDS", 600)
# After a cache failure, each process leaves the cache alone this long
# (portal.caching.GuardedCache), so a hung Redis costs one timeout, not many.
PORTAL_CACHE_RETRY_SECONDS = env_int("PORTAL_CACHE_RETRY_SECONDS", 2)

# Content Security Policy (django-csp): everything from this site, nothing
# inline. JSON-LD <script type="application/ld+json"> blocks are data, not
# script, and CSP does not block them. The Django admin (5.2) uses only
# external scripts and styles, so it needs no exception.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Sessions: shared through Redis when it is configured, so any of several
# gunicorn instances can serve any request; the database keeps them durable
# and serves them while Redis is down (portal/sessions.py).
SESSION_ENGINE = os.environ.get(
    "SESSION_ENGINE",
    "portal.sessions" if _CACHE_URL else "django.contrib.sessions.backends.db",
)
# Only editorial users log in; their sessions are short.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Login throttling (portal/throttling.py): failures counted per username and
# address, per address, and (a slower limit) per username from anywhere,
# within a window; addresses an account signed in from are remembered.
AUTHENTICATION_BACKENDS = ["portal.throttling.ThrottledModelBackend"]
# The one login form, which says when a login is throttled: /editorial/login/
# uses it, the admin a subclass with its staff-only rule (portal/admin.py).
PORTAL_LOGIN_FORM = "portal.throttling.ThrottledAuthenticationForm"
LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS = env_int(
    "LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS", 5
)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 20)
LOGIN_FAILURES_PER_USERNAME = env_int("LOGIN_FAILURES_PER_USERNAME", 100)
LOGIN_KNOWN_ADDRESS_DAYS = env_int("LOGIN_KNOWN_ADDRESS_DAYS", 90)
LOGIN_THROTTLE_MINUTES = env_int("LOGIN_THROTTLE_MINUTES", 15)
# Behind a proxy, the META key holding the client's address as the proxy saw
# it (for example HTTP_X_REAL_IP); REMOTE_ADDR otherwise.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "REMOTE_ADDR")

# Reader questions (issue 25, questions/): questions per client address and
# in all per hour before a reader is asked to wait; days a question is kept
# (manage.py delete_old_questions); days a confirmation link stays valid.
PORTAL_QUESTIONS_PER_ADDRESS_PER_HOUR = env_int(
    "PORTAL_QUESTIONS_PER_ADDRESS_PER_HOUR", 5
)
PORTAL_QUESTIONS_PER_HOUR = env_int("PORTAL_QUESTIONS_PER_HOUR", 200)
PORTAL_QUESTION_RETENTION_DAYS = env_int("PORTAL_QUESTION_RETENTION_DAYS", 365)
PORTAL_QUESTION_CONFIRM_DAYS = env_int("PORTAL_QUESTION_CONFIRM_DAYS", 7)

# A form posted without its page's token gets the site's page saying so.
CSRF_FAILURE_VIEW = "portal.failures.csrf_failure"

# How long a reader is told to wait when the database is unavailable.
PORTAL_RETRY_AFTER_SECONDS = env_int("PORTAL_RETRY_AFTER_SECONDS", 30)


# ---------------------------------------------------------------------------
# The read API and FHIR: /api/v1/, README "Open evidence API".
# ---------------------------------------------------------------------------

# Public and read-only: nobody is authenticated (an editor's session changes
# nothing), answers are JSON only (no browsable HTML, so a cached answer
# never depends on the Accept header) and errors are JSON (api.errors).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.OneForm",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{PORTAL_NAME} API",
    "DESCRIPTION": (
        "Reviewed articles, their graded recommendations and the curated "
        "literature, as readers see them: JSON under /api/v1/ and FHIR R5 "
        "(EBMonFHIR) under /api/v1/fhir/. Read-only, no authentication."
    ),
    "VERSION": "1.0.0",
    # OpenAPI 3.1: a nullable link is "one of the object or null", which
    # validators read right (3.0's "nullable" beside a $ref they do not).
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": False,
    # Several fields are called "kind": each enum named after its model.
    "ENUM_NAME_OVERRIDES": {
        "ReferenceKindEnum": "references.models.Reference.Kind",
        "NoticeKindEnum": "references.models.ReferenceNotice.Kind",
        "RecommendationKindEnum": "articles.grading.Kind",
        "EvidenceLevelEnum": "references.evidence.EvidenceLevel",
    },
}
# CORS (django-cors-headers): any origin may GET the API; no cookies.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
# Requests per client address (CLIENT_IP_HEADER) to /api/ in a window of
# API_RATE_WINDOW_SECONDS; past it a JSON 429 with Retry-After. 0: no limit.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 300)
API_RATE_WINDOW_SECONDS = max(1, env_int("API_RATE_WINDOW_SECONDS", 60))
