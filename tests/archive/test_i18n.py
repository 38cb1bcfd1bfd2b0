"""The interface's languages: English at the plain addresses, Russian under /ru/ and Chinese
under /zh-hans/; each page's alternates in the others, the switcher that keeps the page and
its filters and remembers the choice, and the admin and the API in the visitor's language."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from lxml import html

from tests.factories import DocumentFactory, PersonFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _page(response):
    assert response.status_code == 200, response.status_code
    return html.fromstring(response.content.decode())


def _alternates(tree) -> dict[str, str]:
    return {
        link.get("hreflang"): link.get("href")
        for link in tree.xpath('//head/link[@rel="alternate"][@hreflang]')
    }


def _switcher(tree) -> dict[str, str]:
    return {
        a.get("hreflang"): a.get("href") for a in tree.xpath('//nav[@class="language-switcher"]//a')
    }


def test_the_languages_are_english_russian_and_simplified_chinese():
    assert [code for code, _ in settings.LANGUAGES] == ["en", "ru", "zh-hans"]
    assert dict(settings.LANGUAGES) == {"en": "English", "ru": "Русский", "zh-hans": "中文"}
    assert settings.LANGUAGE_CODE == "en"
    middleware = settings.MIDDLEWARE
    locale = middleware.index("archive.i18n.ArchiveLocaleMiddleware")
    assert middleware.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < middleware.index("django.middleware.common.CommonMiddleware")


@pytest.mark.parametrize(("prefix", "lang"), [("", "en"), ("/ru", "ru"), ("/zh-hans", "zh-Hans")])
def test_every_public_page_is_in_every_language_with_html_lang(client, prefix, lang):
    region = RegionFactory(slug="china")
    person = PersonFactory(slug="mao")
    document = DocumentFactory(identifier="120189", regions=[region], people=[person])
    for path in (
        "/",
        "/documents/",
        "/people/",
        "/people/mao/",
        "/regions/",
        "/regions/china/",
        "/collections/",
        f"/documents/{document.identifier}/",
        "/documents/facets/people/",
    ):
        tree = _page(client.get(prefix + path))
        assert tree.get("lang") == lang, path


def test_the_alternates_name_the_same_page_and_query_in_each_language(client):
    RegionFactory(slug="china")
    tree = _page(client.get("/ru/documents/?region=china&date_from=1956"))
    assert _alternates(tree) == {
        "en": "http://testserver/documents/?region=china&date_from=1956",
        "ru": "http://testserver/ru/documents/?region=china&date_from=1956",
        "zh-Hans": "http://testserver/zh-hans/documents/?region=china&date_from=1956",
        "x-default": "http://testserver/documents/?region=china&date_from=1956",
    }


def test_the_switcher_links_to_the_same_page_with_its_filters(client):
    RegionFactory(slug="china")
    tree = _page(client.get("/documents/?region=china&sort=title"))
    links = _switcher(tree)
    assert set(links) == {"ru", "zh-Hans"}  # the current language is not a link
    current = tree.xpath('//nav[@class="language-switcher"]//*[@aria-current]')
    assert [element.text for element in current] == ["English"]
    ru = urlsplit(links["ru"])
    assert ru.path == "/language/ru/"
    assert parse_qs(ru.query) == {"next": ["/ru/documents/?region=china&sort=title"]}
    assert parse_qs(urlsplit(links["zh-Hans"]).query) == {
        "next": ["/zh-hans/documents/?region=china&sort=title"]
    }
    labels = {
        a.get("hreflang"): (a.text, a.get("lang"))
        for a in tree.xpath('//nav[@class="language-switcher"]//a')
    }
    assert labels == {"ru": ("Русский", "ru"), "zh-Hans": ("中文", "zh-Hans")}


def test_the_switcher_translates_the_result_list_a_document_page_came_from(client):
    document = DocumentFactory(identifier="120189")
    tree = _page(client.get(f"/ru/documents/{document.identifier}/?list=/ru/documents/&q=x"))
    target = parse_qs(urlsplit(_switcher(tree)["en"]).query)["next"][0]
    assert urlsplit(target).path == "/documents/120189/"
    assert parse_qs(urlsplit(target).query) == {"list": ["/documents/"], "q": ["x"]}
    # and the Russian page, reached from the Russian list, has its way back to it
    assert tree.xpath('//a[@class="result-nav-back"]/@href')[0].startswith("/ru/documents/?")


def test_the_switcher_remembers_the_choice_and_goes_on(client):
    response = client.get("/language/ru/", {"next": "/ru/documents/?region=china"})
    assert response.status_code == 302
    assert response["Location"] == "/ru/documents/?region=china"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ru"
    assert cookie["max-age"]
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/x", ""])
def test_the_switcher_never_sends_anyone_elsewhere(client, target):
    response = client.get("/language/zh-hans/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"


def test_an_unknown_language_in_the_switcher_is_english(client):
    response = client.get("/language/xx/", {"next": "/documents/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_english_stays_at_the_plain_addresses_whatever_the_browser_asks(client):
    tree = _page(client.get("/documents/", HTTP_ACCEPT_LANGUAGE="ru"))
    assert tree.get("lang") == "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert _page(client.get("/documents/")).get("lang") == "en"


def test_exports_and_feeds_of_a_translated_page_are_the_unprefixed_ones(client):
    DocumentFactory()
    tree = _page(client.get("/ru/documents/?sort=title"))
    exports = tree.xpath('//section[@class="results-exports"]//a/@href')
    assert exports and all(href.startswith("/documents/") for href in exports)
    feed = tree.xpath('//head/link[@type="application/atom+xml"]/@href')
    assert feed == ["/documents/feed/"]
    assert client.get(exports[0]).status_code == 200


def test_a_missing_page_is_a_page_of_the_archive_in_its_language(client):
    response = client.get("/zh-hans/nothing-here/")
    assert response.status_code == 404
    tree = html.fromstring(response.content.decode())
    assert tree.get("lang") == "zh-Hans"
    assert client.get("/nothing-here/").status_code == 404


def test_the_sitemap_lists_the_canonical_english_addresses(client):
    DocumentFactory(identifier="120189")
    body = client.get("/sitemap-documents.xml", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "http://testserver/documents/120189/" in body
    assert "/ru/" not in body


def test_the_api_answers_in_the_browsers_language_with_english_keys_and_addresses(client):
    DocumentFactory(identifier="120189", language="ru")
    english = client.get("/api/documents/").json()
    russian = client.get("/api/documents/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert english["facets"]["languages"] == [{"value": "ru", "name": "Russian", "count": 1}]
    assert russian["facets"]["languages"] == [{"value": "ru", "name": "Русский", "count": 1}]
    assert russian["results"][0]["url"] == "http://testserver/documents/120189/"
    assert russian["results"][0]["date_display"] == "August 18, 1960"  # data: one form


def test_the_page_cache_keeps_each_language_apart(client, settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 60
    cache.clear()
    DocumentFactory(language="ru")
    for _ in range(2):  # the second time from the cache
        english = client.get("/api/documents/", HTTP_ACCEPT_LANGUAGE="en").json()
        russian = client.get("/api/documents/", HTTP_ACCEPT_LANGUAGE="ru").json()
        chinese = client.get("/api/documents/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
        names = [answer["facets"]["languages"][0]["name"] for answer in (english, russian, chinese)]
        assert names == ["Russian", "Русский", "俄语"]
    cache.clear()


def test_the_admin_is_in_the_archivists_language(client):
    archivist = User.objects.create_user("archivist", password="x", is_staff=True)
    archivist.is_superuser = True
    archivist.save()
    client.force_login(archivist)
    english = client.get("/admin/")
    assert 'lang="en"' in english.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    russian = client.get("/admin/").content.decode()
    assert re.search(r'<html lang="ru"', russian)
    assert "Администрирование сайта" in russian
    assert "Site administration" not in russian
    # without the cookie, the browser's language
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    chinese = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "站点管理" in chinese
