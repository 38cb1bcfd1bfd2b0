from django.urls import path

from people.views import PersonListView

from . import views
from .caching import public_page_cache as cached

app_name = "documents"

# Public pages are kept whole in the cache under the index's generation (documents/caching.py).
# Each result page's exports and feed (`<page>export.<fmt>`, `<page>feed/`) are reuse/urls.py's.
urlpatterns = [
    path("", cached(views.HomeView.as_view()), name="home"),
    path("documents/", cached(views.DocumentListView.as_view()), name="list"),
    path(
        "documents/facets/<slug:facet>/",
        cached(views.FacetValuesView.as_view()),
        name="facet-values",
    ),
    path(
        "documents/<identifier:identifier>/",
        cached(views.DocumentDetailView.as_view()),
        name="detail",
    ),
    path("regions/", cached(views.RegionListView.as_view()), name="region-list"),
    path("regions/<slug:slug>/", cached(views.RegionDetailView.as_view()), name="region-detail"),
    path("collections/", cached(views.CollectionListView.as_view()), name="collection-list"),
    path(
        "collections/<slug:slug>/",
        cached(views.CollectionDetailView.as_view()),
        name="collection-detail",
    ),
    path("search/suggest", views.SuggestView.as_view(), name="suggest"),
]

# The people index and each person's page, under their own namespace (people:list,
# people:detail): the index is the people app's, a person's page a list of documents.
people_urlpatterns = (
    [
        path("", cached(PersonListView.as_view()), name="list"),
        path("<slug:slug>/", cached(views.PersonDetailView.as_view()), name="detail"),
    ],
    "people",
)
