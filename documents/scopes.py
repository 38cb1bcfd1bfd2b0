"""Which documents a result list holds before the researcher's filters: its scope.

A scope is a value: the whole archive, a person's documents, a place's or a collection's.
The pages, the API, exports, feeds, facet pages and a document's previous/next links all
build one, from a page's URL arguments (`DocumentScope.of`) or from the path of the list a
link came from (`DocumentScope.from_path`), and ask it for its criteria, title and paths, so
they never disagree about what "this person's documents" are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from people.models import Person
from search.queries import Criteria

from .models import Collection, PageRedirect, Region


class ScopeKind(models.TextChoices):
    ARCHIVE = "archive", _("All documents")
    PERSON = "person", _("A person's documents")
    REGION = "region", _("A place's documents")
    COLLECTION = "collection", _("A collection's documents")


class PageMoved(Exception):
    """The page asked for was merged into another or renamed: `to` is where it is now
    (documents/middleware.py answers with a permanent redirect there)."""

    def __init__(self, old_slug: str, to: Person | Region | Collection):
        super().__init__(f"{old_slug} is now {to.slug}")
        self.old_slug, self.to = old_slug, to


def _moved(kind: str, slug: str | None) -> PageMoved | None:
    if not slug:
        return None
    redirect = (
        PageRedirect.objects.filter(old_slug=slug, **{f"{kind}__isnull": False})
        .select_related(kind)
        .first()
    )
    return PageMoved(slug, getattr(redirect, kind)) if redirect else None


def _staff(user) -> bool:
    """Archivists may look at what only drafts name; to everyone else it does not exist."""
    return user is not None and user.is_authenticated and user.is_staff


# The result pages whose path names a scope, by URL name.
_PAGES = {
    "documents:list": ScopeKind.ARCHIVE,
    "people:detail": ScopeKind.PERSON,
    "documents:region-detail": ScopeKind.REGION,
    "documents:collection-detail": ScopeKind.COLLECTION,
}


@dataclass(frozen=True)
class DocumentScope:
    kind: ScopeKind
    subject: Person | Region | Collection | None = None

    @classmethod
    def archive(cls) -> DocumentScope:
        return cls(ScopeKind.ARCHIVE)

    @classmethod
    def of(cls, kind: str, slug: str | None = None, *, user=None) -> DocumentScope:
        """The scope of this kind for this slug; Http404 when there is no such subject, or
        when it is a person no published document names (staff may still look)."""
        if kind == ScopeKind.ARCHIVE:
            return cls.archive()
        if kind == ScopeKind.PERSON:
            person = Person.objects.filter(slug=slug).first()
            if person is None:
                raise _moved("person", slug) or Http404("No such person.")
            if not _staff(user) and not Person.objects.filter(pk=person.pk).first_public():
                raise Http404("No published document names this person.")
            return cls(ScopeKind.PERSON, person)
        if kind == ScopeKind.REGION:
            region = Region.objects.select_related("parent").filter(slug=slug).first()
            if region is None:
                raise _moved("region", slug) or Http404("No such place.")
            if not (_staff(user) or region.id in Region.objects.public_ids()):
                raise Http404("No such place.")
            return cls(ScopeKind.REGION, region)
        if kind == ScopeKind.COLLECTION:
            found = Collection.objects.filter(slug=slug)
            if not found.exists():
                raise _moved("collection", slug) or Http404("No such collection.")
            collection = (found if _staff(user) else found.public()).first()
            if collection is None:
                raise Http404("No such collection.")
            return cls(ScopeKind.COLLECTION, collection)
        raise ValueError(f"no scope kind {kind!r}")

    @classmethod
    def from_path(cls, path: str | None, *, user=None) -> DocumentScope | None:
        """The scope of the result page at `path` (a link's `list` parameter); None for
        anything that is not one of the archive's result pages."""
        if not path or not path.startswith("/") or len(path) > 500:
            return None
        try:
            match = resolve(path.split("?", 1)[0])
        except Resolver404:
            return None
        kind = _PAGES.get(match.view_name)
        if kind is None:
            return None
        try:
            return cls.of(kind, match.kwargs.get("slug"), user=user)
        except PageMoved as moved:  # a link from before a merge: the survivor's list
            return cls.of(kind, moved.to.slug, user=user)
        except Http404:
            return None

    @property
    def criteria(self) -> Criteria:
        """The scope's documents as the index's criteria (published documents only)."""
        subject = self.subject
        if isinstance(subject, Person):
            return Criteria(people=(subject.pk,))
        if isinstance(subject, Region):
            return Criteria(regions=((subject.pk,),))
        if isinstance(subject, Collection):
            return Criteria(collections=((subject.pk,),))
        return Criteria()

    @property
    def exclude_person(self) -> Person | None:
        """On a person's list, the person is left out of the people facet (they are in all)."""
        return self.subject if isinstance(self.subject, Person) else None

    @property
    def title(self) -> str:
        """What the list is called: on its exports, feeds and the pages that link back."""
        subject = self.subject
        if isinstance(subject, Collection):
            return subject.title
        return subject.name if subject is not None else gettext("All documents")

    @property
    def name(self) -> str:
        """For file names: "documents", "person-anastas-mikoyan", "region-east-asia"…"""
        if self.subject is None:
            return "documents"
        return f"{self.kind}-{self.subject.slug}"

    @property
    def path(self) -> str:
        """The result page's path."""
        if self.subject is None:
            return reverse("documents:list")
        return self.subject.get_absolute_url()
