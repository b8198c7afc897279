"""iCalendar (``.ics``, RFC 5545) import and export.

The values are read and written by the ``icalendar`` library (dates, time zones with
their ``VTIMEZONE`` definitions or Windows names, text escapes, recurrence rules).
It gives no line numbers and takes unbalanced ``BEGIN``/``END`` silently, so a small
scan of our own checks the structure first and names lines in errors.

Import, one :class:`Event` per ``VEVENT`` (``VTODO``, ``VJOURNAL``, ``VFREEBUSY`` are
ignored; a file without any ``VEVENT`` is an error):

* ``SUMMARY`` → title (a blank one falls back to the first words of the description);
  ``DESCRIPTION`` → description, plain text as given; ``URL`` → ``source_url``;
  ``CATEGORIES`` → the first becomes the category and all of them the tags.
* ``DTSTART`` / ``DTEND`` (or ``DURATION``): an all-day event keeps day precision and
  its ``DTEND`` is exclusive (21–28 December ends on the 27th; a one-day event is a
  point on its day).  A timed event keeps seconds and is stored in UTC; its ``TZID``
  is kept in ``extra["ical"]["tzid"]`` (``"end_tzid"`` for a ``DTEND`` in another zone)
  and written back on export, converted back to that zone.  A time without zone
  ("floating") is stored as written, with ``extra["ical"]["floating"]``.  An unknown
  ``TZID`` is an error, never a guess.
* ``UID``, ``LOCATION`` and ``RRULE`` → ``extra["ical"]["uid"/"location"/"rrule"]``.  A
  recurring event (``RRULE`` or ``RDATE``) is one event, never expanded, and a note
  saying it recurs is added to its description (export takes it off again).
* Every other property (``ORGANIZER``, ``ATTENDEE``, ``STATUS``, ``EXDATE``…) and any
  component inside the event (``VALARM``) is kept as written in
  ``extra["ical"]["properties"]`` / ``["components"]``, and written back; ``DTSTAMP``
  is written new.  ``X-ALT-DESC`` is dropped, unless it is the HTML of our own export.
* ``X-WR-CALNAME`` / ``X-WR-CALDESC`` → the timeline's title / description; the
  file's ``VTIMEZONE`` definitions are kept in ``Timeline.extra["ical"]["timezones"]``.

Export writes any timeline: a day-precision point is an all-day event with ``DTEND``
the next day; a year or a month is an all-day event spanning it; a time is written in
UTC (or in its ``TZID``).  What the calendar values cannot say (a year or month
precision, an hour or minute precision, "c. 1450") goes in ``X-TIMELINE-VIEWER-DATES``
(EDTF, read back when it agrees with ``DTSTART``/``DTEND``), tags that the
``CATEGORIES`` rule would not give back in ``X-TIMELINE-VIEWER-TAGS``, other formats'
extra fields in ``X-TIMELINE-VIEWER-EXTRA`` (JSON), and an HTML description as plain
text in ``DESCRIPTION`` with the HTML in ``X-ALT-DESC;FMTTYPE=text/html``.  Our export
imported again gives the same events (with a ``UID`` each).  iCalendar holds the years
1 to 9999 only: an event outside them cannot be exported (a clear error).  Eras and
category colours have no place in iCalendar and are not exported.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import uuid
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

import icalendar
from icalendar.timezone import tzp

from viewer.io.errors import FormatError
from viewer.io.timelinejs import categories_for, fallback_title
from viewer.model.dates import DateError, PartialDate, Precision, civil_from_position
from viewer.model.event import Event, Timeline

__all__ = ["looks_like_ical", "read_ical", "write_ical", "write_ical_to"]

X_DATES = "X-TIMELINE-VIEWER-DATES"
X_TAGS = "X-TIMELINE-VIEWER-TAGS"
X_EXTRA = "X-TIMELINE-VIEWER-EXTRA"
X_DISPLAY = "X-TIMELINE-VIEWER-DISPLAY-DATE"
X_NOTES = "X-TIMELINE-VIEWER-NOTES"
PRODID = "-//Timeline Viewer//Timeline Viewer//EN"

# Properties mapped to fields (or written new): not kept as they are.
_MAPPED = frozenset(
    {
        "DTSTART",
        "DTEND",
        "DURATION",
        "SUMMARY",
        "DESCRIPTION",
        "LOCATION",
        "URL",
        "CATEGORIES",
        "UID",
        "RRULE",
        "DTSTAMP",
        "X-ALT-DESC",
        X_DATES,
        X_TAGS,
        X_EXTRA,
        X_DISPLAY,
        X_NOTES,
    }
)
_SINGLE = ("DTSTART", "DTEND", "DURATION", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "UID")
_NAME_RE = re.compile(r"[A-Za-z0-9-]+(?=[;:])")
_LINE_RE = re.compile(r"\r\n|\r|\n")
_ESCAPE_RE = re.compile(r"\\([\\;,nN])")
_TAG_RE = re.compile(r"<[^>]*>")
_HTML_HINT_RE = re.compile(r"<[A-Za-z!/]")
_BLOCK_TAG_RE = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr)\b[^>]*>", re.IGNORECASE)
_FREQ_WORDS = {
    "SECONDLY": ("every second", "seconds"),
    "MINUTELY": ("every minute", "minutes"),
    "HOURLY": ("hourly", "hours"),
    "DAILY": ("daily", "days"),
    "WEEKLY": ("weekly", "weeks"),
    "MONTHLY": ("monthly", "months"),
    "YEARLY": ("yearly", "years"),
}
_ONE_DAY = dt.timedelta(days=1)


# -- structure: our own scan, for lines and balance ---------------------------------


@dataclass
class _Block:
    """A ``VEVENT`` as written: where it starts, where each property is, and the
    properties and components it holds (unfolded)."""

    line: int
    props: dict[str, int] = field(default_factory=dict)
    lines: list[tuple[str, str]] = field(default_factory=list)
    components: list[str] = field(default_factory=list)


@dataclass
class _Scan:
    events: list[_Block]
    timezones: dict[str, str]


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, unfolded line)``: a line starting with a space or tab continues
    the one before."""
    start, parts = 0, list[str]()
    for number, line in enumerate(_LINE_RE.split(text), 1):
        if line[:1] in (" ", "\t") and parts:
            parts.append(line[1:])
            continue
        if parts:
            yield start, "".join(parts)
        start, parts = number, [line]
    if parts:
        yield start, "".join(parts)


