from django.urls import path

from core.http import read_only

from . import views

app_name = "search"

urlpatterns = [
    path("health/index", read_only(views.IndexHealthView.as_view()), name="health"),
]
