"""Which documents a result page lists before any filter: the archive, a place, a person or
a collection. Exports and feeds of a page ask the page's own view, so they never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from search.queries import Criteria


@dataclass
class ResultsScope:
    criteria: Criteria  # the page's published documents, before the researcher's filters
    title: str  # "Documents", or the place, person or collection
    name: str  # for file names: "documents", "region-east-asia", ...
    page_path: str  # the HTML page


def results_scope(view_class, request, **kwargs) -> ResultsScope:
    """The scope of `view_class` (a DocumentResultsView) for these URL arguments; may 404."""
    view = view_class()
    view.setup(request, **kwargs)
    documents = view.base_criteria()
    for kind in ("region", "person", "collection"):
        subject = getattr(view, kind, None)
        if subject is not None:
            return ResultsScope(
                documents,
                title=str(getattr(subject, "name", None) or subject.title),
                name=f"{kind}-{subject.slug}",
                page_path=subject.get_absolute_url(),
            )
    return ResultsScope(documents, "Documents", "documents", reverse("documents:list"))
