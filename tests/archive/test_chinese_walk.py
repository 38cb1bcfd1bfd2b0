"""The Chinese interface shows no English: every public page of a small archive whose own
records hold no Latin letters, walked in /zh-hans/, with its visible text (and the
attributes people read: alt, title, aria-label, placeholder) checked for any run of three
Latin letters that is not a format's or protocol's name, or the switcher's "English"; the
researcher's own pages (registration, sign-in, the workspace, folders, saved searches) and
the data releases as well."""

from __future__ import annotations

import datetime
import io
import re
from urllib.parse import urlencode

import pytest
from lxml import html

from documents.dates import Precision
from documents.models import DocumentParticipant, Role
from search import engine
from search.index import IndexUnavailable
from tests.factories import CollectionFactory, DocumentFactory, PersonFactory, RegionFactory
from versions.models import DocumentVersion

pytestmark = pytest.mark.django_db

PREFIX = "/zh-hans"
# Names that are the same in every language: formats, protocols, the switcher's own entry.
ALLOWED = {
    "RIS", "BibTeX", "CSL", "JSON", "Lines", "CSV", "IIIF", "OAI", "PMH", "API", "OpenAPI",
    "Atom", "PDF", "English", "SHA", "gzip",
}  # fmt: skip
LATIN = re.compile(r"[A-Za-z]{3,}")
# Addresses are not words of any language (the permanent link, the citation's URL).
ADDRESS = re.compile(r"https?://\S+")
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


def visible_text(page: str) -> list[str]:
    """What a person reads or hears on the page: its text but no script or style, and the
    attributes read out or shown."""
    tree = html.fromstring(page)
    # <code> is literal machine text (a command, a file name, a checksum), in no language.
    for element in tree.xpath("//script | //style | //code"):
        element.drop_tree()
    texts = [text for text in tree.xpath("//text()") if text.strip()]
    for attribute in READ_ATTRIBUTES:
        texts += tree.xpath(f"//@{attribute}")
    return texts


def english_in(page: str) -> list[str]:
    return sorted(
        {
            f"{word} (in {text.strip()[:80]!r})"
            for text in visible_text(page)
            for word in LATIN.findall(ADDRESS.sub("", text))
            if word not in ALLOWED
        }
    )


@pytest.fixture
def chinese_archive(db):
    east_asia = RegionFactory(name="东亚", slug="1")
    china = RegionFactory(name="中国", slug="2", parent=east_asia)
    korea = RegionFactory(name="朝鲜", slug="3", parent=east_asia)
    collection = CollectionFactory(title="中苏关系", slug="4", description="关于中苏关系的文献。")
    mao = PersonFactory(name="毛泽东", slug="5", birth_year=1893, death_year=1976)
    mikoyan = PersonFactory(name="米高扬", slug="6", birth_year=1895, alternate_names=["米高扬"])
    zhou = PersonFactory(name="周恩来", slug="7", death_year=1976)
    kim = PersonFactory(name="金日成", slug="8")
    documents = []
    for number in range(5):
        documents.append(
            DocumentFactory(
                identifier=f"12018{number}",
                title=f"米高扬致苏共中央电报之{number + 1}",
                original_title=f"Телеграмма А. И. Микояна в ЦК КПСС № {number + 1}",
                summary="米高扬报告与毛泽东的会谈。",
                date=datetime.date(1956, 9, 20 + number),
                language="ru",
                source="АВП РФ, ф. 0100",
                original_archive="俄罗斯联邦对外政策档案馆",
                regions=[china],
                collections=[collection],
                people=[mikoyan, mao],
            )
        )
    DocumentFactory(
        identifier="130001",
        title="周恩来与金日成谈话记录",
        summary="会谈纪要。",
        date=datetime.date(1967, 11, 1),
        date_precision=Precision.MONTH,
        language="zh",
        original_archive="中华人民共和国外交部档案馆",
        regions=[korea],
        people=[zhou, kim],
        text="谈话全文。",
        rights="仅供研究使用。",
    )
    DocumentFactory(
        identifier="130002",
        title="关于朝鲜局势的报告",
        summary="报告。",
        date=datetime.date(1961, 1, 1),
        date_precision=Precision.YEAR,
        date_end=datetime.date(1962, 1, 1),
        date_end_precision=Precision.YEAR,
        language="ko",
        regions=[korea],
    )
    DocumentParticipant.objects.filter(person=mikoyan).update(role=Role.AUTHOR)
    first = documents[0]
    DocumentVersion.objects.create(document=first, kind="transcript", language="ru", text="Текст")
    DocumentVersion.objects.create(document=first, kind="translation", language="zh", text="译文")
    return {"document": first, "person": mao, "region": china, "collection": collection}


def walk(client, paths: list[str], status: int = 200) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        response = client.get(PREFIX + path)
        assert response.status_code == status, (path, response.status_code)
        assert response["Content-Language"] == "zh-hans", path
        page = response.content.decode()
        assert '<html lang="zh-Hans">' in page, path
        if english := english_in(page):
            found[path] = english
    return found


