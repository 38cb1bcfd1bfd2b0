"""The one FilterSet behind every list of documents: HTML pages, the JSON API and later exports.

Every parameter is validated by a form field. A value that does not validate is dropped from
the filtering and reported (a visible notice on pages, a 400 in the API), so no request
parameter can become a server error.
"""

from __future__ import annotations

from functools import cached_property

import django_filters
from django import forms
from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from people.models import Person

from .dates import ACCEPTED_FORMS, PartialDate
from .models import Collection, Document, DocumentParticipant, FacetSQL, Region
from .search import ParsedQuery, normalised_tsquery, parse_query, postgres_ranked, search

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
                f"“{value}” is not a date; use {ACCEPTED_FORMS}.", code="invalid"
            ) from None


class SlugsField(forms.ModelMultipleChoiceField):
    """Repeated ?name=slug parameters, looked up in one query; unknown slugs are an error."""

    def clean(self, value):
        for item in value or []:
            if "\x00" in str(item) or len(str(item)) > 200:
                raise forms.ValidationError("is not a valid name for a page.", code="invalid")
        return super().clean(value)


class PartialDateFilter(django_filters.Filter):
    field_class = PartialDateField


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SlugsField


class SortChoices:
    RELEVANCE = "relevance"
    DATE = "date"
    DATE_DESC = "-date"
    TITLE = "title"
    choices = [
        (RELEVANCE, "Relevance"),
        (DATE_DESC, "Newest first"),
        (DATE, "Oldest first"),
        (TITLE, "Title"),
    ]


