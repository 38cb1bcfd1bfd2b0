from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.history import ArchiveHistoricalRecords
from core.identifiers import IDENTIFIER_PATTERN
from core.languages import language_name
from people.names import name_key

from .dates import DateSpan, PartialDate, Precision

if TYPE_CHECKING:
    from people.models import Person


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Role(models.TextChoices):
    AUTHOR = "author", _("Author")
    RECIPIENT = "recipient", _("Recipient")
    PARTICIPANT = "participant", _("Participant")
    MENTIONED = "mentioned", _("Mentioned")


class RegionQuerySet(models.QuerySet):
    def public_ids(self) -> set[int]:
        """The places the public may know of: those a published document is under, and those
        no document is under yet (the archive's tree of places); never one that only drafts
        name, which is an archivist's unpublished work.

        The tree is small (hundreds of places): one query for it, one probe of the links'
        index for each place and status, and a walk up the tree in Python.
        """
        links = Document.regions.through.objects.filter(region_id=OuterRef("pk"))
        published = links.filter(document__status=Status.PUBLISHED)
        rows = Region.objects.annotate(linked=Exists(links), shown=Exists(published))
        parents: dict[int, int | None] = {}
        linked_under: set[int] = set()
        shown_under: set[int] = set()
        for region_id, parent_id, linked, shown in rows.values_list(
            "id", "parent_id", "linked", "shown"
        ):
            parents[region_id] = parent_id
            if linked:
                linked_under.add(region_id)
            if shown:
                shown_under.add(region_id)
        for under in (linked_under, shown_under):  # a place is under every place above it
            for region_id in list(under):
                parent, seen = parents.get(region_id), {region_id}
                while parent is not None and parent not in seen:
                    seen.add(parent)
                    under.add(parent)
                    parent = parents.get(parent)
        return {pk for pk in parents if pk in shown_under or pk not in linked_under}

    def public(self):
        return self.filter(id__in=self.public_ids())

    def descendant_ids(self, slugs) -> set[int]:
        """The regions named by `slugs` and every region under them.

        The region tree is small (hundreds of places), so one query for all of it and a walk in
        Python beats a recursive query per filter.
        """
        wanted = set(slugs)
        rows = list(Region.objects.values_list("id", "parent_id", "slug"))
        children: dict[int | None, list[int]] = {}
        for region_id, parent_id, _slug in rows:
            children.setdefault(parent_id, []).append(region_id)
        found: set[int] = set()
        stack = [region_id for region_id, _parent, slug in rows if slug in wanted]
        while stack:
            region_id = stack.pop()
            if region_id not in found:
                found.add(region_id)
                stack.extend(children.get(region_id, []))
        return found

    def paths(self) -> dict[int, str]:
        """Every region's full path as the batch format writes it ("East Asia > China").

        The region tree is small, so one query for all of it serves a whole export.
        """
        rows = {row[0]: row for row in Region.objects.values_list("id", "parent_id", "name")}
        paths: dict[int, str] = {}
        for region_id in rows:
            names, node, seen = [], rows.get(region_id), set()
            while node is not None and node[0] not in seen:
                seen.add(node[0])
                names.append(node[2])
                node = rows.get(node[1]) if node[1] else None
            paths[region_id] = " > ".join(reversed(names))
        return paths