def _scan(text: str) -> _Scan:
    stack: list[tuple[str, int]] = []
    events: list[_Block] = []
    timezones: dict[str, str] = {}
    block: _Block | None = None
    capture: list[str] = []  # a component inside a VEVENT, or a VTIMEZONE
    capture_depth = 0
    tzid = ""
    seen_any = False
    for number, line in _logical_lines(text):
        if not line.strip():
            continue
        m = _NAME_RE.match(line)
        if m is None or ":" not in line:
            what = "an iCalendar file" if not seen_any else "an iCalendar content line"
            raise FormatError(f"this is not {what}: {line[:60]!r}", where=f"line {number}")
        seen_any = True
        name = m.group(0).upper()
        value = line.split(":", 1)[1].strip().upper() if name in ("BEGIN", "END") else ""
        if name == "BEGIN":
            if not stack and value != "VCALENDAR":
                raise FormatError(
                    "an iCalendar file starts with BEGIN:VCALENDAR", where=f"line {number}"
                )
            if value == "VEVENT" and block is None:
                block = _Block(number)
            elif capture_depth or value == "VTIMEZONE" or block is not None:
                capture_depth += 1
            stack.append((value, number))
        elif name == "END":
            if not stack:
                raise FormatError(f"END:{value} without a BEGIN", where=f"line {number}")
            opened, at = stack.pop()
            if opened != value:
                raise FormatError(
                    f"END:{value} does not end BEGIN:{opened} of line {at}", where=f"line {number}"
                )
            if capture_depth:
                capture.append(line)
                capture_depth -= 1
                if not capture_depth:
                    if block is not None:
                        block.components.append("\r\n".join(capture))
                    elif tzid:
                        timezones.setdefault(tzid, "\r\n".join(capture))
                    capture, tzid = [], ""
                continue
            if value == "VEVENT" and block is not None:
                events.append(block)
                block = None
        elif not stack:
            raise FormatError(f"{name} is outside BEGIN:VCALENDAR", where=f"line {number}")
        if capture_depth:
            capture.append(line)
            if name == "TZID" and block is None and capture_depth == 1:
                tzid = line.split(":", 1)[1]
        elif block is not None and name not in ("BEGIN", "END"):
            block.props.setdefault(name, number)
            block.lines.append((name, line))
    if stack:
        opened, at = stack[-1]
        raise FormatError(f"BEGIN:{opened} is never ended", where=f"line {at}")
    if not seen_any:
        raise FormatError("the file is empty, not an iCalendar file")
    return _Scan(events, timezones)


