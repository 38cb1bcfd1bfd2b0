from django.urls import path

from documents.caching import public_page_cache as cached

from . import views

app_name = "people"

urlpatterns = [
    path("", cached(views.PersonListView.as_view()), name="list"),
    path("<slug:slug>/", cached(views.PersonDetailView.as_view()), name="detail"),
]
