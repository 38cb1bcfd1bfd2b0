"""Settings shared by every environment; each value that differs comes from the environment."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

from archive.environment import cache_settings, replica_database

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The project package: its site-wide templates and static files travel with it (a wheel too).
PROJECT_DIR = BASE_DIR / "archive"


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "django_ratelimit",
    "simple_history",
    "axes",
    "csp",
    "documents",
    "search",
    "people",
    "oai",
    "curation",
    "versions",
    "importing",
    "reuse",
    "iiif",
    "releases",
    "django_registration",
    "folders",
    "alerts",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: from the path's prefix on public pages (/ru/, /zh-hans/; none is
    # English), from the language cookie or Accept-Language on the admin and the API.
    "archive.i18n.ArchiveLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "archive.csp.ArchiveCSPMiddleware",
    "archive.ratelimits.RateLimitMiddleware",
    # A list asked of a search index that cannot answer says so (503), never answers wrongly.
    "search.middleware.IndexUnavailableMiddleware",
    # A merged or renamed person's, place's or collection's old address redirects for good.
    "documents.middleware.PageMovedMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

# Admin logins: after 5 failed attempts for one user name from one address, that pair is
# locked out (HTTP 429) for 15 minutes; a success resets the count. Attempts are kept in
# the database (django-axes' AccessAttempt), so every gunicorn worker sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("ARCHIVE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Content Security Policy (django-csp): everything from the archive itself, no inline script
# or style anywhere (the JSON-LD data block is not script: CSP does not apply to it), no
# plugins, no framing. The admin (below) needs more; `archive.csp` gives it its own policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        # The document viewer shows a version's PDF in an <iframe> from the archive's own
        # file view (which alone may be framed, by the archive's own pages).
        "frame-src": [SELF],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# What the admin adds to it: inline styles (a change list without actions has a <style>,
# django-simple-history's history list a style="" attribute). Never inline script.
ARCHIVE_ADMIN_CSP_UPDATE = {"style-src": ["'unsafe-inline'"]}

SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Admin change lists of larger tables show PostgreSQL's row estimate, not an exact count, when
# unfiltered (curation/paging.py).
ARCHIVE_ADMIN_EXACT_COUNT_UP_TO = 100_000

# Rate limits of the expensive public endpoints (django-ratelimit, counted per client address
# in the cache): `archive.ratelimits` sorts each URL into one of these groups by its name and
# answers 429 with Retry-After past the limit.
ARCHIVE_RATE_LIMITS = {
    "export": os.environ.get("ARCHIVE_RATE_LIMIT_EXPORT", "30/m"),
    "feed": os.environ.get("ARCHIVE_RATE_LIMIT_FEED", "60/m"),
    "api": os.environ.get("ARCHIVE_RATE_LIMIT_API", "120/m"),
    "oai": os.environ.get("ARCHIVE_RATE_LIMIT_OAI", "120/m"),
    "iiif": os.environ.get("ARCHIVE_RATE_LIMIT_IIIF", "1200/m"),
    # Forms that send mail or try passwords (registration, sign-in, password reset,
    # confirming an account): each POST counts. Failed sign-ins also lock out (django-axes).
    "accounts": os.environ.get("ARCHIVE_RATE_LIMIT_ACCOUNTS", "10/m"),
    # A researcher's changes to their folders and saved searches (each POST counts).
    "workspace": os.environ.get("ARCHIVE_RATE_LIMIT_WORKSPACE", "120/m"),
}
# Behind a proxy that sets it, e.g. HTTP_X_REAL_IP; by default the connection's address.
RATELIMIT_IP_META_KEY = os.environ.get("ARCHIVE_CLIENT_IP_HEADER") or None
# The cache is CACHE_URL's (archive/environment.py): by default this process's memory in
# development and tests, Redis shared by every worker in production (see production.py).
# django-ratelimit rightly warns that local memory is not shared between processes, which is
# all development and tests need.
CACHES = cache_settings(os.environ.get("CACHE_URL"))
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "archive.context_processors.archive",
                "folders.context_processors.folders",
                "archive.context_processors.languages",
            ],
        },
    },
]

# With no configuration the archive runs on a SQLite file in the project (the embedded
# default); DATABASE_URL=postgres://USER@HOST:PORT/NAME points it at PostgreSQL.
DATABASES: dict[str, dict[str, Any]] = {
    "default": dict(
        dj_database_url.config(
            default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
            # A kept connection is checked before a request uses it: after PostgreSQL
            # restarts, a worker's next request reconnects instead of failing
            # (bench/database_restart.py).
            conn_health_checks=True,
        )
    )
}
# Behind PgBouncer in transaction mode (docs/scaling.md), server-side cursors (the streaming
# exports' .iterator()) cannot outlive a transaction: DATABASE_DISABLE_SERVER_SIDE_CURSORS=1.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS"
)
# A PostgreSQL read replica (docs/scaling.md): DATABASE_REPLICA_URL=postgres://... sends
# public reads there and keeps writes, migrations and reads after a write on the primary
# (archive/db_routers.py). Unset, nothing changes.
_replica = replica_database(
    os.environ.get("DATABASE_REPLICA_URL"), conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
)
if _replica:
    _replica["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"]
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["archive.db_routers.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(0, "archive.db_routers.PrimaryPinMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Writers take the lock when their transaction begins, so a second import waits its turn
    # instead of failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 60}
    )
for _database in DATABASES.values():
    if not _database["ENGINE"].endswith("postgresql"):
        continue
    # Per-session settings for many short queries on a small machine, without touching the
    # server's configuration: JIT compiling costs 50-200 ms once a plan's estimated cost is
    # high (facet counts over a million rows), more than the query then saves; the facet
    # counts' hash aggregates fit in 32 MB instead of spilling to disk; a page read at random
    # costs about what one read in sequence does (the working set is in memory, or on SSD),
    # so a keyword matching 4% of a million documents finds their facet rows by index
    # instead of hashing all million.
    _database.setdefault("OPTIONS", {}).setdefault(
        "options",
        os.environ.get(
            "DATABASE_SESSION_OPTIONS", "-c jit=off -c work_mem=32MB -c random_page_cost=1.1"
        ),
    )
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface's languages (docs/translations.md). Public pages are English at their plain
# URLs and the others under a prefix (/ru/, /zh-hans/: archive/urls.py); the admin and the API
# answer in the language cookie's language, else Accept-Language's. A document's own title and
# summary are shown as catalogued, whatever the interface's language.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("zh-hans", "中文"),
]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
# The unprefixed paths that answer in the visitor's language rather than in English: the
# admin (an archivist's own) and the API (its error texts; its keys and data never change).
ARCHIVE_NEGOTIATED_LANGUAGE_PATHS = ("/admin/", "/api/")
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded files (document versions: scans, transcripts, translations). They are never
# served from a public URL: the archive's own view serves each one after checking that its
# document is published (MEDIA_URL is deliberately not routed). ARCHIVE_VERSIONS_STORAGE names
# the STORAGES alias they are kept in: the local file system under MEDIA_ROOT by default; for
# object storage add an alias (e.g. django-storages' S3 backend with private objects) and
# name it here.
MEDIA_ROOT = Path(os.environ.get("ARCHIVE_MEDIA_ROOT", BASE_DIR / "media"))
ARCHIVE_VERSIONS_STORAGE = os.environ.get("ARCHIVE_VERSIONS_STORAGE", "default")
# The largest file a version may be, in bytes (uploads and imports alike).
ARCHIVE_VERSION_MAX_BYTES = int(os.environ.get("ARCHIVE_VERSION_MAX_BYTES", str(100 * 2**20)))
# Text taken from a PDF for search: from at most this many pages, at most this many characters.
ARCHIVE_VERSION_TEXT_MAX_PAGES = 2000
ARCHIVE_VERSION_TEXT_MAX_CHARS = 1_000_000
# The pages of original scans (versions/pages.py, `manage.py ocr_versions`): each page's
# pyramid image for the IIIF image server is kept here (derived data, made again from the
# scans, no need to back it up); PDF pages are drawn at this resolution, at most this many
# pixels on their longer side.
ARCHIVE_PAGE_IMAGES_DIR = Path(
    os.environ.get("ARCHIVE_PAGE_IMAGES_DIR", BASE_DIR / "var" / "page-images")
)
# Data releases (`manage.py publish_release`, listed at /data/): each the whole published
# archive as one file. Not derived data: a release's changelog is made against the previous
# release's file, so keep this folder in the backups with the media.
ARCHIVE_RELEASES_DIR = Path(os.environ.get("ARCHIVE_RELEASES_DIR", BASE_DIR / "var" / "releases"))
ARCHIVE_PAGE_DPI = int(os.environ.get("ARCHIVE_PAGE_DPI", "300"))
ARCHIVE_PAGE_MAX_SIDE = 6000
# Shown beside every download when a document has no rights statement of its own.
ARCHIVE_DEFAULT_RIGHTS = os.environ.get(
    "ARCHIVE_DEFAULT_RIGHTS",
    "Rights not yet determined. You may read, download and cite this document for research; "
    "ask the archive before republishing it.",
)

# The name the archive cites itself by ("Title," June 4, 1984, <ARCHIVE_NAME>, <source>. <URL>).
ARCHIVE_NAME = os.environ.get("ARCHIVE_NAME", "Cold War Digital Archive")
# Public results per page, and the most a researcher may ask for with ?per_page=.
ARCHIVE_PAGE_SIZE = 20
ARCHIVE_MAX_PAGE_SIZE = 100
# The most documents one export (RIS, BibTeX, CSL-JSON, CSV, JSON Lines) may hold; larger
# result lists are refused with a 400 asking to narrow them (OAI-PMH serves everything).
ARCHIVE_EXPORT_MAX_DOCUMENTS = int(os.environ.get("ARCHIVE_EXPORT_MAX_DOCUMENTS", "10000"))
# How long whole public pages stay in the cache (0 turns it off). They can't go stale: the key
# holds the search index's generation, which every commit of the indexer changes.
ARCHIVE_PAGE_CACHE_SECONDS = int(os.environ.get("ARCHIVE_PAGE_CACHE_SECONDS", "86400"))
# The search index (Tantivy): one directory, read by every web process (search/index.py).
ARCHIVE_INDEX_DIR = Path(os.environ.get("ARCHIVE_INDEX_DIR", BASE_DIR / "var" / "index"))
# What the index is made from: a class with published_ids(), any_published() and
# fields_of(ids) (search/indexing.py's Source); the catalogue's is documents/indexing.py.
ARCHIVE_SEARCH_SOURCE = "documents.indexing.PublishedDocuments"
# Whether this process applies the index's outbox itself right after each commit (and before
# a list is read): the default, so `make run` and the tests need nothing more. Production
# runs `manage.py index_documents --follow` instead and turns this off.
ARCHIVE_INDEX_INLINE = env_bool("ARCHIVE_INDEX_INLINE", True)
# Threads a rebuild of the index writes with.
ARCHIVE_INDEX_THREADS = int(os.environ.get("ARCHIVE_INDEX_THREADS", "2"))
# Threads a list's facets are counted with (the people facet beside the others); 1 counts
# them one after the other.
ARCHIVE_SEARCH_THREADS = int(os.environ.get("ARCHIVE_SEARCH_THREADS", "2"))
# The index is reported as lagging (by `manage.py check` and /health/index) when an outbox
# entry has waited longer than this many seconds.
ARCHIVE_INDEX_LAG_SECONDS = int(os.environ.get("ARCHIVE_INDEX_LAG_SECONDS", "60"))
# Entries in a search's Atom feed (the newest first).
ARCHIVE_FEED_ITEMS = 50
# OAI-PMH: records or headers a response holds before a resumption token; the repository's
# identifier (a domain name: records are oai:<it>:<identifier>) and its administrator.
ARCHIVE_OAI_PAGE_SIZE = 100
ARCHIVE_OAI_REPOSITORY_IDENTIFIER = os.environ.get(
    "ARCHIVE_OAI_REPOSITORY_IDENTIFIER", "cold-war-archive.example.org"
)
ARCHIVE_ADMIN_EMAIL = os.environ.get("ARCHIVE_ADMIN_EMAIL", "archivists@example.org")

# Researchers' accounts (accounts/): registration confirmed by an e-mailed link valid this
# many days (django-registration's HMAC workflow), Django's own login and password reset.
ACCOUNT_ACTIVATION_DAYS = 7
REGISTRATION_OPEN = env_bool("ARCHIVE_REGISTRATION_OPEN", True)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accounts:workspace"
LOGOUT_REDIRECT_URL = "documents:home"
# Mail (registration, password reset, saved searches' alerts) goes out through this SMTP
# server; development prints it to the console instead (dev.py).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "archive@example.org")
# The address alerts' links point to (a command has no request to take it from).
ARCHIVE_SITE_URL = os.environ.get("ARCHIVE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # libvips says "threadpool completed" at INFO for every image it cuts.
    "loggers": {"pyvips": {"level": "WARNING"}},
}
