"""`/data/`: the releases, and their files to download.

A release's file is served as it lies on disk (a `FileResponse`, no rendering), and never
changes once written, so it may be kept by any cache for a year.
"""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404, JsonResponse
from django.views.generic import ListView

from .models import Release, release_file_of
from .services import release_path

logger = logging.getLogger(__name__)

MEDIA_TYPES = {".gz": "application/gzip", ".json": "application/json", ".sha256": "text/plain"}


class ReleaseListView(ListView):
    model = Release
    template_name = "releases/release_list.html"
    context_object_name = "releases"


def release_index(request):
    """The releases as JSON, for scripts that fetch the newest one."""
    releases = [
        {
            "release": release.number,
            "published": release.published.isoformat(),
            "url": request.build_absolute_uri(release.get_absolute_url()),
            "sha256": release.sha256,
            "size": release.size,
            "documents": release.document_count,
            "added": release.added,
            "changed": release.changed,
            "withdrawn": release.withdrawn,
            "changelog": request.build_absolute_uri(release.changelog_url),
            "checksum": request.build_absolute_uri(release.checksum_url),
        }
        for release in Release.objects.all()
    ]
    return JsonResponse({"releases": releases})


def release_file(request, file_name: str):
    """A release's file, its changelog or its checksum; nothing else in the folder."""
    release = Release.objects.filter(file_name=release_file_of(file_name)).first()
    if release is None or file_name not in (
        release.file_name,
        release.changelog_name,
        release.checksum_name,
    ):
        raise Http404("No release has that file.")
    path = release_path(file_name)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        logger.error("Release %s: its file %s is missing", release.number, path)
        raise Http404("That release's file is missing; the archive's staff were told.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=file_name, content_type=MEDIA_TYPES[path.suffix]
    )
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
