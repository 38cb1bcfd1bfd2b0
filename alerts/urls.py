from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("save/", views.saved_search_save, name="save"),
    path("<int:pk>/delete/", views.saved_search_delete, name="delete"),
    path("<int:pk>/alerts/", views.saved_search_alerts, name="alerts"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
