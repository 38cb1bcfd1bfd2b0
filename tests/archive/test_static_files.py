"""Static files in production: WhiteNoise serves them compressed, under names that change with
their content (cache-busting), with a year's cache headers."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.http import HttpResponseNotFound
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from tests.archive.conftest import settings_with

MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"
YEAR = 365 * 24 * 3600


def test_production_stores_static_files_compressed_under_hashed_names():
    expression = "settings.STORAGES['staticfiles']['BACKEND']"
    key = {"DJANGO_SECRET_KEY": "x" * 60}
    assert settings_with(key, "archive.settings.production", expression) == MANIFEST


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic into a folder of its own, as the Dockerfile does, and WhiteNoise on it."""
    root = tmp_path_factory.mktemp("static")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": MANIFEST},
    }
    with override_settings(
        STATIC_ROOT=root, STORAGES=storages, DEBUG=False, WHITENOISE_AUTOREFRESH=False
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        staticfiles_storage.load_manifest()
        yield WhiteNoiseMiddleware(lambda request: HttpResponseNotFound())


def fetch(middleware, url: str, **headers):
    return middleware(RequestFactory().get(url, **headers))


@pytest.mark.parametrize("name", ["css/archive.css", "js/cite.js"])
def test_a_static_file_has_a_hashed_name_and_a_year_long_cache(collected, name):
    url = static(name)
    stem, extension = name.rsplit(".", 1)
    assert url.startswith(f"/static/{stem}.") and url.endswith(f".{extension}")
    assert url != f"/static/{name}", "not cache-busted"
    response = fetch(collected, url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    cache_control = dict(
        part.strip().partition("=")[::2] for part in response["Cache-Control"].split(",")
    )
    assert int(cache_control["max-age"]) >= YEAR
    assert "immutable" in cache_control and "public" in cache_control
    assert response["Vary"] == "Accept-Encoding"


def test_the_unhashed_name_is_cached_briefly(collected):
    response = fetch(collected, "/static/css/archive.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


def test_the_stylesheet_and_script_stay_small(collected):
    for name in ["css/archive.css", "js/cite.js"]:
        response = fetch(collected, static(name), HTTP_ACCEPT_ENCODING="gzip")
        assert int(response["Content-Length"]) < 10 * 1024, name
