"""Languages of originals, stored as ISO 639 codes and shown by name.

Batches write either a code ("ru") or an English name ("Russian"); both become the code, so
the language facet never splits one language in two.
"""

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext, gettext_noop

_NAMES = {
    code: info["name"]
    for code, info in LANG_INFO.items()
    if "name" in info and "-" not in code and len(code) <= 3
}
# Languages of Cold War records that Django's own table lacks.
_NAMES.update(
    {
        "zh": gettext_noop("Chinese"),
        "yi": gettext_noop("Yiddish"),
        "mn": gettext_noop("Mongolian"),
        "lo": gettext_noop("Lao"),
        "km": gettext_noop("Khmer"),
        "ko": gettext_noop("Korean"),
    }
)
_CODES = {name.lower(): code for code, name in _NAMES.items()}


def language_code(value: str) -> str | None:
    """The code for a code or a name, or None when the language is not known."""
    cleaned = value.strip().lower()
    if cleaned in _NAMES:
        return cleaned
    return _CODES.get(cleaned)


def language_name(code: str) -> str:
    """The language's name in the interface language (Django's catalogues translate the names
    of its own table; the archive's catalogues those it adds)."""
    name = _NAMES.get(code)
    return gettext(name) if name else code