# -- import --------------------------------------------------------------------------


class _Place:
    """Names a place in the file: ``line 12, VEVENT 3, DTSTART``."""

    def __init__(self, block: _Block | None, index: int) -> None:
        self.block = block
        self.index = index

    def __call__(self, prop: str | None = None) -> str:
        line = None
        if self.block is not None:
            line = self.block.props.get(prop, self.block.line) if prop else self.block.line
        parts = [f"line {line}"] if line is not None else []
        parts.append(f"VEVENT {self.index + 1}")
        if prop:
            parts.append(prop)
        return ", ".join(parts)


def unescape(text: str) -> str:
    """An iCalendar TEXT value as written (``\\,`` ``\\;`` ``\\n`` ``\\\\``) → its text.
    The library unescapes only the properties it knows, not ``X-`` ones."""
    return _ESCAPE_RE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _single(comp: icalendar.Component, name: str, place: _Place) -> Any:
    value = comp.get(name)
    if isinstance(value, list):
        raise FormatError(f"{name} is given more than once", where=place(name))
    return value


def _date_value(comp: icalendar.Component, name: str, place: _Place) -> dt.date | None:
    """A ``DTSTART``/``DTEND`` as a date (all-day) or a datetime in storage time: UTC,
    or as written for a floating time."""
    prop = _single(comp, name, place)
    if prop is None:
        return None
    value = getattr(prop, "dt", None)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            tzid = prop.params.get("TZID")
            if tzid:
                raise FormatError(
                    f"unknown time zone {tzid!r} (and no VTIMEZONE for it in the file)",
                    where=place(name),
                )
            return value.replace(microsecond=0)
        return value.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        return value
    raise FormatError(f"{name} must be a date or a date and time", where=place(name))


def _zone(comp: icalendar.Component, name: str) -> str | None:
    prop = comp.get(name)
    tzid = prop.params.get("TZID") if prop is not None else None
    return str(tzid) if tzid else None


def _is_floating(comp: icalendar.Component, name: str) -> bool:
    prop = comp.get(name)
    value = getattr(prop, "dt", None)
    return isinstance(value, dt.datetime) and value.tzinfo is None


def _partial(value: dt.date) -> PartialDate:
    if isinstance(value, dt.datetime):
        return PartialDate(
            value.year, value.month, value.day, value.hour, value.minute, value.second
        )
    return PartialDate(value.year, value.month, value.day)


