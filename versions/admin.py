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
from django.utils.html import format_html
from django.utils.http import urlencode

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
                f"“{value}” is not a language the archive knows: write an ISO 639 code "
                "such as ru, or a name such as Russian."
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
                self.add_error("file", f"“{upload.name}” {refused}.")
        elif upload and self.instance.content_type not in TYPES_OF_KIND[kind]:
            self.add_error(
                "kind", "The file this version has is not one this kind of version may be."
            )
        if not upload and not text:
            self.add_error(None, "Give the version a file, or type its text.")
        elif not upload and kind == "original":
            self.add_error("file", "An original scan is a file: a PDF or an image.")
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
        return "Pages: waiting for `manage.py ocr_versions` to draw and read them."
    states = dict(version.pages.values_list("state").annotate(count=Count("id")).order_by())
    link = (
        reverse("admin:versions_versionpage_changelist")
        + "?"
        + urlencode({"q": version.document.identifier})
    )
    return format_html(
        'Pages: {} ready, {} waiting, {} failed — <a href="{}">the pages and their text</a>',
        states.get(PageState.DONE, 0),
        states.get(PageState.PENDING, 0),
        states.get(PageState.FAILED, 0),
        link,
    )


class DocumentVersionInline(admin.StackedInline):
    """On the document's page: its scans, transcripts and translations."""

    model = DocumentVersion
    form = DocumentVersionForm
    extra = 0
    fields = [("kind", "language", "position"), "file", "text", "file_facts"]
    readonly_fields = ["file_facts"]
    ordering = ["position", "id"]
    verbose_name = "version (scan, transcript or translation)"
    verbose_name_plural = "Versions: original scans, transcripts and translations"

    @admin.display(description="What the file holds")
    def file_facts(self, version: DocumentVersion) -> str:
        if not version.pk or not version.file:
            return "—"
        pages = f", {version.page_count} page(s)" if version.page_count else ""
        text = (
            f", {len(version.extracted_text):,} characters of text inside"
            if version.extracted_text
            else ", no text inside"
        )
        picture = (
            format_html(
                '<img src="{}" alt="First page" width="120" class="version-thumbnail"><br>',
                version.thumbnail_url,
            )
            if version.thumbnail
            else ""
        )
        facts = format_html(
            '{}{} ({}{}{}) — <a href="{}">view</a> · <a href="{}">download</a>',
            picture,
            version.type_label,
            filesizeformat(version.size or 0),
            pages,
            text,
            version.file_url,
            version.download_url,
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
    search_help_text = "A record ID, exactly."
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

    @admin.display(description="Record")
    def record(self, page: VersionPage) -> str:
        return page.version.document.identifier

    @admin.display(description="Corrected", boolean=True)
    def corrected(self, page: VersionPage) -> bool:
        return bool(page.corrected_text)

    @admin.display(description="Page")
    def page_image(self, page: VersionPage) -> str:
        if page.state != PageState.DONE:
            return "—"
        image = reverse("iiif:image", kwargs={"image_id": page.image_id})
        return format_html(
            '<a href="{}/full/max/0/default.jpg"><img src="{}/full/!400,400/0/default.jpg" '
            'alt="Page {}" class="version-thumbnail"></a>',
            image,
            image,
            page.number,
        )

    @admin.action(description="Read the selected pages again (corrections are kept)")
    def read_again(self, request, queryset):
        count = queryset.update(state=PageState.PENDING, attempts=0, error="", claimed_until=None)
        self.message_user(
            request,
            f"{count} page(s) will be read again by `manage.py ocr_versions` (the `pages` "
            "service); their corrections are kept.",
            messages.SUCCESS,
        )
