from django.apps import AppConfig


class CurationConfig(AppConfig):
    """Archivists' work on the archive: roles, edit history and merges."""

    name = "curation"
    verbose_name = "Curation"
