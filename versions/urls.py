from django.urls import re_path

from core.identifiers import IdentifierConverter

from . import views

app_name = "versions"

# documents/<identifier>/versions/<id>/...: the record's own URL, then the version.
PREFIX = rf"^documents/(?P<identifier>{IdentifierConverter.regex})/versions/(?P<pk>[0-9]+)"

urlpatterns = [
    re_path(rf"{PREFIX}/file$", views.version_file, name="file"),
    re_path(rf"{PREFIX}/download$", views.version_download, name="download"),
    re_path(rf"{PREFIX}/thumbnail\.png$", views.version_thumbnail, name="thumbnail"),
]
