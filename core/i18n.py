"""The interface language's prefix of a public page's path (/ru/documents/ is /documents/ in
Russian): exports and feeds are unprefixed and single, so a page links to them without it."""

from django.conf import settings
from django.utils.translation import get_language_from_path


def without_language_prefix(path: str) -> str:
    """`/ru/documents/` → `/documents/`; a path without a prefix is returned as it is."""
    code = get_language_from_path(path)
    if code is None or code == settings.LANGUAGE_CODE:
        return path
    prefix = f"/{code}"
    return path[len(prefix) :] if path.startswith(prefix + "/") else path
