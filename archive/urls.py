from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from documents.exports import FORMAT_PATTERN
from documents.exports.views import ResultsExportView
from documents.feeds import ResultsFeed
from documents.sitemaps import SITEMAPS, robots_txt
from documents.urls import people_urlpatterns
from documents.views import PersonDetailView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("documents.urls")),
    path("", include("versions.urls")),
    re_path(
        rf"^people/(?P<slug>[-a-zA-Z0-9_]+)/export\.(?P<fmt>{FORMAT_PATTERN})$",
        ResultsExportView.as_view(scope=PersonDetailView),
        name="person-export",
    ),
    path("people/<slug:slug>/feed/", ResultsFeed(PersonDetailView), name="person-feed"),
    path("people/", include(people_urlpatterns)),
    path("oai/", include("oai.urls")),
    path("", include("search.urls")),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots"),
]
