"""TimelineJS sheet CSV import and export (the Google Sheets template as CSV).

Columns, in this order on export: :data:`COLUMNS`.  On import the header is matched
ignoring case and surrounding spaces; columns other than ``Year`` and ``Headline`` may be
missing (read as empty), unknown columns are ignored and a column given twice is
refused.  ``Type`` is empty (an event), ``title`` (the title row, at most one) or
``era``; any other value makes an event that remembers its type in
``Event.extra["type"]``.

The mapping follows the JSON importer (:mod:`viewer.io.timelinejs`), so a CSV→JSON
conversion gives a sensible TimelineJS file:

* years use TimelineJS numbering (no year zero; ``-44`` is 44 BC = astronomical -43);
* ``Time`` is ``14:30``, ``14:30:15``, ``14:30:15.250``, ``2:30 PM`` or an hour alone
  (``14``, ``2 PM``) → hour/minute/second; milliseconds go to
  ``extra["start_date"]["millisecond"]`` (``extra["end_date"]`` for ``End Time``);
* ``Display Date`` → ``Event.display_date``; ``Group`` → category (a blank-but-not-empty
  group is kept in ``extra["group"]``); an empty ``Headline`` gives a fallback title and
  ``extra["text"]["headline"]`` keeps the cell;
* ``Media``, ``Media Credit``, ``Media Caption``, ``Media Thumbnail`` →
  ``extra["media"] = {"url", "credit", "caption", "thumbnail"}`` (all four, when any is
  filled in);
* ``Background`` → ``extra["background"] = {"color": …}`` when it looks like a colour
  (``#hex``, a colour name, ``rgb(…)``), else ``{"url": …}``;
* the title row → ``Timeline.title``/``description``, its media, background, display date,
  group and Year/Month/Day cells (``extra["start_date"]``/``["end_date"]``, raw) →
  ``Timeline.extra``;
* era rows → :class:`Era` (``Text`` in ``extra["text"]["text"]``, other cells as above).

Export writes years, months and days as plain numbers, times as ``HH``, ``HH:MM`` or
``HH:MM:SS`` (24 h).  Event extras other than media, background, headline, group, type
and milliseconds have no column and are not written.

Errors name the row (the header is row 1, as in a spreadsheet) and the column:
``row 5, column 'Year': 'abc' is not a year``.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

import numpy as np

from viewer.io.delimiters import delimiter_name, sniff_delimiter
from viewer.io.display_dates import display_date_for, may_qualify, read_display_date
from viewer.io.errors import FormatError
from viewer.io.timelinejs import (
    build_date,
    categories_for,
    date_fields,
    exported_group,
    exported_headline,
    fallback_title,
    group_category,
)
from viewer.model.date_arrays import DateColumns
from viewer.model.dates import DateError, PartialDate, check_range
from viewer.model.event import Era, Event, Timeline
from viewer.store.batch import BATCH_SIZE, EventBatch

__all__ = [
    "COLUMNS",
    "Place",
    "describe_sheet_csv",
    "header_index",
    "is_sheet_header",
    "looks_like_sheet_csv",
    "read_sheet_csv",
    "read_sheet_rows",
    "sniff_sheet_delimiter",
    "stream_sheet_csv",
    "stream_sheet_rows",
    "write_sheet_csv",
]

COLUMNS = (
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
)
#: The columns of text (the others hold numbers, or the row's type).
_TEXT_COLUMNS = frozenset(COLUMNS) - {
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Type"
}  # fmt: skip
#: A cell that a spreadsheet would take for a formula (OWASP's list: =, +, -, @, a tab
#: or a return first), in any column: the title row's dates and a row's type are
#: written as imported, and may hold anything.  It is written after an apostrophe,
#: which the import takes off again; a cell of apostrophes before one gets one more,
#: so that the import gives back what was written.  A plain number in a column of
#: numbers ("-44", a year BC) is not a formula and is written as it is.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")

# A description longer than csv's default limit (131,072 characters) is still a cell.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


def _defused(cell: str, numeric: bool = False) -> str:
    """A cell as written: after an apostrophe where a spreadsheet would take it for a
    formula (so that opening the file runs nothing); ``numeric``: in a column of
    numbers, where a plain number is left as it is."""
    if _FORMULA.match(cell) and not (numeric and _NUMBER.fullmatch(cell)):
        return "'" + cell
    return cell


def _restored(cell: str) -> str:
    """A text cell as read: the apostrophe :func:`_defused` put first taken off."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell, 1) else cell


