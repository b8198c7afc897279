"""Free-text dates: every supported form, the refusals, and round trips with dates.py."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from viewer.model.dates import (
    CALENDAR_YEAR_LIMIT,
    DEEP_TIME_LIMIT,
    DateError,
    PartialDate,
    Precision,
    days_in_month,
    format_range,
)
from viewer.model.parse import (
    DateSyntaxError,
    is_date_line,
    parse_date,
    parse_date_line,
    parse_date_range,
)

P = PartialDate


@st.composite
def partial_dates(draw: st.DrawFn, hours: bool = True) -> PartialDate:
    """Calendar dates of any precision, plus deep-time years.

    Deep years have at most four significant digits of "years ago", the rounding that
    ``format_year`` applies, so that ``format()`` states them exactly.  With
    ``hours=False`` hour precision is left out.
    """
    if draw(st.integers(0, 9)) == 0:
        mantissa = draw(st.integers(1, 9999))
        bc = mantissa * 10 ** draw(st.integers(3, 7))
        if 10**6 <= bc <= DEEP_TIME_LIMIT:
            return PartialDate(1 - bc)
    year = draw(st.integers(-CALENDAR_YEAR_LIMIT, CALENDAR_YEAR_LIMIT))
    choices = [p for p in Precision if hours or p is not Precision.HOUR]
    precision = draw(st.sampled_from(choices))
    fields = [year]
    if precision >= Precision.MONTH:
        fields.append(draw(st.integers(1, 12)))
    if precision >= Precision.DAY:
        fields.append(draw(st.integers(1, days_in_month(year, fields[1]))))
    if precision >= Precision.HOUR:
        fields.append(draw(st.integers(0, 23)))
    if precision >= Precision.MINUTE:
        fields.append(draw(st.integers(0, 59)))
    if precision >= Precision.SECOND:
        fields.append(draw(st.integers(0, 59)))
    return PartialDate(*fields)


# -- single dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # day precision, month first or day first, names and abbreviations
        ("March 3, 1999", P(1999, 3, 3)),
        ("3 March 1999", P(1999, 3, 3)),
        ("march 3 1999", P(1999, 3, 3)),
        ("3rd of March 1999", P(1999, 3, 3)),
        ("Sept. 13, 2023", P(2023, 9, 13)),
        ("Sep 13, 2023", P(2023, 9, 13)),
        ("sept 13 2023", P(2023, 9, 13)),
        ("Oct. 14, 2006", P(2006, 10, 14)),
        ("Jan. 4, 2024", P(2024, 1, 4)),
        ("Feb. 24, 2022", P(2022, 2, 24)),
        ("Apr. 25, 2019", P(2019, 4, 25)),
        ("Jun 18 2024", P(2024, 6, 18)),
        ("JUL. 25, 2023", P(2023, 7, 25)),
        ("Aug 1, 2020", P(2020, 8, 1)),
        ("Nov. 21, 2023", P(2023, 11, 21)),
        ("Dec. 22, 2017", P(2017, 12, 22)),
        ("Wednesday, March 3, 1999", P(1999, 3, 3)),
        ("Wed 3 March 1999", P(1999, 3, 3)),
        # month precision
        ("March 1999", P(1999, 3)),
        ("July, 2000", P(2000, 7)),
        ("July 2000", P(2000, 7)),
        ("Nov. 1969", P(1969, 11)),
        ("February, 2020", P(2020, 2)),
        ("Mar 2020", P(2020, 3)),
        # year precision and eras
        ("1999", P(1999)),
        ("1971", P(1971)),
        ("476", P(476)),
        ("44 BC", P(-43)),
        ("44 BCE", P(-43)),
        ("44 B.C.", P(-43)),
        ("1 BC", P(0)),
        ("AD 79", P(79)),
        ("79 AD", P(79)),
        ("A.D. 79", P(79)),
        ("79 CE", P(79)),
        ("10,000 BC", P(-9999)),
        ("March 15, 44 BC", P(-43, 3, 15)),
        ("15 March 44 BC", P(-43, 3, 15)),
        ("August AD 79", P(79, 8)),
        # deep time
        ("65 million years ago", P(1 - 65_000_000)),
        ("13.8 billion years ago", P(1 - 13_800_000_000)),
        # ISO 8601, astronomical years
        ("1999-03-03", P(1999, 3, 3)),
        ("1999-03", P(1999, 3)),
        ("-0043-03-15", P(-43, 3, 15)),
        ("-0043", P(-43)),
        ("0000", P(0)),
        ("2024-05-05 14:30", P(2024, 5, 5, 14, 30)),
        ("2024-05-05T14:30:15", P(2024, 5, 5, 14, 30, 15)),
        ("2024-05-05t14", P(2024, 5, 5, 14)),
        # times: 24-hour, 12-hour, hour precision for "9 pm"
        ("13 Sep 2023 21:05", P(2023, 9, 13, 21, 5)),
        ("13 Sep 2023 9:05 pm", P(2023, 9, 13, 21, 5)),
        ("Sept. 13, 2023, 9:05 p.m.", P(2023, 9, 13, 21, 5)),
        ("Sept. 13, 2023 at 9:05:30 a.m.", P(2023, 9, 13, 9, 5, 30)),
        ("13 Sep 2023 9 pm", P(2023, 9, 13, 21)),
        ("1 Jan 2000 12 am", P(2000, 1, 1, 0)),
        ("1 Jan 2000 12 pm", P(2000, 1, 1, 12)),
        # forgiving about spacing and look-alike characters
        ("  March\u00a03,  1999 ", P(1999, 3, 3)),
        ("\uff11\uff19\uff19\uff19", P(1999)),
    ],
)
def test_parse_date(text, expected):
    date = parse_date(text)
    assert date == expected
    assert date.precision is expected.precision


def test_precision_is_never_invented():
    assert parse_date("July 2000") == PartialDate(2000, 7)
    assert parse_date("July 2000").day is None
    assert parse_date("2000").month is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Feb. 30, 2023", "'Feb. 30, 2023' is not a valid date: February 2023 has no day 30"),
        ("February 29, 2023", "has no day 29"),
        ("2023-02-30", "February 2023 has no day 30"),
        ("2023-13-01", "month 13 does not exist"),
        ("0 BC", "there is no year 0"),
        ("AD 0", "there is no year 0"),
        ("March 3", "no year is given"),
        ("March", "no year is given"),
        ("March 79", "write it in full, such as 1979 or AD 79"),
        ("Tuesday, March 3, 1999", "3 March 1999 was a Wednesday, not a Tuesday"),
        ("the 1900s", "can mean the decade 1900–1909 or the century 1900–1999"),
        ("1965s", "not a decade"),
        ("the 60s", "write it in full, such as 1960s"),
        ("late 2020", "'late' needs a decade or a century"),
        ("1990s", "it is a span of years"),
        ("before after 1200", "open on one side only"),
        ("3/4/1999", "ambiguous"),
        ("13 Sep 2023 9:05 pm GMT", "time zones"),
        ("13 Sep 2023 13 pm", "13 pm is not a time"),
        ("13 Sep 2023 25:00", "hour 25 does not exist"),
        ("200000000000 BC", "out of range"),
        ("1.5 years ago", "expected a date such as"),
    ],
)
def test_impossible_or_unrepresentable_dates(text, message):
    with pytest.raises(DateError, match=message.replace(".", r"\.").replace("(", r"\(")):
        parse_date(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "0",
        "42",
        "79",
        "Tuesday",
        "9 pm",
        "On March 3, 1999 the talks failed.",
        "1939–1945",
        "1999,",
        "10,000",
        "March 3, 1999 and more",
        "x" * 5000,
    ],
)
def test_unrecognised_text_says_what_was_expected(text):
    with pytest.raises(DateSyntaxError, match="expected a date such as 'March 3, 1999'"):
        parse_date(text)


@settings(deadline=None)
@given(st.text())
@example("9" * 5000)
@example("1" + ",000" * 2000)
@example("1.5" + "0" * 5000 + " million years ago")
@example("- " * 500)
def test_parse_never_raises_anything_but_date_error(text):
    for parse in (parse_date, parse_date_range, parse_date_line):
        with contextlib.suppress(DateError):
            parse(text)
    assert isinstance(is_date_line(text), bool)


@settings(deadline=None)
@given(st.text(alphabet="0123456789 -–—,.:/apmbcdeADBCtoJanMyrsgoilnth", max_size=40))
def test_date_like_noise_raises_only_date_error(text):
    with contextlib.suppress(DateError):
        parse_date_range(text)


@settings(deadline=None)
@given(partial_dates())
def test_format_parses_back(date):
    assert parse_date(date.format()) == date


@settings(deadline=None)
@given(partial_dates())
def test_iso_parses_back(date):
    assert parse_date(date.iso()) == date


def test_hour_precision_formats_without_inventing_minutes():
    date = PartialDate(2024, 5, 16, 14)
    assert date.format() == "16 May 2024 2 pm"
    assert parse_date(date.format()) == date
    assert PartialDate(2024, 5, 16, 0).format() == "16 May 2024 12 am"
    assert PartialDate(2024, 5, 16, 12).format() == "16 May 2024 12 pm"
    assert parse_date(date.iso()) == date
    assert parse_date("16 May 2024 2 pm") == date


# -- ranges -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Oct. 14, 2006 – Dec. 22, 2017", P(2006, 10, 14), P(2017, 12, 22)),
        ("May 16-17, 2024", P(2024, 5, 16), P(2024, 5, 17)),
        ("June 18-19, 2024", P(2024, 6, 18), P(2024, 6, 19)),
        ("May 16 – 17, 2024", P(2024, 5, 16), P(2024, 5, 17)),
        ("Jan. 31 – Feb. 9, 1971", P(1971, 1, 31), P(1971, 2, 9)),
        ("July 16 – July 24, 1969", P(1969, 7, 16), P(1969, 7, 24)),
        ("1939–1945", P(1939), P(1945)),
        ("1939-1945", P(1939), P(1945)),
        ("1939 — 1945", P(1939), P(1945)),
        ("1939 to 1945", P(1939), P(1945)),
        ("March–May 2020", P(2020, 3), P(2020, 5)),
        ("March to May 2020", P(2020, 3), P(2020, 5)),
        ("16–17 May 2024", P(2024, 5, 16), P(2024, 5, 17)),
        ("16 May – 17 June 2024", P(2024, 5, 16), P(2024, 6, 17)),
        ("44 BC – AD 14", P(-43), P(14)),
        ("AD 602–629", P(602), P(629)),
        ("500–400 BC", P(-499), P(-399)),
        ("500 – 400 BCE", P(-499), P(-399)),
        ("44 BC-AD 14", P(-43), P(14)),
        ("2024-05-05 – 2024-05-09", P(2024, 5, 5), P(2024, 5, 9)),
        ("2024-05-05-2024-05-09", P(2024, 5, 5), P(2024, 5, 9)),
        ("-0043-03-15 – 0014-08-19", P(-43, 3, 15), P(14, 8, 19)),
        ("16 May 2024 14:30–15:45", P(2024, 5, 16, 14, 30), P(2024, 5, 16, 15, 45)),
        ("Sept. 13, 2023 9 p.m.–10 p.m.", P(2023, 9, 13, 21), P(2023, 9, 13, 22)),
        ("July 2000 – Dec. 22, 2017", P(2000, 7), P(2017, 12, 22)),
        ("2000 – July 2000", P(2000), P(2000, 7)),
        ("1999 – 1999", P(1999), P(1999)),
    ],
)
def test_parse_date_range(text, start, end):
    assert parse_date_range(text) == (start, end)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1999-03-03", P(1999, 3, 3)),  # ISO hyphens are not a range
        ("2024-05", P(2024, 5)),
        ("March 3, 1999", P(1999, 3, 3)),
        ("44 BC", P(-43)),
    ],
)
def test_single_dates_are_not_ranges(text, expected):
    assert parse_date_range(text) == (expected, None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2017 – 2006", r"the end \(2006\) is before the start \(2017\)"),
        ("Dec. 22, 2017 – Oct. 14, 2006", "is before the start"),
        ("Dec. 30 – Jan. 2, 1971", r"the end \(2 January 1971\) is before the start"),
        ("Feb. 30 – March 2, 2023", "February 2023 has no day 30"),
        ("March 2020 – May", "no year is given"),
        ("44 BC – AD 0", "there is no year 0"),
    ],
)
def test_bad_ranges(text, message):
    with pytest.raises(DateError, match=message) as info:
        parse_date_range(text)
    assert not isinstance(info.value, DateSyntaxError)


@pytest.mark.parametrize("text", ["1-2", "16-17", "1939–1945–1950", "May 16-17", "to 1999"])
def test_unrecognised_ranges(text):
    with pytest.raises(DateError):
        parse_date_range(text)


@pytest.mark.parametrize("text", ["16-17", "1-2", "1939–1945–1950", "to 1999", "from 1999"])
def test_unrecognised_ranges_are_syntax_errors(text):
    with pytest.raises(DateSyntaxError, match="or a range such as '1939–1945'"):
        parse_date_range(text)


@settings(deadline=None)
@given(partial_dates(), partial_dates())
def test_format_range_parses_back(a, b):
    start, end = sorted([a, b])
    expected = (start, None) if end == start else (start, end)
    assert parse_date_range(format_range(start, end)) == expected


@settings(deadline=None)
@given(partial_dates(), st.integers(1, 40))
def test_format_range_of_nearby_dates_parses_back(start, units):
    # Nearby ends exercise the shared forms ("16–17 May 2024", "14:30–15:45"); deep
    # time is left out, as a shifted deep year is rounded by format_year.
    assume(abs(start.year) < CALENDAR_YEAR_LIMIT - 10)
    end = start.shifted(units)
    assert parse_date_range(format_range(start, end)) == (start, end)


# -- date lines -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "1971",
        "July, 2000",
        "July, 2000:",
        "Sept. 13, 2023.",
        "  Oct. 14, 2006 – Dec. 22, 2017  ",
        "May 16-17, 2024",
        "Nov. 1969",
        "44 B.C.",
        "2024-05-05",
    ],
)
def test_date_lines(line):
    assert is_date_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "On March 3, 1999 the talks failed.",
        "March 3, 1999: the talks fail",
        "Russia invades Ukraine.",
        "(Reporting by Joyce Lee; editing by Miral Fahmy and Andrew Heavens)",
        "Comments",
        "",
        "12",
        "May",
        "Feb. 30, 2023",  # date-shaped but impossible: parse_date_line says why
    ],
)
def test_not_date_lines(line):
    assert not is_date_line(line)


def test_parse_date_line_keeps_the_distinction():
    assert parse_date_line("July, 2000:") == (PartialDate(2000, 7), None)
    with pytest.raises(DateSyntaxError):
        parse_date_line("Russia invades Ukraine.")
    with pytest.raises(DateError, match="has no day 30") as info:
        parse_date_line("Feb. 30, 2023")
    assert not isinstance(info.value, DateSyntaxError)
