"""The people index: everyone a published document names (a person's page is a list of their
documents: documents/views.py)."""

from django.db.models import QuerySet
from django.views.generic import ListView

from .models import Person


class PersonListView(ListView):
    template_name = "people/person_list.html"
    context_object_name = "people"
    paginate_by = 100

    def get_queryset(self) -> QuerySet:
        # A person named only in drafts is unpublished: not listed, like the draft itself.
        people = Person.objects.public().with_document_counts().order_by("name", "id")
        name = self.request.GET.get("name", "").replace("\x00", "").strip()[:200]
        if name:
            people = people.filter(name__icontains=name)
        return people

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        try:
            number = int(self.request.GET.get("page") or 1)
        except ValueError:
            number = 1
        page = paginator.get_page(number)
        return paginator, page, page.object_list, page.has_other_pages()
