"""Where a dragged event lands: whole units of each date's own precision (no Qt here).

A drag gives a distance in axis seconds; a date only moves by whole units of the
precision its source stated, so "July 2000" moves to "September 2000", never to a
day in August, and keeps its precision.  On a logarithmic time scale the drag is
along the axis, so the session turns it into seconds at the dragged end
(:meth:`DragSession.landing`): an event 10,000 years ago moves by centuries where
one last year moves by days.  The rules:

* **units** (:func:`units_for`): the whole number of units whose move puts the
  date's start nearest to where the pointer took it.  Days, hours, minutes and
  seconds have a fixed length, so it is ``round(delta / unit)``; months and years
  differ in length, so the target is rounded to the nearest calendar boundary.
* **move** (:func:`moved`): the start shifts by ``n`` units of the start's precision.
  An end of the same precision shifts by the same ``n`` units (January–March moved
  by one month is February–April whatever the months' lengths); an end of another
  precision shifts by the start's actual time shift, rounded to whole units of the
  end's own precision.  The end is then kept from landing before the start.
* **resize** (:func:`resized`): only the dragged end changes, by whole units of its
  own precision, and never past the other end (the two may meet: a range may start
  and end in the same period).

:class:`~viewer.model.dates.DateError` propagates when a date would leave the
calendar (a month beyond year 999,999); the caller keeps the last valid position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from viewer.model.dates import (
    SECONDS_PER_DAY,
    SECONDS_PER_YEAR,
    PartialDate,
    Precision,
    year_from_position,
)
from viewer.model.time_scale import LINEAR, TimeScale

__all__ = [
    "RESIZE_PX",
    "DragSession",
    "Edge",
    "drag_zone",
    "moved",
    "not_after",
    "not_before",
    "resized",
    "units_for",
]

#: A press this close (px) to a range's drawn end takes hold of that end.
RESIZE_PX = 5.0

#: What a drag takes hold of: the whole event, or one end of a range.
Edge = Literal["move", "start", "end"]

_UNIT_SECONDS = {
    Precision.DAY: SECONDS_PER_DAY,
    Precision.HOUR: 3600,
    Precision.MINUTE: 60,
    Precision.SECOND: 1,
}
_MEAN_MONTH = SECONDS_PER_YEAR / 12


def units_for(date: PartialDate, delta: float) -> int:
    """Whole units of ``date``'s precision nearest to moving it by ``delta`` seconds."""
    p = date.precision
    if p >= Precision.DAY:
        return round(delta / _UNIT_SECONDS[p])
    target = date.begin() + delta
    if p is Precision.MONTH:
        assert date.month is not None
        # the month containing target + half a month starts nearest to target
        t = PartialDate.from_position(target + _MEAN_MONTH / 2, Precision.MONTH)
        assert t.month is not None
        return (t.year * 12 + t.month) - (date.year * 12 + date.month)
    return year_from_position(target + SECONDS_PER_YEAR / 2) - date.year


def not_before(end: PartialDate, start: PartialDate) -> PartialDate:
    """``end``, or the earliest date of its precision that may end a range from ``start``."""
    if end.begin() >= start.begin():
        return end
    e = PartialDate.from_position(start.begin(), end.precision).qualified(end.qualifier)
    return e if e.begin() >= start.begin() else e.shifted(1)


def not_after(start: PartialDate, end: PartialDate) -> PartialDate:
    """``start``, or the latest date of its precision that may start a range to ``end``."""
    if start.begin() <= end.begin():
        return start
    return PartialDate.from_position(end.begin(), start.precision).qualified(start.qualifier)


def moved(
    start: PartialDate, end: PartialDate | None, delta: float
) -> tuple[PartialDate, PartialDate | None]:
    """The dates of an event dragged by ``delta`` axis seconds (see the module's rules)."""
    n = units_for(start, delta)
    if n == 0:
        return start, end
    new_start = start.shifted(n)
    if end is None:
        return new_start, None
    if end.precision == start.precision:
        new_end = end.shifted(n)
    else:
        new_end = end.shifted(units_for(end, new_start.begin() - start.begin()))
    return new_start, not_before(new_end, new_start)


def resized(
    start: PartialDate, end: PartialDate, edge: Literal["start", "end"], delta: float
) -> tuple[PartialDate, PartialDate]:
    """The dates of a range whose ``edge`` was dragged by ``delta`` axis seconds."""
    if edge == "end":
        return start, not_before(end.shifted(units_for(end, delta)), start)
    return not_after(start.shifted(units_for(start, delta)), end), end


@dataclass
class DragSession:
    """An event being dragged: what was taken hold of, and where it would land.

    ``press`` is where the press was, in the view's coordinates (its axis, lanes);
    ``modifiers`` the keys held then (a drag that hardly moves is a click after all);
    ``scale`` the view's time scale (its x is that scale's axis).
    """

    event_id: int
    index: int  # position in the arrays the drag started on
    edge: Edge
    start: PartialDate
    end: PartialDate | None
    press: tuple[float, float]
    modifiers: object
    active: bool = False  # moved beyond the drag threshold (until then, a click)
    preview: tuple[PartialDate, PartialDate | None] | None = None
    label: str = ""
    scale: TimeScale = LINEAR

    def landing(self, delta: float) -> tuple[PartialDate, PartialDate | None]:
        """The dates after dragging by ``delta`` along the axis (may raise DateError)."""
        if self.edge == "move" or self.end is None:
            seconds = self.scale.seconds_shift(self.start.begin(), delta)
            return moved(self.start, self.end, seconds)
        anchor = self.end.finish() if self.edge == "end" else self.start.begin()
        return resized(self.start, self.end, self.edge, self.scale.seconds_shift(anchor, delta))


def drag_zone(begin_px: float, finish_px: float, x_px: float, outside: float) -> Edge:
    """What a press at ``x_px`` on a range drawn from ``begin_px`` to ``finish_px``
    takes hold of: within :data:`RESIZE_PX` of its start or end (a third of the bar
    when it is short, so its middle still moves it; up to ``outside`` px beyond the
    bar), that end; else the whole event."""
    zone = min(RESIZE_PX, (finish_px - begin_px) / 3.0)
    to_start, to_end = x_px - begin_px, finish_px - x_px
    if -outside <= to_start <= zone and to_start <= to_end:
        return "start"
    if -outside <= to_end <= zone:
        return "end"
    return "move"
