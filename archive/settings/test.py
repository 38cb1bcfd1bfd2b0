"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL says so."""

import os
import tempfile

from archive.environment import cache_settings

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# WhiteNoise looks for collected files only on request, so tests need no collectstatic.
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory: tests that run two imports in threads need one shared database.
    # One file per test run, so runs side by side (CI, a developer, a worktree) never share it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"archive-test-{os.getpid()}.sqlite3")
    }
    # Durability is for real archives; a test database may lose a write if the machine dies.
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous=OFF"  # noqa: F405
# Tests never share a cache with anything, whatever CACHE_URL says.
CACHES = cache_settings(None)
# The rate limits themselves are tested (tests/curation/test_security.py sets small ones);
# elsewhere a test may export or harvest as often as it needs from its one address.
ARCHIVE_RATE_LIMITS = {group: "100000/m" for group in ARCHIVE_RATE_LIMITS}  # noqa: F405
# Query counts and pages are tested as computed; the cache under the archive's version is
# tested where it is turned on (tests/documents/test_facets.py).
ARCHIVE_FACET_CACHE_SECONDS = 0
# No thread reads facet columns behind a test's back (its connection would outlive the test
# database); the tests of documents/facet_columns.py read them when they want them.
ARCHIVE_FACET_COLUMNS_MIN_DOCUMENTS = None
