"""Read-side queries: what the public sees, filtered the one way."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet
from django.http import QueryDict

from people.models import Person

from .caching import archive_version, cached_ids
from .facets import Counts, all_facet_counts, shaped_facets
from .filters import DocumentFilter, SortChoices
from .models import Document
from .search import matching_person

# How many ids of a keyword search's relevance order come with its facet counts: the first
# pages of any size (up to ARCHIVE_MAX_PAGE_SIZE) then need no ranking query of their own.
RANKED_AHEAD = 500


@dataclass
class DocumentSearch:
    filterset: DocumentFilter
    filtered: QuerySet  # the matching documents, unordered: for counts and facets
    results: QuerySet  # the same, in the asked-for order, with what a list shows
    exclude_person: Person | None = None

    @property
    def errors(self) -> dict[str, list[str]]:
        return {name: list(messages) for name, messages in self.filterset.errors.items()}

    @property
    def notices(self) -> list[str]:
        """What was wrong with the request, in words for the page; those filters were ignored."""
        notices = list(self.filterset.parsed_query.notices) if self.filterset.parsed_query else []
        for name, messages in self.errors.items():
            label = self.filterset.filters[name].label if name in self.filterset.filters else name
            notices.append(f"{label}: {' '.join(messages)} This filter was ignored.")
        return notices

    @property
    def cleaned(self) -> dict:
        return {k: v for k, v in self.filterset.form.cleaned_data.items() if v not in (None, "")}

    @cached_property
    def matched_person(self):
        """The person whose name the query is, offered at the top of the results."""
        parsed = self.filterset.parsed_query
        return matching_person(parsed.text) if parsed and parsed.clauses else None

    @cached_property
    def version(self) -> int | None:
        """The archive's version, read once: the key of everything this search caches."""
        return archive_version()

    @cached_property
    def counts(self) -> Counts:
        """Every facet and the number of matching documents; for a keyword search in
        relevance order, also the first `RANKED_AHEAD` ids of that order, found in the same
        pass over the matches (PostgreSQL)."""
        by_relevance = self.filterset.sort_order == SortChoices.RELEVANCE
        return all_facet_counts(
            self.filtered,
            exclude_person=self.exclude_person,
            version=self.version,
            ranked=RANKED_AHEAD if by_relevance else 0,
        )

    @cached_property
    def facets(self) -> dict:
        """Every facet, and the number of matching documents as `total`."""
        return shaped_facets(self.counts)

    def page(self, start: int, size: int) -> list[Document]:
        ranked = self.counts.ranked
        if ranked is not None and (start + size <= len(ranked) or len(ranked) < RANKED_AHEAD):
            return documents_by_id(self.results, ranked[start : start + size])
        return page_documents(self.results, start, size, version=self.version)

    @property
    def count(self) -> int:
        """The number of matching documents, counted with the facets (no query of its own)."""
        return self.facets["total"]


def document_search(
    params: QueryDict,
    *,
    queryset: QuerySet | None = None,
    exclude_person: Person | None = None,
) -> DocumentSearch:
    """Apply the researcher's filters to published documents (or to `queryset`, narrower)."""
    base = queryset if queryset is not None else Document.objects.published()
    filterset = DocumentFilter(params, queryset=base)
    filtered = filterset.qs
    results = filterset.ordered(filtered).with_relations()
    if filterset.parsed_query and filterset.parsed_query.clauses:
        results = results.with_snippets(filterset.parsed_query)
    return DocumentSearch(filterset, filtered, results, exclude_person)


def page_documents(
    results: QuerySet, start: int, size: int, *, version: int | None = None
) -> list[Document]:
    """A page of results. With the archive's version (PostgreSQL), their ids in order come
    from the cache when they can, then those documents are read by id."""
    if version is None:
        return list(results[start : start + size])
    return documents_by_id(results, cached_ids(results, start, start + size, version=version))


def documents_by_id(results: QuerySet, ids: list[int]) -> list[Document]:
    """These documents of `results`, in the order of `ids`."""
    found = {document.id: document for document in results.filter(id__in=ids)}
    return [found[pk] for pk in ids if pk in found]
