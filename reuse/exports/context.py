"""What every export format needs besides the documents: names and absolute URLs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from documents.models import Document, Region


@dataclass
class ExportContext:
    archive_name: str
    absolute_url: Callable[[str], str]  # a path on this site to a full URL

    def url(self, document: Document) -> str:
        return self.absolute_url(document.get_absolute_url())

    @cached_property
    def region_paths(self) -> dict[int, str]:
        return Region.objects.paths()
