"""TimelineJS JSON import and export.

A TimelineJS document is ``{"title": slide, "events": [slide…], "eras": [slide…],
"scale": "human" | "cosmological"}``.  The mapping to :class:`Timeline`:

* **Title slide** → ``Timeline.title`` (``text.headline``) and ``Timeline.description``
  (``text.text``, HTML kept as given).  Every other key of the title slide (``media``,
  ``background``, ``start_date``, ``unique_id``…) goes to ``Timeline.extra`` under its own
  name, other keys of its ``text`` object to ``Timeline.extra["text"]``.  The top-level
  ``scale`` is kept as ``Timeline.extra["scale"]``, any other unknown top-level key in
  ``Timeline.extra["top_level"]``.
* **Event slide** → :class:`Event`: ``title`` is ``text.headline``; ``description`` is
  ``text.text`` as given; ``start``/``end`` come from ``start_date``/``end_date``;
  ``group`` names the category; the slide's ``display_date`` is ``Event.display_date``.
  ``Event.extra`` holds, under their own names, the slide keys the model has no field for
  (``background``, ``unique_id``, ``autolink``…, kept verbatim; ``source_url`` stays
  empty), plus this bookkeeping.  The slide's ``media`` is the event's image
  (:mod:`viewer.io.media`: a local file's bytes stored, a remote URL a link never
  fetched; a media object without a text ``url`` stays in ``extra["media"]``):

  - ``extra["text"]``: keys of the ``text`` object besides ``headline`` and ``text``;
    and ``extra["text"]["headline"]`` only when the headline was missing or blank, so
    that the title is a fallback (the first words of the text, or "(untitled)"): the
    headline as given, or ``None`` when it was absent.  Export writes that back while
    the title is still the fallback (an edited title is exported as the headline).
  - ``extra["group"]``: only for a blank group (``"group": ""``): the string as given.
  - ``extra["start_date"]`` / ``extra["end_date"]``: keys of a date the model cannot
    hold (``millisecond``, the date-level ``display_date``, unknown keys).

* **Eras** → :class:`Era` (``title`` = ``text.headline``); everything else, including
  ``text.text``, goes to ``Era.extra`` the same way.
* **Categories**: one :class:`Category` per distinct group, in order of first use, with
  colours from :func:`category_color`.  TimelineJS has no category colours, so the
  colours (and categories no event uses) are not exported.

Dates: ``year`` is required; every field may be a number or a string ("08"); a blank
string is an absent field.  TimelineJS numbers years with no year zero (year -44 is
shown "44 BCE"), the model astronomically, so TimelineJS year ``-N`` becomes ``1 - N``
(``PartialDate(-43)`` is 44 BC); positive years are unchanged.  TimelineJS year ``0``
(not a real year) is read as 1 BC (astronomical 0), which is exported as ``-1``: the one
value that does not come back as written.  ``millisecond`` cannot be represented and
is kept in extra.

Export writes every date field as a string (44 BC in March is ``{"year": "-44",
"month": "3"}``), like TimelineJS's own sheet conversion and the published examples,
and only the fields a date has (a month-precision date has no ``day``).  Whether the
input used numbers or strings is not remembered: importing an export gives back the
same values.  ``Event.tags``, ``source_url`` and ids have no place in TimelineJS and are
not exported.

Callers should pass the text without newline translation (read bytes and decode, or
open with ``newline=""``) so that line breaks inside texts stay as they are.
"""

from __future__ import annotations

import html
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

from viewer.io.display_dates import display_date_for, read_display_date, read_qualifiers
from viewer.io.errors import FormatError
from viewer.io.media import MediaFolder, image_from_media, media_from_image
from viewer.model.colors import category_color
from viewer.model.dates import DEEP_TIME_LIMIT, DateError, PartialDate, check_range
from viewer.model.event import Category, Era, Event, Timeline

__all__ = [
    "DATE_FIELDS",
    "astronomical_to_tjs_year",
    "build_date",
    "categories_for",
    "category_color",
    "fallback_title",
    "looks_like_timelinejs",
    "read_timelinejs",
    "tjs_to_astronomical_year",
    "write_timelinejs",
]

#: The fields of a TimelineJS date that a :class:`PartialDate` holds, coarsest first.
DATE_FIELDS = ("year", "month", "day", "hour", "minute", "second")


UNTITLED = "(untitled)"

# Event.extra / Era.extra keys used for bookkeeping (never copied as slide keys).
_BOOKKEEPING = ("group", "start_date", "end_date", "text", "display_date", "notes")
# Slide keys the importer maps to model fields.
_SLIDE_FIELDS = ("start_date", "end_date", "text", "group", "display_date", "notes")
# Timeline.extra keys that are not title-slide keys.
_TOP_LEVEL = ("scale", "top_level")

