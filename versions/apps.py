from django.apps import AppConfig


class VersionsConfig(AppConfig):
    """A document's versions: original scans, transcripts and translations, as files or text."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "versions"
    verbose_name = "Scans, transcripts and translations"

    def ready(self) -> None:
        from . import signals  # noqa: F401  search vectors and stored files follow the versions
