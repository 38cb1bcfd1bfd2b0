from django.urls import path

from core.http import read_only

from . import views

app_name = "releases"

urlpatterns = [
    path("", read_only(views.ReleaseListView.as_view()), name="list"),
    path("releases.json", read_only(views.release_index), name="index"),
    path("<str:file_name>", read_only(views.release_file), name="file"),
]
