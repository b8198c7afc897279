"""Super-timelines: plaso l2tcsv and Timesketch CSV/JSONL import."""

from __future__ import annotations

import contextlib
import html
import io
import json
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from l2t_generator import HEADER, l2t_lines, write_l2tcsv

from viewer.cli import main
from viewer.io.errors import FormatError
from viewer.io.forensic import (
    read_l2tcsv,
    read_timesketch_csv,
    read_timesketch_jsonl,
    stream_forensic,
)
from viewer.io.formats import SNIFF_BYTES, detect_format, open_import, read_file
from viewer.io.sheet_csv import looks_like_sheet_csv
from viewer.model.dates import PartialDate
from viewer.store import EventStore
from viewer.store.batch import EventBatch, batches_of

DATA = Path(__file__).resolve().parents[1] / "data" / "forensic"
READERS = {
    "l2tcsv": read_l2tcsv,
    "timesketch-csv": read_timesketch_csv,
    "timesketch-jsonl": read_timesketch_jsonl,
}


def fields_of(event) -> dict:
    return dict(event.extra["fields"])


# -- l2tcsv --------------------------------------------------------------------------------


def test_l2tcsv_maps_its_columns() -> None:
    events = read_file(DATA / "plaso.csv").events
    assert len(events) == 6
    cron = events[0]
    assert cron.start == PartialDate(2012, 6, 27, 18, 17, 1)
    assert cron.category == "LOG"
    assert cron.tags == ("Entry Written",)
    # plain text with "<" is stored so that it shows as written
    assert html.unescape(cron.title).startswith("Reporter <CRON> PID: 8442")
    assert html.unescape(cron.description) == (
        "Reporter <CRON> PID: 8442 (pam_unix(cron:session): session closed for user root)"
    )
    kept = fields_of(cron)
    assert kept["MACB"] == "..C." and kept["sourcetype"] == "Syslog"
    assert kept["host"] == "ubuntu" and kept["format"] == "syslog"
    assert "date" not in kept and "timezone" not in kept and "short" not in kept
    # the file's order, not the store's sorted keys
    assert [k for k, _ in cron.extra["fields"]][:3] == ["MACB", "sourcetype", "user"]


def test_l2tcsv_macb_variants_and_joined_types() -> None:
    events = read_l2tcsv((DATA / "plaso.csv").read_text(encoding="utf-8")).events
    assert [fields_of(e)["MACB"] for e in events] == [
        "..C.",
        "M...",
        ".A.B",
        "MACB",
        ".A..",
        "M...",
    ]
    assert events[2].tags == ("Last Access Time", "Creation Time")


def test_l2tcsv_other_zones_become_utc_and_keep_what_was_written() -> None:
    events = read_l2tcsv((DATA / "plaso.csv").read_text(encoding="utf-8")).events
    berlin = events[4]
    assert berlin.start == PartialDate(2021, 3, 14, 9, 2, 44)  # CET is UTC+1
    assert fields_of(berlin)["timezone"] == "Europe/Berlin"
    assert fields_of(berlin)["time"] == "10:02:44"
    # 01:30 on the night clocks went back in New York: its first occurrence (EDT)
    assert events[5].start == PartialDate(2023, 11, 5, 5, 30, 0)
    # plaso does not quote: a cell starting with a quote keeps it
    assert events[5].title == '"GET /admin/login.php HTTP/1.1" 404'


def test_l2tcsv_quoted_as_another_tool_saves_it() -> None:
    row = (
        "01/02/2020,03:04:05,UTC,M...,FILE,OS:stat,Content Modification Time,-,h,"
        '"a, b","line\nbreak",2,f,1,-,filestat,-\n'
    )
    event = read_l2tcsv(HEADER + "\n" + row).events[0]
    assert event.title == "a, b"
    assert event.description == "line\nbreak"
    assert fields_of(event)["inode"] == "1"


