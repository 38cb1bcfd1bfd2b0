"""Historical dates: a day, a month or a year, and spans of them.

One parser and one formatter for the whole archive, so that "November 1967" is read, stored,
filtered, shown and cited the same way everywhere and never turns into 1 November 1967.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext, pgettext, pgettext_lazy


class Precision(models.TextChoices):
    DAY = "day", pgettext_lazy("date precision", "Day")
    MONTH = "month", pgettext_lazy("date precision", "Month")
    YEAR = "year", pgettext_lazy("date precision", "Year")


MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_ISO = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$")
# "June 4, 1984", "June 4 1984", "Jun. 4, 1984"
_MONTH_DAY_YEAR = re.compile(r"^(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})$")
# "4 June 1984"
_DAY_MONTH_YEAR = re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\.?,?\s+(?P<year>\d{4})$")
# "November 1967"
_MONTH_YEAR = re.compile(r"^(?P<month>[a-z]+)\.?,?\s+(?P<year>\d{4})$")

ACCEPTED_FORMS = "YYYY-MM-DD, YYYY-MM, YYYY, 'June 4, 1984' or 'November 1967'"


def accepted_forms() -> str:
    """ACCEPTED_FORMS in the interface language, for messages shown to researchers."""
    return gettext("YYYY-MM-DD, YYYY-MM, YYYY, 'June 4, 1984' or 'November 1967'")


# Month names for dates shown in the interface language: standalone ("ноябрь 1967") and as
# they are written in a day ("23 сентября 1956 г."). English has one form for both.
MONTH_NAMES = [
    pgettext_lazy("month, standalone", "January"),
    pgettext_lazy("month, standalone", "February"),
    pgettext_lazy("month, standalone", "March"),
    pgettext_lazy("month, standalone", "April"),
    pgettext_lazy("month, standalone", "May"),
    pgettext_lazy("month, standalone", "June"),
    pgettext_lazy("month, standalone", "July"),
    pgettext_lazy("month, standalone", "August"),
    pgettext_lazy("month, standalone", "September"),
    pgettext_lazy("month, standalone", "October"),
    pgettext_lazy("month, standalone", "November"),
    pgettext_lazy("month, standalone", "December"),
]
MONTH_NAMES_IN_DAY = [
    pgettext_lazy("month, in a day", "January"),
    pgettext_lazy("month, in a day", "February"),
    pgettext_lazy("month, in a day", "March"),
    pgettext_lazy("month, in a day", "April"),
    pgettext_lazy("month, in a day", "May"),
    pgettext_lazy("month, in a day", "June"),
    pgettext_lazy("month, in a day", "July"),
    pgettext_lazy("month, in a day", "August"),
    pgettext_lazy("month, in a day", "September"),
    pgettext_lazy("month, in a day", "October"),
    pgettext_lazy("month, in a day", "November"),
    pgettext_lazy("month, in a day", "December"),
]


def _parts(value: date, prefix: str = "") -> dict[str, object]:
    return {
        f"{prefix}year": value.year,
        f"{prefix}month": MONTH_NAMES_IN_DAY[value.month - 1],
        f"{prefix}day": value.day,
    }


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to a day, a month or a year; `value` is the first day of that period."""

    value: date
    precision: str = Precision.DAY

    def __post_init__(self) -> None:
        # A plain string, so that values compare, hash and serialise the same as stored ones.
        object.__setattr__(self, "precision", str(self.precision))

    @property
    def parts_known(self) -> int:
        """How many of year, month and day the date states: 1, 2 or 3."""
        return {str(Precision.YEAR): 1, str(Precision.MONTH): 2}.get(self.precision, 3)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read any accepted form; raise ValueError with a message fit to show a person."""
        cleaned = " ".join(str(text).split()).lower()
        if not cleaned:
            raise ValueError("is empty")
        for pattern in (_ISO, _MONTH_DAY_YEAR, _DAY_MONTH_YEAR, _MONTH_YEAR):
            match = pattern.match(cleaned)
            if match:
                return cls._from_parts(text, **match.groupdict())
        raise ValueError(f"'{text}' is not a date ({ACCEPTED_FORMS})")

    @classmethod
    def _from_parts(
        cls, text: str, year: str, month: str | None = None, day: str | None = None
    ) -> PartialDate:
        if month is not None and not month.isdigit():
            if month not in MONTHS:
                raise ValueError(f"'{text}' names no month this archive knows")
            month_number: int | None = MONTHS[month]
        else:
            month_number = int(month) if month else None
        year_number = int(year)
        if year_number < 1:
            raise ValueError(f"'{text}' has no year 0")
        if month_number is None:
            return cls(date(year_number, 1, 1), Precision.YEAR)
        if not 1 <= month_number <= 12:
            raise ValueError(f"'{text}' has no month {month_number}")
        if day is None:
            return cls(date(year_number, month_number, 1), Precision.MONTH)
        try:
            return cls(date(year_number, month_number, int(day)), Precision.DAY)
        except ValueError:
            raise ValueError(f"'{text}' is not a day of the calendar") from None

    @classmethod
    def normalised(cls, value: date, precision: str) -> PartialDate:
        """The period `value` falls in, at `precision` (1967-11-15 at month is November 1967)."""
        if precision == Precision.YEAR:
            value = value.replace(month=1, day=1)
        elif precision == Precision.MONTH:
            value = value.replace(day=1)
        return cls(value, precision)

    @property
    def first(self) -> date:
        return self.value

    @property
    def last(self) -> date:
        if self.precision == Precision.YEAR:
            return self.value.replace(month=12, day=31)
        if self.precision == Precision.MONTH:
            days = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=days)
        return self.value

    def iso(self) -> str:
        """The batch format's form: YYYY-MM-DD, YYYY-MM or YYYY."""
        if self.precision == Precision.YEAR:
            return f"{self.value.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    def display(self) -> str:
        """The date for people, in the interface language, at its precision: "September 23,
        1956", "23 сентября 1956 г.", "1956年9月23日"; "November 1967", "ноябрь 1967",
        "1967年11月"; "1956", "1956", "1956年". In English exactly `str()`. For pages only:
        exports, citations, the batch format and the API keep their own forms."""
        value = self.value
        if self.precision == Precision.YEAR:
            return pgettext("date, a year", "%(year)s") % {"year": value.year}
        if self.precision == Precision.MONTH:
            return pgettext("date, a month", "%(month)s %(year)s") % {
                "year": value.year,
                "month": MONTH_NAMES[value.month - 1],
            }
        return pgettext("date, a day", "%(month)s %(day)s, %(year)s") % _parts(value)

    def __str__(self) -> str:
        month = calendar.month_name[self.value.month]
        if self.precision == Precision.YEAR:
            return str(self.value.year)
        if self.precision == Precision.MONTH:
            return f"{month} {self.value.year}"
        return f"{month} {self.value.day}, {self.value.year}"


