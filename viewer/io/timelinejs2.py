"""TimelineJS 2 JSON import (the legacy format many published timelines still use).

A TimelineJS 2 document is ``{"timeline": {"headline", "type", "text", "startDate",
"asset", "date": [entry…], "era": [entry…]}}``.  It maps to a :class:`Timeline` the way
the same timeline written for TimelineJS 3 maps (see :mod:`viewer.io.timelinejs`), so
that both give the same events and a TimelineJS 3 export writes what TimelineJS 3 would
have been given:

* ``headline`` / ``text`` of the ``timeline`` object → ``Timeline.title`` /
  ``Timeline.description`` (HTML and entities kept as given); its ``asset`` →
  ``Timeline.extra["media"]`` and its ``startDate`` → ``Timeline.extra["start_date"]``,
  as a TimelineJS 3 date object, both as the title slide of TimelineJS 3 holds them.
  ``type`` is dropped when it is ``"default"`` (the only type TimelineJS 2 has);
  any other value, and any other key, is kept in ``Timeline.extra`` under its own name.
  Keys beside ``timeline`` are kept in ``Timeline.extra["top_level"]``.
* An entry of ``date[]`` → :class:`Event`: ``headline`` → title (a blank one falls back
  to the first words of the text, as TimelineJS 3 does), ``text`` → description,
  ``startDate`` / ``endDate`` → start / end, ``tag`` → category, ``asset`` →
  the event's image (:mod:`viewer.io.media`), from the asset with ``media`` renamed
  ``url`` (TimelineJS 3's ``media`` object: ``url``, ``credit``, ``caption``,
  ``thumbnail``; blank values are left out, and an asset with nothing in it is no
  media).  ``classname`` and any other key are
  kept in ``Event.extra`` under their own names.  A media URL is a link, never fetched.
* An entry of ``era[]`` → :class:`Era` (``headline`` → title; ``text`` →
  ``Era.extra["text"]["text"]``; ``tag`` and other keys in ``Era.extra``); an era
  needs both dates.

Dates are strings of comma-separated numbers, ``"YYYY"``, ``"YYYY,MM"``,
``"YYYY,MM,DD"`` and then ``HH``, ``MM``, ``SS``: the precision is what is written
("1932,2" is February 1932, never its first day).  A bare number is a year.  Years
count as in TimelineJS 3 (``-44`` is 44 BC; there is no year zero).  A blank part at
the end is nothing; a finer part after a blank one is an error.

Export is TimelineJS 3 only (:mod:`viewer.io.timelinejs`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from viewer.io.errors import FormatError
from viewer.io.media import with_media_image
from viewer.io.timelinejs import (
    DATE_FIELDS,
    build_date,
    categories_for,
    date_fields,
    fallback_title,
    group_category,
    is_blank,
    json_object,
    parse_json,
    text_value,
)
from viewer.model.dates import DateError, PartialDate, check_range
from viewer.model.event import Era, Event, Timeline

__all__ = ["looks_like_timelinejs2", "read_timelinejs2"]

# Keys of an entry that map to model fields.
_ENTRY_FIELDS = ("startDate", "endDate", "headline", "text", "tag", "asset")
_ERA_FIELDS = ("startDate", "endDate", "headline", "text", "asset")
# Keys of the ``timeline`` object that map to model fields.
_TITLE_FIELDS = ("headline", "text", "startDate", "asset", "type", "date", "era")
# TimelineJS 2 asset key → TimelineJS 3 media key.
_ASSET_KEYS = {"media": "url"}

_PREFIX_RE = re.compile(r'\s*\{\s*"timeline"\s*:\s*\{')
_DATE_LIST_RE = re.compile(r'"date"\s*:\s*\[')


def read_date(value: Any, where: str) -> PartialDate | None:
    """A TimelineJS 2 date ("1932,2,27"), to the precision written; ``None`` if blank."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FormatError(
            f'a date is text such as "1932,2,27", not {type(value).__name__}', where=where
        )
    parts = [p.strip() for p in str(value).split(",")] if isinstance(value, str) else [value]
    while parts and parts[-1] == "":
        parts.pop()
    if not parts:
        return None
    if len(parts) > len(DATE_FIELDS):
        raise FormatError(
            f"{value!r} has more than {len(DATE_FIELDS)} parts (year, month, day, hour, "
            "minute, second)",
            where=where,
        )
    return build_date(dict(zip(DATE_FIELDS, parts, strict=False)), lambda _name: where)


def _read_range(
    entry: dict[str, Any], where: str, *, end_required: bool
) -> tuple[PartialDate, PartialDate | None]:
    raw_start = entry.get("startDate")
    start = None if is_blank(raw_start) else read_date(raw_start, f"{where}.startDate")
    if start is None:
        raise FormatError("the entry has no startDate", where=f"{where}.startDate")
    raw_end = entry.get("endDate")
    end = None if is_blank(raw_end) else read_date(raw_end, f"{where}.endDate")
    if end is None and end_required:
        raise FormatError("an era needs an endDate", where=f"{where}.endDate")
    try:
        check_range(start, end)
    except DateError as exc:
        raise FormatError(str(exc), where=f"{where}.endDate") from None
    return start, end


