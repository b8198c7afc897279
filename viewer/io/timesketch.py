"""Timesketch CSV and JSONL (see :mod:`viewer.io.forensic`)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from viewer.io.errors import FormatError
from viewer.io.forensic_rows import (
    Row,
    check_date,
    epoch,
    fields_at,
    html_text,
    micro_of,
    tags_of,
    title_of,
    to_json,
)

__all__ = [
    "TIMESKETCH_REQUIRED",
    "looks_like_timesketch_csv",
    "looks_like_timesketch_jsonl",
    "timesketch_csv_records",
    "timesketch_jsonl_records",
]

TIMESKETCH_REQUIRED = ("message", "datetime", "timestamp_desc")
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,12}))?)?)?"
    r" ?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?"
)

# A message longer than csv's default limit (131,072 characters) is still a cell.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


def _read_datetime(text: str, where: str) -> tuple[tuple[int, ...], int, int | None, bool]:
    """``(date fields in UTC, seconds since 1970, microseconds, keep the text)`` of a
    Timesketch ``datetime``; the text is worth keeping when the UTC fields and the
    microseconds do not say all it does."""
    m = _ISO.fullmatch(text.strip())
    if m is None:
        raise FormatError(
            f"{text!r} is not an ISO 8601 date and time (2019-04-17T08:46:21+00:00)",
            where=where,
        )
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    given = [int(g) for g in m.groups()[3:6] if g is not None]
    hour, minute, second = (*given, 0, 0, 0)[:3]
    wrong = check_date(year, month, day, hour, minute, second)
    if wrong:
        raise FormatError(wrong, where=where)
    count = 3 + len(given)
    offset = 0
    if m[9]:
        oh, om = int(m[10]), int(m[11] or 0)
        if oh > 23 or om > 59:
            raise FormatError(f"{m[9]}{m[10]}:{m[11] or '00'} is not a UTC offset", where=where)
        offset = (oh * 60 + om) * (-1 if m[9] == "-" else 1)
    if count == 3 and (m[8] or m[9]):
        raise FormatError("a UTC offset needs a time of day", where=where)
    local = (year, month, day, hour, minute, second)[:count]
    begin = epoch(local) - offset * 60
    fields = fields_at(begin, count) if offset else local
    if not 1 <= fields[0] <= 9999:
        raise FormatError(f"{text.strip()!r} is out of range in UTC", where=where)
    fraction = m[7]
    return fields, begin, micro_of(fraction), bool(offset) or len(fraction or "") > 6


def _from_timestamp(value: Any, where: str) -> tuple[tuple[int, ...], int, int | None, bool]:
    """The same as :func:`_read_datetime`, from microseconds since 1970."""
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise FormatError(f"{value!r} is not a count of microseconds", where=where)
    begin, micro = divmod(value, 1_000_000)
    if not -62_135_596_800 <= begin < 253_402_300_800:  # years 1 to 9999
        raise FormatError(f"{value} is out of range", where=where)
    return fields_at(begin, 6), begin, micro, False


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return to_json(value)


def _timesketch_row(values: Iterable[tuple[str, Any]], where: Callable[[str], str]) -> Row:
    """An event from a row's ``(name, value)`` pairs (cells, or a JSON object's keys)."""
    pairs: list[tuple[str, Any]] = []
    message: Any = None
    stamp: Any = None
    when: Any = None
    meaning: Any = ""
    category = ""
    seen = set()
    for name, value in values:
        seen.add(name)
        if name == "message":
            message = value
        elif name == "datetime":
            when = value
        elif name == "timestamp_desc":
            meaning = value
        elif name == "source_short" and isinstance(value, str):
            category = value.strip()
        else:
            if name == "timestamp":
                stamp = value
            pairs.append((name, value))
    if "message" not in seen:
        raise FormatError("no 'message'", where=where("message"))
    if when is None or when == "":
        if stamp is None or stamp == "":
            raise FormatError("no 'datetime' (and no 'timestamp')", where=where("datetime"))
        parts, begin, micro, keep = _from_timestamp(stamp, where("timestamp"))
    elif not isinstance(when, str):
        raise FormatError(f"{when!r} is not an ISO 8601 date and time", where=where("datetime"))
    else:
        parts, begin, micro, keep = _read_datetime(when, where("datetime"))
        if keep:
            pairs.insert(0, ("datetime", when))
    text = _as_text(message)
    return (
        html_text(title_of(text)),
        html_text(text),
        parts,
        begin,
        category,
        tags_of(_as_text(meaning)),
        pairs,
        micro,
    )


def _csv_header(cells: list[str]) -> list[str]:
    names = [c.strip() for c in cells]
    if names:
        names[0] = names[0].removeprefix("\ufeff")
    lowered = [n.casefold() for n in names]
    for i, name in enumerate(lowered):
        if name in TIMESKETCH_REQUIRED:
            names[i] = name
        if name and name in lowered[:i]:
            raise FormatError(f"column {names[i]!r} is given twice", where="line 1")
    missing = [n for n in TIMESKETCH_REQUIRED if n not in names]
    if missing:
        raise FormatError(
            "not a Timesketch CSV header: no " + ", ".join(repr(n) for n in missing),
            where="line 1",
        )
    return names


def looks_like_timesketch_csv(text: str) -> bool:
    """Whether the first row of ``text`` names Timesketch's columns (never raises)."""
    head = text.removeprefix("\ufeff")[:8192]
    try:
        first = next(csv.reader(io.StringIO(head, newline="")), [])
    except csv.Error:
        return False
    names = {c.strip().casefold() for c in first}
    return set(TIMESKETCH_REQUIRED) <= names


