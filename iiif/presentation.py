"""IIIF Presentation API 3.0 (https://iiif.io/api/presentation/3.0/): a manifest per document
(its original scans' pages in order as canvases, with the record's metadata, the text read on
each page as a supplementing annotation, the transcripts and translations as renderings, and
the search service inside it), and a collection per archival collection.

Built as plain data, not with iiif-prezi3: its latest release (3.1.1) requires Pillow
<= 12.0.0, and the archive opens untrusted images with the Pillow it pins (13.0.0). The tests
read what is built here with a real IIIF parser (@iiif/parser) and a JSON-LD check of every
id and type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse

from documents.citations import document_people
from documents.models import Collection, Document
from versions.models import DocumentVersion, Kind, TextSource, VersionPage

from .image_api import MAX_AREA, TILE, UPSCALE

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
THUMBNAIL = 240

Absolute = Callable[[str], str]


def _text(value: str, language: str = "en") -> dict:
    return {language: [value]}


def _entry(label: str, value: str) -> dict:
    return {"label": _text(label), "value": _text(value)}


def ready_pages(document: Document) -> list[VersionPage]:
    """The pages of the document's scans that have their image, in reading order."""
    return list(
        VersionPage.objects.ready()
        .filter(version__document=document)
        .select_related("version")
        .order_by("version__position", "version_id", "number")
        .only(
            "id",
            "number",
            "width",
            "height",
            "text_source",
            "ocr_text",
            "corrected_text",
            "version__id",
            "version__kind",
            "version__language",
            "version__position",
            "version__sha256",
            "version__pages_of",
        )
    )


def image_service(page: VersionPage, absolute: Absolute) -> dict:
    return {
        "id": absolute(reverse("iiif:image", kwargs={"image_id": page.image_id})),
        "type": "ImageService3",
        "profile": "level2",
    }


def _canvas(page: VersionPage, canvas_id: str, absolute: Absolute, scan: int | None) -> dict:
    """A page as a canvas; `scan` numbers the scan when the document has several."""
    service = image_service(page, absolute)
    base = service["id"]
    label = f"Scan {scan}, page {page.number}" if scan else f"Page {page.number}"
    canvas = {
        "id": canvas_id,
        "type": "Canvas",
        "label": _text(label),
        "width": page.width,
        "height": page.height,
        "thumbnail": [
            {
                "id": f"{base}/full/!{THUMBNAIL},{THUMBNAIL}/0/default.jpg",
                "type": "Image",
                "format": "image/jpeg",
                "service": [service],
            }
        ],
        "items": [
            {
                "id": f"{canvas_id}/page",
                "type": "AnnotationPage",
                "items": [
                    {
                        "id": f"{canvas_id}/image",
                        "type": "Annotation",
                        "motivation": "painting",
                        "target": canvas_id,
                        "body": {
                            "id": f"{base}/full/max/0/default.jpg",
                            "type": "Image",
                            "format": "image/jpeg",
                            "width": page.width,
                            "height": page.height,
                            "service": [service],
                        },
                    }
                ],
            }
        ],
    }
    text = page.text
    if page.text_source == TextSource.OCR and text:
        canvas["annotations"] = [
            {
                "id": f"{canvas_id}/text",
                "type": "AnnotationPage",
                "items": [
                    {
                        "id": f"{canvas_id}/text/1",
                        "type": "Annotation",
                        "motivation": "supplementing",
                        "label": _text(
                            "Text read by OCR"
                            if not page.corrected_text
                            else "Text (corrected OCR)"
                        ),
                        "body": {
                            "type": "TextualBody",
                            "value": text,
                            "format": "text/plain",
                            **(
                                {"language": [page.version.language]}
                                if page.version.language
                                else {}
                            ),
                        },
                        "target": canvas_id,
                    }
                ],
            }
        ]
    return canvas


def manifest_id(document: Document, absolute: Absolute) -> str:
    return absolute(reverse("iiif:manifest", kwargs={"identifier": document.identifier}))


