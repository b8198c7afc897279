"""Approximate, uncertain and open-ended dates, decades and centuries (EDTF level 1).

What a source says about a date is kept as its qualifier and never moves it: "c. 1450"
covers the year 1450 as "1450" does.  A decade or a century is a span of years.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.model.test_parse import partial_dates
from viewer.model.dates import DateError, PartialDate, Qualifier, format_range
from viewer.model.event import Event
from viewer.model.parse import parse_date, parse_date_line, parse_date_range, parse_span

A, U, B, F = Qualifier.APPROXIMATE, Qualifier.UNCERTAIN, Qualifier.BEFORE, Qualifier.AFTER


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # approximate
        ("c. 1450", "1450~", None),
        ("circa 3000 BC", "-2999~", None),
        ("around 1040", "1040~", None),
        ("about July 2000", "2000-07~", None),
        ("ca. 1200", "1200~", None),
        ("~1450", "1450~", None),
        ("1450~", "1450~", None),
        # uncertain, and both
        ("1455?", "1455?", None),
        ("probably 1455", "1455?", None),
        ("c. 1455?", "1455%", None),
        ("1455%", "1455%", None),
        ("May 3, 1999?", "1999-05-03?", None),
        # open-ended
        ("before 1200", "..1200", None),
        ("by 1200", "..1200", None),
        ("after 1300", "1300..", None),
        ("since March 2020", "2020-03..", None),
        ("..1200", "..1200", None),
        ("1300..", "1300..", None),
        ("../1200", "..1200", None),
        ("1300/..", "1300..", None),
        ("before 1100 – 1200", "..1100", "1200"),
        ("1100 – after 1200", "1100", "1200.."),
        # decades and centuries: spans of years
        ("the 1960s", "1960", "1969"),
        ("1960s", "1960", "1969"),
        ("the 1960's", "1960", "1969"),
        ("the 1450s", "1450", "1459"),
        ("the 1450s BC", "-1458", "-1449"),
        ("196X", "1960", "1969"),
        ("19XX", "1900", "1999"),
        ("19th century", "1801", "1900"),
        ("the 19th-century", "1801", "1900"),
        ("5th century BC", "-0499", "-0400"),
        ("1st millennium", "0001", "1000"),
        ("2nd millennium BC", "-1999", "-1000"),
        ("early 1990s", "1990~", "1993~"),
        ("mid-1990s", "1993~", "1996~"),
        ("the late 1960s", "1966~", "1969~"),
        ("late 19th century", "1867~", "1900~"),
        ("1960s–1970s", "1960", "1979"),
        ("1950 – 1960s", "1950", "1969"),
        # ranges with qualified ends
        ("c. 1450 – c. 1500", "1450~", "1500~"),
        ("c. 1450 – 1500", "1450~", "1500"),
        ("1450~/1500", "1450~", "1500"),
        ("1450 – 1460?", "1450", "1460?"),
        ("196X/197X", "1960", "1979"),
    ],
)
def test_qualified_forms(text: str, start: str, end: str | None) -> None:
    got_start, got_end = parse_date_range(text)
    assert got_start.iso() == start
    assert (got_end.iso() if got_end else None) == end


def test_a_qualifier_never_moves_the_date() -> None:
    plain, approx = parse_date("1450"), parse_date("c. 1450")
    assert approx.nominal == plain
    assert (approx.begin(), approx.finish()) == (plain.begin(), plain.finish())
    assert approx != plain


def test_news_lines_with_qualifiers() -> None:
    assert parse_date_line("c. 1450:") == (PartialDate(1450, qualifier=A), None)
    assert parse_date_line("The 1960s.")[1] == PartialDate(1969)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("after 1300 – 1400", "open only before its start or after its end"),
        ("1300 – before 1400", "open only before its start or after its end"),
        ("the 1800s", "write the years"),
        ("early 2020", "'early' needs a decade or a century"),
        ("0th century", "no 0th century"),
        ("1450 circa", "expected a date"),
        ("c. the war", "expected a date"),
    ],
)
def test_refused_forms(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_date_range(text)


def test_spans() -> None:
    assert parse_span("1999") == (PartialDate(1999), PartialDate(1999))
    assert parse_span("the 1960s") == (PartialDate(1960), PartialDate(1969))
    assert parse_span("early 1990s")[1] == PartialDate(1993, qualifier=A)
    with pytest.raises(DateError):
        parse_span("1939–1945")


def test_formatting_for_people() -> None:
    assert PartialDate(1450, qualifier=A).format() == "c. 1450"
    assert PartialDate(1455, qualifier=U).format() == "1455?"
    assert PartialDate(1455, qualifier=A | U).format() == "c. 1455?"
    assert PartialDate(1200, qualifier=B).format() == "before 1200"
    assert PartialDate(-2999, qualifier=A).format() == "c. 3000 BC"
    assert PartialDate(1300, 5, qualifier=F).format() == "after May 1300"
    start, end = PartialDate(1450, qualifier=A), PartialDate(1500)
    assert format_range(start, end) == "c. 1450 – 1500"
    assert format_range(start, end.qualified(A)) == "c. 1450 – c. 1500"
    assert Qualifier(A | U).describe() == "approximate, uncertain"


def test_a_date_is_open_on_one_side_only() -> None:
    with pytest.raises(DateError, match="both 'before' and 'after'"):
        PartialDate(1200, qualifier=B | F)
    with pytest.raises(DateError, match="no such qualifier"):
        PartialDate(1200, qualifier=64)  # type: ignore[arg-type]


def test_events_are_open_only_outwards() -> None:
    Event("x", PartialDate(1100, qualifier=B), PartialDate(1200))
    Event("x", PartialDate(1100), PartialDate(1200, qualifier=F))
    Event("x", PartialDate(1100, qualifier=F))  # a point may be open either way
    with pytest.raises(DateError, match="open only before its start"):
        Event("x", PartialDate(1100, qualifier=F), PartialDate(1200))


def test_moving_keeps_the_qualifier() -> None:
    assert PartialDate(1450, qualifier=A).shifted(3) == PartialDate(1453, qualifier=A)


qualifiers = st.sampled_from([A, U, A | U, B, F, A | B, U | F, Qualifier.NONE])


@st.composite
def qualified_dates(draw: st.DrawFn) -> PartialDate:
    return draw(partial_dates()).qualified(draw(qualifiers))


@settings(deadline=None)
@given(qualified_dates())
def test_qualified_format_parses_back(date: PartialDate) -> None:
    assert parse_date(date.format()) == date


@settings(deadline=None)
@given(qualified_dates())
def test_qualified_iso_round_trips(date: PartialDate) -> None:
    assert PartialDate.from_iso(date.iso()) == date
    assert parse_date(date.iso()) == date


@settings(deadline=None)
@given(qualified_dates(), qualified_dates())
def test_qualified_ranges_parse_back(a: PartialDate, b: PartialDate) -> None:
    start, end = sorted([a, b])
    start = start.qualified(start.qualifier & ~Qualifier.AFTER)
    end = end.qualified(end.qualifier & ~Qualifier.BEFORE)
    expected = (start, None) if end == start else (start, end)
    assert parse_date_range(format_range(start, end)) == expected


@settings(deadline=None)
@given(st.text(alphabet="0123456789 -–/.~?%xXcabefortheslyimdnu", max_size=30))
def test_qualifier_noise_raises_only_date_error(text: str) -> None:
    for parse in (parse_date, parse_date_range, parse_span):
        with contextlib.suppress(DateError):
            parse(text)