def test_l2tcsv_microseconds_are_kept() -> None:
    row = "01/02/2020,03:04:05.250000,UTC,M...,FILE,x,t,-,h,s,d,2,f,1,-,p,-\n"
    event = read_l2tcsv(HEADER + "\n" + row).events[0]
    assert event.start == PartialDate(2020, 1, 2, 3, 4, 5)
    assert event.extra["microseconds"] == 250000


@pytest.mark.parametrize(
    ("row", "where"),
    [
        ("13/02/2020,03:04:05,UTC,M...,FILE,x,t,-,h,s,d,2,f,1,-,p,-", "line 3, column 'date'"),
        ("00/00/0000,00:00:00,UTC,M...,FILE,x,t,-,h,s,d,2,f,1,-,p,-", "line 3, column 'date'"),
        ("01/02/2020,25:04:05,UTC,M...,FILE,x,t,-,h,s,d,2,f,1,-,p,-", "line 3, column 'time'"),
        ("01/02/2020,03:04:05,Mars/Olympus,M...,FILE,x,t,-,h,s,d,2,f,1,-,p,-", "column 'timezone'"),
        ("01/02/2020,03:04:05,UTC,M...,FILE,x,t,-,h,s,d,2,f,1,-,p", "line 3"),
        ('01/02/2020,03:04:05,UTC,M...,FILE,x,t,-,h,"s d,2,f,1,-,p,-', "line 3"),
    ],
)
def test_l2tcsv_errors_name_file_line_and_column(tmp_path: Path, row: str, where: str) -> None:
    good = "01/02/2020,03:04:05,UTC,M...,FILE,x,t,-,h,s,d,2,f,1,-,p,-"
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}\n{good}\n{row}\n", encoding="utf-8")
    with pytest.raises(FormatError) as info:
        read_file(path)
    assert str(path) in str(info.value) and where in str(info.value)


# -- Timesketch -----------------------------------------------------------------------------


def test_timesketch_jsonl_keeps_microseconds_and_extra_keys() -> None:
    events = read_file(DATA / "timesketch.jsonl").events
    logon, service, script = events
    assert logon.start == PartialDate(2019, 4, 17, 8, 46, 21)
    assert logon.extra["microseconds"] == 123456
    assert logon.tags == ("Event Recorded",)
    kept = fields_of(logon)
    assert kept["event_identifier"] == 4624  # JSON values as they are
    assert kept["strings"] == ["S-1-5-18", "ana", "CORP", "10"]
    assert "datetime" not in kept  # UTC to the microsecond: nothing more to say
    # an offset: UTC, the text kept; the first line is the title, all of it the text
    assert service.start == PartialDate(2019, 4, 17, 8, 47, 2)
    assert service.extra["microseconds"] == 500000
    assert fields_of(service)["datetime"] == "2019-04-17T10:47:02.5+02:00"
    assert service.title == "Service installed: PSEXESVC"
    assert service.description.count("\n") == 2
    assert service.category == "EVT"
    assert fields_of(service)["sha256"] is None
    assert html.unescape(script.title) == "<script>alert(1)</script> & friends"
    assert fields_of(script)["url"] == "https://example.org/?q=<x>"  # fields as given


def test_timesketch_csv() -> None:
    events = read_file(DATA / "timesketch.csv").events
    assert [e.title for e in events] == ["A message, with a comma", "Another message", "Yet more"]
    assert events[1].description == "Another message\non two lines"
    assert fields_of(events[0]) == {
        "timestamp": "1331698658276340",
        "extra_field_1": "foo",
        "data_type": "fs:stat",
    }
    assert events[0].extra["microseconds"] == 276340
    assert "microseconds" not in events[2].extra


def test_a_long_message_gets_a_short_title() -> None:
    message = "word " * 100
    line = json.dumps(
        {"message": message, "datetime": "2020-01-01T00:00:00", "timestamp_desc": "x"}
    )
    event = read_timesketch_jsonl(line).events[0]
    assert len(event.title) <= 160 and event.title.endswith("word…")
    assert event.description == message