_MEDIA_COLUMNS = (
    ("url", "Media"),
    ("credit", "Media Credit"),
    ("caption", "Media Caption"),
    ("thumbnail", "Media Thumbnail"),
)
_KEY = {" ".join(name.split()).casefold(): name for name in COLUMNS}

_TIME_RE = re.compile(
    r"(?P<hour>\d{1,2})"
    r"(?::(?P<minute>\d{1,2})(?::(?P<second>\d{1,2})(?:\.(?P<ms>\d{1,6}))?)?)?"
    r"(?:\s*(?P<ampm>[ap])\.?\s*(?:m\.?)?)?",
    re.IGNORECASE,
)
_COLOR_RE = re.compile(
    r"#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})|[a-z]+|(?:rgb|hsl)a?\([^)]*\)", re.IGNORECASE
)


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def column_letter(i: int) -> str:
    """A spreadsheet's name for the ``i``-th column (from 0): ``A`` … ``Z``, ``AA`` …"""
    letters = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Place:
    """Where rows come from, for errors: a CSV file (``row 5, column 'Year'``) or a
    workbook's sheet (``sheet 'Events', row 5, column D 'Year'``).

    Only our CSV puts an apostrophe before a text cell that looks like a formula (see
    :func:`_defused`), so only CSV cells have it taken off again.
    """

    sheet: str | None = None

    @property
    def defused(self) -> bool:
        return self.sheet is None

    def row(self, number: int) -> str:
        return f"row {number}" if self.sheet is None else f"sheet '{self.sheet}', row {number}"

    def cell(self, number: int, column: str, i: int | None) -> str:
        if self.sheet is None or i is None:
            return f"{self.row(number)}, column '{column}'"
        return f"{self.row(number)}, column {column_letter(i)} '{column}'"


_CSV = Place()


class _Row:
    """One data row: cells by column name, and places for errors."""

    def __init__(
        self, number: int, cells: list[str], index: dict[str, int], place: Place = _CSV
    ) -> None:
        self.number = number
        self._cells = cells
        self._index = index
        self._place = place

    def __getitem__(self, column: str) -> str:
        i = self._index.get(column)
        cell = self._cells[i] if i is not None and i < len(self._cells) else ""
        return _restored(cell) if self._place.defused else cell

    def where(self, column: str) -> str:
        return self._place.cell(self.number, column, self._index.get(column))

    def blank(self) -> bool:
        return all(not cell.strip() for cell in self._cells)


def _parse_time(text: str, row: _Row, column: str) -> dict[str, Any]:
    """Date fields (hour, minute, second, millisecond) from a Time cell."""
    match = _TIME_RE.fullmatch(text.strip())
    if not match:
        raise FormatError(f"{text!r} is not a time", where=row.where(column))
    hour = int(match["hour"])
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise FormatError(f"{text!r} is not a time", where=row.where(column))
        hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
    fields: dict[str, Any] = {"hour": hour}
    if match["minute"] is not None:
        fields["minute"] = int(match["minute"])
    if match["second"] is not None:
        fields["second"] = int(match["second"])
    if match["ms"] is not None:
        fields["millisecond"] = match["ms"]
    return fields


