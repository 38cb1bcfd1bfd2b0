"""Provenance in the admin: every import, its files, counts, warnings and errors, and undo."""

from django.contrib import admin, messages
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.history import history_paused

from .importer import UndoRefused, import_batch_undo
from .models import ImportBatch, ImportChange


class ImportChangeInline(admin.TabularInline):
    model = ImportChange
    fields = ["identifier", "document", "fields"]
    readonly_fields = ["identifier", "document", "fields"]
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Provenance: every import, its files, counts, warnings and errors, and undo."""

    list_display = [
        "id",
        "started_at",
        "run_by",
        "file_names",
        "outcome",
        "created_count",
        "updated_count",
        "unchanged_count",
        "conflict_count",
    ]
    list_filter = ["outcome"]
    search_fields = ["run_by", "files"]
    show_full_result_count = False
    actions = ["undo"]
    inlines = [ImportChangeInline]
    readonly_fields = [
        "outcome",
        "run_by",
        "started_at",
        "finished_at",
        "files_summary",
        "overwrite_edits",
        "created_count",
        "updated_count",
        "unchanged_count",
        "conflict_count",
        "created_documents_link",
        "warnings",
        "errors",
        "undone_at",
        "undone_by",
    ]
    # The files are shown a line each (files_summary), not as their JSON.
    exclude = ["people_created", "regions_created", "collections_created", "files"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # provenance is kept; undo reverts an import instead

    @admin.display(description=_("Files"))
    def file_names(self, batch: ImportBatch) -> str:
        return ", ".join(str(f.get("name", "")) for f in batch.files)

    @admin.display(description=_("Files"))
    def files_summary(self, batch: ImportBatch) -> str:
        """Each file: its name, records, size and checksum (the JSON's keys are no one's
        language)."""
        lines = [
            ngettext(
                "%(name)s: %(records)s record, %(size)s, SHA-256 %(sha256)s",
                "%(name)s: %(records)s records, %(size)s, SHA-256 %(sha256)s",
                int(f.get("records") or 0),
            )
            % {
                "name": f.get("name", ""),
                "records": f.get("records") or 0,
                "size": filesizeformat(f.get("bytes") or 0),
                "sha256": f.get("sha256", ""),
            }
            for f in batch.files
        ]
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) or "—"

    @admin.display(description=_("Documents it created"))
    def created_documents_link(self, batch: ImportBatch) -> str:
        url = (
            reverse("admin:documents_document_changelist") + f"?import_batch__id__exact={batch.pk}"
        )
        # "document(s)" in English in both forms, as before; other languages count.
        count = ngettext("%(count)s document(s)", "%(count)s document(s)", batch.created_count) % {
            "count": batch.created_count
        }
        return format_html('<a href="{}">{}</a>', url, count)

    @admin.action(description=_("Undo selected imports"), permissions=["change"])
    def undo(self, request, queryset):
        for batch in queryset.order_by("-started_at", "-id"):
            try:
                # The batch is the undo's record; no edit history per document it touches.
                with history_paused():
                    import_batch_undo(batch=batch, run_by=request.user.get_username())
            except UndoRefused as refused:
                shown = "; ".join(refused.problems[:5])
                more = len(refused.problems) - 5
                values = {"number": batch.pk, "problems": shown, "more": more}
                message = (
                    ngettext(
                        "Import #%(number)s was not undone: %(problems)s (and %(more)s more)",
                        "Import #%(number)s was not undone: %(problems)s (and %(more)s more)",
                        more,
                    )
                    if more > 0
                    else gettext("Import #%(number)s was not undone: %(problems)s")
                )
                self.message_user(request, message % values, messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Import #%(number)s undone.") % {"number": batch.pk},
                    messages.SUCCESS,
                )
