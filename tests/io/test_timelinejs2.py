"""TimelineJS 2 JSON import: own pair of files, the public examples, errors, fuzz, CLI."""

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
from viewer.io.formats import detect_format, export_text, read_file
from viewer.io.timelinejs import read_timelinejs
from viewer.io.timelinejs2 import looks_like_timelinejs2, read_date, read_timelinejs2
from viewer.model.dates import PartialDate
from viewer.store import EventStore

DATA = Path(__file__).resolve().parents[1] / "data" / "timelinejs2"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "timelinejs2"


def shared(name: str) -> str:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"shared fixture {path} is absent")
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1932", PartialDate(1932)),
        ("1932,2", PartialDate(1932, 2)),
        ("1932,2,27", PartialDate(1932, 2, 27)),
        (" 1932 , 02 , 27 ", PartialDate(1932, 2, 27)),
        ("1932,2,27,13", PartialDate(1932, 2, 27, 13)),
        ("1932,2,27,13,5,9", PartialDate(1932, 2, 27, 13, 5, 9)),
        ("1932,2,", PartialDate(1932, 2)),
        (1600, PartialDate(1600)),
        ("-44,3,15", PartialDate(-43, 3, 15)),  # TimelineJS has no year zero
    ],
)
def test_dates_keep_the_precision_written(text: Any, expected: PartialDate) -> None:
    assert read_date(text, "x") == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1932,13", "month 13"),
        ("1932,,5", "without a month"),
        ("1932,2,30", "no day 30"),
        ("1,2,3,4,5,6,7", "more than 6 parts"),
        ("spring", "not a year"),
    ],
)
def test_bad_dates_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(FormatError, match=fragment) as info:
        read_date(text, "timeline.date[0].startDate")
    assert info.value.where == "timeline.date[0].startDate"


def test_own_pair_gives_the_same_timeline_as_timelinejs3() -> None:
    tl2 = read_file(DATA / "voyages.json")
    tl3 = read_file(DATA / "voyages_tl3.json")
    assert tl2.events == tl3.events
    assert tl2.eras == tl3.eras
    assert tl2.categories == tl3.categories
    assert (tl2.title, tl2.description, tl2.extra) == (tl3.title, tl3.description, tl3.extra)


def test_own_sample_maps_every_field() -> None:
    timeline = read_file(DATA / "voyages.json")
    assert timeline.title == "Voyages &amp; Flights"  # entities kept, shown by the allowlist
    assert timeline.extra["media"] == {"url": "https://example.org/cover.jpg", "credit": "Archive"}
    assert timeline.extra["start_date"] == {"year": "1492", "month": "8"}
    assert "type" not in timeline.extra  # "default" says nothing
    columbus, month, eagle, caesar, gagarin = timeline.events
    assert columbus.category == "Sea"
    assert columbus.extra["classname"] == "voyage"
    assert [i.url for i in columbus.images] == ["https://example.org/santa-maria.jpg"]
    assert "media" not in columbus.extra  # the asset is the event's image (a link)
    assert month.start == PartialDate(1932, 2) and not month.images  # empty asset
    assert eagle.start == PartialDate(1969, 7, 20, 20, 17, 40)
    assert caesar.title == "Caesar is killed in the senate" and caesar.start.year == -43
    assert gagarin.end == PartialDate(1961, 4, 12, 9, 7)
    (era,) = timeline.eras
    assert era.title == "Age of Sail" and era.extra["text"] == {"text": "Ships"}


def test_timelinejs3_export_writes_the_asset_as_media() -> None:
    timeline = read_file(DATA / "voyages.json")
    data = json.loads(export_text(timeline, "timelinejs"))
    assert data["events"][0]["media"]["url"] == "https://example.org/santa-maria.jpg"
    assert data["title"]["media"]["url"] == "https://example.org/cover.jpg"
    again = read_timelinejs(export_text(timeline, "timelinejs"))
    assert again.events == timeline.events


def _as_timelinejs3(doc: dict[str, Any]) -> dict[str, Any]:
    """The same timeline written for TimelineJS 3, by hand (independent of the reader)."""

    def date(text: str) -> dict[str, str]:
        names = ("year", "month", "day", "hour", "minute", "second")
        return dict(zip(names, (p.strip() for p in text.split(",") if p.strip()), strict=False))

    def media(asset: dict[str, str]) -> dict[str, str]:
        return {("url" if k == "media" else k): v for k, v in asset.items() if v.strip()}

    body = doc["timeline"]
    events = []
    for entry in body["date"]:
        slide: dict[str, Any] = {
            "start_date": date(entry["startDate"]),
            "text": {"headline": entry["headline"], "text": entry.get("text", "")},
        }
        if entry.get("endDate"):
            slide["end_date"] = date(entry["endDate"])
        if media(entry.get("asset", {})):
            slide["media"] = media(entry["asset"])
        events.append(slide)
    title = {
        "text": {"headline": body["headline"], "text": body["text"]},
        "media": media(body["asset"]),
        "start_date": date(body["startDate"]),
    }
    return {"title": title, "events": events}


