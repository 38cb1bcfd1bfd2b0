"""Fixtures for document versions: an archivist, and the admin's change form as a browser
would submit it."""

import lxml.html
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
def archivist_client(client, archivist):
    client.force_login(archivist)
    return client


def form_fields(html: bytes, form_id: str) -> dict[str, list[str]]:
    """What a browser would send for a form as it stands (no files)."""
    tree = lxml.html.fromstring(html)
    form = tree.get_element_by_id(form_id)
    data: dict[str, list[str]] = {}
    for element in form.iter("input", "select", "textarea"):
        name = element.get("name")
        if not name or element.get("type") in ("file", "submit", "button"):
            continue
        if element.tag == "select":
            values = [
                o.get("value", o.text or "")
                for o in element.iter("option")
                if o.get("selected") is not None
            ]
        elif element.tag == "textarea":
            values = [element.text or ""]
        elif element.get("type") in ("checkbox", "radio"):
            values = [element.get("value", "on")] if element.get("checked") is not None else []
        else:
            values = [element.get("value", "")]
        if values:
            data.setdefault(name, []).extend(values)
    return data
