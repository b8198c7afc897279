"""What the super-timeline readers (:mod:`viewer.io.forensic`) share: a row as read,
and the ways to an :class:`~viewer.model.event.Event` or into an
:class:`~viewer.store.batch.EventBatch` that give the same result."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

from viewer.model.dates import PartialDate, civil_from_position, days_from_civil, days_in_month
from viewer.model.event import Event
from viewer.store.batch import EventBatch

#: Characters of a message's first line its title keeps (cut at a word, then "…").
TITLE_SHOWN = 160
UNITS = {3: 86_400, 5: 60, 6: 1}  # seconds covered by a date of so many fields

to_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
quote: Callable[[str], str] = json.encoder.encode_basestring  # (the C one, when built)

#: One event as read: title, description, date fields (3, 5 or 6 of them), its start
#: in seconds since 1970 (UTC), category, tags, the ``(name, value)`` pairs of its
#: fields and its microseconds (or None).
Row = tuple[str, str, tuple[int, ...], int, str, tuple[str, ...], list[tuple[str, Any]], int | None]


def html_text(text: str) -> str:
    """Plain text as the HTML that shows it as written (see the module docstring)."""
    if "<" in text or "&" in text:
        return html.escape(text, quote=False)
    return text


def title_of(text: str) -> str:
    """A title from a message: its first line, cut near :data:`TITLE_SHOWN` at a word."""
    line = text.strip().split("\n", 1)[0].strip()
    if len(line) > TITLE_SHOWN:
        cut = line.rfind(" ", TITLE_SHOWN // 2, TITLE_SHOWN)
        line = line[: cut if cut > 0 else TITLE_SHOWN - 1].rstrip() + "\u2026"
    return line


def check_date(year: int, month: int, day: int, hour: int, minute: int, second: int) -> str:
    """What is wrong with a date and time ("" when nothing is)."""
    if not 1 <= month <= 12:
        return f"month {month} does not exist"
    if not 1 <= day <= days_in_month(year, month):
        return f"day {day} does not exist in month {month} of {year}"
    if hour > 23:
        return f"hour {hour} does not exist"
    if minute > 59:
        return f"minute {minute} does not exist"
    if second > 59:
        return f"second {second} does not exist (a leap second cannot be placed)"
    return ""


def epoch(fields: tuple[int, ...]) -> int:
    y, mo, d, *rest = fields
    h, mi, s = (*rest, 0, 0, 0)[:3]
    return days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s


def fields_at(epoch: int, count: int) -> tuple[int, ...]:
    """The first ``count`` date fields of a moment (seconds since 1970, UTC)."""
    return civil_from_position(epoch)[:count]


def iso(fields: tuple[int, ...]) -> str:
    if len(fields) == 6:
        y, mo, d, h, mi, s = fields
        return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}"
    if len(fields) == 5:
        y, mo, d, h, mi = fields
        return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}"
    y, mo, d = fields
    return f"{y:04d}-{mo:02d}-{d:02d}"


def micro_of(digits: str | None) -> int | None:
    """Microseconds from a fraction's digits ("123" → 123000), or None."""
    if not digits:
        return None
    return int(digits[:6].ljust(6, "0"))


def extra_of(pairs: list[tuple[str, Any]], micro: int | None) -> dict[str, Any]:
    extra: dict[str, Any] = {"fields": [[k, v] for k, v in pairs]}
    if micro is not None:
        extra["microseconds"] = micro
    return extra


def extra_json(pairs: list[tuple[str, Any]], micro: int | None) -> str:
    """``json.dumps(extra_of(pairs, micro), ensure_ascii=False, sort_keys=True)``, as
    :meth:`EventBatch.append` writes it, a few times faster (a row's text is mostly
    strings: they are quoted straight away)."""
    q, dump = quote, to_json
    body = ", ".join([f"[{q(k)}, {q(v) if type(v) is str else dump(v)}]" for k, v in pairs])
    if micro is None:
        return f'{{"fields": [{body}]}}'
    return f'{{"fields": [{body}], "microseconds": {micro}}}'


def append_row(batch: EventBatch, row: Row) -> None:
    """Add a row as :meth:`EventBatch.append` adds the event :func:`event_of` makes."""
    title, description, fields, begin, category, tags, pairs, micro = row
    until = float(begin + UNITS[len(fields)])
    start = float(begin)
    batch.title.append(title)
    batch.description.append(description)
    batch.start.append(iso(fields))
    batch.end.append(None)
    batch.start_pos.append(start)
    batch.start_until.append(until)
    batch.end_pos.append(until)
    batch.end_from.append(start)
    batch.start_precision.append(len(fields) - 1)
    batch.end_precision.append(None)
    batch.category.append(category)
    batch.source_url.append("")
    batch.display_date.append("")
    batch.extra.append(extra_json(pairs, micro))
    batch.tags.append(tags)
    batch.qualifiers.append(0)
    batch.notes.append("")


def event_of(row: Row) -> Event:
    title, description, fields, _begin, category, tags, pairs, micro = row
    return Event(
        title=title,
        start=PartialDate(*fields),
        description=description,
        category=category or None,
        tags=tags,
        extra=extra_of(pairs, micro),
    )


def tags_of(text: str) -> tuple[str, ...]:
    """Tags from a timestamp's meaning ("-" and empty: none; plaso joins with ";")."""
    if ";" not in text:
        text = text.strip()
        return (text,) if text and text != "-" else ()
    parts = (p.strip() for p in text.split(";"))
    return tuple(dict.fromkeys(p for p in parts if p and p != "-"))


def first_line(text: str) -> str:
    return text.removeprefix("\ufeff").split("\n", 1)[0].rstrip("\r")


def category_of(source: str) -> str:
    source = source.strip()
    return "" if source == "-" else source
