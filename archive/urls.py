from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from accounts.urls import auth_urlpatterns
from core.http import read_only
from documents.urls import people_urlpatterns
from reuse.sitemaps import SITEMAPS, robots_txt

urlpatterns = [
    # The import batches' admin pages moved with their models to importing/: old links work.
    re_path(
        r"^admin/documents/(?P<model>importbatch|importchange)/(?P<rest>.*)$",
        RedirectView.as_view(
            url="/admin/importing/%(model)s/%(rest)s", permanent=True, query_string=True
        ),
    ),
    path("admin/", admin.site.urls),
    # Exports, feeds and the API first: `documents/feed/` is not a document's page.
    path("", include("reuse.urls")),
    path("", include("documents.urls")),
    path("", include("versions.urls")),
    path("", include("iiif.urls")),
    path("people/", include(people_urlpatterns)),
    path("oai/", include("oai.urls")),
    path("data/", include("releases.urls")),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("folders/", include("folders.urls")),
    path("searches/", include("alerts.urls")),
    path("", include("search.urls")),
    path(
        "sitemap.xml",
        read_only(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        read_only(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", read_only(robots_txt), name="robots"),
]
