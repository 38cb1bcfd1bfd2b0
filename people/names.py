"""How people's names are compared and how life dates are written beside them."""

import re
import unicodedata
from functools import lru_cache

from django.utils.translation import gettext

# "Kim Il Sung (1912-1994)", "Kim Il Sung (1912- 1994)", "Tito (1892-)", "X (-1980)"
_LIFE_DATES = re.compile(
    r"^(?P<name>.+?)\s*\(\s*(?P<birth>\d{3,4})?\s*[-–]\s*(?P<death>\d{3,4})?\s*\)\s*$"
)


# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSABLE = str.maketrans(
    {
        "Đ": "D",
        "đ": "d",
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Þ": "Th",
        "þ": "th",
        "ı": "i",
        "Ħ": "H",
        "ħ": "h",
    }
)


@lru_cache(maxsize=65536)  # batches repeat the same names thousands of times
def name_key(name: str) -> str:
    """A name folded for matching: no accents, case, punctuation or spacing differences.

    "Károly Práth" and "Karoly Prath" share a key, as do "A.M. Puzanov" and "A. M. Puzanov".
    """
    decomposed = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", stripped.casefold()))


@lru_cache(maxsize=65536)
def split_life_dates(text: str) -> tuple[str, int | None, int | None]:
    """Split "Kim Il Sung (1912-1994)" into the name and its years; other brackets stay."""
    text = " ".join(text.split())
    match = _LIFE_DATES.match(text)
    if not match or not (match["birth"] or match["death"]):
        return text, None, None
    birth = int(match["birth"]) if match["birth"] else None
    death = int(match["death"]) if match["death"] else None
    return match["name"], birth, death


def format_life_dates(birth: int | None, death: int | None) -> str:
    if birth and death:
        return f"{birth}–{death}"
    if birth:
        # Translators: a person's life dates when only the birth year is known.
        return gettext("b. %(year)s") % {"year": birth}
    if death:
        # Translators: a person's life dates when only the year of death is known.
        return gettext("d. %(year)s") % {"year": death}
    return ""


@lru_cache(maxsize=65536)
def match_key(name: str) -> str:
    """A name's words in a fixed order, so the inverted "Mao, Zedong" matches "Mao Zedong"."""
    return " ".join(sorted(name_key(name).split()))
