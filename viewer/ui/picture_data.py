"""What a picture of the timeline shows, read from the store (no drawing here).

:func:`render_data` chooses the events (those passing the filters, in the picture's
span), their colours and legend, the title, subtitle and source, and the eras; the
page (:mod:`viewer.ui.export`) lays them out and draws them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtGui import QColor

from viewer.model.dates import (
    CALENDAR_YEAR_LIMIT,
    SECONDS_PER_DAY,
    SECONDS_PER_YEAR,
    PartialDate,
    Precision,
    format_range,
    year_start,
)
from viewer.model.filters import Filters
from viewer.model.time_scale import LINEAR, TimeScale
from viewer.store.columns import EventArrays
from viewer.store.filtering import FilterState
from viewer.ui.richtext import one_line
from viewer.ui.timeline.groups import GROUP_MODES, Grouper, GroupSettings
from viewer.ui.timeline.layout import LaneLayouts
from viewer.ui.timeline.marks import category_colors

if TYPE_CHECKING:
    from viewer.store import EventStore

__all__ = [
    "OTHER_NAME",
    "LegendEntry",
    "RenderData",
    "file_grouper",
    "file_time_scale",
    "render_data",
]

#: The legend's name for events without a category.
OTHER_NAME = "Other"
#: Margin (fraction of the span) on each side of the whole timeline.
SPAN_MARGIN = 0.035


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """A category in the legend: its name, colour (``#rrggbb``) and events drawn."""

    name: str
    color: str
    count: int


@dataclass(slots=True)
class RenderData:
    """Everything a picture shows (no drawing here).

    ``arrays`` are the events passing the filters (numpy columns sorted by ``begin``,
    their texts fetched on use), laid out as a whole; the picture shows the ``shown``
    of them that overlap its span ``x0``–``x1`` (axis seconds,
    :mod:`viewer.model.dates`).  ``colors`` are the mark colours by category key and
    ``uncategorised`` the colour of events without one
    (:func:`~viewer.ui.timeline.marks.category_colors`); ``total`` is how many events
    passed the filters.  ``eras`` are ``(title, begin, finish)``.  ``time_scale`` maps
    time to the picture's x, as the window's does (linear, or logarithmic for deep
    time); everything here stays in seconds, the page maps it.
    """

    title: str
    subtitle: str
    source: str
    x0: float
    x1: float
    arrays: EventArrays
    shown: int = 0
    colors: list[QColor | None] = field(default_factory=list)
    uncategorised: str = ""
    legend: list[LegendEntry] = field(default_factory=list)
    total: int = 0
    eras: list[tuple[str, float, float]] = field(default_factory=list)
    #: the window's layout key and width, for a picture of what it shows
    layout_key: float | None = None
    view_width: float | None = None
    #: False for a timeline without events and no span asked for: no axis to draw.
    has_span: bool = True
    #: puts the events in swimlanes, as the window does (``None``: no bands)
    grouper: Grouper | None = None
    time_scale: TimeScale = LINEAR

    def axis_range(self) -> tuple[float, float]:
        """The span ``x0``–``x1`` on the axis of :attr:`time_scale`."""
        return self.time_scale.to_axis(self.x0), self.time_scale.to_axis(self.x1)

    def __len__(self) -> int:
        return self.shown


def _count_text(n: int) -> str:
    return f"{n:,} event{'s' * (n != 1)}"


def span_text(x0: float, x1: float, finest: Precision = Precision.SECOND) -> str:
    """A span for people, to a precision that suits its length and is no finer than
    ``finest`` (the events' own: a span of years-only events names no month)."""
    last = max(x0, x1 - 1.0)
    length = x1 - x0
    if (
        max(abs(x0), abs(x1)) > abs(year_start(CALENDAR_YEAR_LIMIT))
        or length > 60 * SECONDS_PER_YEAR
    ):
        precision = Precision.YEAR
    elif length > 90 * SECONDS_PER_DAY:
        precision = Precision.MONTH
    elif length > 2 * SECONDS_PER_DAY:
        precision = Precision.DAY
    else:
        precision = Precision.MINUTE
    precision = min(precision, finest)
    a = PartialDate.from_position(x0, precision)
    b = PartialDate.from_position(last, precision)
    return format_range(a, b)


def render_data(
    store: EventStore,
    *,
    date_from: PartialDate | None = None,
    date_to: PartialDate | None = None,
    x_range: tuple[float, float] | None = None,
    filters: Filters | None = None,
    arrays: EventArrays | None = None,
    layout_key: float | None = None,
    view_width: float | None = None,
    grouper: Grouper | None = None,
    time_scale: TimeScale = LINEAR,
) -> RenderData:
    """What to draw: the events passing ``filters`` in the picture's span.

    The span is ``x_range`` (the visible range of a view, axis seconds) when given,
    else ``date_from``–``date_to`` (either may be open: that side follows the events),
    else the whole timeline with a small margin.  Events overlapping the span are drawn.
    ``arrays`` are every event of the store, as the window's data pipeline holds them
    (default: read from the store).

    The events are laid out in lanes as the window lays them out: for a view's range,
    all those passing the filters (the picture shows those in the range); for dates
    asked for, those in them (as the window's date filter shows them).  A picture of
    the window's timeline passes its layout's key (``layout_key``, see
    :attr:`~viewer.ui.timeline.item.EventsItem.layout_key`) and its width in pixels
    (``view_width``): the picture then has the window's lanes, its sizes in proportion.
    ``grouper`` draws them in swimlanes (the window's, or :func:`file_grouper`), and
    ``time_scale`` on the window's axis (its margins are a fraction of that axis).
    """
    base = filters or Filters()
    date_from = date_from if date_from is not None else base.date_from
    date_to = date_to if date_to is not None else base.date_to
    if date_from is not None and date_to is not None and date_to.finish() <= date_from.begin():
        raise ValueError(f"the end ({date_to.format()}) is before the start ({date_from.format()})")
    everything = arrays if arrays is not None else store.load_arrays()
    rest = replace(base, date_from=None, date_to=None)  # the span is the picture's own
    if not rest.is_empty:
        state = FilterState(store)
        state.update(rest)
        everything = everything.where(state.mask(everything, rest))
    meta = store.meta()
    begin, finish = everything.begin, everything.finish
    total = len(everything)

    restricted = x_range is not None or date_from is not None or date_to is not None
    if x_range is not None:
        x0, x1 = float(min(x_range)), float(max(x_range))
        if not (math.isfinite(x0) and math.isfinite(x1)) or x1 <= x0:
            raise ValueError(f"not a time range: {x_range!r}")
    else:
        lo = date_from.begin() if date_from is not None else None
        hi = date_to.finish() if date_to is not None else None
        inside = np.ones(total, dtype=bool)
        if lo is not None:
            inside &= finish > lo
        if hi is not None:
            inside &= begin < hi
        if np.any(inside):
            e0, e1 = float(begin[inside].min()), float(finish[inside].max())
        else:
            e0 = lo if lo is not None else (hi - SECONDS_PER_YEAR if hi is not None else 0.0)
            e1 = hi if hi is not None else e0 + SECONDS_PER_YEAR
            e0 = min(e0, e1 - 1.0)
        # (on a logarithmic axis, the margin is a share of the axis, not of the time)
        u0, u1 = time_scale.to_axis(e0), time_scale.to_axis(e1)
        margin = (u1 - u0) * SPAN_MARGIN
        x0 = lo if lo is not None else time_scale.from_axis(u0 - margin)
        x1 = hi if hi is not None else time_scale.from_axis(u1 + margin)

    drawn = everything.where((finish > x0) & (begin < x1))
    # A view's range: the events are laid out as the view lays them out, all of them;
    # dates asked for are a filter, as the window's: only the events in them
    laid_out = everything if x_range is not None else drawn
    n = len(drawn)
    # the legend: the categories drawn, in the store's order, then those without one
    categories = store.categories()
    colors, uncategorised = category_colors(categories)
    keys, counts = np.unique(drawn.category, return_counts=True)
    count_of = dict(zip(keys.tolist(), counts.tolist(), strict=True))
    legend = [LegendEntry(c.name, c.color, count_of[c.id]) for c in categories if c.id in count_of]
    named = {c.id for c in categories}
    others = sum(k for key, k in count_of.items() if key not in named)
    if others:
        legend.append(LegendEntry(OTHER_NAME, uncategorised, others))
    if not LaneLayouts.stored_for(len(laid_out)):
        laid_out.titles.many(np.arange(len(laid_out)))  # one fetch for every label
    if date_from is not None and date_to is not None and x_range is None:
        period = format_range(date_from, date_to)
    elif n and not restricted:
        first, last = int(np.argmin(drawn.begin)), int(np.argmax(drawn.finish))
        finest = Precision(min(drawn.start_precision[first], drawn.end_precision[last]))
        period = span_text(float(drawn.begin[first]), float(drawn.finish[last]), finest)
    else:
        period = span_text(x0, x1)
    count = _count_text(n) if not restricted or n == total else f"{n:,} of {_count_text(total)}"
    has_span = restricted or total > 0
    subtitle = f"{period} · {count}" if has_span else ""
    return RenderData(
        title=one_line(meta["title"]) or "Timeline",
        subtitle=subtitle,
        has_span=has_span,
        source=" ".join(meta["source"].split()),
        x0=x0,
        x1=x1,
        arrays=laid_out,
        shown=n,
        colors=colors,
        uncategorised=uncategorised,
        legend=legend,
        total=total,
        eras=store.era_spans(),
        layout_key=layout_key,
        view_width=view_width,
        grouper=grouper,
        time_scale=time_scale,
    )


def file_time_scale(
    store: EventStore, kind: str | None = None, reference: PartialDate | None = None
) -> TimeScale:
    """The time scale of ``store`` as its window shows it (kept in the file), or the
    one named ``kind`` (``"linear"``, ``"log"``) before ``reference`` when given."""
    kept = TimeScale.from_json(store.view_settings().get("time_scale"))
    if kind is None and reference is None:
        return kept
    if kind is None:
        kind = "log"
    return TimeScale.of(kind, reference if reference is not None else kept.reference)


def file_grouper(store: EventStore, mode: str | None = None) -> Grouper | None:
    """The swimlanes of ``store`` as its window shows them: the grouping kept in the
    file (its bands' order, the collapsed ones), by ``mode`` when given (``"none"``,
    ``"category"``, ``"tag"``; default: the mode kept)."""
    settings = GroupSettings.from_json(store.view_settings().get("groups"))
    if mode is not None:
        if mode not in GROUP_MODES:
            raise ValueError(f"no such grouping: {mode!r} (use {', '.join(GROUP_MODES)})")
        settings.mode = mode
    if settings.mode == "none":
        return None
    names = {c.id: c.name for c in store.categories() if c.id is not None}
    pairs: list[tuple[np.ndarray, np.ndarray, list[str]]] = []

    def read_pairs() -> tuple[np.ndarray, np.ndarray, list[str]]:
        if not pairs:
            pairs.append(store.tag_pairs())
        return pairs[0]

    return lambda arrays: settings.group(arrays, names, read_pairs)