class Region(models.Model):
    name = models.CharField(
        max_length=200, help_text=_("E.g. “East Asia” or “North Korea”."), verbose_name=_("name")
    )
    slug = models.SlugField(max_length=200, unique=True, verbose_name=_("slug"))
    alternate_names = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "Other names of the place, e.g. [“DPRK”], as a JSON list (a merge keeps the "
            "merged places' names): an import that names one finds this place."
        ),
        verbose_name=_("alternate names"),
    )
    name_key = models.CharField(
        max_length=200, editable=False, unique=True, verbose_name=_("name key")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The world region this place sits under; empty for a world region."),
        verbose_name=_("parent"),
    )

    objects = RegionQuerySet.as_manager()
    history = ArchiveHistoricalRecords(excluded_fields=["name_key"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="region_not_its_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("documents:region-detail", kwargs={"slug": self.slug})


class CollectionQuerySet(models.QuerySet):
    def public(self):
        """The collections the public may know of: those with a published document, and
        empty ones; never one that holds only drafts."""
        links = Document.collections.through.objects.filter(collection_id=OuterRef("pk"))
        return self.filter(
            Q(Exists(links.filter(document__status=Status.PUBLISHED))) | ~Q(Exists(links))
        )

    def with_document_counts(self):
        """Each collection's number of published documents, as `document_count`."""
        return self.annotate(
            document_count=models.Count("documents", filter=Q(documents__status="published"))
        )


class Collection(models.Model):
    title = models.CharField(
        max_length=300,
        help_text=_("E.g. “Conversations with Kim Il Sung” (a topic on the site)."),
        verbose_name=_("title"),
    )
    slug = models.SlugField(max_length=200, unique=True, verbose_name=_("slug"))
    title_key = models.CharField(
        max_length=300, editable=False, unique=True, verbose_name=_("title key")
    )
    description = models.TextField(blank=True, verbose_name=_("description"))
    alternate_names = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "Other titles of the collection, as a JSON list (a merge keeps the merged "
            "collections' titles): an import that names one finds this collection."
        ),
        verbose_name=_("alternate names"),
    )

    objects = CollectionQuerySet.as_manager()
    history = ArchiveHistoricalRecords(excluded_fields=["title_key"])

    class Meta:
        ordering = ["title"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title_key = name_key(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("documents:collection-detail", kwargs={"slug": self.slug})


class DocumentQuerySet(models.QuerySet):
    def published(self):
        """The one definition of what the public may see."""
        return self.filter(status=Status.PUBLISHED)

    def embargoed(self):
        """Drafts held back until a day: the next to be released first."""
        return self.filter(status=Status.DRAFT, embargo_until__isnull=False).order_by(
            "embargo_until", "id"
        )

    def embargo_over(self, today):
        """Embargoed drafts whose day has come: what `release_embargoes` publishes."""
        return self.embargoed().filter(embargo_until__lte=today)

    def with_relations(self):
        """Everything a result list or a document page shows, in a fixed number of queries."""
        return self.prefetch_related(
            Prefetch(
                "participations",
                queryset=DocumentParticipant.objects.select_related("person").order_by(
                    "position", "id"
                ),
            ),
            Prefetch("regions", queryset=Region.objects.select_related("parent")),
            "collections",
        )


class Document(models.Model):
    identifier = models.CharField(
        max_length=100,
        validators=[
            RegexValidator(
                IDENTIFIER_PATTERN,
                _("Letters, digits, and . _ : - only, starting with a letter or digit."),
            )
        ],
        help_text=_("The stable record ID from the batch; it is the document's permanent URL."),
        verbose_name=_("identifier"),
    )
    title = models.CharField(max_length=500, verbose_name=_("title"))
    original_title = models.CharField(
        max_length=500,
        blank=True,
        help_text=_(
            "The title in the original's own language and script, as the original gives "
            "it (e.g. «Телеграмма А. И. Микояна в ЦК КПСС»); shown beside the title and searched."
        ),
        verbose_name=_("original title"),
    )
    date = models.DateField(
        help_text=_("The first day of the period: 1967-11-01 for a document of November 1967."),
        verbose_name=_("date"),
    )
    date_precision = models.CharField(
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text=_("How much of the date is known; “November 1967” is month precision."),
        verbose_name=_("date precision"),
    )
    date_end = models.DateField(
        null=True,
        blank=True,
        help_text=_("For a span (a visit, a conference): when it ended."),
        verbose_name=_("date end"),
    )
    date_end_precision = models.CharField(
        max_length=5, choices=Precision.choices, blank=True, verbose_name=_("date end precision")
    )
    date_last = models.DateField(
        editable=False,
        help_text=_("The last day the document's date covers; kept for date-range filtering."),
        verbose_name=_("date last"),
    )
    summary = models.TextField(blank=True, verbose_name=_("summary"))
    text = models.TextField(
        blank=True,
        help_text=_("The full text (translation or transcript)."),
        verbose_name=_("text"),
    )
    language = models.CharField(
        max_length=10,
        blank=True,
        help_text=_("ISO 639 code of the original's language, e.g. ru."),
        verbose_name=_("language"),
    )
    source = models.TextField(
        blank=True, help_text=_("The archival citation of the original."), verbose_name=_("source")
    )
    original_archive = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("The repository that holds the original."),
        verbose_name=_("original archive"),
    )
    rights = models.TextField(blank=True, verbose_name=_("rights"))
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PUBLISHED,
        help_text=_("Drafts are never shown to the public."),
        verbose_name=_("status"),
    )
    embargo_until = models.DateField(
        null=True,
        blank=True,
        help_text=_(
            "Held back until this day (a declassification date): the document stays a "
            "draft until then, and `manage.py release_embargoes` publishes it on the day."
        ),
        verbose_name=_("embargo until"),
    )
    first_published = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the document was first made public; a draft that never was has none."),
        verbose_name=_("first published"),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    modified = models.DateTimeField(auto_now=True, verbose_name=_("modified"))
    edited_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When an archivist last changed the document by hand (not by an import)."),
        verbose_name=_("edited at"),
    )
    import_batch = models.ForeignKey(
        "importing.ImportBatch",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="created_documents",
        help_text=_("The import that created the document."),
        verbose_name=_("import batch"),
    )
    last_import_batch = models.ForeignKey(
        "importing.ImportBatch",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="changed_documents",
        help_text=_("The import that last created or changed the document."),
        verbose_name=_("last import batch"),
    )
    import_record_hash = models.CharField(
        max_length=32,
        blank=True,
        editable=False,
        help_text=_("Digest of the batch record the document was last imported from exactly."),
        verbose_name=_("import record hash"),
    )
    import_fingerprint = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text=_(
            "A hash of each field as the last import left it, to tell archivists' edits "
            "from imported values."
        ),
        verbose_name=_("import fingerprint"),
    )

    regions = models.ManyToManyField(
        Region, blank=True, related_name="documents", verbose_name=_("regions")
    )
    collections = models.ManyToManyField(
        Collection, blank=True, related_name="documents", verbose_name=_("collections")
    )
    participants: models.ManyToManyField[Person, DocumentParticipant] = models.ManyToManyField(
        "people.Person",
        through="DocumentParticipant",
        blank=True,
        related_name="documents",
        verbose_name=_("participants"),
    )

    objects = DocumentQuerySet.as_manager()
    # Not a column: a search result's matching passage, set on the page's documents
    # (documents/selectors.py), HTML-safe.
    snippet: str = ""
    # Archivists' edits, publishing and merges; imports are audited by ImportBatch instead.
    history = ArchiveHistoricalRecords(excluded_fields=["import_fingerprint", "import_record_hash"])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = pgettext_lazy("model", "document")
        verbose_name_plural = pgettext_lazy("model", "documents")
        constraints = [
            # A named constraint rather than unique=True, which on PostgreSQL also builds a
            # second (pattern) index on the column that no query uses and every import pays
            # for: 0.8 s of a 100k-document import (bench/README.md).
            models.UniqueConstraint(fields=["identifier"], name="document_identifier_unique"),
            models.CheckConstraint(
                condition=Q(date_end__isnull=True) | Q(date_end__gte=F("date")),
                name="document_date_end_not_before_date",
            ),
            models.CheckConstraint(
                condition=Q(date_last__gte=F("date")), name="document_date_last_not_before_date"
            ),
            models.CheckConstraint(
                condition=Q(date_end__isnull=True, date_end_precision="")
                | Q(date_end__isnull=False, date_end_precision__in=Precision.values),
                name="document_date_end_has_precision",
            ),
            models.CheckConstraint(
                condition=Q(date_precision__in=Precision.values),
                name="document_date_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="document_status_valid"
            ),
        ]
        indexes = [
            # The order of every list of documents (-date, -id) and a date range, drafts
            # included: the admin lists both (bench/README.md, "The admin at a million").
            models.Index(fields=["date", "id"], name="document_date_idx"),
            # Drafts and embargoes, a small part of the archive: the admin's status filter,
            # its count, and what will be released next.
            models.Index(
                fields=["embargo_until", "id"],
                name="document_draft_idx",
                condition=Q(status="draft"),
            ),
            models.Index(
                fields=["date_last"],
                name="document_pub_date_last_idx",
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["title", "id"],
                name="document_pub_title_idx",
                condition=Q(status="published"),
            ),
            models.Index(fields=["language"], name="document_language_idx"),
            models.Index(fields=["original_archive"], name="document_archive_idx"),
            models.Index(fields=["modified"], name="document_modified_idx"),
            # Equality only (re-imports look records up by digest): a plain index, without
            # the pattern-matching twin `db_index=True` adds to a CharField.
            models.Index(fields=["import_record_hash"], name="document_record_hash_idx"),
        ]

    def __str__(self) -> str:
        # The date in the interface language: the admin's titles and lists show it.
        return f"{self.title} ({self.date_local})"

    def save(self, *args, **kwargs):
        self.apply_date_span(self.date_span)
        if self.status == Status.PUBLISHED and self.first_published is None:
            self.first_published = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", kwargs={"identifier": self.identifier})

    def clean(self) -> None:
        super().clean()
        if self.date_end and not self.date_end_precision:
            self.date_end_precision = Precision.DAY
        if not self.date_end:
            self.date_end_precision = ""
        if self.date:
            try:
                self.apply_date_span(self.date_span)
            except ValueError:
                raise ValidationError({"date_end": self._span_error()}) from None
        if self.under_embargo and self.status == Status.PUBLISHED:
            raise ValidationError(
                {
                    "status": gettext(
                        "It is under embargo until %(day)s: a draft until then. Clear the "
                        "embargo to publish it now."
                    )
                    % {"day": f"{self.embargo_until:%Y-%m-%d}"}
                }
            )

    def _span_error(self) -> str:
        """Why the end does not go with the start, as a whole sentence in the admin's language
        (`DateSpan`'s own message is the batch format's, in English)."""
        assert self.date_end is not None  # only a span can end before it begins
        start = PartialDate.normalised(self.date, self.date_precision)
        end = PartialDate.normalised(self.date_end, self.date_end_precision or Precision.DAY)
        dates = {"start": start.display(), "end": end.display()}
        if end.last < start.first:
            return gettext("The span ends (%(end)s) before it begins (%(start)s).") % dates
        return (
            gettext(
                "The span ends in %(end)s, which begins before %(start)s; give the end at least "
                "as precisely as the start."
            )
            % dates
        )

    @property
    def under_embargo(self) -> bool:
        return self.embargo_until is not None and self.embargo_until > timezone.localdate()

    @property
    def date_span(self) -> DateSpan:
        end = None
        if self.date_end:
            end = PartialDate.normalised(self.date_end, self.date_end_precision or Precision.DAY)
        return DateSpan(PartialDate.normalised(self.date, self.date_precision), end)

    def apply_date_span(self, span: DateSpan) -> None:
        """Store a date span in the date columns, with the derived last day."""
        self.date, self.date_precision = span.start.value, span.start.precision
        self.date_end = span.end.value if span.end else None
        self.date_end_precision = span.end.precision if span.end else ""
        self.date_last = span.last

    @property
    def date_display(self) -> str:
        try:
            return str(self.date_span)
        except ValueError:
            # An unsaved edit whose end precedes its start: the admin shows the form error,
            # and the page title must still render.
            return f"{self.date} – {self.date_end}"

    @property
    def date_local(self) -> str:
        """The date as pages show it, in the interface language (`date_display` is English,
        for citations, feeds and the admin's lists)."""
        try:
            return self.date_span.display()
        except ValueError:
            return self.date_display

    @property
    def language_name(self) -> str:
        return language_name(self.language) if self.language else ""

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class DocumentParticipant(models.Model):
    """A person in a document, with the part they play in it."""

    # No index of their own: the two-column indexes below lead with each of them, and every
    # index here is paid for by each link an import writes (hundreds of thousands).
    document = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        related_name="participations",
        db_index=False,
        verbose_name=_("document"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="participations",
        db_index=False,
        verbose_name=_("person"),
    )
    role = models.CharField(max_length=12, choices=Role.choices, blank=True, verbose_name=_("role"))
    position = models.PositiveSmallIntegerField(
        default=0, help_text=_("Order in which the source names them."), verbose_name=_("position")
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("document participant")
        verbose_name_plural = _("document participants")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "person"], name="participant_once_per_document"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["", *Role.values]), name="participant_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["person", "document"], name="participant_person_idx")]

    def __str__(self) -> str:
        return gettext("%(person)s in %(identifier)s") % {
            "person": self.person,
            "identifier": self.document.identifier,
        }


