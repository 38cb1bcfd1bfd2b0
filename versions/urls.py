from django.urls import re_path

from core.http import read_only
from core.identifiers import IdentifierConverter

from . import views

app_name = "versions"

# documents/<identifier>/versions/<id>/...: the record's own URL, then the version.
PREFIX = rf"^documents/(?P<identifier>{IdentifierConverter.regex})/versions/(?P<pk>[0-9]+)"

urlpatterns = [
    re_path(rf"{PREFIX}/file$", read_only(views.version_file), name="file"),
    re_path(rf"{PREFIX}/download$", read_only(views.version_download), name="download"),
    re_path(rf"{PREFIX}/thumbnail\.png$", read_only(views.version_thumbnail), name="thumbnail"),
]
