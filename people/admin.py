from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from archive.admin_search import NulSafeSearchMixin
from curation.admin_actions import MergeActionMixin
from curation.paging import EstimatedCountPaginator
from documents.admin import linked_document_count
from documents.models import DocumentParticipant
from search.outbox import people_changed

from .models import Person
from .services import people_merge


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
