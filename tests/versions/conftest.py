"""Fixtures for document versions: an archivist, and the admin's change form as a browser
would submit it."""

import lxml.html

# The archivist and a signed-in client are the curation tests' own fixtures (one definition);
# so is starting each test with an empty cache (rate-limit counts live there).
from tests.curation.conftest import archivist, archivist_client, fresh_cache  # noqa: F401


def form_fields(html: bytes, form_id: str) -> dict[str, list[str]]:
    """What a browser would send for a form as it stands (no files)."""
    tree = lxml.html.fromstring(html)
    form = tree.get_element_by_id(form_id)
    data: dict[str, list[str]] = {}
    for element in form.iter("input", "select", "textarea"):
        name = element.get("name")
        if not name or element.get("type") in ("file", "submit", "button"):
            continue
        if element.tag == "select":
            values = [
                o.get("value", o.text or "")
                for o in element.iter("option")
                if o.get("selected") is not None
            ]
        elif element.tag == "textarea":
            values = [element.text or ""]
        elif element.get("type") in ("checkbox", "radio"):
            values = [element.get("value", "on")] if element.get("checked") is not None else []
        else:
            values = [element.get("value", "")]
        if values:
            data.setdefault(name, []).extend(values)
    return data
