"""The streaming sheet reader gives exactly what the whole-file reader gives."""

from __future__ import annotations

import csv
import io
from dataclasses import fields

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.io.errors import FormatError
from viewer.io.sheet_csv import COLUMNS, read_sheet_csv, stream_sheet_csv
from viewer.store.batch import EventBatch, batches_of

_YEAR = st.one_of(
    st.integers(-3000, 3000).map(str),
    st.sampled_from(["", " ", "0", "-1", "08", "1999.0", "x", "+5", "١٩٩٩", "99999999999999"]),
)
_PART = st.one_of(
    st.integers(0, 32).map(str), st.sampled_from(["", "", "", "-1", "02", " 3", "x", "1.0"])
)
_TEXT = st.sampled_from(["", "Summit", "  ", "A <b>bold</b> one", "Ünïcode ✓", "x,y", 'q"q'])
_TYPE = st.sampled_from(["", "", "", "", "era", "title", "other", " "])


@st.composite
def _rows(draw: st.DrawFn) -> dict[str, str]:
    row = {c: "" for c in COLUMNS}
    row["Year"] = draw(_YEAR)
    row["Month"] = draw(_PART)
    if row["Month"]:
        row["Day"] = draw(_PART)
    if draw(st.booleans()):
        row["End Year"] = draw(_YEAR)
        row["End Month"] = draw(_PART)
    if draw(st.integers(0, 9)) == 0:
        row["Time"] = draw(st.sampled_from(["14:30", "2 PM", "x"]))
    row["Headline"] = draw(_TEXT)
    row["Text"] = draw(_TEXT)
    row["Group"] = draw(st.sampled_from(["", "", "Politics", " Sport ", "  "]))
    row["Display Date"] = draw(st.sampled_from(["", "c. 1999"]))
    row["Type"] = draw(_TYPE)
    if draw(st.integers(0, 9)) == 0:
        row["Media"] = "pic.jpg"
    return row


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([r[c] for c in COLUMNS])
    return out.getvalue()


def _flat(batches) -> dict[str, list]:
    out: dict[str, list] = {f.name: [] for f in fields(EventBatch)}
    for b in batches:
        for f in fields(EventBatch):
            out[f.name].extend(getattr(b, f.name))
    return out


def _outcome(text: str, stream: bool):
    try:
        if stream:
            header, batches = stream_sheet_csv(io.StringIO(text, newline=""), "x.csv", size=7)
            events = _flat(batches)
        else:
            header = read_sheet_csv(text, "x.csv")
            events = _flat(batches_of(header.events))
        return (header.title, header.description, header.eras, header.extra, events)
    except FormatError as exc:
        return str(exc)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_rows(), max_size=25))
def test_the_stream_reads_as_the_whole_file_does(rows) -> None:
    text = _csv(rows)
    assert _outcome(text, stream=True) == _outcome(text, stream=False)


def test_plain_rows_take_the_fast_way_and_keep_their_place() -> None:
    rows = [
        {**dict.fromkeys(COLUMNS, ""), "Year": "1999", "Month": "3", "Headline": "A"},
        {
            **dict.fromkeys(COLUMNS, ""),
            "Year": "2000",
            "Month": "1",
            "Day": "1",
            "Time": "14:30",
            "Headline": "B",
        },
        {**dict.fromkeys(COLUMNS, ""), "Year": "-44", "End Year": "14", "Headline": "C"},
    ]
    _header, batches = stream_sheet_csv(io.StringIO(_csv(rows), newline=""))
    flat = _flat(batches)
    assert flat["title"] == ["A", "B", "C"]
    assert flat["start"] == ["1999-03", "2000-01-01T14:30", "-0043"]
    assert flat["end"] == [None, None, "0014"]


def test_a_bad_row_names_its_row_and_column() -> None:
    rows = [
        {**dict.fromkeys(COLUMNS, ""), "Year": "1999", "Headline": "A"},
        {**dict.fromkeys(COLUMNS, ""), "Year": "1999", "Month": "13", "Headline": "B"},
    ]
    _header, batches = stream_sheet_csv(io.StringIO(_csv(rows), newline=""), "bad.csv")
    with pytest.raises(FormatError, match=r"bad\.csv.*row 3, column 'Month'"):
        list(batches)
