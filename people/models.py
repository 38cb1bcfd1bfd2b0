from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.history import ArchiveHistoricalRecords

from .names import format_life_dates, name_key


def _published_participations() -> models.QuerySet:
    """Participations in published documents: what makes a person public."""
    from django.apps import apps

    participations = apps.get_model("documents", "DocumentParticipant").objects
    return participations.filter(document__status="published")


class PersonQuerySet(models.QuerySet):
    def public(self):
        """People named in at least one published document; the rest are unpublished data."""
        return self.filter(Exists(_published_participations().filter(person_id=OuterRef("pk"))))

    def first_public(self):
        """The first of these people by id who is public (as `public` says), or None. Asked
        of their published documents' participations, which stops at the first one found:
        as a filter, `public` has PostgreSQL hash all of a person's participations (200k
        for the busiest of a million documents) to answer for one person."""
        first = (
            _published_participations()
            .filter(person__in=self.values("pk"))
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .first()
        )
        return None if first is None else self.model.objects.get(pk=first)

    def with_document_counts(self):
        """Each person's number of published documents, as `document_count`."""
        return self.annotate(
            document_count=Count(
                "participations",
                filter=Q(participations__document__status="published"),
            )
        )

    def matching_name(self, name: str):
        return self.filter(name_key=name_key(name))


class Person(models.Model):
    name = models.CharField(
        max_length=300,
        help_text=_("The name as the sources write it, e.g. “Kim Il Sung”."),
        verbose_name=_("name"),
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text=_("Used in the person's URL."),
        verbose_name=_("slug"),
    )
    name_key = models.CharField(
        max_length=300,
        editable=False,
        db_index=True,
        help_text=_("The name folded for matching (no accents, case or punctuation)."),
        verbose_name=_("name key"),
    )
    birth_year = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("birth year")
    )
    death_year = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("death year")
    )
    alternate_names = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Other names and spellings, e.g. [“Mao Tse-tung”], as a JSON list."),
        verbose_name=_("alternate names"),
    )
    biography = models.TextField(
        blank=True,
        help_text=_("A short biography for the person's page."),
        verbose_name=_("biography"),
    )

    objects = PersonQuerySet.as_manager()
    history = ArchiveHistoricalRecords(excluded_fields=["name_key"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(death_year__isnull=True)
                | Q(death_year__gte=F("birth_year")),
                name="person_death_not_before_birth",
            ),
        ]

    def __str__(self) -> str:
        dates = self.life_dates
        return f"{self.name} ({dates})" if dates else self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("people:detail", kwargs={"slug": self.slug})

    @property
    def life_dates(self) -> str:
        return format_life_dates(self.birth_year, self.death_year)
