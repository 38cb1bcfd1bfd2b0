"""What every export format needs besides the documents: names and absolute URLs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from ..models import Document, Region


def region_paths() -> dict[int, str]:
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


@dataclass
class ExportContext:
    archive_name: str
    absolute_url: Callable[[str], str]  # a path on this site to a full URL

    def url(self, document: Document) -> str:
        return self.absolute_url(document.get_absolute_url())

    @cached_property
    def region_paths(self) -> dict[int, str]:
        return region_paths()
