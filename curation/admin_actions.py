"""The admin's "Merge selected …" action, shared by people, places and collections.

Choosing the action shows a page listing the selected records; the archivist picks the one
that survives and confirms, and the model's merge service does the rest (links, names,
history, search). Archivists may merge: a merge loses nothing, every merged record is kept in
the history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from .merging import MergeRefused


class MergeActionMixin:
    """Needs `merge_service = staticmethod(service)`, a service taking (*, survivor, others,
    user) and returning the number of documents changed, and a queryset that gives each
    record a `document_total`."""

    merge_service: Callable[..., int] | None = None
    actions = ["merge"]

    @admin.display(description="Documents", ordering="document_total")
    def document_count(self, record: Any) -> int:
        return record.document_total

    @admin.action(description="Merge selected %(verbose_name_plural)s…", permissions=["change"])
    def merge(self, request, queryset):
        chosen = list(queryset)
        opts = self.model._meta
        if len(chosen) < 2:
            self.message_user(
                request, f"Select two or more {opts.verbose_name_plural} to merge.", messages.ERROR
            )
            return None
        survivor_id = request.POST.get("survivor")
        if request.POST.get("confirm") == "yes" and survivor_id:
            survivor = next((obj for obj in chosen if str(obj.pk) == survivor_id), None)
            if survivor is None:
                self.message_user(request, "Choose which one to keep.", messages.ERROR)
            else:
                others = [obj for obj in chosen if obj.pk != survivor.pk]
                try:
                    changed = self.merge_service(
                        survivor=survivor, others=others, user=request.user
                    )
                except MergeRefused as refused:
                    self.message_user(request, f"Nothing merged: {refused}", messages.ERROR)
                else:
                    merged = ", ".join(f"“{other}”" for other in others)
                    self.message_user(
                        request,
                        f"Merged {merged} into “{survivor}”; {changed} document(s) changed.",
                        messages.SUCCESS,
                    )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge {opts.verbose_name_plural}",
            "opts": opts,
            "objects": chosen,
            "queryset": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": "merge",
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "curation/merge.html", context)