def test_a_timestamp_stands_for_a_missing_datetime() -> None:
    line = json.dumps({"message": "m", "timestamp": 1555490781123456, "timestamp_desc": "x"})
    event = read_timesketch_jsonl(line).events[0]
    assert event.start == PartialDate(2019, 4, 17, 8, 46, 21)
    assert event.extra["microseconds"] == 123456


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            '{"message": "m", "datetime": "2019-13-01T00:00:00", "timestamp_desc": "x"}',
            "key 'datetime'",
        ),
        ('{"message": "m", "timestamp_desc": "x"}', "key 'datetime'"),
        ('{"datetime": "2019-01-01T00:00:00", "timestamp_desc": "x"}', "key 'message'"),
        ("[1, 2]", "line 2"),
        ('{"message": ', "line 2"),
    ],
)
def test_timesketch_jsonl_errors(text: str, where: str) -> None:
    good = '{"message": "m", "datetime": "2019-01-01T00:00:00+00:00", "timestamp_desc": "x"}'
    with pytest.raises(FormatError, match=rf"f\.jsonl, line 2.*|f\.jsonl, {where}") as info:
        read_timesketch_jsonl(good + "\n" + text + "\n", "f.jsonl")
    assert where in str(info.value)


def test_timesketch_csv_errors_name_the_column() -> None:
    text = "message,datetime,timestamp_desc\nm,2019-01-01T00:00:00,x\nm,yesterday,x\n"
    with pytest.raises(FormatError, match=r"t\.csv, line 3, column 'datetime'"):
        read_timesketch_csv(text, "t.csv")
    with pytest.raises(FormatError, match="no 'timestamp_desc'"):
        read_timesketch_csv("message,datetime\nm,2019-01-01T00:00:00\n", "t.csv")


# -- detection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("plaso.csv", "l2tcsv"),
        ("timesketch.csv", "timesketch-csv"),
        ("timesketch.jsonl", "timesketch-jsonl"),
    ],
)
def test_detected_by_content(tmp_path: Path, name: str, fmt: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    assert detect_format(DATA / name, text).name == fmt
    # a lying extension: still found by what the file holds
    assert detect_format(tmp_path / "export.txt", text).name == fmt
    assert not looks_like_sheet_csv(text)


def test_a_sheet_csv_stays_a_sheet_csv() -> None:
    sheet = "Year,Month,Day,Time,Headline,Text,Type\n2020,1,2,,Hello,,\n"
    assert detect_format("x.csv", sheet).name == "csv"


# -- streaming ------------------------------------------------------------------------------


def _flat(batches) -> dict[str, list]:
    out: dict[str, list] = {f.name: [] for f in fields(EventBatch)}
    for b in batches:
        for f in fields(EventBatch):
            out[f.name].extend(getattr(b, f.name))
    return out


def _outcome(kind: str, text: str, stream: bool):
    try:
        if stream:
            _header, batches = stream_forensic(kind, io.StringIO(text, newline=""), "x", size=3)
            return _flat(batches)
        return _flat(batches_of(READERS[kind](text, "x").events))
    except FormatError as exc:
        return str(exc)


_CELL = st.sampled_from(
    ["", "-", "x", " y ", "a <b> & c", "é✓", 'q"q', '"quoted"', "M...", "UTC", "Europe/Berlin"]
)
_DATE = st.sampled_from(["01/02/2020", "12/31/1999", "02/29/2021", "1/2/2020", "x", "00/00/0000"])
_TIME = st.sampled_from(["03:04:05", "23:59:59", "03:04:05.5", "24:00:00", "3:04:05"])
_ZONE = st.sampled_from(["UTC", "UTC", "Europe/Berlin", "utc", "Nowhere/Land", ""])


@st.composite
def _l2t_rows(draw: st.DrawFn) -> str:
    cells = [draw(_DATE), draw(_TIME), draw(_ZONE)] + [draw(_CELL) for _ in range(14)]
    cells = [c.replace(",", " ") for c in cells]  # as plaso writes them
    return ",".join(cells)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_l2t_rows(), max_size=12))