_WHOLE_RE = re.compile(r"[+-]?[0-9]+(?:\.0*)?")
_TAG_RE = re.compile(r"<[^>]*>")
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")


# -- shared helpers (also used by the sheet CSV importer) ------------------------------


def tjs_to_astronomical_year(year: int) -> int:
    """TimelineJS year (no year zero; 0 is taken as 1 BC) → astronomical year."""
    return year + 1 if year < 0 else year


def astronomical_to_tjs_year(year: int) -> int:
    """Astronomical year → TimelineJS year (1 BC, astronomical 0, is -1)."""
    return year - 1 if year <= 0 else year


def categories_for(events: Iterable[Event]) -> list[Category]:
    """One category per distinct ``Event.category``, in order of first use."""
    names: dict[str, None] = {}
    for event in events:
        if event.category is not None:
            names.setdefault(event.category, None)
    return [Category(name, category_color(i)) for i, name in enumerate(names)]


def fallback_title(description: str, words: int = 8) -> str:
    """A title for a slide without headline: the first words of its text, or "(untitled)"."""
    plain = html.unescape(_TAG_RE.sub(" ", description)).split()
    if not plain:
        return UNTITLED
    title = " ".join(plain[:words])
    if len(title) > 60:
        title = title[:59].rstrip()
        return title + "…"
    return title + ("…" if len(plain) > words else "")


