"""Researchers' accounts: registration (django-registration's HMAC activation workflow),
Django's own login, logout, password change and reset, and the researcher's own pages."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("data.json", views.data_download, name="data"),
    path("delete/", views.account_delete_view, name="delete"),
]

# Outside the namespace: django-registration's and Django's views reverse these names bare.
auth_urlpatterns = [
    path(
        "register/",
        views.ResearcherRegistrationView.as_view(),
        name="django_registration_register",
    ),
    path(
        "activate/",
        views.ResearcherActivationView.as_view(),
        name="django_registration_activate",
    ),
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(
            extra_email_context={"ARCHIVE_NAME": settings.ARCHIVE_NAME}
        ),
        name="password_reset",
    ),
    path("", include("django_registration.backends.activation.urls")),
    path("", include("django.contrib.auth.urls")),
]
