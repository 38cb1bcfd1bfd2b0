"""Security: the production settings pass `check --deploy`, every page carries a strict
Content Security Policy that the pages and the admin keep to, admin logins are throttled,
and the expensive endpoints are rate-limited."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from django.urls import reverse

from tests.curation.conftest import PASSWORD
from tests.samples import make_sample_archive

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

PUBLIC_PAGES = [
    "/",
    "/documents/",
    "/documents/?q=Puzanov",
    "/documents/avprf.1967-11:a_1/",
    "/documents/span-1960/",
    "/people/",
    "/people/kim-il-sung/",
    "/regions/",
    "/regions/east-asia/",
    "/collections/",
    "/collections/conversations-with-kim-il-sung/",
]


@pytest.fixture
def archive(db):
    return make_sample_archive()


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def manage(*args, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# Production settings -----------------------------------------------------------------------


def test_check_deploy_is_clean():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        "--settings=archive.settings.production",
        env={"DJANGO_SECRET_KEY": secrets.token_urlsafe(64)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", "--settings=archive.settings.production", env={})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


# Headers and the Content Security Policy ---------------------------------------------------


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_a_strict_policy_and_keep_to_it(client, archive, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    tree = lxml.html.fromstring(response.content)
    for script in tree.iter("script"):
        # Only files of the archive's own, or data (JSON-LD), which CSP does not run.
        assert script.get("src") or script.get("type") == "application/ld+json", lxml.html.tostring(
            script
        )[:200]
    assert not tree.xpath("//style"), "an inline <style> element"
    assert not tree.xpath("//*[@style]"), "an inline style attribute"
    handlers = [a for el in tree.iter() for a in el.attrib if a.lower().startswith("on")]
    assert not handlers, handlers
    for link in tree.xpath("//script/@src | //link[@rel='stylesheet']/@href | //img/@src"):
        assert link.startswith("/") and not link.startswith("//"), link  # no other origin


ADMIN_PAGES = [
    ("admin:index", []),
    ("admin:documents_document_changelist", []),
    ("admin:documents_document_add", []),
    ("admin:people_person_changelist", []),
    ("admin:documents_region_changelist", []),
    ("admin:documents_collection_changelist", []),
    ("admin:importing_importbatch_changelist", []),
]


@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES)
def test_the_admin_works_under_its_policy(admin_client, archive, name, args):
    response = admin_client.get(reverse(name, args=args))
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]  # never inline script, in the admin either
    assert "'unsafe-inline'" in policy["style-src"]
    tree = lxml.html.fromstring(response.content)
    for script in tree.iter("script"):
        assert script.get("src"), lxml.html.tostring(script)[:200]
    handlers = [a for el in tree.iter() for a in el.attrib if a.lower().startswith("on")]
    assert not handlers, handlers


def test_the_admin_change_and_history_pages_work_under_the_policy(admin_client, archive):
    document = archive["month"]
    for url in (
        reverse("admin:documents_document_change", args=[document.pk]),
        reverse("admin:documents_document_history", args=[document.pk]),
        reverse("admin:people_person_change", args=[archive["people"]["kim"].pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response
        tree = lxml.html.fromstring(response.content)
        assert all(script.get("src") for script in tree.iter("script")), url


def test_the_admin_login_page_keeps_to_the_strict_script_policy(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert directives(response)["script-src"] == ["'self'"]


# Throttled admin logins ----------------------------------------------------------------------


def attempt(client, username: str, password: str):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}
    )


def test_admin_logins_are_locked_after_five_failures(client, archivist, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert attempt(client, "archivist", "wrong").status_code == 200
    assert attempt(client, "archivist", "wrong").status_code == 429
    # Locked: even the right password is refused now.
    locked = attempt(client, "archivist", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_per_user_name_and_a_success_resets_the_count(client, archivist, superuser):
    for _ in range(5):
        attempt(client, "boss", "wrong")
    assert attempt(client, "boss", PASSWORD).status_code == 429
    for _ in range(4):
        attempt(client, "archivist", "wrong")
    assert attempt(client, "archivist", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "archivist", "wrong").status_code == 200


# Rate limits -------------------------------------------------------------------------------


@pytest.fixture
def frozen_rate_limit_clock(monkeypatch):
    """django-ratelimit counts in fixed windows of the clock; a slow machine could cross into
    the next window between a test's requests and start the count again. Its clock stands
    still for the test (only its own: the module's `time`, not Python's)."""
    import time
    from types import SimpleNamespace

    import django_ratelimit.core

    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


@pytest.mark.parametrize(
    ("group", "path"),
    [
        ("export", "/documents/export.ris"),
        ("export", "/documents/avprf.1967-11:a_1/export.bib"),
        ("export", "/people/kim-il-sung/export.csv"),
        ("feed", "/documents/feed/"),
        ("feed", "/collections/conversations-with-kim-il-sung/feed/"),
        ("api", "/api/documents/"),
        ("api", "/api/documents/span-1960/"),
        ("oai", "/oai/?verb=Identify"),
    ],
)
def test_expensive_endpoints_answer_429_past_their_limit(
    client, archive, settings, group, path, frozen_rate_limit_clock
):
    settings.ARCHIVE_RATE_LIMITS = {**settings.ARCHIVE_RATE_LIMITS, group: "3/m"}
    for _ in range(3):
        assert client.get(path).status_code == 200
    refused = client.get(path)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    # The pages themselves are not limited, and other addresses have their own count.
    assert client.get("/documents/").status_code == 200
    assert client.get(path, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_groups_are_counted_apart(client, archive, settings, frozen_rate_limit_clock):
    settings.ARCHIVE_RATE_LIMITS = {**settings.ARCHIVE_RATE_LIMITS, "export": "2/m", "api": "2/m"}
    client.get("/documents/export.ris")
    client.get("/documents/export.bib")
    assert client.get("/documents/export.csv").status_code == 429
    assert client.get("/api/documents/").status_code == 200


def test_staff_are_not_rate_limited(admin_client, archive, settings):
    settings.ARCHIVE_RATE_LIMITS = {**settings.ARCHIVE_RATE_LIMITS, "export": "1/m"}
    for _ in range(3):
        assert admin_client.get("/documents/export.ris").status_code == 200


def test_every_export_feed_api_oai_and_iiif_url_is_in_a_group():
    from django.urls import get_resolver

    from archive.ratelimits import ACCOUNT_FORMS, rate_limit_group

    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name:
                names.append((namespace, pattern.name))

    walk(get_resolver().url_patterns)

    class Match:
        def __init__(self, namespace, name):
            self.namespaces = [namespace] if namespace else []
            self.url_name = name

    grouped = {(ns, name): rate_limit_group(Match(ns, name)) for ns, name in names}
    for (ns, name), group in grouped.items():
        expensive = (
            "export" in name or "feed" in name or name.startswith("api-") or ns in ("oai", "iiif")
        )
        if name == "api-openapi":
            assert group is None
        elif "export" in name:  # a folder's too: a shared one is public
            assert group == "export", name
        elif expensive:
            assert group is not None, name
        elif name in ACCOUNT_FORMS and ns in ("", "accounts"):
            assert group == "accounts", name
        elif ns in ("folders", "alerts", "accounts"):
            assert group == "workspace", name
        else:
            assert group is None, name
