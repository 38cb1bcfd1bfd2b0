"""Every result page's exports and feed, one document's exports, and the JSON API.

A result page (the archive's list, a person's, a place's, a collection's page) has its
exports at `<page>export.<fmt>` and its feed at `<page>feed/`, with the page's own
parameters; the scope kind says whose documents they hold (documents/scopes.py). Included
before documents/urls.py: `documents/feed/` would otherwise be read as a document's page.
"""

from django.urls import path, re_path

from core.http import read_only
from core.identifiers import IdentifierConverter
from documents.scopes import ScopeKind
from documents.urls import page

from . import api, openapi
from .exports import FORMAT_PATTERN
from .exports.views import DocumentExportView, ResultsExportView
from .feeds import ResultsFeed

app_name = "reuse"

EXPORT = rf"export\.(?P<fmt>{FORMAT_PATTERN})$"
SLUG = r"(?P<slug>[-a-zA-Z0-9_]+)"
IDENTIFIER = rf"(?P<identifier>{IdentifierConverter.regex})"

# The result pages, by the path before their `export.<fmt>` and `feed/`, and the URL names'
# first word.
RESULT_PAGES = [
    ("documents/", "", ScopeKind.ARCHIVE),
    (f"people/{SLUG}/", "person-", ScopeKind.PERSON),
    (f"regions/{SLUG}/", "region-", ScopeKind.REGION),
    (f"collections/{SLUG}/", "collection-", ScopeKind.COLLECTION),
]

urlpatterns = [
    re_path(
        rf"^documents/{IDENTIFIER}/{EXPORT}",
        read_only(DocumentExportView.as_view()),
        name="document-export",
    ),
    path("api/documents/", page(api.DocumentListAPIView.as_view()), name="api-list"),
    path(
        "api/documents/<identifier:identifier>/",
        page(api.DocumentDetailAPIView.as_view()),
        name="api-detail",
    ),
    path("api/openapi.json", read_only(openapi.openapi_description), name="api-openapi"),
]
for page_path, prefix, kind in RESULT_PAGES:
    urlpatterns += [
        re_path(
            rf"^{page_path}{EXPORT}",
            read_only(ResultsExportView.as_view(scope_kind=kind)),
            name=f"{prefix}export",
        ),
        re_path(rf"^{page_path}feed/$", read_only(ResultsFeed(kind)), name=f"{prefix}feed"),
    ]
