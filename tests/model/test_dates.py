"""PartialDate: precision, ordering, axis positions, text forms and deep time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.model.dates import (
    CALENDAR_YEAR_LIMIT,
    DEEP_TIME_LIMIT,
    SECONDS_PER_DAY,
    DateError,
    PartialDate,
    Precision,
    check_range,
    civil_from_days,
    days_from_civil,
    days_in_month,
    format_range,
    format_year,
    year_from_position,
    year_start,
)

DAY = SECONDS_PER_DAY


@st.composite
def partial_dates(draw: st.DrawFn, limit: int = CALENDAR_YEAR_LIMIT) -> PartialDate:
    """Any calendar date, of any precision, with ``abs(year) <= limit``."""
    year = draw(st.integers(-limit, limit))
    precision = draw(st.sampled_from(Precision))
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


deep_years = st.integers(-DEEP_TIME_LIMIT, DEEP_TIME_LIMIT)


# -- construction -----------------------------------------------------------------------


def test_precision_is_what_was_given():
    assert PartialDate(2000).precision is Precision.YEAR
    assert PartialDate(2000, 7).precision is Precision.MONTH
    assert PartialDate(2000, 7, 1).precision is Precision.DAY
    assert PartialDate(2000, 7, 1, 9).precision is Precision.HOUR
    assert PartialDate(2000, 7, 1, 9, 5).precision is Precision.MINUTE
    assert PartialDate(2000, 7, 1, 9, 5, 30).precision is Precision.SECOND


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ((2023, 2, 29), "February 2023 has no day 29"),
        ((2000, 13), "month 13 does not exist"),
        ((2000, None, 3), "finer field without the coarser"),
        ((2000, 1, 1, 24), "hour 24 does not exist"),
        ((2000, 1, 1, 0, 60), "minute 60 does not exist"),
        ((CALENDAR_YEAR_LIMIT + 1, 1), "can only be given as a year"),
        ((DEEP_TIME_LIMIT + 1,), "out of range"),
        ((True,), "whole number"),
    ],
)
def test_impossible_dates_are_refused(fields, message):
    with pytest.raises(DateError, match=message):
        PartialDate(*fields)


def test_leap_days():
    assert PartialDate(2024, 2, 29).day == 29
    assert PartialDate(2000, 2, 29).day == 29
    with pytest.raises(DateError):
        PartialDate(1900, 2, 29)
    assert PartialDate(-4, 2, 29).year == -4  # 5 BC is a leap year (proleptic)


# -- ordering ---------------------------------------------------------------------------


def test_ordering_by_start_then_coarser_first():
    dates = [
        PartialDate(2000, 7, 1),
        PartialDate(2000, 7),
        PartialDate(2000),
        PartialDate(1999, 12, 31, 23, 59, 59),
        PartialDate(-43, 3, 15),
        PartialDate(1),
        PartialDate(0),
    ]
    assert sorted(dates) == [
        PartialDate(-43, 3, 15),
        PartialDate(0),
        PartialDate(1),
        PartialDate(1999, 12, 31, 23, 59, 59),
        PartialDate(2000),
        PartialDate(2000, 7),
        PartialDate(2000, 7, 1),
    ]
    assert PartialDate(2000) < PartialDate(2000, 1) <= PartialDate(2000, 1)
    assert PartialDate(2000, 1) > PartialDate(2000) and PartialDate(2000) >= PartialDate(2000)


def test_deep_time_sorts_before_antiquity():
    big_bang = PartialDate(-13_800_000_000)
    dinosaurs = PartialDate(1 - 66_000_000)
    assert big_bang < dinosaurs < PartialDate(-3500) < PartialDate(2024)
    assert big_bang.begin() < dinosaurs.begin() < PartialDate(-3500).begin()


@settings(deadline=None)
@given(partial_dates(), partial_dates())
def test_ordering_agrees_with_begin(a, b):
    if a.begin() < b.begin():
        assert a < b and not b < a
    assert (a <= b) == (not a > b)


# -- text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "text"),
    [
        (2023, "2023"),
        (1000, "1000"),
        (999, "AD 999"),
        (79, "AD 79"),
        (1, "AD 1"),
        (0, "1 BC"),
        (-43, "44 BC"),
        (-9998, "9999 BC"),
        (-9999, "10,000 BC"),
        (1 - 65_000_000, "65 million years ago"),
        (-13_800_000_000, "13.8 billion years ago"),
    ],
)
def test_format_year(year, text):
    assert format_year(year) == text


@pytest.mark.parametrize(
    ("date", "text", "iso"),
    [
        (PartialDate(2000, 7), "July 2000", "2000-07"),
        (PartialDate(2019, 4, 25), "25 April 2019", "2019-04-25"),
        (PartialDate(-43), "44 BC", "-0043"),
        (PartialDate(-43, 3, 15), "15 March 44 BC", "-0043-03-15"),
        (PartialDate(79, 8, 24), "24 August AD 79", "0079-08-24"),
        (PartialDate(2024, 5, 5, 14, 30), "5 May 2024 14:30", "2024-05-05T14:30"),
        (PartialDate(2024, 5, 5, 14, 30, 15), "5 May 2024 14:30:15", "2024-05-05T14:30:15"),
    ],
)
def test_format_and_iso(date, text, iso):
    assert date.format() == text == str(date)
    assert date.iso() == iso
    assert PartialDate.from_iso(iso) == date


def test_from_iso_rejects_other_text():
    with pytest.raises(DateError, match="not an ISO date"):
        PartialDate.from_iso("July 2000")


@settings(deadline=None)
@given(partial_dates())
def test_iso_round_trip(date):
    assert PartialDate.from_iso(date.iso()) == date


@given(deep_years)
def test_iso_round_trip_deep_time(year):
    assert PartialDate.from_iso(PartialDate(year).iso()) == PartialDate(year)


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (PartialDate(2024, 5, 16), PartialDate(2024, 5, 17), "16–17 May 2024"),
        (
            PartialDate(2006, 10, 14),
            PartialDate(2017, 12, 22),
            "14 October 2006 – 22 December 2017",
        ),
        (PartialDate(2000, 7), None, "July 2000"),
        (PartialDate(2000, 7), PartialDate(2000, 7), "July 2000"),
        (PartialDate(2020, 1), PartialDate(2020, 3), "January–March 2020"),
        (PartialDate(1971, 1, 31), PartialDate(1971, 2, 9), "31 January – 9 February 1971"),
        (PartialDate(1939), PartialDate(1945), "1939–1945"),
        (PartialDate(-43), PartialDate(14), "44 BC – AD 14"),
        (PartialDate(602), PartialDate(629), "AD 602–629"),
        (PartialDate(-499), PartialDate(-399), "500–400 BC"),
        (PartialDate(602), PartialDate(1066), "AD 602 – 1066"),
        (
            PartialDate(2024, 5, 16, 14, 30),
            PartialDate(2024, 5, 16, 15, 45),
            "16 May 2024 14:30–15:45",
        ),
    ],
)
def test_format_range(start, end, text):
    assert format_range(start, end) == text


def test_check_range():
    check_range(PartialDate(2000), PartialDate(2000, 7))
    check_range(PartialDate(2000), None)
    with pytest.raises(DateError, match=r"the end \(2006\) is before the start \(2017\)"):
        check_range(PartialDate(2017), PartialDate(2006))


# -- axis positions ---------------------------------------------------------------------


def test_begin_and_finish_of_month_and_year():
    assert PartialDate(1970).begin() == 0.0
    assert PartialDate(2000, 7).begin() == days_from_civil(2000, 7, 1) * DAY
    assert PartialDate(2000, 7).finish() == days_from_civil(2000, 8, 1) * DAY
    assert PartialDate(2023, 12).finish() == PartialDate(2024).begin()
    assert PartialDate(2024, 2).finish() - PartialDate(2024, 2).begin() == 29 * DAY
    assert PartialDate(2023, 2).finish() - PartialDate(2023, 2).begin() == 28 * DAY
    assert PartialDate(2024).finish() - PartialDate(2024).begin() == 366 * DAY
    assert PartialDate(2023).finish() - PartialDate(2023).begin() == 365 * DAY
    assert PartialDate(0).finish() == PartialDate(1).begin()  # 1 BC is followed by AD 1
    assert PartialDate(2024, 5, 5, 14).finish() - PartialDate(2024, 5, 5, 14).begin() == 3600


def test_finish_at_the_calendar_limit():
    # The next month (January 1000000) cannot be a PartialDate; its position still exists.
    assert PartialDate(CALENDAR_YEAR_LIMIT, 12).finish() == year_start(CALENDAR_YEAR_LIMIT + 1)
    last_day = PartialDate(CALENDAR_YEAR_LIMIT, 12, 31)
    assert last_day.finish() == year_start(CALENDAR_YEAR_LIMIT + 1)
    assert PartialDate(DEEP_TIME_LIMIT).finish() > PartialDate(DEEP_TIME_LIMIT).begin()


@settings(deadline=None)
@given(partial_dates())
def test_finish_is_the_next_periods_begin(date):
    assert date.begin() < date.finish()
    if abs(date.year) < CALENDAR_YEAR_LIMIT:
        assert date.finish() == date.next_period().begin()


def test_next_period_and_shifted():
    assert PartialDate(2000, 7).next_period() == PartialDate(2000, 8)
    assert PartialDate(2000, 12).next_period() == PartialDate(2001, 1)
    assert PartialDate(2023, 12, 31).next_period() == PartialDate(2024, 1, 1)
    assert PartialDate(2024, 2, 28).shifted(1) == PartialDate(2024, 2, 29)
    assert PartialDate(0).shifted(1) == PartialDate(1)
    assert PartialDate(2000, 1).shifted(-1) == PartialDate(1999, 12)
    assert PartialDate(2000, 1, 1, 0, 0).shifted(-1) == PartialDate(1999, 12, 31, 23, 59)


@settings(deadline=None)
@given(partial_dates(limit=CALENDAR_YEAR_LIMIT - 1000), st.integers(-500, 500))
def test_shifted_keeps_precision(date, units):
    moved = date.shifted(units)
    assert moved.precision is date.precision
    assert moved.shifted(-units) == date
    assert (moved.begin() > date.begin()) == (units > 0)


@settings(deadline=None)
@given(partial_dates())
def test_from_position_inverts_begin(date):
    assert PartialDate.from_position(date.begin(), date.precision) == date
    assert date.with_precision(Precision.YEAR) == PartialDate(date.year)


@given(deep_years)
def test_year_from_position_in_deep_time(year):
    # The mean-year estimate used beyond a million years must still land on the year.
    start = year_start(year)
    assert year_from_position(start) == year
    assert PartialDate.from_position(start, Precision.YEAR) == PartialDate(year)
    middle = start + 180 * DAY
    assert year_from_position(middle) == year


def test_civil_known_days():
    assert days_from_civil(1970, 1, 1) == 0
    assert days_from_civil(2000, 3, 1) == 11_017
    assert days_from_civil(1969, 12, 31) == -1
    assert civil_from_days(-719_528) == (0, 1, 1)
    assert civil_from_days(days_from_civil(-43, 3, 15)) == (-43, 3, 15)


@given(st.integers(-(10**14), 10**14))
def test_civil_from_days_inverts_days_from_civil(days):
    year, month, day = civil_from_days(days)
    assert 1 <= month <= 12 and 1 <= day <= days_in_month(year, month)
    assert days_from_civil(year, month, day) == days


@given(st.integers(-(10**9), 10**9), st.integers(1, 12), st.integers(1, 31))
def test_days_from_civil_inverts_civil_from_days(year, month, day):
    day = min(day, days_in_month(year, month))
    assert civil_from_days(days_from_civil(year, month, day)) == (year, month, day)
