"""TimelineJS sheets as Excel workbooks (``.xlsx``), as a Google Sheet downloads.

The sheet read is the first one, or the first whose first row is the template's
header (``Year``, ``Headline`` …).  Its rows become rows of text cells and go to the
sheet CSV's row logic (:func:`viewer.io.sheet_csv.read_sheet_rows` and
:func:`~viewer.io.sheet_csv.stream_sheet_rows`): one mapping for both, the same
errors, naming the sheet, row and column letter (``sheet 'Events', row 5, column A
'Year': '1999.5' is not a year``).

Cells are turned into the text a CSV would hold:

* numbers as written, whole floats as whole numbers (a Year of ``1999.0`` is 1999, the
  number 1999 and the text "1999" read alike); other floats to 15 significant digits,
  as Excel shows them, so ``1999.5`` is refused as a year as in a CSV;
* a time of day in ``Time`` or ``End Time`` as ``HH:MM``, ``HH:MM:SS`` or with
  milliseconds;
* a date (Excel stores one as a number with a date format) is refused in any other
  template column, naming the cell: a spreadsheet makes a date of "May 1999" typed in
  a cell, inventing the 1st, and a year formatted as a date reads as a day of 1905;
  the text of a date would not be what the person wrote either;
* a cell of spaces alone reads as empty (calamine reads it so);
* a formula gives the value the spreadsheet last computed; none if it was never
  computed (a file written by a program), so the cell is empty.

The library is python-calamine (Rust's calamine).  openpyxl in read-only mode was
tried first: it streams rows, so memory stays flat, but it parses about 8,000 rows a
second on this project's machine (a 100,000-row sheet took 28 s to import, against
3.7 s for the same rows as CSV); calamine reads the same sheet in about 1 s.  It
holds the chosen sheet's cells in memory (about 55 MB per 100,000 rows of the
template), which a Google Sheet's limit of 10 million cells bounds.  A Rust panic on
a damaged file comes up as pyo3's ``PanicException``, a ``BaseException``: it is
caught here with the library's own errors, and the fuzz tests feed damaged
workbooks.  openpyxl stays a test dependency: the tests write their workbooks with it.

A file that is not a readable workbook is a :class:`FormatError`; the file is only
ever read.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from viewer.io.errors import FormatError
from viewer.io.sheet_csv import (
    Place,
    header_index,
    is_sheet_header,
    read_sheet_rows,
    stream_sheet_rows,
)
from viewer.model.event import Timeline
from viewer.store.batch import BATCH_SIZE, EventBatch

__all__ = ["is_workbook", "looks_like_workbook", "read_xlsx", "stream_xlsx"]

#: The part every Excel workbook (Office Open XML spreadsheet) has.
WORKBOOK_PART = "xl/workbook.xml"
#: The most a workbook's parts may unpack to; more is a zip bomb, not a timeline.
MAX_UNPACKED = 4 << 30
#: Past this size, parts that unpack to more than this many times what they take in
#: the zip are refused (sheet XML packs about 10:1; a zip bomb thousands to one).
_BOMB_FROM, _BOMB_RATIO = 256 << 20, 200
_TIME_COLUMNS = frozenset({"Time", "End Time"})
_DATE_COLUMNS = frozenset({"Year", "Month", "Day", "End Year", "End Month", "End Day"})


def looks_like_workbook(head: bytes) -> bool:
    """Whether the first bytes of a file may be a workbook: a zip (never raises)."""
    return head.startswith(b"PK\x03\x04")


def is_workbook(path: str | os.PathLike[str]) -> bool:
    """Whether a file is a zip with the workbook part of an Excel workbook (never
    raises)."""
    try:
        with Path(path).open("rb") as f:
            if not looks_like_workbook(f.read(4)):
                return False
        with zipfile.ZipFile(path) as archive:
            archive.getinfo(WORKBOOK_PART)
    except Exception:  # zipfile raises many kinds on a damaged zip (NotImplementedError …)
        return False
    return True


def _unreadable(reason: str) -> FormatError:
    return FormatError(f"not a readable Excel workbook (.xlsx): {reason}")


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if WORKBOOK_PART not in archive.NameToInfo:
                raise _unreadable(f"a zip file without {WORKBOOK_PART}")
    except zipfile.BadZipFile:
        raise _unreadable("not a zip file, as a workbook is") from None
    except FormatError:
        raise
    except Exception as exc:  # a damaged zip: NotImplementedError, EOFError …
        raise _unreadable(f"a damaged zip file ({type(exc).__name__}: {exc})") from None
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if unpacked > MAX_UNPACKED or (unpacked > _BOMB_FROM and unpacked > _BOMB_RATIO * packed):
        raise _unreadable(f"its parts would unpack to {unpacked:,} bytes")


def _number(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(value, ".15g")


def _time(value: dt.time) -> str:
    text = f"{value.hour:02d}:{value.minute:02d}"
    if value.second or value.microsecond:
        text += f":{value.second:02d}"
    if value.microsecond:
        text += f".{value.microsecond // 1000:03d}"
    return text


def _cell(value: Any, column: str | None, where: str) -> str:
    """A cell's value as the text a CSV of the sheet would hold (see the module)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, dt.time) and column in _TIME_COLUMNS:
        return _time(value)
    if isinstance(value, dt.date | dt.time | dt.timedelta) and column is not None:
        if isinstance(value, dt.datetime) and value.time() == dt.time():
            value = value.date()
        shown = str(value) if isinstance(value, dt.timedelta) else value.isoformat()
        kind = "a date" if isinstance(value, dt.date) else "a time"
        need = "a number" if column in _DATE_COLUMNS else "text"
        if column in _TIME_COLUMNS:
            need = "a time of day"
        raise FormatError(
            f"the cell holds {kind} ({shown}), not {need}: the spreadsheet made {kind} of "
            f'what was typed ("May 1999" becomes 1 May 1999); format the column as plain '
            f"text and type the cell again",
            where=where,
        )
    return str(value)


