"""The interface's languages: which one a request is answered in, each page's addresses in
the others, and the switcher's remembering of a choice.

Public pages carry their language in the path (archive/urls.py: English unprefixed, `/ru/…`,
`/zh-hans/…`). The admin and the API are unprefixed and single: they answer in the language
the visitor chose with the switcher (Django's language cookie), else in Accept-Language's.
Everything else unprefixed (exports, feeds, IIIF, OAI-PMH, sitemaps) is data for programs
and stays in English, with the canonical English addresses of pages.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

# The query parameter that carries the path of the result list a link came from
# (documents/views.py LIST_PARAM): a path in the page's language, so translated with it.
LIST_PARAM = "list"


def bcp47(code: str) -> str:
    """A Django language code as HTML's lang and hreflang write it: zh-hans is zh-Hans."""
    return translation.to_locale(code).replace("_", "-")


class ArchiveLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that the unprefixed admin and API answer in the
    visitor's language (cookie, then Accept-Language) instead of always in English."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        if request.path_info.startswith(settings.ARCHIVE_NEGOTIATED_LANGUAGE_PATHS):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()


def page_in_language(full_path: str, code: str) -> str:
    """This page's path and query in another interface language: the same page, the same
    filters (and the result list a document page came from, in that language too)."""
    parsed = urlsplit(full_path)
    path = translate_url(parsed.path, code)
    query = parsed.query
    if query:
        params = QueryDict(query, mutable=True)
        if LIST_PARAM in params:
            params.setlist(
                LIST_PARAM, [translate_url(value, code) for value in params.getlist(LIST_PARAM)]
            )
            query = params.urlencode()
    return urlunsplit(("", "", path, query, ""))


def set_language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """The switcher's links: remember the language (for the admin and the API, which have no
    prefix) and go on to `next`, the page in that language. A GET with no side effect beyond
    the visitor's own cookie, so plain links do it, without JavaScript or a form."""
    if code not in dict(settings.LANGUAGES):
        code = settings.LANGUAGE_CODE
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/"):
        with translation.override(code):
            target = reverse("documents:home")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
    )
    response["Cache-Control"] = "no-store"
    return response
