"""vis-timeline DataSet JSON import: own files, dates as written, groups, errors, fuzz."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.cli import main
from viewer.io.errors import FormatError
from viewer.io.formats import detect_format, read_file
from viewer.io.vis_timeline import looks_like_vis_timeline, read_moment, read_vis_timeline
from viewer.model.dates import PartialDate
from viewer.store import EventStore

DATA = Path(__file__).resolve().parents[1] / "data" / "vis_timeline"


@pytest.mark.parametrize(
    ("value", "expected", "lossy"),
    [
        ("2014", PartialDate(2014), False),
        ("2014-04", PartialDate(2014, 4), False),
        ("2014-04-20", PartialDate(2014, 4, 20), False),
        ("2014-04-20T10", PartialDate(2014, 4, 20, 10), False),
        ("2014-04-20T10:00", PartialDate(2014, 4, 20, 10, 0), False),
        ("2014-04-20 10:00:05", PartialDate(2014, 4, 20, 10, 0, 5), False),
        ("2014-04-20T10:00:05Z", PartialDate(2014, 4, 20, 10, 0, 5), False),
        ("2014-04-20T10:00:05.123Z", PartialDate(2014, 4, 20, 10, 0, 5), True),
        ("2014-04-20T01:30+02:00", PartialDate(2014, 4, 19, 23, 30), True),
        ("2014-04-20T10:00-0530", PartialDate(2014, 4, 20, 15, 30), True),
        ("-0043-03-15", PartialDate(-43, 3, 15), False),
        ("20 April 2014", PartialDate(2014, 4, 20), False),
        (0, PartialDate(1970, 1, 1, 0, 0, 0), False),
        (1397988000000, PartialDate(2014, 4, 20, 10, 0, 0), False),
        (1397988000500, PartialDate(2014, 4, 20, 10, 0, 0), True),
        (-86_400_000, PartialDate(1969, 12, 31, 0, 0, 0), False),
    ],
)
def test_dates_keep_the_precision_written(value: Any, expected: PartialDate, lossy: bool) -> None:
    assert read_moment(value, "x") == (expected, lossy)


@pytest.mark.parametrize("value", ["2014-02-30", "soon", True, None, {}, 1e300, "2014-04-20T25:00"])
def test_bad_dates_are_format_errors(value: Any) -> None:
    with pytest.raises(FormatError) as info:
        read_moment(value, "[0].start")
    assert info.value.where == "[0].start"


def test_own_items() -> None:
    timeline = read_file(DATA / "items.json")
    one, meeting, zoned, js, epoch, month, written = timeline.events
    assert one.title == "Item <b>one</b>"  # HTML kept as given
    assert one.description == "A day"
    assert one.start == PartialDate(2014, 4, 20) and one.end is None
    assert meeting.end == PartialDate(2014, 4, 20, 11, 30)
    assert meeting.extra["vis"] == {"id": 2, "type": "range", "className": "red"}
    assert zoned.start == PartialDate(2014, 4, 14, 8, 0, 0)  # stored in UTC
    assert zoned.extra["vis"]["start"] == "2014-04-14T10:00:00+02:00"  # as written
    assert js.start == PartialDate(2014, 4, 18, 12, 30, 15)
    assert epoch.start == PartialDate(2014, 4, 20, 10, 0, 0)
    assert (month.start, month.end) == (PartialDate(2014, 5), PartialDate(2014, 6))
    assert written.start == PartialDate(2014, 4, 21)
    (era,) = timeline.eras  # a background item is a shaded period
    assert (era.title, era.start, era.end) == (
        "Holidays",
        PartialDate(2014, 4, 21),
        PartialDate(2014, 4, 25),
    )


def test_groups_name_the_categories() -> None:
    timeline = read_file(DATA / "groups.json")
    assert [e.category for e in timeline.events] == ["Garden", "Kitchen", "Kitchen", "9"]
    assert [c.name for c in timeline.categories] == ["Kitchen", "Garden", "Unused", "9"]
    assert timeline.extra["top_level"] == {"options": {"stack": False}}


def test_detected_by_content(tmp_path: Path) -> None:
    for name in ("items.json", "groups.json"):
        text = (DATA / name).read_text(encoding="utf-8")
        assert detect_format(DATA / name, text).name == "vis"
        assert looks_like_vis_timeline(text[:300])  # the start of a big file
    assert not looks_like_vis_timeline("[]")
    assert not looks_like_vis_timeline(json.dumps({"events": [{"start_date": {"year": 1}}]}))
    assert not looks_like_vis_timeline(json.dumps({"timeline": {"date": []}}))


@pytest.mark.parametrize(
    ("doc", "where", "fragment"),
    [
        ("x", None, "list of items"),
        ({"groups": []}, "items", "no items list"),
        ([{"content": "x"}], "[0].start", "no start"),
        ([3], "[0]", "JSON object"),
        ([{"start": "2000", "end": "1999"}], "[0].end", "before the start"),
        ([{"start": "2000", "content": []}], "[0].content", "text"),
        ([{"start": "2000", "group": [1]}], "[0].group", "group id"),
        ({"items": [], "groups": [{"content": "x"}]}, "groups[0].id", "no id"),
        ({"items": [], "groups": [{"id": 1}, {"id": "1"}]}, "groups[1].id", "twice"),
        ({"items": [{"start": "2014-13"}]}, "items[0].start", "month 13"),
    ],
)
def test_errors_name_the_json_path(doc: Any, where: str | None, fragment: str) -> None:
    with pytest.raises(FormatError, match=fragment) as info:
        read_vis_timeline(json.dumps(doc), source="v.json")
    assert info.value.where == where
    assert info.value.source == "v.json"


def test_import_through_the_cli(tmp_path: Path, capsys) -> None:
    db = tmp_path / "v.db"
    assert main(["import", str(DATA / "groups.json"), "--db", str(db)]) == 0
    assert "imported 4 events" in capsys.readouterr().out
    with EventStore.open(db, readonly=True) as store:
        assert {e.category for e in store.events()} == {"Garden", "Kitchen", "9"}


def test_a_bad_item_adds_nothing_through_the_cli(tmp_path: Path, capsys) -> None:
    db = tmp_path / "v.db"
    assert main(["import", str(DATA / "bad_start.json"), "--db", str(db)]) == 1
    assert "bad_start.json, items[1].start: February 2014 has no day 30" in capsys.readouterr().err
    assert not db.exists()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
MOMENT = st.one_of(
    JSON,
    st.integers(-(10**16), 10**16),
    st.sampled_from(
        [
            "2014-04-20",
            "2014-04-20T10:00Z",
            "2014-04-20T10:00+99:00",
            "x",
            "9999-12-31T23:59:59-12:00",
        ]
    ),
)
ITEM = st.fixed_dictionaries(
    {"start": MOMENT},
    optional={
        "end": MOMENT,
        "content": JSON,
        "title": JSON,
        "group": JSON,
        "type": st.just("background"),
    },
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        JSON,
        st.lists(ITEM),
        st.builds(lambda i, g: {"items": i, "groups": g}, st.lists(ITEM), JSON),
    )
)
def test_any_json_gives_a_timeline_or_a_format_error(doc: Any) -> None:
    try:
        text = json.dumps(doc)
    except ValueError:
        return
    looks_like_vis_timeline(text)
    with contextlib.suppress(FormatError):
        read_vis_timeline(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_a_timeline_or_a_format_error(text: str) -> None:
    looks_like_vis_timeline(text)
    with contextlib.suppress(FormatError):
        read_vis_timeline(text)


def test_milliseconds_before_year_one_are_read_on_the_models_calendar() -> None:
    # (a datetime stops at year 1; JavaScript's dates, and the model's, go further back)
    from viewer.io.vis_timeline import read_moment
    from viewer.model.dates import PartialDate

    date, more = read_moment(-62_135_596_800_001, "items[0].start")
    assert date == PartialDate(0, 12, 31, 23, 59, 59) and more  # 1 BC; ms dropped
