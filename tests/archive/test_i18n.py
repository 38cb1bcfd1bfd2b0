"""The interface's languages: English at the plain addresses, Russian under /ru/ and Chinese
under /zh-hans/; each page's alternates in the others, the switcher that keeps the page and
its filters and remembers the choice, and the admin and the API in the visitor's language."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from lxml import html

from documents.dates import Precision
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


# The pages in Russian and Chinese -------------------------------------------------------------


@pytest.fixture
def catalogued(db):
    china = RegionFactory(name="China", slug="china")
    mikoyan = PersonFactory(name="Anastas Mikoyan", slug="anastas-mikoyan", birth_year=1895)
    day = DocumentFactory(
        identifier="120189",
        title="Telegram from A. Mikoyan",
        date=datetime.date(1956, 9, 23),
        regions=[china],
        people=[mikoyan],
        language="ru",
    )
    month = DocumentFactory(
        identifier="120190",
        title="Note on the plenum",
        date=datetime.date(1967, 11, 1),
        date_precision=Precision.MONTH,
        regions=[china],
    )
    year = DocumentFactory(
        identifier="120191",
        title="Report of the year",
        date=datetime.date(1956, 1, 1),
        date_precision=Precision.YEAR,
    )
    return {"day": day, "month": month, "year": year}


def _text(response) -> str:
    assert response.status_code == 200
    tree = html.fromstring(response.content.decode())
    for element in tree.xpath("//script"):
        element.drop_tree()
    return " ".join(" ".join(tree.itertext()).split())


def test_the_russian_pages_are_in_russian(client, catalogued):
    home = _text(client.get("/ru/"))
    for words in (
        "Документы",
        "Люди",
        "Регионы",
        "Коллекции",
        "Недавно добавленные и изменённые",
        "3 рассекреченных и исторических документа",
    ):
        assert words in home
    listing = _text(client.get("/ru/documents/?region=china&date_from=1950"))
    for words in (
        "1–2 из 2",
        "Уточнить результаты",
        "Ключевые слова",
        "Регион: China",
        "С: 1950",
        "Документы по годам",
        "Скачать эти 2 документа:",
        "Сначала новые",
        "Подписаться на этот запрос (лента Atom)",
    ):
        assert words in listing, words
    page = _text(client.get("/ru/documents/120189/"))
    for words in (
        "Как цитировать",
        "Постоянная ссылка",
        "Номер записи",
        "Язык оригинала Русский",
        "23 сентября 1956 г.",
        "Anastas Mikoyan (род. 1895)",
        "«Telegram from A. Mikoyan», 23 сентября 1956 г., Цифровой архив холодной войны",
    ):
        assert words in page, words
    # the record's permanent link is its one address, in every language
    assert "Постоянная ссылка http://testserver/documents/120189/" in page


def test_the_chinese_pages_are_in_chinese(client, catalogued):
    listing = _text(client.get("/zh-hans/documents/"))
    for words in (
        "第 1–3 条，共 3 条",
        "缩小检索范围",
        "关键词",
        "按年份统计的文献",
        "下载这 3 篇文献：",
    ):
        assert words in listing, words
    people = _text(client.get("/zh-hans/people/"))
    assert "姓名包含" in people and "Anastas Mikoyan (1895年生) （1）篇文献" in people
    page = _text(client.get("/zh-hans/documents/120189/"))
    for words in ("引用本文献", "永久链接", "1956年9月23日", "原文语言 俄语"):
        assert words in page, words


@pytest.mark.parametrize(
    ("language", "day", "month", "year"),
    [
        ("", "September 23, 1956", "November 1967", "1956"),
        ("/ru", "23 сентября 1956 г.", "ноябрь 1967", "1956"),
        ("/zh-hans", "1956年9月23日", "1967年11月", "1956年"),
    ],
)
def test_dates_are_written_for_the_language_at_their_precision(
    client, catalogued, language, day, month, year
):
    for key, shown in (("day", day), ("month", month), ("year", year)):
        document = catalogued[key]
        tree = _page(client.get(f"{language}/documents/{document.identifier}/"))
        assert tree.xpath('//p[@class="document-date"]/time/text()') == [shown]
        assert tree.xpath('//p[@class="document-date"]/time/@datetime') == [
            document.date_span.start.iso()
        ]
    tree = _page(client.get(f"{language}/documents/?sort=title"))
    dates = tree.xpath('//ol[@class="result-list"]//p[@class="result-date"]/time/text()')
    assert sorted(dates) == sorted([day, month, year])


def test_counts_are_grouped_for_the_language(client, catalogued, settings):
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    with translation.override("ru"):
        assert intcomma(12345) == "12\xa0345"
    with translation.override("en"):
        assert intcomma(12345) == "12,345"


def test_the_api_says_what_is_wrong_in_russian_with_english_keys(client, db):
    russian = client.get("/api/documents/?date_from=1956-13&per_page=0", HTTP_ACCEPT_LANGUAGE="ru")
    assert russian.status_code == 400
    errors = russian.json()["errors"]
    assert errors == {
        "date_from": [
            "«1956-13» — не дата; укажите ГГГГ-ММ-ДД, ГГГГ-ММ, ГГГГ, «June 4, 1984» или "
            "«November 1967»."
        ]
    }
    paging = client.get("/api/documents/?per_page=0", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert paging == {"errors": {"per_page": ["должно быть числом от 1 до 100"]}}
    english = client.get("/api/documents/?date_from=1956-13").json()
    assert english["errors"]["date_from"][0].startswith("“1956-13” is not a date; use YYYY-MM-DD")


def test_a_bad_parameter_is_reported_on_the_page_in_its_language(client, catalogued):
    page = _text(client.get("/zh-hans/documents/?date_from=1956-13"))
    assert "起：“1956-13”不是日期" in page and "此筛选条件已忽略。" in page
    page = _text(client.get("/ru/documents/?page=0"))
    assert "Страница: нумерация начинается с 1; показана страница 1." in page