def _read_date(
    row: _Row, prefix: str, *, required: bool
) -> tuple[PartialDate | None, dict[str, Any]]:
    """The start (``prefix=""``) or end (``prefix="End "``) date of a row, and leftovers."""
    names = {"year": "Year", "month": "Month", "day": "Day"}
    columns = {field: prefix + name for field, name in names.items()}
    raw: dict[str, Any] = {field: row[column] for field, column in columns.items()}
    time_column = prefix + "Time"
    time = row[time_column]
    if all(not v.strip() for v in raw.values()) and not time.strip():
        if required:
            raise FormatError("the row has no year", where=row.where(columns["year"]))
        return None, {}
    rest: dict[str, Any] = {}
    if time.strip():
        fields = _parse_time(time, row, time_column)
        if "millisecond" in fields:
            rest["millisecond"] = fields.pop("millisecond")
        raw.update(fields)

    def place(field: str) -> str:
        return row.where(columns.get(field, time_column))

    return build_date(raw, place), rest


def _background(cell: str) -> dict[str, str] | None:
    value = cell.strip()
    if not value:
        return None
    return {"color": value} if _COLOR_RE.fullmatch(value) else {"url": value}


def _common_extra(row: _Row) -> dict[str, Any]:
    """Media and background of a row, in the JSON importer's structure."""
    extra: dict[str, Any] = {}
    if any(row[column].strip() for _, column in _MEDIA_COLUMNS):
        extra["media"] = {key: row[column] for key, column in _MEDIA_COLUMNS}
    background = _background(row["Background"])
    if background is not None:
        extra["background"] = background
    return extra


def _read_range(
    row: _Row, extra: dict[str, Any], *, end_required: bool
) -> tuple[PartialDate, PartialDate | None]:
    """A row's start and end; their milliseconds go to ``extra``."""
    start, rest = _read_date(row, "", required=True)
    assert start is not None
    if rest:
        extra["start_date"] = rest
    end, rest = _read_date(row, "End ", required=False)
    if end is None and end_required:
        raise FormatError("an era needs an end year", where=row.where("End Year"))
    if rest:
        extra["end_date"] = rest
    try:
        check_range(start, end)
    except DateError as exc:
        raise FormatError(str(exc), where=row.where("End Year")) from None
    return start, end


def _read_event(row: _Row) -> Event:
    extra = _common_extra(row)
    start, end = _read_range(row, extra, end_required=False)
    start, end, display_date = read_display_date(start, end, row["Display Date"])
    headline = row["Headline"]
    description = row["Text"]
    if headline.strip():
        title = headline
    else:
        title = fallback_title(description)
        extra["text"] = {"headline": headline}
    group = row["Group"]
    category = group_category(group or None, extra)  # (an empty cell: no group at all)
    kind = row["Type"].strip()
    if kind:
        extra["type"] = row["Type"]
    return Event(
        title=title,
        start=start,
        end=end,
        description=description,
        category=category,
        display_date=display_date,
        extra=extra,
    )


def _read_era(row: _Row) -> Era:
    extra = _common_extra(row)
    start, end = _read_range(row, extra, end_required=True)
    assert end is not None
    if row["Text"]:
        extra["text"] = {"text": row["Text"]}
    if row["Display Date"]:
        extra["display_date"] = row["Display Date"]
    if row["Group"]:
        extra["group"] = row["Group"]
    return Era(title=row["Headline"], start=start, end=end, extra=extra)


def _read_title(row: _Row, timeline: Timeline) -> None:
    timeline.title = row["Headline"]
    timeline.description = row["Text"]
    extra = _common_extra(row)
    for prefix, key in (("", "start_date"), ("End ", "end_date")):
        raw = {
            field: row[prefix + column]
            for field, column in (("year", "Year"), ("month", "Month"), ("day", "Day"))
            if row[prefix + column].strip()
        }
        if raw:
            extra[key] = raw
    if row["Display Date"]:
        extra["display_date"] = row["Display Date"]
    if row["Group"]:
        extra["group"] = row["Group"]
    timeline.extra.update(extra)


