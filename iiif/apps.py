from django.apps import AppConfig


class IIIFConfig(AppConfig):
    name = "iiif"
    verbose_name = "IIIF"
    default_auto_field = "django.db.models.BigAutoField"
