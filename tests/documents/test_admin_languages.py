"""The admin speaks the archivist's language about the archive's own records: a document's
list and form in Russian (the language cookie) and Chinese (the browser's Accept-Language),
with the model's name, the columns, the filters and their choices, the statuses, the help
texts, the actions, their messages and a form's error; English as it always was."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.utils import timezone
from lxml import html

from documents.models import Document, Status
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/documents/document/"


@pytest.fixture
def archivist(client):
    user = User.objects.create_user("archivist", password="a-long-test-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Archivist"))
    client.force_login(user)
    return client


@pytest.fixture
def documents(db):
    published = DocumentFactory(identifier="120189", title="Telegram", status=Status.PUBLISHED)
    draft = DocumentFactory(
        identifier="130001",
        title="Record of a conversation",
        status=Status.DRAFT,
        embargo_until=timezone.localdate() + datetime.timedelta(days=10),
    )
    return published, draft


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(html.fromstring(response.content.decode()).text_content().split())


def _headers(response) -> list[str]:
    tree = html.fromstring(response.content.decode())
    return [
        " ".join(th.text_content().split()) for th in tree.xpath("//table[@id='result_list']//th")
    ]


def _filters(response) -> list[str]:
    tree = html.fromstring(response.content.decode())
    return [
        " ".join(s.text_content().split())
        for s in tree.xpath("//*[@id='changelist-filter']//summary")
    ]


def _actions(response) -> list[str]:
    tree = html.fromstring(response.content.decode())
    return [option.text for option in tree.xpath("//select[@name='action']/option")]


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _form_data(document: Document, **changes) -> dict:
    data = {
        "identifier": document.identifier,
        "title": document.title,
        "status": document.status,
        "embargo_until": document.embargo_until.isoformat() if document.embargo_until else "",
        "date": document.date.isoformat(),
        "date_precision": document.date_precision,
        "date_end": "",
        "date_end_precision": "",
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_an_archivist_with_the_russian_cookie_sees_the_documents_in_russian(archivist, documents):
    published, draft = documents
    archivist.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    listing = archivist.get(CHANGELIST)
    text = _text(listing)
    assert (
        "Выберите документ для изменения" in text
    )  # the model's verbose name, in Django's sentence
    headers = _headers(listing)
    assert {"Номер записи", "Заголовок", "Дата", "Статус", "Эмбарго до", "Язык", "Изменён"} <= set(
        headers
    )
    filters = _filters(listing)
    # (Language, collection and import batch offer nothing here, so Django leaves them out.)
    assert {"Статус", "Эмбарго", "Год", "Точность даты"} <= set(filters)
    assert "Под эмбарго (ближайшие к снятию — первыми)" in text
    assert "Срок эмбарго истёк, ожидают публикации" in text
    assert "Опубликован" in text and "Черновик" in text  # the statuses, in the rows and the filter
    assert "Опубликовать выбранные документы" in _actions(listing)
    assert "Снять выбранные документы с публикации (сделать черновиками)" in _actions(listing)

    form = _text(archivist.get(f"{CHANGELIST}{draft.pk}/change/"))
    assert "Изменить документ" in form
    assert "Черновики никогда не показываются публике." in form  # a help text
    assert "Архив хранения" in form and "Содержание" in form  # a label, a fieldset
    assert "Поступил с импортом" in form  # a read-only field's title
    assert "Версии: сканы оригинала, расшифровки и переводы" in form  # the inline

    done = archivist.post(
        CHANGELIST, {"action": "unpublish", "_selected_action": [published.pk]}, follow=True
    )
    assert _messages(done) == ["1 документ снят с публикации."]
    done = archivist.post(
        CHANGELIST, {"action": "publish", "_selected_action": [published.pk]}, follow=True
    )
    assert _messages(done) == ["1 документ опубликован."]

    refused = archivist.post(
        f"{CHANGELIST}{draft.pk}/change/", _form_data(draft, status="published")
    )
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["status"] == [
        f"Документ под эмбарго до {draft.embargo_until:%Y-%m-%d} и до этого дня остаётся "
        "черновиком. Чтобы опубликовать его сейчас, снимите эмбарго."
    ]
    reversed_span = archivist.post(
        f"{CHANGELIST}{published.pk}/change/",
        _form_data(published, date="1956-09-23", date_end="1956-09-20", date_end_precision="day"),
    )
    assert reversed_span.context["adminform"].form.errors["date_end"] == [
        "Период заканчивается (20 сентября 1956 г.) раньше, чем начинается (23 сентября 1956 г.)."
    ]


def test_an_archivist_whose_browser_asks_for_chinese_sees_the_documents_in_chinese(
    archivist, documents
):
    published, draft = documents
    chinese = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    listing = archivist.get(CHANGELIST, **chinese)
    text = _text(listing)
    assert "选择 文献 来修改" in text
    assert {"记录编号", "标题", "日期", "状态", "限制公开至", "语言", "修改时间"} <= set(
        _headers(listing)
    )
    filters = _filters(listing)
    assert {"以 状态", "以 限制公开", "以 年份", "以 日期精度"} <= set(filters)
    assert "限制公开中（最先解除的在前）" in text
    assert "已发布" in text and "草稿" in text
    assert "发布所选文献" in _actions(listing)

    form = _text(archivist.get(f"{CHANGELIST}{draft.pk}/change/", **chinese))
    assert "草稿从不向公众显示。" in form
    assert "原件收藏机构" in form and "内容" in form

    done = archivist.post(
        CHANGELIST,
        {"action": "unpublish", "_selected_action": [published.pk]},
        follow=True,
        **chinese,
    )
    assert _messages(done) == ["已撤销发布 1 篇文献。"]
    refused = archivist.post(
        f"{CHANGELIST}{draft.pk}/change/", _form_data(draft, status="published"), **chinese
    )
    assert refused.context["adminform"].form.errors["status"] == [
        f"此文献限制公开至 {draft.embargo_until:%Y-%m-%d}，在此之前为草稿。"
        "如需现在发布，请清除限制公开日期。"
    ]


def test_the_english_admin_says_what_it_always_said(archivist, documents):
    published, _draft = documents
    listing = archivist.get(CHANGELIST)
    assert "Select document to change" in _text(listing)
    assert {
        "Identifier",
        "Title",
        "Date",
        "Status",
        "Embargo until",
        "Language",
        "Modified",
    } <= set(_headers(listing))
    assert {"By status", "By embargo", "By year", "By date precision"} <= set(_filters(listing))
    assert "Publish selected documents" in _actions(listing)
    assert "Under embargo (next release first)" in _text(listing)
    done = archivist.post(
        CHANGELIST, {"action": "unpublish", "_selected_action": [published.pk]}, follow=True
    )
    assert _messages(done) == ["1 document unpublished."]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", ["Объединить выбранных людей…", "Выберите человека, который останется.", "В «"]),
        ("zh-hans", ["合并所选人物…", "请选择保留的人物。", "已将“"]),
    ],
)
def test_merging_people_speaks_the_archivist_s_language(archivist, language, expected):
    from tests.factories import PersonFactory

    first, second = PersonFactory(name="Mao Zedong"), PersonFactory(name="Mao Tse-tung")
    archivist.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    people = "/admin/people/person/"
    assert expected[0] in _actions(archivist.get(people))
    confirm = archivist.post(people, {"action": "merge", "_selected_action": [first.pk, second.pk]})
    assert expected[1] in _text(confirm)
    done = archivist.post(
        people,
        {
            "action": "merge",
            "_selected_action": [first.pk, second.pk],
            "survivor": first.pk,
            "confirm": "yes",
        },
        follow=True,
    )
    assert _messages(done)[0].startswith(expected[2])
