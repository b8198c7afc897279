"""TimelineJS sheet CSV import/export: own samples, shared fixtures, round trips, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.io.errors import FormatError
from viewer.io.media import with_media_image
from viewer.io.sheet_csv import COLUMNS, looks_like_sheet_csv, read_sheet_csv, write_sheet_csv
from viewer.io.timelinejs import (
    categories_for,
    fallback_title,
    read_timelinejs,
    write_timelinejs,
)
from viewer.model.dates import (
    CALENDAR_YEAR_LIMIT,
    DEEP_TIME_LIMIT,
    PartialDate,
    Precision,
    days_in_month,
)
from viewer.model.event import Era, Event, Timeline

DATA = Path(__file__).resolve().parents[1] / "data" / "timelinejs"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "timelinejs"
CSV_FIXTURES = ["women_in_computing.csv", "my-own-timeline.csv"]
HEADER = ",".join(COLUMNS)


def data(name: str) -> str:
    # Bytes, not read_text(): keep CRLF and line breaks inside cells as they are.
    return (DATA / name).read_bytes().decode("utf-8")


def shared(name: str) -> str:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"shared fixture {path} is absent")
    return path.read_bytes().decode("utf-8")


def sheet(*rows: str, newline: str = "\r\n") -> str:
    return newline.join([HEADER, *rows]) + newline


def row(**cells: str) -> str:
    """One CSV line with the given cells (keys are column names with _ for spaces)."""
    values = {name.replace("_", " "): value for name, value in cells.items()}
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([values.get(c, "") for c in COLUMNS])
    return buffer.getvalue()


# -- own sample ----------------------------------------------------------------------


def test_own_sample_with_bom_and_crlf() -> None:
    text = data("sheet.csv")
    assert text.startswith("\ufeffYear,") and "\r\n" in text
    timeline = read_sheet_csv(text, source="sheet.csv")
    assert timeline.source == "sheet.csv"
    assert timeline.title == 'Small, "quoted" sheet'
    assert timeline.description == "<p>Line one</p>\n<p>Line two</p>"
    assert timeline.extra == {
        "media": {
            "url": "https://example.org/title.png",
            "credit": "",
            "caption": "",
            "thumbnail": "",
        },
        "background": {"color": "#ffeecc"},
    }
    caesar, moon, july, untitled = timeline.events
    assert caesar.start == PartialDate(-43, 3, 15)
    assert caesar.title == "Caesar, murdered"
    assert caesar.display_date == "Ides of March"
    assert caesar.category == "Politics"
    assert caesar.description == "<p>In the <i>Curia</i>.</p>"

    assert moon.start == PartialDate(1969, 7, 20, 20, 17)
    assert moon.end == PartialDate(1969, 7, 21, 2, 56)
    assert moon.extra["media"] == {
        "url": "https://example.org/moon.jpg",
        "credit": "NASA",
        "caption": "Eagle has landed",
        "thumbnail": "https://example.org/moon-thumb.jpg",
    }
    assert moon.extra["background"] == {"color": "black"}

    assert july.start == PartialDate(2000, 7)
    assert july.start.precision is Precision.MONTH
    assert july.extra == {"background": {"url": "https://example.org/bg.jpg"}}

    assert untitled.start == PartialDate(2024, 5, 16, 14, 30, 15)
    assert untitled.title == "No headline here at all"
    assert untitled.extra == {
        "start_date": {"millisecond": "250"},
        "text": {"headline": ""},
        "group": "  ",
    }
    assert [c.name for c in timeline.categories] == ["Politics", "Space"]
    assert timeline.eras == [
        Era("Republic", PartialDate(-508), PartialDate(-26), {"text": {"text": "Era text"}})
    ]


def test_own_sample_round_trips() -> None:
    timeline = read_sheet_csv(data("sheet.csv"))
    text = write_sheet_csv(timeline)
    assert text.startswith(HEADER + "\r\n")
    again = read_sheet_csv(text)
    assert again == timeline
    assert write_sheet_csv(again) == text
    lines = list(csv.reader(io.StringIO(text, newline="")))
    assert lines[2][:4] == ["-44", "3", "15", ""]
    assert lines[3][3] == "20:17" and lines[3][7] == "02:56"
    assert lines[4][:3] == ["2000", "7", ""]  # month precision: no day
    assert lines[5][3] == "14:30:15.250"
    assert lines[-1][15] == "era"


def test_csv_to_json_conversion_is_sensible() -> None:
    doc = json.loads(write_timelinejs(read_sheet_csv(data("sheet.csv"))))
    assert doc["title"]["text"]["headline"] == 'Small, "quoted" sheet'
    assert doc["title"]["background"] == {"color": "#ffeecc"}
    moon = doc["events"][1]
    assert moon["start_date"] == {
        "year": "1969",
        "month": "7",
        "day": "20",
        "hour": "20",
        "minute": "17",
    }
    assert moon["media"]["caption"] == "Eagle has landed"
    assert moon["group"] == "Space"
    untitled = doc["events"][3]
    assert untitled["text"] == {"text": "<b>No headline</b> here at all", "headline": ""}
    assert untitled["start_date"]["millisecond"] == "250"
    assert doc["eras"][0]["text"] == {"headline": "Republic", "text": "Era text"}


def test_bad_year_names_row_and_column() -> None:
    with pytest.raises(FormatError) as info:
        read_sheet_csv(data("bad_year.csv"), source="bad_year.csv")
    assert info.value.where == "row 4, column 'Year'"
    assert str(info.value) == "bad_year.csv, row 4, column 'Year': 'abc' is not a year"


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        ("14:30", (14, 30)),
        ("14:30:15", (14, 30, 15)),
        ("2:30 PM", (14, 30)),
        ("2:30pm", (14, 30)),
        ("12:05 a.m.", (0, 5)),
        ("12 PM", (12,)),
        ("9", (9,)),
        (" 07:08:09 ", (7, 8, 9)),
    ],
)
def test_time_column(time: str, expected: tuple[int, ...]) -> None:
    timeline = read_sheet_csv(sheet(row(Year="2020", Month="2", Day="29", Time=time, Headline="t")))
    assert timeline.events[0].start == PartialDate(2020, 2, 29, *expected)


def test_month_precision_export_has_no_day_and_times_round_trip() -> None:
    events = [
        Event("m", PartialDate(-5, 12), PartialDate(3, 1)),
        Event("h", PartialDate(2020, 1, 2, 7)),
        Event("s", PartialDate(2020, 1, 2, 7, 0, 9)),
    ]
    text = write_sheet_csv(Timeline(events=events))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert (rows[0]["Year"], rows[0]["Month"], rows[0]["Day"]) == ("-6", "12", "")
    assert (rows[0]["End Year"], rows[0]["End Month"], rows[0]["End Day"]) == ("3", "1", "")
    assert rows[1]["Time"] == "07"
    assert rows[2]["Time"] == "07:00:09"
    assert read_sheet_csv(text).events == events


def test_lf_only_and_missing_optional_columns() -> None:
    text = "year , HEADLINE,Text\n1999,Party,<p>like it's</p>\n\n,,\n"
    timeline = read_sheet_csv(text)
    assert [(e.title, e.start) for e in timeline.events] == [("Party", PartialDate(1999))]


def test_unknown_type_is_an_event_that_keeps_its_type() -> None:
    timeline = read_sheet_csv(sheet(row(Year="1", Headline="x", Type="slide")))
    assert timeline.events[0].extra == {"type": "slide"}
    assert read_sheet_csv(write_sheet_csv(timeline)) == timeline


def test_background_colour_or_url() -> None:
    cells = ["#abc", "papayawhip", "rgb(1, 2, 3)", "https://e.org/x.png", "//cdn/x.png"]
    text = sheet(*(row(Year="1", Headline="x", Background=c) for c in cells))
    got = [e.extra["background"] for e in read_sheet_csv(text).events]
    assert got == [
        {"color": "#abc"},
        {"color": "papayawhip"},
        {"color": "rgb(1, 2, 3)"},
        {"url": "https://e.org/x.png"},
        {"url": "//cdn/x.png"},
    ]


def test_looks_like_sheet_csv() -> None:
    assert looks_like_sheet_csv(data("sheet.csv"))
    assert looks_like_sheet_csv(HEADER + "\n")
    assert not looks_like_sheet_csv("Year,Headline\n")
    assert not looks_like_sheet_csv('{"events": []}')
    assert not looks_like_sheet_csv("")
    assert not looks_like_sheet_csv("a,b,c\n1,2,3\n")


# -- shared fixtures -----------------------------------------------------------------


@pytest.mark.parametrize("name", CSV_FIXTURES)
def test_fixture_imports_and_round_trips_exactly(name: str) -> None:
    text = shared(name)
    assert looks_like_sheet_csv(text)
    timeline = read_sheet_csv(text, source=name)
    assert len(timeline.events) == 10
    assert timeline.title
    assert timeline.extra["background"]["url"].endswith(".gif")
    again = read_sheet_csv(write_sheet_csv(timeline), source=name)
    assert again.events == timeline.events
    assert again.categories == timeline.categories
    assert again.eras == timeline.eras
    assert (again.title, again.description, again.extra) == (
        timeline.title,
        timeline.description,
        timeline.extra,
    )
    assert again == timeline
    # ...and through TimelineJS JSON too (where a media column is the event's image).
    timeline.events = [with_media_image(e, None) for e in timeline.events]
    assert read_timelinejs(write_timelinejs(timeline), source=name) == timeline


def test_fixture_csv_matches_json() -> None:
    from_csv = read_sheet_csv(shared("women_in_computing.csv"))
    from_json = read_timelinejs(shared("women_in_computing.json"))
    assert (from_csv.title, from_csv.description) == (from_json.title, from_json.description)
    assert from_csv.extra["background"] == from_json.extra["background"]
    for a, b in zip(from_csv.events, from_json.events, strict=True):
        assert (a.title, a.start, a.end, a.description, a.category) == (
            b.title,
            b.start,
            b.end,
            b.description,
            b.category,
        )
        assert with_media_image(a, None).images == b.images  # the JSON's media: its image
        assert a.extra.get("background") == b.extra.get("background")


def test_fixture_my_own_timeline_keeps_crlf_inside_a_cell() -> None:
    timeline = read_sheet_csv(shared("my-own-timeline.csv"))
    assert timeline.title == "MY OWN CSV"
    eniac = timeline.events[2]
    assert eniac.start == PartialDate(1943, 7)
    assert eniac.end == PartialDate(1946)
    assert eniac.description.endswith("ENIAC Women.\r\n.</span>")


# -- errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        ("", "row 1", "empty"),
        ("Month,Headline\n1,x\n", "row 1", "'Year'"),
        (sheet(row(Year="abc", Headline="x")), "row 2, column 'Year'", "'abc' is not a year"),
        (sheet(row(Headline="no year")), "row 2, column 'Year'", "no year"),
        (sheet(row(Year="2000", Month="13")), "row 2, column 'Month'", "month 13"),
        (sheet(row(Year="2023", Month="2", Day="29")), "row 2, column 'Day'", "no day 29"),
        (sheet(row(Year="2000", Day="3")), "row 2, column 'Day'", "without a month"),
        (sheet(row(Year="2000", Time="10:00")), "row 2, column 'Time'", "without a month"),
        (
            sheet(row(Year="2000", Month="1", Day="1", Time="25:00")),
            "row 2, column 'Time'",
            "hour 25",
        ),
        (
            sheet(row(Year="2000", Month="1", Day="1", Time="noon")),
            "row 2, column 'Time'",
            "not a time",
        ),
        (
            sheet(row(Year="2000", Month="1", Day="1", Time="13 PM")),
            "row 2, column 'Time'",
            "not a time",
        ),
        (sheet(row(Year="2000", End_Year="1999")), "row 2, column 'End Year'", "before"),
        (sheet(row(Year="2000", End_Month="5")), "row 2, column 'End Year'", "no year"),
        (sheet("", row(Year="1", Type="era")), "row 3, column 'End Year'", "era needs an end"),
        (
            sheet(row(Type="title"), row(Type="TITLE")),
            "row 3, column 'Type'",
            "second title row",
        ),
        (sheet('1,,,,,,,,,"unterminated'), "row 2", "not a readable CSV"),
    ],
)
def test_bad_input_names_the_place(text: str, where: str, fragment: str) -> None:
    with pytest.raises(FormatError) as info:
        read_sheet_csv(text)
    assert info.value.where == where
    assert fragment in info.value.message


# -- property tests ------------------------------------------------------------------

TEXT_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
plain_text = st.text(TEXT_CHARS, max_size=30)
non_blank = st.text(TEXT_CHARS, min_size=1, max_size=30).filter(str.strip)
titles = st.one_of(
    non_blank,
    st.sampled_from(['He said "hi", then left', "a,b;c\nd", "Ωμέγα — “quotes”", "x\r\ny\rz"]),
)
html_text = st.builds(
    lambda a, b: f'<p class="x">{a}</p>\n<a href="https://example.org/">{b}</a>',
    plain_text,
    plain_text,
)
descriptions = st.one_of(st.just(""), plain_text, html_text)
group_names = st.sampled_from(["Politics", "Science, Tech", 'Ünï "quoted"', "a\nb", " pad "])
media = st.builds(
    lambda url, credit, caption, thumb: {
        "url": url,
        "credit": credit,
        "caption": caption,
        "thumbnail": thumb,
    },
    st.sampled_from(["https://example.org/a.jpg", "<blockquote>q, “r”</blockquote>"]),
    plain_text,
    html_text,
    st.just("") | st.just("https://example.org/t.jpg"),
)
backgrounds = st.sampled_from(
    [{"color": "#123456"}, {"color": "white"}, {"url": "https://e.org/b.png"}]
)


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    precision = draw(st.sampled_from(list(Precision)))
    if precision is Precision.YEAR:
        return PartialDate(
            draw(st.integers(-3000, 3000) | st.integers(-DEEP_TIME_LIMIT, DEEP_TIME_LIMIT))
        )
    year = draw(st.integers(-1000, 2100) | st.integers(-CALENDAR_YEAR_LIMIT, CALENDAR_YEAR_LIMIT))
    month = draw(st.integers(1, 12))
    parts = [year, month]
    if precision >= Precision.DAY:
        parts.append(draw(st.integers(1, days_in_month(year, month))))
    limits = {Precision.HOUR: 23, Precision.MINUTE: 59, Precision.SECOND: 59}
    for p, top in limits.items():
        if precision >= p:
            parts.append(draw(st.integers(0, top)))
    return PartialDate(*parts)


def date_range(draw: st.DrawFn) -> tuple[PartialDate, PartialDate | None]:
    start = draw(partial_dates())
    if not draw(st.booleans()):
        return start, None
    first, second = sorted((start, draw(partial_dates())), key=lambda d: d.begin())
    return first, second


@st.composite
def events(draw: st.DrawFn) -> Event:
    start, end = date_range(draw)
    description = draw(descriptions)
    extra: dict[str, Any] = {}
    if draw(st.booleans()):
        extra["media"] = draw(media)
    if draw(st.booleans()):
        extra["background"] = draw(backgrounds)
    if start.second is not None and draw(st.booleans()):
        extra["start_date"] = {"millisecond": draw(st.sampled_from(["0", "5", "250"]))}
    if draw(st.integers(0, 5)) == 0:
        title = fallback_title(description)
        extra["text"] = {"headline": draw(st.sampled_from(["", " ", "\t"]))}
    else:
        title = draw(titles)
    category = draw(st.none() | group_names)
    if category is None and draw(st.booleans()):
        extra["group"] = "  "
    return Event(
        title=title,
        start=start,
        end=end,
        description=description,
        category=category,
        display_date=draw(st.just("") | plain_text),
        extra=extra,
    )


@st.composite
def eras(draw: st.DrawFn) -> Era:
    start, end = date_range(draw)
    extra: dict[str, Any] = {}
    if draw(st.booleans()):
        extra["text"] = {"text": draw(html_text)}
    if draw(st.booleans()):
        extra["background"] = draw(backgrounds)
    return Era(draw(plain_text), start, end or start, extra)


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    evs = draw(st.lists(events(), max_size=6))
    extra: dict[str, Any] = {}
    if draw(st.booleans()):
        extra["media"] = draw(media)
    if draw(st.booleans()):
        extra["background"] = draw(backgrounds)
    return Timeline(
        title=draw(plain_text),
        description=draw(descriptions),
        events=evs,
        categories=categories_for(evs),
        eras=draw(st.lists(eras(), max_size=3)),
        extra=extra,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines())
def test_write_then_read_gives_the_same_timeline(timeline: Timeline) -> None:
    text = write_sheet_csv(timeline)
    assert read_sheet_csv(text) == timeline
    for line in csv.DictReader(io.StringIO(text, newline="")):
        if not line["Month"]:
            assert not line["Day"]
        if not line["End Month"]:
            assert not line["End Day"]


cells = st.one_of(
    st.sampled_from(["", " ", "1", "-44", "08", "13", "abc", "2:30 PM", "14:30:15.5", "0"]),
    st.sampled_from(["title", "era", "Title", "x", "#fff", "https://e.org/a", "2.0"]),
    st.text(max_size=8),
)
random_rows = st.lists(cells, min_size=0, max_size=len(COLUMNS))
good_rows = st.builds(
    lambda values: [values.get(column, "") for column in COLUMNS],
    st.fixed_dictionaries(
        {"Year": st.sampled_from(["1", "-44", "1999", " 2020 ", "0", "-13800000000"])},
        optional={
            "Month": st.sampled_from(["", "2", "08", "12"]),
            "Day": st.sampled_from(["", "1", "28"]),
            "Time": st.sampled_from(["", "14:30", "2 PM", "23:59:59.5"]),
            "End Year": st.sampled_from(["", "2021", "-1"]),
            "End Month": st.sampled_from(["", "3"]),
            "Display Date": plain_text,
            "Headline": plain_text,
            "Text": plain_text,
            "Media": plain_text,
            "Media Caption": plain_text,
            "Type": st.sampled_from(["", "era", "title", "Title", "other"]),
            "Group": st.sampled_from(["", " ", "A", "b, c"]),
            "Background": st.sampled_from(["", "#fff", "https://e.org/a.png", " red "]),
        },
    ),
)
csv_rows = st.lists(good_rows, max_size=5) | st.lists(good_rows | random_rows, max_size=5)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_rows, st.sampled_from([True, True, True, False]))
def test_any_sheet_gives_a_timeline_or_a_format_error(rows: list[list[str]], header: bool) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow(COLUMNS)
    writer.writerows(rows)
    try:
        timeline = read_sheet_csv(buffer.getvalue())
    except FormatError as error:
        assert error.where
        return
    assert read_sheet_csv(write_sheet_csv(timeline)) == timeline
    timeline.events = [with_media_image(e, None) for e in timeline.events]
    assert read_timelinejs(write_timelinejs(timeline)) == timeline


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_a_timeline_or_a_format_error(text: str) -> None:
    try:
        read_sheet_csv(text)
    except FormatError as error:
        assert error.where
    looks_like_sheet_csv(text)


def test_a_column_given_twice_is_refused_rather_than_half_read() -> None:
    text = "Year,Headline,Text,year\n2000,Wall falls,,1989\n"
    with pytest.raises(FormatError, match=r"two 'Year' columns \(columns 1 and 4\)") as info:
        read_sheet_csv(text)
    assert info.value.where == "row 1"
