"""iCalendar import and export: own files, time zones, all-day ends, recurrence,
errors with lines, round trips (hypothesis), fuzz, the CLI."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.cli import main
from viewer.io.errors import FormatError
from viewer.io.formats import detect_format, read_file
from viewer.io.ical import looks_like_ical, read_ical, write_ical
from viewer.model.dates import PartialDate, Qualifier
from viewer.model.event import Event, Timeline
from viewer.store import EventStore

DATA = Path(__file__).resolve().parents[1] / "data" / "ical"


def cal(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *lines, "END:VCALENDAR", ""])


def vevent(*lines: str) -> str:
    return cal("BEGIN:VEVENT", "UID:x", *lines, "END:VEVENT")


def one(*lines: str) -> Event:
    (event,) = read_ical(vevent(*lines)).events
    return event


def without_uid(event: Event) -> Event:
    ical = {k: v for k, v in event.extra.get("ical", {}).items() if k != "uid"}
    extra = {k: v for k, v in event.extra.items() if k != "ical"}
    return event.evolve(extra={**extra, "ical": ical} if ical else extra)


def test_own_calendar() -> None:
    timeline = read_file(DATA / "team.ics")
    assert timeline.title == "Team calendar"
    assert timeline.description == "Our year, in short"
    holidays, launch, standup, review, call, wake = timeline.events  # VTODO, VJOURNAL left
    assert (holidays.start, holidays.end) == (PartialDate(2024, 12, 21), PartialDate(2024, 12, 27))
    assert holidays.category == "Leave" and holidays.tags == ("Leave", "Family")
    assert (launch.start, launch.end) == (PartialDate(2024, 9, 5), None)
    assert launch.source_url == "https://example.org/launch"
    assert standup.start == PartialDate(2024, 7, 1, 7, 30, 15)  # 09:30:15 in Berlin, in UTC
    assert standup.end == PartialDate(2024, 7, 1, 7, 45, 0)
    assert standup.extra["ical"]["tzid"] == "Europe/Berlin"
    assert standup.extra["ical"]["location"] == "Room 4, second floor"
    assert standup.extra["ical"]["rrule"] == "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
    assert standup.description.startswith("Daily check-in.\nBring coffee.\n\nRecurs weekly")
    assert standup.extra["ical"]["properties"] == ["ORGANIZER;CN=Ann:mailto:ann@example.org"]
    assert "TRIGGER:-PT10M" in standup.extra["ical"]["components"][0]
    assert review.title.endswith("more than one line of the file")  # unfolded
    assert review.start == PartialDate(2024, 1, 15, 13, 0, 0)  # its own VTIMEZONE, +01:00
    assert review.end == PartialDate(2024, 1, 15, 14, 30, 0)  # DURATION:PT1H30M
    assert call.start == PartialDate(2024, 3, 2, 18, 0, 0) and "tzid" not in call.extra["ical"]
    assert wake.extra["ical"]["floating"] is True and wake.start.hour == 7


def test_own_calendar_round_trips_with_its_zones_and_kept_lines() -> None:
    timeline = read_file(DATA / "team.ics")
    text = write_ical(timeline)
    assert "DTSTART;TZID=Europe/Berlin:20240701T093015" in text
    assert "DTSTART;TZID=Custom Berlin:20240115T140000" in text
    assert "DTSTART;VALUE=DATE:20241221\r\nDTEND;VALUE=DATE:20241228" in text
    assert "RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10" in text
    assert "BEGIN:VALARM" in text and "ORGANIZER;CN=Ann" in text
    assert "Recurs" not in text  # the note is ours: taken off again
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    again = read_ical(text)
    assert again.events == timeline.events
    assert (again.title, again.description) == (timeline.title, timeline.description)


@pytest.mark.parametrize(
    ("lines", "start", "end"),
    [
        (
            ["DTSTART;VALUE=DATE:20241221", "DTEND;VALUE=DATE:20241228"],
            (2024, 12, 21),
            (2024, 12, 27),
        ),
        (["DTSTART;VALUE=DATE:20241221", "DTEND;VALUE=DATE:20241222"], (2024, 12, 21), None),
        (["DTSTART;VALUE=DATE:20241221"], (2024, 12, 21), None),
        (["DTSTART;VALUE=DATE:20241221", "DURATION:P3D"], (2024, 12, 21), (2024, 12, 23)),
        (["DTSTART:20240101T100000Z", "DTEND:20240101T100000Z"], (2024, 1, 1, 10, 0, 0), None),
        (
            ["DTSTART:20240101T100000Z", "DURATION:PT90S"],
            (2024, 1, 1, 10, 0, 0),
            (2024, 1, 1, 10, 1, 30),
        ),
        (["DTSTART;TZID=America/New_York:20240101T100000"], (2024, 1, 1, 15, 0, 0), None),
        (["DTSTART;TZID=Pacific Standard Time:20240101T100000"], (2024, 1, 1, 18, 0, 0), None),
    ],
)
def test_dates(lines: list[str], start: tuple[int, ...], end: tuple[int, ...] | None) -> None:
    event = one(*lines)
    assert event.start == PartialDate(*start)
    assert event.end == (PartialDate(*end) if end else None)


def test_categories_summary_and_description() -> None:
    event = one(
        "DTSTART;VALUE=DATE:20240101",
        "SUMMARY:A\\, B\\; C",
        "DESCRIPTION:one\\ntwo <not a tag",
        "CATEGORIES:Work,Travel",
        "CATEGORIES:Fun",
    )
    assert event.title == "A, B; C"
    assert event.description == "one\ntwo <not a tag"
    assert (event.category, event.tags) == ("Work", ("Work", "Travel", "Fun"))
    assert one("DTSTART;VALUE=DATE:20240101", "DESCRIPTION:Just words here").title == (
        "Just words here"
    )


def test_outlooks_alternative_html_is_not_taken_over_the_plain_text() -> None:
    event = one(
        "DTSTART;VALUE=DATE:20240101",
        "DESCRIPTION:Plain words",
        "X-ALT-DESC;FMTTYPE=text/html:<html><body><p>Other words</p></body></html>",
    )
    assert event.description == "Plain words"


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        ("hello", "line 1", "not an iCalendar file"),
        ("BEGIN:VEVENT\r\nEND:VEVENT", "line 1", "starts with BEGIN:VCALENDAR"),
        (cal("BEGIN:VEVENT", "DTSTART:20240101"), "line 5", "does not end BEGIN:VEVENT"),
        (cal("BEGIN:VTODO", "END:VTODO"), None, "no events"),
        (vevent("SUMMARY:x"), "line 3, VEVENT 1", "no DTSTART"),
        (
            vevent("DTSTART:20240101T100000Z", "DTSTART:20240102T100000Z"),
            "line 5, VEVENT 1, DTSTART",
            "more than once",
        ),
        (vevent("DTSTART:garbage"), "line 5, VEVENT 1, DTSTART", "cannot read DTSTART"),
        (
            vevent("DTSTART:20240102T100000Z", "DTEND:20240101T100000Z"),
            "line 6, VEVENT 1, DTEND",
            "before it starts",
        ),
        (
            vevent("DTSTART;VALUE=DATE:20240102", "DTEND:20240103T100000Z"),
            "line 6, VEVENT 1, DTEND",
            "a date when",
        ),
        (
            vevent("DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "DURATION:PT1H"),
            "line 7, VEVENT 1, DURATION",
            "both",
        ),
        (
            vevent("DTSTART;TZID=Atlantis/Capital:20240101T100000"),
            "line 5, VEVENT 1, DTSTART",
            "unknown time zone",
        ),
        (cal("X-FOO:1", "END:VCALENDAR", "X-BAR:2"), "line 5", "X-BAR is outside"),
    ],
)
def test_errors_name_the_line_and_component(text: str, where: str | None, fragment: str) -> None:
    with pytest.raises(FormatError, match=fragment) as info:
        read_ical(text, source="c.ics")
    assert info.value.where == where
    assert info.value.source == "c.ics"


def test_detected_by_content(tmp_path: Path) -> None:
    text = (DATA / "team.ics").read_text(encoding="utf-8")
    assert looks_like_ical(text) and looks_like_ical("\ufeff  begin:vcalendar\n")
    lying = tmp_path / "calendar.txt"
    lying.write_text(text, encoding="utf-8")
    assert detect_format(lying, text).name == "ics"
    assert not looks_like_ical('{"events": []}')


def test_partial_dates_export_as_spans_and_come_back() -> None:
    events = [
        Event("A year", PartialDate(1990)),
        Event("A month", PartialDate(1995, 3), PartialDate(1995, 5)),
        Event("An hour", PartialDate(2000, 1, 1, 10)),
        Event("Circa", PartialDate(1450, qualifier=Qualifier.APPROXIMATE)),
        Event("Mixed", PartialDate(2001, 2, 3), PartialDate(2001, 2, 4, 10, 30, 0)),
    ]
    text = write_ical(Timeline(title="T", events=events))
    assert "DTSTART;VALUE=DATE:19900101\r\nDTEND;VALUE=DATE:19910101" in text
    assert "DTSTART;VALUE=DATE:19950301\r\nDTEND;VALUE=DATE:19950601" in text
    assert "X-TIMELINE-VIEWER-DATES:1990\r\n" in text
    assert "DTSTART:20000101T100000Z" in text
    assert [without_uid(e) for e in read_ical(text).events] == events


def test_a_date_edited_elsewhere_wins_over_the_note() -> None:
    text = write_ical(Timeline(events=[Event("A year", PartialDate(1990))]))
    moved = text.replace("DTSTART;VALUE=DATE:19900101", "DTSTART;VALUE=DATE:19900601")
    (event,) = read_ical(moved).events
    assert (event.start, event.end) == (PartialDate(1990, 6, 1), PartialDate(1990, 12, 31))


def test_years_outside_1_to_9999_cannot_be_exported() -> None:
    with pytest.raises(FormatError, match=r"'Caesar' .*1 to 9999"):
        write_ical(Timeline(events=[Event("Caesar", PartialDate(-43, 3, 15))]))


def test_export_and_import_through_the_cli(tmp_path: Path, capsys) -> None:
    db, out, again = tmp_path / "a.db", tmp_path / "a.ics", tmp_path / "b.db"
    assert main(["import", str(DATA / "team.ics"), "--db", str(db)]) == 0
    assert "imported 6 events" in capsys.readouterr().out
    assert main(["export", str(db), "--format", "ics", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert main(["import", str(out), "--db", str(again)]) == 0
    with EventStore.open(db, readonly=True) as a, EventStore.open(again, readonly=True) as b:
        first = sorted((e.title, e.start, e.end, e.description, e.tags) for e in a.events())
        assert first == sorted((e.title, e.start, e.end, e.description, e.tags) for e in b.events())


def test_a_bad_event_adds_nothing_through_the_cli(tmp_path: Path, capsys) -> None:
    db = tmp_path / "c.db"
    assert main(["import", str(DATA / "unknown_zone.ics"), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "unknown_zone.ics, line 9, VEVENT 2, DTSTART: unknown time zone" in err
    assert not db.exists()
    assert main(["import", str(DATA / "no_events.ics"), "--db", str(db)]) == 1
    assert "no_events.ics: the file has no events (VEVENT)" in capsys.readouterr().err


# -- round trips and fuzz -------------------------------------------------------------

# (U+FEFF left out: the icalendar library drops it from the start of a value it writes,
# a zero-width character no one types; see test_a_leading_byte_order_mark_is_dropped)
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"), max_size=30
)
WORDS = TEXT.filter(lambda t: bool(t.strip()))


@st.composite
def event_dates(draw: st.DrawFn) -> tuple[PartialDate, PartialDate | None]:
    timed = draw(st.booleans())
    low, high = (-30_000 * 86_400, 2_000_000 * 86_400)
    a, b = sorted(draw(st.lists(st.integers(low, high), min_size=2, max_size=2)))
    if timed:
        start = PartialDate.from_position(a, 5)
        end = PartialDate.from_position(b, 5) if draw(st.booleans()) and b > a else None
    else:
        start = PartialDate.from_position(a, 2)
        end = PartialDate.from_position(b, 2) if b // 86_400 > a // 86_400 else None
    return start, end


@st.composite
def events(draw: st.DrawFn) -> Event:
    start, end = draw(event_dates())
    return Event(
        title=draw(WORDS),
        start=start,
        end=end,
        description=draw(TEXT | st.sampled_from(["<p>Some <b>bold</b> words</p>", "a\nb"])),
        category=draw(st.none() | WORDS),
        tags=tuple(draw(st.lists(WORDS, max_size=3, unique=True))),
        source_url=draw(st.sampled_from(["", "https://example.org/a?b=1,2"])),
        display_date=draw(st.sampled_from(["", "Spring, 1999"])),
        extra=draw(st.sampled_from([{}, {"media": {"url": "u"}}])),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(events(), min_size=1, max_size=4), WORDS)
def test_our_export_imports_as_the_same_events(original: list[Event], title: str) -> None:
    text = write_ical(Timeline(title=title, events=original))
    back = read_ical(text)
    assert [without_uid(e) for e in back.events] == original
    assert back.title == title
    assert read_ical(write_ical(back)).events == back.events  # and again, UIDs too


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=120) | st.builds(lambda body: vevent(*body.splitlines()), st.text(max_size=80))
)
def test_any_text_gives_a_timeline_or_a_format_error(text: str) -> None:
    looks_like_ical(text)
    with contextlib.suppress(FormatError):
        read_ical(text)


PROPS = st.sampled_from(
    [
        "DTSTART:20240101T100000Z",
        "DTSTART;VALUE=DATE:20240101",
        "DTSTART:2024",
        "DTEND:20240101T090000Z",
        "DTEND;VALUE=DATE:20231231",
        "DURATION:-PT1H",
        "DURATION:P1W",
        "DURATION:x",
        "RRULE:FREQ=DAILY;COUNT=x",
        "RRULE:garbage",
        "RDATE:20240105",
        "CATEGORIES:,",
        "X-TIMELINE-VIEWER-DATES:1990/x",
        "X-TIMELINE-VIEWER-DATES:1990",
        "X-TIMELINE-VIEWER-TAGS:[1]",
        "X-TIMELINE-VIEWER-EXTRA:[]",
        "X-ALT-DESC;FMTTYPE=text/html:<b>x</b>",
        "SUMMARY;LANGUAGE=en:x",
        "URL:not a url",
        "DTSTART;TZID=Nowhere:20240101T100000",
        "BEGIN:VALARM",
        "END:VALARM",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PROPS, max_size=6))
def test_any_mix_of_properties_gives_a_timeline_or_a_format_error(lines: list[str]) -> None:
    with contextlib.suppress(FormatError):
        read_ical(vevent(*lines))


def test_a_leading_byte_order_mark_is_dropped() -> None:
    # The one known loss: icalendar writes "\ufeffHello" as "Hello".
    text = write_ical(Timeline(events=[Event("\ufeffHello", PartialDate(1970, 1, 1))]))
    assert read_ical(text).events[0].title == "Hello"
