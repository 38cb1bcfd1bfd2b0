from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from documents.views import DocumentResultsView
from search.queries import Criteria

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


class PersonDetailView(DocumentResultsView):
    """A person's page: their documents (with every filter) and who appears with them most."""

    template_name = "people/person_detail.html"

    def base_criteria(self) -> Criteria:
        self.person = get_object_or_404(Person, slug=self.kwargs["slug"])
        self.exclude_person = self.person
        # Someone named only in drafts does not exist for the public (staff may look).
        user = self.request.user
        if not (user.is_authenticated and user.is_staff) and not (
            Person.objects.filter(pk=self.person.pk).first_public()
        ):
            raise Http404("No published document names this person.")
        return Criteria(people=(self.person.pk,))

    def list_title(self) -> str:
        return self.person.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(person=self.person, total=self.base_total())
        return context
