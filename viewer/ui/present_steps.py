"""A presentation's steps: which events, in what order, starting where, framed how.

Pure functions over the columns (no widgets), tested without a window; the
presentation (:mod:`viewer.ui.presentation`) shows the steps they give.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from viewer.model.dates import SECONDS_PER_DAY, SECONDS_PER_YEAR, Precision
from viewer.model.time_scale import LINEAR, TimeScale
from viewer.store.columns import EventArrays

__all__ = [
    "CONTEXT_CAP",
    "MIN_CONTEXT",
    "MIN_CONTEXT_OF_DURATION",
    "NEIGHBOUR_MARGIN",
    "frame_for",
    "presentation_order",
    "presented_indices",
    "start_index",
]

#: Context shown either side of an event is at most this many times the smaller of the
#: gaps to its neighbours, so one far-away neighbour does not shrink the event to a dot.
CONTEXT_CAP = 3.0
#: How far past a neighbour the frame reaches (a fraction of the gap), so that its
#: marker is not on the very edge.
NEIGHBOUR_MARGIN = 0.15
#: The context either side is at least this fraction of the event's own duration.
MIN_CONTEXT_OF_DURATION = 0.2
#: The smallest context either side of an event, by the precision of its start: a day
#: is shown with ten days either side, a year with three years.
MIN_CONTEXT = {
    Precision.YEAR: 3 * SECONDS_PER_YEAR,
    Precision.MONTH: 4 * SECONDS_PER_YEAR / 12,
    Precision.DAY: 10 * SECONDS_PER_DAY,
    Precision.HOUR: 6 * 3600.0,
    Precision.MINUTE: 30 * 60.0,
    Precision.SECOND: 5 * 60.0,
}

# -- what is shown, in which order -------------------------------------------------------


def presentation_order(arrays: EventArrays, selection: Sequence[int]) -> list[int] | None:
    """The ids to present: the selected ones when several of them are shown, else ``None``
    (all shown events)."""
    shown = [int(i) for i in selection if arrays.index_of(int(i)) is not None]
    return shown if len(shown) > 1 else None


def presented_indices(arrays: EventArrays, ids: Sequence[int] | None) -> list[int]:
    """Positions in ``arrays`` of the presented events, chronologically.

    ``ids`` ``None`` means every event; ids not in ``arrays`` (filtered out) are skipped.
    """
    if ids is None:
        return list(range(len(arrays)))
    found = {arrays.index_of(int(i)) for i in ids}
    return sorted(i for i in found if i is not None)


def start_index(arrays: EventArrays, order: Sequence[int] | None, current: int | None) -> int:
    """The step (0-based) showing event ``current``; 0 when it is not presented."""
    if current is None:
        return 0
    position = arrays.index_of(int(current))
    if position is None:
        return 0
    steps = presented_indices(arrays, order)
    k = int(np.searchsorted(steps, position))
    return k if k < len(steps) and steps[k] == position else 0


def _anchors(arrays: EventArrays) -> tuple[np.ndarray, np.ndarray]:
    """Where each event is seen from the left and from the right: a point at its
    marker (the middle of its period), a range at its start and at its end."""
    middle = (arrays.begin + arrays.finish) / 2
    left = np.where(arrays.is_range, arrays.begin, middle)
    right = np.where(arrays.is_range, arrays.finish, middle)
    return left, right


def frame_for(arrays: EventArrays, index: int, scale: TimeScale = LINEAR) -> tuple[float, float]:
    """The time range (seconds) that frames event ``index`` with context either side,
    on the axis of ``scale`` (linear by default).

    The event is centred, with room on both sides to reach its nearest neighbours
    (the nearest event ending before it starts and the nearest starting after it
    ends) and a little beyond, so the audience sees what came before and after.  The
    room is capped at :data:`CONTEXT_CAP` times the smaller gap (one far neighbour
    does not shrink the event to a dot) and is never less than a precision-dependent
    minimum (:data:`MIN_CONTEXT`) nor a fifth of the event's own duration.  All of it
    is measured along the axis: on a logarithmic one, the event is centred as it is
    drawn, and its neighbours are those it is drawn next to.
    """
    to_axis = scale.to_axis
    begin_s, finish_s = float(arrays.begin[index]), float(arrays.finish[index])
    begin, finish = to_axis(begin_s), to_axis(finish_s)
    seen_left, seen_right = (to_axis(side) for side in _anchors(arrays))
    before = seen_right[seen_right < begin]
    after = seen_left[seen_left > finish]
    gaps = []
    if len(before):
        gaps.append(begin - float(before.max()))
    if len(after):
        gaps.append(float(after.min()) - finish)
    context = 0.0
    if gaps:
        context = min(max(gaps) * (1 + NEIGHBOUR_MARGIN), CONTEXT_CAP * min(gaps))
    least = MIN_CONTEXT[Precision(int(arrays.start_precision[index]))]
    if not scale.is_linear:  # that much time either side, as far as it reaches on the axis
        least = max(begin - to_axis(begin_s - least), to_axis(finish_s + least) - finish)
    context = max(context, least, MIN_CONTEXT_OF_DURATION * (finish - begin))
    return scale.from_axis(begin - context), scale.from_axis(finish + context)
