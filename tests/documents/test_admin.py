"""The archivists' admin: every page opens, search, autocomplete, bulk actions, validation."""

from datetime import date

import pytest
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.messages import get_messages
from django.urls import reverse

from documents.dates import Precision
from documents.models import Collection, Document, DocumentParticipant, Region, Status
from people.models import Person
from tests.factories import DocumentFactory, PersonFactory

MODELS = {
    "document": (Document, "documents"),
    "region": (Region, "documents"),
    "collection": (Collection, "documents"),
    "person": (Person, "people"),
}


def admin_url(model_name: str, view: str, *args) -> str:
    _model, app_label = MODELS[model_name]
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


def form_data(response) -> dict:
    """The POST a browser would send for an admin change form as it was shown."""
    data = {}

    def add(form):
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            data[bound.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


# Every page opens ----------------------------------------------------------------------------


@pytest.mark.parametrize("model_name", list(MODELS))
def test_changelist_and_add_pages_open(admin_client, seeded, model_name):
    changelist = admin_client.get(admin_url(model_name, "changelist"))
    add = admin_client.get(admin_url(model_name, "add"))

    assert changelist.status_code == 200
    assert add.status_code == 200
    model, _app = MODELS[model_name]
    assert len(changelist.context["cl"].result_list) == model.objects.count() > 0


@pytest.mark.parametrize(
    ("model_name", "lookup"),
    [
        ("document", {"identifier": "208559"}),
        ("region", {"slug": "north-korea"}),
        ("collection", {"slug": "conversations-with-kim-il-sung"}),
        ("person", {"slug": "kim-il-sung"}),
    ],
)
def test_change_pages_open(admin_client, seeded, model_name, lookup):
    model, _app = MODELS[model_name]
    obj = model.objects.get(**lookup)

    response = admin_client.get(admin_url(model_name, "change", obj.pk))

    assert response.status_code == 200
    assert response.context["original"] == obj


def test_document_change_page_shows_the_participants_inline(admin_client, seeded):
    document = Document.objects.get(identifier="208559")

    response = admin_client.get(admin_url("document", "change", document.pk))

    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.model is DocumentParticipant
    people = [form.instance.person.name for form in formset.initial_forms]
    assert people[0] == "Stefan Olszowski"
    assert len(people) == 6
    assert b"Stefan Olszowski" in response.content


def test_document_changelist_shows_the_date_with_its_precision(admin_client, db):
    DocumentFactory(identifier="m-1967-11", date=date(1967, 11, 1), date_precision=Precision.MONTH)

    response = admin_client.get(admin_url("document", "changelist"))

    assert response.status_code == 200
    assert "November 1967" in response.content.decode()


def test_changelist_filters_and_date_hierarchy_work(admin_client, seeded):
    collection = Collection.objects.get()
    url = admin_url("document", "changelist")

    by_status = admin_client.get(url, {"status__exact": "published"})
    by_language = admin_client.get(url, {"language": "pl"})
    by_collection = admin_client.get(url, {"collections__id__exact": collection.pk})
    by_year = admin_client.get(url, {"date__year": "1956"})

    assert len(by_status.context["cl"].result_list) == 10
    assert [d.identifier for d in by_language.context["cl"].result_list] == ["208559"]
    assert len(by_collection.context["cl"].result_list) == 10
    assert {d.identifier for d in by_year.context["cl"].result_list} == {"120194", "120189"}


# Search ---------------------------------------------------------------------------------------


def test_document_search_finds_the_telegrams(admin_client, seeded):
    response = admin_client.get(admin_url("document", "changelist"), {"q": "Mikoyan"})

    assert response.status_code == 200
    found = {document.identifier for document in response.context["cl"].result_list}
    assert found == {"120194", "120189"}


def test_document_search_by_identifier(admin_client, seeded):
    response = admin_client.get(admin_url("document", "changelist"), {"q": "208559"})

    assert [d.identifier for d in response.context["cl"].result_list] == ["208559"]


def test_person_search_by_name_key_and_alternate_names(admin_client, seeded):
    mao = Person.objects.get(slug="mao-zedong")
    mao.alternate_names = ["Mao Tse-tung"]
    mao.save()
    url = admin_url("person", "changelist")

    by_folded = admin_client.get(url, {"q": "karoly prath"})
    by_alternate = admin_client.get(url, {"q": "Tse-tung"})

    assert [p.slug for p in by_folded.context["cl"].result_list] == ["karoly-prath"]
    assert [p.slug for p in by_alternate.context["cl"].result_list] == ["mao-zedong"]
    # The changelist counts each person's documents.
    assert "10" in admin_client.get(url, {"q": "Kim Il Sung"}).content.decode()


# Autocomplete -----------------------------------------------------------------------------------


def test_participant_inline_uses_an_autocomplete_for_the_person(admin_client, seeded):
    document = Document.objects.get(identifier="120194")

    response = admin_client.get(admin_url("document", "change", document.pk))

    formset = response.context["inline_admin_formsets"][0].formset
    widget = formset.form.base_fields["person"].widget
    assert isinstance(getattr(widget, "widget", widget), AutocompleteSelect)
    form = response.context["adminform"].form
    for name in ("regions", "collections"):
        field_widget = form.fields[name].widget
        assert isinstance(getattr(field_widget, "widget", field_widget), AutocompleteSelectMultiple)
    html = response.content.decode()
    assert 'data-ajax--url="/admin/autocomplete/"' in html
    assert 'data-model-name="documentparticipant"' in html
    assert 'data-field-name="person"' in html


def test_people_autocomplete_endpoint(admin_client, seeded):
    kim = Person.objects.get(slug="kim-il-sung")
    kim_jong_il = Person.objects.get(slug="kim-jong-il")

    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "documents",
            "model_name": "documentparticipant",
            "field_name": "person",
            "term": "Kim",
        },
    )

    assert response.status_code == 200
    data = response.json()
    assert data["pagination"] == {"more": False}
    assert {(r["id"], r["text"]) for r in data["results"]} == {
        (str(kim.pk), "Kim Il Sung (1912–1994)"),
        (str(kim_jong_il.pk), "Kim Jong Il (1941–2011)"),
    }


