"""TimelineJS sheets from Excel workbooks (viewer.io.xlsx, through viewer.io.formats)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from test_sheet_csv import timelines

from viewer.cli import main
from viewer.io import xlsx
from viewer.io.errors import FormatError
from viewer.io.formats import open_import, read_file, read_import
from viewer.io.sheet_csv import _defused, _restored, read_sheet_csv, write_sheet_csv
from viewer.model.event import Timeline
from viewer.store import EventStore

DATA = Path(__file__).resolve().parents[1] / "data" / "xlsx"


def workbook(path: Path, *sheets: tuple[str, list[list[Any]]]) -> Path:
    """Write a workbook of ``(title, rows)`` sheets; text cells stay text (a leading
    "=" is not made a formula)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    book.save(path)
    return path


def titles_and_dates(timeline: Timeline) -> list[tuple[str, str, str | None]]:
    return [(e.title, e.start.iso(), e.end.iso() if e.end else None) for e in timeline.events]


# -- the template --------------------------------------------------------------------


def test_the_template_sheet_is_found_and_read() -> None:
    path = DATA / "template.xlsx"
    before = path.read_bytes()
    timeline, reading = read_import(path)
    assert str(reading) == "TimelineJS sheet, Excel workbook · sheet 'Timeline'"
    assert timeline.title == "Computing, a short history"
    assert timeline.description == "From the loom to the web."
    assert titles_and_dates(timeline) == [
        ("Ada Lovelace's notes", "1843", None),
        ("ENIAC unveiled", "1946-02-15", None),  # a Year of text: "1946"
        ("Apollo 11 lands", "1969-07-20T20:17:40", None),  # 1969.0; an Excel time
        ("Ides of March", "-0043-03-15", None),  # TimelineJS -44 is 44 BC
        ("The web is born", "1989", "1991"),
    ]
    assert timeline.events[0].category == "People"
    assert timeline.events[4].extra["media"] == {
        "url": "https://example.org/w.png",
        "credit": "CERN",
        "caption": "",
        "thumbnail": "",
    }
    (era,) = timeline.eras
    assert (era.title, era.start.iso(), era.end.iso()) == ("War years", "1939", "1945")
    assert path.read_bytes() == before


def test_the_cli_imports_a_workbook_and_says_which_sheet(tmp_path: Path, capsys) -> None:
    db = tmp_path / "w.db"
    assert main(["import", str(DATA / "template.xlsx"), "--db", str(db)]) == 0
    assert capsys.readouterr().out == (
        f"imported 5 events into {db} (5 in all), "
        "read as TimelineJS sheet, Excel workbook · sheet 'Timeline'\n"
    )
    with EventStore.open(db) as store:
        assert store.title == "Computing, a short history"
        assert len(store.events()) == 5


def test_a_date_in_the_year_column_is_refused_naming_the_cell(tmp_path: Path, capsys) -> None:
    path = DATA / "date_in_year.xlsx"
    with pytest.raises(FormatError) as info:
        read_file(path)
    assert info.value.source == str(path)
    assert info.value.where == "sheet 'Events', row 3, column A 'Year'"
    assert "holds a date (1999-05-01), not a number" in info.value.message
    db = tmp_path / "no.db"
    assert main(["import", str(path), "--db", str(db)]) != 0
    assert "date_in_year.xlsx, sheet 'Events', row 3, column A 'Year'" in capsys.readouterr().err
    assert not db.exists()


# -- cells ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [(1999, "1999"), ("1999", "1999"), (1999.0, "1999"), (" 1999 ", "1999"), (-44, "-0043")],
)
def test_a_year_may_be_a_number_or_text(tmp_path: Path, year: Any, expected: str) -> None:
    path = workbook(tmp_path / "y.xlsx", ("S", [["Year", "Headline"], [year, "An event"]]))
    assert read_file(path).events[0].start.iso() == expected


