"""TimelineJS JSON import/export: own samples, shared fixtures, round trips, errors."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.io.errors import FormatError
from viewer.io.media import with_media_image
from viewer.io.timelinejs import (
    astronomical_to_tjs_year,
    categories_for,
    category_color,
    fallback_title,
    looks_like_timelinejs,
    read_timelinejs,
    tjs_to_astronomical_year,
    write_timelinejs,
)
from viewer.model.colors import CATEGORY_COLORS
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
JSON_FIXTURES = ["women_in_computing.json", "eras.json", "cosmo.json"]


def data(name: str) -> str:
    return (DATA / name).read_bytes().decode("utf-8")


def shared(name: str) -> str:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"shared fixture {path} is absent")
    return path.read_bytes().decode("utf-8")


def round_trip(timeline: Timeline) -> Timeline:
    return read_timelinejs(write_timelinejs(timeline), source=timeline.source or None)


# -- year numbering ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tjs", "astronomical"),
    [(2024, 2024), (1, 1), (-1, 0), (-44, -43), (-13_800_000_000, -13_799_999_999)],
)
def test_year_mapping(tjs: int, astronomical: int) -> None:
    assert tjs_to_astronomical_year(tjs) == astronomical
    assert astronomical_to_tjs_year(astronomical) == tjs


def test_year_zero_is_1_bc_and_exports_as_minus_one() -> None:
    assert tjs_to_astronomical_year(0) == 0
    assert astronomical_to_tjs_year(0) == -1


# -- own sample ----------------------------------------------------------------------


def test_own_sample_imports() -> None:
    timeline = read_timelinejs(data("ancient.json"), source="ancient.json")
    assert timeline.source == "ancient.json"
    assert timeline.title == "Rome & Friends"
    assert timeline.description == "<p>From the <b>Republic</b> to the Empire.</p>"
    assert timeline.extra["scale"] == "human"
    assert timeline.extra["unique_id"] == "title-slide"
    assert timeline.extra["media"]["caption"] == "The Forum"

    caesar, rome, augustus, vesuvius, zero = timeline.events
    assert caesar.start == PartialDate(-43, 3, 15)
    assert caesar.start.format() == "15 March 44 BC"
    assert caesar.display_date == "Ides of March, 44 BCE"
    assert caesar.description == "<p>Stabbed in the <i>Curia</i>.</p>"
    assert caesar.category == "Politics"
    assert caesar.extra == {"unique_id": "caesar"}
    assert caesar.source_url == ""

    assert rome.start == PartialDate(-752, 4, 21)
    assert rome.description == ""

    assert augustus.start == PartialDate(-26, 1)
    assert augustus.start.precision is Precision.MONTH
    assert augustus.end == PartialDate(14, 8)
    assert augustus.extra == {"end_date": {"display_date": "AD 14"}}

    assert vesuvius.start == PartialDate(79, 10, 24, 13, 0)
    assert vesuvius.title == "Mount Vesuvius erupts & buries Pompeii and Herculaneum…"
    assert vesuvius.category is None
    assert vesuvius.extra["text"] == {"headline": None}
    assert vesuvius.extra["group"] == ""
    assert vesuvius.extra["start_date"] == {"millisecond": "250"}
    assert "media" not in vesuvius.extra  # a remote media URL: a link, never fetched
    assert [i.url for i in vesuvius.images] == ["https://example.org/vesuvius.jpg"]
    assert not vesuvius.images[0].stored
    assert vesuvius.extra["autolink"] is False

    assert zero.start == PartialDate(0)
    assert zero.title == "(untitled)"
    assert zero.extra == {"text": {"headline": ""}}

    assert [(c.name, c.color) for c in timeline.categories] == [
        ("Politics", CATEGORY_COLORS[0]),
        ("Legend", CATEGORY_COLORS[1]),
    ]
    republic, empire = timeline.eras
    assert republic == Era(
        "Republic", PartialDate(-508), PartialDate(-26), {"text": {"text": "SPQR"}}
    )
    assert empire.title == "Western Empire"
    assert empire.end == PartialDate(476)
    assert empire.extra == {"background": {"color": "#eeeeee"}}


def test_own_sample_round_trips_and_export_is_exact() -> None:
    timeline = read_timelinejs(data("ancient.json"))
    text = write_timelinejs(timeline)
    again = read_timelinejs(text)
    assert again == timeline
    assert write_timelinejs(again) == text

    doc = json.loads(text)
    original = json.loads(data("ancient.json"))
    caesar = doc["events"][0]
    assert caesar["start_date"] == {"year": "-44", "month": "3", "day": "15"}
    assert caesar["display_date"] == "Ides of March, 44 BCE"
    vesuvius = doc["events"][3]
    assert "headline" not in vesuvius["text"]  # absent in the original, so absent again
    assert vesuvius["group"] == ""
    assert vesuvius["start_date"]["millisecond"] == "250"
    assert vesuvius["autolink"] is False
    assert doc["events"][4]["text"] == {"headline": ""}
    assert doc["events"][4]["start_date"] == {"year": "-1"}  # the documented year-0 case
    assert doc["title"]["media"] == original["title"]["media"]
    assert doc["scale"] == "human"
    assert doc["eras"][0]["text"] == {"headline": "Republic", "text": "SPQR"}


def test_month_precision_export_has_no_day() -> None:
    timeline = Timeline(events=[Event("July", PartialDate(-5, 12), PartialDate(2000, 7))])
    slide = json.loads(write_timelinejs(timeline))["events"][0]
    assert slide["start_date"] == {"year": "-6", "month": "12"}
    assert slide["end_date"] == {"year": "2000", "month": "7"}


def test_export_is_pretty_and_not_ascii_escaped() -> None:
    timeline = Timeline(title="Zeitstrahl für Ωμέγα", events=[Event("Café", PartialDate(1900))])
    text = write_timelinejs(timeline)
    assert "Ωμέγα" in text and "Café" in text
    assert "\n  " in text


def test_edited_fallback_title_is_exported() -> None:
    event = read_timelinejs(data("ancient.json")).events[3]
    edited = event.evolve(title="Vesuvius")
    slide = json.loads(write_timelinejs(Timeline(events=[edited])))["events"][0]
    assert slide["text"]["headline"] == "Vesuvius"


def test_fallback_title() -> None:
    assert fallback_title("") == "(untitled)"
    assert fallback_title("<p> </p>") == "(untitled)"
    assert fallback_title("<b>Big</b> &amp; bold") == "Big & bold"
    assert fallback_title("one two three four five six seven eight nine") == (
        "one two three four five six seven eight…"
    )
    assert len(fallback_title("x" * 500)) <= 60


def test_category_colours_are_distinct() -> None:
    colours = [category_color(i) for i in range(40)]
    assert len(set(colours)) == 40
    assert all(len(c) == 7 and c.startswith("#") for c in colours)


def test_looks_like_timelinejs() -> None:
    assert looks_like_timelinejs(data("ancient.json"))
    assert looks_like_timelinejs('\ufeff {"events": []}')
    assert not looks_like_timelinejs(data("truncated.json"))
    assert not looks_like_timelinejs('{"title": {}}')
    assert not looks_like_timelinejs("[1, 2]")
    assert not looks_like_timelinejs("Year,Month\n")
    assert not looks_like_timelinejs("")


def test_bom_is_accepted() -> None:
    assert read_timelinejs('\ufeff{"events": []}').events == []


# -- shared fixtures -----------------------------------------------------------------


@pytest.mark.parametrize("name", JSON_FIXTURES)
def test_fixture_imports_and_round_trips_exactly(name: str) -> None:
    timeline = read_timelinejs(shared(name), source=name)
    assert timeline.events
    assert timeline.title
    again = round_trip(timeline)
    assert again.events == timeline.events
    assert again.categories == timeline.categories
    assert again.eras == timeline.eras
    assert (again.title, again.description, again.extra) == (
        timeline.title,
        timeline.description,
        timeline.extra,
    )
    assert again == timeline
    assert write_timelinejs(again) == write_timelinejs(timeline)


def test_fixture_women_in_computing() -> None:
    timeline = read_timelinejs(shared("women_in_computing.json"))
    assert timeline.title == "Women in Computing"
    assert timeline.description.startswith('<p class="lead">')
    assert len(timeline.events) == 10
    assert timeline.categories == []
    ada, _, eniac, *_ = timeline.events
    assert ada.start == PartialDate(1815, 12, 10)
    assert ada.end == PartialDate(1852, 11, 27)
    assert ada.extra["group"] == ""
    assert eniac.start == PartialDate(1943, 7)
    assert eniac.end == PartialDate(1946)
    assert timeline.extra["background"]["url"].endswith(".gif")
    slide = json.loads(write_timelinejs(timeline))["events"][2]
    assert slide["start_date"] == {"year": "1943", "month": "7"}
    assert slide["end_date"] == {"year": "1946"}
    assert slide["group"] == ""


def test_fixture_eras() -> None:
    timeline = read_timelinejs(shared("eras.json"))
    assert [era.title for era in timeline.eras] == [
        "Era Test 650-700",
        "Era Test 600-650",
        "Era Test 700-720",
    ]
    assert timeline.eras[0].start == PartialDate(650)
    assert timeline.eras[0].end == PartialDate(700)
    assert len(timeline.events) == 20
    hijra = timeline.events[2]
    assert hijra.start == PartialDate(622, 8, 9)
    assert hijra.end == PartialDate(622, 8, 23)
    assert timeline.events[0].extra["background"]["opacity"] == "50"


def test_fixture_cosmo_deep_time() -> None:
    timeline = read_timelinejs(shared("cosmo.json"))
    big_bang = timeline.events[0]
    assert big_bang.title == "The Big Bang"
    assert big_bang.start == PartialDate(-13_799_999_999)
    assert big_bang.start.precision is Precision.YEAR
    assert big_bang.start.format() == "13.8 billion years ago"
    assert all(e.start.precision is Precision.YEAR for e in timeline.events)
    paleozoic = timeline.events[4]
    assert paleozoic.end == PartialDate(-251_901_999)
    assert timeline.extra["background"] == {"color": "papayawhip"}
    doc = json.loads(write_timelinejs(timeline))
    assert doc["events"][0]["start_date"] == {"year": "-13800000000"}


# -- errors --------------------------------------------------------------------------


def slide(**dates: Any) -> dict[str, Any]:
    return {"text": {"headline": "x"}, **dates}


def doc_with(*slides: dict[str, Any]) -> str:
    return json.dumps({"events": [slide(start_date={"year": 2000}), *slides]})


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        ('{"title": {}}', "events", "no events list"),
        ('{"events": {}}', "events", "list"),
        ("[]", None, "JSON object"),
        (doc_with({"text": {"headline": "no date"}}), "events[1].start_date", "start_date"),
        (doc_with(slide(start_date={"month": 3})), "events[1].start_date.year", "no year"),
        (doc_with(slide(start_date={"year": ""})), "events[1].start_date.year", "no year"),
        (doc_with(slide(start_date={"year": "abc"})), "events[1].start_date.year", "'abc'"),
        (doc_with(slide(start_date={"year": True})), "events[1].start_date.year", "year"),
        (doc_with(slide(start_date={"year": 1.5})), "events[1].start_date.year", "year"),
        (
            doc_with(slide(start_date={"year": "2000", "month": "13"})),
            "events[1].start_date.month",
            "month 13",
        ),
        (
            doc_with(slide(start_date={"year": 2023, "month": 2, "day": 29})),
            "events[1].start_date.day",
            "no day 29",
        ),
        (
            doc_with(slide(start_date={"year": 2000, "day": 3})),
            "events[1].start_date.day",
            "without a month",
        ),
        (
            doc_with(slide(start_date={"year": 2000, "month": 1, "day": 1, "hour": 24})),
            "events[1].start_date.hour",
            "hour 24",
        ),
        (
            doc_with(slide(start_date={"year": -5_000_000, "month": 1})),
            "events[1].start_date.month",
            "only be given as a year",
        ),
        (
            doc_with(slide(start_date={"year": -(10**12)})),
            "events[1].start_date.year",
            "out of range",
        ),
        (
            doc_with(slide(start_date={"year": 2000}, end_date={"year": 1999})),
            "events[1].end_date",
            "before the start",
        ),
        (doc_with(slide(start_date=2000)), "events[1].start_date", "object"),
        (doc_with("slide"), "events[1]", "object"),  # type: ignore[arg-type]
        (doc_with({"start_date": {"year": 1}, "text": "hi"}), "events[1].text", "object"),
        (
            doc_with({"start_date": {"year": 1}, "text": {"headline": ["a"]}}),
            "events[1].text.headline",
            "text",
        ),
        (
            json.dumps({"events": [], "eras": [slide(start_date={"year": 1})]}),
            "eras[0].end_date",
            "end_date",
        ),
        (json.dumps({"events": [], "eras": 3}), "eras", "list"),
        (json.dumps({"events": [], "title": "x"}), "title", "object"),
    ],
)
def test_bad_input_names_the_place(text: str, where: str | None, fragment: str) -> None:
    with pytest.raises(FormatError) as info:
        read_timelinejs(text)
    assert info.value.where == where
    assert fragment in info.value.message


def test_truncated_json_names_line_and_column() -> None:
    with pytest.raises(FormatError) as info:
        read_timelinejs(data("truncated.json"), source="truncated.json")
    error = info.value
    assert error.where == "line 5, column 27"
    assert error.message.startswith("invalid JSON (")
    assert error.source == "truncated.json"
    assert str(error).startswith("truncated.json, line 5, column 27: invalid JSON (")


def test_error_names_source() -> None:
    with pytest.raises(FormatError) as info:
        read_timelinejs('{"events": 1}', source="x.json")
    assert str(info.value) == "x.json, events: events must be a list"


@pytest.mark.parametrize("text", ["", "{", "[" * 100_000, "1" * 5000, "nul", '{"events": [}'])
def test_garbage_is_a_format_error(text: str) -> None:
    with pytest.raises(FormatError):
        read_timelinejs(text)


# -- property tests ------------------------------------------------------------------

TEXT_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
plain_text = st.text(TEXT_CHARS, max_size=30)
titles = st.one_of(
    st.text(TEXT_CHARS, min_size=1, max_size=30).filter(str.strip),
    st.sampled_from(['He said "hi", then left', "a,b;c\nd", "Ωμέγα — “quotes”", "x\r\ny"]),
)
html_text = st.builds(
    lambda a, b: f'<p>{a}</p><a href="https://example.org/{len(b)}">{b}</a>', plain_text, plain_text
)
descriptions = st.one_of(st.just(""), plain_text, html_text)
group_names = st.sampled_from(["Politics", "Science & Tech", 'Ünï, "quoted"', "a\nb", " pad "])


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
    other = draw(partial_dates())
    first, second = sorted((start, other), key=lambda d: d.begin())
    return first, second


json_extras = st.fixed_dictionaries(
    {},
    optional={
        "media": st.fixed_dictionaries(
            {"url": st.sampled_from(["https://example.org/a.jpg", "<blockquote>q</blockquote>"])},
            optional={"caption": plain_text, "credit": html_text},
        ),
        "background": st.sampled_from([{"color": "#123456"}, {"url": "https://e.org/b.png"}]),
        "unique_id": st.text("abcdef-0123", min_size=1, max_size=8),
        "start_date": st.just({"millisecond": "5"}),
    },
)


@st.composite
def events(draw: st.DrawFn) -> Event:
    start, end = date_range(draw)
    description = draw(descriptions)
    extra = dict(draw(json_extras))
    if draw(st.integers(0, 5)) == 0:
        title = fallback_title(description)
        extra["text"] = {"headline": draw(st.sampled_from(["", None, "  "]))}
    else:
        title = draw(titles)
    category = draw(st.none() | group_names)
    if category is None and draw(st.booleans()):
        extra["group"] = ""
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
    return Era(draw(plain_text), start, end or start, extra)


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    evs = draw(st.lists(events(), max_size=6))
    extra: dict[str, Any] = {}
    if draw(st.booleans()):
        extra["scale"] = draw(st.sampled_from(["human", "cosmological"]))
    if draw(st.booleans()):
        extra["media"] = {"url": "https://example.org/t.png", "caption": draw(plain_text)}
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
    text = write_timelinejs(timeline)
    # a media kept in extra is read back as the event's image
    timeline.events = [with_media_image(e, None) for e in timeline.events]
    assert read_timelinejs(text) == timeline
    for slide_ in json.loads(text)["events"]:
        for key in ("start_date", "end_date"):
            fields = slide_.get(key, {})
            if "month" not in fields:
                assert "day" not in fields


json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
)
json_values = st.recursive(
    json_leaf,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=12,
)
date_values = st.one_of(
    json_leaf,
    st.integers(-(10**12), 10**12),
    st.from_regex(r"-?[0-9]{1,4}", fullmatch=True),
    st.sampled_from(["", "08", "abc", "13", "1e3", " 12 ", "2.0", "0"]),
)
dates_ish = st.one_of(
    st.dictionaries(
        st.sampled_from(["year", "month", "day", "hour", "minute", "second", "millisecond"]),
        date_values,
        max_size=6,
    ),
    st.fixed_dictionaries({"year": date_values}, optional={"month": date_values}),
    json_values,
)
slides_ish = st.fixed_dictionaries(
    {},
    optional={
        "start_date": dates_ish,
        "end_date": dates_ish,
        "text": st.dictionaries(st.sampled_from(["headline", "text", "x"]), json_leaf)
        | json_values,
        "group": json_leaf,
        "display_date": json_leaf,
        "media": json_values,
        "unique_id": json_leaf,
    },
)
good_dates = st.fixed_dictionaries(
    {"year": st.integers(-5000, 5000) | st.from_regex(r"-?[1-9][0-9]{0,3}", fullmatch=True)},
    optional={
        "month": st.sampled_from([1, "08", "", 12]),
        "millisecond": json_leaf,
        "display_date": json_leaf,
    },
)
good_slides = st.fixed_dictionaries(
    {"start_date": good_dates},
    optional={
        "end_date": good_dates | st.just({"year": ""}) | st.just({"millisecond": 3}),
        "text": st.fixed_dictionaries(
            {}, optional={"headline": json_leaf, "text": json_leaf, "x": json_values}
        ),
        "group": json_leaf,
        "display_date": json_leaf,
        "media": json_values,
        "headline": json_values,
    },
)
mixed_slides = st.lists(good_slides | slides_ish, max_size=4)
docs_ish = st.one_of(
    st.fixed_dictionaries(
        {"events": st.lists(good_slides, max_size=4)},
        optional={"title": good_slides | slides_ish, "eras": st.lists(good_slides, max_size=2)},
    ),
    st.fixed_dictionaries(
        {},
        optional={
            "title": slides_ish | json_values,
            "events": mixed_slides | json_values,
            "eras": mixed_slides | json_values,
            "scale": json_leaf,
            "other": json_values,
        },
    ),
    json_values,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs_ish)
def test_any_json_gives_a_timeline_or_a_format_error(doc: Any) -> None:
    text = json.dumps(doc)
    try:
        timeline = read_timelinejs(text)
    except FormatError as error:
        assert error.message
        return
    assert round_trip(timeline) == timeline


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gives_a_timeline_or_a_format_error(text: str) -> None:
    with contextlib.suppress(FormatError):
        read_timelinejs(text)
    looks_like_timelinejs(text)


# -- values that would not survive a round trip ----------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        # NaN and Infinity are not JSON: an export would carry them to TimelineJS, whose
        # JSON.parse refuses the whole file.
        ('{"events": [{"start_date": {"year": NaN}}]}', "events[0].start_date.year", "nan"),
        (
            '{"events": [{"start_date": {"year": 1}, "media": {"url": "x", "w": Infinity}}]}',
            "events[0].media.w",
            "inf",
        ),
        ('{"events": [], "scale": [1, -Infinity]}', "scale[1]", "-inf"),
        ('{"events": [], "title": {"zoom": 1e999}}', "title.zoom", "inf"),
        # A key given twice keeps only its last value: the first events list was lost.
        (
            '{"events": [{"start_date": {"year": 1}}], "events": []}',
            "the top level",
            "'events' is given twice",
        ),
        (
            '{"events": [{"start_date": {"year": 1, "year": 2}}]}',
            "events[0].start_date",
            "'year' is given twice",
        ),
        # An unpaired surrogate escape is not Unicode: SQLite cannot store it.
        (
            '{"events": [{"start_date": {"year": 1}, "text": {"headline": "a\\ud800b"}}]}',
            "events[0].text.headline",
            "not valid Unicode",
        ),
        ('{"events": [], "x": {"\\udc00": 1}}', "x", "not valid Unicode"),
    ],
)
def test_values_json_parse_or_the_store_would_refuse_name_the_place(
    text: str, where: str, fragment: str
) -> None:
    with pytest.raises(FormatError) as info:
        read_timelinejs(text, source="odd.json")
    assert info.value.where == where
    assert fragment in info.value.message
    assert info.value.source == "odd.json"


def test_escaped_surrogate_pairs_and_big_finite_numbers_are_fine() -> None:
    text = (
        '{"events": [{"start_date": {"year": 1}, "text": {"headline": "\\ud83d\\ude00 \\u00e9"},'
        ' "media": {"w": 1e308}}]}'
    )
    (event,) = read_timelinejs(text).events
    assert event.title == "😀 é"
    assert event.extra["media"] == {"w": 1e308}
    assert json.loads(write_timelinejs(read_timelinejs(text)))  # strict JSON again
