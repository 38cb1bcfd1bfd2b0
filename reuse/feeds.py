"""Atom feeds of any result list: "subscribe to this search".

`<result page>/feed/?<the page's parameters>` gives the newest documents (by when they were
first published) among those the page would list, so a researcher's reader shows what a new
batch brings. Bad parameters get a 400 with the API's `errors` object.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import JsonResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from core.xml_text import xml_safe
from documents.citations import document_people
from documents.models import Document
from documents.scopes import DocumentScope
from documents.selectors import DocumentSearch, document_search, documents_by_id
from documents.views import active_filters
from search.engine import Sort

# Paging and sorting belong to a page; a feed is always newest first.
PAGE_PARAMETERS = ("page", "per_page", "sort")


class FeedParametersInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid feed parameters")
        self.errors = errors


@dataclass
class FeedSubject:
    scope: DocumentScope
    search: DocumentSearch
    filters: list[str]  # the filters in force, in words
    query: str  # the parameters, without paging and sorting


class ResultsFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, scope_kind: str):
        super().__init__()
        self.scope_kind = scope_kind

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except FeedParametersInvalid as exc:
            return JsonResponse({"errors": exc.errors}, status=400)

    def get_object(self, request, slug: str | None = None) -> FeedSubject:
        scope = DocumentScope.of(self.scope_kind, slug, user=request.user)
        search = document_search(request.GET, scope=scope)
        if search.errors:
            raise FeedParametersInvalid(search.errors)
        params = request.GET.copy()
        for name in PAGE_PARAMETERS:
            params.pop(name, None)
        filters = [chip["label"] for chip in active_filters(request.GET, search)]
        return FeedSubject(scope, search, filters, params.urlencode())

    def title(self, obj: FeedSubject) -> str:
        words = "; ".join([obj.scope.title, *obj.filters])
        return xml_safe(f"{words} · {settings.ARCHIVE_NAME}")

    def subtitle(self, obj: FeedSubject) -> str:
        return "The newest documents published in the archive that match this search."

    def link(self, obj: FeedSubject) -> str:
        return obj.scope.path + (f"?{obj.query}" if obj.query else "")

    def feed_url(self, obj: FeedSubject) -> str:
        return obj.scope.path + "feed/" + (f"?{obj.query}" if obj.query else "")

    def author_name(self) -> str:
        return settings.ARCHIVE_NAME

    def items(self, obj: FeedSubject):
        ids = obj.search.ids(limit=settings.ARCHIVE_FEED_ITEMS, sort=Sort.PUBLISHED_DESC)
        return documents_by_id(Document.objects.published().with_relations(), ids)

    def item_title(self, item) -> str:
        return xml_safe(item.title)

    def item_description(self, item) -> str:
        # Atom's summary is HTML here; the archive's text is plain, so it is escaped.
        return xml_safe(escape(f"{item.date_display}. {item.summary}".strip()))

    def item_pubdate(self, item):
        return item.first_published

    def item_updateddate(self, item):
        return item.modified

    def item_author_name(self, item) -> str | None:
        names = ", ".join(person.name for person in document_people(item).authors)
        return xml_safe(names) or None

    def item_categories(self, item) -> list[str]:
        return [xml_safe(collection.title) for collection in item.collections.all()]