def test_no_public_page_of_the_chinese_interface_shows_english(client, chinese_archive):
    document = chinese_archive["document"]
    filters = urlencode(
        [("region", "2"), ("person", "5"), ("collection", "4"), ("date_from", "1956")]
    )
    list_path = f"{PREFIX}/documents/"
    paths = [
        "/",
        "/documents/",
        f"/documents/?{filters}",
        "/documents/?language=ru&archive=俄罗斯联邦对外政策档案馆&sort=title",
        "/documents/?q=米高扬",
        "/documents/?per_page=2&page=2",
        "/documents/?date_from=1961&date_to=1962",
        "/documents/?date_from=1950&date_to=1949",  # reversed: a notice
        "/documents/?date_from=99999&page=0&per_page=0",  # bad values: notices
        "/documents/?region=999",  # no such place: a notice
        "/documents/?q=%22米高扬",  # an unclosed quote: a notice
        "/documents/?q=1600",  # nothing matches
        f"/documents/{document.identifier}/",
        f"/documents/{document.identifier}/?" + urlencode({"list": list_path, "per_page": "2"}),
        f"/documents/{document.identifier}/?version={document.versions.first().pk}",
        "/documents/130001/",
        "/documents/130002/",
        "/documents/facets/people/?" + urlencode({"list": list_path}),
        "/documents/facets/collections/?" + urlencode({"list": list_path, "region": "2"}),
        "/documents/facets/languages/",
        "/documents/facets/archives/",
        "/people/",
        "/people/?name=毛",
        "/people/?name=无此人",
        "/people/5/",
        "/people/6/?date_from=1956-09",
        "/regions/",
        "/regions/1/",
        "/regions/2/",
        "/collections/",
        "/collections/4/",
    ]
    assert walk(client, paths) == {}
    assert walk(client, ["/documents/no-such-record/", "/no-such-page/", "/people/999/"], 404) == {}


def test_the_search_unavailable_page_is_chinese_too(client, chinese_archive, monkeypatch):
    def unavailable(*args, **kwargs):
        raise IndexUnavailable("rebuilding")

    monkeypatch.setattr(engine, "counts", unavailable)
    response = client.get(f"{PREFIX}/documents/")
    assert response.status_code == 503
    assert "检索功能正在重建" in response.content.decode()
    assert walk(client, ["/documents/", "/people/5/"], 503) == {}


def test_the_walk_sees_english_where_there_is_some():
    page = (
        '<html><head><title>文献</title><script>var English = "leaked";</script></head>'
        '<body><p>文献 Documents</p><img alt="A scan" src="x.png"><a href="/documents/">'
        "English</a> RIS</body></html>"
    )
    assert english_in(page) == ["Documents (in '文献 Documents')", "scan (in 'A scan')"]


def test_the_researchers_pages_and_the_releases_show_no_english(client, chinese_archive):
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from alerts.models import SavedSearch
    from folders.services import folder_create, folder_document_add, folder_share

    call_command("publish_release", stdout=io.StringIO())
    user = User.objects.create_user("李华", "李华@例子.中国", "一个很长的密码短语")
    folder = folder_create(owner=user, name="中苏会谈")
    item, _ = folder_document_add(folder=folder, document=chinese_archive["document"])
    item.note = "与波兰档案对照。"
    item.save()
    folder_share(folder=folder)
    saved = SavedSearch.objects.create(owner=user, name="米高扬", query="q=米高扬", problem="无")
    document = chinese_archive["document"]

    anonymous = [
        "/data/",
        "/accounts/login/",
        "/accounts/register/",
        "/accounts/register/complete/",
        "/accounts/register/closed/",
        "/accounts/activate/?activation_key=无效",
        "/accounts/activate/complete/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/无效/无效/",
        "/accounts/reset/done/",
        f"/folders/shared/{folder.share_token}/",
        f"/searches/unsubscribe/{saved.unsubscribe_token}/",
        f"/documents/{document.identifier}/",
    ]
    assert walk(client, anonymous) == {}
    client.force_login(user)
    signed_in = [
        "/accounts/",
        "/accounts/delete/",
        "/accounts/password_change/",
        "/accounts/password_change/done/",
        "/folders/",
        f"/folders/{folder.pk}/",
        f"/documents/{document.identifier}/",
        "/documents/?q=米高扬",
        "/regions/2/",
    ]
    assert walk(client, signed_in) == {}
    # The forms' errors too.
    for path, data in [
        ("/accounts/register/", {"username": "admin", "email": "坏", "password1": "1"}),
        ("/accounts/delete/", {"password": "错"}),
        ("/accounts/activate/", {"activation_key": "坏"}),
    ]:
        response = client.post(PREFIX + path, data)
        assert english_in(response.content.decode()) == [], path
