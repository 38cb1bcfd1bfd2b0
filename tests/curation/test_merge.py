"""Merging duplicate people, places and collections: every document link moves to the
survivor, names become alternate names, history records it, nothing is lost."""

import pytest
from django.urls import reverse

from curation.merging import MergeRefused, collections_merge, people_merge, regions_merge
from documents.models import Document, DocumentParticipant, Region, Role
from people.models import Person
from tests.factories import CollectionFactory, DocumentFactory, PersonFactory, RegionFactory

pytestmark = pytest.mark.django_db


def roles(document) -> list[tuple[str, str, int]]:
    return [
        (p.person.slug, p.role, p.position)
        for p in document.participations.select_related("person").order_by("position", "id")
    ]


@pytest.fixture
def duplicates():
    mao = PersonFactory(name="Mao Zedong", slug="mao-zedong", birth_year=1893)
    tse = PersonFactory(
        name="Mao Tse-tung",
        slug="mao-tse-tung",
        death_year=1976,
        alternate_names=["Chairman Mao"],
        biography="Chairman of the CCP.",
    )
    zhou = PersonFactory(name="Zhou Enlai", slug="zhou-enlai")
    only_tse = DocumentFactory(identifier="only-tse", title="Talk", people=[zhou, tse])
    both = DocumentFactory(identifier="both", title="Both names")
    DocumentParticipant.objects.create(document=both, person=mao, role="", position=2)
    DocumentParticipant.objects.create(document=both, person=tse, role=Role.AUTHOR, position=0)
    only_mao = DocumentFactory(identifier="only-mao", people=[mao])
    return {"mao": mao, "tse": tse, "zhou": zhou, "docs": [only_tse, both, only_mao]}


def test_people_merge_moves_every_link_once(duplicates, admin_user):
    mao, tse = duplicates["mao"], duplicates["tse"]
    only_tse, both, only_mao = duplicates["docs"]

    changed = people_merge(survivor=mao, others=[tse], user=admin_user)

    assert changed == 2
    assert not Person.objects.filter(pk=tse.pk).exists()
    assert roles(only_tse) == [("zhou-enlai", "", 0), ("mao-zedong", "", 1)]
    # Both in one document: one participation, the known role, the earlier position.
    assert roles(both) == [("mao-zedong", Role.AUTHOR, 0)]
    assert roles(only_mao) == [("mao-zedong", "", 0)]
    mao.refresh_from_db()
    assert mao.alternate_names == ["Mao Tse-tung", "Chairman Mao"]
    assert (mao.birth_year, mao.death_year) == (1893, 1976)
    assert mao.biography == "Chairman of the CCP."


def test_people_merge_leaves_history(duplicates, admin_user):
    mao, tse = duplicates["mao"], duplicates["tse"]

    people_merge(survivor=mao, others=[tse], user=admin_user)

    deleted = Person.history.filter(id=tse.pk).latest()
    assert deleted.history_type == "-"
    assert (deleted.name, deleted.biography) == ("Mao Tse-tung", "Chairman of the CCP.")
    assert deleted.history_change_reason.startswith("Merged into Mao Zedong")
    assert deleted.history_user == admin_user
    survivor = mao.history.latest()
    assert survivor.history_change_reason == "Merged in: Mao Tse-tung"
    assert survivor.alternate_names == ["Mao Tse-tung", "Chairman Mao"]
    for document in duplicates["docs"][:2]:
        record = document.history.latest()
        assert record.history_change_reason == "People merged: Mao Tse-tung into Mao Zedong"
        assert record.history_user == admin_user
        document.refresh_from_db()
        assert document.edited_at is not None  # an archivist's change: imports respect it
    assert duplicates["docs"][2].history.latest().history_type == "+"  # only its creation


def test_several_others_in_one_document(db):
    survivor, a, b = (PersonFactory(name=n) for n in ("Kim Il Sung", "Kim Il Song", "Kim Ir Sen"))
    document = DocumentFactory(people=[a, b])

    people_merge(survivor=survivor, others=[a, b])

    assert [p.person_id for p in document.participations.all()] == [survivor.pk]
    survivor.refresh_from_db()
    assert survivor.alternate_names == ["Kim Il Song", "Kim Ir Sen"]


def test_merging_a_person_into_themselves_changes_nothing(duplicates):
    assert people_merge(survivor=duplicates["mao"], others=[duplicates["mao"]]) == 0
    assert Person.objects.count() == 3


def test_contradictory_life_dates_are_not_mixed(db):
    survivor = PersonFactory(name="A", birth_year=1950)
    other = PersonFactory(name="B", death_year=1900)
    people_merge(survivor=survivor, others=[other])
    survivor.refresh_from_db()
    assert (survivor.birth_year, survivor.death_year) == (1950, None)
    assert Person.history.filter(id=other.pk).latest().death_year == 1900


def test_the_index_carries_the_merged_name(duplicates, client):
    people_merge(survivor=duplicates["mao"], others=[duplicates["tse"]])
    response = client.get("/documents/", {"q": "Chairman", "per_page": 100})
    # The survivor's documents all show the merged person's alternate names.
    assert {d.identifier for d in response.context["documents"]} == {
        "only-tse",
        "both",
        "only-mao",
    }


def test_merged_people_are_found_by_a_later_import(duplicates, write_batch):
    from importing.importer import documents_import

    people_merge(survivor=duplicates["mao"], others=[duplicates["tse"]])
    path = write_batch(
        "b.jsonl",
        [{"identifier": "new", "title": "New", "date": "1960", "participants": ["Mao Tse-tung"]}],
    )
    documents_import(paths=[path])
    assert roles(Document.objects.get(identifier="new")) == [("mao-zedong", "", 0)]
    assert Person.objects.count() == 2  # Mao and Zhou: no new "Mao Tse-tung"


