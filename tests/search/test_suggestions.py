"""Did you mean, and people and places as the search box is typed into."""

import pytest

pytestmark = pytest.mark.django_db

LIST = "/documents/"


def test_a_misspelled_name_offers_the_spelling_the_index_knows(client, seeded):
    response = client.get(LIST, {"q": "Mikoyn"})
    assert response.context["suggestion"] == "mikoyan"
    page = response.content.decode()
    assert 'Did you mean <a href="?q=mikoyan">mikoyan</a>?' in page
    assert client.get(LIST, {"q": "Mikoyan"}).context["suggestion"] is None


def test_a_query_with_enough_results_or_no_near_word_offers_nothing(client, seeded):
    assert client.get(LIST, {"q": "Kim"}).context["suggestion"] is None
    assert client.get(LIST, {"q": "xqzvw"}).context["suggestion"] is None


def test_people_and_places_as_typed(client, seeded):
    answer = client.get("/search/suggest", {"q": "mik"}).json()
    assert [p["slug"] for p in answer["people"]] == ["anastas-mikoyan"]
    assert client.get("/search/suggest", {"q": "hung"}).json()["places"][0]["slug"] == "hungary"
    assert client.get("/search/suggest", {"q": "\x00"}).json() == {"people": [], "places": []}
