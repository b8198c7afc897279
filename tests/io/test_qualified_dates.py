"""Approximate, uncertain and open dates through every format that can say them.

The news text writes them in words ("c. 1450"); TimelineJS JSON and the sheet CSV in
their display date beside the year (the one place those formats have for it); a
``.timeline`` file's ``fuzzy`` flag is read as approximate (see test_thetimeline).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.model.test_parse import partial_dates
from viewer.io.display_dates import read_qualifiers
from viewer.io.news import read_news, write_news
from viewer.io.sheet_csv import read_sheet_csv, write_sheet_csv
from viewer.io.timelinejs import read_timelinejs, write_timelinejs
from viewer.model.dates import PartialDate, Qualifier
from viewer.model.event import Event, Timeline

DATA = Path(__file__).parent.parent / "data" / "qualified"
A, U, B, F = Qualifier.APPROXIMATE, Qualifier.UNCERTAIN, Qualifier.BEFORE, Qualifier.AFTER


def test_news_date_lines_keep_their_qualifiers() -> None:
    timeline = read_news((DATA / "printing.txt").read_text(encoding="utf-8"))
    got = [(e.start.iso(), e.end.iso() if e.end else None) for e in timeline.events]
    assert got == [
        ("1040~", None),
        ("1377~", None),
        ("1439?", None),
        ("1450", "1459"),
        ("..1500", None),
        ("1501~", "1534~"),
        ("1800..", None),
    ]
    assert [e.display_date for e in timeline.events][:3] == ["c. 1040", "c. 1377", "1439?"]
    again = read_news(write_news(timeline))
    assert [(e.start, e.end) for e in again.events] == [(e.start, e.end) for e in timeline.events]


def test_timelinejs_display_dates_qualify_the_year() -> None:
    timeline = read_timelinejs((DATA / "printing.json").read_text(encoding="utf-8"))
    clay, strasbourg, bible, incunabula, spring, other = timeline.events
    assert clay.start == PartialDate(1040, qualifier=A)
    assert clay.display_date == ""  # just the qualified date: written back on export
    assert strasbourg.start == PartialDate(1439, qualifier=U)
    assert (bible.start, bible.end) == (PartialDate(1450), PartialDate(1459))
    assert bible.display_date == "the 1450s"  # the source's own words, kept
    assert incunabula.start == PartialDate(1500, qualifier=B)
    # free text, and text naming another year, change nothing
    assert (spring.start, spring.display_date) == (PartialDate(1455), "Spring 1455")
    assert (other.start, other.display_date) == (PartialDate(1460), "c. 1470")
    out = json.loads(write_timelinejs(timeline))
    slides = out["events"]
    assert slides[0]["display_date"] == "c. 1040"
    assert slides[0]["start_date"] == {"year": "1040"}
    assert slides[1]["display_date"] == "1439?"
    assert slides[3]["display_date"] == "Before 1500"  # the source's own words
    assert read_timelinejs(write_timelinejs(timeline)).events == timeline.events


def test_a_date_level_display_date_qualifies_its_date() -> None:
    slide = {
        "start_date": {"year": "1450", "display_date": "circa 1450"},
        "end_date": {"year": "1500", "display_date": "the 1500s"},  # a span: not one date
        "text": {"headline": "Printing spreads"},
    }
    text = json.dumps({"events": [slide]})
    event = read_timelinejs(text).events[0]
    assert (event.start, event.end) == (PartialDate(1450, qualifier=A), PartialDate(1500))
    again = json.loads(write_timelinejs(read_timelinejs(text)))["events"][0]
    assert again["start_date"]["display_date"] == "circa 1450"  # as given


def test_sheet_display_dates_qualify_the_year() -> None:
    timeline = read_sheet_csv((DATA / "printing.csv").read_text(encoding="utf-8"))
    by_title = {e.title: e for e in timeline.events}
    assert by_title["Bi Sheng's clay type"].start == PartialDate(1040, qualifier=A)
    assert by_title["Jikji"].start == PartialDate(1377)  # a plain row, the fast way
    assert by_title["Gutenberg in Strasbourg"].start == PartialDate(1439, qualifier=U)
    bible = by_title["The Gutenberg Bible"]
    assert (bible.start, bible.end) == (PartialDate(1450), PartialDate(1459))
    assert by_title["Incunabula"].start == PartialDate(1500, qualifier=B)
    assert by_title["The Bible is finished"].display_date == "Spring 1455"
    text = write_sheet_csv(timeline)
    assert ",c. 1040,Bi Sheng" in text
    assert read_sheet_csv(text).events == timeline.events


def test_an_edited_qualified_event_does_not_export_a_stale_display_date() -> None:
    event = Event("Press", PartialDate(1450, qualifier=A), display_date="Spring 1440")
    slide = json.loads(write_timelinejs(Timeline(events=[event])))["events"][0]
    assert slide["display_date"] == "c. 1450"


qualifiers = st.sampled_from([A, U, A | U, B, F, Qualifier.NONE])


@st.composite
def qualified_events(draw: st.DrawFn) -> Event:
    a = draw(partial_dates(hours=False)).qualified(draw(qualifiers))
    b = draw(st.none() | partial_dates(hours=False).map(lambda d: d.qualified(draw(qualifiers))))
    if b is not None:
        a, b = sorted([a, b])
        a = a.qualified(a.qualifier & ~F)
        b = b.qualified(b.qualifier & ~B)
        if b == a:
            b = None
    return Event("An event", a, b)


@pytest.mark.parametrize(
    ("write", "read"),
    [
        (write_timelinejs, read_timelinejs),
        (write_sheet_csv, read_sheet_csv),
        (write_news, read_news),
    ],
    ids=["timelinejs", "sheet", "news"],
)
@settings(deadline=None, max_examples=60)
@given(events=st.lists(qualified_events(), min_size=1, max_size=4))
def test_qualified_dates_round_trip(write, read, events: list[Event]) -> None:  # type: ignore[no-untyped-def]
    again = read(write(Timeline(events=events)))
    assert [(e.start, e.end) for e in again.events] == [(e.start, e.end) for e in events]


@settings(deadline=None)
@given(text=st.text(max_size=40), date=partial_dates(hours=False))
def test_any_display_date_is_read_without_raising(text: str, date: PartialDate) -> None:
    start, end = read_qualifiers(date, None, text)
    assert start.nominal == date  # it may qualify the date, never move it
    assert end is None or end.begin() >= start.begin()


def test_speaker_notes_travel_where_a_format_can_hold_them() -> None:
    from viewer.io.ical import read_ical, write_ical

    event = Event("Press", PartialDate(1450, 3, 1), notes="Pause here.\nAsk the room.")
    timeline = Timeline(events=[event])
    assert read_timelinejs(write_timelinejs(timeline)).events[0].notes == event.notes
    assert read_ical(write_ical(timeline)).events[0].notes == event.notes
    # the sheet has no column for them (they stay in the file)
    assert read_sheet_csv(write_sheet_csv(timeline)).events[0].notes == ""
