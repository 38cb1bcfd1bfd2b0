"""The people pages; Kim Il Sung's page is the seed page reproduced."""

import pytest

from documents.models import Document, Status

pytestmark = pytest.mark.django_db


def test_people_list_with_life_dates_and_counts(client, seeded):
    response = client.get("/people/")
    assert response.status_code == 200
    people = {person.slug: person for person in response.context["people"]}
    assert people["kim-il-sung"].document_count == 10
    assert people["mao-zedong"].document_count == 2
    page = response.content.decode()
    assert 'Kim Il Sung</a> <span class="life-dates">(1912–1994)</span>' in page


def test_people_list_finds_by_name(client, seeded):
    response = client.get("/people/?name=puzan")
    assert [person.slug for person in response.context["people"]] == ["a-m-puzanov"]


def test_the_seed_page_reproduced(client, seeded):
    """Kim Il Sung with life dates, (10) documents, dated summaries and his companions."""
    response = client.get(
        "/people/kim-il-sung/?collection=conversations-with-kim-il-sung&region=soviet-union"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'Kim Il Sung <span class="life-dates">(1912–1994)</span>' in page
    assert "(10) documents" in page
    dates = [document.date_display for document in response.context["documents"]]
    assert dates == [
        "June 4, 1984",
        "April 14, 1969",
        "August 18, 1960",
        "August 16, 1960",
        "August 8, 1960",
        "July 24, 1960",
        "June 25, 1960",
        "June 16, 1960",
        "September 23, 1956",
        "September 21, 1956",
    ]
    assert "vehemently criticizes Mao Zedong" in page
    companions = {
        row["slug"]: (row["life_dates"], row["count"])
        for row in response.context["facets"]["people"]
    }
    assert "kim-il-sung" not in companions
    assert companions["a-m-puzanov"] == ("1906–1998", 4)
    assert companions["anastas-mikoyan"] == ("1895–1978", 2)
    assert companions["mao-zedong"] == ("1893–1976", 2)
    assert companions["nikita-khrushchev"] == ("1894–1971", 1)
    regions = {node.region.name for node in response.context["facets"]["regions"]}
    assert regions == {"East Asia", "Eastern Europe"}


def test_person_page_filters_narrow_their_documents(client, seeded):
    response = client.get("/people/kim-il-sung/?date_from=1956&date_to=1956")
    assert {d.identifier for d in response.context["documents"]} == {"120194", "120189"}
    assert response.context["total"] == 10  # the person's own count does not shrink


def test_person_page_hides_drafts_from_counts_and_companions(client, seeded):
    Document.objects.filter(identifier__in=["120194", "120189"]).update(status=Status.DRAFT)
    response = client.get("/people/kim-il-sung/")
    assert response.context["total"] == 8
    companions = {row["slug"] for row in response.context["facets"]["people"]}
    assert "anastas-mikoyan" not in companions
    # Named only in drafts now: to the public, no such person (staff still see the page).
    assert client.get("/people/anastas-mikoyan/").status_code == 404


def test_unknown_person_is_a_404(client, db):
    assert client.get("/people/nobody/").status_code == 404
