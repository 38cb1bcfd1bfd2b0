"""The IIIF services: images (Image API 3.0), manifests and collections (Presentation API
3.0) and search inside a document (Content Search API 2.0).

Everything here follows the archive's one access rule: a draft and everything of it is 404 to
the public, as if it were never there (archivists who may view documents see it, uncached).
Public answers may be read by any site's viewer (`Access-Control-Allow-Origin: *`).
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from documents.models import Collection, Document
from versions.inside import document_page_hits
from versions.models import VersionPage
from versions.pages import page_image_path
from versions.views import PREVIEW_CACHE, may_preview_drafts

from .image_api import BadImageRequest, parse, pyramid_sizes, render
from .presentation import (
    collection_of,
    collections_of,
    document_manifest,
    image_info,
    ready_pages,
)

PRESENTATION = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
IMAGE_INFO = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
SEARCH = 'application/ld+json;profile="http://iiif.io/api/search/2/context.json"'
PUBLIC_CACHE = "public, max-age=3600"
IMAGE_CACHE = "public, max-age=86400"
MANIFEST_SECONDS = 24 * 3600


def _answer(body: bytes | str, content_type: str, *, public: bool, cache_control: str):
    response = HttpResponse(body, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = cache_control
    else:
        response["Cache-Control"] = PREVIEW_CACHE
    return response


def _json(data: dict, content_type: str, *, public: bool, cache_control=PUBLIC_CACHE):
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _answer(body, content_type, public=public, cache_control=cache_control)


def _document(request: HttpRequest, identifier: str) -> Document:
    document = get_object_or_404(Document, identifier=identifier)
    if not document.is_published and not may_preview_drafts(request.user):
        raise Http404("No such document.")
    return document


def _page(request: HttpRequest, image_id: str) -> VersionPage:
    version_id, number = (int(part) for part in image_id.split("-"))
    page = get_object_or_404(
        VersionPage.objects.ready().select_related("version__document"),
        version_id=version_id,
        number=number,
    )
    version = page.version
    if not version.document.is_published and not may_preview_drafts(request.user):
        raise Http404("No such image.")
    if not page_image_path(page).is_file():
        raise Http404("The page's image is being made again.")
    return page


def image_base(request: HttpRequest, image_id: str) -> HttpResponse:
    """The image's own URL: its description, as the Image API asks (303 See Other)."""
    _page(request, image_id)
    response = HttpResponseRedirect(reverse("iiif:image-info", kwargs={"image_id": image_id}))
    response.status_code = 303
    return response


def image_info_view(request: HttpRequest, image_id: str) -> HttpResponse:
    page = _page(request, image_id)
    info = image_info(page, pyramid_sizes(page_image_path(page)), request.build_absolute_uri)
    content_type = (
        IMAGE_INFO if "ld+json" in request.headers.get("Accept", "") else "application/json"
    )
    response = _json(info, content_type, public=page.version.document.is_published)
    response["Link"] = '<http://iiif.io/api/image/3/level2.json>;rel="profile"'
    return response


def image_view(request, image_id: str, region: str, size: str, rotation: str, quality_format: str):
    page = _page(request, image_id)
    try:
        wanted = parse(region, size, rotation, quality_format, width=page.width, height=page.height)
    except BadImageRequest as refused:
        response = HttpResponse(
            f"{refused}\n", status=400, content_type="text/plain; charset=utf-8"
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response
    body = render(page_image_path(page), wanted)
    response = _answer(
        body,
        wanted.media_type,
        public=page.version.document.is_published,
        cache_control=IMAGE_CACHE,
    )
    response["Link"] = '<http://iiif.io/api/image/3/level2.json>;rel="profile"'
    return response


def _manifest_key(request: HttpRequest, document: Document) -> str:
    """The manifest's cache key: its document's version (its modification time, and its
    scans' pages and versions as they are now), and the host it is addressed by."""
    pages = VersionPage.objects.filter(version__document=document).aggregate(
        changed=Max("modified"), count=Count("id")
    )
    versions = document.versions.aggregate(changed=Max("modified"), count=Count("id"))
    stamp = [
        document.modified.isoformat(),
        str(pages["changed"]),
        pages["count"],
        str(versions["changed"]),
        versions["count"],
    ]
    parts = ":".join(str(part) for part in [request.get_host(), *stamp])
    return f"iiif-manifest:{document.pk}:{hashlib.sha256(parts.encode()).hexdigest()[:32]}"


def manifest_view(request: HttpRequest, identifier: str) -> HttpResponse:
    document = _document(request, identifier)
    public = document.is_published
    key = _manifest_key(request, document)
    body = cache.get(key) if public else None
    if body is None:
        pages = ready_pages(document)
        if not pages:
            raise Http404("This document has no scan pages ready for IIIF.")
        document = Document.objects.prefetch_related(
            "participations__person", "regions", "collections", "versions"
        ).get(pk=document.pk)
        data = document_manifest(document, pages, request.build_absolute_uri)
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if public:
            cache.set(key, body, MANIFEST_SECONDS)
    return _answer(body, PRESENTATION, public=public, cache_control=PUBLIC_CACHE)


def collection_view(request: HttpRequest, slug: str) -> HttpResponse:
    collection = get_object_or_404(Collection.objects.public(), slug=slug)
    documents = (
        Document.objects.published()
        .filter(
            collections=collection,
            id__in=VersionPage.objects.ready().values("version__document_id"),
        )
        .order_by("date", "id")
        .values_list("identifier", "title")
    )
    data = collection_of(collection, documents, request.build_absolute_uri)
    return _json(data, PRESENTATION, public=True)


def collections_view(request: HttpRequest) -> HttpResponse:
    collections = Collection.objects.public().order_by("title")
    return _json(collections_of(collections, request.build_absolute_uri), PRESENTATION, public=True)


def search_view(request: HttpRequest, identifier: str) -> HttpResponse:
    """IIIF Content Search 2.0: the query's words on the document's pages, as boxes."""
    document = _document(request, identifier)
    query = request.GET.get("q", "")
    base = request.build_absolute_uri(reverse("iiif:manifest", kwargs={"identifier": identifier}))
    base = base.removesuffix("/manifest")
    items = []
    for hits in document_page_hits(document.pk, query):
        canvas = f"{base}/canvas/{hits.page.pk}"
        for number, word in enumerate(hits.words, start=1):
            items.append(
                {
                    "id": f"{base}/search/hit/{hits.page.pk}/{number}",
                    "type": "Annotation",
                    "motivation": "highlighting",
                    "body": {"type": "TextualBody", "value": word.text, "format": "text/plain"},
                    "target": f"{canvas}#xywh={word.x},{word.y},{word.width},{word.height}",
                }
            )
    data = {
        "@context": "http://iiif.io/api/search/2/context.json",
        "id": request.build_absolute_uri(),
        "type": "AnnotationPage",
        "items": items,
    }
    return _json(data, SEARCH, public=document.is_published)
