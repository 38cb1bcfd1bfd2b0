"""What a document page tells machines: Highwire `citation_*` and Dublin Core meta tags (read
by Zotero and Google Scholar) and schema.org JSON-LD (read by search engines).

All of it comes from the same readings as the citation: `document_people` for who wrote and
who appears, `date_span` for the date at its own precision.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .citations import document_people
from .dates import PartialDate
from .models import Document

# As django.utils.html.json_script escapes: nothing in the data can close the script element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _highwire_date(date: PartialDate) -> str:
    """Google Scholar's form, to the date's precision: 1984/06/04, 1967/11 or 1967."""
    parts = [f"{date.value.year:04d}", f"{date.value.month:02d}", f"{date.value.day:02d}"]
    return "/".join(parts[: date.parts_known])


def _dc_date(document: Document) -> str:
    span = document.date_span
    return span.start.iso() + (f"/{span.end.iso()}" if span.end else "")


def meta_tags(document: Document, *, url: str, archive_name: str) -> list[tuple[str, str]]:
    """(name, content) pairs for <meta> tags: Highwire Press first, then Dublin Core."""
    people = document_people(document)
    regions = [region.name for region in document.regions.all()]
    collections = [collection.title for collection in document.collections.all()]
    subjects = [person.name for person in people.not_authors] + regions + collections
    tags = [("citation_title", document.title)]
    tags += [("citation_author", person.name) for person in people.authors]
    tags += [
        ("citation_date", _highwire_date(document.date_span.start)),
        ("citation_publisher", archive_name),
        ("citation_language", document.language),
        ("citation_abstract", document.summary),
        ("citation_keywords", "; ".join(subjects)),
        ("citation_public_url", url),
        ("citation_abstract_html_url", url),
        ("DC.title", document.title),
    ]
    tags += [("DC.creator", person.name) for person in people.authors]
    tags += [("DC.contributor", person.name) for person in people.recipients + people.participants]
    tags += [("DC.subject", subject) for subject in subjects]
    tags += [
        ("DC.date", _dc_date(document)),
        ("DC.type", "Text"),
        ("DC.identifier", url),
        ("DC.description", document.summary),
        ("DC.publisher", archive_name),
        ("DC.source", document.source),
        ("DC.language", document.language),
        ("DC.rights", document.rights),
    ]
    tags += [("DC.coverage", region) for region in regions]
    return [(name, " ".join(content.split())) for name, content in tags if content.strip()]


def json_ld(
    document: Document, *, url: str, absolute_url: Callable[[str], str], archive_name: str
) -> dict:
    """schema.org ArchiveComponent: the date created, who and where it is about, its
    collections, the archive that holds the original."""
    span = document.date_span
    people = document_people(document)

    def person(entry) -> dict:
        data = {
            "@type": "Person",
            "name": entry.name,
            "url": absolute_url(entry.get_absolute_url()),
        }
        if entry.birth_year:
            data["birthDate"] = str(entry.birth_year)
        if entry.death_year:
            data["deathDate"] = str(entry.death_year)
        return data

    data: dict = {
        "@context": "https://schema.org",
        "@type": "ArchiveComponent",
        "@id": url,
        "url": url,
        "identifier": document.identifier,
        "name": document.title,
        "dateCreated": span.start.iso(),
        "author": [person(entry) for entry in people.authors],
        "about": [person(entry) for entry in people.not_authors]
        + [
            {"@type": "Place", "name": region.name, "url": absolute_url(region.get_absolute_url())}
            for region in document.regions.all()
        ],
        "isPartOf": [
            {
                "@type": "Collection",
                "name": collection.title,
                "url": absolute_url(collection.get_absolute_url()),
            }
            for collection in document.collections.all()
        ],
        "publisher": {"@type": "Organization", "name": archive_name},
        "dateModified": document.modified.isoformat(),
    }
    if span.end:
        data["temporalCoverage"] = f"{span.start.iso()}/{span.end.iso()}"
    optional = {
        "description": document.summary,
        "inLanguage": document.language,
        "copyrightNotice": document.rights,
    }
    data.update({key: value for key, value in optional.items() if value})
    if document.original_archive:
        data["holdingArchive"] = {"@type": "ArchiveOrganization", "name": document.original_archive}
    return {key: value for key, value in data.items() if value != []}


def json_ld_script(data: dict) -> SafeString:
    """`<script type="application/ld+json">`: data, not code, so a strict CSP allows it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