class _Sheet:
    """The chosen sheet of an open workbook: its name and its rows as text cells."""

    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet
        self.name = str(sheet.name)
        self.place = Place(self.name)
        #: The number of data rows the sheet has (for progress).
        self.rows_hint = max(0, int(sheet.end[0]) if sheet.end else 0)

    def rows(self) -> Iterator[list[str]]:
        header: list[str] | None = None
        names: dict[int, str] = {}
        for number, values in enumerate(_values(self._sheet), start=1):
            if header is None:
                header = [_cell(v, None, "") for v in values]
                names = {i: name for name, i in header_index(header, self.place).items()}
                yield header
                continue
            yield [
                v
                if isinstance(v, str)
                else _cell(v, names.get(i), self.place.cell(number, names.get(i, ""), i))
                for i, v in enumerate(values)
            ]


def _guarded(what: str) -> Any:
    """Run a call into the library; its failures (a Rust panic too) are a FormatError."""

    @contextmanager
    def guard() -> Iterator[None]:
        try:
            yield
        except FormatError:
            raise
        except (KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        except BaseException as exc:  # calamine's errors, and pyo3's PanicException
            raise _unreadable(f"{what} ({type(exc).__name__}: {exc})") from None

    return guard()


def _values(sheet: Any) -> Iterator[list[Any]]:
    """A sheet's rows of values, from row 1 and column A (calamine gives the rows from
    the first one, but the columns from the first that holds a cell)."""
    with _guarded("its sheet cannot be read"):
        start = sheet.start
        rows = sheet.iter_rows()
    left = [""] * (int(start[1]) if start else 0)
    while True:
        with _guarded("its sheet cannot be read"):
            values = next(rows, None)
        if values is None:
            return
        yield left + list(values) if left else list(values)


def _choose(workbook: Any) -> _Sheet:
    """The first sheet whose first row is the template's header, or the first sheet
    (its header then says what is missing)."""
    with _guarded("its sheets cannot be listed"):
        names = list(workbook.sheet_names)
    if not names:
        raise _unreadable("it has no sheets")
    first: _Sheet | None = None
    for name in names:
        with _guarded(f"its sheet '{name}' cannot be read"):
            sheet = _Sheet(workbook.get_sheet_by_name(name))
        first = first or sheet
        header = next(_values(sheet._sheet), [])
        if is_sheet_header([_cell(v, None, "") for v in header]):
            return sheet
    assert first is not None
    return first


@contextmanager
def _opened(path: str | os.PathLike[str]) -> Iterator[_Sheet]:
    """The chosen sheet of a workbook."""
    from python_calamine import CalamineWorkbook

    file = Path(path)
    _check_zip(file)
    try:
        with file.open("rb") as binary, _guarded("it cannot be opened"):
            # from the bytes, not the name: a workbook saved as "events.csv" is one
            workbook = CalamineWorkbook.from_filelike(binary)
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        yield _choose(workbook)
    finally:
        with _guarded("it cannot be closed"):
            workbook.close()


def _named(exc: FormatError, source: str) -> FormatError:
    return exc if exc.source else exc.with_source(source)


def read_xlsx(path: str | os.PathLike[str]) -> tuple[Timeline, str]:
    """A workbook's TimelineJS sheet as a timeline, and the sheet's name."""
    name = os.fspath(path)
    try:
        with _opened(path) as sheet:
            return read_sheet_rows(sheet.rows(), name, place=sheet.place), sheet.name
    except FormatError as exc:
        raise _named(exc, name) from None


def stream_xlsx(
    path: str | os.PathLike[str], *, size: int = BATCH_SIZE
) -> tuple[Timeline, Iterator[EventBatch], str, int]:
    """A workbook's TimelineJS sheet as it is read: ``(header, batches, sheet name,
    rows)`` (see :func:`viewer.io.sheet_csv.stream_sheet_rows`; ``rows`` is the number
    of data rows the sheet has)."""
    name = os.fspath(path)
    stack = ExitStack()
    try:
        sheet = stack.enter_context(_opened(path))
    except FormatError as exc:
        raise _named(exc, name) from None
    header, batches = stream_sheet_rows(sheet.rows(), name, size=size, place=sheet.place)

    def read() -> Iterator[EventBatch]:
        try:
            yield from batches
        except FormatError as exc:
            raise _named(exc, name) from None
        finally:
            stack.close()

    return header, read(), sheet.name, sheet.rows_hint
