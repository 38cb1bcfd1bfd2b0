"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL says so."""

import os
import tempfile
from pathlib import Path

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
# Pages are tested as computed; the page cache is tested where it is turned on.
ARCHIVE_PAGE_CACHE_SECONDS = 0
# Each test gets an index directory of its own (conftest.py); this is only the default.
ARCHIVE_INDEX_DIR = Path(tempfile.gettempdir()) / f"archive-test-index-{os.getpid()}"
