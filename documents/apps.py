from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        import core.lookups  # noqa: F401  registers field__any
        from core.identifiers import IdentifierConverter

        from . import signals  # noqa: F401  records changes in the search index's outbox

        # `<identifier:identifier>` in any app's URL patterns: a record identifier.
        register_converter(IdentifierConverter, "identifier")
