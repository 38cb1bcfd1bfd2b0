"""PartialDate, DateSpan and parse_bound: one reading and one writing of historical dates."""

from datetime import date

import pytest

from documents.dates import DateSpan, PartialDate, Precision, parse_bound

# Every accepted form --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("1967", date(1967, 1, 1), Precision.YEAR),
        ("1967-11", date(1967, 11, 1), Precision.MONTH),
        ("1967-11-05", date(1967, 11, 5), Precision.DAY),
        ("1967-1-5", date(1967, 1, 5), Precision.DAY),
        ("June 4, 1984", date(1984, 6, 4), Precision.DAY),
        ("June 4 1984", date(1984, 6, 4), Precision.DAY),
        ("Jun. 4, 1984", date(1984, 6, 4), Precision.DAY),
        ("4 June 1984", date(1984, 6, 4), Precision.DAY),
        ("November 1967", date(1967, 11, 1), Precision.MONTH),
        ("Nov 1967", date(1967, 11, 1), Precision.MONTH),
        ("Nov. 1967", date(1967, 11, 1), Precision.MONTH),
        ("Sept 1967", date(1967, 9, 1), Precision.MONTH),
        ("NOVEMBER 1967", date(1967, 11, 1), Precision.MONTH),
        ("  November   1967 ", date(1967, 11, 1), Precision.MONTH),
    ],
)
def test_parse_accepted_forms(text, value, precision):
    parsed = PartialDate.parse(text)

    assert parsed == PartialDate(value, precision)
    assert parsed.value == value
    assert parsed.precision == precision


def test_month_precision_is_kept_and_never_becomes_the_first_of_the_month():
    november = PartialDate.parse("November 1967")

    assert november.precision == Precision.MONTH
    assert november.precision != Precision.DAY
    assert str(november) == "November 1967"
    assert november.iso() == "1967-11"


# First and last day ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("1967", date(1967, 1, 1), date(1967, 12, 31)),
        ("1967-11", date(1967, 11, 1), date(1967, 11, 30)),
        ("1967-11-05", date(1967, 11, 5), date(1967, 11, 5)),
        ("February 1968", date(1968, 2, 1), date(1968, 2, 29)),  # leap year
        ("February 1967", date(1967, 2, 1), date(1967, 2, 28)),
        ("1900-02", date(1900, 2, 1), date(1900, 2, 28)),  # not a leap year
        ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),  # a leap year
        ("December 1967", date(1967, 12, 1), date(1967, 12, 31)),
    ],
)
def test_first_and_last_day(text, first, last):
    parsed = PartialDate.parse(text)

    assert parsed.first == first
    assert parsed.last == last


# iso() and str() ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso", "shown"),
    [
        ("1967", "1967", "1967"),
        ("1967-11", "1967-11", "November 1967"),
        ("Nov 1967", "1967-11", "November 1967"),
        ("1967-11-05", "1967-11-05", "November 5, 1967"),
        ("June 4, 1984", "1984-06-04", "June 4, 1984"),
        ("4 June 1984", "1984-06-04", "June 4, 1984"),
        ("0800", "0800", "800"),
    ],
)
def test_iso_and_str(text, iso, shown):
    parsed = PartialDate.parse(text)

    assert parsed.iso() == iso
    assert str(parsed) == shown


@pytest.mark.parametrize("text", ["1967", "1967-11", "1967-11-05", "1968-02-29"])
def test_iso_round_trips(text):
    assert PartialDate.parse(PartialDate.parse(text).iso()) == PartialDate.parse(text)


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        (date(1967, 11, 15), Precision.MONTH, PartialDate(date(1967, 11, 1), Precision.MONTH)),
        (date(1967, 11, 15), Precision.YEAR, PartialDate(date(1967, 1, 1), Precision.YEAR)),
        (date(1967, 11, 15), Precision.DAY, PartialDate(date(1967, 11, 15), Precision.DAY)),
    ],
)
def test_normalised(value, precision, expected):
    assert PartialDate.normalised(value, precision) == expected


# Errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1967-13", "'1967-13' has no month 13"),
        ("1967-00", "'1967-00' has no month 0"),
        ("1967-02-30", "'1967-02-30' is not a day of the calendar"),
        ("1967-02-29", "'1967-02-29' is not a day of the calendar"),
        ("February 30, 1968", "'February 30, 1968' is not a day of the calendar"),
        ("Smarch 1967", "'Smarch 1967' names no month this archive knows"),
        ("0000", "'0000' has no year 0"),
        ("", "is empty"),
        ("   ", "is empty"),
        (
            "next Tuesday",
            "'next Tuesday' is not a date "
            "(YYYY-MM-DD, YYYY-MM, YYYY, 'June 4, 1984' or 'November 1967')",
        ),
        (
            "67",
            "'67' is not a date (YYYY-MM-DD, YYYY-MM, YYYY, 'June 4, 1984' or 'November 1967')",
        ),
        (
            "1967/11/05",
            "'1967/11/05' is not a date "
            "(YYYY-MM-DD, YYYY-MM, YYYY, 'June 4, 1984' or 'November 1967')",
        ),
    ],
)
def test_parse_errors(text, message):
    with pytest.raises(ValueError) as raised:
        PartialDate.parse(text)

    assert str(raised.value) == message


