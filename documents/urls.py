from django.urls import path, register_converter

from archive.converters import IdentifierConverter

from . import api, views

register_converter(IdentifierConverter, "identifier")

app_name = "documents"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("documents/", views.DocumentListView.as_view(), name="list"),
    path("documents/<identifier:identifier>/", views.DocumentDetailView.as_view(), name="detail"),
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("collections/", views.CollectionListView.as_view(), name="collection-list"),
    path(
        "collections/<slug:slug>/", views.CollectionDetailView.as_view(), name="collection-detail"
    ),
    path("api/documents/", api.DocumentListAPIView.as_view(), name="api-list"),
    path(
        "api/documents/<identifier:identifier>/",
        api.DocumentDetailAPIView.as_view(),
        name="api-detail",
    ),
]
