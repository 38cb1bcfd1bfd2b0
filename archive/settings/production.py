"""Production: every secret comes from the environment, with no default.

`DJANGO_SECRET_KEY=... manage.py check --deploy --settings=archive.settings.production` is
clean: HTTPS only (HSTS a year, with subdomains and preload), secure and HttpOnly cookies,
no framing, a same-origin referrer policy, a Content Security Policy without unsafe-inline
(base.py), throttled admin logins (django-axes) and rate-limited exports, feeds, API and
OAI-PMH counted in Redis.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from archive.environment import cache_settings

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = False
# The index follows the outbox in its own process (`manage.py index_documents --follow`,
# a service in docker-compose), not inside web requests.
ARCHIVE_INDEX_INLINE = env_bool("ARCHIVE_INDEX_INLINE", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
SESSION_COOKIE_HTTPONLY = True
# The admin's forms read the CSRF token from the form, never from JavaScript.
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Rate limits are counted in Redis, shared by every gunicorn worker (docker-compose runs
# one): CACHE_URL, or DJANGO_REDIS_URL as before, or a Redis on this machine. If Redis is
# unreachable the site keeps serving, unlimited, rather than failing.
CACHES = cache_settings(
    os.environ.get("CACHE_URL") or os.environ.get("DJANGO_REDIS_URL") or "redis://127.0.0.1:6379/0"
)
RATELIMIT_FAIL_OPEN = True
SILENCED_SYSTEM_CHECKS = []
