from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("health/index", views.IndexHealthView.as_view(), name="health"),
]
