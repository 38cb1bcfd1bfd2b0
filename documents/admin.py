from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_search import NulSafeSearchMixin
from core.languages import language_name
from core.paging import EstimatedCountPaginator
from search import engine
from search import index as search_index
from search.engine import Sort
from search.outbox import documents_changed
from search.queries import Criteria, parse_query
from versions.admin import DocumentVersionInline

from .filters import MAX_QUERY_LENGTH
from .models import (
    Document,
    DocumentParticipant,
    IdentifierRedirect,
    PageRedirect,
    Status,
)
from .services import (
    document_mark_edited,
    document_rename,
    documents_publish,
    documents_unpublish,
)


def _batch_link(batch_id: int | None) -> str:
    if batch_id is None:
        return "—"
    url = reverse("admin:importing_importbatch_change", args=[batch_id])
    return format_html(
        '<a href="{}">{}</a>', url, gettext("Import #%(number)s") % {"number": batch_id}
    )


class DocumentParticipantInline(admin.TabularInline):
    model = DocumentParticipant
    autocomplete_fields = ["person"]
    extra = 1
    fields = ["person", "role", "position"]


# How many published documents a word search of the admin takes from the search index.
ADMIN_SEARCH_LIMIT = 10_000


def _published_counts(request):
    """The index's years and languages over every published document, counted once for the
    changelist's two filters; None when the index cannot answer (the admin then offers no
    choices, and filters still work by URL)."""
    if not hasattr(request, "archive_index_counts"):
        try:
            request.archive_index_counts = engine.counts(Criteria(), ("year", "language"))
        except search_index.IndexUnavailable:
            request.archive_index_counts = None
    return request.archive_index_counts


class YearFilter(admin.SimpleListFilter):
    """By year, from the search index's years (Django's date_hierarchy read every row's date
    twice: 0.7 s at a million documents). A year only drafts have is not offered; asked by
    URL (`?date__year=1956`) it still filters."""

    title = _("year")
    parameter_name = "date__year"

    def lookups(self, request, model_admin):
        counts = _published_counts(request)
        years = sorted((year for year, _ in counts.years), reverse=True) if counts else []
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value() or ""
        return queryset.filter(date__year=int(value)) if value.isdigit() else queryset


