from django.apps import AppConfig


class OaiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oai"
    verbose_name = "OAI-PMH"

    def ready(self) -> None:
        from . import signals  # noqa: F401  connect the deletion records