def _rows(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(
        io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter, strict=True
    )
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as exc:
        raise FormatError(
            f"not a readable CSV file ({exc}; a quoted cell may not be closed)",
            where=f"row {len(rows) + 1}",
        ) from None
    return rows


def _read(rows: Iterable[list[str]], source: str | None, place: Place) -> Timeline:
    records = iter(rows)
    first = next(records, None)
    if first is None:
        raise FormatError(
            f"the {'file' if place.defused else 'sheet'} is empty", where=place.row(1)
        )
    index = _header_index(first, place)
    timeline = Timeline(source=source or "")
    title_row: int | None = None
    for number, cells in enumerate(records, start=2):
        row = _Row(number, cells, index, place)
        if row.blank():
            continue
        kind = row["Type"].strip().casefold()
        if kind == "title":
            if title_row is not None:
                raise FormatError(
                    f"a second title row (the first is row {title_row})",
                    where=row.where("Type"),
                )
            title_row = number
            _read_title(row, timeline)
        elif kind == "era":
            timeline.eras.append(_read_era(row))
        else:
            timeline.events.append(_read_event(row))
    timeline.categories = categories_for(timeline.events)
    return timeline


def _header_index(first: list[str], place: Place = _CSV) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, cell in enumerate(first):
        name = _KEY.get(_normal(cell))
        if name is None:
            continue
        if name in index:  # which of the two holds the data? Refuse rather than guess
            raise FormatError(
                f"two '{name}' columns (columns {_column_name(index[name], place)} and "
                f"{_column_name(i, place)})",
                where=place.row(1),
            )
        index[name] = i
    for required in ("Year", "Headline"):
        if required not in index:
            raise FormatError(
                f"not a TimelineJS sheet: there is no '{required}' column", where=place.row(1)
            )
    return index


def _column_name(i: int, place: Place) -> str:
    return str(i + 1) if place.defused else column_letter(i)


def header_index(cells: list[str], place: Place = _CSV) -> dict[str, int]:
    """Where each template column is in a header row (``{"Year": 0, …}``); a header
    without ``Year`` or ``Headline``, or with a column twice, is a FormatError."""
    return _header_index(cells, place)


def is_sheet_header(cells: Sequence[str]) -> bool:
    """Whether a row is a TimelineJS sheet's header (``Year``, ``Headline`` and at least
    one more of the template's columns)."""
    names = {_KEY.get(_normal(cell)) for cell in cells}
    return {"Year", "Headline"} <= names and len(names - {None}) >= 3


def _known_column(cell: str) -> bool:
    return _normal(cell) in _KEY


def sniff_sheet_delimiter(text: str, *, whole: bool = True) -> str:
    """The delimiter of a sheet CSV (see :mod:`viewer.io.delimiters`): the one that
    splits its header into the template's column names."""
    return sniff_delimiter(text.removeprefix("\ufeff"), _known_column, whole=whole)


#: Cells a fast row must leave empty: it carries no media, background or type (an
#: event, plainly).
_PLAIN_EMPTY = ("Type", "Background", *(c for _k, c in _MEDIA_COLUMNS))
_DATE_COLUMNS = ("Year", "Month", "Day", "End Year", "End Month", "End Day")


def _ints(cells: Sequence[str], *, signed: bool) -> tuple[np.ndarray, np.ndarray]:
    """``(value, plain)``: each cell as an integer (``-1`` when empty), and whether it
    was a plain one (empty, or ASCII digits, with a minus if ``signed``): the rest go
    the slow way, which reads every form or says what is wrong."""
    n = len(cells)
    out = np.full(n, -1, dtype=np.int64)
    plain = np.ones(n, dtype=bool)
    if not any(cells):
        return out, plain
    for i, c in enumerate(cells):
        if not c:
            continue
        digits = c[1:] if signed and c[0] == "-" else c
        if digits.isascii() and digits.isdigit() and len(digits) <= 12:
            out[i] = int(c)
        else:
            plain[i] = False
    return out, plain


def _times(cells: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(hour, minute, second, plain)`` of Time cells: empty, ``HH:MM`` or
    ``HH:MM:SS`` on the 24-hour clock are plain (``-1`` where not given)."""
    n = len(cells)
    hour, minute, second = (np.full(n, -1, dtype=np.int64) for _ in range(3))
    plain = np.ones(n, dtype=bool)
    if not any(cells):
        return hour, minute, second, plain
    for i, c in enumerate(cells):
        if not c:
            continue
        if (
            len(c) in (5, 8)
            and c.isascii()
            and c[2] == ":"
            and c[:2].isdigit()
            and c[3:5].isdigit()
            and (len(c) == 5 or (c[5] == ":" and c[6:].isdigit()))
        ):
            hour[i], minute[i] = int(c[:2]), int(c[3:5])
            if len(c) == 8:
                second[i] = int(c[6:])
        else:
            plain[i] = False
    return hour, minute, second, plain


def _fast_batch(
    rows: list[list[str]], index: dict[str, int], place: Place = _CSV
) -> tuple[EventBatch, np.ndarray]:
    """The rows that are plain events as a batch, worked out a column at a time; and a
    mask of those rows (the others are read one by one, the slow way).

    A plain row has a headline, whole numbers for its dates (and a time, if any, as
    ``HH:MM[:SS]``) and nothing in :data:`_PLAIN_EMPTY`.
    """
    n = len(rows)
    table = list(itertools.zip_longest(*rows, fillvalue=""))
    blank = ("",) * n

    def column(name: str) -> Sequence[str]:
        i = index.get(name)
        cells = table[i] if i is not None and i < len(table) else blank
        if name in _TEXT_COLUMNS and place.defused and any(c.startswith("'") for c in cells):
            return [_restored(c) for c in cells]
        return cells

    ok = np.ones(n, dtype=bool)
    for name in _PLAIN_EMPTY:
        cells = column(name)
        if any(cells):
            ok &= np.fromiter((not c for c in cells), dtype=bool, count=n)
    headline = column("Headline")
    group = column("Group")
    # a display date that qualifies the dates ("c. 1450"): the slow way, which reads it
    shown = column("Display Date")
    if any(shown):
        ok &= np.fromiter((not may_qualify(c) for c in shown), dtype=bool, count=n)
    ok &= np.fromiter((bool(h) and not h.isspace() for h in headline), dtype=bool, count=n)
    # a group of spaces is kept in extra: the slow way
    if any(group):
        ok &= np.fromiter((not g or not g.isspace() for g in group), dtype=bool, count=n)
    values = {}
    for name in _DATE_COLUMNS:
        values[name], plain = _ints(column(name), signed=name.endswith("Year"))
        ok &= plain
    year_given = np.fromiter((bool(c) for c in column("Year")), dtype=bool, count=n)
    ok &= year_given
    end_year_given = np.fromiter((bool(c) for c in column("End Year")), dtype=bool, count=n)
    times: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for prefix in ("", "End "):
        hour, minute, second, plain = _times(column(prefix + "Time"))
        times[prefix] = (hour, minute, second)
        ok &= plain
    has_end = end_year_given | (values["End Month"] >= 0) | (values["End Day"] >= 0)
    has_end |= times["End "][0] >= 0
    ok &= ~has_end | end_year_given

    def dates(prefix: str, given: np.ndarray) -> DateColumns:
        year = values[prefix + "Year"]
        year = np.where(year < 0, year + 1, year)  # TimelineJS numbering: no year zero
        # an empty cell reads -1 but a year of -1 (2 BC) reads 0 now: tell them apart
        year = np.where(given, year, 0)
        return DateColumns.of(
            year, values[prefix + "Month"], values[prefix + "Day"], *times[prefix]
        )

    start = dates("", year_given)
    end = dates("End ", end_year_given)
    ok &= start.check() & (~has_end | end.check())
    begin, until = start.begin(), start.finish()
    end_from, end_finish = end.begin(), end.finish()
    ok &= ~has_end | (end_from >= begin)
    keep = np.flatnonzero(ok)
    k = keep.tolist()
    every = len(k) == n

    def picked(cells: Sequence[str]) -> list[str]:
        return list(cells) if every else [cells[i] for i in k]

    ends = has_end[keep].tolist()
    end_iso = end.take(keep).iso()
    end_precision = end.precision[keep].tolist()
    batch = EventBatch(
        title=picked(headline),
        description=picked(column("Text")),
        start=start.take(keep).iso(),
        end=[e if r else None for e, r in zip(end_iso, ends, strict=True)],
        start_pos=begin[keep].tolist(),
        end_pos=np.where(has_end, end_finish, until)[keep].tolist(),
        start_until=until[keep].tolist(),
        end_from=np.where(has_end, end_from, begin)[keep].tolist(),
        start_precision=start.precision[keep].tolist(),
        end_precision=[p if r else None for p, r in zip(end_precision, ends, strict=True)],
        category=[g.strip() for g in picked(group)] if any(group) else [""] * len(k),
        source_url=[""] * len(k),
        display_date=picked(column("Display Date")),
        extra=["{}"] * len(k),
        tags=[()] * len(k),
        qualifiers=[0] * len(k),
        notes=[""] * len(k),
    )
    return batch, ok


def stream_sheet_csv(
    text: Iterable[str],
    source: str | None = None,
    *,
    size: int = BATCH_SIZE,
    delimiter: str | None = None,
) -> tuple[Timeline, Iterator[EventBatch]]:
    """Read a TimelineJS sheet CSV as it comes: ``(header, batches)``.

    ``text`` gives the file's text in pieces (an open text file, or lines);
    ``delimiter`` is found from the first lines when not given.  See
    :func:`stream_sheet_rows`.
    """
    lines = iter(text)
    if delimiter is None:
        head = list(itertools.islice(lines, _SNIFF_LINES))
        delimiter = sniff_sheet_delimiter("".join(head), whole=len(head) < _SNIFF_LINES)
        lines = itertools.chain(head, lines)
    return stream_sheet_rows(_csv_records(lines, delimiter), source, size=size)


#: Lines read to find a streamed CSV's delimiter.
_SNIFF_LINES = 64


def _csv_records(lines: Iterable[str], delimiter: str) -> Iterator[list[str]]:
    """The records of CSV lines; broken quoting is a FormatError naming the row."""
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if number == 1 and cells:
                cells[0] = cells[0].removeprefix("\ufeff")
            yield cells
    except csv.Error as exc:
        raise FormatError(
            f"not a readable CSV file ({exc}; a quoted cell may not be closed)",
            where=f"row {number + 1}",
        ) from None


def stream_sheet_rows(
    rows: Iterable[list[str]],
    source: str | None = None,
    *,
    size: int = BATCH_SIZE,
    place: Place = _CSV,
) -> tuple[Timeline, Iterator[EventBatch]]:
    """Read a TimelineJS sheet's rows (lists of cells, the header first) as they come:
    ``(header, batches)``.

    The header timeline gets the title row and the eras as the batches are read (it is
    complete once they are all read); the events come in batches, worked out a column
    at a time where a row is plain (:func:`_fast_batch`) and one by one otherwise,
    with the same result and the same errors as :func:`read_sheet_csv`, in the
    file's order.  ``place`` names the rows in errors (a CSV file, or a workbook's
    sheet).
    """
    header = Timeline(source=source or "")

    def batches() -> Iterator[EventBatch]:
        records = iter(rows)
        try:
            first = next(records, None)
            if first is None:
                what = "file" if place.defused else "sheet"
                raise FormatError(f"the {what} is empty", where=place.row(1))
            number = 1
            index = _header_index(first, place)
            kind_at = index.get("Type")
            title_row: int | None = None
            while chunk := list(itertools.islice(records, size)):
                base = number + 1  # the row number of chunk[0]
                number += len(chunk)
                start = 0
                for k, cells in enumerate(chunk):
                    if kind_at is None or kind_at >= len(cells):
                        continue
                    kind = cells[kind_at].strip().casefold()
                    if kind not in ("title", "era"):
                        continue
                    # the events before it first: errors come in the file's order
                    yield from _event_batches(chunk[start:k], base + start, index, place)
                    start = k + 1
                    row = _Row(base + k, cells, index, place)
                    if kind == "title":
                        if title_row is not None:
                            raise FormatError(
                                f"a second title row (the first is row {title_row})",
                                where=row.where("Type"),
                            )
                        title_row = base + k
                        _read_title(row, header)
                    else:
                        header.eras.append(_read_era(row))
                yield from _event_batches(chunk[start:], base + start, index, place)
        except FormatError as exc:
            raise (exc.with_source(source) if source and not exc.source else exc) from None

    return header, batches()


def _event_batches(
    rows: list[list[str]], first: int, index: dict[str, int], place: Place
) -> Iterator[EventBatch]:
    """Event rows (row ``first`` on) as a batch: plain ones the fast way, the others one
    by one, all in the file's order; blank rows are skipped."""
    if not rows:
        return
    fast, ok = _fast_batch(rows, index, place)
    if ok.all():
        yield fast
        return
    out = EventBatch()
    taken = 0  # rows of ``fast`` used so far
    done = 0  # rows of ``rows`` handled so far
    for j in [*np.flatnonzero(~ok).tolist(), len(rows)]:
        run = j - done  # plain rows before this one: copied over as slices
        if run:
            out.extend_rows(fast, taken, taken + run)
            taken += run
        if j < len(rows):
            row = _Row(first + j, rows[j], index, place)
            if not row.blank():
                out.append(_read_event(row))
        done = j + 1
    yield out


def read_sheet_csv(
    text: str, source: str | None = None, *, delimiter: str | None = None
) -> Timeline:
    """Import a TimelineJS sheet saved as CSV (a BOM and CRLF line ends are fine); the
    delimiter is found from the text when not given (:func:`sniff_sheet_delimiter`)."""
    try:
        if delimiter is None:
            delimiter = sniff_sheet_delimiter(text)
        return _read(_rows(text, delimiter), source, _CSV)
    except FormatError as exc:
        raise (exc.with_source(source) if source else exc) from None


def read_sheet_rows(
    rows: Iterable[list[str]], source: str | None = None, *, place: Place = _CSV
) -> Timeline:
    """Import a TimelineJS sheet from its rows of cells (the header first): the same
    mapping and errors as :func:`read_sheet_csv`, for a workbook's sheet."""
    try:
        return _read(rows, source, place)
    except FormatError as exc:
        raise (exc.with_source(source) if source else exc) from None


def looks_like_sheet_csv(text: str) -> bool:
    """Whether the first row of ``text`` is a TimelineJS sheet header, with any of the
    delimiters :mod:`viewer.io.delimiters` knows (never raises)."""
    head = text.removeprefix("\ufeff")[:4096]
    delimiter = sniff_sheet_delimiter(head, whole=len(text) <= 4096)
    try:
        first = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), [])
    except csv.Error:
        return False
    return is_sheet_header(first)


