"""A document's title in its original language (`original_title`): shown on its page and in
lists, in the original's language, and searched like the title; the batch format carries it."""

import pytest
from lxml import html

from documents.models import Document
from importing.batch_format import CSV_COLUMNS
from importing.importer import documents_import
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

ORIGINAL = "Телеграмма А. И. Микояна в ЦК КПСС"


@pytest.fixture
def telegram():
    return DocumentFactory(
        identifier="120189",
        title="Telegram from Anastas Mikoyan to the CPSU Central Committee",
        original_title=ORIGINAL,
        language="ru",
    )


def test_the_original_title_is_shown_in_its_language_on_the_page(client, telegram):
    for prefix in ("", "/ru", "/zh-hans"):
        tree = html.fromstring(client.get(f"{prefix}/documents/120189/").content.decode())
        (shown,) = tree.xpath('//p[@class="original-title"]/span[@lang]')
        assert (shown.text, shown.get("lang")) == (ORIGINAL, "ru")
        assert tree.xpath("//h1/text()") == [telegram.title]  # the catalogued title, as it is


def test_the_original_title_is_shown_in_results(client, telegram):
    DocumentFactory(title="Another", original_title="")
    tree = html.fromstring(client.get("/documents/").content.decode())
    (shown,) = tree.xpath('//p[@class="result-original-title"]')
    assert (shown.text, shown.get("lang")) == (ORIGINAL, "ru")


@pytest.mark.parametrize("query", ["Микояна", "телеграмма КПСС", "Микоя*"])
def test_words_of_the_original_title_find_the_document(client, telegram, query):
    DocumentFactory(title="A telegram about something else")
    response = client.get("/documents/", {"q": query})
    assert [d.identifier for d in response.context["documents"]] == ["120189"]
    api = client.get("/api/documents/", {"q": query}).json()
    assert [d["original_title"] for d in api["results"]] == [ORIGINAL]


def test_the_batch_format_carries_the_original_title(write_batch):
    assert CSV_COLUMNS.index("original_title") == CSV_COLUMNS.index("title") + 3
    batch = write_batch(
        "batch.jsonl",
        [{"identifier": "1", "title": "A conversation", "date": "1956", "original_title": "谈话"}],
    )
    documents_import(paths=[batch])
    assert Document.objects.get(identifier="1").original_title == "谈话"
