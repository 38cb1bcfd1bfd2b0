"""Settings from the environment that take more than a string: the cache and a read replica.

Small functions of their input, so tests call them with any value (settings modules are read
once per process). `docs/scaling.md` says when to set them.

- `CACHE_URL`: the cache every process shares. `redis://HOST:PORT/DB` (or `rediss://`,
  `unix://`) for Redis through django-redis, `locmem://` for this process's memory, `dummy://`
  for none. Unset: memory in development and tests, Redis on 127.0.0.1 in production.
- `DATABASE_REPLICA_URL`: a PostgreSQL read replica; public reads go there
  (`archive.db_routers`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

REDIS_SCHEMES = {"redis", "rediss", "unix"}


def cache_settings(url: str | None, *, default: dict | None = None) -> dict:
    """`CACHES` for a cache URL; `default` (or this process's memory) when there is none."""
    if not url:
        return {"default": default or {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    parts = urlsplit(url)
    if parts.scheme in REDIS_SCHEMES:
        cache = {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                # A cache that is down or slow costs at most a second and is then skipped: the
                # site serves (rate limits fail open) rather than failing with it.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    elif parts.scheme == "locmem":
        cache = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parts.netloc,
        }
    elif parts.scheme == "dummy":
        cache = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    else:
        raise ImproperlyConfigured(
            f"CACHE_URL: “{parts.scheme}://” is not a cache this archive knows; use redis://, "
            "rediss://, unix://, locmem:// or dummy://."
        )
    return {"default": cache}


def replica_database(url: str | None, *, conn_max_age: int | None = 0) -> dict | None:
    """The `replica` entry of `DATABASES` for a replica URL, or None without one.

    In tests the replica mirrors the test database, so a suite run with a replica configured
    still reads what it wrote.
    """
    if not url:
        return None
    config = dj_database_url.parse(url, conn_max_age=conn_max_age)
    if not config.get("ENGINE", "").endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a postgres:// URL.")
    config["TEST"] = {"MIRROR": "default"}
    return dict(config)