def whole_number(value: Any) -> int | None:
    """An integer from a JSON number or a string like "08"; ``None`` if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        if len(text) <= 40 and _WHOLE_RE.fullmatch(text):
            return int(text.split(".")[0])
    return None


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def build_date(raw: Mapping[str, Any], where_of: Callable[[str], str]) -> PartialDate:
    """A :class:`PartialDate` from TimelineJS date fields (numbers or strings).

    ``raw`` maps names of :data:`DATE_FIELDS` to values (absent or blank = not given);
    the year is a TimelineJS year.  ``where_of(field)`` names the place of a field for
    the :class:`FormatError` raised on a bad value.
    """
    values: list[int | None] = []
    for name in DATE_FIELDS:
        value = raw.get(name)
        if is_blank(value):
            values.append(None)
            continue
        number = whole_number(value)
        if number is None:
            raise FormatError(f"{value!r} is not a {name}", where=where_of(name))
        values.append(number)
    tjs_year = values[0]
    if tjs_year is None:
        raise FormatError("the date has no year", where=where_of("year"))
    year = tjs_to_astronomical_year(tjs_year)
    if abs(year) > DEEP_TIME_LIMIT:
        raise FormatError(f"year {tjs_year} is out of range", where=where_of("year"))
    parts: list[int] = [year]
    missing: str | None = None
    for name, value in zip(DATE_FIELDS[1:], values[1:], strict=True):
        if value is None:
            missing = missing or name
            continue
        if missing is not None:
            article = "an" if name == "hour" else "a"
            raise FormatError(
                f"{article} {name} is given without a {missing}", where=where_of(name)
            )
        parts.append(value)
        try:
            PartialDate(*parts)
        except DateError as exc:
            raise FormatError(str(exc), where=where_of(name)) from None
    try:
        return PartialDate(*parts)
    except DateError as exc:  # pragma: no cover - every field was checked above
        raise FormatError(str(exc), where=where_of("year")) from None


def date_fields(date: PartialDate) -> dict[str, str]:
    """The TimelineJS fields of a date, as strings, only those the date has."""
    out = {"year": str(astronomical_to_tjs_year(date.year))}
    for name in DATE_FIELDS[1:]:
        value = getattr(date, name)
        if value is None:
            break
        out[name] = str(value)
    return out


# -- import --------------------------------------------------------------------------


def text_value(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise FormatError(f"expected text, not {type(value).__name__}", where=where)


def group_category(group: str | None, extra: dict[str, Any]) -> str | None:
    """The category a group (or tag) names; a blank-but-given one names none and is
    kept in ``extra["group"]``, so that an export writes it back as it was."""
    if group is None:
        return None
    if group.strip():
        return group
    extra["group"] = group
    return None


def json_object(value: Any, where: str, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FormatError(f"{what} must be a JSON object", where=where)
    return value


def _read_date(value: Any, where: str) -> tuple[PartialDate | None, dict[str, Any]]:
    """A slide date and its leftover keys; ``None`` when every date field is blank."""
    obj = json_object(value, where, "a date")
    rest = {k: v for k, v in obj.items() if k not in DATE_FIELDS}
    if all(is_blank(obj.get(name)) for name in DATE_FIELDS):
        return None, rest
    date = build_date(obj, lambda name: f"{where}.{name}")
    shown = rest.get("display_date")
    if isinstance(shown, str):  # the date's own text ("c. 1450"; kept in extra as given)
        qualified, span_end = read_qualifiers(date, None, shown)
        if span_end is None:
            date = qualified
    return date, rest


def _read_text(slide: Mapping[str, Any], where: str) -> tuple[str | None, str, dict[str, Any]]:
    """``(headline, text, other keys of the text object)`` of a slide."""
    value = slide.get("text")
    if value is None:
        return None, "", {}
    obj = json_object(value, f"{where}.text", "text")
    headline = text_value(obj.get("headline"), f"{where}.text.headline")
    text = text_value(obj.get("text"), f"{where}.text.text") or ""
    return headline, text, {k: v for k, v in obj.items() if k not in ("headline", "text")}


def _read_range(
    slide: Mapping[str, Any], where: str, *, end_required: bool
) -> tuple[PartialDate, PartialDate | None, dict[str, Any]]:
    extra: dict[str, Any] = {}
    if slide.get("start_date") is None:
        raise FormatError("the slide has no start_date", where=f"{where}.start_date")
    start, rest = _read_date(slide["start_date"], f"{where}.start_date")
    if start is None:
        raise FormatError("the date has no year", where=f"{where}.start_date.year")
    if rest:
        extra["start_date"] = rest
    end = None
    if slide.get("end_date") is not None:
        end, rest = _read_date(slide["end_date"], f"{where}.end_date")
        if rest:
            extra["end_date"] = rest
    if end is None and end_required:
        raise FormatError("an era needs an end_date with a year", where=f"{where}.end_date")
    try:
        check_range(start, end)
    except DateError as exc:
        raise FormatError(str(exc), where=f"{where}.end_date") from None
    return start, end, extra


def _read_event(value: Any, where: str, folder: Path | None = None) -> Event:
    slide = json_object(value, where, "a slide")
    extra = {k: v for k, v in slide.items() if k not in _SLIDE_FIELDS}
    image = image_from_media(slide.get("media"), folder)
    if image is not None:
        del extra["media"]
    start, end, date_extra = _read_range(slide, where, end_required=False)
    extra.update(date_extra)
    headline, description, text_rest = _read_text(slide, where)
    if headline is None or not headline.strip():
        title = fallback_title(description)
        text_rest["headline"] = headline
    else:
        title = headline
    if text_rest:
        extra["text"] = text_rest
    category = group_category(text_value(slide.get("group"), f"{where}.group"), extra)
    display_date = text_value(slide.get("display_date"), f"{where}.display_date") or ""
    start, end, display_date = read_display_date(start, end, display_date)
    notes = text_value(slide.get("notes"), f"{where}.notes") or ""
    return Event(
        title=title,
        start=start,
        end=end,
        description=description,
        category=category,
        display_date=display_date,
        extra=extra,
        notes=notes,
        images=(image,) if image is not None else (),
    )


def _read_era(value: Any, where: str) -> Era:
    slide = json_object(value, where, "an era")
    extra = {k: v for k, v in slide.items() if k not in ("start_date", "end_date", "text")}
    start, end, date_extra = _read_range(slide, where, end_required=True)
    assert end is not None
    extra.update(date_extra)
    headline, text, text_rest = _read_text(slide, where)
    if text:
        text_rest = {"text": text, **text_rest}
    if text_rest:
        extra["text"] = text_rest
    return Era(title=headline or "", start=start, end=end, extra=extra)


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data[key]
    if not isinstance(value, list):
        raise FormatError(f"{key} must be a list", where=key)
    return value


class _DuplicateKey(dict[str, Any]):
    """A JSON object that gave ``key`` twice (only its last value is kept in it)."""

    key = ""


def _check_values(data: Any) -> None:
    """Refuse a value that would not survive: it names the first one by its JSON path.

    A key given twice would lose one of its values (a second ``events`` list hides the
    first); NaN and Infinity (and numbers too big for a float) are not JSON, and an
    export would carry them to TimelineJS, whose ``JSON.parse`` refuses them; an unpaired
    surrogate escape ("\\ud800") is not Unicode and cannot be stored.
    """
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            if isinstance(value, _DuplicateKey):
                raise FormatError(
                    f"the key {value.key!r} is given twice", where=where or "the top level"
                )
            for key in value:
                if _SURROGATE_RE.search(key):
                    raise FormatError(
                        f"the key {key!r} is not valid Unicode", where=where or "the top level"
                    )
            items = [(v, f"{where}.{k}" if where else k) for k, v in value.items()]
            stack.extend(reversed(items))
        elif isinstance(value, list):
            stack.extend((v, f"{where}[{i}]") for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, float) and not math.isfinite(value):
            raise FormatError(
                f"{value} is not a JSON number (no NaN or Infinity, nor beyond 1e308)",
                where=where,
            )
        elif isinstance(value, str) and (bad := _SURROGATE_RE.search(value)):
            raise FormatError(
                f"the text holds {bad[0]!r}, which is not valid Unicode (an unpaired surrogate)",
                where=where,
            )


def parse_json(text: str) -> Any:
    suspect = _SURROGATE_ESCAPE_RE.search(text) is not None

    def constant(name: str) -> float:
        nonlocal suspect
        suspect = True
        return float(name)

    def number(digits: str) -> float:
        nonlocal suspect
        value = float(digits)
        suspect = suspect or math.isinf(value)
        return value

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal suspect
        obj = dict(items)
        if len(obj) == len(items):
            return obj
        suspect = True
        flagged = _DuplicateKey(obj)
        seen: set[str] = set()
        for key, _ in items:
            if key in seen:
                flagged.key = key
                break
            seen.add(key)
        return flagged

    try:
        data = json.loads(
            text.removeprefix("\ufeff"),
            object_pairs_hook=pairs,
            parse_constant=constant,
            parse_float=number,
        )
    except json.JSONDecodeError as exc:
        lines = _LINE_BREAK_RE.split(exc.doc[: exc.pos])  # json counts only "\n"
        raise FormatError(
            f"invalid JSON ({exc.msg})", where=f"line {len(lines)}, column {len(lines[-1]) + 1}"
        ) from None
    except RecursionError:
        raise FormatError("invalid JSON (nested too deeply)") from None
    except ValueError as exc:  # e.g. a number with too many digits
        raise FormatError(f"invalid JSON ({exc})") from None
    if suspect:  # the whole walk only when the parse saw something to look for
        _check_values(data)
    return data


def _read(text: str, source: str | None) -> Timeline:
    data = parse_json(text)
    if not isinstance(data, dict):
        raise FormatError("a TimelineJS file is a JSON object with an events list")
    if data.get("events") is None:
        raise FormatError("there is no events list", where="events")
    folder = Path(source).parent if source else None
    events = [_read_event(s, f"events[{i}]", folder) for i, s in enumerate(_list(data, "events"))]
    eras = []
    if data.get("eras") is not None:
        eras = [_read_era(s, f"eras[{i}]") for i, s in enumerate(_list(data, "eras"))]
    timeline = Timeline(
        source=source or "", events=events, categories=categories_for(events), eras=eras
    )
    if data.get("title") is not None:
        slide = json_object(data["title"], "title", "the title slide")
        headline, description, text_rest = _read_text(slide, "title")
        timeline.title = headline or ""
        timeline.description = description
        timeline.extra.update((k, v) for k, v in slide.items() if k != "text")
        if text_rest:
            timeline.extra["text"] = text_rest
    if "scale" in data:
        timeline.extra["scale"] = data["scale"]
    others = {k: v for k, v in data.items() if k not in ("title", "events", "eras", "scale")}
    if others:
        timeline.extra["top_level"] = others
    return timeline


def read_timelinejs(text: str, source: str | None = None) -> Timeline:
    """Import a TimelineJS JSON document.

    Raises :class:`FormatError` naming the place (a JSON path such as
    ``events[3].start_date.month``, or "line L, column C" for invalid JSON).
    """
    try:
        return _read(text, source)
    except FormatError as exc:
        raise (exc.with_source(source) if source else exc) from None


def looks_like_timelinejs(text: str) -> bool:
    """Whether ``text`` is a JSON object with an ``events`` list (never raises)."""
    stripped = text.removeprefix("\ufeff").lstrip()
    if not stripped.startswith("{"):
        return False
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and isinstance(data.get("events"), list)


# -- export --------------------------------------------------------------------------


def _write_date(date: PartialDate, rest: Any) -> dict[str, Any]:
    out: dict[str, Any] = dict(date_fields(date))
    if isinstance(rest, dict):
        for key, value in rest.items():
            if key not in DATE_FIELDS:
                out.setdefault(key, value)
    return out


def exported_headline(event: Event) -> str | None:
    """The headline to export: the original blank one while the title is its fallback."""
    text = event.extra.get("text")
    if (
        isinstance(text, dict)
        and "headline" in text
        and event.title == fallback_title(event.description)
    ):
        original = text["headline"]
        if original is None or isinstance(original, str):
            return original
    return event.title


def exported_group(event: Event) -> str | None:
    """The group to export: the category, or a remembered blank group."""
    if event.category is not None:
        return event.category
    blank = event.extra.get("group")
    return blank if isinstance(blank, str) else None


def _text_object(headline: str | None, text: str, rest: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if headline is not None:
        out["headline"] = headline
    if text:
        out["text"] = text
    if isinstance(rest, dict):
        for key, value in rest.items():
            if key != "headline":
                out.setdefault(key, value)
    return out


def _write_event(event: Event, media: MediaFolder | None = None) -> dict[str, Any]:
    slide: dict[str, Any] = {"start_date": _write_date(event.start, event.extra.get("start_date"))}
    end_rest = event.extra.get("end_date")
    if event.end is not None:
        slide["end_date"] = _write_date(event.end, end_rest)
    elif isinstance(end_rest, dict) and end_rest:
        slide["end_date"] = dict(end_rest)
    slide["text"] = _text_object(
        exported_headline(event), event.description, event.extra.get("text")
    )
    group = exported_group(event)
    if group is not None:
        slide["group"] = group
    display_date = display_date_for(event)
    if display_date:
        slide["display_date"] = display_date
    if event.notes:  # (TimelineJS shows nothing it does not know: ours to read back)
        slide["notes"] = event.notes
    if event.images:  # the first: a slide has one media
        image = event.images[0]
        url = media.url_for(image) if media is not None else (None if image.stored else image.url)
        if url is not None:
            slide["media"] = media_from_image(image, url)
    for key, value in event.extra.items():
        if key not in _BOOKKEEPING:
            slide.setdefault(key, value)
    return slide


def _write_era(era: Era) -> dict[str, Any]:
    slide: dict[str, Any] = {
        "start_date": _write_date(era.start, era.extra.get("start_date")),
        "end_date": _write_date(era.end, era.extra.get("end_date")),
    }
    text = _text_object(era.title, "", era.extra.get("text"))
    slide["text"] = text
    for key, value in era.extra.items():
        if key not in ("start_date", "end_date", "text"):
            slide.setdefault(key, value)
    return slide


def _write_title(timeline: Timeline) -> dict[str, Any]:
    slide: dict[str, Any] = {}
    text = _text_object(timeline.title or None, timeline.description, timeline.extra.get("text"))
    if text:
        slide["text"] = text
    for key, value in timeline.extra.items():
        if key not in (*_TOP_LEVEL, "text"):
            slide.setdefault(key, value)
    return slide


def write_timelinejs(timeline: Timeline) -> str:
    """Export a timeline as pretty TimelineJS JSON (UTF-8 text, not ASCII-escaped)."""
    out = io.StringIO()
    write_timelinejs_to(timeline, timeline.events, out)
    return out.getvalue()


def _member(key: str, value: Any, depth: int = 1) -> str:
    """One ``"key": value`` of an object, as ``json.dumps(indent=2)`` nests it."""
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    pad = "  " * depth
    return f"{pad}{json.dumps(key, ensure_ascii=False)}: " + text.replace("\n", "\n" + pad)


def write_timelinejs_to(
    header: Timeline, events: Iterable[Event], out: TextIO, media: MediaFolder | None = None
) -> None:
    """Write TimelineJS JSON event by event, as :func:`write_timelinejs` would whole.

    ``header`` gives the title, eras and extra (its events are not read); memory
    stays that of one event however many there are.  An event's first image is its
    slide's ``media``: a link's URL, or a stored image written by ``media`` (into
    ``media/`` beside the output); without ``media`` stored images are left out.
    """
    out.write("{\n")
    title = _write_title(header)
    if title:
        out.write(_member("title", title) + ",\n")
    out.write('  "events": [')
    first = True
    for event in events:
        text = json.dumps(_write_event(event, media), indent=2, ensure_ascii=False, default=str)
        out.write(("\n    " if first else ",\n    ") + text.replace("\n", "\n    "))
        first = False
    out.write("]" if first else "\n  ]")
    rest: list[tuple[str, Any]] = []
    if header.eras:
        rest.append(("eras", [_write_era(era) for era in header.eras]))
    if "scale" in header.extra:
        rest.append(("scale", header.extra["scale"]))
    others = header.extra.get("top_level")
    if isinstance(others, dict):  # after what the document has already, as setdefault
        taken = {"events", *(k for k, _v in rest), *(["title"] if title else [])}
        rest.extend((k, v) for k, v in others.items() if k not in taken)
    for key, value in rest:
        out.write(",\n" + _member(key, value))
    out.write("\n}\n")
