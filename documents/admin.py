from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import ngettext

from archive.admin_search import NulSafeSearchMixin

from .models import Collection, Document, DocumentParticipant, IdentifierRedirect, Region
from .services import document_rename, documents_publish, documents_unpublish


class DocumentParticipantInline(admin.TabularInline):
    model = DocumentParticipant
    autocomplete_fields = ["person"]
    extra = 1
    fields = ["person", "role", "position"]


@admin.register(Document)
class DocumentAdmin(NulSafeSearchMixin, admin.ModelAdmin):
    list_display = ["identifier", "title", "date_display", "status", "language", "modified"]
    list_display_links = ["identifier", "title"]
    list_filter = ["status", "date_precision", "language", "collections"]
    search_fields = ["identifier", "title", "summary"]
    autocomplete_fields = ["regions", "collections"]
    inlines = [DocumentParticipantInline]
    readonly_fields = ["date_last", "created", "modified"]
    date_hierarchy = "date"
    actions = ["publish", "unpublish"]
    # Full counts on every changelist page get slow at a million rows.
    show_full_result_count = False
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["identifier", "title", "status"]}),
        (
            "Date",
            {
                "fields": [("date", "date_precision"), ("date_end", "date_end_precision")],
                "description": "Enter the first day of the period: 1967-11-01 with precision "
                "“Month” is November 1967.",
            },
        ),
        ("Content", {"fields": ["summary", "text", "language"]}),
        ("Source", {"fields": ["source", "original_archive", "rights"]}),
        ("Links", {"fields": ["regions", "collections"]}),
        ("Record", {"fields": ["date_last", "created", "modified"], "classes": ["collapse"]}),
    ]

    @admin.display(description="Date", ordering="date")
    def date_display(self, document: Document) -> str:
        return document.date_display

    def save_model(self, request, obj, form, change):
        old_identifier = form.initial.get("identifier") if change else None
        super().save_model(request, obj, form, change)
        if old_identifier and old_identifier != obj.identifier:
            document_rename(document=obj, old_identifier=old_identifier)

    def _report(self, request, changed: int, verb: str) -> None:
        self.message_user(
            request,
            ngettext(f"%d document {verb}.", f"%d documents {verb}.", changed) % changed,
            messages.SUCCESS,
        )

    @admin.action(description="Publish selected documents", permissions=["change"])
    def publish(self, request, queryset):
        self._report(request, documents_publish(documents=queryset), "published")

    @admin.action(
        description="Unpublish selected documents (make them drafts)", permissions=["change"]
    )
    def unpublish(self, request, queryset):
        self._report(request, documents_unpublish(documents=queryset), "unpublished")


@admin.register(Region)
class RegionAdmin(NulSafeSearchMixin, admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "document_count"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("parent")
            .annotate(document_total=Count("documents"))
            .order_by("name", "id")
        )

    @admin.display(description="Documents", ordering="document_total")
    def document_count(self, region: Region) -> int:
        return region.document_total


@admin.register(Collection)
class CollectionAdmin(NulSafeSearchMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "document_count"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(document_total=Count("documents"))
            .order_by("title", "id")
        )

    @admin.display(description="Documents", ordering="document_total")
    def document_count(self, collection: Collection) -> int:
        return collection.document_total


@admin.register(IdentifierRedirect)
class IdentifierRedirectAdmin(NulSafeSearchMixin, admin.ModelAdmin):
    list_display = ["old_identifier", "document", "created"]
    search_fields = ["old_identifier", "document__identifier"]
    autocomplete_fields = ["document"]