@dataclass(frozen=True)
class DateSpan:
    """A document's date: one partial date, or a span from one to another."""

    start: PartialDate
    end: PartialDate | None = None

    def __post_init__(self) -> None:
        if self.end is None:
            return
        if self.end.last < self.start.first:
            raise ValueError(f"ends ({self.end}) before it begins ({self.start})")
        if self.end.first < self.start.first:
            # "1967-11-15" to "1967-11": the end is stored as its first day, before the start.
            raise ValueError(
                f"ends in {self.end}, which begins before {self.start}; "
                "give the end at least as precisely as the start"
            )

    @property
    def first(self) -> date:
        return self.start.first

    @property
    def last(self) -> date:
        return (self.end or self.start).last

    def display(self) -> str:
        """The span for people, in the interface language (PartialDate.display): "September
        21–23, 1956", "21–23 сентября 1956 г.", "1956年9月21日至23日". In English `str()`."""
        start, end = self.start, self.end
        if end is None or end == start:
            return start.display()
        both_days = start.precision == end.precision == Precision.DAY
        if both_days and start.value.year == end.value.year:
            values = {**_parts(start.value), **_parts(end.value, "end_")}
            if start.value.month == end.value.month:
                return (
                    pgettext("date, days of one month", "%(month)s %(day)s–%(end_day)s, %(year)s")
                    % values
                )
            return (
                pgettext(
                    "date, days of one year",
                    "%(month)s %(day)s – %(end_month)s %(end_day)s, %(year)s",
                )
                % values
            )
        return pgettext("date, a span", "%(start)s – %(end)s") % {
            "start": start.display(),
            "end": end.display(),
        }

    def __str__(self) -> str:
        start, end = self.start, self.end
        if end is None or end == start:
            return str(start)
        both_days = start.precision == end.precision == Precision.DAY
        if both_days and start.value.year == end.value.year:
            if start.value.month == end.value.month:
                month = calendar.month_name[start.value.month]
                return f"{month} {start.value.day}–{end.value.day}, {start.value.year}"
            return (
                f"{calendar.month_name[start.value.month]} {start.value.day} – "
                f"{calendar.month_name[end.value.month]} {end.value.day}, {start.value.year}"
            )
        return f"{start} – {end}"


def parse_bound(text: str, *, upper: bool) -> date:
    """A filter bound: the first day of the period for `from`, its last day for `to`."""
    partial = PartialDate.parse(text)
    return partial.last if upper else partial.first
