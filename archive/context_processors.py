from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_noop

from .i18n import bcp47, page_in_language

# The archive's default name, translated on its pages (an installation's own name is shown as
# it is unless its catalogues translate it too). Citations cite it as settings has it.
gettext_noop("Cold War Digital Archive")


def archive(request):
    """The archive's name, for the page header, in the interface language, the page's
    section for the main navigation ("documents:list"; empty on a page no URL matched), and
    how long a registration's confirmation link works."""
    match = getattr(request, "resolver_match", None)
    section = f"{match.namespace}:{match.url_name}" if match else ""
    return {
        "ARCHIVE_NAME": gettext(settings.ARCHIVE_NAME),
        "section": section,
        "ACCOUNT_ACTIVATION_DAYS": settings.ACCOUNT_ACTIVATION_DAYS,
    }


def languages(request):
    """The page's language (for <html lang>), the same page in every interface language (its
    hreflang alternates, absolute) and the switcher's links to them, which remember the
    choice on the way (archive.i18n.set_language)."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    full_path = request.get_full_path()
    alternates = []
    for code, name in settings.LANGUAGES:
        path = page_in_language(full_path, code)
        alternates.append(
            {
                "code": code,
                "lang": bcp47(code),
                "name": name,
                "current": code == current,
                "url": request.build_absolute_uri(path),
                "switch_url": reverse("set-language", args=[code])
                + "?"
                + urlencode({"next": path}),
            }
        )
    return {
        "html_lang": bcp47(current),
        "language_alternates": alternates,
        # x-default: the page at its plain address, which is in the default language.
        "default_language_url": next(
            (a["url"] for a in alternates if a["code"] == settings.LANGUAGE_CODE),
            alternates[0]["url"],
        ),
    }