def document_manifest(document: Document, pages: list[VersionPage], absolute: Absolute) -> dict:
    """The manifest of a published document with at least one ready page."""
    own = manifest_id(document, absolute)
    base = own.removesuffix("/manifest")
    people = document_people(document)
    metadata = [_entry("Date", document.date_display)]
    if people.authors:
        metadata.append(_entry("Author", "; ".join(person.name for person in people.authors)))
    if people.not_authors:
        metadata.append(_entry("People", "; ".join(person.name for person in people.not_authors)))
    regions = [region.name for region in document.regions.all()]
    if regions:
        metadata.append(_entry("Places", "; ".join(regions)))
    collections = list(document.collections.all())
    if collections:
        metadata.append(_entry("Collections", "; ".join(c.title for c in collections)))
    for label, value in (
        ("Language", document.language_name),
        ("Source", document.source),
        ("Original archive", document.original_archive),
        ("Record ID", document.identifier),
    ):
        if value:
            metadata.append(_entry(label, value))
    rights = document.rights or settings.ARCHIVE_DEFAULT_RIGHTS
    page_url = absolute(document.get_absolute_url())
    scans = list(dict.fromkeys(page.version_id for page in pages))
    scan_number = {pk: number for number, pk in enumerate(scans, start=1)} if len(scans) > 1 else {}
    data: dict = {
        "@context": CONTEXT,
        "id": own,
        "type": "Manifest",
        "label": _text(document.title),
        "metadata": metadata,
        "requiredStatement": {
            "label": _text("Rights"),
            "value": _text(f"{rights} Provided by the {settings.ARCHIVE_NAME}."),
        },
        "navDate": f"{document.date.isoformat()}T00:00:00Z",
        "homepage": [
            {
                "id": page_url,
                "type": "Text",
                "label": _text(f"{document.title} ({settings.ARCHIVE_NAME})"),
                "format": "text/html",
            }
        ],
        "seeAlso": [
            {
                "id": absolute(
                    reverse("reuse:api-detail", kwargs={"identifier": document.identifier})
                ),
                "type": "Dataset",
                "label": _text("The record as JSON"),
                "format": "application/json",
            }
        ],
        "provider": [
            {
                "id": absolute("/"),
                "type": "Agent",
                "label": _text(settings.ARCHIVE_NAME),
                "homepage": [
                    {
                        "id": absolute("/"),
                        "type": "Text",
                        "label": _text(settings.ARCHIVE_NAME),
                        "format": "text/html",
                    }
                ],
            }
        ],
        "service": [
            {
                "id": f"{base}/search",
                "type": "SearchService2",
            }
        ],
        "items": [
            _canvas(page, f"{base}/canvas/{page.pk}", absolute, scan_number.get(page.version_id))
            for page in pages
        ],
    }
    if document.summary:
        data["summary"] = _text(document.summary)
    if rights.startswith(("http://creativecommons.org/", "http://rightsstatements.org/")):
        data["rights"] = rights
    if collections:
        data["partOf"] = [
            {"id": collection_id(collection, absolute), "type": "Collection"}
            for collection in collections
        ]
    texts = [
        version
        for version in document.versions.all()
        if version.kind in (Kind.TRANSCRIPT, Kind.TRANSLATION)
    ]
    if texts:
        data["rendering"] = [_rendering(version, document, absolute) for version in texts]
    return data


def _rendering(version: DocumentVersion, document: Document, absolute: Absolute) -> dict:
    version.document = document
    return {
        "id": absolute(version.download_url),
        "type": "Text",
        "label": _text(version.label),
        "format": version.content_type if version.file else "text/plain",
    }


def collection_id(collection: Collection, absolute: Absolute) -> str:
    return absolute(reverse("iiif:collection", kwargs={"slug": collection.slug}))


def collection_of(
    collection: Collection, documents: Iterable[tuple[str, str]], absolute: Absolute
) -> dict:
    """An archival collection as a IIIF collection of its documents' manifests."""
    data: dict = {
        "@context": CONTEXT,
        "id": collection_id(collection, absolute),
        "type": "Collection",
        "label": _text(collection.title),
        "homepage": [
            {
                "id": absolute(collection.get_absolute_url()),
                "type": "Text",
                "label": _text(collection.title),
                "format": "text/html",
            }
        ],
        "items": [
            {
                "id": absolute(reverse("iiif:manifest", kwargs={"identifier": identifier})),
                "type": "Manifest",
                "label": _text(title),
            }
            for identifier, title in documents
        ],
    }
    if collection.description:
        data["summary"] = _text(collection.description)
    return data


def collections_of(collections: Iterable[Collection], absolute: Absolute) -> dict:
    """Every public collection, as the archive's top IIIF collection."""
    return {
        "@context": CONTEXT,
        "id": absolute(reverse("iiif:collections")),
        "type": "Collection",
        "label": _text(f"{settings.ARCHIVE_NAME}: collections"),
        "items": [
            {
                "id": collection_id(collection, absolute),
                "type": "Collection",
                "label": _text(collection.title),
            }
            for collection in collections
        ],
    }


def image_info(page: VersionPage, sizes: list[tuple[int, int]], absolute: Absolute) -> dict:
    """The Image API's info.json of a page."""
    return {
        "@context": IMAGE_CONTEXT,
        "id": absolute(reverse("iiif:image", kwargs={"image_id": page.image_id})),
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level2",
        "width": page.width,
        "height": page.height,
        "maxWidth": UPSCALE * page.width,
        "maxHeight": UPSCALE * page.height,
        "maxArea": min(MAX_AREA, UPSCALE**2 * page.width * page.height),
        "sizes": [{"width": width, "height": height} for width, height in sizes],
        "tiles": [
            {"width": TILE, "height": TILE, "scaleFactors": [2**k for k in range(len(sizes))]}
        ],
        "extraFormats": ["png", "webp"],
        "extraQualities": ["color", "gray", "bitonal"],
        "extraFeatures": ["mirroring", "sizeUpscaling"],
    }
