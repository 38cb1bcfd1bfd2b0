"""People and places as the search box is typed into (static/js/suggest.js asks
/search/suggest; the page works without it)."""

from __future__ import annotations

from django.db.models import Q

from people.models import Person
from people.names import name_key

from .models import Region


def typeahead(text: str, *, limit: int = 8) -> dict[str, list[dict]]:
    """People and places whose names begin with (or hold a word beginning with) what has
    been typed: public people only."""
    key = name_key(text.replace("\x00", "").strip()[:100])
    if len(key) < 2:
        return {"people": [], "places": []}
    people = (
        Person.objects.filter(Q(name_key__startswith=key) | Q(name_key__contains=f" {key}"))
        .public()
        .order_by("name", "id")[:limit]
    )
    places = Region.objects.filter(
        Q(name_key__startswith=key) | Q(name_key__contains=f" {key}")
    ).order_by("name")[:limit]
    return {
        "people": [
            {"name": person.name, "url": person.get_absolute_url(), "slug": person.slug}
            for person in people
        ],
        "places": [
            {"name": region.name, "url": region.get_absolute_url(), "slug": region.slug}
            for region in places
        ],
    }
