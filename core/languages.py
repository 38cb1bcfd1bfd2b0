"""Languages of originals, stored as ISO 639 codes and shown by name.

Batches write either a code ("ru") or an English name ("Russian"); both become the code, so
the language facet never splits one language in two.
"""

from django.conf.locale import LANG_INFO

_NAMES = {
    code: info["name"]
    for code, info in LANG_INFO.items()
    if "name" in info and "-" not in code and len(code) <= 3
}
# Languages of Cold War records that Django's own table lacks.
_NAMES.update(
    {
        "zh": "Chinese",
        "yi": "Yiddish",
        "mn": "Mongolian",
        "lo": "Lao",
        "km": "Khmer",
        "ko": "Korean",
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
    return _NAMES.get(code, code)
