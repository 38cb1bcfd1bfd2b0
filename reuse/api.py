"""The JSON API: the same filters, results and facets as the HTML list, as data.

Plain Django views rather than a REST framework: the API is read-only and two endpoints
wide, and the one FilterSet already validates every parameter.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext
from django.views import View

from documents.models import Document
from documents.selectors import document_search


def person_json(participation) -> dict:
    person = participation.person
    return {
        "name": person.name,
        "slug": person.slug,
        "birth_year": person.birth_year,
        "death_year": person.death_year,
        "role": participation.role,
    }


def _canonical(url_of) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return url_of()


def document_json(document: Document, request) -> dict:
    """A document as the API gives it; dates keep their precision (YYYY, YYYY-MM, YYYY-MM-DD)."""
    span = document.date_span
    return {
        "identifier": document.identifier,
        # The page's canonical (English, unprefixed) address, whatever the answer's language.
        "url": request.build_absolute_uri(_canonical(document.get_absolute_url)),
        "title": document.title,
        "original_title": document.original_title,
        "date": span.start.iso(),
        "date_end": span.end.iso() if span.end else None,
        "date_display": str(span),
        "summary": document.summary,
        "text": document.text,
        "language": document.language,
        "source": document.source,
        "original_archive": document.original_archive,
        "rights": document.rights,
        "regions": [
            {"name": region.name, "slug": region.slug} for region in document.regions.all()
        ],
        "collections": [{"title": c.title, "slug": c.slug} for c in document.collections.all()],
        "participants": [person_json(p) for p in document.participations.all()],
        "created": document.created.isoformat(),
        "modified": document.modified.isoformat(),
    }


def facets_json(facets: dict) -> dict:
    def region_tree(nodes):
        return [
            {
                "slug": node.region.slug,
                "name": node.region.name,
                "count": node.count,
                "children": region_tree(node.children),
            }
            for node in nodes
        ]

    shown = {name: rows for name, rows in facets.items() if name != "total"}
    return {**shown, "regions": region_tree(facets["regions"])}


class DocumentListAPIView(View):
    def get(self, request):
        search = document_search(request.GET)
        if search.errors:
            return JsonResponse({"errors": search.errors}, status=400)
        page_size = settings.ARCHIVE_PAGE_SIZE
        errors = {}
        try:
            page_size = int(request.GET.get("per_page") or page_size)
            if not 1 <= page_size <= settings.ARCHIVE_MAX_PAGE_SIZE:
                raise ValueError
        except ValueError:
            errors["per_page"] = [
                gettext("must be a number from 1 to %(most)s")
                % {"most": settings.ARCHIVE_MAX_PAGE_SIZE}
            ]
        try:
            page = int(request.GET.get("page") or 1)
            if page < 1:
                raise ValueError
        except ValueError:
            errors["page"] = [gettext("must be a whole number from 1")]
        if errors:
            return JsonResponse({"errors": errors}, status=400)

        count = search.count
        start = (page - 1) * page_size
        documents = search.page(start, page_size) if start < count else []

        def page_url(number: int) -> str:
            params = request.GET.copy()
            params["page"] = str(number)
            return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

        return JsonResponse(
            {
                "count": count,
                "next": page_url(page + 1) if start + page_size < count else None,
                "previous": page_url(page - 1) if page > 1 else None,
                "results": [document_json(document, request) for document in documents],
                "facets": facets_json(search.facets),
            },
            json_dumps_params={"ensure_ascii": False},
        )


class DocumentDetailAPIView(View):
    def get(self, request, identifier: str):
        try:
            document = Document.objects.published().with_relations().get(identifier=identifier)
        except Document.DoesNotExist:
            raise Http404(gettext("No published document has that identifier.")) from None
        return JsonResponse(
            document_json(document, request), json_dumps_params={"ensure_ascii": False}
        )