def test_people_autocomplete_matches_folded_names(admin_client, seeded):
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "documents",
            "model_name": "documentparticipant",
            "field_name": "person",
            "term": "Karoly",
        },
    )

    assert [r["text"] for r in response.json()["results"]] == ["Károly Práth"]


def test_people_autocomplete_pages_in_a_stable_order(admin_client, db, recwarn):
    # More people than one page (20): page 2 must go on where page 1 stopped.
    for number in range(25):
        PersonFactory(name=f"Zhou {number:02d}", slug=f"zhou-{number:02d}")
    params = {
        "app_label": "documents",
        "model_name": "documentparticipant",
        "field_name": "person",
        "term": "Zhou",
    }

    first = admin_client.get("/admin/autocomplete/", params).json()
    second = admin_client.get("/admin/autocomplete/", {**params, "page": 2}).json()

    assert first["pagination"] == {"more": True}
    assert second["pagination"] == {"more": False}
    names = [r["text"] for r in first["results"] + second["results"]]
    assert names == [f"Zhou {number:02d}" for number in range(25)]
    assert not [w for w in recwarn if w.category.__name__ == "UnorderedObjectListWarning"]


@pytest.mark.parametrize(
    ("field_name", "term", "want"),
    [
        ("regions", "Korea", {"East Asia › North Korea", "East Asia › South Korea"}),
        ("collections", "Kim", {"Conversations with Kim Il Sung"}),
    ],
)
def test_region_and_collection_autocomplete(admin_client, seeded, field_name, term, want):
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "documents",
            "model_name": "document",
            "field_name": field_name,
            "term": term,
        },
    )

    assert response.status_code == 200
    assert {r["text"] for r in response.json()["results"]} == want


def test_autocomplete_is_for_staff_only(client, seeded):
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "documents",
            "model_name": "documentparticipant",
            "field_name": "person",
            "term": "Kim",
        },
    )

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# Bulk actions -----------------------------------------------------------------------------------


def test_unpublish_and_publish_actions(admin_client, seeded):
    url = admin_url("document", "changelist")
    telegrams = list(
        Document.objects.filter(identifier__in=["120194", "120189"]).values_list("pk", flat=True)
    )

    response = admin_client.post(
        url, {"action": "unpublish", "_selected_action": telegrams}, follow=True
    )

    assert response.status_code == 200
    assert set(
        Document.objects.filter(status=Status.DRAFT).values_list("identifier", flat=True)
    ) == {"120194", "120189"}
    assert Document.objects.published().count() == 8
    assert "2 documents unpublished." in [str(m) for m in get_messages(response.wsgi_request)]

    # Publishing one draft and one published document changes only the draft.
    mixed = [telegrams[0], Document.objects.get(identifier="208559").pk]
    response = admin_client.post(url, {"action": "publish", "_selected_action": mixed}, follow=True)

    assert response.status_code == 200
    assert Document.objects.published().count() == 9
    assert Document.objects.get(pk=telegrams[0]).status == Status.PUBLISHED
    assert Document.objects.get(pk=telegrams[1]).status == Status.DRAFT
    assert "1 document published." in [str(m) for m in get_messages(response.wsgi_request)]


def test_actions_are_offered_on_the_changelist(admin_client, seeded):
    response = admin_client.get(admin_url("document", "changelist"))

    choices = dict(response.context["action_form"].fields["action"].choices)
    assert "publish" in choices
    assert "unpublish" in choices


# Saving through the change form ---------------------------------------------------------------


def test_saving_the_unchanged_form_keeps_the_document(admin_client, seeded):
    document = Document.objects.get(identifier="120194")
    url = admin_url("document", "change", document.pk)
    data = form_data(admin_client.get(url))
    data["summary"] = "A new summary."

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    document.refresh_from_db()
    assert document.summary == "A new summary."
    assert document.participations.count() == 3
    assert document.regions.count() == 3