def test_the_l2tcsv_stream_reads_as_the_whole_file_does(rows: list[str]) -> None:
    text = HEADER + "\n" + "\n".join(rows) + "\n"
    assert _outcome("l2tcsv", text, stream=True) == _outcome("l2tcsv", text, stream=False)


def test_the_generator_round_trips() -> None:
    """Rows written the way plaso writes them read back to the same moments."""
    text = "".join(l2t_lines(200, seed=3))
    events = read_l2tcsv(text).events
    assert len(events) == 200
    for line, event in zip(text.splitlines()[1:], events, strict=True):
        cells = line.split(",")
        if cells[2] == "UTC":
            month, day, year = map(int, cells[0].split("/"))
            hour, minute, second = map(int, cells[1].split(":"))
            assert event.start == PartialDate(year, month, day, hour, minute, second)
        assert event.title == cells[9] and event.category == cells[4]
        assert fields_of(event)["inode"] == cells[13]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
@pytest.mark.parametrize("kind", sorted(READERS))
def test_arbitrary_text_is_read_or_refused(kind: str, text: str) -> None:
    for prefix in ("", HEADER + "\n", "message,datetime,timestamp_desc\n"):
        for stream in (False, True):
            _outcome(kind, prefix + text, stream)  # only FormatError is caught


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_through_the_file_reader(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "x.jsonl"
    for head in (b"", HEADER.encode() + b"\n", b'{"message": "m", "datetime": "2020-01-01"}\n'):
        path.write_bytes(head + data)
        with contextlib.suppress(FormatError):
            read_file(path)


def test_a_big_file_is_streamed_and_all_or_nothing(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    write_l2tcsv(str(path), 3000)
    assert path.stat().st_size > SNIFF_BYTES
    source = open_import(path)
    assert source.streamed and source.label == "plaso l2tcsv"
    assert 2000 < source.total < 4000  # an estimate
    assert sum(len(b) for b in source.batches) == 3000
    # a bad row at the very end: nothing is added
    with path.open("a", encoding="utf-8") as f:
        f.write("13/45/2020,03:04:05,UTC,M...,FILE,x,t,-,h,s,d,2,f,1,-,p,-\n")
    db = tmp_path / "t.db"
    assert main(["import", str(DATA / "plaso.csv"), "--db", str(db)]) == 0
    assert main(["import", str(path), "--db", str(db)]) != 0
    with EventStore.open(str(db)) as store:
        assert store.count() == 6


# -- through the CLI and the store ----------------------------------------------------------


@pytest.mark.parametrize("name", ["plaso.csv", "timesketch.csv", "timesketch.jsonl"])
def test_cli_import_keeps_fields_through_the_store(tmp_path: Path, name: str, capsys) -> None:
    db = tmp_path / "t.db"
    assert main(["import", str(DATA / name), "--db", str(db)]) == 0
    assert "imported" in capsys.readouterr().out
    expected = read_file(DATA / name).events
    with EventStore.open(str(db)) as store:
        stored = sorted(store.iter_events(), key=lambda e: e.id or 0)
    assert [e.extra for e in stored] == [e.extra for e in expected]
    assert [e.start for e in stored] == [e.start for e in expected]
    assert [set(e.tags) for e in stored] == [set(e.tags) for e in expected]


def test_cli_import_error_names_file_line_and_column(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "\n01/02/2020,03:04:05,Mars,M...,FILE,x,t,-,h,s,d,2,f,1,-,p,-\n")
    assert main(["import", str(path), "--db", str(tmp_path / "t.db")]) != 0
    err = capsys.readouterr().err
    assert "bad.csv, line 2, column 'timezone'" in err
    assert "Traceback" not in err