ORDERINGS = {
    SortChoices.DATE: ("date", "id"),
    SortChoices.DATE_DESC: ("-date", "-id"),
    SortChoices.TITLE: ("title", "id"),
}


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Keywords",
        method="filter_keywords",
        max_length=MAX_QUERY_LENGTH,
    )
    date_from = PartialDateFilter(label="From", method="filter_date_from")
    date_to = PartialDateFilter(label="To", method="filter_date_to")
    region = SlugsFilter(
        label="Region",
        queryset=Region.objects.all(),
        to_field_name="slug",
        method="filter_regions",
    )
    person = SlugsFilter(
        label="Person",
        queryset=Person.objects.public(),  # a name only drafts hold is not public
        to_field_name="slug",
        method="filter_people",
    )
    collection = SlugsFilter(
        label="Collection",
        queryset=Collection.objects.all(),
        to_field_name="slug",
        method="filter_collections",
    )
    language = django_filters.CharFilter(label="Language", max_length=10, method="filter_language")
    archive = django_filters.CharFilter(
        label="Original archive", max_length=300, method="filter_archive"
    )
    sort = django_filters.ChoiceFilter(
        label="Sort", choices=SortChoices.choices, method="filter_nothing", empty_label=None
    )

    class Meta:
        model = Document
        fields: list[str] = []

    @cached_property
    def parsed_query(self) -> ParsedQuery | None:
        if not self.is_bound:
            return None
        self.errors  # noqa: B018  validates, so cleaned_data holds the valid values
        value = self.form.cleaned_data.get("q")
        return parse_query(value) if value else None

    # Each filter narrows the documents and says the same of the facet table's row `f`
    # (`DocumentQuerySet.narrowed`), so facet counts match on the narrow rows.

    def filter_keywords(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not self.parsed_query or not self.parsed_query.clauses:
            return queryset  # nothing to search for (the notice says so)
        matched = search(queryset, self.parsed_query)
        if connection.vendor != "postgresql":  # SQLite counts without the facet table
            return matched
        # On the facet rows, the keyword reads the matching document `d`, which the facet
        # counts join once (and rank in the same pass: `FacetCondition.search`).
        tsquery = normalised_tsquery(self.parsed_query)
        return matched.with_facet_condition(queryset, FacetSQL.KEYWORD, [tsquery], search=tsquery)

    def filter_date_from(self, queryset: QuerySet, name: str, value: PartialDate) -> QuerySet:
        # A document matches when its span overlaps the range: it must not end before `from`.
        # The scope lets whole years be read from the years' precounted facets.
        return queryset.narrowed(
            Q(date_last__gte=value.first),
            FacetSQL.ENDS_FROM,
            [value.first],
            scope=f"from:{value.first.isoformat()}",
        )

    def filter_date_to(self, queryset: QuerySet, name: str, value: PartialDate) -> QuerySet:
        return queryset.narrowed(
            Q(date__lte=value.last),
            FacetSQL.BEGINS_BY,
            [value.last],
            scope=f"to:{value.last.isoformat()}",
        )

    def filter_regions(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        region_ids = Region.objects.descendant_ids(region.slug for region in value)
        links = Document.regions.through.objects.filter(
            document_id=OuterRef("pk"), region_id__in=region_ids
        )
        # A facet row lists every region above the document's places, so "under any of
        # these regions" is an overlap with the chosen regions themselves.
        return queryset.narrowed(
            Exists(links),
            FacetSQL.REGIONS_ANY,
            [[region.id for region in value]],
            scope=f"region:{value[0].id}" if len(value) == 1 else "",
        )

    def filter_people(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # All of them: one EXISTS per person keeps rows unique without DISTINCT.
        for person in value:
            queryset = queryset.narrowed(
                Exists(
                    DocumentParticipant.objects.filter(document_id=OuterRef("pk"), person=person)
                ),
                FacetSQL.PEOPLE_ALL,
                [[person.id]],
                scope=f"person:{person.id}",
            )
        return queryset

    def filter_collections(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        ids = [collection.id for collection in value]
        links = Document.collections.through.objects.filter(
            document_id=OuterRef("pk"), collection_id__in=ids
        )
        scope = f"collection:{ids[0]}" if len(ids) == 1 else ""
        return queryset.narrowed(Exists(links), FacetSQL.COLLECTIONS_ANY, [ids], scope=scope)

    def filter_language(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.narrowed(
            Q(language=value), FacetSQL.LANGUAGE, [value], scope=f"language:{value}"
        )

    def filter_archive(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.narrowed(
            Q(original_archive=value),
            FacetSQL.ARCHIVE,
            [value],
            scope=f"archive:{value}",
        )

    def filter_nothing(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # sorting is applied by `ordered`, after filtering and counting

    def clean_range(self) -> None:
        data = self.form.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end.last < start.first:
            self.form.add_error("date_to", f"“{end}” is before “{start}”.")
            data.pop("date_to", None)
            data.pop("date_from", None)

    @property
    def qs(self):
        if not hasattr(self, "_qs") and self.is_bound:
            self.errors  # noqa: B018  validate before clean_range looks at cleaned_data
            self.clean_range()
        return super().qs

    @property
    def sort_order(self) -> str:
        chosen = self.form.cleaned_data.get("sort") if self.is_bound else None
        has_query = bool(self.parsed_query and self.parsed_query.clauses)
        if chosen == SortChoices.RELEVANCE and not has_query:
            chosen = None
        return chosen or (SortChoices.RELEVANCE if has_query else SortChoices.DATE_DESC)

    def ordered(self, queryset: QuerySet) -> QuerySet:
        """The filtered documents in the order the researcher asked for."""
        sort = self.sort_order
        if sort != SortChoices.RELEVANCE:
            return queryset.order_by(*ORDERINGS[sort])
        parsed = self.parsed_query
        if connection.vendor == "postgresql":
            return postgres_ranked(queryset, parsed)
        # Without a search vector: a word in the title counts most, then summary, then text.
        score = Value(0, output_field=IntegerField())
        for word in parsed.words[:20]:
            for field_name, weight in (("title", 3), ("summary", 2), ("text", 1)):
                score = score + Case(
                    When(**{f"{field_name}__icontains": word}, then=Value(weight)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
        return queryset.annotate(relevance=score).order_by("-relevance", "-date", "-id")
