from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    """Archivists' work on the archive: roles, edit history and merges."""

    name = "curation"
    verbose_name = _("Curation")
