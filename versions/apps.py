from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VersionsConfig(AppConfig):
    """A document's versions: original scans, transcripts and translations, as files or text."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "versions"
    verbose_name = _("Scans, transcripts and translations")

    def ready(self) -> None:
        from . import signals  # noqa: F401  search vectors and stored files follow the versions
