"""vis-timeline DataSet JSON import (the items a vis-timeline web page is given).

A file is a list of items, ``[{id, content, start, end, group, title, className,
type, style…}]``, or an object ``{"items": [...], "groups": [{id, content}…]}``.  The
mapping to a :class:`Timeline`:

* ``content`` → ``Event.title`` (it may hold HTML, kept as given; a blank one falls
  back to the first words of the description, as TimelineJS does); ``title`` (the
  tooltip) → ``Event.description``.
* ``start`` / ``end`` → start / end.  A string keeps the precision written:
  ``"2014-04-20"`` is a day, ``"2014-04"`` a month, ``"2014"`` a year,
  ``"2014-04-20T10:00"`` a minute; a time with a zone (``"…T10:00:00Z"``,
  ``"…+02:00"``) is stored in UTC, and fractions of a second are dropped (the
  string as written is then kept in ``Event.extra["vis"]["start"]``).  Other text is
  read as people write dates ("20 April 2014").  A number is milliseconds since
  1970-01-01 UTC, to the second.  Years are ISO 8601 years (``"-0043"`` is 44 BC).
* ``group`` → category: the group's ``content`` when ``groups`` are given (else its
  id as text).  Categories follow the order of ``groups``, then first use.
* Items of ``type: "background"`` that have an end are shaded periods: they become
  eras (``content`` → title).
* Every other key (``id``, ``className``, ``type``, ``style``, ``subgroup``,
  ``editable``…) is kept in ``extra["vis"]`` under its own name, and keys beside
  ``items`` and ``groups`` in ``Timeline.extra["top_level"]``.

vis-timeline has no title; the timeline's title is left empty.  There is no export.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

from viewer.io.errors import FormatError
from viewer.io.timelinejs import fallback_title, parse_json, text_value
from viewer.model.colors import category_color
from viewer.model.dates import DateError, PartialDate, Precision, check_range
from viewer.model.event import Category, Era, Event, Timeline
from viewer.model.parse import parse_date

__all__ = ["looks_like_vis_timeline", "read_vis_timeline"]

_ITEM_FIELDS = ("content", "title", "start", "end", "group")
_ISO_RE = re.compile(
    r"(?P<date>(?:[+-]\d{4,6}|\d{4})(?:-\d{2}(?:-\d{2})?)?)"
    r"(?:[T ](?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?P<fraction>[.,]\d+)?)?)?"
    r"\s*(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
# Milliseconds that a datetime can hold (years 1 to 9999).
_MS_LIMIT = 253_402_300_799_000
_PREFIX_RE = re.compile(r'\s*(?:\[|\{\s*"items"\s*:\s*\[)\s*\{')
_ITEMS_RE = re.compile(r'"items"\s*:\s*\[\s*\{')
_KEY_RE = re.compile(r'"(start|content)"\s*:')


def _key(value: Any, where: str) -> str:
    """A group id as text (vis looks groups up by id, so 1 and "1" are one group)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    raise FormatError(f"a group id is text or a whole number, not {value!r}", where=where)


def _utc(moment: dt.datetime, precision: Precision) -> PartialDate:
    moment = moment.astimezone(dt.UTC)
    parts = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    return PartialDate(*parts[: precision + 1])


def read_moment(value: Any, where: str) -> tuple[PartialDate, bool]:
    """A vis-timeline ``start``/``end``, and whether it said more than the date holds
    (a fraction of a second, or a zone other than UTC)."""
    if isinstance(value, bool) or value is None:
        raise FormatError(f"{value!r} is not a date", where=where)
    if isinstance(value, int | float):
        if not math.isfinite(value) or abs(value) > _MS_LIMIT:
            raise FormatError(f"{value!r} milliseconds is out of range", where=where)
        whole, ms = divmod(int(value), 1000)
        # (the model's own calendar: a datetime stops at year 1, JavaScript's does not)
        date = PartialDate.from_position(float(whole), Precision.SECOND)
        return date, bool(ms) or value != int(value)
    if not isinstance(value, str):
        raise FormatError(
            f"a date is text or milliseconds, not {type(value).__name__}", where=where
        )
    text = value.strip()
    m = _ISO_RE.fullmatch(text)
    try:
        if m is None:
            return parse_date(text), False
        date = PartialDate.from_iso(m.group("date"))
        fields = [m.group(k) for k in ("hour", "minute", "second")]
        times = [int(f) for f in fields if f is not None]
        date = PartialDate(date.year, date.month, date.day, *times)
        zone = m.group("zone")
        lossy = m.group("fraction") is not None
        if zone is None or zone == "Z" or zone.replace(":", "") in ("+00", "-00", "+0000"):
            return date, lossy
        hours, minutes = int(zone[1:3]), int(zone[3:].lstrip(":") or 0)
        sign = -1 if zone[0] == "-" else 1
        offset = dt.timedelta(hours=hours, minutes=minutes) * sign
        if date.year < 1 or date.year > 9999 or abs(offset) >= dt.timedelta(days=1):
            raise FormatError(f"{value!r} is out of range", where=where)
        assert date.month is not None and date.day is not None and date.hour is not None
        moment = dt.datetime(
            date.year,
            date.month,
            date.day,
            date.hour,
            date.minute or 0,
            date.second or 0,
            tzinfo=dt.timezone(offset),
        )
        return _utc(moment, date.precision), True
    except (DateError, OverflowError) as exc:
        raise FormatError(str(exc) or f"{value!r} is not a date", where=where) from None


