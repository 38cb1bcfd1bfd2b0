"""The admin in Chinese shows no English of the archive's own: every page an archivist uses
(the index, each app's page, every changelist and add and change form of documents, people,
places, collections, scans' pages and import batches, with their filters applied, a
document's history, the merge confirmation, a form's errors, the actions' messages) and the
pages only a superuser sees (releases, old addresses), walked with the language cookie, over
records whose own values hold no Latin letters, and checked like the public pages
(test_chinese_walk.py: any run of three Latin letters that is no format's or protocol's
name)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.utils import timezone
from lxml import html

from documents.models import DocumentParticipant, IdentifierRedirect, PageRedirect, Role, Status
from importing.models import ImportBatch, ImportChange
from releases.models import Release
from tests.archive.test_chinese_walk import ALLOWED, english_in
from tests.factories import CollectionFactory, DocumentFactory, PersonFactory, RegionFactory
from tests.versions.files import add_version, image
from versions.models import DocumentVersion, PageState, TextSource, VersionPage

pytestmark = pytest.mark.django_db

# Beside the public pages' names: the standards, file types, extensions and tools the admin
# names; "Django", a name; and what Django and django-simple-history write in English in
# any language: the alt text of the yes/no icons ("True", "False") and of the search box's
# magnifier ("Search"), and an empty change reason ("None", Python's).
ADMIN_ALLOWED = ALLOWED | {
    "ISO", "JPEG", "PNG", "WebP", "OCR", "hOCR", "Tesseract", "jsonl", "txt", "Django",
    "True", "False", "Search", "None",
}  # fmt: skip
# No language's words: commands (`manage.py ocr_versions`), settings (ARCHIVE_RELEASES_DIR),
# the codes the help texts give as examples (rus+eng), a version's stored file name.
MACHINE_TEXT = re.compile(r"`[^`]+`|\bARCHIVE_[A-Z_]+\b|\brus\+eng\b|\bversions/[\w/.-]+")


# django-axes (sign-in lockouts, in a superuser's sidebar) has no Chinese of its own and is
# none of the archive's vocabulary.
NOT_THE_ARCHIVES = "//*[contains(concat(' ', @class, ' '), ' app-axes ')]"


def admin_english(page: str) -> list[str]:
    tree = html.fromstring(page)
    for element in tree.xpath(NOT_THE_ARCHIVES):
        element.drop_tree()
    found = english_in(MACHINE_TEXT.sub("", html.tostring(tree, encoding="unicode")))
    return [word for word in found if word.split(" ", 1)[0] not in ADMIN_ALLOWED]


@pytest.fixture
def chinese_admin(db):
    east_asia = RegionFactory(name="东亚", slug="1")
    china = RegionFactory(name="中国", slug="2", parent=east_asia)
    korea = RegionFactory(name="朝鲜", slug="3", parent=east_asia)
    collection = CollectionFactory(title="中苏关系", slug="4", description="关于中苏关系的文献。")
    other_collection = CollectionFactory(title="中朝关系", slug="9")
    mao = PersonFactory(name="毛泽东", slug="5", birth_year=1893, death_year=1976)
    mikoyan = PersonFactory(name="米高扬", slug="6", birth_year=1895, alternate_names=["米高扬"])
    zhou = PersonFactory(name="周恩来", slug="7", death_year=1976)
    now = timezone.now()
    batch = ImportBatch.objects.create(
        outcome=ImportBatch.Outcome.SUCCEEDED,
        files=[{"name": "批次.jsonl", "sha256": "0" * 64, "bytes": 2048, "records": 2}],
        run_by="档案管理员",
        started_at=now,
        finished_at=now,
        created_count=1,
        updated_count=1,
    )
    document = DocumentFactory(
        identifier="120180",
        title="米高扬致苏共中央电报",
        original_title="Телеграмма А. И. Микояна в ЦК КПСС",
        summary="米高扬报告与毛泽东的会谈。",
        date=datetime.date(1956, 9, 20),
        date_end=datetime.date(1956, 9, 23),
        language="ru",
        source="АВП РФ, ф. 0100",
        original_archive="俄罗斯联邦对外政策档案馆",
        rights="仅供研究使用。",
        regions=[china],
        collections=[collection],
        people=[mikoyan, mao],
        import_batch=batch,
        last_import_batch=batch,
    )
    DocumentParticipant.objects.filter(person=mikoyan).update(role=Role.AUTHOR)
    draft = DocumentFactory(
        identifier="130001",
        title="周恩来与金日成谈话记录",
        date=datetime.date(1967, 11, 1),
        summary="会谈纪要。",
        language="zh",
        status=Status.DRAFT,
        embargo_until=timezone.localdate() + datetime.timedelta(days=30),
        regions=[korea],
        people=[zhou],
    )
    ImportChange.objects.create(
        batch=batch, document=draft, identifier=draft.identifier, fields=[], before={}
    )
    DocumentVersion.objects.create(
        document=document, kind="translation", language="zh", text="译文"
    )
    scan = add_version(document, "original", "ru", image(text=""), "扫描.png")
    VersionPage.objects.create(
        version=scan,
        number=1,
        width=600,
        height=800,
        state=PageState.DONE,
        text_source=TextSource.OCR,
        ocr_text="识别的文字",
        processed=now,
    )
    VersionPage.objects.create(version=scan, number=2, width=600, height=800, error="无法读取")
    DocumentVersion.objects.filter(pk=scan.pk).update(pages_of=scan.sha256)
    IdentifierRedirect.objects.create(old_identifier="110001", document=document)
    PageRedirect.objects.create(old_slug="10", person=mao)
    Release.objects.create(
        number=1,
        file_name="1.jsonl.gz",
        sha256="0123456789" * 6 + "0123",
        size=4096,
        document_count=2,
        added=2,
        changed=0,
        withdrawn=0,
    )
    return {
        "document": document,
        "draft": draft,
        "people": [mao, mikoyan, zhou],
        "regions": [china, korea],
        "collections": [collection, other_collection],
        "batch": batch,
        "page": VersionPage.objects.get(number=1),
    }


def _chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


@pytest.fixture
def archivist_client(client):
    user = User.objects.create_user("档案管理员", password="一个很长的密码短语", is_staff=True)
    user.groups.add(Group.objects.get(name="Archivist"))
    client.force_login(user)
    return _chinese(client)


@pytest.fixture
def superuser_client(client):
    user = User.objects.create_superuser("管理员", "管理员@例子.中国", "一个很长的密码短语")
    client.force_login(user)
    return _chinese(client)


def no_english(found: dict[str, list[str]]) -> bool:
    """True, or an error naming every page and word (pytest would shorten a dict's)."""
    assert not found, "\n".join(
        f"{path}: {word}" for path, words in found.items() for word in words
    )
    return True


def walk(client, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        page = response.content.decode()
        assert '<html lang="zh-hans"' in page, path
        if english := admin_english(page):
            found[path] = english
    return found


def test_the_pages_an_archivist_uses_show_no_english(archivist_client, chinese_admin):
    document, draft = chinese_admin["document"], chinese_admin["draft"]
    mao, mikoyan, _zhou = chinese_admin["people"]
    china, _korea = chinese_admin["regions"]
    collection, _other = chinese_admin["collections"]
    batch, page = chinese_admin["batch"], chinese_admin["page"]
    paths = [
        "/admin/",
        "/admin/documents/",
        "/admin/people/",
        "/admin/versions/",
        "/admin/importing/",
        "/admin/documents/document/",
        "/admin/documents/document/?status__exact=draft",
        "/admin/documents/document/?embargo=held",
        "/admin/documents/document/?embargo=due",
        "/admin/documents/document/?date_precision__exact=day&language=ru",
        f"/admin/documents/document/?collections__id__exact={collection.pk}",
        f"/admin/documents/document/?import_batch__id__exact={batch.pk}",
        "/admin/documents/document/?q=米高扬",
        "/admin/documents/document/add/",
        f"/admin/documents/document/{document.pk}/change/",
        f"/admin/documents/document/{draft.pk}/change/",
        f"/admin/documents/document/{document.pk}/history/",
        "/admin/people/person/",
        "/admin/people/person/?q=毛",
        "/admin/people/person/add/",
        f"/admin/people/person/{mao.pk}/change/",
        f"/admin/people/person/{mikoyan.pk}/history/",
        "/admin/documents/region/",
        f"/admin/documents/region/?parent__id__exact={china.parent_id}",
        "/admin/documents/region/add/",
        f"/admin/documents/region/{china.pk}/change/",
        "/admin/documents/collection/",
        "/admin/documents/collection/add/",
        f"/admin/documents/collection/{collection.pk}/change/",
        "/admin/documents/identifierredirect/",
        f"/admin/documents/identifierredirect/{document.redirects.get().pk}/change/",
        "/admin/versions/versionpage/",
        "/admin/versions/versionpage/?state__exact=failed",
        "/admin/versions/versionpage/?q=120180",
        f"/admin/versions/versionpage/{page.pk}/change/",
        "/admin/importing/importbatch/",
        "/admin/importing/importbatch/?outcome__exact=succeeded",
        f"/admin/importing/importbatch/{batch.pk}/change/",
    ]
    assert no_english(walk(archivist_client, paths))


def test_the_pages_only_a_superuser_sees_show_no_english(superuser_client, chinese_admin):
    release = Release.objects.get()
    redirect = PageRedirect.objects.get()
    paths = [
        "/admin/releases/",
        "/admin/releases/release/",
        f"/admin/releases/release/{release.pk}/change/",
        "/admin/documents/pageredirect/",
        f"/admin/documents/pageredirect/{redirect.pk}/change/",
    ]
    assert no_english(walk(superuser_client, paths))


def _post(client, path: str, data: dict) -> str:
    response = client.post(path, data, follow=True)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_actions_their_pages_and_messages_and_the_forms_errors_show_no_english(
    archivist_client, chinese_admin
):
    document, draft = chinese_admin["document"], chinese_admin["draft"]
    mao, mikoyan, zhou = chinese_admin["people"]
    china, korea = chinese_admin["regions"]
    collection, other = chinese_admin["collections"]
    found = {}

    def check(name: str, page: str) -> None:
        if english := admin_english(page):
            found[name] = english

    documents = "/admin/documents/document/"
    check(
        "unpublish",
        _post(
            archivist_client, documents, {"action": "unpublish", "_selected_action": [document.pk]}
        ),
    )
    check(
        "publish",
        _post(
            archivist_client, documents, {"action": "publish", "_selected_action": [document.pk]}
        ),
    )
    # The embargoed draft cannot be published by its form; its end date is before its start.
    form = f"{documents}{draft.pk}/change/"
    check(
        "embargo error",
        _post(
            archivist_client,
            form,
            {
                "identifier": draft.identifier,
                "title": draft.title,
                "status": "published",
                "embargo_until": draft.embargo_until.isoformat(),
                "date": "1967-11-01",
                "date_precision": "day",
                "date_end": "1967-10-01",
                "date_end_precision": "day",
                "participations-TOTAL_FORMS": "0",
                "participations-INITIAL_FORMS": "0",
                "versions-TOTAL_FORMS": "0",
                "versions-INITIAL_FORMS": "0",
            },
        ),
    )
    people = "/admin/people/person/"
    check(
        "merge, too few",
        _post(archivist_client, people, {"action": "merge", "_selected_action": [mao.pk]}),
    )
    check(
        "merge page",
        _post(archivist_client, people, {"action": "merge", "_selected_action": [mao.pk, zhou.pk]}),
    )
    check(
        "merged",
        _post(
            archivist_client,
            people,
            {
                "action": "merge",
                "_selected_action": [mao.pk, zhou.pk],
                "survivor": mao.pk,
                "confirm": "yes",
            },
        ),
    )
    regions = "/admin/documents/region/"
    check(
        "region merge page",
        _post(
            archivist_client, regions, {"action": "merge", "_selected_action": [china.pk, korea.pk]}
        ),
    )
    check(
        "region refused",
        _post(
            archivist_client,
            regions,
            {
                "action": "merge",
                "_selected_action": [china.pk, china.parent_id],
                "survivor": china.pk,
                "confirm": "yes",
            },
        ),
    )
    collections = "/admin/documents/collection/"
    check(
        "collection merge page",
        _post(
            archivist_client,
            collections,
            {"action": "merge", "_selected_action": [collection.pk, other.pk]},
        ),
    )
    pages = "/admin/versions/versionpage/"
    check(
        "read again",
        _post(
            archivist_client,
            pages,
            {"action": "read_again", "_selected_action": [chinese_admin["page"].pk]},
        ),
    )
    batches = "/admin/importing/importbatch/"
    check(
        "undo refused",
        _post(
            archivist_client,
            batches,
            {"action": "undo", "_selected_action": [chinese_admin["batch"].pk]},
        ),
    )
    assert no_english(found)


def test_the_walk_sees_the_admin_s_english_where_there_is_some():
    page = "<html><body><p>Pages: 1 ready</p><p>`manage.py ocr_versions` PNG</p></body></html>"
    assert admin_english(page) == ["Pages (in 'Pages: 1 ready')", "ready (in 'Pages: 1 ready')"]
