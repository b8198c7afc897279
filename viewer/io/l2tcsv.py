"""plaso's l2tcsv, read row by row or a column at a time (see :mod:`viewer.io.forensic`)."""

from __future__ import annotations

import csv
import itertools
import re
import zoneinfo
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from viewer.io.errors import FormatError
from viewer.io.forensic_rows import (
    TITLE_SHOWN,
    Row,
    append_row,
    category_of,
    check_date,
    epoch,
    first_line,
    html_text,
    micro_of,
    quote,
    tags_of,
    title_of,
)
from viewer.model.date_arrays import DateColumns
from viewer.store.batch import EventBatch

__all__ = ["L2T_COLUMNS", "l2t_batches", "l2t_records", "looks_like_l2tcsv"]

L2T_COLUMNS = (
    "date",
    "time",
    "timezone",
    "MACB",
    "source",
    "sourcetype",
    "type",
    "user",
    "host",
    "short",
    "desc",
    "version",
    "filename",
    "inode",
    "notes",
    "format",
    "extra",
)

# A message longer than csv's default limit (131,072 characters) is still a cell.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))

_L2T_KEY = {name.casefold(): name for name in L2T_COLUMNS}
_L2T_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_L2T_TIME = re.compile(r"(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?")
#: Zone names that are UTC itself (compared case-blind).
_UTC_NAMES = frozenset({"utc", "gmt", "z", "zulu", "universal", "etc/utc", "etc/gmt", "uct"})
#: A quoted cell may run over this many lines before the file is taken as broken.
_MAX_CELL_LINES = 10_000


def looks_like_l2tcsv(text: str) -> bool:
    """Whether ``text`` starts with plaso's l2tcsv header (never raises)."""
    names = [c.strip().casefold() for c in first_line(text[:4096]).split(",")]
    return len(names) >= len(L2T_COLUMNS) and all(
        _L2T_KEY.get(n) == c for n, c in zip(names, L2T_COLUMNS, strict=False)
    )


def _split_l2t(first: str, lines: Iterator[str], width: int) -> tuple[list[str], int]:
    """The cells of the record starting with line ``first``, and how many more lines
    it took (a quoted cell may hold line breaks).

    A line without ``"`` is split at its commas.  One with quotes is read as CSV when
    that gives ``width`` cells, else split at its commas when that does (plaso's
    quotes are part of its text); only a quote left open with too few cells either
    way starts a cell that runs over the next lines.
    """
    text = first.rstrip("\r\n")
    plain = text.split(",")
    if '"' not in text:
        return plain, 0
    try:
        cells = next(csv.reader([first], strict=True), [])
    except csv.Error as exc:
        if len(plain) == width or "unexpected end of data" not in str(exc):
            return plain, 0
    else:
        return (cells, 0) if len(cells) == width or len(plain) != width else (plain, 0)
    taken = [first]
    while len(taken) <= _MAX_CELL_LINES:
        more = next(lines, None)
        if more is None:
            raise FormatError("a quoted cell is not closed by the end of the file")
        taken.append(more)
        try:
            return next(csv.reader(taken, strict=True), []), len(taken) - 1
        except csv.Error as exc:
            if "unexpected end of data" not in str(exc):
                raise FormatError(f"not readable as CSV ({exc})") from None
    raise FormatError(f"a quoted cell is not closed within {_MAX_CELL_LINES:,} lines")


#: A record of an l2tcsv file: its first line's number and its cells, or what is wrong
#: with it (the last record read).
_Cells = tuple[int, list[str] | FormatError]


def _l2t_open(lines: Iterator[str]) -> tuple[list[tuple[int, str]], Iterator[_Cells]]:
    """The columns that are fields (index, name) and the records after the header."""
    first = next(lines, None)
    if first is None or not first.strip():
        raise FormatError("the file is empty (no l2tcsv header)", where="line 1")
    header = [c.strip() for c in first.removeprefix("\ufeff").rstrip("\r\n").split(",")]
    if not looks_like_l2tcsv(first):
        raise FormatError(
            "not an l2tcsv header (it starts date,time,timezone,MACB,source,…)", where="line 1"
        )
    width = len(header)
    names = list(L2T_COLUMNS) + header[len(L2T_COLUMNS) :]
    kept = [(i, name) for i, name in enumerate(names) if i not in _L2T_MAPPED]

    def records() -> Iterator[_Cells]:
        number = 1
        for line in lines:
            number += 1
            if not line.strip():
                continue
            at = number
            try:
                cells, more = _split_l2t(line, lines, width)
            except FormatError as exc:
                yield at, FormatError(exc.message, where=f"line {at}")
                return
            number += more
            if len(cells) != width:
                problem = f"{len(cells)} cells, but the header has {width}"
                yield at, FormatError(problem, where=f"line {at}")
                return
            yield at, cells

    return kept, records()