def describe_sheet_csv(text: str, whole: bool = True) -> tuple[str, ...]:
    """What to tell people of how a sheet CSV is read (all of it, or its start if not
    ``whole``): ``("semicolon-separated",)``."""
    return (delimiter_name(sniff_sheet_delimiter(text, whole=whole)),)


# -- export --------------------------------------------------------------------------


def _time_cell(date: PartialDate | None, rest: Any) -> str:
    if date is None or date.hour is None:
        return ""
    text = f"{date.hour:02d}"
    if date.minute is not None:
        text += f":{date.minute:02d}"
        if date.second is not None:
            text += f":{date.second:02d}"
            ms = rest.get("millisecond") if isinstance(rest, dict) else None
            if ms is not None and str(ms).isdigit():
                text += f".{ms}"
    return text


def _date_cells(row: dict[str, str], prefix: str, date: PartialDate | None, rest: Any) -> None:
    if date is not None:
        fields = date_fields(date)
        for field, column in (("year", "Year"), ("month", "Month"), ("day", "Day")):
            row[prefix + column] = fields.get(field, "")
    row[prefix + "Time"] = _time_cell(date, rest)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _common_cells(row: dict[str, str], extra: dict[str, Any]) -> None:
    media = extra.get("media")
    if isinstance(media, dict):
        for key, column in _MEDIA_COLUMNS:
            row[column] = _text(media.get(key))
    background = extra.get("background")
    if isinstance(background, dict):
        row["Background"] = _text(background.get("url") or background.get("color"))


