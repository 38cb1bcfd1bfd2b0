"""Export views: one document, or any result list with the same parameters as its page.

Exports stream (`StreamingHttpResponse` over the list's ids from the search index, their rows
read a chunk at a time), so memory does not grow with the export. An export holds at most
`ARCHIVE_EXPORT_MAX_DOCUMENTS` documents; a larger one is refused with a 400 that says how
to narrow it (OAI-PMH serves the whole archive). Bad parameters get a 400 with the API's
`errors` object, never a partial or silently unfiltered file.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.http.response import StreamingHttpResponse
from django.urls import reverse
from django.views import View

from documents.models import Document, IdentifierRedirect
from documents.scopes import DocumentScope, ScopeKind
from documents.selectors import document_search

from . import FORMATS
from .context import ExportContext

CHUNK_SIZE = 500


def _context(request) -> ExportContext:
    return ExportContext(settings.ARCHIVE_NAME, request.build_absolute_uri)


def export_response(documents, fmt: str, request, filename: str) -> StreamingHttpResponse:
    """Documents (with their relations) streamed in the format `fmt` as a download."""
    renderer = FORMATS[fmt]
    response = StreamingHttpResponse(
        renderer.render(documents, _context(request)), content_type=renderer.MEDIA_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{renderer.EXTENSION}"'
    return response


class ResultsExportView(View):
    """`<result page>/export.<fmt>?<the page's parameters>`; `scope_kind` is the page's."""

    scope_kind = ScopeKind.ARCHIVE

    def get(self, request, fmt: str, slug: str | None = None):
        scope = DocumentScope.of(self.scope_kind, slug, user=request.user)
        search = document_search(request.GET, scope=scope)
        if search.errors:
            return JsonResponse({"errors": search.errors}, status=400)
        count = search.count
        limit = settings.ARCHIVE_EXPORT_MAX_DOCUMENTS
        if count > limit:
            message = (
                f"{count} documents match; an export holds at most {limit}. Narrow the search "
                "(by date, place, person or collection), or harvest the archive over OAI-PMH."
            )
            return JsonResponse({"errors": {"__all__": [message]}}, status=400)
        documents = search.documents(limit=limit, chunk=CHUNK_SIZE)
        return export_response(documents, fmt, request, scope.name)


class DocumentExportView(View):
    """`/documents/<identifier>/export.<fmt>`: one published document; renamed ones redirect."""

    def get(self, request, identifier: str, fmt: str):
        documents = list(
            Document.objects.published().with_relations().filter(identifier=identifier)
        )
        if not documents:
            redirect = (
                IdentifierRedirect.objects.filter(
                    old_identifier=identifier, document__status="published"
                )
                .select_related("document")
                .first()
            )
            if redirect is None:
                raise Http404("No published document has that identifier.")
            url = reverse(
                "reuse:document-export",
                kwargs={"identifier": redirect.document.identifier, "fmt": fmt},
            )
            return HttpResponsePermanentRedirect(url)
        return export_response(documents, fmt, request, identifier)