class PageRedirect(models.Model):
    """An old address of a person's, place's or collection's page, kept when it was merged
    into another or its slug changed: the old URL answers with a permanent redirect.

    Exactly one of `person`, `region`, `collection` is set; a slug redirects once per kind."""

    old_slug = models.SlugField(max_length=200, verbose_name=_("old slug"))
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("region"),
    )
    collection = models.ForeignKey(
        Collection,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("collection"),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    KINDS = ("person", "region", "collection")

    class Meta:
        ordering = ["old_slug"]
        verbose_name = _("page redirect")
        verbose_name_plural = _("page redirects")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, region__isnull=True, collection__isnull=True)
                    | Q(person__isnull=True, region__isnull=False, collection__isnull=True)
                    | Q(person__isnull=True, region__isnull=True, collection__isnull=False)
                ),
                name="page_redirect_one_target",
            ),
            *(
                models.UniqueConstraint(
                    fields=["old_slug"],
                    condition=Q(**{f"{kind}__isnull": False}),
                    name=f"page_redirect_{kind}_slug_unique",
                )
                for kind in ("person", "region", "collection")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.target}"

    @property
    def target(self):
        return self.person or self.region or self.collection


class IdentifierRedirect(models.Model):
    """An identifier a document used to have: its old permanent URL keeps working."""

    old_identifier = models.CharField(max_length=100, unique=True, verbose_name=_("old identifier"))
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("document")
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        ordering = ["old_identifier"]
        verbose_name = _("identifier redirect")
        verbose_name_plural = _("identifier redirects")

    def __str__(self) -> str:
        return f"{self.old_identifier} → {self.document.identifier}"


class IdArrayField(models.Field):
    """A list of row ids: `bigint[]` on PostgreSQL, JSON text on SQLite. No model uses it
    now; migrations 0007-0018 (the facet tables the search index replaced) still name it."""

    description = "A list of ids"

    def db_type(self, connection):
        return "bigint[]" if connection.vendor == "postgresql" else "text"
