from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView

from .citations import chicago_citation
from .exports import FORMATS
from .facets import region_counts
from .languages import language_name
from .metadata import json_ld, json_ld_script, meta_tags
from .models import Collection, Document, IdentifierRedirect, Region, Status
from .selectors import DocumentSearch, document_search


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
    simple = {"q": "Keywords", "date_from": "From", "date_to": "To", "archive": "Archive"}
    for key, label in simple.items():
        if key in cleaned:
            chips.append({"label": f"{label}: {cleaned[key]}", "url": _url_without(params, key)})
    if "language" in cleaned:
        chips.append(
            {
                "label": f"Language: {language_name(cleaned['language'])}",
                "url": _url_without(params, "language"),
            }
        )
    for key, label in (("region", "Region"), ("person", "Person"), ("collection", "Collection")):
        for item in cleaned.get(key, []):
            name = getattr(item, "name", None) or item.title
            chips.append({"label": f"{label}: {name}", "url": _url_without(params, key, item.slug)})
    return chips


class DocumentResultsView(ListView):
    """A list of published documents narrowed by the one FilterSet, with facets and paging.

    Subclasses narrow `base_documents()` (a person's, a region's, a collection's documents);
    the filters, facets and paging are the same everywhere.
    """

    context_object_name = "documents"
    template_name = "documents/document_list.html"
    exclude_person = None

    def base_documents(self) -> QuerySet:
        return Document.objects.published()

    def get_queryset(self) -> QuerySet:
        self.notices: list[str] = []
        self.base = self.base_documents()
        self.search = document_search(
            self.request.GET, queryset=self.base, exclude_person=self.exclude_person
        )
        return self.search.results

    def get_paginate_by(self, queryset) -> int:
        raw = self.request.GET.get("per_page", "")
        if raw:
            try:
                size = int(raw)
                if 1 <= size <= settings.ARCHIVE_MAX_PAGE_SIZE:
                    return size
            except ValueError:
                pass
            self.notices.append(
                f"Results per page: “{raw[:20]}” is not a number from 1 to "
                f"{settings.ARCHIVE_MAX_PAGE_SIZE}; showing {settings.ARCHIVE_PAGE_SIZE}."
            )
        return settings.ARCHIVE_PAGE_SIZE

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        raw = self.request.GET.get("page", "") or "1"
        try:
            number = int(raw)
        except ValueError:
            number = 1
            self.notices.append(f"Page: “{raw[:20]}” is not a page number; showing page 1.")
        if number < 1:
            number = 1
            self.notices.append("Page: pages start at 1; showing page 1.")
        elif number > paginator.num_pages:
            self.notices.append(
                f"Page: there are only {paginator.num_pages} page(s); showing the last."
            )
            number = paginator.num_pages
        page = paginator.page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            search=self.search,
            filterset=self.search.filterset,
            facets=self.search.facets,
            notices=self.notices + self.search.notices,
            active_filters=active_filters(self.request.GET, self.search),
            sort=self.search.filterset.sort_order,
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
        url = self.request.build_absolute_uri(document.get_absolute_url())
        context.update(
            permanent_url=url,
            citation=chicago_citation(document, url=url, archive_name=settings.ARCHIVE_NAME),
            is_draft=document.status == Status.DRAFT,
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
                exports=[
                    (
                        module.LABEL,
                        reverse("documents:document-export", args=[document.identifier, fmt]),
                    )
                    for fmt, module in FORMATS.items()
                ],
            )
        return context


class RegionListView(TemplateView):
    template_name = "documents/region_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tree"] = region_counts(Document.objects.published(), include_empty=True)
        return context


class RegionDetailView(DocumentResultsView):
    template_name = "documents/region_detail.html"

    def base_documents(self) -> QuerySet:
        self.region = get_object_or_404(
            Region.objects.select_related("parent"), slug=self.kwargs["slug"]
        )
        region_ids = Region.objects.descendant_ids([self.region.slug])
        links = Document.regions.through.objects.filter(
            document_id=OuterRef("pk"), region_id__in=region_ids
        )
        return Document.objects.published().filter(Exists(links))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            region=self.region,
            total=self.base.count(),
            subregions=self.region.children.all(),
        )
        return context


class CollectionListView(ListView):
    template_name = "documents/collection_list.html"
    context_object_name = "collections"

    def get_queryset(self) -> QuerySet:
        return Collection.objects.with_document_counts()


class CollectionDetailView(DocumentResultsView):
    template_name = "documents/collection_detail.html"

    def base_documents(self) -> QuerySet:
        self.collection = get_object_or_404(Collection, slug=self.kwargs["slug"])
        return Document.objects.published().filter(
            Exists(
                Document.collections.through.objects.filter(
                    document_id=OuterRef("pk"), collection_id=self.collection.id
                )
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(collection=self.collection, total=self.base.count())
        return context


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = Document.objects.published()
        context.update(
            document_count=published.count(),
            recent=published.with_relations().order_by("-modified", "-id")[:5],
            collections=Collection.objects.with_document_counts().order_by(
                "-document_count", "title"
            )[:10],
            regions=region_counts(published),
        )
        return context
