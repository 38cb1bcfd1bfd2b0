"""The document page's viewer: which versions it offers and which two it shows.

One version is shown first (the one asked for with `?version=<id>`, else the first
translation, else the first version), and beside it on a wide screen its counterpart: the
first original scan beside a translation or transcript, the first translation (or
transcript) beside an original. Every version is also a plain link (`?version=<id>#viewer`),
so without JavaScript each one is a page away; `static/js/viewer.js` switches in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from .inside import PageHits, document_page_hits
from .models import DocumentVersion, Kind, VersionPage

# The default of settings.ARCHIVE_DEFAULT_RIGHTS, for the catalogues (an installation's own
# statement is shown as it is unless its catalogues translate it too).
gettext_noop(
    "Rights not yet determined. You may read, download and cite this document for research; "
    "ask the archive before republishing it."
)

KIND_ORDER = [Kind.TRANSLATION, Kind.ORIGINAL, Kind.TRANSCRIPT]


@dataclass
class KindGroup:
    kind: str
    label: str
    versions: list[DocumentVersion] = field(default_factory=list)


@dataclass
class Viewer:
    versions: list[DocumentVersion]
    main: DocumentVersion
    beside: DocumentVersion | None
    groups: list[KindGroup]
    rights: str
    manifest_url: str = ""  # the IIIF manifest, once a page of a scan is ready
    manifest_absolute_url: str = ""
    inside_query: str = ""  # what the pages were searched for (?inside=, else the list's q)
    hits: list[PageHits] = field(default_factory=list)

    @property
    def hit_count(self) -> int:
        return sum(len(page.words) for page in self.hits)

    @property
    def shown(self) -> set[int]:
        return {self.main.pk, self.beside.pk} if self.beside else {self.main.pk}


def counterpart(main: DocumentVersion, versions: list[DocumentVersion]) -> DocumentVersion | None:
    """What is shown beside `main`: the scan beside a text, a text beside the scan."""
    if main.kind == Kind.ORIGINAL:
        for kind in (Kind.TRANSLATION, Kind.TRANSCRIPT):
            found = next((v for v in versions if v.kind == kind), None)
            if found:
                return found
        return None
    return next((v for v in versions if v.kind == Kind.ORIGINAL), None)


def document_viewer(request, document) -> Viewer | None:
    versions = list(document.versions.order_by("position", "id"))
    if not versions:
        return None
    for version in versions:
        version.document = document  # each one's URLs name the record, without a query
    wanted = request.GET.get("version", "")
    main = next((v for v in versions if wanted.isdigit() and v.pk == int(wanted)), None)
    if main is None:
        main = next((v for v in versions if v.kind == Kind.TRANSLATION), versions[0])
    manifest_url = ""
    scanned = any(v.kind == Kind.ORIGINAL for v in versions)
    if scanned and VersionPage.objects.ready().filter(version__document=document).exists():
        manifest_url = reverse("iiif:manifest", kwargs={"identifier": document.identifier})
    query = (request.GET.get("inside") or request.GET.get("q") or "").strip()[:200]
    hits = document_page_hits(document.pk, query) if manifest_url and query else []
    groups = []
    for kind in KIND_ORDER:
        members = [v for v in versions if v.kind == kind]
        if members:
            groups.append(KindGroup(kind, str(kind.label), members))
    return Viewer(
        versions=versions,
        main=main,
        beside=counterpart(main, versions),
        groups=groups,
        # The default statement is the archive's words: translated (a document's own is data).
        rights=document.rights or gettext(settings.ARCHIVE_DEFAULT_RIGHTS),
        manifest_url=manifest_url,
        manifest_absolute_url=request.build_absolute_uri(manifest_url) if manifest_url else "",
        inside_query=query if manifest_url else "",
        hits=hits,
    )
