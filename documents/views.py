from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse, QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from core.languages import language_name
from search import engine
from search.queries import Criteria
from versions.viewer import document_viewer

from .citations import page_citation
from .facets import collection_rows, language_rows, people_rows, region_tree, value_rows, year_rows
from .metadata import json_ld, json_ld_script, meta_tags
from .models import Collection, Document, IdentifierRedirect, Region, Status
from .related import related_documents
from .scopes import DocumentScope, ScopeKind
from .selectors import DocumentSearch, document_search
from .suggestions import typeahead
from .timeline import build_timeline

# The query parameter that result links carry to a document page (and facet pages): the path
# of the result list they came from, so the page can find its neighbours in that list and
# link back to it with the same filters.
LIST_PARAM = "list"
# Facets shown in the sidebar before a "more" link to the page with every value.
FACET_SHOWN = 10


def _url_without(params, key: str, value: str | None = None) -> str:
    params = params.copy()
    params.pop("page", None)
    if value is None:
        params.pop(key, None)
    else:
        params.setlist(key, [v for v in params.getlist(key) if v != value])
    return "?" + params.urlencode()


def active_filters(params, search: DocumentSearch) -> list[dict[str, str]]:
    """Each filter in force, labelled for a person, with the link that removes it."""
    cleaned = search.cleaned
    chips = []
    simple = {
        "q": _("Keywords"),
        "date_from": pgettext_lazy("date", "From"),
        "date_to": pgettext_lazy("date", "To"),
        "archive": _("Archive"),
        "source": _("Source"),
    }

    def chip(label, value) -> str:
        # Translators: an active filter's chip, e.g. "Keywords: plenum".
        return pgettext("filter chip", "%(label)s: %(value)s") % {"label": label, "value": value}

    for key, label in simple.items():
        if key in cleaned:
            value = cleaned[key]
            if key in ("date_from", "date_to"):
                value = value.display()
            chips.append({"label": chip(label, value), "url": _url_without(params, key)})
    if "language" in cleaned:
        chips.append(
            {
                "label": chip(_("Language"), language_name(cleaned["language"])),
                "url": _url_without(params, "language"),
            }
        )
    for key, label in (
        ("region", _("Region")),
        ("person", _("Person")),
        ("collection", _("Collection")),
    ):
        for item in cleaned.get(key, []):
            name = getattr(item, "name", None) or item.title
            chips.append({"label": chip(label, name), "url": _url_without(params, key, item.slug)})
    return chips


def page_size(params: QueryDict, notices: list[str] | None = None) -> int:
    """Results per page: `per_page` when it is a number from 1 to the most allowed, else the
    default (and a notice saying why, when `notices` is given)."""
    raw = params.get("per_page", "")
    if raw:
        try:
            size = int(raw)
            if 1 <= size <= settings.ARCHIVE_MAX_PAGE_SIZE:
                return size
        except ValueError:
            pass
        if notices is not None:
            notices.append(
                gettext(
                    "Results per page: “%(value)s” is not a number from 1 to %(most)s; "
                    "showing %(default)s."
                )
                % {
                    "value": raw[:20],
                    "most": settings.ARCHIVE_MAX_PAGE_SIZE,
                    "default": settings.ARCHIVE_PAGE_SIZE,
                }
            )
    return settings.ARCHIVE_PAGE_SIZE


class DocumentResultsView(ListView):
    """A list of published documents narrowed by the one FilterSet, with facets and paging.

    `scope_kind` says whose documents the page lists before the researcher's filters (the
    archive's, a person's, a place's, a collection's; documents/scopes.py); the filters,
    facets and paging are the same everywhere.
    """

    context_object_name = "documents"
    template_name = "documents/document_list.html"
    scope_kind = ScopeKind.ARCHIVE

    def get_queryset(self) -> QuerySet:
        self.notices: list[str] = []
        self.scope = DocumentScope.of(
            self.scope_kind, self.kwargs.get("slug"), user=self.request.user
        )
        self.search = document_search(self.request.GET, scope=self.scope)
        return Document.objects.none()  # the page's rows come from `search.page`

    def get_paginate_by(self, queryset) -> int:
        return page_size(self.request.GET, self.notices)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        paginator.count = self.search.counts.total  # counted with the facets, in one pass
        raw = self.request.GET.get("page", "") or "1"
        try:
            number = int(raw)
        except ValueError:
            number = 1
            self.notices.append(
                gettext("Page: “%(value)s” is not a page number; showing page 1.")
                % {"value": raw[:20]}
            )
        if number < 1:
            number = 1
            self.notices.append(gettext("Page: pages start at 1; showing page 1."))
        elif number > paginator.num_pages:
            self.notices.append(
                ngettext(
                    "Page: there are only %(pages)s page(s); showing the last.",
                    "Page: there are only %(pages)s page(s); showing the last.",
                    paginator.num_pages,
                )
                % {"pages": paginator.num_pages}
            )
            number = paginator.num_pages
        page = paginator.page(number)
        page.object_list = self.search.page((number - 1) * page_size, page_size)
        return paginator, page, page.object_list, page.has_other_pages()

    def base_total(self) -> int:
        """How many documents the page's own scope holds (a person's, a place's), before the
        researcher's filters; when nothing narrowed it, the facets have counted it already."""
        if self.search.criteria == self.scope.criteria:
            return self.search.count
        return engine.count(self.scope.criteria)

    def result_params(self) -> QueryDict:
        """The page's parameters, as a document or facet page reached from it gets them."""
        params = self.request.GET.copy()
        params[LIST_PARAM] = self.request.path
        return params

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        result_params = self.result_params()
        if page is not None and page.number > 1:
            result_params["page"] = str(page.number)
        else:
            result_params.pop("page", None)
        facet_params = result_params.copy()
        facet_params.pop("page", None)
        context.update(
            search=self.search,
            filterset=self.search.filterset,
            facets=self.search.facets,
            facet_shown=FACET_SHOWN,
            facet_shown_slice=f":{FACET_SHOWN}",
            timeline=build_timeline(self.search.facets["years"], self.request.GET),
            result_query="?" + result_params.urlencode(),
            facet_query="?" + facet_params.urlencode(),
            notices=self.notices + self.search.notices,
            active_filters=active_filters(self.request.GET, self.search),
            sort=self.search.sort,
            suggestion=self.search.suggestion,
            sort_choices=[
                (value, label)
                for value, label in self.search.filterset.filters["sort"].extra["choices"]
                if value != "relevance" or "q" in self.search.cleaned
            ],
        )
        return context


