from django.apps import AppConfig


class ImportingConfig(AppConfig):
    """Batch imports: the batch format, checking, writing, undo, and their provenance."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "importing"
