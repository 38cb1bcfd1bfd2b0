from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from accounts.urls import auth_urlpatterns
from archive.i18n import set_language
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
    path("", include("versions.urls")),
    path("", include("iiif.urls")),
    path("oai/", include("oai.urls")),
    # The language switcher's links: remember the choice, then the page in that language.
    path("language/<str:code>/", set_language, name="set-language"),
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

# The pages researchers read, in every interface language: English at the plain addresses,
# the others under their prefix (/ru/documents/, /zh-hans/people/…). What programs read above
# (the admin, the API, exports, feeds, IIIF, OAI-PMH, sitemaps) is unprefixed and single.
urlpatterns += i18n_patterns(
    path("", include("documents.urls")),
    path("people/", include(people_urlpatterns)),
    path("data/", include("releases.urls")),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("folders/", include("folders.urls")),
    path("searches/", include("alerts.urls")),
    prefix_default_language=False,
)
