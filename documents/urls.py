from django.urls import path

from core.http import read_only
from people.views import PersonListView

from . import views
from .caching import public_page_cache


def page(view):
    """A public page: read-only, and kept whole in the cache."""
    return read_only(public_page_cache(view))


app_name = "documents"

# Public pages are kept whole in the cache under the index's generation (documents/caching.py).
# Each result page's exports and feed (`<page>export.<fmt>`, `<page>feed/`) are reuse/urls.py's.
urlpatterns = [
    path("", page(views.HomeView.as_view()), name="home"),
    path("documents/", page(views.DocumentListView.as_view()), name="list"),
    path(
        "documents/facets/<slug:facet>/",
        page(views.FacetValuesView.as_view()),
        name="facet-values",
    ),
    path(
        "documents/<identifier:identifier>/",
        page(views.DocumentDetailView.as_view()),
        name="detail",
    ),
    path("regions/", page(views.RegionListView.as_view()), name="region-list"),
    path("regions/<slug:slug>/", page(views.RegionDetailView.as_view()), name="region-detail"),
    path("collections/", page(views.CollectionListView.as_view()), name="collection-list"),
    path(
        "collections/<slug:slug>/",
        page(views.CollectionDetailView.as_view()),
        name="collection-detail",
    ),
    path("search/suggest", read_only(views.SuggestView.as_view()), name="suggest"),
]

# The people index and each person's page, under their own namespace (people:list,
# people:detail): the index is the people app's, a person's page a list of documents.
people_urlpatterns = (
    [
        path("", page(PersonListView.as_view()), name="list"),
        path("<slug:slug>/", page(views.PersonDetailView.as_view()), name="detail"),
    ],
    "people",
)
