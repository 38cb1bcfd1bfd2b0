"""Fixtures for roles, history, merges and the security tests."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

PASSWORD = "a-long-test-password-1"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counts live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def archivist(django_user_model):
    user = django_user_model.objects.create_user(
        "archivist", "archivist@example.org", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Archivist"))
    return user


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)


@pytest.fixture
def archivist_client(client, archivist):
    client.force_login(archivist)
    return client