@pytest.mark.parametrize("name", ["sh-people-say.json", "user-interface.json"])
def test_public_examples_import_as_their_timelinejs3_form(name: str) -> None:
    text = shared(name)
    tl2 = read_timelinejs2(text, source=name)
    tl3 = read_timelinejs(json.dumps(_as_timelinejs3(json.loads(text))))
    assert len(tl2.events) == len(json.loads(text)["timeline"]["date"]) >= 20
    assert tl2.events == tl3.events
    assert (tl2.title, tl2.description, tl2.extra) == (tl3.title, tl3.description, tl3.extra)


def test_public_example_keeps_entities_and_precision() -> None:
    timeline = read_timelinejs2(shared("sh-people-say.json"))
    assert "&quot;Shit Girls Say&quot;" in timeline.description  # as given
    assert timeline.events[0].start == PartialDate(2012, 1, 26)
    years = read_timelinejs2(shared("user-interface.json"))
    assert years.events[0].start == PartialDate(1600)  # a year, no invented day
    assert any(e.start == PartialDate(1968, 12, 9) for e in years.events)


def test_detected_by_content_and_not_claimed_by_timelinejs3(tmp_path: Path) -> None:
    text = (DATA / "voyages.json").read_text(encoding="utf-8")
    assert detect_format(DATA / "voyages.json", text).name == "timelinejs2"
    lying = tmp_path / "voyages.txt"
    lying.write_text(text, encoding="utf-8")
    assert detect_format(lying, text).name == "timelinejs2"
    assert not looks_like_timelinejs2(json.dumps({"events": []}))
    assert looks_like_timelinejs2(text[:400])  # the start of a big file (with "date")


@pytest.mark.parametrize(
    ("doc", "where", "fragment"),
    [
        ([], None, "a JSON object"),
        ({"timeline": []}, "timeline", "JSON object"),
        ({"timeline": {"headline": "x"}}, "timeline.date", "no date list"),
        ({"timeline": {"date": {}}}, "timeline.date", "must be a list"),
        ({"timeline": {"date": [{"headline": "x"}]}}, "timeline.date[0].startDate", "no startDate"),
        ({"timeline": {"date": [{"startDate": []}]}}, "timeline.date[0].startDate", "not list"),
        (
            {"timeline": {"date": [{"startDate": "2000", "endDate": "1999"}]}},
            "timeline.date[0].endDate",
            "before the start",
        ),
        (
            {"timeline": {"date": [{"startDate": "2000", "tag": {}}]}},
            "timeline.date[0].tag",
            "text",
        ),
        (
            {"timeline": {"date": [], "era": [{"startDate": "1400"}]}},
            "timeline.era[0].endDate",
            "needs an endDate",
        ),
        (
            {"timeline": {"date": [{"startDate": "1", "asset": 3}]}},
            "timeline.date[0].asset",
            "JSON",
        ),
    ],
)
def test_errors_name_the_json_path(doc: Any, where: str | None, fragment: str) -> None:
    with pytest.raises(FormatError, match=fragment) as info:
        read_timelinejs2(json.dumps(doc), source="t.json")
    assert info.value.where == where
    assert info.value.source == "t.json"


def test_a_bad_entry_adds_nothing_through_the_cli(tmp_path: Path, capsys) -> None:
    db = tmp_path / "t.db"
    assert main(["import", str(DATA / "bad_month.json"), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "bad_month.json, timeline.date[1].startDate: month 13 does not exist" in err
    assert not db.exists()


def test_import_through_the_cli(tmp_path: Path, capsys) -> None:
    db = tmp_path / "t.db"
    assert main(["import", str(DATA / "voyages.json"), "--db", str(db)]) == 0
    assert "imported 5 events" in capsys.readouterr().out
    with EventStore.open(db, readonly=True) as store:
        titles = sorted(e.title for e in store.events())
        assert "Eagle lands" in titles
        assert store.timeline_header().title == "Voyages &amp; Flights"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(["startDate", "endDate", "headline", "text", "tag", "asset", "classname"])
ENTRY = st.dictionaries(KEYS, JSON | st.sampled_from(["2000", "2000,1,2", "x,1", ""]), max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        JSON,
        st.builds(
            lambda d, e: {"timeline": {"date": d, "era": e}}, st.lists(ENTRY), st.lists(ENTRY)
        ),
    )
)
def test_any_json_gives_a_timeline_or_a_format_error(doc: Any) -> None:
    try:
        text = json.dumps(doc)
    except ValueError:
        return
    looks_like_timelinejs2(text)
    with contextlib.suppress(FormatError):
        read_timelinejs2(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_a_timeline_or_a_format_error(text: str) -> None:
    looks_like_timelinejs2(text)
    with contextlib.suppress(FormatError):
        read_timelinejs2(text)