class LanguageFilter(admin.SimpleListFilter):
    """By the original's language, from the search index (a DISTINCT over every document was
    0.25 s at a million); any code still filters by URL (`?language=pl`)."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        counts = _published_counts(request)
        codes = sorted(code for code, _ in counts.languages) if counts else []
        return [(code, language_name(code)) for code in codes]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


class EmbargoFilter(admin.SimpleListFilter):
    """Drafts held back until a day, the next to be released first; and those whose day has
    come but that `release_embargoes` has not published yet."""

    title = _("embargo")
    parameter_name = "embargo"

    def lookups(self, request, model_admin):
        return [
            ("held", _("Under embargo (next release first)")),
            ("due", _("Due for release")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "held":
            return queryset.embargoed().filter(embargo_until__gt=today)
        if self.value() == "due":
            return queryset.embargo_over(today)
        return queryset


@admin.register(Document)
class DocumentAdmin(NulSafeSearchMixin, SimpleHistoryAdmin):
    """Documents, with their edit history (the History button: who changed which field from
    what to what, and when) and revert (open an earlier version, save it)."""

    list_display = [
        "identifier",
        "title",
        "date_display",
        "status",
        "embargo_until",
        "language",
        "modified",
    ]
    list_display_links = ["identifier", "title"]
    list_filter = [
        "status",
        EmbargoFilter,
        YearFilter,
        "date_precision",
        LanguageFilter,
        "collections",
        "import_batch",
    ]
    search_fields = ["identifier", "title", "summary"]
    autocomplete_fields = ["regions", "collections"]
    inlines = [DocumentParticipantInline, DocumentVersionInline]
    readonly_fields = [
        "date_last",
        "created",
        "modified",
        "edited_at",
        "import_batch_link",
        "last_import_batch_link",
    ]
    actions = ["publish", "unpublish"]
    # Full counts on every changelist page get slow at a million rows: no second count of
    # the whole table beside a filtered one, and an estimate when unfiltered.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    fieldsets = [
        (
            None,
            {"fields": ["identifier", "title", "original_title", ("status", "embargo_until")]},
        ),
        (
            _("Date"),
            {
                "fields": [("date", "date_precision"), ("date_end", "date_end_precision")],
                "description": _(
                    "Enter the first day of the period: 1967-11-01 with precision “Month” is "
                    "November 1967."
                ),
            },
        ),
        (_("Content"), {"fields": ["summary", "text", "language"]}),
        (_("Source"), {"fields": ["source", "original_archive", "rights"]}),
        (_("Links"), {"fields": ["regions", "collections"]}),
        (
            _("Record"),
            {
                "fields": [
                    ("import_batch_link", "last_import_batch_link"),
                    ("created", "modified", "edited_at"),
                    "date_last",
                ]
            },
        ),
    ]

    @admin.display(description=_("Date"), ordering="date")
    def date_display(self, document: Document) -> str:
        return document.date_local

    @admin.display(description=_("Came from"))
    def import_batch_link(self, document: Document) -> str:
        return _batch_link(document.import_batch_id)

    @admin.display(description=_("Last changed by import"))
    def last_import_batch_link(self, document: Document) -> str:
        return _batch_link(document.last_import_batch_id)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        documents_changed([form.instance.pk])
        # A hand edit: imports keep it, and undoing an earlier import will not overwrite it.
        if form.has_changed() or any(formset.has_changed() for formset in formsets):
            document_mark_edited(document=form.instance)

    def save_model(self, request, obj, form, change):
        # From the database, not the form: a revert's form starts from the old version.
        old_identifier = (
            Document.objects.filter(pk=obj.pk).values_list("identifier", flat=True).first()
            if change
            else None
        )
        super().save_model(request, obj, form, change)
        if old_identifier and old_identifier != obj.identifier:
            document_rename(document=obj, old_identifier=old_identifier)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Revert: saving an earlier version is a hand edit like any other."""
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            document = Document.objects.filter(pk=object_id).first()
            if document is not None:
                documents_changed([document.pk])
                document_mark_edited(document=document)
        return response

    def _report(self, request, message: str) -> None:
        self.message_user(request, message, messages.SUCCESS)

    def get_search_results(self, request, queryset, search_term):
        """An exact record ID is found by its unique index; words find published documents
        through the search index (its query language: stemmed words, all of them, "phrases")
        and drafts by their identifier, title and summary. (A substring search of three
        columns read every row: 4 s at a million documents.)"""
        term = search_term.replace("\x00", "").strip()
        if not term:
            return queryset, False
        exact = queryset.filter(identifier=term)
        if len(term) <= 100 and exact.exists():
            return exact, False
        drafts = queryset.filter(status=Status.DRAFT).filter(
            Q(identifier__icontains=term) | Q(title__icontains=term) | Q(summary__icontains=term)
        )
        parsed = parse_query(term[:MAX_QUERY_LENGTH])
        try:
            published = engine.all_ids(
                Criteria(keywords=parsed), sort=Sort.RELEVANCE, limit=ADMIN_SEARCH_LIMIT
            )
        except search_index.IndexUnavailable:  # the index is being rebuilt: the slow way
            return super().get_search_results(request, queryset, term)
        # One list of ids, not `id IN (…) OR id IN (subquery)`: PostgreSQL answers an OR of
        # the two by reading every row, a list by the primary key (bench/README.md).
        found = [*published, *drafts.values_list("id", flat=True)[:ADMIN_SEARCH_LIMIT]]
        return queryset.filter(id__in=found), False

    def get_ordering(self, request):
        if request.GET.get(EmbargoFilter.parameter_name):
            return ["embargo_until", "id"]  # what will be released next, first
        return super().get_ordering(request)

    @admin.action(description=_("Publish selected documents"), permissions=["change"])
    def publish(self, request, queryset):
        changed = documents_publish(documents=queryset, user=request.user)
        self._report(
            request,
            ngettext("%d document published.", "%d documents published.", changed) % changed,
        )

    @admin.action(
        description=_("Unpublish selected documents (make them drafts)"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        changed = documents_unpublish(documents=queryset, user=request.user)
        self._report(
            request,
            ngettext("%d document unpublished.", "%d documents unpublished.", changed) % changed,
        )


@admin.register(PageRedirect)
class PageRedirectAdmin(admin.ModelAdmin):
    """Old addresses of people's, places' and collections' pages (merges, new slugs)."""

    list_display = ["old_slug", "target_display", "created"]
    list_select_related = ["person", "region", "collection"]
    search_fields = ["old_slug"]
    readonly_fields = ["old_slug", "person", "region", "collection", "created"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # made by merges and new slugs

    @admin.display(description=_("Target"))
    def target_display(self, redirect: PageRedirect):
        return redirect.target


@admin.register(IdentifierRedirect)
class IdentifierRedirectAdmin(NulSafeSearchMixin, admin.ModelAdmin):
    list_display = ["old_identifier", "document", "created"]
    list_select_related = ["document"]
    search_fields = ["old_identifier", "document__identifier"]
    autocomplete_fields = ["document"]
    show_full_result_count = False
