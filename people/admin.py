from django.contrib import admin
from django.db.models import Count

from archive.admin_search import NulSafeSearchMixin
from documents.search import refresh_search_vectors_of_people

from .models import Person


@admin.register(Person)
class PersonAdmin(NulSafeSearchMixin, admin.ModelAdmin):
    list_display = ["name", "birth_year", "death_year", "slug", "document_count"]
    search_fields = ["name", "name_key", "alternate_names"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", ("birth_year", "death_year"), "alternate_names", "biography"]
    show_full_result_count = False

    def get_queryset(self, request):
        # An annotation drops Meta.ordering; autocomplete pages need a stable order.
        return (
            super()
            .get_queryset(request)
            .annotate(document_total=Count("participations"))
            .order_by("name", "id")
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"name", "alternate_names"} & set(form.changed_data):
            refresh_search_vectors_of_people([obj.pk])

    @admin.display(description="Documents", ordering="document_total")
    def document_count(self, person: Person) -> int:
        return person.document_total
