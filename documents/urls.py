from django.urls import path, re_path, register_converter

from core.identifiers import IdentifierConverter
from people.views import PersonListView

from . import api, openapi, views
from .caching import public_page_cache as cached
from .exports import FORMAT_PATTERN
from .exports.views import DocumentExportView, ResultsExportView
from .feeds import ResultsFeed

register_converter(IdentifierConverter, "identifier")

app_name = "documents"

EXPORT = rf"export\.(?P<fmt>{FORMAT_PATTERN})$"
SLUG = r"(?P<slug>[-a-zA-Z0-9_]+)"
IDENTIFIER = rf"(?P<identifier>{IdentifierConverter.regex})"

# Public pages are kept whole in the cache under the archive's version (documents/caching.py);
# exports and feeds are not (they are large, and their readers poll rarely).
urlpatterns = [
    path("", cached(views.HomeView.as_view()), name="home"),
    path("documents/", cached(views.DocumentListView.as_view()), name="list"),
    re_path(
        rf"^documents/{EXPORT}",
        ResultsExportView.as_view(scope=views.DocumentListView),
        name="export",
    ),
    path("documents/feed/", ResultsFeed(views.DocumentListView), name="feed"),
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
    re_path(
        rf"^documents/{IDENTIFIER}/{EXPORT}", DocumentExportView.as_view(), name="document-export"
    ),
    path("regions/", cached(views.RegionListView.as_view()), name="region-list"),
    path("regions/<slug:slug>/", cached(views.RegionDetailView.as_view()), name="region-detail"),
    re_path(
        rf"^regions/{SLUG}/{EXPORT}",
        ResultsExportView.as_view(scope=views.RegionDetailView),
        name="region-export",
    ),
    path("regions/<slug:slug>/feed/", ResultsFeed(views.RegionDetailView), name="region-feed"),
    path("collections/", cached(views.CollectionListView.as_view()), name="collection-list"),
    path(
        "collections/<slug:slug>/",
        cached(views.CollectionDetailView.as_view()),
        name="collection-detail",
    ),
    re_path(
        rf"^collections/{SLUG}/{EXPORT}",
        ResultsExportView.as_view(scope=views.CollectionDetailView),
        name="collection-export",
    ),
    path(
        "collections/<slug:slug>/feed/",
        ResultsFeed(views.CollectionDetailView),
        name="collection-feed",
    ),
    path("api/documents/", cached(api.DocumentListAPIView.as_view()), name="api-list"),
    path(
        "api/documents/<identifier:identifier>/",
        cached(api.DocumentDetailAPIView.as_view()),
        name="api-detail",
    ),
    path("search/suggest", views.SuggestView.as_view(), name="suggest"),
    path("api/openapi.json", openapi.openapi_description, name="api-openapi"),
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
