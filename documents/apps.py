from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"

    def ready(self) -> None:
        import core.lookups  # noqa: F401  registers field__any

        from . import signals  # noqa: F401  connects the search-vector receivers
