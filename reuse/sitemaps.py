"""sitemap.xml over what the public can read, and robots.txt pointing at it.

Documents are the published ones; people, places and collections are those whose page lists
at least one published document (a place counts the documents of the places under it), so
no page exists in the sitemap only because of a draft.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Q
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from documents.models import Collection, Document, DocumentParticipant, Region, Status
from people.models import Person


class DocumentSitemap(Sitemap):
    def items(self):
        return Document.objects.published().only("identifier", "modified").order_by("id")

    def lastmod(self, item):
        return item.modified


class PersonSitemap(Sitemap):
    def items(self):
        published = DocumentParticipant.objects.filter(
            person_id=OuterRef("pk"), document__status=Status.PUBLISHED
        )
        return (
            Person.objects.filter(Exists(published))
            .annotate(
                last_modified=Max(
                    "participations__document__modified",
                    filter=Q(participations__document__status=Status.PUBLISHED),
                )
            )
            .only("slug")
            .order_by("id")
        )

    def lastmod(self, item):
        return item.last_modified


class RegionSitemap(Sitemap):
    def items(self):
        parents = dict(Region.objects.values_list("id", "parent_id"))
        links = Document.regions.through.objects.filter(
            region_id=OuterRef("pk"), document__status=Status.PUBLISHED
        )
        shown: set[int] = set()
        for region_id in Region.objects.filter(Exists(links)).values_list("id", flat=True):
            while region_id is not None and region_id not in shown:
                shown.add(region_id)  # a place with documents, and every place above it
                region_id = parents.get(region_id)
        return Region.objects.filter(id__in=shown).only("slug").order_by("id")


class CollectionSitemap(Sitemap):
    def items(self):
        return (
            Collection.objects.annotate(
                last_modified=Max(
                    "documents__modified", filter=Q(documents__status=Status.PUBLISHED)
                )
            )
            .filter(last_modified__isnull=False)
            .only("slug")
            .order_by("id")
        )

    def lastmod(self, item):
        return item.last_modified


class PageSitemap(Sitemap):
    """The browse pages."""

    def items(self):
        return [
            "documents:home",
            "documents:list",
            "people:list",
            "documents:region-list",
            "documents:collection-list",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "documents": DocumentSitemap,
    "people": PersonSitemap,
    "regions": RegionSitemap,
    "collections": CollectionSitemap,
}


def _language_prefixes() -> list[str]:
    """ "" for the default language's plain addresses, "/ru" … for the others."""
    return [
        "" if code == settings.LANGUAGE_CODE else f"/{code}" for code, _name in settings.LANGUAGES
    ]


@require_GET
def robots_txt(request) -> HttpResponse:
    """Crawl the pages, not the admin or the generated files; the sitemap lists them all.

    OAI-PMH stays open: some harvesters honour robots.txt.
    """
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /*/export.",
        "Disallow: /*/feed/",
        # Researchers' own pages, in every interface language: sign-in forms, folders (a
        # shared one is a private link) and saved searches.
        *(
            f"Disallow: {prefix}/{section}/"
            for prefix in _language_prefixes()
            for section in ("accounts", "folders", "searches")
        ),
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