def _event_row(event: Event) -> dict[str, str]:
    row: dict[str, str] = {}
    _date_cells(row, "", event.start, event.extra.get("start_date"))
    _date_cells(row, "End ", event.end, event.extra.get("end_date"))
    row["Display Date"] = display_date_for(event)
    row["Headline"] = exported_headline(event) or ""
    row["Text"] = event.description
    _common_cells(row, event.extra)
    kind = event.extra.get("type")
    if isinstance(kind, str) and kind.strip().casefold() not in ("title", "era"):
        row["Type"] = kind
    row["Group"] = exported_group(event) or ""
    return row


def _era_row(era: Era) -> dict[str, str]:
    row: dict[str, str] = {"Type": "era", "Headline": era.title}
    _date_cells(row, "", era.start, era.extra.get("start_date"))
    _date_cells(row, "End ", era.end, era.extra.get("end_date"))
    text = era.extra.get("text")
    if isinstance(text, dict):
        row["Text"] = _text(text.get("text"))
    row["Display Date"] = _text(era.extra.get("display_date"))
    row["Group"] = _text(era.extra.get("group"))
    _common_cells(row, era.extra)
    return row


def _title_row(timeline: Timeline) -> dict[str, str] | None:
    row: dict[str, str] = {}
    if timeline.title:
        row["Headline"] = timeline.title
    if timeline.description:
        row["Text"] = timeline.description
    extra = timeline.extra
    for prefix, key in (("", "start_date"), ("End ", "end_date")):
        raw = extra.get(key)
        if isinstance(raw, dict):
            for field, column in (("year", "Year"), ("month", "Month"), ("day", "Day")):
                if raw.get(field) is not None:
                    row[prefix + column] = _text(raw[field])
    for key, column in (("display_date", "Display Date"), ("group", "Group")):
        if isinstance(extra.get(key), str):
            row[column] = extra[key]
    _common_cells(row, extra)
    if not any(row.values()):
        return None
    row["Type"] = "title"
    return row


def write_sheet_csv(timeline: Timeline) -> str:
    """Export a timeline as a TimelineJS sheet CSV (header row, CRLF line ends)."""
    out = io.StringIO()
    write_sheet_csv_to(timeline, timeline.events, out)
    return out.getvalue()


def write_sheet_csv_to(header: Timeline, events: Iterable[Event], out: TextIO) -> None:
    """Write a sheet CSV row by row (``header`` gives the title row and the eras)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    title = _title_row(header)
    rows: Iterable[dict[str, str]] = itertools.chain(
        [title] if title is not None else [],
        (_event_row(event) for event in events),
        (_era_row(era) for era in header.eras),
    )
    for row in rows:
        writer.writerow([_defused(row.get(c, ""), c not in _TEXT_COLUMNS) for c in COLUMNS])
