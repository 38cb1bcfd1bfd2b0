"""The one FilterSet behind every list of documents: HTML pages, the JSON API, exports, feeds.

It reads and validates the parameters; what they select is `DocumentFilter.criteria`, which
the search index answers (`search.queries.Criteria`). Every parameter is validated by a form
field. A value that does not validate is dropped from
the filtering and reported (a visible notice on pages, a 400 in the API), so no request
parameter can become a server error.
"""

from __future__ import annotations

from functools import cached_property

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from people.models import Person
from search.engine import Sort
from search.queries import Criteria, ParsedQuery, parse_query

from .dates import PartialDate, accepted_forms
from .models import Collection, Document, Region

MAX_QUERY_LENGTH = 500


class PartialDateField(forms.CharField):
    """A filter bound in any of the archive's date forms (1960, 1960-08, August 1960, ...)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError:
            raise forms.ValidationError(
                gettext("“%(value)s” is not a date; use %(forms)s.")
                % {"value": value, "forms": accepted_forms()},
                code="invalid",
            ) from None


class SlugsField(forms.ModelMultipleChoiceField):
    """Repeated ?name=slug parameters, looked up in one query; unknown slugs are an error."""

    def clean(self, value):
        # An empty value (a form's blank choice, `?collection=`) asks for nothing.
        value = [item for item in value or [] if str(item).strip()]
        for item in value:
            if "\x00" in str(item) or len(str(item)) > 200:
                raise forms.ValidationError(_("is not a valid name for a page."), code="invalid")
        return super().clean(value)


class RegionSlugsField(SlugsField):
    """Places by slug, as public pages may name them: a place only drafts name is unknown
    here, with the same message as a slug no place has (documents.models.RegionQuerySet)."""

    def clean(self, value):
        regions = super().clean(value)
        if regions:
            public = Region.objects.public_ids()
            for region in regions:
                if region.id not in public:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": region.slug},
                    )
        return regions


class RegionSlugsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = RegionSlugsField


class PartialDateFilter(django_filters.Filter):
    field_class = PartialDateField


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SlugsField


class SortChoices:
    RELEVANCE = Sort.RELEVANCE
    DATE = Sort.DATE
    DATE_DESC = Sort.DATE_DESC
    TITLE = Sort.TITLE
    choices = [
        (RELEVANCE, _("Relevance")),
        (DATE_DESC, _("Newest first")),
        (DATE, _("Oldest first")),
        (TITLE, _("Title")),
    ]


class DocumentFilter(django_filters.FilterSet):
    """The parameters of a list. Each filter is defined once, as the index query its
    `criteria` make; the queryset is not narrowed here."""

    q = django_filters.CharFilter(
        label=_("Keywords"), method="filter_nothing", max_length=MAX_QUERY_LENGTH
    )
    date_from = PartialDateFilter(label=pgettext_lazy("date", "From"), method="filter_nothing")
    date_to = PartialDateFilter(label=pgettext_lazy("date", "To"), method="filter_nothing")
    region = RegionSlugsFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        method="filter_nothing",
    )
    person = SlugsFilter(
        label=_("Person"),
        queryset=Person.objects.public(),  # a name only drafts hold is not public
        to_field_name="slug",
        method="filter_nothing",
    )
    collection = SlugsFilter(
        label=_("Collection"),
        queryset=Collection.objects.public(),  # one that holds only drafts is not public
        to_field_name="slug",
        method="filter_nothing",
    )
    language = django_filters.CharFilter(
        label=_("Language"), max_length=10, method="filter_nothing"
    )
    archive = django_filters.CharFilter(
        label=_("Original archive"), max_length=300, method="filter_nothing"
    )
    source = django_filters.CharFilter(label=_("Source"), max_length=200, method="filter_nothing")
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=SortChoices.choices, method="filter_nothing", empty_label=None
    )

    class Meta:
        model = Document
        fields: list[str] = []

    @cached_property
    def parsed_query(self) -> ParsedQuery | None:
        if not self.is_bound:
            return None
        self.cleaned  # noqa: B018  validates, so cleaned_data holds the valid values
        value = self.form.cleaned_data.get("q")
        return parse_query(value) if value else None

    def filter_nothing(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # the index filters (`criteria`)

    @cached_property
    def cleaned(self) -> dict:
        """The valid parameters (a date range that ends before it begins is dropped)."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018  validates
        data = self.form.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end.last < start.first:
            self.form.add_error(
                "date_to",
                gettext("“%(end)s” is before “%(start)s”.")
                % {"end": end.display(), "start": start.display()},
            )
            data.pop("date_to", None)
            data.pop("date_from", None)
        return data

    @cached_property
    def criteria(self) -> Criteria:
        """What the parameters select, as the index query they are."""
        data = self.cleaned
        start, end = data.get("date_from"), data.get("date_to")
        regions = data.get("region") or []
        collections = data.get("collection") or []
        parsed = self.parsed_query
        return Criteria(
            keywords=parsed if parsed and parsed.clauses else None,
            date_from=start.first if start else None,
            date_to=end.last if end else None,
            # A document under any of the chosen regions (the index lists every region above
            # a document's places), in any of the chosen collections, with all the people.
            regions=(tuple(region.id for region in regions),) if regions else (),
            people=tuple(person.id for person in data.get("person") or []),
            collections=(tuple(c.id for c in collections),) if collections else (),
            language=data.get("language") or "",
            archive=data.get("archive") or "",
            source=" ".join((data.get("source") or "").split()),
        )

    @property
    def sort_order(self) -> str:
        chosen = self.cleaned.get("sort")
        has_query = bool(self.parsed_query and self.parsed_query.clauses)
        if chosen == SortChoices.RELEVANCE and not has_query:
            chosen = None
        return chosen or (SortChoices.RELEVANCE if has_query else SortChoices.DATE_DESC)