def _media(value: Any, where: str) -> dict[str, Any] | None:
    """TimelineJS 3's ``media`` object for a TimelineJS 2 ``asset``."""
    if value is None:
        return None
    asset = json_object(value, where, "an asset")
    media = {_ASSET_KEYS.get(k, k): v for k, v in asset.items() if not is_blank(v)}
    return media or None


def _read_event(value: Any, where: str, folder: Path | None = None) -> Event:
    entry = json_object(value, where, "a date entry")
    start, end = _read_range(entry, where, end_required=False)
    headline = text_value(entry.get("headline"), f"{where}.headline")
    description = text_value(entry.get("text"), f"{where}.text") or ""
    extra: dict[str, Any] = {}
    media = _media(entry.get("asset"), f"{where}.asset")
    if media is not None:
        extra["media"] = media
    extra.update((k, v) for k, v in entry.items() if k not in _ENTRY_FIELDS)
    if headline is None or not headline.strip():
        title = fallback_title(description)
        extra["text"] = {"headline": headline}  # as the TimelineJS 3 reader keeps it
    else:
        title = headline
    category = group_category(text_value(entry.get("tag"), f"{where}.tag"), extra)
    event = Event(
        title=title,
        start=start,
        end=end,
        description=description,
        category=category,
        extra=extra,
    )
    return with_media_image(event, folder)


def _read_era(value: Any, where: str) -> Era:
    entry = json_object(value, where, "an era")
    start, end = _read_range(entry, where, end_required=True)
    assert end is not None
    headline = text_value(entry.get("headline"), f"{where}.headline")
    text = text_value(entry.get("text"), f"{where}.text")
    extra: dict[str, Any] = {}
    if text:
        extra["text"] = {"text": text}
    media = _media(entry.get("asset"), f"{where}.asset")
    if media is not None:
        extra["media"] = media
    extra.update((k, v) for k, v in entry.items() if k not in _ERA_FIELDS)
    return Era(title=headline or "", start=start, end=end, extra=extra)


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError(f"{key} must be a list", where=f"timeline.{key}")
    return value


def _read(text: str, source: str | None) -> Timeline:
    data = parse_json(text)
    if not isinstance(data, dict) or "timeline" not in data:
        raise FormatError('a TimelineJS 2 file is a JSON object with a "timeline" object')
    body = json_object(data["timeline"], "timeline", "timeline")
    if body.get("date") is None:
        raise FormatError("there is no date list", where="timeline.date")
    folder = Path(source).parent if source else None
    dates = enumerate(_list(body, "date"))
    events = [_read_event(e, f"timeline.date[{i}]", folder) for i, e in dates]
    eras = [_read_era(e, f"timeline.era[{i}]") for i, e in enumerate(_list(body, "era"))]
    timeline = Timeline(
        source=source or "", events=events, categories=categories_for(events), eras=eras
    )
    timeline.title = text_value(body.get("headline"), "timeline.headline") or ""
    timeline.description = text_value(body.get("text"), "timeline.text") or ""
    media = _media(body.get("asset"), "timeline.asset")
    if media is not None:
        timeline.extra["media"] = media
    if not is_blank(body.get("startDate")):
        date = read_date(body["startDate"], "timeline.startDate")
        if date is not None:
            timeline.extra["start_date"] = date_fields(date)
    kind = body.get("type")
    if kind is not None and kind != "default":
        timeline.extra["type"] = kind
    timeline.extra.update((k, v) for k, v in body.items() if k not in _TITLE_FIELDS)
    others = {k: v for k, v in data.items() if k != "timeline"}
    if others:
        timeline.extra["top_level"] = others
    return timeline


def read_timelinejs2(text: str, source: str | None = None) -> Timeline:
    """Import a TimelineJS 2 JSON document.

    Raises :class:`FormatError` naming the place (a JSON path such as
    ``timeline.date[3].startDate``, or "line L, column C" for invalid JSON).
    """
    try:
        return _read(text, source)
    except FormatError as exc:
        raise (exc.with_source(source) if source else exc) from None


def looks_like_timelinejs2(text: str) -> bool:
    """Whether ``text`` is (or, cut short, begins like) a JSON object whose ``timeline``
    object has a ``date`` list.  Never raises."""
    import json

    stripped = text.removeprefix("\ufeff").lstrip()
    if not stripped.startswith("{"):
        return False
    try:
        data = json.loads(stripped)
    except RecursionError:
        return False
    except ValueError:  # maybe only the start of a big file
        return bool(_PREFIX_RE.match(stripped)) and _DATE_LIST_RE.search(stripped) is not None
    body = data.get("timeline") if isinstance(data, dict) else None
    return isinstance(body, dict) and isinstance(body.get("date"), list)
