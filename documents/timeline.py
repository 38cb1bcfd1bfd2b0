"""The timeline of a result list: its documents by year (or by decade), as an inline SVG chart.

The numbers are the year facet's (`facets.year_counts`, one query over the filtered set, which
every result page computes anyway), so the chart costs no query of its own and always agrees
with the facet and the API. A document counts in the year it begins.

Everything here is geometry and links; `templates/includes/timeline.html` draws it. Each bar
is a link that narrows the page's date range to its year or decade, keeping every other
filter, so the chart is also a way to navigate, with or without JavaScript.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

# More years than this between the first and the last document: one bar a decade.
MAX_YEAR_BARS = 40

# The drawing, in SVG user units (the chart scales to its box; see archive.css).
WIDTH = 640
HEIGHT = 200
LEFT = 44  # room for the count labels and the vertical axis title
RIGHT = 8
TOP = 10
BOTTOM = 44  # room for the period labels and the horizontal axis title
MAX_LABELS = 12  # at most this many period labels under the bars


@dataclass
class Bar:
    label: str  # "1956" or "1950s"
    first_year: int
    last_year: int
    count: int
    url: str = ""  # empty for a period with no documents: nothing to narrow to
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    slot_x: float = 0.0  # the whole column, so a short bar is as easy to hit as a tall one
    slot_width: float = 0.0
    labelled: bool = False  # whether its label is written under the axis

    @property
    def centre(self) -> float:
        return self.x + self.width / 2

    @property
    def description(self) -> str:
        return ngettext(
            "%(period)s: %(count)s document", "%(period)s: %(count)s documents", self.count
        ) % {"period": self.label, "count": _number(self.count)}


@dataclass
class Tick:
    value: int
    y: float


@dataclass
class Timeline:
    unit: str  # "year" or "decade"
    bars: list[Bar]
    ticks: list[Tick] = field(default_factory=list)
    total: int = 0
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    bottom: float = HEIGHT - BOTTOM  # the y of the horizontal axis
    right: float = WIDTH - RIGHT

    @property
    def first(self) -> str:
        return self.bars[0].label

    @property
    def last(self) -> str:
        return self.bars[-1].label

    @property
    def nonempty(self) -> list[Bar]:
        return [bar for bar in self.bars if bar.count]

    @property
    def busiest(self) -> Bar:
        return max(self.bars, key=lambda bar: (bar.count, -bar.first_year))

    @property
    def plot_height(self) -> float:
        return self.bottom - self.top

    @property
    def tick_label_x(self) -> float:
        return self.left - 6

    @property
    def axis_label_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def axis_label_y(self) -> float:
        return self.height - 6

    @property
    def count_axis_x(self) -> float:
        return 12

    @property
    def count_axis_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def label_y(self) -> float:
        return self.bottom + 15

    @property
    def title(self) -> str:
        """The chart's caption: "Documents by year"."""
        return (
            gettext("Documents by year") if self.unit == "year" else gettext("Documents by decade")
        )

    @property
    def svg_title(self) -> str:
        """ "Documents by year, 1956 to 1962"."""
        if self.first == self.last:
            return f"{self.title}, {self.first}"
        return gettext("%(title)s, %(first)s to %(last)s") % {
            "title": self.title,
            "first": self.first,
            "last": self.last,
        }

    @property
    def summary(self) -> str:
        """The chart in one sentence, for its <desc> and its caption."""
        total = _number(self.total)
        if len(self.bars) == 1:
            return ngettext(
                "%(total)s document, all in %(first)s.",
                "%(total)s documents, all in %(first)s.",
                self.total,
            ) % {"total": total, "first": self.first}
        busiest = self.busiest
        values = {
            "total": total,
            "first": self.first,
            "last": self.last,
            "busiest": busiest.label,
            "most": _number(busiest.count),
        }
        if self.unit == "year":
            return (
                ngettext(
                    "%(total)s document from %(first)s to %(last)s, by year; "
                    "the most in %(busiest)s (%(most)s).",
                    "%(total)s documents from %(first)s to %(last)s, by year; "
                    "the most in %(busiest)s (%(most)s).",
                    self.total,
                )
                % values
            )
        return (
            ngettext(
                "%(total)s document from %(first)s to %(last)s, by decade; "
                "the most in %(busiest)s (%(most)s).",
                "%(total)s documents from %(first)s to %(last)s, by decade; "
                "the most in %(busiest)s (%(most)s).",
                self.total,
            )
            % values
        )


