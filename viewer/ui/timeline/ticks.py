"""Calendar-aware tick marks for the time axis, from milliseconds to billions of years.

Pure Python (no Qt) so it can be unit-tested without a window.  Positions are seconds
since 1970-01-01 on the proleptic Gregorian calendar (see :mod:`viewer.model.dates`).

:func:`calendar_ticks` picks the finest *step* (1 s, 15 min, 6 h, 5 days, 3 months,
50 years, 10 million years, ...) whose ticks are at least ``min_spacing_px`` apart and
whose labels do not overlap, lays ticks on exact calendar boundaries for that step and
returns two levels, like :meth:`pyqtgraph.AxisItem.tickValues`: *major* ticks on
boundaries of the next coarser unit (midnight for hour ticks, the 1st for day ticks, 1
January for month ticks) and *minor* ticks for the rest.

Label formats, per step:

==============  ==================  =================  ===========================
step            minor               major              first tick (context)
==============  ==================  =================  ===========================
milliseconds    ``.250``            ``14:35:21``       ``13 Sep 2023 14:35:20.250``
seconds         ``14:35:20``        ``14:36``          ``13 Sep 2023 14:35:20``
minutes         ``14:35``           ``15:00``          ``13 Sep 2023 14:35``
hours           ``14:00``           ``13 Sep``         ``13 Sep 2023 14:00``
days            ``13 Sep``          ``Sep 2023``       ``13 Sep 2023``
months          ``Sep``             ``2023``           ``Sep 2023``
years           ``2023``, ``AD 79``, ``44 BC``, ``12,000 BC``, ``65M years ago``,
                ``13.8B years ago``
==============  ==================  =================  ===========================

Below the year, the first tick whose label fits carries the full date (year, and day for
times of day) so the reader always knows where they are; labels of neighbouring ticks it
would overlap are left blank.  A midnight tick among time ticks shows the date
("13 Sep"; "1 Jan 2024" at a new year).

Years are counted the way people count them: there is no year zero, so tick steps run
on BC numbers before the era and AD numbers after it ("1000 BC", "500 BC", "AD 1",
"AD 500", "AD 1000"), with a tick at the start of AD 1 for steps of ten years or more.
With a one-year step, astronomical year 0 is labelled "1 BC".
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from viewer.model.dates import (
    CALENDAR_YEAR_LIMIT,
    MONTH_ABBREVIATIONS,
    SECONDS_PER_DAY,
    SECONDS_PER_YEAR,
    PartialDate,
    Precision,
    civil_from_days,
    civil_from_position,
    days_from_civil,
    days_in_month,
    format_year,
    year_from_position,
    year_start,
)

__all__ = ["TickLevel", "calendar_ticks", "estimate_text_width", "format_position"]

#: Clear space (px) kept between neighbouring labels.
LABEL_GAP_PX = 10.0
#: Width of one character when no font metrics are given (a typical 9-10 pt UI font).
_CHAR_WIDTH_PX = 7.0
#: Year steps from this size on put a tick at the start of AD 1 ("500 BC", "AD 1", "AD 500").
_ERA_TICK_MIN_STEP = 10
#: Give up escalating the step after this many attempts (keeps a call bounded).
_MAX_ATTEMPTS = 16

#: Positions beyond this magnitude are years only (months and days need a calendar year
#: within ±CALENDAR_YEAR_LIMIT, as :class:`PartialDate` demands).
_CALENDAR_POS_LIMIT = min(
    abs(year_start(CALENDAR_YEAR_LIMIT)), abs(year_start(-CALENDAR_YEAR_LIMIT))
)


@dataclass(frozen=True, slots=True)
class TickLevel:
    """One level of ticks: its nominal spacing and the ``(position, label)`` pairs.

    ``spacing`` is the nominal distance between ticks in seconds (calendar steps are
    uneven: a month is 28-31 days); ``name`` says it for people ("3 months"). A label
    may be empty: the tick is drawn without text because a wider label needs the room.
    """

    spacing: float
    name: str
    ticks: tuple[tuple[float, str], ...]

    @property
    def positions(self) -> list[float]:
        return [pos for pos, _ in self.ticks]

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.ticks]


class _Unit(Enum):
    MILLISECOND = "millisecond"
    SECOND = "second"
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


_UNIT_SECONDS = {
    _Unit.MILLISECOND: 0.001,
    _Unit.SECOND: 1.0,
    _Unit.MINUTE: 60.0,
    _Unit.HOUR: 3600.0,
    _Unit.DAY: float(SECONDS_PER_DAY),
    _Unit.MONTH: SECONDS_PER_YEAR / 12,
    _Unit.YEAR: SECONDS_PER_YEAR,
}

#: The unit whose boundaries are the major ticks for a step of this unit.
_MAJOR_UNIT = {
    _Unit.MILLISECOND: _Unit.SECOND,
    _Unit.SECOND: _Unit.MINUTE,
    _Unit.MINUTE: _Unit.HOUR,
    _Unit.HOUR: _Unit.DAY,
    _Unit.DAY: _Unit.MONTH,
    _Unit.MONTH: _Unit.YEAR,
}

#: Seconds in each step of a unit that divides a day evenly (so ticks are multiples of it).
_CLOCK_SECONDS = {_Unit.SECOND: 1, _Unit.MINUTE: 60, _Unit.HOUR: 3600}


@dataclass(frozen=True, slots=True)
class _Step:
    unit: _Unit
    size: int
    #: Smallest distance between two consecutive ticks of this step, in seconds.
    min_gap: float

    @property
    def name(self) -> str:
        if self.unit is _Unit.YEAR:
            return f"{_compact_number(self.size)} years" if self.size > 1 else "1 year"
        plural = "" if self.size == 1 else "s"
        return f"{self.size} {self.unit.value}{plural}"

    @property
    def nominal(self) -> float:
        return self.size * _UNIT_SECONDS[self.unit]


def _day_gap(size: int) -> int:
    """Shortest gap (days) allowed before the next month's 1st for a day step."""
    return math.ceil(0.8 * size)


