"""The admin of the records archivists curate beside the documents: people, places and
collections, each with its edit history and revert, its documents counted, and "Merge
selected …" for duplicates (curation/merging.py)."""

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_search import NulSafeSearchMixin
from core.paging import EstimatedCountPaginator
from documents.models import Collection, Document, DocumentParticipant, Region
from documents.services import people_changed
from people.models import Person

from .admin_actions import MergeActionMixin, MergeTexts
from .merging import collections_merge, people_merge, regions_merge


def linked_document_count(through, field: str):
    """The number of documents linked to each row, as a subquery: it is computed only for the
    rows a changelist page shows, not by grouping every link in the archive."""
    links = (
        through.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(total=Count("*"))
        .values("total")
    )
    return Coalesce(Subquery(links, output_field=IntegerField()), 0)


@admin.register(Person)
class PersonAdmin(MergeActionMixin, NulSafeSearchMixin, SimpleHistoryAdmin):
    """People, with their edit history and revert, and "Merge selected people" for
    duplicates."""

    list_display = ["name", "birth_year", "death_year", "slug", "document_count"]
    search_fields = ["name", "name_key", "alternate_names"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", ("birth_year", "death_year"), "alternate_names", "biography"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    merge_service = staticmethod(people_merge)
    merge_texts = MergeTexts(
        too_few=_("Select two or more people to merge."),
        title=_("Merge people"),
        choose=_(
            "Choose the person to keep. The others' documents move to it, their names become "
            "its alternate names, and they are deleted; the history keeps each of them as it "
            "was."
        ),
    )

    @admin.action(description=_("Merge selected people…"), permissions=["change"])
    def merge(self, request, queryset):
        return self.merge_selected(request, queryset)

    def get_queryset(self, request):
        # An annotation drops Meta.ordering; autocomplete pages need a stable order.
        return (
            super()
            .get_queryset(request)
            .annotate(document_total=linked_document_count(DocumentParticipant, "person"))
            .order_by("name", "id")
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"name", "alternate_names"} & set(form.changed_data):
            people_changed([obj.pk])

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Revert: the names may change, so the person's documents' search vectors too."""
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            people_changed([int(object_id)])
        return response


@admin.register(Region)
class RegionAdmin(MergeActionMixin, NulSafeSearchMixin, SimpleHistoryAdmin):
    list_display = ["name", "parent", "slug", "document_count"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    show_full_result_count = False
    merge_service = staticmethod(regions_merge)
    merge_texts = MergeTexts(
        too_few=_("Select two or more regions to merge."),
        title=_("Merge regions"),
        choose=_(
            "Choose the region to keep. The others' documents move to it, and they are "
            "deleted; the history keeps each of them as it was."
        ),
    )

    @admin.action(description=_("Merge selected regions…"), permissions=["change"])
    def merge(self, request, queryset):
        return self.merge_selected(request, queryset)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("parent")
            .annotate(document_total=linked_document_count(Document.regions.through, "region"))
            .order_by("name", "id")
        )


@admin.register(Collection)
class CollectionAdmin(MergeActionMixin, NulSafeSearchMixin, SimpleHistoryAdmin):
    list_display = ["title", "slug", "document_count"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    show_full_result_count = False
    merge_service = staticmethod(collections_merge)
    merge_texts = MergeTexts(
        too_few=_("Select two or more collections to merge."),
        title=_("Merge collections"),
        choose=_(
            "Choose the collection to keep. The others' documents move to it, and they are "
            "deleted; the history keeps each of them as it was."
        ),
    )

    @admin.action(description=_("Merge selected collections…"), permissions=["change"])
    def merge(self, request, queryset):
        return self.merge_selected(request, queryset)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                document_total=linked_document_count(Document.collections.through, "collection")
            )
            .order_by("title", "id")
        )