def plain_dates(start: dt.date, end: dt.date | None) -> tuple[PartialDate, PartialDate | None]:
    """The dates an event with these ``DTSTART``/``DTEND`` (exclusive for days) has."""
    if isinstance(start, dt.datetime):
        return _partial(start), _partial(end) if end is not None and end > start else None
    if end is None or end - start <= _ONE_DAY:
        return _partial(start), None
    return _partial(start), _partial(end - _ONE_DAY)


def _read_times(
    comp: icalendar.Component, place: _Place
) -> tuple[dt.date, dt.date | None, dict[str, Any]]:
    start = _date_value(comp, "DTSTART", place)
    if start is None:
        raise FormatError("the event has no DTSTART", where=place())
    end = _date_value(comp, "DTEND", place)
    duration = _single(comp, "DURATION", place)
    timed = isinstance(start, dt.datetime)
    if duration is not None:
        if end is not None:
            raise FormatError("DTEND and DURATION cannot both be given", where=place("DURATION"))
        length = getattr(duration, "dt", None)
        if not isinstance(length, dt.timedelta) or length < dt.timedelta(0):
            raise FormatError("DURATION must be a length of time", where=place("DURATION"))
        try:
            end = start + (length if timed else dt.timedelta(days=length.days))
        except OverflowError:
            raise FormatError("the DURATION ends after 9999", where=place("DURATION")) from None
    if end is not None:
        if isinstance(end, dt.datetime) != timed:
            raise FormatError(
                "DTEND must be a date when DTSTART is, and a time when DTSTART is",
                where=place("DTEND"),
            )
        if end < start:
            raise FormatError("the event ends before it starts", where=place("DTEND"))
    ical: dict[str, Any] = {}
    if timed:
        tzid = _zone(comp, "DTSTART")
        if tzid:
            ical["tzid"] = tzid
        if _is_floating(comp, "DTSTART"):
            ical["floating"] = True
        end_tzid = _zone(comp, "DTEND")
        if end_tzid and end_tzid != tzid:
            ical["end_tzid"] = end_tzid
    return start, end, ical


def _x_text(comp: icalendar.Component, name: str, place: _Place) -> str | None:
    prop = _single(comp, name, place)
    if prop is None:
        return None
    if isinstance(prop, icalendar.vText):
        return str(prop)
    return unescape(str(prop))  # an X- property: as written


def _categories(comp: icalendar.Component) -> list[str]:
    props = comp.get("CATEGORIES")
    if props is None:
        return []
    names: list[str] = []
    for prop in props if isinstance(props, list) else [props]:
        names.extend(str(c) for c in getattr(prop, "cats", ()))
    return list(dict.fromkeys(n for n in names if n.strip()))


def html_to_plain(text: str) -> str:
    """Plain text of an HTML description: line breaks at paragraphs and breaks."""
    text = _BLOCK_TAG_RE.sub("\n", text)
    text = html.unescape(_TAG_RE.sub("", text))
    return "\n".join(line.strip() for line in text.strip().splitlines())


def looks_like_html(text: str) -> bool:
    return _HTML_HINT_RE.search(text) is not None


def recurrence_note(rrule: str | None, rdate: bool, description: str) -> str:
    """What is added to a recurring event's description (empty when it does not recur)."""
    if rrule is None and not rdate:
        return ""
    if rrule is not None:
        parts = dict(p.split("=", 1) for p in rrule.split(";") if "=" in p)
        often, unit = _FREQ_WORDS.get(parts.get("FREQ", "").upper(), ("again", "times"))
        interval = parts.get("INTERVAL", "1")
        what = f"every {interval} {unit}" if interval.isdigit() and int(interval) > 1 else often
        if parts.get("COUNT", "").isdigit():
            what += f", {parts['COUNT']} times"
        if parts.get("UNTIL"):
            what += f", until {parts['UNTIL']}"
        note = f"Recurs {what} (RRULE:{rrule}); only the first time is shown."
    else:
        note = "Recurs on other dates too (RDATE); only the first time is shown."
    if not description:
        return note
    if looks_like_html(description):
        return f"<p>{html.escape(note, quote=False)}</p>"
    return "\n\n" + note


