"""Edit history: who changed which field of a document, person, place or collection, from
what to what and when, shown in the admin, with revert; imports leave none (their batch is
their record)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.history import history_paused
from documents.models import Collection, Document, Region, Status
from documents.services import documents_publish, documents_unpublish
from importing.models import ImportBatch
from people.models import Person
from tests.documents.test_admin import form_data


def revert_form_data(response) -> dict:
    """The POST of simple-history's revert page (the change form, without inlines)."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value not in (None, False):
            data[form[name].html_name] = "on" if value is True else value
    return data


pytestmark = pytest.mark.django_db


def edit(client, model_name: str, app: str, obj, **changes):
    url = reverse(f"admin:{app}_{model_name}_change", args=[obj.pk])
    data = form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_imports_leave_no_edit_history(seeded):
    assert ImportBatch.objects.count() == 1
    assert Document.objects.count() == 10
    for model in (Document, Person, Region, Collection):
        assert not model.history.exists(), model


def test_an_admin_edit_is_recorded_field_by_field(archivist_client, archivist, seeded):
    document = Document.objects.get(identifier="208559")
    old_title = document.title

    edit(archivist_client, "document", "documents", document, title="Corrected title")

    record = document.history.latest()
    assert record.history_type == "~"
    assert record.history_user == archivist
    assert record.title == "Corrected title"
    # The first hand edit of an imported document has nothing before it to compare with; a
    # second one has.
    edit(archivist_client, "document", "documents", document, summary="A shorter summary.")
    newest, previous = document.history.all()[:2]
    delta = newest.diff_against(previous)
    assert {change.field for change in delta.changes} >= {"summary"}
    summary = next(change for change in delta.changes if change.field == "summary")
    assert summary.new == "A shorter summary."
    assert previous.title == "Corrected title" != old_title


def test_the_history_page_shows_who_and_what(archivist_client, seeded):
    document = Document.objects.get(identifier="208559")
    edit(archivist_client, "document", "documents", document, title="First <b>fix</b>")
    edit(archivist_client, "document", "documents", document, title="Second fix")

    response = archivist_client.get(reverse("admin:documents_document_history", args=[document.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "archivist" in page
    assert "Second fix" in page
    assert "First &lt;b&gt;fix&lt;/b&gt;" in page  # before and after, escaped
    assert "<b>fix</b>" not in page


def test_revert_restores_an_earlier_version(archivist_client, seeded):
    document = Document.objects.get(identifier="208559")
    original_title = document.title
    edit(archivist_client, "document", "documents", document, title="A first edit")
    first = document.history.latest()
    edit(archivist_client, "document", "documents", document, title="A mistaken edit")

    url = reverse("admin:documents_document_simple_history", args=[document.pk, first.pk])
    shown = archivist_client.get(url)
    assert shown.status_code == 200
    data = revert_form_data(shown)
    assert data["title"] == "A first edit"
    response = archivist_client.post(url, data)

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "A first edit" != original_title
    assert document.edited_at is not None
    assert document.history.latest().title == "A first edit"
    assert document.participations.count() == 6  # links are kept as they are


def test_revert_of_a_rename_keeps_the_old_link_working(archivist_client, client, seeded):
    document = Document.objects.get(identifier="208559")
    edit(archivist_client, "document", "documents", document, summary="Touched.")
    before_rename = document.history.latest()
    edit(archivist_client, "document", "documents", document, identifier="renamed-208559")
    url = reverse("admin:documents_document_simple_history", args=[document.pk, before_rename.pk])
    archivist_client.post(url, revert_form_data(archivist_client.get(url)))

    document.refresh_from_db()
    assert document.identifier == "208559"
    assert client.get("/documents/renamed-208559/").status_code == 301


def test_people_places_and_collections_keep_history_too(archivist_client, seeded):
    person = Person.objects.get(slug="kim-il-sung")
    region = Region.objects.get(slug="north-korea")
    collection = Collection.objects.get(slug="conversations-with-kim-il-sung")

    edit(archivist_client, "person", "people", person, biography="Leader of the DPRK.")
    edit(archivist_client, "region", "documents", region, name="DPRK")
    edit(archivist_client, "collection", "documents", collection, description="Talks.")

    assert person.history.latest().biography == "Leader of the DPRK."
    assert region.history.latest().name == "DPRK"
    assert collection.history.latest().description == "Talks."
    for model_name, app, obj in (
        ("person", "people", person),
        ("region", "documents", region),
        ("collection", "documents", collection),
    ):
        url = reverse(f"admin:{app}_{model_name}_history", args=[obj.pk])
        assert archivist_client.get(url).status_code == 200


def test_publishing_and_unpublishing_leave_history(admin_user, seeded):
    telegrams = Document.objects.filter(identifier__in=["120194", "120189"])

    assert documents_unpublish(documents=telegrams, user=admin_user) == 2
    assert documents_publish(documents=Document.objects.all(), user=admin_user) == 2

    for document in telegrams:
        published, unpublished = document.history.all()[:2]
        assert (unpublished.status, unpublished.history_change_reason) == (
            Status.DRAFT,
            "Unpublished (made a draft)",
        )
        assert (published.status, published.history_change_reason) == (
            Status.PUBLISHED,
            "Published",
        )
        assert published.history_user == admin_user
        status = next(c for c in published.diff_against(unpublished).changes)
        assert (status.field, status.old, status.new) == ("status", "draft", "published")
    # Nothing is recorded for documents that did not change.
    assert not Document.objects.get(identifier="208559").history.exists()


def test_the_publish_action_records_the_archivist(archivist_client, archivist, seeded):
    draft = Document.objects.get(identifier="208559")
    documents_unpublish(documents=Document.objects.filter(pk=draft.pk))

    archivist_client.post(
        reverse("admin:documents_document_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )

    record = draft.history.latest()
    assert (record.status, record.history_user) == (Status.PUBLISHED, archivist)


def test_undo_of_an_import_leaves_no_edit_history(admin_client, seeded):
    batch = ImportBatch.objects.get()
    admin_client.post(
        reverse("admin:importing_importbatch_changelist"),
        {"action": "undo", "_selected_action": [batch.pk]},
    )
    assert not Document.objects.exists()
    assert not Document.history.exists()


def test_the_import_command_leaves_no_edit_history(db, write_batch):
    path = write_batch(
        "a.jsonl",
        [
            {
                "identifier": "x1",
                "title": "T",
                "date": "1960",
                "regions": ["Asia > Laos"],
                "collections": ["C"],
                "participants": ["P"],
            }
        ],
    )
    call_command("import_documents", str(path), verbosity=0)
    call_command("import_documents", "--undo", str(ImportBatch.objects.get().pk), verbosity=0)
    for model in (Document, Person, Region, Collection):
        assert not model.history.exists(), model


def test_history_paused_is_scoped(db):
    with history_paused():
        Region.objects.create(name="Quiet", slug="quiet")
    Region.objects.create(name="Loud", slug="loud")
    assert list(Region.history.values_list("name", flat=True)) == ["Loud"]
