"""The cache and the read replica come from the environment (archive/environment.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from archive.environment import cache_settings, replica_database
from tests.archive.conftest import settings_with


def test_no_cache_url_is_this_process_memory():
    assert cache_settings(None) == {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    assert cache_settings("") == cache_settings(None)


def test_no_cache_url_gives_the_default_asked_for():
    redis = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://x:6379/0"}
    assert cache_settings(None, default=redis) == {"default": redis}


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/3", "rediss://cache.example.org:6380/0", "unix:///run/r.sock"]
)
def test_a_redis_url_is_django_redis_failing_open_quickly(url):
    cache = cache_settings(url)["default"]
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["LOCATION"] == url
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert cache["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 1
    assert cache["OPTIONS"]["SOCKET_TIMEOUT"] <= 1


def test_locmem_and_dummy_urls():
    assert cache_settings("locmem://facets")["default"] == {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "facets",
    }
    assert cache_settings("dummy://")["default"] == {
        "BACKEND": "django.core.cache.backends.dummy.DummyCache"
    }


def test_an_unknown_cache_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="memcached"):
        cache_settings("memcached://127.0.0.1:11211")


def test_no_replica_url_is_no_replica():
    assert replica_database(None) is None
    assert replica_database("") is None


def test_a_replica_url_is_a_postgresql_database_that_tests_mirror():
    url = "postgres://reader:pw@replica.internal:5433/archive"
    replica = replica_database(url, conn_max_age=60)
    assert replica["ENGINE"] == "django.db.backends.postgresql"
    assert (replica["HOST"], replica["PORT"]) == ("replica.internal", 5433)
    assert replica["NAME"] == "archive"
    assert replica["USER"] == "reader"
    assert replica["CONN_MAX_AGE"] == 60
    assert replica["TEST"] == {"MIRROR": "default"}


def test_a_replica_must_be_postgresql():
    with pytest.raises(ImproperlyConfigured, match="postgres"):
        replica_database("sqlite:////tmp/replica.sqlite3")


def test_settings_read_both_from_the_environment():
    env = {
        "CACHE_URL": "redis://127.0.0.1:6379/7",
        "DATABASE_REPLICA_URL": "postgres://reader@127.0.0.1:5432/replica",
    }
    printed = settings_with(
        env,
        "archive.settings.dev",
        "settings.CACHES['default']['LOCATION'], settings.DATABASES['replica']['NAME'], "
        "settings.DATABASE_ROUTERS, settings.MIDDLEWARE[0]",
    )
    assert printed == (
        "redis://127.0.0.1:6379/7 replica ['archive.db_routers.PrimaryReplicaRouter'] "
        "archive.db_routers.PrimaryPinMiddleware"
    )


def test_server_side_cursors_can_be_switched_off_for_a_transaction_pooler():
    expression = (
        "settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'], "
        "settings.DATABASES['replica']['DISABLE_SERVER_SIDE_CURSORS']"
    )
    replica = {"DATABASE_REPLICA_URL": "postgres://reader@127.0.0.1:5432/replica"}
    assert settings_with(replica, "archive.settings.dev", expression) == "False False"
    pooled = {**replica, "DATABASE_DISABLE_SERVER_SIDE_CURSORS": "1"}
    assert settings_with(pooled, "archive.settings.dev", expression) == "True True"


def test_without_them_nothing_changes():
    printed = settings_with(
        {},
        "archive.settings.dev",
        "settings.CACHES['default']['BACKEND'], sorted(settings.DATABASES), "
        "settings.DATABASE_ROUTERS, "
        "'archive.db_routers.PrimaryPinMiddleware' in settings.MIDDLEWARE",
    )
    assert printed == "django.core.cache.backends.locmem.LocMemCache ['default'] [] False"


def test_production_keeps_its_redis_default_and_its_old_variable():
    key = {"DJANGO_SECRET_KEY": "x" * 60}
    location = "settings.CACHES['default']['LOCATION']"
    assert settings_with(key, "archive.settings.production", location) == (
        "redis://127.0.0.1:6379/0"
    )
    old = {**key, "DJANGO_REDIS_URL": "redis://cache:6379/1"}
    assert settings_with(old, "archive.settings.production", location) == "redis://cache:6379/1"
    new = {**old, "CACHE_URL": "redis://cache:6379/2"}
    assert settings_with(new, "archive.settings.production", location) == "redis://cache:6379/2"


def test_tests_never_use_a_shared_cache():
    printed = settings_with(
        {"CACHE_URL": "redis://127.0.0.1:6379/7"},
        "archive.settings.test",
        "settings.CACHES['default']['BACKEND']",
    )
    assert printed == "django.core.cache.backends.locmem.LocMemCache"


def test_kept_database_connections_are_checked_before_a_request_uses_them():
    """After PostgreSQL restarts, a worker's next request reconnects instead of answering
    500 (measured: bench/database_restart.py, bench/README.md)."""
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
