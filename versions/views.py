"""Serving a version's file, its download and its thumbnail: only ever through these views.

A version of a published document is public; a draft's versions do not exist for anyone but
archivists (staff who may view documents), whatever URL is tried: the answer is the same 404
as for a version that was never there. Files go out with their examined content type,
`X-Content-Type-Options: nosniff` and a `Content-Disposition` naming the record, never the
stored name. Only the inline file may be framed, and only by the archive's own pages (the
document viewer's <iframe>).
"""

from __future__ import annotations

from csp.constants import SELF
from csp.decorators import csp_replace
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from .models import DocumentVersion

PUBLIC_CACHE = "private, max-age=300"  # a browser may keep it briefly; shared caches not
PREVIEW_CACHE = "private, no-store"


def may_preview_drafts(user) -> bool:
    return bool(user.is_active and user.is_staff and user.has_perm("documents.view_document"))


def _version(request, identifier: str, pk: int) -> DocumentVersion:
    version = get_object_or_404(
        DocumentVersion.objects.select_related("document"),
        pk=pk,
        document__identifier=identifier,
    )
    if not version.document.is_published and not may_preview_drafts(request.user):
        raise Http404("No such version.")
    return version


def _headers(response: HttpResponseBase, version: DocumentVersion) -> HttpResponseBase:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = PUBLIC_CACHE if version.document.is_published else PREVIEW_CACHE
    return response


def _content_type(version: DocumentVersion) -> str:
    if version.content_type == "text/plain":
        return "text/plain; charset=utf-8"
    return version.content_type or "application/octet-stream"


def _serve(version: DocumentVersion, *, attachment: bool) -> HttpResponseBase:
    if not version.file:  # typed text: the download is that text as a UTF-8 file
        text = HttpResponse(version.text, content_type="text/plain; charset=utf-8")
        disposition = content_disposition_header(attachment, version.download_name)
        if disposition:
            text["Content-Disposition"] = disposition
        return _headers(text, version)
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(
        handle,
        as_attachment=attachment,
        filename=version.download_name,
        content_type=_content_type(version),
    )
    return _headers(response, version)


@require_safe
@xframe_options_sameorigin
# django-csp 4.0 types its decorators for views that take the request alone.
@csp_replace({"frame-ancestors": [SELF]})  # type: ignore[arg-type]
def version_file(request: HttpRequest, identifier: str, pk: int) -> HttpResponseBase:
    """The file shown in the browser (the viewer frames PDFs and shows images from here)."""
    return _serve(_version(request, identifier, pk), attachment=False)


@require_safe
def version_download(request, identifier: str, pk: int):
    return _serve(_version(request, identifier, pk), attachment=True)


@require_safe
def version_thumbnail(request, identifier: str, pk: int):
    version = _version(request, identifier, pk)
    if not version.thumbnail:
        raise Http404("This version has no thumbnail.")
    try:
        handle = version.thumbnail.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The thumbnail is missing from storage.") from None
    return _headers(FileResponse(handle, content_type="image/png"), version)
