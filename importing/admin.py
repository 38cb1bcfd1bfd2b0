"""Provenance in the admin: every import, its files, counts, warnings and errors, and undo."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

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
        "files",
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
    exclude = ["people_created", "regions_created", "collections_created"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # provenance is kept; undo reverts an import instead

    @admin.display(description="Files")
    def file_names(self, batch: ImportBatch) -> str:
        return ", ".join(str(f.get("name", "")) for f in batch.files)

    @admin.display(description="Documents it created")
    def created_documents_link(self, batch: ImportBatch) -> str:
        url = (
            reverse("admin:documents_document_changelist") + f"?import_batch__id__exact={batch.pk}"
        )
        return format_html('<a href="{}">{} document(s)</a>', url, batch.created_count)

    @admin.action(description="Undo selected imports", permissions=["change"])
    def undo(self, request, queryset):
        for batch in queryset.order_by("-started_at", "-id"):
            try:
                # The batch is the undo's record; no edit history per document it touches.
                with history_paused():
                    import_batch_undo(batch=batch, run_by=request.user.get_username())
            except UndoRefused as refused:
                shown = "; ".join(refused.problems[:5])
                more = len(refused.problems) - 5
                self.message_user(
                    request,
                    f"Import #{batch.pk} was not undone: {shown}"
                    + (f" (and {more} more)" if more > 0 else ""),
                    messages.ERROR,
                )
            else:
                self.message_user(request, f"Import #{batch.pk} undone.", messages.SUCCESS)
