"""Import of the Timeline desktop app's ``.timeline`` XML files (thetimelineproj).

The file is ``timeline/{version, timetype, categories/category{name, color, …},
events/event{start, end, text, category, description, hyperlink, fuzzy, locked,
ends_today, milestone, …}, view, eras/era{name, start, end, color}}``.

Mapping:

* Only the Gregorian time type (``gregoriantime``, or no ``timetype``) is supported.
* Times are ``YYYY-MM-DD HH:MM:SS`` with a leading ``-`` before years BC.  The app
  numbers years astronomically (it shows year 0 as "1 BC", -43 as "44 BC"), as the model
  does, so years are taken unchanged.
* The app stores every time to the second, even when its user entered only a date (the
  time is then 00:00:00).  So: when both ends of an event (or era) are at midnight, both
  become day precision; otherwise minute precision, or second precision when either end
  has seconds.  An event whose two ends are then equal is a point event (``end=None``).
  A day-precision end means "to the end of that day", which is how the app's user
  entered it.
* Categories: ``name`` and ``color`` (``r,g,b`` → ``#rrggbb``).  Parents, font and
  progress colours are not kept.  An event naming an unknown category gets a new
  category with a default colour.
* Event ``text`` → title (the app's container ``[id]`` / subevent ``(id)`` prefixes are
  removed and kept as ``extra["container_id"]`` / ``extra["container"]``; a blank one
  becomes the first words of the description, or "(untitled)", as in TimelineJS);
  ``description`` → description (plain text, as given); ``hyperlink`` → ``source_url``;
  ``locked``, ``ends_today``, ``milestone`` (when True), ``progress`` (when not 0),
  ``alert`` and ``icon`` (base64 PNG) → ``Event.extra``.  ``fuzzy`` (the app draws such
  an event with blurred ends) makes both dates approximate ("c."), and the newer
  ``fuzzy_start`` / ``fuzzy_end`` one end each.  ``default_color`` and the
  ``view`` (displayed period, hidden categories) are not kept.
* Eras → :class:`Era` with ``extra["color"]`` (``#rrggbb``) and ``extra["ends_today"]``.
* The timeline's title is the file name without extension (the format has no title).

For safety the XML may not contain a DOCTYPE (so no entities can be declared).
Errors name the element, e.g. ``events/event[3]/start`` (1-based, as in XPath).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePath
from typing import Any

from viewer.io.errors import FormatError
from viewer.io.timelinejs import category_color, fallback_title
from viewer.model.dates import DateError, PartialDate, Precision, Qualifier, check_range
from viewer.model.event import Category, Era, Event, Timeline

__all__ = ["looks_like_thetimeline", "read_thetimeline"]

_TIME_RE = re.compile(r"(-?\d{1,7})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})")
_COLOR_RE = re.compile(r"(\d{1,3}),(\d{1,3}),(\d{1,3})")
_DOCTYPE_RE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# Ids of at most 18 digits, which fit the store's JSON and SQLite's integers.
_CONTAINER_RE = re.compile(r"\[(-?[0-9]{1,18})\](.*)", re.DOTALL)
_SUBEVENT_RE = re.compile(r"\((-?[0-9]{1,18})\)(.*)", re.DOTALL)
_PROGRESS_RE = re.compile(r"[0-9]{1,9}")  # a percentage; ASCII digits only
_SUPPORTED_TIMETYPES = ("", "gregoriantime")


def _parse_time(text: str | None, where: str) -> tuple[int, int, int, int, int, int]:
    match = _TIME_RE.fullmatch((text or "").strip())
    if not match:
        raise FormatError(f"{text!r} is not a time like 2013-03-30 11:16:00", where=where)
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    try:
        PartialDate(year, month, day, hour, minute, second)
    except DateError as exc:
        raise FormatError(str(exc), where=where) from None
    return year, month, day, hour, minute, second


def _period(element: ET.Element, where: str) -> tuple[PartialDate, PartialDate | None]:
    """Start and end (``None`` when equal) of an event or era, to a sensible precision."""
    start = _parse_time(element.findtext("start"), f"{where}/start")
    end = _parse_time(element.findtext("end"), f"{where}/end")
    if start[3:] == end[3:] == (0, 0, 0):
        precision = Precision.DAY
    elif start[5] == end[5] == 0:
        precision = Precision.MINUTE
    else:
        precision = Precision.SECOND
    first = PartialDate(*start[: precision + 1])
    last = PartialDate(*end[: precision + 1])
    try:
        check_range(first, last)
    except DateError as exc:
        raise FormatError(str(exc), where=f"{where}/end") from None
    return first, (None if last == first else last)


def _color(text: str | None, where: str) -> str:
    match = _COLOR_RE.fullmatch((text or "").strip())
    if not match or any(int(g) > 255 for g in match.groups()):
        raise FormatError(f"{text!r} is not a colour like 255,128,0", where=where)
    return "#" + "".join(f"{int(g):02x}" for g in match.groups())


def _flag(element: ET.Element, tag: str) -> bool:
    return (element.findtext(tag) or "").strip() == "True"


def _read_event(element: ET.Element, where: str, categories: dict[str, Category]) -> Event:
    start, end = _period(element, where)
    title = element.findtext("text") or ""
    extra: dict[str, Any] = {}
    if match := _CONTAINER_RE.fullmatch(title):
        extra["container_id"] = int(match[1])
        title = match[2]
    elif match := _SUBEVENT_RE.fullmatch(title):
        extra["container"] = int(match[1])
        title = match[2]
    elif title[:2] in (" (", " ["):
        title = title[1:]
    for tag in ("locked", "ends_today", "milestone"):
        if _flag(element, tag):
            extra[tag] = True
    if extra.get("milestone"):
        end = None
    fuzzy = _flag(element, "fuzzy")
    if fuzzy or _flag(element, "fuzzy_start"):
        start = start.qualified(start.qualifier | Qualifier.APPROXIMATE)
    if end is not None and (fuzzy or _flag(element, "fuzzy_end")):
        end = end.qualified(end.qualifier | Qualifier.APPROXIMATE)
    progress = (element.findtext("progress") or "").strip()
    if progress and progress != "0":
        if not _PROGRESS_RE.fullmatch(progress):
            raise FormatError(f"{progress!r} is not a number", where=f"{where}/progress")
        extra["progress"] = int(progress)
    for tag in ("alert", "icon"):
        value = element.findtext(tag)
        if value:
            extra[tag] = value
    category = element.findtext("category")
    if category is not None and category not in categories:
        categories[category] = Category(category, category_color(len(categories)))
    description = element.findtext("description") or ""
    return Event(
        title=title if title.strip() else fallback_title(description),
        start=start,
        end=end,
        description=description,
        category=category,
        source_url=(element.findtext("hyperlink") or "").strip(),
        extra=extra,
    )


def _read_era(element: ET.Element, where: str) -> Era:
    start, end = _period(element, where)
    extra: dict[str, Any] = {}
    color = element.findtext("color")
    if color is not None:
        extra["color"] = _color(color, f"{where}/color")
    if _flag(element, "ends_today"):
        extra["ends_today"] = True
    return Era(element.findtext("name") or "", start, end or start, extra)


def _parse_xml(text: str) -> ET.Element:
    text = text.removeprefix("\ufeff")
    doctype = _DOCTYPE_RE.search(text)
    if doctype:
        line = text.count("\n", 0, doctype.start()) + 1
        raise FormatError(
            "a DOCTYPE or ENTITY declaration is not allowed in a .timeline file",
            where=f"line {line}",
        )
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise FormatError(
            f"invalid XML ({reason})", where=f"line {line}, column {column + 1}"
        ) from None


def _read(text: str, source: str | None) -> Timeline:
    root = _parse_xml(text)
    if root.tag != "timeline":
        raise FormatError(f"the root element is <{root.tag}>, not <timeline>", where=root.tag)
    timetype = (root.findtext("timetype") or "").strip()
    if timetype not in _SUPPORTED_TIMETYPES:
        raise FormatError(
            f"the time type {timetype!r} is not supported (only gregoriantime)",
            where="timetype",
        )
    categories: dict[str, Category] = {}
    for i, element in enumerate(root.iterfind("categories/category"), start=1):
        where = f"categories/category[{i}]"
        name = element.findtext("name")
        if name is None:
            raise FormatError("the category has no name", where=f"{where}/name")
        if name not in categories:
            color = _color(element.findtext("color"), f"{where}/color")
            categories[name] = Category(name, color)
    if root.find("events") is None:
        raise FormatError("there is no <events> element", where="events")
    events = [
        _read_event(element, f"events/event[{i}]", categories)
        for i, element in enumerate(root.iterfind("events/event"), start=1)
    ]
    eras = [
        _read_era(element, f"eras/era[{i}]")
        for i, element in enumerate(root.iterfind("eras/era"), start=1)
    ]
    return Timeline(
        title=PurePath(source).stem if source else "",
        source=source or "",
        events=events,
        categories=list(categories.values()),
        eras=eras,
    )


def read_thetimeline(text: str, source: str | None = None) -> Timeline:
    """Import a ``.timeline`` XML file of the Timeline desktop app."""
    try:
        return _read(text, source)
    except FormatError as exc:
        raise (exc.with_source(source) if source else exc) from None


def looks_like_thetimeline(text: str) -> bool:
    """Whether ``text`` starts like a ``.timeline`` XML file (never raises)."""
    head = text.removeprefix("\ufeff").lstrip()[:2000]
    if head.startswith("<?xml"):
        head = head[head.find("?>") + 2 :].lstrip()
    while head.startswith("<!--"):
        end = head.find("-->")
        if end < 0:
            return False
        head = head[end + 3 :].lstrip()
    return re.match(r"<timeline\s*>", head) is not None