@pytest.mark.parametrize(
    ("cells", "where", "fragment"),
    [
        ([["Headline", "Year"], ["x", "abc"]], "sheet 'S', row 2, column B 'Year'", "'abc'"),
        ([["Headline", "Year"], ["x", 1999.5]], "sheet 'S', row 2, column B 'Year'", "1999.5"),
        (
            [["Year", "Month", "Headline"], [1999, 13, "x"]],
            "sheet 'S', row 2, column B 'Month'",
            "month",
        ),
        (
            [["Year", "Headline", "Time"], [1999, "x", dt.time(14, 30)]],
            "sheet 'S', row 2, column C 'Time'",
            "hour is given without a month",
        ),
        (
            [["Year", "Day", "Headline"], [1999, dt.date(2000, 1, 1), "x"]],
            "sheet 'S', row 2, column B 'Day'",
            "holds a date (2000-01-01), not a number",
        ),
        (
            [["Year", "Headline", "Display Date"], [1999, "x", dt.datetime(1999, 5, 1, 12)]],
            "sheet 'S', row 2, column C 'Display Date'",
            "not text",
        ),
        ([["Year", "Text"], [1999, "x"]], "sheet 'S', row 1", "no 'Headline' column"),
        ([["Year", "Headline", "Year"], [1, "x", 2]], "sheet 'S', row 1", "columns A and C"),
        ([], "sheet 'S', row 1", "the sheet is empty"),
        (
            [["Year", "Headline"], [1999, "x"], [None, "no year"]],
            "sheet 'S', row 3, column A 'Year'",
            "no year",
        ),
    ],
)
def test_errors_name_the_sheet_row_and_column_letter(
    tmp_path: Path, cells: list[list[Any]], where: str, fragment: str
) -> None:
    path = workbook(tmp_path / "bad.xlsx", ("S", cells))
    with pytest.raises(FormatError) as info:
        read_file(path)
    assert info.value.where == where
    assert fragment in info.value.message
    assert info.value.source == str(path)


def test_times_numbers_and_text_cells(tmp_path: Path) -> None:
    header = ["Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time"]
    header += ["Headline", "Text", "Group"]
    rows = [
        header,
        [2000, 1, 2, dt.time(9, 5), 2000, 1, 2, dt.time(9, 5, 7, 250000), 42, 3.25, True],
        [2001, 5, 6, "2 PM", None, None, None, None, "=not a formula", None, None],
    ]
    timeline = read_file(workbook(tmp_path / "t.xlsx", ("S", rows)))
    first, second = timeline.events
    assert (first.start.iso(), first.end and first.end.iso()) == (
        "2000-01-02T09:05",
        "2000-01-02T09:05:07",
    )
    assert first.extra["end_date"] == {"millisecond": "250"}
    assert (first.title, first.description, first.category) == ("42", "3.25", "TRUE")
    assert second.start.iso() == "2001-05-06T14"  # text, read as the CSV reads it
    assert second.title == "=not a formula"  # text as it is: no apostrophe taken off


def test_a_formula_never_computed_is_an_empty_cell(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Year", "Headline", "Text"])
    sheet.append([1999, "Sum", "=1+1"])  # written by a program: no value kept
    book.save(tmp_path / "f.xlsx")
    assert read_file(tmp_path / "f.xlsx").events[0].description == ""


def test_the_first_sheet_with_the_header_or_else_the_first(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "s.xlsx",
        ("Notes", [["Some notes"]]),
        ("Data", [["Year", "Month", "Headline"], [2001, 2, "Second sheet"]]),
        ("More", [["Year", "Month", "Headline"], [2002, 3, "Third sheet"]]),
    )
    timeline, reading = read_import(path)
    assert [e.title for e in timeline.events] == ["Second sheet"]
    assert reading.details == ("sheet 'Data'",)
    none = workbook(tmp_path / "n.xlsx", ("Notes", [["a", "b"]]), ("Other", [["c"]]))
    with pytest.raises(FormatError, match="sheet 'Notes', row 1: not a TimelineJS sheet"):
        read_file(none)


def test_a_sheet_that_begins_in_column_b_keeps_its_letters(tmp_path: Path) -> None:
    rows: list[list[Any]] = [[None, "Year", "Headline"], [None, 1999, "ok"], [None, "abc", "x"]]
    with pytest.raises(FormatError) as info:
        read_file(workbook(tmp_path / "off.xlsx", ("S", rows)))
    assert info.value.where == "sheet 'S', row 3, column B 'Year'"


def test_empty_rows_between_keep_the_row_numbers(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["Year", "Headline"], [1999, "a"], [], [], ["x", "b"]]
    with pytest.raises(FormatError) as info:
        read_file(workbook(tmp_path / "gap.xlsx", ("S", rows)))
    assert info.value.where == "sheet 'S', row 5, column A 'Year'"


# -- by content, and files that are not workbooks ----------------------------------------


@pytest.mark.parametrize("name", ["events.csv", "events.json", "events", "events.txt"])
def test_a_workbook_is_told_by_its_content_whatever_its_name(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes((DATA / "template.xlsx").read_bytes())
    assert xlsx.is_workbook(path)
    assert len(read_file(path).events) == 5
    source = open_import(path)
    assert sum(len(b) for b in source.batches) == 5


def test_a_csv_named_xlsx_is_read_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "events.xlsx"
    path.write_text("Year,Month,Headline\n1999,3,Plain text\n")
    timeline, reading = read_import(path)
    assert [e.title for e in timeline.events] == ["Plain text"]
    assert reading.label == "TimelineJS sheet CSV"


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: p.write_bytes(b"\x00\x01\x02 not a zip"), "not a zip file"),
        (lambda p: _zip(p, {"word/document.xml": b"<w/>"}), "without xl/workbook.xml"),
        (lambda p: _zip(p, {"xl/workbook.xml": b"<broken"}), "not a readable Excel workbook"),
        (
            lambda p: p.write_bytes((DATA / "template.xlsx").read_bytes()[:2000]),
            "not a readable Excel workbook",
        ),
    ],
    ids=["bytes", "other-zip", "broken-xml", "truncated"],
)
def test_a_file_that_is_not_a_workbook_is_a_clear_error_and_left_as_it_is(
    tmp_path: Path, capsys, make, fragment: str
) -> None:
    path = tmp_path / "events.xlsx"
    make(path)
    before = path.read_bytes()
    with pytest.raises(FormatError) as info:
        read_file(path)
    assert fragment in info.value.message
    assert info.value.source == str(path)
    db = tmp_path / "no.db"
    assert main(["import", str(path), "--db", str(db)]) != 0
    err = capsys.readouterr().err
    assert "events.xlsx" in err and "Traceback" not in err
    assert not db.exists()
    assert path.read_bytes() == before


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(xlsx, "_BOMB_FROM", 1 << 20)
    path = _zip(tmp_path / "bomb.xlsx", {"xl/workbook.xml": b"<workbook/>"})
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (4 << 20))
    with pytest.raises(FormatError, match="would unpack to 4,194,"):
        read_file(path)


