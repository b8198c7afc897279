"""Our sheet CSV never hands a spreadsheet a formula, and gives back what it was given.

OWASP's CSV injection advice: a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is run as a formula by Excel, LibreOffice and Google Sheets.  The
export writes such a cell after an apostrophe (in every column: the type and the
title row's dates are written as they were imported, and may hold anything), and the
import takes it off again; a plain number in a column of numbers ("-44") is left as
it is.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.io.sheet_csv import _TEXT_COLUMNS, COLUMNS, read_sheet_csv, write_sheet_csv
from viewer.model.dates import PartialDate
from viewer.model.event import Era, Event, Timeline

STARTS = ["=", "+", "-", "@", "\t", "\r"]
PAYLOAD = '=HYPERLINK("https://example.org/x","click")'
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def assert_defused(text: str) -> None:
    for row in cells(text):
        for column in COLUMNS:
            cell = row[column]
            if cell and cell[0] in "=+-@\t\r":
                assert column not in _TEXT_COLUMNS and NUMBER.fullmatch(cell), (column, cell)


def hostile(start: str) -> Timeline:
    text = start + "cmd|' /C calc'!A0"
    event = Event(
        title=text,
        start=PartialDate(-43, 3, 15),  # 44 BC, TimelineJS -44: stays a number
        description=start + "1+1",
        category=start + "Group",
        display_date=start + "circa",
        extra={
            "type": start + "kind",
            "media": {"url": text, "credit": text, "caption": text, "thumbnail": text},
            "background": {"url": start + "bg"},
        },
    )
    return Timeline(
        title=PAYLOAD,
        description=start + "desc",
        events=[event, Event(title="Plain", start=PartialDate(1999))],
        categories=[],
        eras=[Era(start + "era", PartialDate(1900), PartialDate(1910), {"group": start + "g"})],
        extra={"start_date": {"year": start + "1x"}, "display_date": start + "dd"},
    )


@pytest.mark.parametrize("start", STARTS, ids=["eq", "plus", "minus", "at", "tab", "cr"])
def test_every_column_is_defused_and_read_back(start: str) -> None:
    timeline = hostile(start)
    timeline.categories = read_sheet_csv(write_sheet_csv(timeline)).categories
    text = write_sheet_csv(timeline)
    assert_defused(text)
    rows = cells(text)
    assert rows[0]["Headline"] == "'" + PAYLOAD
    assert rows[0]["Year"] == "'" + start + "1x"  # the title row's raw year, as imported
    assert rows[1]["Year"] == "-44"
    assert rows[1]["Type"] == "'" + start + "kind"
    back = read_sheet_csv(text)
    assert back.title == PAYLOAD
    assert back.extra["start_date"] == {"year": start + "1x"}
    assert back.events[0].title == start + "cmd|' /C calc'!A0"
    assert back.events[0].extra["type"] == start + "kind"
    assert back.events[0].category == start + "Group"
    assert back.eras[0].title == start + "era"


def test_apostrophes_before_a_formula_are_kept_as_written() -> None:
    for title in ["'=1", "''=1", "'", "'plain", "it's"]:
        timeline = Timeline(events=[Event(title=title, start=PartialDate(2000))])
        assert read_sheet_csv(write_sheet_csv(timeline)).events[0].title == title


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet=st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "a", "1", " "])),
    st.sampled_from(["Headline", "Text", "Display Date", "Type", "Media", "Background"]),
)
def test_any_cell_is_written_defused_and_read_back(value: str, column: str) -> None:
    extra: dict = {}
    title, description, display = "Title", "", ""
    if column == "Headline" and value.strip():
        title = value
    elif column == "Text":
        description = value
    elif column == "Display Date":
        display = value
    elif column == "Type" and value.strip().casefold() not in ("title", "era", ""):
        extra["type"] = value
    elif column == "Media":
        extra["media"] = {"url": value, "credit": "", "caption": "", "thumbnail": ""}
    event = Event(
        title=title,
        start=PartialDate(2000),
        description=description,
        display_date=display,
        extra=extra,
    )
    text = write_sheet_csv(Timeline(events=[event]))
    assert_defused(text)
    (back,) = read_sheet_csv(text).events
    assert (back.title, back.description, back.extra.get("type")) == (
        event.title,
        event.description,
        event.extra.get("type"),
    )