def test_saving_a_month_date_through_the_form(admin_client, db):
    document = DocumentFactory()
    url = admin_url("document", "change", document.pk)
    data = form_data(admin_client.get(url))
    data.update(date="1967-11-15", date_precision=Precision.MONTH)

    response = admin_client.post(url, data)

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.date, document.date_last) == (date(1967, 11, 1), date(1967, 11, 30))
    assert document.date_display == "November 1967"


def test_an_end_before_the_start_is_a_form_error_not_a_crash(admin_client, seeded):
    document = Document.objects.get(identifier="120194")
    url = admin_url("document", "change", document.pk)
    data = form_data(admin_client.get(url))
    data.update(date_end="1956-09-01", date_end_precision=Precision.DAY, title="Changed")
    admin_client.raise_request_exception = False

    response = admin_client.post(url, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "date_end" in form.errors
    assert "before it begins" in form.errors["date_end"][0]
    document.refresh_from_db()
    assert document.date_end is None
    assert document.title == "Telegram from A. Mikoyan to the CPSU Central Committee"


def test_adding_a_document_with_an_end_before_the_start_is_a_form_error(admin_client, db):
    url = admin_url("document", "add")
    data = form_data(admin_client.get(url))
    data.update(
        identifier="new-1",
        title="A visit",
        status=Status.PUBLISHED,
        date="1960-08-18",
        date_precision=Precision.DAY,
        date_end="1960-08-01",
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "date_end" in response.context["adminform"].form.errors
    assert not Document.objects.filter(identifier="new-1").exists()


def test_adding_a_document_with_a_participant(admin_client, db):
    person = PersonFactory(name="Kim Il Sung", slug="kim-il-sung")
    url = admin_url("document", "add")
    data = form_data(admin_client.get(url))
    data.update(
        {
            "identifier": "new-2",
            "title": "A visit",
            "status": Status.DRAFT,
            "date": "1960-08-18",
            "date_precision": Precision.DAY,
            "date_end": "1960-08-20",
            "participations-0-person": person.pk,
            "participations-0-role": "participant",
            "participations-0-position": "0",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302
    document = Document.objects.get(identifier="new-2")
    assert document.status == Status.DRAFT
    assert document.date_end_precision == Precision.DAY
    assert document.date_last == date(1960, 8, 20)
    assert [(p.person, p.role) for p in document.participations.all()] == [(person, "participant")]


def test_a_person_dying_before_birth_is_a_form_error(admin_client, db):
    url = admin_url("person", "add")
    data = {
        "name": "Someone",
        "slug": "someone",
        "birth_year": "1950",
        "death_year": "1900",
        "alternate_names": "[]",
        "biography": "",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Person.objects.filter(slug="someone").exists()


def test_adding_a_region_under_a_parent(admin_client, seeded):
    asia = Region.objects.get(slug="east-asia")

    response = admin_client.post(
        admin_url("region", "add"), {"name": "Mongolia", "slug": "mongolia", "parent": asia.pk}
    )

    assert response.status_code == 302
    mongolia = Region.objects.get(slug="mongolia")
    assert str(mongolia) == "East Asia › Mongolia"
    assert mongolia.name_key == "mongolia"


# Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("model_name", list(MODELS))
def test_anonymous_is_sent_to_the_login_page(client, db, model_name):
    url = admin_url(model_name, "changelist")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "next=" in response["Location"]


def test_anonymous_cannot_run_an_action(client, seeded):
    pks = list(Document.objects.values_list("pk", flat=True))

    response = client.post(
        admin_url("document", "changelist"), {"action": "unpublish", "_selected_action": pks}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert Document.objects.published().count() == 10


def test_admin_index_lists_the_models(admin_client, db):
    response = admin_client.get(reverse("admin:index"))

    html = response.content.decode()
    assert response.status_code == 200
    for label in ("Documents", "Regions", "Collections", "People"):
        assert label in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/documents/document/?q=%00",
        "/admin/people/person/?q=Kim%00",
        "/admin/autocomplete/?app_label=documents&model_name=documentparticipant"
        "&field_name=person&term=%00",
    ],
)
def test_a_nul_character_in_an_admin_search_is_not_a_server_error(admin_client, seeded, url):
    assert admin_client.get(url).status_code == 200


def test_document_search_finds_drafts_by_text_and_published_through_the_index(
    admin_client, seeded, django_assert_max_num_queries
):
    """Issue 24: the admin's search at a million documents: an exact ID by its index, words
    of published documents through the search index, drafts by their text."""
    draft = DocumentFactory(identifier="draft-77", title="Unpublished Mikoyan memo", status="draft")
    url = admin_url("document", "changelist")
    found = admin_client.get(url, {"q": "Mikoyan"}).context["cl"].result_list
    assert {d.identifier for d in found} == {"120194", "120189", draft.identifier}
    exact = admin_client.get(url, {"q": "draft-77"}).context["cl"].result_list
    assert [d.identifier for d in exact] == ["draft-77"]
    stemmed = admin_client.get(url, {"q": "telegrams"}).context["cl"].result_list
    assert {"120194", "120189"} <= {d.identifier for d in stemmed}
    with django_assert_max_num_queries(25):
        admin_client.get(url, {"q": "Mikoyan"})