def test_regions_merge(db, admin_user):
    asia = RegionFactory(name="East Asia", slug="east-asia")
    korea = RegionFactory(name="North Korea", slug="north-korea", parent=asia)
    dprk = RegionFactory(name="DPRK", slug="dprk", parent=asia)
    pyongyang = RegionFactory(name="Pyongyang", slug="pyongyang", parent=dprk)
    one = DocumentFactory(identifier="one", regions=[korea, dprk])
    two = DocumentFactory(identifier="two", regions=[dprk])

    assert regions_merge(survivor=korea, others=[dprk], user=admin_user) == 2

    assert list(one.regions.all()) == [korea]
    assert list(two.regions.all()) == [korea]
    pyongyang.refresh_from_db()
    assert pyongyang.parent == korea
    assert not Region.objects.filter(pk=dprk.pk).exists()
    assert Region.history.filter(id=dprk.pk).latest().history_type == "-"
    assert two.history.latest().history_change_reason == "Places merged: DPRK into North Korea"


def test_a_place_cannot_be_merged_into_one_under_it(db):
    asia = RegionFactory(name="East Asia", slug="east-asia")
    china = RegionFactory(name="China", slug="china", parent=asia)
    DocumentFactory(regions=[asia])
    with pytest.raises(MergeRefused):
        regions_merge(survivor=china, others=[asia])
    assert Region.objects.count() == 2


def test_collections_merge(db):
    keep = CollectionFactory(title="Kim Il Sung talks", slug="kim-talks")
    dup = CollectionFactory(title="Kim talks", slug="kim-talks-2", description="Conversations.")
    one = DocumentFactory(collections=[keep, dup])
    two = DocumentFactory(collections=[dup])

    assert collections_merge(survivor=keep, others=[dup]) == 2

    assert list(one.collections.all()) == [keep]
    assert list(two.collections.all()) == [keep]
    keep.refresh_from_db()
    assert keep.description == "Conversations."


@pytest.mark.parametrize(
    ("model_name", "app"),
    [("person", "people"), ("region", "documents"), ("collection", "documents")],
)
def test_the_admin_merge_action(archivist_client, db, model_name, app):
    factory = {"person": PersonFactory, "region": RegionFactory, "collection": CollectionFactory}
    keep, dup = factory[model_name](), factory[model_name]()
    document = DocumentFactory()
    if model_name == "person":
        DocumentParticipant.objects.create(document=document, person=dup)
    else:
        getattr(document, f"{model_name}s").add(dup)
    url = reverse(f"admin:{app}_{model_name}_changelist")
    chosen = {"action": "merge", "_selected_action": [keep.pk, dup.pk]}

    confirm = archivist_client.post(url, chosen)
    assert confirm.status_code == 200
    assert "Choose the" in confirm.content.decode()
    done = archivist_client.post(
        url, {**chosen, "confirm": "yes", "survivor": keep.pk}, follow=True
    )

    assert done.status_code == 200
    assert "1 document(s) changed" in done.content.decode()
    model = type(keep)
    assert not model.objects.filter(pk=dup.pk).exists()
    if model_name == "person":
        assert [p.person_id for p in document.participations.all()] == [keep.pk]
    else:
        assert list(getattr(document, f"{model_name}s").all()) == [keep]


def test_the_merge_action_needs_two(admin_client, db):
    person = PersonFactory()
    response = admin_client.post(
        reverse("admin:people_person_changelist"),
        {"action": "merge", "_selected_action": [person.pk]},
        follow=True,
    )
    assert "Select two or more people to merge." in response.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()


def test_merged_places_and_collections_keep_the_others_names_for_imports_and_search(db, tmp_path):
    """Issue 24: the next import naming a merged place or collection finds the survivor
    instead of making it again, and a search by the old name finds the documents."""
    import json

    from documents.models import Collection
    from importing.importer import documents_import
    from search import engine
    from search.queries import Criteria, parse_query

    korea = RegionFactory(name="Korea", slug="korea")
    dprk = RegionFactory(name="DPRK", slug="dprk", alternate_names=["North Korea"])
    keep = CollectionFactory(title="Kim Il Sung talks", slug="kim-talks")
    dup = CollectionFactory(title="Conversations with Kim", slug="conversations-kim")
    DocumentFactory(identifier="old", regions=[dprk], collections=[dup])
    regions_merge(survivor=korea, others=[dprk])
    collections_merge(survivor=keep, others=[dup])
    korea.refresh_from_db()
    keep.refresh_from_db()
    assert korea.alternate_names == ["DPRK", "North Korea"]
    assert keep.alternate_names == ["Conversations with Kim"]

    batch = tmp_path / "batch.jsonl"
    record = {
        "identifier": "new",
        "title": "A later record",
        "date": "1961",
        "regions": ["north korea"],
        "collections": ["Conversations with Kim"],
    }
    batch.write_text(json.dumps(record) + "\n")
    report = documents_import(paths=[batch])
    assert (report.regions_created, report.collections_created) == (0, 0)
    new = Document.objects.get(identifier="new")
    assert list(new.regions.all()) == [korea] and list(new.collections.all()) == [keep]
    assert Region.objects.count() == 1 and Collection.objects.count() == 1

    found = engine.window(
        Criteria(keywords=parse_query("DPRK")), sort="-date", offset=0, limit=10
    ).ids
    assert set(found) == set(Document.objects.values_list("id", flat=True))