# DateSpan -------------------------------------------------------------------------------------


def span(start: str, end: str | None = None) -> DateSpan:
    return DateSpan(PartialDate.parse(start), PartialDate.parse(end) if end else None)


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("1945-03-13", None, "March 13, 1945"),
        ("1945-03-13", "1945-03-13", "March 13, 1945"),
        ("1945-03-13", "1945-03-14", "March 13–14, 1945"),
        ("1945-04-25", "1945-06-26", "April 25 – June 26, 1945"),
        ("1967-12-30", "1968-01-02", "December 30, 1967 – January 2, 1968"),
        ("November 1967", "March 1968", "November 1967 – March 1968"),
        ("1967-11", "1967-12", "November 1967 – December 1967"),
        ("1967", "1969", "1967 – 1969"),
        ("1967-11-05", "1967-12", "November 5, 1967 – December 1967"),
        ("November 1967", None, "November 1967"),
    ],
)
def test_date_span_str(start, end, shown):
    assert str(span(start, end)) == shown


def test_date_span_first_and_last():
    assert span("1967-11").first == date(1967, 11, 1)
    assert span("1967-11").last == date(1967, 11, 30)
    assert span("1967-11-05", "1968").first == date(1967, 11, 5)
    assert span("1967-11-05", "1968").last == date(1968, 12, 31)
    assert span("1968-02", "1968-02-27").last == date(1968, 2, 27)
    assert span("1968-02-27", "1968-03").last == date(1968, 3, 31)


def test_an_end_that_begins_before_the_start_is_refused():
    """The end is stored as its first day, so "Feb 27 to Feb 1968" could not be kept honestly."""
    with pytest.raises(ValueError) as raised:
        span("1968-02-27", "1968-02")
    assert str(raised.value) == (
        "ends in February 1968, which begins before February 27, 1968; "
        "give the end at least as precisely as the start"
    )


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("1945-03-14", "1945-03-13", "ends (March 13, 1945) before it begins (March 14, 1945)"),
        ("1968", "1967", "ends (1967) before it begins (1968)"),
        (
            "December 1967",
            "1967-11-30",
            "ends (November 30, 1967) before it begins (December 1967)",
        ),
    ],
)
def test_date_span_end_before_start(start, end, message):
    with pytest.raises(ValueError) as raised:
        span(start, end)

    assert str(raised.value) == message


def test_date_span_end_inside_a_coarser_start_is_allowed():
    # "1967" to "1967-03-01": the end falls within the year the document is dated to.
    assert span("1967", "1967-03-01").last == date(1967, 3, 1)


# parse_bound ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [
        ("1967", date(1967, 1, 1), date(1967, 12, 31)),
        ("1967-11", date(1967, 11, 1), date(1967, 11, 30)),
        ("Feb 1968", date(1968, 2, 1), date(1968, 2, 29)),
        ("June 4, 1984", date(1984, 6, 4), date(1984, 6, 4)),
    ],
)
def test_parse_bound(text, lower, upper):
    assert parse_bound(text, upper=False) == lower
    assert parse_bound(text, upper=True) == upper


def test_parse_bound_rejects_what_parse_rejects():
    with pytest.raises(ValueError, match="has no month 13"):
        parse_bound("1967-13", upper=True)


# Shown in the interface language ---------------------------------------------------------------

LOCAL_FORMS = {
    # day, month, year, days of a month, days across months, months across years
    "en": (
        "September 23, 1956",
        "November 1967",
        "1956",
        "September 21–23, 1956",
        "September 30 – October 2, 1956",
        "November 1967 – February 1968",
    ),
    "ru": (
        "23 сентября 1956 г.",
        "ноябрь 1967",
        "1956",
        "21–23 сентября 1956 г.",
        "30 сентября – 2 октября 1956 г.",
        "ноябрь 1967 – февраль 1968",
    ),
    "zh-hans": (
        "1956年9月23日",
        "1967年11月",
        "1956年",
        "1956年9月21日至23日",
        "1956年9月30日至10月2日",
        "1967年11月至1968年2月",
    ),
}


@pytest.mark.parametrize("language", LOCAL_FORMS)
def test_dates_are_displayed_in_the_interface_language_at_their_precision(language):
    from django.utils import translation

    dates = (
        DateSpan(PartialDate.parse("1956-09-23")),
        DateSpan(PartialDate.parse("1967-11")),
        DateSpan(PartialDate.parse("1956")),
        DateSpan(PartialDate.parse("1956-09-21"), PartialDate.parse("1956-09-23")),
        DateSpan(PartialDate.parse("1956-09-30"), PartialDate.parse("1956-10-02")),
        DateSpan(PartialDate.parse("1967-11"), PartialDate.parse("1968-02")),
    )
    with translation.override(language):
        assert tuple(span.display() for span in dates) == LOCAL_FORMS[language]
        # what exports, citations and the API write stays English whatever the interface's
        assert tuple(str(span) for span in dates) == LOCAL_FORMS["en"]


def test_the_english_display_is_the_english_form_of_every_month():
    for month in range(1, 13):
        for text in (f"1956-{month:02d}", f"1956-{month:02d}-15"):
            date = PartialDate.parse(text)
            assert date.display() == str(date)