def _read_description(comp: icalendar.Component, place: _Place) -> str:
    plain = _x_text(comp, "DESCRIPTION", place) or ""
    alt = comp.get("X-ALT-DESC")
    if alt is not None and not isinstance(alt, list):
        fmt = str(getattr(alt, "params", {}).get("FMTTYPE", "")).lower()
        rich = unescape(str(alt))
        if fmt == "text/html" and (not plain or plain == html_to_plain(rich)):
            return rich
    return plain


def _x_dates(
    comp: icalendar.Component, place: _Place, start: dt.date, end: dt.date | None, ical: dict
) -> tuple[PartialDate, PartialDate | None] | None:
    """The dates of ``X-TIMELINE-VIEWER-DATES``, when they give these calendar values."""
    text = _x_text(comp, X_DATES, place)
    if text is None:
        return None
    try:
        ends = [PartialDate.from_iso(p) for p in text.split("/", 1)]
    except DateError:
        raise FormatError(f"{text!r} is not a date", where=place(X_DATES)) from None
    said = (ends[0], ends[1] if len(ends) > 1 else None)
    try:
        times = calendar_times(*said)
    except FormatError:
        return None
    return said if times == (start, end) or (times == (start, None) and end == start) else None


def _read_x_tags(text: str, place: _Place) -> tuple[str | None, tuple[str, ...]]:
    """``{"category": name or null, "tags": [names]}`` of ``X-TIMELINE-VIEWER-TAGS``."""
    try:
        said = json.loads(text)
    except ValueError:
        said = None
    if isinstance(said, dict):
        category, tags = said.get("category"), said.get("tags")
        if (category is None or isinstance(category, str)) and (
            isinstance(tags, list) and all(isinstance(t, str) for t in tags)
        ):
            return category, tuple(tags)
    raise FormatError('expected {"category": …, "tags": […]} as JSON', where=place(X_TAGS))


def _read_vevent(comp: icalendar.Component, place: _Place) -> Event:
    for name, message in comp.errors:
        if name is None or name in _MAPPED:
            raise FormatError(f"cannot read {name or 'a line'}: {message}", where=place(name))
    start, end, ical = _read_times(comp, place)
    dates = _x_dates(comp, place, start, end, ical) or plain_dates(start, end)
    description = _read_description(comp, place)
    rrule = comp.get("RRULE")
    if isinstance(rrule, list):
        raise FormatError("RRULE is given more than once", where=place("RRULE"))
    block_lines = place.block.lines if place.block is not None else []
    others = [line for name, line in block_lines if name not in _MAPPED]
    if rrule is not None:  # as written, where the scan saw it
        written = [line.split(":", 1)[1] for name, line in block_lines if name == "RRULE"]
        ical["rrule"] = written[0] if written else rrule.to_ical().decode("utf-8")
    rdate = any(name == "RDATE" for name, _ in block_lines)
    description += recurrence_note(ical.get("rrule"), rdate, description)
    summary = _x_text(comp, "SUMMARY", place) or ""
    title = summary if summary.strip() else fallback_title(description)
    names = _categories(comp)
    category, tags = (names[0] if names else None), tuple(names)
    tag_text = _x_text(comp, X_TAGS, place)
    if tag_text is not None:
        category, tags = _read_x_tags(tag_text, place)
    extra: dict[str, Any] = {}
    extra_text = _x_text(comp, X_EXTRA, place)
    if extra_text is not None:
        try:
            said_extra = json.loads(extra_text)
        except ValueError:
            said_extra = None
        if not isinstance(said_extra, dict):
            raise FormatError("expected a JSON object", where=place(X_EXTRA))
        extra.update((k, v) for k, v in said_extra.items() if k != "ical")
    for key, name in (("uid", "UID"), ("location", "LOCATION")):
        value = _x_text(comp, name, place)
        if value is not None:
            ical[key] = value
    if others:
        ical["properties"] = others
    if place.block is not None and place.block.components:
        ical["components"] = list(place.block.components)
    if ical:
        extra["ical"] = ical
    try:
        return Event(
            title=title,
            start=dates[0],
            end=dates[1],
            description=description,
            category=category,
            tags=tags,
            source_url=_x_text(comp, "URL", place) or "",
            display_date=_x_text(comp, X_DISPLAY, place) or "",
            notes=_x_text(comp, X_NOTES, place) or "",
            extra=extra,
        )
    except DateError as exc:
        raise FormatError(str(exc), where=place("DTSTART")) from None


