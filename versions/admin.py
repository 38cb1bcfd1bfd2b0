"""Versions are edited inline on the document (documents/admin.py adds the inline): upload,
order, replace (choose a new file) and remove (tick Delete) a scan, transcript or translation.

Each upload is checked by its content (`contents.examine`) before anything is stored; a file
that is not what it says, too large, or the wrong type for its kind is refused with the reason.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from core.languages import language_code

from .contents import TYPES_OF_KIND, FileRefused, accepted_extensions, examine
from .models import DocumentVersion, PageState, VersionPage
from .services import version_clear_file, version_store_file


class DocumentVersionForm(forms.ModelForm):
    class Meta:
        model = DocumentVersion
        fields = ["kind", "language", "position", "file", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "cols": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.contents = None
        self.fields["file"].widget.attrs["accept"] = ",".join(accepted_extensions())

    def clean_language(self) -> str:
        value = self.cleaned_data["language"]
        code = language_code(value)
        if code is None:
            raise forms.ValidationError(
                gettext(
                    "“%(value)s” is not a language the archive knows: write an ISO 639 code "
                    "such as ru, or a name such as Russian."
                )
                % {"value": value}
            )
        return code

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        upload = cleaned.get("file")
        text = (cleaned.get("text") or "").strip()
        cleaned["text"] = text
        if not kind:
            return cleaned
        if upload and "file" in self.changed_data:  # a new file (a first one, or a replacement)
            try:
                self.contents = examine(upload, upload.name, kind)
            except FileRefused as refused:
                self.add_error(
                    "file",
                    gettext("“%(name)s” %(problem)s.") % {"name": upload.name, "problem": refused},
                )
        elif upload and self.instance.content_type not in TYPES_OF_KIND[kind]:
            self.add_error(
                "kind", gettext("The file this version has is not one this kind of version may be.")
            )
        if not upload and not text:
            self.add_error(None, gettext("Give the version a file, or type its text."))
        elif not upload and kind == "original":
            self.add_error("file", gettext("An original scan is a file: a PDF or an image."))
        return cleaned

    def save(self, commit: bool = True):
        version = self.instance
        upload = self.cleaned_data.get("file")
        if self.contents is not None and upload:
            version_store_file(version, upload, self.contents, original_name=upload.name)
        elif not upload and "file" in self.changed_data:
            version_clear_file(version)
        return super().save(commit)


def _pages_summary(version: DocumentVersion) -> str:
    """How far OCR is with the scan's pages, with the way to correct them."""
    if version.pages_of != version.sha256:
        return gettext("Pages: waiting for `manage.py ocr_versions` to draw and read them.")
    states = dict(version.pages.values_list("state").annotate(count=Count("id")).order_by())
    link = (
        reverse("admin:versions_versionpage_changelist")
        + "?"
        + urlencode({"q": version.document.identifier})
    )
    counts = gettext("Pages: %(ready)s ready, %(waiting)s waiting, %(failed)s failed") % {
        "ready": states.get(PageState.DONE, 0),
        "waiting": states.get(PageState.PENDING, 0),
        "failed": states.get(PageState.FAILED, 0),
    }
    return format_html(
        '{} — <a href="{}">{}</a>', counts, link, gettext("the pages and their text")
    )


class DocumentVersionInline(admin.StackedInline):
    """On the document's page: its scans, transcripts and translations."""

    model = DocumentVersion
    form = DocumentVersionForm
    extra = 0
    fields = [("kind", "language", "position"), "file", "text", "file_facts"]
    readonly_fields = ["file_facts"]
    ordering = ["position", "id"]
    verbose_name = _("version (scan, transcript or translation)")
    verbose_name_plural = _("Versions: original scans, transcripts and translations")

    @admin.display(description=_("What the file holds"))
    def file_facts(self, version: DocumentVersion) -> str:
        if not version.pk or not version.file:
            return "—"
        # "page(s)" in English in both forms, as before; other languages count.
        pages = (
            ngettext("%(count)s page(s)", "%(count)s page(s)", version.page_count)
            % {"count": version.page_count}
            if version.page_count
            else ""
        )
        characters = len(version.extracted_text)
        text = (
            ngettext(
                "%(count)s character of text inside",
                "%(count)s characters of text inside",
                characters,
            )
            % {"count": number_format(characters, force_grouping=True)}
            if characters
            else gettext("no text inside")
        )
        picture = (
            format_html(
                '<img src="{}" alt="{}" width="120" class="version-thumbnail"><br>',
                version.thumbnail_url,
                gettext("First page"),
            )
            if version.thumbnail
            else ""
        )
        listed = pgettext("list separator", ", ").join(
            part for part in (filesizeformat(version.size or 0), pages, text) if part
        )
        facts = format_html(
            '{}{} ({}) — <a href="{}">{}</a> · <a href="{}">{}</a>',
            picture,
            version.type_label,
            listed,
            version.file_url,
            pgettext("a version's file", "view"),
            version.download_url,
            pgettext("a version's file", "download"),
        )
        if version.kind != "original":
            return facts
        return format_html("{}<br>{}", facts, _pages_summary(version))


@admin.register(VersionPage)
class VersionPageAdmin(admin.ModelAdmin):
    """The pages of scans: what OCR read on each, corrected by archivists; failed pages and
    their reasons; "Read again" for pages to be drawn and read anew (corrections are kept)."""

    list_display = ["__str__", "record", "state", "text_source", "ocr_languages", "corrected"]
    list_filter = ["state", "text_source"]
    list_select_related = ["version__document"]
    search_fields = ["=version__document__identifier"]
    search_help_text = _("A record ID, exactly.")
    ordering = ["version__document__identifier", "version__position", "number"]
    fields = [
        "page_image",
        ("state", "text_source", "ocr_languages"),
        "error",
        "ocr_text",
        "corrected_text",
        ("attempts", "processed"),
    ]
    readonly_fields = [
        "page_image",
        "state",
        "text_source",
        "ocr_languages",
        "error",
        "ocr_text",
        "attempts",
        "processed",
    ]
    actions = ["read_again"]

    def has_add_permission(self, request) -> bool:
        return False  # pages come with their scan (manage.py ocr_versions makes them)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # and go with it

    @admin.display(description=_("Record"))
    def record(self, page: VersionPage) -> str:
        return page.version.document.identifier

    @admin.display(description=_("Corrected"), boolean=True)
    def corrected(self, page: VersionPage) -> bool:
        return bool(page.corrected_text)

    @admin.display(description=_("Page"))
    def page_image(self, page: VersionPage) -> str:
        if page.state != PageState.DONE:
            return "—"
        image = reverse("iiif:image", kwargs={"image_id": page.image_id})
        return format_html(
            '<a href="{}/full/max/0/default.jpg"><img src="{}/full/!400,400/0/default.jpg" '
            'alt="{}" class="version-thumbnail"></a>',
            image,
            image,
            gettext("Page %(number)s") % {"number": page.number},
        )

    @admin.action(description=_("Read the selected pages again (corrections are kept)"))
    def read_again(self, request, queryset):
        count = queryset.update(state=PageState.PENDING, attempts=0, error="", claimed_until=None)
        # "page(s)" in English in both forms, as before; other languages count.
        message = ngettext(
            "%(count)s page(s) will be read again by `manage.py ocr_versions` (the `pages` "
            "service); their corrections are kept.",
            "%(count)s page(s) will be read again by `manage.py ocr_versions` (the `pages` "
            "service); their corrections are kept.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
