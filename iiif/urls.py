from django.urls import path, re_path

from core.http import read_only
from core.identifiers import IdentifierConverter

from . import views

app_name = "iiif"

IMAGE = r"^iiif/image/(?P<image_id>[0-9]{1,12}-[0-9]{1,6})"
DOCUMENT = rf"^iiif/documents/(?P<identifier>{IdentifierConverter.regex})"

urlpatterns = [
    re_path(rf"{IMAGE}$", read_only(views.image_base), name="image"),
    re_path(rf"{IMAGE}/info\.json$", read_only(views.image_info_view), name="image-info"),
    re_path(
        rf"{IMAGE}/(?P<region>[^/]{{1,80}})/(?P<size>[^/]{{1,40}})/(?P<rotation>[^/]{{1,20}})"
        r"/(?P<quality_format>[^/]{1,20})$",
        read_only(views.image_view),
        name="image-request",
    ),
    re_path(rf"{DOCUMENT}/manifest$", read_only(views.manifest_view), name="manifest"),
    re_path(rf"{DOCUMENT}/search$", read_only(views.search_view), name="search"),
    path("iiif/collections", read_only(views.collections_view), name="collections"),
    path("iiif/collections/<slug:slug>", read_only(views.collection_view), name="collection"),
]
