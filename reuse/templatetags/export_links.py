"""Template tags for the exports of a result page or a document, and a result page's feed
(`{% load export_links %}`).

Every result page (the archive's, a place's, a person's, a collection's) has its exports at
`<page>export.<fmt>` and its feed at `<page>feed/`, with the page's own parameters less paging.
"""

from django import template
from django.conf import settings
from django.urls import reverse

from core.i18n import without_language_prefix
from reuse.exports import FORMATS

register = template.Library()

PAGING = ("page", "per_page")


def _query(context, *drop: str) -> str:
    """The page's parameters less `drop` and less any the page ignored as invalid."""
    params = context["request"].GET.copy()
    search = context.get("search")
    for name in (*drop, *(search.errors if search is not None else ())):
        params.pop(name, None)
    return f"?{params.urlencode()}" if params else ""


@register.simple_tag
def document_exports(document) -> list[tuple[str, str]]:
    """One document's reference in every export format: (label, URL) pairs."""
    return [
        (module.LABEL, reverse("reuse:document-export", args=[document.identifier, fmt]))
        for fmt, module in FORMATS.items()
    ]


@register.simple_tag(takes_context=True)
def results_feed_url(context) -> str:
    path = without_language_prefix(context["request"].path)  # feeds have one language
    return f"{path}feed/{_query(context, *PAGING, 'sort')}"


@register.inclusion_tag("includes/results_exports.html", takes_context=True)
def results_exports(context) -> dict:
    path = without_language_prefix(context["request"].path)  # exports are data: unprefixed
    query = _query(context, *PAGING)
    paginator = getattr(context.get("page_obj"), "paginator", None)
    count = paginator.count if paginator else 0
    return {
        "count": count,
        "limit": settings.ARCHIVE_EXPORT_MAX_DOCUMENTS,
        "too_many": count > settings.ARCHIVE_EXPORT_MAX_DOCUMENTS,
        "exports": [
            (module.LABEL, f"{path}export.{fmt}{query}") for fmt, module in FORMATS.items()
        ],
        "feed_url": results_feed_url(context),
    }
