"""Roles: archivists curate and run imports; administrators also delete and manage accounts.

Each user signs in through the admin's own login form, as a person would.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from documents.models import Collection, Document, Region
from importing.models import ImportBatch
from people.models import Person
from tests.curation.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username: str) -> None:
    response = client.post(
        reverse("admin:login"), {"username": username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == "/admin/"


@pytest.fixture
def batch(seeded):
    return ImportBatch.objects.get()


def objects():
    return {
        ("documents", "document"): Document.objects.get(identifier="208559"),
        ("documents", "region"): Region.objects.get(slug="north-korea"),
        ("documents", "collection"): Collection.objects.get(slug="conversations-with-kim-il-sung"),
        ("people", "person"): Person.objects.get(slug="kim-il-sung"),
    }


def test_the_archivist_group_is_made_by_a_migration(db):
    group = Group.objects.get(name="Archivist")
    codenames = set(group.permissions.values_list("codename", flat=True))
    for model in ("document", "region", "collection", "person"):
        assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= codenames
        assert f"delete_{model}" not in codenames
    assert {"change_importbatch", "view_importbatch"} <= codenames
    assert not any(codename.endswith(("_user", "_group", "_permission")) for codename in codenames)


def test_an_archivist_curates_but_does_not_delete_or_manage_users(client, archivist, seeded):
    sign_in(client, "archivist")
    for (app, model), obj in objects().items():
        for view, args in (("changelist", []), ("add", []), ("change", [obj.pk])):
            url = reverse(f"admin:{app}_{model}_{view}", args=args)
            assert client.get(url).status_code == 200, url
        assert client.get(reverse(f"admin:{app}_{model}_history", args=[obj.pk])).status_code == 200
        delete = reverse(f"admin:{app}_{model}_delete", args=[obj.pk])
        assert client.get(delete).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
        changelist = client.get(reverse(f"admin:{app}_{model}_changelist"))
        actions = dict(changelist.context["action_form"].fields["action"].choices)
        assert "delete_selected" not in actions
    assert client.get(reverse("admin:importing_importbatch_changelist")).status_code == 200
    for url in (
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_group_changelist"),
    ):
        assert client.get(url).status_code == 403, url
    assert Document.objects.filter(identifier="208559").exists()


def test_an_archivist_can_edit_a_document(client, archivist, seeded):
    sign_in(client, "archivist")
    document = Document.objects.get(identifier="208559")
    from tests.documents.test_admin import form_data

    url = reverse("admin:documents_document_change", args=[document.pk])
    data = form_data(client.get(url))
    data["title"] = "A corrected title"
    response = client.post(url, data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "A corrected title"
    assert document.history.first().history_user.username == "archivist"


def test_an_archivist_can_undo_an_import(client, archivist, batch):
    sign_in(client, "archivist")
    changelist = client.get(reverse("admin:importing_importbatch_changelist"))
    assert "undo" in dict(changelist.context["action_form"].fields["action"].choices)
    response = client.post(
        reverse("admin:importing_importbatch_changelist"),
        {"action": "undo", "_selected_action": [batch.pk]},
        follow=True,
    )
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.outcome == ImportBatch.Outcome.UNDONE
    assert batch.undone_by == "archivist"
    assert not Document.objects.exists()


def test_a_superuser_can_do_everything(client, superuser, seeded):
    sign_in(client, "boss")
    for (app, model), obj in objects().items():
        assert client.get(reverse(f"admin:{app}_{model}_delete", args=[obj.pk])).status_code == 200
        changelist = client.get(reverse(f"admin:{app}_{model}_changelist"))
        assert "delete_selected" in dict(changelist.context["action_form"].fields["action"].choices)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_add")).status_code == 200
    document = Document.objects.get(identifier="120194")
    response = client.post(
        reverse("admin:documents_document_delete", args=[document.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()


def test_staff_without_a_role_see_nothing_and_the_public_is_sent_to_sign_in(
    client, django_user_model, seeded
):
    django_user_model.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    anonymous = client.get(reverse("admin:documents_document_changelist"))
    assert anonymous.status_code == 302
    assert reverse("admin:login") in anonymous["Location"]
    sign_in(client, "clerk")
    assert client.get(reverse("admin:documents_document_changelist")).status_code == 403


def test_a_non_staff_account_cannot_sign_in_to_the_admin(client, django_user_model, db):
    user = django_user_model.objects.create_user("reader", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Archivist"))
    response = client.post(
        reverse("admin:login"), {"username": "reader", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 200  # the form again, with an error
    assert not response.wsgi_request.user.is_authenticated
