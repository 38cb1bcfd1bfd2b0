"""Read-side queries: what the public sees, filtered the one way.

A list is asked of the search index (ids, the total, the facets, snippets); the database
then gives the rows of the page only, read through `published()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext

from people.models import Person
from people.selectors import matching_person
from search import engine
from search.queries import Criteria
from search.suggestions import did_you_mean

from .facets import PEOPLE_SHOWN, shaped_facets
from .filters import DocumentFilter
from .models import Document
from .scopes import DocumentScope

# Fewer results than this, for a keyword search, and the closest spelling is offered.
FEW_RESULTS = 3


@dataclass
class DocumentSearch:
    filterset: DocumentFilter
    scope: Criteria  # the page's documents before the researcher's filters
    exclude_person: Person | None = None
    criteria: Criteria = field(init=False)

    def __post_init__(self):
        self.criteria = self.scope.merged(self.filterset.criteria)

    @property
    def errors(self) -> dict[str, list[str]]:
        return {name: list(messages) for name, messages in self.filterset.errors.items()}

    @property
    def notices(self) -> list[str]:
        """What was wrong with the request, in words for the page; those filters were ignored."""
        self.filterset.cleaned  # noqa: B018  a range that ends before it begins is an error too
        notices = list(self.filterset.parsed_query.notices) if self.filterset.parsed_query else []
        for name, messages in self.errors.items():
            label = self.filterset.filters[name].label if name in self.filterset.filters else name
            notices.append(
                gettext("%(label)s: %(messages)s This filter was ignored.")
                % {"label": label, "messages": " ".join(messages)}
            )
        return notices

    @property
    def cleaned(self) -> dict:
        return {k: v for k, v in self.filterset.cleaned.items() if v not in (None, "", [])}

    @property
    def sort(self) -> str:
        return self.filterset.sort_order

    @cached_property
    def matched_person(self):
        """The person whose name the query is, offered at the top of the results."""
        parsed = self.filterset.parsed_query
        return matching_person(parsed.text) if parsed and parsed.clauses else None

    @cached_property
    def counts(self) -> engine.Counts:
        """Every facet and the number of matching documents, from the index."""
        return engine.counts(
            self.criteria,
            people_limit=PEOPLE_SHOWN + 1,
            exclude_person=self.exclude_person.pk if self.exclude_person else None,
        )

    @cached_property
    def facets(self) -> dict:
        """Every facet, and the number of matching documents as `total`."""
        return shaped_facets(self.counts)

    @cached_property
    def count(self) -> int:
        """The number of matching documents: counted with the facets when they are."""
        if "counts" in self.__dict__:
            return self.counts.total
        return engine.count(self.criteria)

    @cached_property
    def suggestion(self) -> str | None:
        """A spelling the index knows, for a keyword search with few results."""
        parsed = self.filterset.parsed_query
        if not (parsed and parsed.clauses) or self.count >= FEW_RESULTS:
            return None
        return did_you_mean(parsed)

    def page(self, start: int, size: int) -> list[Document]:
        """A page of results in order, with what a list shows (and a snippet for a search)."""
        window = engine.window(self.criteria, sort=self.sort, offset=start, limit=size)
        documents = documents_by_id(Document.objects.published().with_relations(), window.ids)
        snippets = engine.snippets(self.criteria, window)
        for document in documents:
            document.snippet = snippets.get(document.id, "")
        return documents

    def ids(self, *, limit: int, sort: str | None = None) -> list[int]:
        return engine.window(self.criteria, sort=sort or self.sort, offset=0, limit=limit).ids

    def documents(self, *, limit: int, chunk: int = 500) -> Iterator[Document]:
        """Up to `limit` results in order, read a chunk at a time (exports)."""
        ids = self.ids(limit=limit)
        rows = Document.objects.published().with_relations()
        for start in range(0, len(ids), chunk):
            yield from documents_by_id(rows, ids[start : start + chunk])


def document_search(params: QueryDict, *, scope: DocumentScope | None = None) -> DocumentSearch:
    """The researcher's filters on the published documents of `scope` (all, by default)."""
    scope = scope or DocumentScope.archive()
    filterset = DocumentFilter(params, queryset=Document.objects.none())
    return DocumentSearch(filterset, scope.criteria, scope.exclude_person)


def documents_by_id(results: QuerySet, ids: list[int]) -> list[Document]:
    """These documents of `results`, in the order of `ids`."""
    found = {document.id: document for document in results.filter(id__in=ids)}
    return [found[pk] for pk in ids if pk in found]