def timesketch_csv_records(lines: Iterator[str], source: str | None) -> Iterator[Row]:
    reader = csv.reader(lines, strict=True)
    at = 1
    try:
        try:
            first = next(reader)
        except StopIteration:
            raise FormatError("the file is empty (no Timesketch header)", where="line 1") from None
        names = _csv_header(first)
        width = len(names)
        at = reader.line_num + 1
        for cells in reader:
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                at = reader.line_num + 1
                continue
            line = at

            def where(column: str, line: int = line) -> str:
                return f"line {line}, column {column!r}"

            if len(cells) != width:
                raise FormatError(
                    f"{len(cells)} cells, but the header has {width}", where=f"line {line}"
                )
            yield _timesketch_row(zip(names, cells, strict=True), where)
            at = reader.line_num + 1
    except csv.Error as exc:
        raise FormatError(
            f"not a readable CSV file ({exc}; a quoted cell may not be closed)",
            source=source,
            where=f"line {at}",
        ) from None
    except FormatError as exc:
        raise FormatError(
            exc.message, source=exc.source or source, where=exc.where or f"line {at}"
        ) from None


def _json_constant(name: str) -> str:
    return name  # NaN, Infinity: kept as their words (strict JSON has no such numbers)


def looks_like_timesketch_jsonl(text: str) -> bool:
    """Whether the first non-blank line of ``text`` is a JSON object with Timesketch's
    keys (never raises)."""
    for line in text.removeprefix("\ufeff")[:65536].splitlines():
        if line.strip():
            try:
                value = json.loads(line, parse_constant=_json_constant)
            except (ValueError, RecursionError):
                return False
            return (
                isinstance(value, dict)
                and "message" in value
                and ("datetime" in value or "timestamp" in value)
            )
    return False


def timesketch_jsonl_records(lines: Iterator[str], source: str | None) -> Iterator[Row]:
    number = 0
    try:
        for number, line in enumerate(lines, 1):
            if number == 1:
                line = line.removeprefix("\ufeff")
            if not line.strip():
                continue
            try:
                value = json.loads(line, parse_constant=_json_constant)
            except ValueError as exc:
                message = getattr(exc, "msg", str(exc))
                raise FormatError(f"not JSON ({message})", where=f"line {number}") from None
            except RecursionError:
                raise FormatError("not JSON (nested too deep)", where=f"line {number}") from None
            if not isinstance(value, dict):
                raise FormatError("not a JSON object", where=f"line {number}")

            def where(key: str, number: int = number) -> str:
                return f"line {number}, key {key!r}"

            yield _timesketch_row(value.items(), where)
        if number == 0:
            raise FormatError("the file is empty", where="line 1")
    except FormatError as exc:
        raise FormatError(
            exc.message, source=exc.source or source, where=exc.where or f"line {number}"
        ) from None