def _build_steps() -> list[_Step]:
    steps: list[_Step] = []
    for ms in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        steps.append(_Step(_Unit.MILLISECOND, ms, ms / 1000))
    for unit, sizes in (
        (_Unit.SECOND, (1, 2, 5, 10, 15, 30)),
        (_Unit.MINUTE, (1, 2, 5, 10, 15, 30)),
        (_Unit.HOUR, (1, 2, 3, 6, 12)),
    ):
        for size in sizes:
            steps.append(_Step(unit, size, float(size * _CLOCK_SECONDS[unit])))
    for size in (1, 2, 5, 10, 15):
        steps.append(_Step(_Unit.DAY, size, float(_day_gap(size) * SECONDS_PER_DAY)))
    # Shortest runs of 1, 3 and 6 months starting in January, April, July or October.
    for size, days in ((1, 28), (3, 90), (6, 181)):
        steps.append(_Step(_Unit.MONTH, size, float(days * SECONDS_PER_DAY)))
    for exponent in range(13):
        base = 10**exponent
        # 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, ... (2.5 only once it is whole)
        year_sizes = (base, 2 * base, 5 * base // 2, 5 * base) if exponent else (1, 2, 5)
        for years in year_sizes:
            # From ten years up the start of AD 1 gets a tick too, s - 1 years before AD s.
            shortest = years - 1 if years >= _ERA_TICK_MIN_STEP else years
            steps.append(_Step(_Unit.YEAR, years, float(shortest * 365 * SECONDS_PER_DAY)))
    return steps


_STEPS = _build_steps()
_STEP_GAPS = [step.min_gap for step in _STEPS]
_YEAR_SIZES = [step.size for step in _STEPS if step.unit is _Unit.YEAR]


# -- labels ----------------------------------------------------------------------------


def _compact_number(value: int) -> str:
    if value >= 1_000_000_000 and value % 1_000_000_000 == 0:
        return f"{value // 1_000_000_000}B"
    if value >= 1_000_000 and value % 1_000_000 == 0:
        return f"{value // 1_000_000}M"
    return f"{value:,}"


def _scaled(value: int, unit: int, step: int) -> str | None:
    """``value / unit`` with as many decimals as ``step`` needs, or None if > 3 needed."""
    decimals = 0
    while decimals <= 3 and step * 10**decimals % unit:
        decimals += 1
    if decimals > 3:
        return None
    whole, frac = divmod(value, unit)
    if decimals == 0:
        return str(whole)
    digits = str(frac).zfill(len(str(unit)) - 1)[:decimals].rstrip("0")
    return f"{whole}.{digits}" if digits else str(whole)


def _year_label(n: int, step: int = 1) -> str:
    """Label of era-year ``n`` (negative: BC, positive: AD, 0: the start of AD 1)."""
    if n <= 0:
        if n == 0:
            return "AD 1"
        bc = -n
        for unit, suffix in ((1_000_000_000, "B"), (1_000_000, "M")):
            if bc >= unit:
                text = _scaled(bc, unit, step)
                if text is not None:
                    return f"{text}{suffix} years ago"
                break
        return f"{bc:,} BC" if bc >= 10_000 else f"{bc} BC"
    for unit, suffix in ((1_000_000_000, "B"), (1_000_000, "M")):
        if n >= unit:
            text = _scaled(n, unit, step)
            if text is not None:
                return f"AD {text}{suffix}"
            break
    if n >= 10_000:
        return f"{n:,}"
    return str(n) if n >= 1000 else f"AD {n}"


def _era_year(year: int) -> int:
    """Astronomical year → counted year: 1 BC is -1, AD 1 is 1 (there is no 0)."""
    return year if year >= 1 else year - 1


def _astronomical(n: int) -> int:
    return n if n >= 1 else n + 1


def _short_year(year: int) -> str:
    return _year_label(_era_year(year))


def _day_month(day: int, month: int) -> str:
    return f"{day} {MONTH_ABBREVIATIONS[month - 1]}"


def _date_text(days: int, *, with_year: bool) -> str:
    year, month, day = civil_from_days(days)
    text = _day_month(day, month)
    return f"{text} {_short_year(year)}" if with_year else text


def _clock(seconds_of_day: int, *, with_seconds: bool) -> str:
    hour, rest = divmod(seconds_of_day, 3600)
    minute, second = divmod(rest, 60)
    if with_seconds:
        return f"{hour:02d}:{minute:02d}:{second:02d}"
    return f"{hour:02d}:{minute:02d}"


def _midnight_label(days: int) -> str:
    """Date shown on a midnight tick among time ticks; the year only at a new year."""
    _, month, day = civil_from_days(days)
    return _date_text(days, with_year=month == 1 and day == 1)


def _fraction(ms: int, step_ms: int) -> str:
    digits = 3
    while digits > 1 and step_ms % 10 ** (4 - digits) == 0:
        digits -= 1
    return "." + f"{ms:03d}"[:digits]


# -- tick generation -------------------------------------------------------------------

#: A generated tick: position, whether it is major, and its integer "stamp": era year
#: (years), month index year*12+month-1 (months), days since 1970 (days), seconds
#: (seconds, minutes, hours) or milliseconds (milliseconds) since 1970.
_Tick = tuple[float, bool, int]


def _year_ticks(step: _Step, vmin: float, vmax: float) -> list[_Tick]:
    size = step.size
    index = _YEAR_SIZES.index(size)
    major = next((s for s in _YEAR_SIZES[index:] if s >= 4 * size and s % size == 0), size)
    # year_from_position is approximate in deep time: widen by a year and filter.
    n_lo = _era_year(year_from_position(vmin)) - 1
    n_hi = _era_year(year_from_position(vmax)) + 1
    ticks: list[_Tick] = []
    for k in range(-(-n_lo // size), n_hi // size + 1):
        n = k * size
        if n == 0 and size < _ERA_TICK_MIN_STEP:
            continue  # there is no year zero; coarser steps mark the start of AD 1
        pos = year_start(_astronomical(n))
        if vmin <= pos <= vmax:
            ticks.append((pos, n % major == 0, n))
    return ticks


def _month_ticks(step: _Step, vmin: float, vmax: float) -> list[_Tick]:
    y0, m0, *_ = civil_from_position(vmin)
    y1, m1, *_ = civil_from_position(vmax)
    ticks: list[_Tick] = []
    first = y0 * 12 + m0 - 1
    first += -first % step.size
    for index in range(first, y1 * 12 + m1, step.size):
        year, month0 = divmod(index, 12)
        pos = float(days_from_civil(year, month0 + 1, 1) * SECONDS_PER_DAY)
        if vmin <= pos <= vmax:
            ticks.append((pos, month0 == 0, index))
    return ticks


def _day_ticks(step: _Step, vmin: float, vmax: float) -> list[_Tick]:
    y0, m0, *_ = civil_from_position(vmin)
    y1, m1, *_ = civil_from_position(vmax)
    gap = _day_gap(step.size)
    ticks: list[_Tick] = []
    for index in range(y0 * 12 + m0 - 1, y1 * 12 + m1):
        year, month0 = divmod(index, 12)
        last = days_in_month(year, month0 + 1)
        start = days_from_civil(year, month0 + 1, 1)
        for day in range(1, last + 1, step.size):
            if day > 1 and last - day + 1 < gap:
                break
            days = start + day - 1
            pos = float(days * SECONDS_PER_DAY)
            if pos > vmax:
                break
            if pos >= vmin:
                ticks.append((pos, day == 1, days))
    return ticks


def _clock_ticks(step: _Step, vmin: float, vmax: float) -> list[_Tick]:
    seconds = step.size * _CLOCK_SECONDS[step.unit]
    major = _CLOCK_SECONDS.get(_MAJOR_UNIT[step.unit], SECONDS_PER_DAY)
    ticks: list[_Tick] = []
    for k in range(math.ceil(vmin / seconds), math.floor(vmax / seconds) + 1):
        stamp = k * seconds
        if vmin <= stamp <= vmax:  # the division above may round
            ticks.append((float(stamp), stamp % major == 0, stamp))
    return ticks


def _millisecond_ticks(step: _Step, vmin: float, vmax: float) -> list[_Tick]:
    ticks: list[_Tick] = []
    for k in range(math.ceil(vmin * 1000 / step.size), math.floor(vmax * 1000 / step.size) + 1):
        stamp = k * step.size
        pos = stamp / 1000
        if vmin <= pos <= vmax:
            ticks.append((pos, stamp % 1000 == 0, stamp))
    return ticks


def _generate(step: _Step, vmin: float, vmax: float) -> list[_Tick]:
    if step.unit is _Unit.YEAR:
        return _year_ticks(step, vmin, vmax)
    if step.unit is _Unit.MONTH:
        return _month_ticks(step, vmin, vmax)
    if step.unit is _Unit.DAY:
        return _day_ticks(step, vmin, vmax)
    if step.unit is _Unit.MILLISECOND:
        return _millisecond_ticks(step, vmin, vmax)
    return _clock_ticks(step, vmin, vmax)


def _label(step: _Step, stamp: int, major: bool) -> str:
    unit = step.unit
    if unit is _Unit.YEAR:
        return _year_label(stamp, step.size)
    if unit is _Unit.MONTH:
        year, month0 = divmod(stamp, 12)
        return _short_year(year) if month0 == 0 else MONTH_ABBREVIATIONS[month0]
    if unit is _Unit.DAY:
        year, month, day = civil_from_days(stamp)
        if day == 1:
            return f"{MONTH_ABBREVIATIONS[month - 1]} {_short_year(year)}"
        return _day_month(day, month)
    if unit is _Unit.MILLISECOND:
        seconds, ms = divmod(stamp, 1000)
        if ms:
            return _fraction(ms, step.size)
        stamp = seconds
    days, rest = divmod(stamp, SECONDS_PER_DAY)
    if rest == 0:
        return _midnight_label(days)
    if unit is _Unit.SECOND and major:
        return _clock(rest, with_seconds=False)
    return _clock(rest, with_seconds=unit in (_Unit.SECOND, _Unit.MILLISECOND))


def _context_label(step: _Step, stamp: int) -> str | None:
    """The full label for the first tick, or None when the plain label is complete."""
    unit = step.unit
    if unit is _Unit.YEAR:
        return None
    if unit is _Unit.MONTH:
        year, month0 = divmod(stamp, 12)
        if month0 == 0:
            return None
        return f"{MONTH_ABBREVIATIONS[month0]} {_short_year(year)}"
    if unit is _Unit.DAY:
        return _date_text(stamp, with_year=True)
    fraction = ""
    if unit is _Unit.MILLISECOND:
        stamp, ms = divmod(stamp, 1000)
        fraction = f".{ms:03d}"[: len(_fraction(1, step.size))] if ms else ""
    days, rest = divmod(stamp, SECONDS_PER_DAY)
    date = _date_text(days, with_year=True)
    if rest == 0 and not fraction:
        return date
    with_seconds = unit in (_Unit.SECOND, _Unit.MILLISECOND)
    return f"{date} {_clock(rest, with_seconds=with_seconds)}{fraction}"


# -- public API ------------------------------------------------------------------------


def estimate_text_width(text: str) -> float:
    """Rough width in pixels of a label, for callers without font metrics."""
    return len(text) * _CHAR_WIDTH_PX


def _allowed(step: _Step, magnitude: float) -> bool:
    if step.unit is _Unit.YEAR:
        return True
    if magnitude > _CALENDAR_POS_LIMIT:
        return False
    # Sub-second ticks need the float resolution of the axis position to spare.
    return step.min_gap >= 64 * math.ulp(magnitude)


def _fits(xs: list[float], widths: list[float], gap: float) -> bool:
    for i in range(len(xs) - 1):
        if xs[i + 1] - xs[i] < (widths[i] + widths[i + 1]) / 2 + gap:
            return False
    return True


def calendar_ticks(
    vmin: float,
    vmax: float,
    pixels: float,
    *,
    min_spacing_px: float = 60.0,
    text_width: Callable[[str], float] | None = None,
    label_gap_px: float = LABEL_GAP_PX,
) -> list[TickLevel]:
    """Ticks for the visible span ``[vmin, vmax]`` drawn across ``pixels`` pixels.

    Returns ``[major, minor]`` (either may be empty), or ``[]`` for an empty or invalid
    span.  Every tick lies on an exact calendar boundary inside ``[vmin, vmax]``; ticks
    are at least ``min_spacing_px`` apart, so there are at most
    ``pixels / min_spacing_px + 1`` of them.  ``text_width`` measures a label in pixels
    (defaults to :func:`estimate_text_width`); the step grows until neighbouring labels
    keep ``label_gap_px`` of clear space between them.  Labels that would stick out of
    ``[0, pixels]`` are left empty.
    """
    if not (math.isfinite(vmin) and math.isfinite(vmax) and math.isfinite(pixels)):
        return []
    if vmax <= vmin or pixels <= 0:
        return []
    measure = text_width or estimate_text_width
    min_spacing_px = max(float(min_spacing_px), 1.0)
    px_per_second = pixels / (vmax - vmin)
    magnitude = max(abs(vmin), abs(vmax))
    need = min_spacing_px / px_per_second
    index = min(bisect_left(_STEP_GAPS, need), len(_STEPS) - 1)

    step = _STEPS[index]
    ticks: list[_Tick] = []
    labels: list[str] = []
    xs: list[float] = []
    widths: list[float] = []
    attempts = 0
    for step in _STEPS[index:]:
        if not _allowed(step, magnitude):
            continue
        ticks = _generate(step, vmin, vmax)
        labels = [_label(step, stamp, major) for _, major, stamp in ticks]
        xs = [(pos - vmin) * px_per_second for pos, _, _ in ticks]
        widths = [measure(label) for label in labels]
        attempts += 1
        if attempts >= _MAX_ATTEMPTS or _fits(xs, widths, label_gap_px):
            break

    # A label sticking out of the axis would be dropped or clipped: leave it out here.
    for i, x in enumerate(xs):
        if x - widths[i] / 2 < 0 or x + widths[i] / 2 > pixels:
            labels[i] = ""
            widths[i] = 0.0
    _place_context(step, ticks, labels, xs, widths, pixels, measure, label_gap_px)

    major_ticks = tuple(
        (pos, label) for (pos, major, _), label in zip(ticks, labels, strict=True) if major
    )
    minor_ticks = tuple(
        (pos, label) for (pos, major, _), label in zip(ticks, labels, strict=True) if not major
    )
    if step.unit is _Unit.YEAR:
        major_size = next(
            (s for s in _YEAR_SIZES if s >= 4 * step.size and s % step.size == 0), step.size
        )
        major_level = TickLevel(
            major_size * SECONDS_PER_YEAR, _Step(_Unit.YEAR, major_size, 0.0).name, major_ticks
        )
    else:
        major_unit = _MAJOR_UNIT[step.unit]
        major_level = TickLevel(_UNIT_SECONDS[major_unit], f"1 {major_unit.value}", major_ticks)
    return [major_level, TickLevel(step.nominal, step.name, minor_ticks)]


def _place_context(
    step: _Step,
    ticks: list[_Tick],
    labels: list[str],
    xs: list[float],
    widths: list[float],
    pixels: float,
    measure: Callable[[str], float],
    gap: float,
) -> None:
    """Give the first tick whose full label fits that label; blank labels it would hit.

    A tick whose full label would hide a major label ("1 Jan 2024") is passed over for
    a later one, often that major tick itself; only when every candidate would hide
    one does the first candidate win anyway.
    """
    if step.unit is _Unit.YEAR:
        return
    candidates: list[tuple[int, str, float, list[int]]] = []
    for i, (_, _, stamp) in enumerate(ticks):
        text = _context_label(step, stamp) or labels[i]
        width = measure(text)
        if xs[i] - width / 2 < 0:
            continue
        if xs[i] + width / 2 > pixels:
            break
        left, right = xs[i] - width / 2 - gap, xs[i] + width / 2 + gap
        hidden = [
            j
            for j in range(len(ticks))
            if j != i
            and labels[j]
            and xs[j] + widths[j] / 2 > left
            and xs[j] - widths[j] / 2 < right
        ]
        candidates.append((i, text, width, hidden))
        if not any(ticks[j][1] for j in hidden):
            break
    if not candidates:
        return
    i, text, width, hidden = next(
        (c for c in candidates if not any(ticks[j][1] for j in c[3])), candidates[0]
    )
    labels[i] = text
    widths[i] = width
    for j in hidden:
        labels[j] = ""
        widths[j] = 0.0


def format_position(pos: float, span: float) -> str:
    """A readable date or time for a cursor at ``pos`` when ``span`` seconds are visible.

    The precision follows the span (assuming roughly a thousand pixels across):
    "65.5 million years ago", "1066", "September 2023", "13 September 2023",
    "13 September 2023 14:35", "13 September 2023 14:35:20", "… 14:35:20.250".
    """
    if not math.isfinite(pos):
        return ""
    span = abs(span) if math.isfinite(span) else math.inf
    resolution = span / 1000
    if abs(pos) > _CALENDAR_POS_LIMIT or resolution >= 30 * SECONDS_PER_DAY:
        year = year_from_position(pos)
        if year <= -1_000_000 and resolution < 1000 * SECONDS_PER_YEAR:
            return f"{1 - year:,} BC"
        return format_year(year)
    if resolution >= SECONDS_PER_DAY:
        return PartialDate.from_position(pos, Precision.MONTH).format()
    if resolution >= 3600:
        return PartialDate.from_position(pos, Precision.DAY).format()
    if resolution >= 1:
        return PartialDate.from_position(pos, Precision.MINUTE).format()
    text = PartialDate.from_position(pos, Precision.SECOND).format()
    if span < 10:
        ms = int((pos - math.floor(pos)) * 1000)
        text += f".{ms:03d}"
    return text