def l2t_records(lines: Iterator[str], source: str | None) -> Iterator[Row]:
    try:
        kept, records = _l2t_open(lines)
        for at, cells in records:
            if isinstance(cells, FormatError):
                raise cells
            yield _l2t_row(cells, kept, at)
    except FormatError as exc:
        raise (exc if exc.source or not source else exc.with_source(source)) from None


def l2t_batches(lines: Iterator[str], source: str | None, size: int) -> Iterator[EventBatch]:
    """The events of an l2tcsv file in batches: rows in UTC with plain dates and
    titles a column at a time (:func:`_l2t_fast`), the others one by one, all in the
    file's order; the same events and errors as :func:`_l2t_records`."""
    try:
        kept, records = _l2t_open(lines)
        while chunk := list(itertools.islice(records, size)):
            yield _l2t_chunk(chunk, kept)
    except FormatError as exc:
        raise (exc if exc.source or not source else exc.with_source(source)) from None


def _l2t_chunk(chunk: list[_Cells], kept: list[tuple[int, str]]) -> EventBatch:
    width = len(L2T_COLUMNS) + sum(1 for i, _ in kept if i >= len(L2T_COLUMNS))
    blank = [""] * width
    rows = [cells if type(cells) is list else blank for _, cells in chunk]
    fast, ok = _l2t_fast(rows, kept)
    if ok.all():
        return fast
    out = EventBatch()
    taken = done = 0  # rows of ``fast`` used so far; rows of ``chunk`` handled so far
    for j in [*np.flatnonzero(~ok).tolist(), len(chunk)]:
        run = j - done  # plain rows before this one: copied over as slices
        if run:
            out.extend_rows(fast, taken, taken + run)
            taken += run
        if j < len(chunk):
            at, cells = chunk[j]
            if isinstance(cells, FormatError):
                raise cells
            append_row(out, _l2t_row(cells, kept, at))
        done = j + 1
    return out


def _digits(cells: Sequence[str], length: int, n: int) -> np.ndarray:
    """Cells of ``length`` ASCII characters as an ``(n, length)`` array of their codes
    less ``"0"`` (a cell of another length reads as spaces: never a digit)."""
    pad = " " * length
    text = "".join([c if len(c) == length else pad for c in cells])
    codes = np.frombuffer(text.encode("ascii", errors="replace"), dtype=np.uint8)
    if len(codes) != n * length:  # (cannot happen: one byte a character)
        return np.full((n, length), -1, dtype=np.int64)
    return codes.reshape(n, length).astype(np.int64) - 48


def _l2t_fast(rows: list[list[str]], kept: list[tuple[int, str]]) -> tuple[EventBatch, np.ndarray]:
    """The rows that are plain as a batch, worked out a column at a time, and a mask of
    those rows.  A plain row is in UTC, its date ``MM/DD/YYYY`` and its time
    ``HH:MM:SS`` exactly, and its title and description need no escaping."""
    n = len(rows)
    columns = list(zip(*rows, strict=True))
    dates, times, zones = columns[0], columns[1], columns[2]
    shorts, descs = columns[9], columns[10]
    ok = np.fromiter((z == "UTC" for z in zones), dtype=bool, count=n)
    d = _digits(dates, 10, n)
    t = _digits(times, 8, n)
    digit = (d >= 0) & (d <= 9)
    ok &= digit[:, [0, 1, 3, 4, 6, 7, 8, 9]].all(axis=1) & (d[:, 2] == -1) & (d[:, 5] == -1)
    tdigit = (t >= 0) & (t <= 9)
    ok &= tdigit[:, [0, 1, 3, 4, 6, 7]].all(axis=1) & (t[:, 2] == 10) & (t[:, 5] == 10)
    date = DateColumns.of(
        d[:, 6] * 1000 + d[:, 7] * 100 + d[:, 8] * 10 + d[:, 9],
        d[:, 0] * 10 + d[:, 1],
        d[:, 3] * 10 + d[:, 4],
        t[:, 0] * 10 + t[:, 1],
        t[:, 3] * 10 + t[:, 4],
        t[:, 6] * 10 + t[:, 7],
    )
    ok &= date.check() & (date.year >= 1)  # ("/" is "0" less 1; ":" is "0" and 10)
    ok &= np.fromiter((_plain(s, x) for s, x in zip(shorts, descs, strict=True)), bool, n)
    keep = np.flatnonzero(ok)
    k = keep.tolist()
    every = len(k) == n

    def picked(cells: Sequence[str]) -> list[str]:
        return list(cells) if every else [cells[i] for i in k]

    begin = date.begin()[keep]
    until = (begin + 1).tolist()
    start = begin.tolist()
    categories: dict[str, str] = {}
    tags: dict[str, tuple[str, ...]] = {}
    template = _fields_template(kept)
    quoted = [map(quote, picked(columns[i])) for i, _ in kept]
    batch = EventBatch(
        title=picked(shorts),
        description=picked(descs),
        start=[
            f"{x[6:]}-{x[:2]}-{x[3:5]}T{y}"
            for x, y in zip(picked(dates), picked(times), strict=True)
        ],
        end=[None] * len(k),
        start_pos=start,
        end_pos=until,
        start_until=until,
        end_from=start,
        start_precision=[5] * len(k),
        end_precision=[None] * len(k),
        category=[
            categories.get(c) or categories.setdefault(c, category_of(c))
            for c in picked(columns[4])
        ],
        source_url=[""] * len(k),
        display_date=[""] * len(k),
        extra=[template.format(*values) for values in zip(*quoted, strict=True)],
        tags=[tags.get(c) or tags.setdefault(c, tags_of(c)) for c in picked(columns[6])],
        qualifiers=[0] * len(k),
        notes=[""] * len(k),
    )
    return batch, ok