def _read_item(
    value: Any, where: str, groups: dict[str, str]
) -> tuple[PartialDate, PartialDate | None, str, str, str | None, dict[str, Any]]:
    """``(start, end, title, description, category, vis extra)`` of an item."""
    if not isinstance(value, dict):
        raise FormatError("an item must be a JSON object", where=where)
    vis: dict[str, Any] = {k: v for k, v in value.items() if k not in _ITEM_FIELDS}
    if value.get("start") is None:
        raise FormatError("the item has no start", where=f"{where}.start")
    start, lossy = read_moment(value["start"], f"{where}.start")
    if lossy:
        vis["start"] = value["start"]
    end = None
    if value.get("end") is not None:
        end, lossy = read_moment(value["end"], f"{where}.end")
        if lossy:
            vis["end"] = value["end"]
    try:
        check_range(start, end)
    except DateError as exc:
        raise FormatError(str(exc), where=f"{where}.end") from None
    content = text_value(value.get("content"), f"{where}.content")
    description = text_value(value.get("title"), f"{where}.title") or ""
    if content is None or not content.strip():
        title = fallback_title(description)
        if content is not None:
            vis["content"] = content
    else:
        title = content
    category = None
    if value.get("group") is not None:
        key = _key(value["group"], f"{where}.group")
        category = groups.get(key, key)
    return start, end, title, description, category, vis


def _read_groups(value: Any) -> dict[str, str]:
    """Group id → category name, in the order given."""
    if not isinstance(value, list):
        raise FormatError("groups must be a list", where="groups")
    names: dict[str, str] = {}
    for i, group in enumerate(value):
        where = f"groups[{i}]"
        if not isinstance(group, dict):
            raise FormatError("a group must be a JSON object", where=where)
        if group.get("id") is None:
            raise FormatError("the group has no id", where=f"{where}.id")
        key = _key(group["id"], f"{where}.id")
        if key in names:
            raise FormatError(f"the group id {key!r} is given twice", where=f"{where}.id")
        content = text_value(group.get("content"), f"{where}.content")
        names[key] = content if content is not None and content.strip() else key
    return names


def _read(text: str, source: str | None) -> Timeline:
    data = parse_json(text)
    groups: dict[str, str] = {}
    others: dict[str, Any] = {}
    prefix = ""
    if isinstance(data, dict):
        if not isinstance(data.get("items"), list):
            raise FormatError("there is no items list", where="items")
        if data.get("groups") is not None:
            groups = _read_groups(data["groups"])
        others = {k: v for k, v in data.items() if k not in ("items", "groups")}
        items: list[Any] = data["items"]
        prefix = "items"
    elif isinstance(data, list):
        items = data
    else:
        raise FormatError("a vis-timeline file is a list of items or an object with items")
    events: list[Event] = []
    eras: list[Era] = []
    for i, item in enumerate(items):
        start, end, title, description, category, vis = _read_item(item, f"{prefix}[{i}]", groups)
        if vis.get("type") == "background" and end is not None:
            if category is not None:
                vis["group"] = item["group"]
            extra: dict[str, Any] = {"vis": vis} if vis else {}
            if description:
                extra["text"] = {"text": description}
            eras.append(Era(title=title, start=start, end=end, extra=extra))
            continue
        events.append(
            Event(
                title=title,
                start=start,
                end=end,
                description=description,
                category=category,
                extra={"vis": vis} if vis else {},
            )
        )
    names = dict.fromkeys(groups.values())
    names.update(dict.fromkeys(e.category for e in events if e.category is not None))
    categories = [Category(name, category_color(i)) for i, name in enumerate(names)]
    timeline = Timeline(source=source or "", events=events, categories=categories, eras=eras)
    if others:
        timeline.extra["top_level"] = others
    return timeline


def read_vis_timeline(text: str, source: str | None = None) -> Timeline:
    """Import vis-timeline DataSet JSON.

    Raises :class:`FormatError` naming the place (a JSON path such as ``[3].start``
    or ``items[3].start``, or "line L, column C" for invalid JSON).
    """
    try:
        return _read(text, source)
    except FormatError as exc:
        raise (exc.with_source(source) if source else exc) from None


def _is_item(value: Any) -> bool:
    return isinstance(value, dict) and "start" in value and ("content" in value or "id" in value)


def looks_like_vis_timeline(text: str) -> bool:
    """Whether ``text`` is (or, cut short, begins like) a list of vis-timeline items
    (objects with a ``start`` and a ``content`` or ``id``), bare or as ``items``.
    Never raises."""
    stripped = text.removeprefix("\ufeff").lstrip()
    if not stripped.startswith(("[", "{")):
        return False
    try:
        data = json.loads(stripped)
    except RecursionError:
        return False
    except ValueError:  # maybe only the start of a big file: look at the first item
        m = _PREFIX_RE.match(stripped)
        if m is None and stripped.startswith("{"):
            m = _ITEMS_RE.search(stripped)
        if m is None:
            return False
        first = stripped[m.end() : m.end() + 4096]
        keys = {k.group(1) for k in _KEY_RE.finditer(first.split("}", 1)[0])}
        return keys == {"start", "content"}
    if isinstance(data, dict):
        data = data.get("items")
    return isinstance(data, list) and bool(data) and all(_is_item(v) for v in data[:100])