class DocumentListView(DocumentResultsView):
    pass


class DocumentDetailView(DetailView):
    template_name = "documents/document_detail.html"
    context_object_name = "document"
    slug_field = slug_url_kwarg = "identifier"

    def get_queryset(self) -> QuerySet:
        # Archivists may preview a draft; to everyone else a draft does not exist.
        if self.request.user.is_staff:
            return Document.objects.with_relations()
        return Document.objects.published().with_relations()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A renamed record: its old permanent link moves on to the new one.
            redirect = (
                IdentifierRedirect.objects.filter(old_identifier=kwargs["identifier"])
                .select_related("document")
                .first()
            )
            if redirect is None:
                raise
            return HttpResponsePermanentRedirect(redirect.document.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.object
        # The record's permanent address is its plain (English) one, in every language: the
        # link, the citation and the metadata name it; the page's own is its canonical URL.
        with translation.override(settings.LANGUAGE_CODE):
            url = self.request.build_absolute_uri(document.get_absolute_url())
        context.update(
            permanent_url=url,
            canonical_url=self.request.build_absolute_uri(document.get_absolute_url()),
            citation=page_citation(document, url=url, archive_name=settings.ARCHIVE_NAME),
            is_draft=document.status == Status.DRAFT,
            related=related_documents(document),
            navigation=result_navigation(self.request, document),
            viewer=document_viewer(self.request, document),
        )
        if not context["is_draft"]:  # a draft's preview tells machines nothing
            archive_name = settings.ARCHIVE_NAME
            context.update(
                meta_tags=meta_tags(document, url=url, archive_name=archive_name),
                json_ld=json_ld_script(
                    json_ld(
                        document,
                        url=url,
                        absolute_url=self.request.build_absolute_uri,
                        archive_name=archive_name,
                    )
                ),
            )
        return context


@dataclass
class Neighbour:
    document: Document
    url: str


@dataclass
class Navigation:
    back_url: str
    position: int | None = None
    count: int | None = None
    previous: Neighbour | None = None
    next: Neighbour | None = None


def _page_query(params: QueryDict, page: int, *, keep_list: bool) -> str:
    query = params.copy()
    if not keep_list:
        query.pop(LIST_PARAM, None)
    if page > 1:
        query["page"] = str(page)
    else:
        query.pop("page", None)
    return "?" + query.urlencode()


def result_navigation(request, document: Document) -> Navigation | None:
    """Previous, next and back to the results, for a document reached from a result list.

    The list's filters came along in the query string; the same FilterSet gives the same
    order, and the page number says where to look: only that page and one document on either
    side are read (one query), then their titles (one more) and the count.
    """
    list_path = request.GET.get(LIST_PARAM)
    scope = DocumentScope.from_path(list_path, user=request.user)
    if scope is None:
        return None
    params = request.GET
    search = document_search(params, scope=scope)
    per_page = page_size(params)
    try:
        page = max(int(params.get("page") or 1), 1)
    except ValueError:
        page = 1
    navigation = Navigation(back_url=list_path + _page_query(params, page, keep_list=False))
    navigation.back_url += f"#result-{document.identifier}"
    offset = (page - 1) * per_page
    start = max(offset - 1, 0)
    ids = engine.window(
        search.criteria, sort=search.sort, offset=start, limit=offset + per_page + 1 - start
    ).ids
    if document.id not in ids:
        return navigation  # the list has changed since: no neighbours, but the way back
    index = ids.index(document.id)
    navigation.position = start + index + 1
    navigation.count = engine.count(search.criteria)
    wanted = {}
    if index > 0:
        wanted["previous"] = (ids[index - 1], navigation.position - 1)
    if index + 1 < len(ids):
        wanted["next"] = (ids[index + 1], navigation.position + 1)
    found = Document.objects.filter(id__in=[pk for pk, _ in wanted.values()]).only(
        "id", "identifier", "title", "date", "date_precision", "date_end", "date_end_precision"
    )
    by_id = {neighbour.id: neighbour for neighbour in found}
    for side, (pk, position) in wanted.items():
        if pk in by_id:
            neighbour_page = (position - 1) // per_page + 1
            url = by_id[pk].get_absolute_url() + _page_query(params, neighbour_page, keep_list=True)
            setattr(navigation, side, Neighbour(by_id[pk], url))
    return navigation


FACETS = {
    "people": _("People"),
    "collections": _("Collections"),
    "languages": _("Languages"),
    "archives": _("Original archives"),
}


class FacetValuesView(TemplateView):
    """Every value of one facet, with counts, for the filters of the result list it came from."""

    template_name = "documents/facet_values.html"
    paginate_by = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = self.kwargs["facet"]
        if name not in FACETS:
            raise Http404("No such facet.")
        list_path = self.request.GET.get(LIST_PARAM)
        scope = DocumentScope.from_path(list_path, user=self.request.user)
        if scope is None:
            scope, list_path = DocumentScope.archive(), reverse("documents:list")
        search = document_search(self.request.GET, scope=scope)
        facet = {"people": "person", "collections": "collection"}.get(name, name[:-1])
        excluded = scope.exclude_person
        counts = engine.counts(
            search.criteria, (facet,), exclude_person=excluded.pk if excluded else None
        )
        if name == "people":
            rows = people_rows(counts, limit=None)
        elif name == "collections":
            rows = collection_rows(counts)
        elif name == "languages":
            rows = language_rows(counts)
        else:
            rows = value_rows(counts.archives)
        list_params = self.request.GET.copy()
        list_params.pop(LIST_PARAM, None)
        list_params.pop("page", None)
        key = {"people": "person", "collections": "collection"}.get(name, name[:-1])
        for row in rows:
            params = list_params.copy()
            value = row.get("slug") or row["value"]
            if key in ("person", "collection"):
                values = params.getlist(key)
                if value not in values:
                    params.setlist(key, [*values, value])
            else:
                params[key] = value
            row["url"] = f"{list_path}?{params.urlencode()}"
        paginator = Paginator(rows, self.paginate_by)
        try:
            number = int(self.request.GET.get("page") or 1)
        except ValueError:
            number = 1
        page = paginator.get_page(number)
        context.update(
            facet=name,
            facet_label=FACETS[name],
            rows=page.object_list,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            back_url=f"{list_path}?{list_params.urlencode()}".rstrip("?"),
            list_title=scope.title,
            is_archive=scope.subject is None,
            notices=search.notices,
            active_filters=active_filters(self.request.GET, search),
        )
        return context


class RegionListView(TemplateView):
    template_name = "documents/region_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = engine.counts(Criteria(), ("region",))
        context["tree"] = region_tree(
            counts.regions, include_empty=True, only=Region.objects.public_ids()
        )
        return context


class RegionDetailView(DocumentResultsView):
    template_name = "documents/region_detail.html"
    scope_kind = ScopeKind.REGION

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.scope.subject
        context.update(region=region, total=self.base_total(), subregions=region.children.public())
        return context


class CollectionListView(ListView):
    template_name = "documents/collection_list.html"
    context_object_name = "collections"

    def get_queryset(self) -> QuerySet:
        return Collection.objects.public().with_document_counts()


class CollectionDetailView(DocumentResultsView):
    template_name = "documents/collection_detail.html"
    scope_kind = ScopeKind.COLLECTION

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(collection=self.scope.subject, total=self.base_total())
        return context


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = Document.objects.published()
        counts = engine.counts(Criteria(), ("region", "year"))
        context.update(
            document_count=counts.total,
            recent=published.with_relations().order_by("-modified", "-id")[:5],
            collections=Collection.objects.public()
            .with_document_counts()
            .order_by("-document_count", "title")[:10],
            regions=region_tree(counts.regions),
            timeline=build_timeline(year_rows(counts), path=reverse("documents:list")),
        )
        return context


class PersonDetailView(DocumentResultsView):
    """A person's page: their documents (with every filter) and who appears with them most."""

    template_name = "people/person_detail.html"
    # Someone named only in drafts does not exist for the public (staff may look).
    scope_kind = ScopeKind.PERSON

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(person=self.scope.subject, total=self.base_total())
        return context


class SuggestView(View):
    """`?q=mik`: public people and places whose names begin so (the page works without it)."""

    def get(self, request):
        return JsonResponse(
            typeahead(request.GET.get("q", "")), json_dumps_params={"ensure_ascii": False}
        )