def _parse(text: str) -> tuple[list[icalendar.Calendar], _Scan]:
    scan = _scan(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            calendars = icalendar.Calendar.from_ical(text, multiple=True)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            raise FormatError(f"invalid iCalendar ({exc})") from None
    return calendars, scan


def _read(text: str, source: str | None) -> Timeline:
    calendars, scan = _parse(text)
    comps = [c for cal in calendars for c in cal.walk("VEVENT")]
    if not comps:
        raise FormatError("the file has no events (VEVENT)")
    blocks: list[_Block | None] = list(scan.events)
    if len(blocks) != len(comps):  # should not happen: then name events by number only
        blocks = [None] * len(comps)
    events = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, (comp, block) in enumerate(zip(comps, blocks, strict=True)):
            place = _Place(block, i)
            try:
                events.append(_read_vevent(comp, place))
            except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
                if isinstance(exc, FormatError):
                    raise
                raise FormatError(f"cannot read the event ({exc})", where=place()) from None
    timeline = Timeline(source=source or "", events=events, categories=categories_for(events))
    first = calendars[0]
    for attr, name in (("title", "X-WR-CALNAME"), ("description", "X-WR-CALDESC")):
        value = first.get(name)
        if value is not None and not isinstance(value, list):
            setattr(
                timeline,
                attr,
                str(value) if isinstance(value, icalendar.vText) else unescape(str(value)),
            )
    if scan.timezones:
        timeline.extra["ical"] = {"timezones": scan.timezones}
    return timeline


def read_ical(text: str, source: str | None = None) -> Timeline:
    """Import an iCalendar file: one event per ``VEVENT``.

    Raises :class:`FormatError` naming the place ("line 12, VEVENT 3, DTSTART").
    """
    try:
        return _read(text, source)
    except FormatError as exc:
        raise (exc.with_source(source) if source else exc) from None
    except RecursionError:
        raise FormatError("invalid iCalendar (nested too deeply)", source=source) from None


def looks_like_ical(text: str) -> bool:
    """Whether ``text`` starts with ``BEGIN:VCALENDAR`` (never raises)."""
    return text.removeprefix("\ufeff").lstrip()[:15].upper() == "BEGIN:VCALENDAR"


# -- export --------------------------------------------------------------------------


def _moment(pos: float) -> dt.datetime:
    year, month, day, hour, minute, second = civil_from_position(pos)
    if not 1 <= year <= 9999:
        raise OverflowError(year)
    return dt.datetime(year, month, day, hour, minute, second)


def calendar_times(start: PartialDate, end: PartialDate | None) -> tuple[dt.date, dt.date | None]:
    """``DTSTART`` and ``DTEND`` for an event's dates (dates when both ends are days or
    coarser, with an exclusive ``DTEND``; else times, ``DTEND`` where the end begins).
    Raises :class:`FormatError` for a year outside 1 to 9999."""
    last = end if end is not None else start
    try:
        if start.precision <= Precision.DAY and last.precision <= Precision.DAY:
            return _moment(start.begin()).date(), _moment(last.finish()).date()
        return _moment(start.begin()), _moment(end.begin()) if end is not None else None
    except OverflowError:
        raise FormatError("iCalendar holds only the years 1 to 9999") from None


def _fold(line: str) -> str:
    """One content line folded at 75 octets (never inside a character), with CRLF."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    out, start, limit = [], 0, 75
    while start < len(data):
        stop = min(start + limit, len(data))
        while stop < len(data) and (data[stop] & 0xC0) == 0x80:
            stop -= 1
        out.append(data[start:stop].decode("utf-8"))
        start, limit = stop, 74  # a continuation line starts with a space
    return "\r\n ".join(out) + "\r\n"


def _zone_of(tzid: str, header: Timeline) -> dt.tzinfo | None:
    ical = header.extra.get("ical")
    known = ical.get("timezones") if isinstance(ical, dict) else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if isinstance(known, dict) and isinstance(known.get(tzid), str):
                cal = icalendar.Calendar.from_ical(
                    "BEGIN:VCALENDAR\r\n" + known[tzid] + "\r\nEND:VCALENDAR\r\n"
                )
                for tz in cal.walk("VTIMEZONE"):
                    if isinstance(tz, icalendar.Timezone):
                        return tz.to_tz()
            return tzp.timezone(tzid)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None


class _Zones:
    """Time zones by TZID for one export (looked up once each)."""

    def __init__(self, header: Timeline) -> None:
        self.header = header
        self.cache: dict[str, dt.tzinfo | None] = {}

    def local(self, utc: dt.datetime, tzid: str) -> dt.datetime | None:
        """``utc`` (naive) as a naive wall time in ``tzid``, if it reads back the same."""
        if tzid not in self.cache:
            self.cache[tzid] = _zone_of(tzid, self.header)
        zone = self.cache[tzid]
        if zone is None:
            return None
        try:
            local = utc.replace(tzinfo=dt.UTC).astimezone(zone)
            back = local.replace(fold=0).astimezone(dt.UTC).replace(tzinfo=None)
        except (OverflowError, ValueError):
            return None
        return local.replace(tzinfo=None, fold=0) if back == utc else None


def _add_time(
    vevent: icalendar.Event, name: str, value: dt.date, tzid: str | None, ical: dict, zones: _Zones
) -> None:
    if not isinstance(value, dt.datetime) or ical.get("floating"):
        vevent.add(name, value)
    elif tzid and (local := zones.local(value, tzid)) is not None:
        vevent.add(name, local, parameters={"TZID": tzid})
    else:
        vevent.add(name, value.replace(tzinfo=dt.UTC))


def _uid(event: Event, index: int) -> str:
    key = f"{index}|{event.title}|{event.start.iso()}|{event.end.iso() if event.end else ''}"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, 'timeline-viewer:' + key)}@timeline-viewer"


def _strip_note(event: Event, ical: dict) -> str:
    rrule = ical.get("rrule") if isinstance(ical.get("rrule"), str) else None
    props = ical.get("properties")
    rdate = isinstance(props, list) and any(
        isinstance(p, str) and p.upper().startswith(("RDATE:", "RDATE;")) for p in props
    )
    text = event.description
    if rrule is None and not rdate:
        return text
    cuts = (text.rfind("\n\n"), text.rfind("<p>"))
    for base in ("", *(text[:i] for i in cuts if i >= 0)):
        note = recurrence_note(rrule, rdate, base)
        if base + note == text:
            return base
    return text


def _vevent(event: Event, index: int, stamp: dt.datetime, zones: _Zones) -> str:
    ical = event.extra.get("ical")
    ical = ical if isinstance(ical, dict) else {}
    try:
        start, end = calendar_times(event.start, event.end)
    except FormatError as exc:
        raise FormatError(f"{event.title!r} ({event.date_text()}): {exc.message}") from None
    v = icalendar.Event()
    v.add("UID", str(ical.get("uid") or _uid(event, index)))
    v.add("DTSTAMP", stamp)
    v.add("SUMMARY", event.title)
    tzid = ical.get("tzid") if isinstance(ical.get("tzid"), str) else None
    end_tzid = ical.get("end_tzid") if isinstance(ical.get("end_tzid"), str) else tzid
    _add_time(v, "DTSTART", start, tzid, ical, zones)
    if end is not None:
        _add_time(v, "DTEND", end, end_tzid, ical, zones)
    if plain_dates(start, end) != (event.start, event.end):
        said = event.start.iso() + (f"/{event.end.iso()}" if event.end is not None else "")
        v.add(X_DATES, icalendar.vText(said))
    description = _strip_note(event, ical)
    if looks_like_html(description):
        v.add("DESCRIPTION", html_to_plain(description))
        v.add("X-ALT-DESC", icalendar.vText(description), parameters={"FMTTYPE": "text/html"})
    elif description:
        v.add("DESCRIPTION", description)
    if isinstance(ical.get("location"), str):
        v.add("LOCATION", ical["location"])
    url = _LINE_RE.sub("", event.source_url)  # a URL has no line breaks
    if url:
        v.add("URL", url)
    names = list(dict.fromkeys([*([event.category] if event.category else []), *event.tags]))
    names = [n for n in names if n.strip()]
    if names:
        v.add("CATEGORIES", names)
    if (names[0] if names else None) != event.category or tuple(names) != event.tags:
        tag_record = {"category": event.category, "tags": list(event.tags)}
        v.add(X_TAGS, icalendar.vText(json.dumps(tag_record, ensure_ascii=False)))
    if event.display_date:
        v.add(X_DISPLAY, icalendar.vText(event.display_date))
    if event.notes:
        v.add(X_NOTES, icalendar.vText(event.notes))
    others = {k: val for k, val in event.extra.items() if k != "ical"}
    if others:
        text = json.dumps(others, ensure_ascii=False, sort_keys=True, default=str)
        v.add(X_EXTRA, icalendar.vText(text))
    body = v.to_ical().decode("utf-8")
    kept: list[str] = []
    if isinstance(ical.get("rrule"), str):
        kept.append("RRULE:" + ical["rrule"])
    for line in ical.get("properties") or ():
        if isinstance(line, str) and "\n" not in line and "\r" not in line:
            kept.append(line)
    lines = "".join(_fold(line) for line in kept)
    for comp in ical.get("components") or ():
        if isinstance(comp, str):
            lines += "".join(_fold(line) for line in _LINE_RE.split(comp) if line)
    return body.removesuffix("END:VEVENT\r\n") + lines + "END:VEVENT\r\n"


def write_ical(timeline: Timeline) -> str:
    """Export a timeline as an iCalendar document."""
    out = io.StringIO()
    write_ical_to(timeline, timeline.events, out)
    return out.getvalue()


def write_ical_to(header: Timeline, events: Iterable[Event], out: TextIO) -> None:
    """Write iCalendar event by event (memory stays that of one event).

    The values are written by ``icalendar``; the calendar around them, and the lines
    kept from an imported file, by hand, so that events can be written one at a time.
    """
    out.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + _fold("PRODID:" + PRODID))
    out.write("CALSCALE:GREGORIAN\r\n")
    for name, value in (("X-WR-CALNAME", header.title), ("X-WR-CALDESC", header.description)):
        if value:
            out.write(_fold(f"{name}:" + icalendar.vText(value).to_ical().decode("utf-8")))
    ical = header.extra.get("ical")
    zones = ical.get("timezones") if isinstance(ical, dict) else None
    if isinstance(zones, dict):
        for text in zones.values():
            if isinstance(text, str):
                out.write("".join(_fold(line) for line in _LINE_RE.split(text) if line))
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    lookups = _Zones(header)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for index, event in enumerate(events):
            out.write(_vevent(event, index, stamp, lookups))
    out.write("END:VCALENDAR\r\n")