# -- streaming -----------------------------------------------------------------------


def test_a_big_sheet_streams_with_the_same_events(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["Year", "Month", "Headline", "Type", "End Year"]]
    rows += [[1000 + i % 900, 1 + i % 12, f"Event {i}", None, None] for i in range(2500)]
    rows.insert(1200, [1500, None, "An era", "era", 1600])
    path = workbook(tmp_path / "big.xlsx", ("Big", rows))
    source = open_import(path)
    assert source.streamed and source.total >= 2500
    titles = [t for b in source.batches for t in b.title]
    whole = read_file(path)
    assert titles == [e.title for e in whole.events]
    assert [e.title for e in source.header.eras] == ["An era"]
    assert str(source.reading) == "TimelineJS sheet, Excel workbook · sheet 'Big'"


def test_an_error_late_in_a_streamed_sheet_names_its_cell(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["Year", "Headline"]]
    rows += [[1999, f"Event {i}"] for i in range(2500)]
    rows.append(["late", "Bad"])
    source = open_import(workbook(tmp_path / "late.xlsx", ("S", rows)))
    with pytest.raises(FormatError) as info:
        list(source.batches)
    assert info.value.where == "sheet 'S', row 2502, column A 'Year'"
    assert info.value.source == str(tmp_path / "late.xlsx")


# -- the same as the CSV, and fuzzing ------------------------------------------------------


def _cell_safe(cell: str) -> str:
    """A cell a workbook can hold: without XML's forbidden characters, and "\r" is
    "\n" (XML reads a line end as "\n"); calamine reads a cell of spaces alone as
    empty."""
    if not cell.strip():
        return ""
    return ILLEGAL_CHARACTERS_RE.sub("?", cell.replace("\r\n", "\n").replace("\r", "\n"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines())
def test_a_sheet_as_a_workbook_reads_as_its_csv_does(tmp_path_factory, timeline: Timeline) -> None:
    text = write_sheet_csv(timeline)
    rows = [
        [_cell_safe(_restored(c)) for c in r] for r in csv.reader(io.StringIO(text, newline=""))
    ]
    path = workbook(tmp_path_factory.mktemp("x") / "sheet.xlsx", ("Sheet", rows))
    out = io.StringIO()
    csv.writer(out).writerows([[_defused(c) for c in r] for r in rows])
    try:
        expected: Timeline | str = read_sheet_csv(out.getvalue(), str(path))
    except FormatError as exc:  # (a "?" where a character was may make a bad cell)
        expected = exc.message
    try:
        got: Timeline | str = read_file(path)
    except FormatError as exc:
        got = exc.message
    assert got == expected


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_named_xlsx_give_a_format_error(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "f.xlsx"
    path.write_bytes(data)
    try:
        read_file(path)
    except FormatError as exc:
        assert exc.source == str(path)


TEMPLATE = (DATA / "template.xlsx").read_bytes()


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 20))
@example(seed=13699, flips=10)  # a zip "version 22.1": zipfile's NotImplementedError
def test_a_damaged_workbook_gives_a_timeline_or_a_format_error(
    tmp_path_factory, seed: int, flips: int
) -> None:
    rng = random.Random(seed)
    data = bytearray(TEMPLATE)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    path = tmp_path_factory.mktemp("damaged") / "d.xlsx"
    path.write_bytes(bytes(data))
    for read in (read_file, lambda p: [list(b.title) for b in open_import(p).batches]):
        try:
            read(path)
        except FormatError as exc:
            assert exc.source == str(path)