def _plain(short: str, desc: str) -> bool:
    """Whether a row's title is its ``short`` as it is, and neither needs escaping."""
    return (
        0 < len(short) <= TITLE_SHOWN
        and short != "-"
        and not short[0].isspace()
        and not short[-1].isspace()
        and "\n" not in short
        and "\r" not in short
        and "<" not in short
        and "&" not in short
        and "<" not in desc
        and "&" not in desc
    )


def _fields_template(kept: list[tuple[int, str]]) -> str:
    """``str.format`` text of the extra JSON of a row whose kept cells are quoted."""
    parts = [f"[{quote(name)}, {{}}]" for _, name in kept]
    escaped = [p.replace("{", "{{").replace("}", "}}").replace("{{}}", "{}") for p in parts]
    return '{{"fields": [' + ", ".join(escaped) + "]}}"


#: l2tcsv columns that are not fields: they make the date, title, category and tags.
_L2T_MAPPED = frozenset({0, 1, 2, 4, 6, 9, 10})  # date time timezone source type short desc
_ZONES: dict[str, zoneinfo.ZoneInfo] = {}


def _zone(name: str, where: str) -> zoneinfo.ZoneInfo:
    zone = _ZONES.get(name)
    if zone is None:
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            raise FormatError(
                f"unknown time zone {name!r} (a name such as UTC or Europe/Berlin)", where=where
            ) from None
        _ZONES[name] = zone
    return zone


def _l2t_row(cells: list[str], kept: list[tuple[int, str]], number: int) -> Row:
    """An event from a row's cells; ``kept`` gives the columns that are fields."""
    date, time, zone = cells[0].strip(), cells[1].strip(), cells[2].strip()
    m = _L2T_DATE.fullmatch(date)
    if m is None:
        if date == "00/00/0000":
            message = "00/00/0000 is plaso's mark for a timestamp it could not read"
        else:
            message = f"{date!r} is not a date as MM/DD/YYYY"
        raise FormatError(message, where=f"line {number}, column 'date'")
    t = _L2T_TIME.fullmatch(time)
    if t is None:
        raise FormatError(
            f"{time!r} is not a time as HH:MM:SS", where=f"line {number}, column 'time'"
        )
    month, day, year = int(m[1]), int(m[2]), int(m[3])
    hour, minute, second = int(t[1]), int(t[2]), int(t[3])
    wrong = check_date(year, month, day, hour, minute, second)
    if wrong:
        column = "date" if wrong.startswith(("month", "day")) else "time"
        raise FormatError(wrong, where=f"line {number}, column '{column}'")
    pairs: list[tuple[str, Any]]
    if zone == "UTC" or not zone or zone.casefold() in _UTC_NAMES:
        parts: tuple[int, ...] = (year, month, day, hour, minute, second)
        begin = epoch(parts)
        pairs = [(name, cells[i]) for i, name in kept]
    else:
        where = f"line {number}, column 'timezone'"
        try:
            moment = datetime(year, month, day, hour, minute, second, tzinfo=_zone(zone, where))
            utc = moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise FormatError(f"{date} {time} cannot be read in {zone}", where=where) from None
        parts = (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)
        begin = epoch(parts)
        pairs = [("date", cells[0]), ("time", cells[1]), ("timezone", cells[2])]
        pairs += [(name, cells[i]) for i, name in kept]
    short, desc = cells[9], cells[10]
    title = short.strip() if short.strip() not in ("", "-") else desc
    return (
        html_text(title_of(title)),
        html_text(desc),
        parts,
        begin,
        category_of(cells[4]),
        tags_of(cells[6]),
        pairs,
        micro_of(t[4]),
    )
