"""The admin's "Merge selected …" action, shared by people, places and collections.

Choosing the action shows a page listing the selected records; the archivist picks the one
that survives and confirms, and the model's merge service does the rest (links, names,
history, search). Archivists may merge: a merge loses nothing, every merged record is kept in
the history.

Each admin gives its own sentences (`merge_texts`), whole, for the translators: a model's name
put into a sentence would be in the wrong case in Russian.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from .merging import MergeRefused


@dataclass(frozen=True)
class MergeTexts:
    """What the merge action says of one kind of record (lazy strings: `gettext_lazy`)."""

    too_few: Any  # "Select two or more people to merge."
    title: Any  # "Merge people"
    choose: Any  # "Choose the person to keep. …"


class MergeActionMixin:
    """Needs `merge_service = staticmethod(service)`, a service taking (*, survivor, others,
    user) and returning the number of documents changed; `merge_texts`; a `merge` action of
    its own (`@admin.action(description=…)` calling `merge_selected`); and a queryset that
    gives each record a `document_total`."""

    merge_service: Callable[..., int] | None = None
    merge_texts: MergeTexts
    actions = ["merge"]

    @admin.display(description=_("Documents"), ordering="document_total")
    def document_count(self, record: Any) -> int:
        return record.document_total

    def merge_selected(self, request, queryset):
        chosen = list(queryset)
        opts = self.model._meta
        texts = self.merge_texts
        if len(chosen) < 2:
            self.message_user(request, str(texts.too_few), messages.ERROR)
            return None
        survivor_id = request.POST.get("survivor")
        if request.POST.get("confirm") == "yes" and survivor_id:
            survivor = next((obj for obj in chosen if str(obj.pk) == survivor_id), None)
            if survivor is None:
                self.message_user(request, gettext("Choose which one to keep."), messages.ERROR)
            else:
                others = [obj for obj in chosen if obj.pk != survivor.pk]
                try:
                    changed = self.merge_service(
                        survivor=survivor, others=others, user=request.user
                    )
                except MergeRefused as refused:
                    self.message_user(
                        request,
                        gettext("Nothing merged: %(reason)s") % {"reason": refused},
                        messages.ERROR,
                    )
                else:
                    merged = pgettext("list separator", ", ").join(
                        pgettext("quoted name", "“%(name)s”") % {"name": other} for other in others
                    )
                    # "document(s)" in English in both forms, as before; other languages count.
                    message = ngettext(
                        "Merged %(merged)s into “%(survivor)s”; %(count)s document(s) changed.",
                        "Merged %(merged)s into “%(survivor)s”; %(count)s document(s) changed.",
                        changed,
                    )
                    self.message_user(
                        request,
                        message % {"merged": merged, "survivor": survivor, "count": changed},
                        messages.SUCCESS,
                    )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": texts.title,
            "choose": texts.choose,
            "opts": opts,
            "objects": chosen,
            "queryset": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": "merge",
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "curation/merge.html", context)