def _number(value: int) -> str:
    """A count with the interface language's grouping (12,345; 12 345; 12345)."""
    return number_format(value, use_l10n=True, force_grouping=True)


def decade_label(decade: int) -> str:
    """ "1950s", in the interface language."""
    # Translators: a decade on the timeline, e.g. "1950s"; %(decade)s is its first year.
    return gettext("%(decade)ss") % {"decade": decade}


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... not below `value` (the top of the count axis)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover (the loop always returns)


def period_url(params: QueryDict | None, first_year: int, last_year: int, path: str = "") -> str:
    """The page's own query with its date range set to these years (and back to page 1)."""
    query = params.copy() if params is not None else QueryDict(mutable=True)
    query.pop("page", None)
    query["date_from"] = str(first_year)
    query["date_to"] = str(last_year)
    return f"{path}?{query.urlencode()}"


def build_timeline(
    year_counts: list[dict], params: QueryDict | None = None, *, path: str = ""
) -> Timeline | None:
    """The chart of `year_counts` (rows of {"year", "count"}, as `facets.year_counts` gives).

    Bars link to `path` (the page itself when empty) with `params` and the bar's years.

    Years without documents between the first and the last are drawn as gaps, so the shape of
    the result set is true. None when there is nothing to draw.
    """
    counts = {row["year"]: row["count"] for row in year_counts if row["count"]}
    if not counts:
        return None
    first, last = min(counts), max(counts)
    if last - first + 1 > MAX_YEAR_BARS:
        unit = "decade"
        periods = [
            (decade, decade + 9, decade_label(decade))
            for decade in range(first // 10 * 10, last // 10 * 10 + 1, 10)
        ]
    else:
        unit = "year"
        periods = [(year, year, str(year)) for year in range(first, last + 1)]
    bars = [
        Bar(
            label=label,
            first_year=start,
            last_year=end,
            count=sum(counts.get(year, 0) for year in range(start, end + 1)),
        )
        for start, end, label in periods
    ]
    for bar in bars:
        if bar.count:
            bar.url = period_url(params, bar.first_year, bar.last_year, path)
    timeline = Timeline(unit=unit, bars=bars, total=sum(counts.values()))
    _lay_out(timeline)
    return timeline


def _lay_out(timeline: Timeline) -> None:
    bars = timeline.bars
    plot_width = timeline.right - timeline.left
    plot_height = timeline.bottom - timeline.top
    top_count = nice_ceiling(max(bar.count for bar in bars))
    slot = plot_width / len(bars)
    gap = min(slot * 0.2, 6)
    every = _label_step(bars, timeline.unit)
    for index, bar in enumerate(bars):
        bar.slot_x = round(timeline.left + index * slot, 2)
        bar.slot_width = round(slot, 2)
        bar.x = round(bar.slot_x + gap / 2, 2)
        bar.width = round(max(slot - gap, 1), 2)
        height = plot_height * bar.count / top_count
        if bar.count:
            height = max(height, 2)  # one document is still visible beside a thousand
        bar.height = round(height, 2)
        bar.y = round(timeline.bottom - height, 2)
        bar.labelled = bar.first_year % every == 0 if every > 1 else True
        if every > 1 and index == 0 and len(bars) <= 3:
            bar.labelled = True
    if not any(bar.labelled for bar in bars):
        bars[0].labelled = True
    steps = (0, top_count / 2, top_count) if top_count > 1 else (0, 1)
    timeline.ticks = [
        Tick(int(value), round(timeline.bottom - plot_height * value / top_count, 2))
        for value in steps
        if value == int(value)
    ]


def _label_step(bars: list[Bar], unit: str) -> int:
    """Label every year, or only years divisible by 2, 5, 10, ... so that labels don't crowd."""
    if len(bars) <= MAX_LABELS:
        return 1
    span = bars[-1].last_year - bars[0].first_year + 1
    steps = (20, 50, 100, 200, 500) if unit == "decade" else (2, 5, 10, 20)
    for step in steps:
        if span / step <= MAX_LABELS:
            return step
    return steps[-1]
