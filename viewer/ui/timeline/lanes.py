"""Lane packing and label placement for the timeline, as pure functions (no Qt).

Text is measured by the caller and passed in as numbers (label widths in pixels), as
thetimelineproj's ``scene.py`` does, so everything here is unit-tested without a
window.

Layout policy
-------------
* **Lanes are packed in pixel space at the current zoom.**  Each event's *extent* is
  its mark (a range's bar, or a point's marker and the band of its period) plus, on the
  right, the width of its label and a small gap.  :func:`pack_lanes` then puts every
  event, in order of its extent's start, into the first lane (lowest index) where it
  fits.  At a comfortable zoom every label fits beside its mark and nothing overlaps.
* **Re-layout only when the horizontal scale changes by more than ~25 %**
  (:func:`needs_relayout`), never on a pure pan: the extents depend on the scale only,
  not on where the view is, so lanes are stable while panning.  The item debounces the
  re-layout while the user zooms and draws the previous lanes meanwhile (a label that
  no longer fits is simply not drawn).  Layouts are made at scales snapped down to a
  grid of powers of :data:`RELAYOUT_RATIO` (:func:`snap_scale`), and the assignment for
  the whole (filtered) set is cached per grid step, so zooming back and forth gives
  back exactly the same lanes.
* **Large sets (more than :data:`PIXEL_LAYOUT_LIMIT` events) are packed in data
  space**: the extent is the event's own period, widened to a minimum of a few pixels
  at the current scale (the size of a marker), and labels are left out so no text has
  to be measured for every event.  Labels are then drawn only where they happen to fit
  (:func:`place_labels`), and the item draws a density aggregate where events are
  denser than pixels.  Packing stays ``O(n log lanes)``.

Within a lane the extents never overlap, so in lane order both the begins and the
finishes of its events are sorted: the item finds a lane's visible events with two
binary searches.
"""

from __future__ import annotations

import heapq
import math

import numpy as np

__all__ = [
    "LABEL_GAP",
    "MARKER_RADIUS",
    "MIN_RANGE_PX",
    "PIXEL_LAYOUT_LIMIT",
    "RELAYOUT_HYSTERESIS",
    "RELAYOUT_RATIO",
    "event_extents",
    "layout_lanes",
    "needs_relayout",
    "pack_lanes",
    "place_labels",
    "snap_scale",
]

#: More events than this are packed in data space, without label widths.
PIXEL_LAYOUT_LIMIT = 5000
#: Re-layout when the scale has changed by more than about this factor.
RELAYOUT_RATIO = 1.25
#: Margin around the re-layout thresholds (see :func:`needs_relayout`).
RELAYOUT_HYSTERESIS = 1.05
#: Half the width of a point's marker, in pixels.
MARKER_RADIUS = 6.0
#: Space between a mark and its label, and after a label, in pixels.
LABEL_GAP = 5.0
#: Narrowest extent a range gets when packing, in pixels.
MIN_RANGE_PX = 3.0


def pack_lanes(begin: np.ndarray, end: np.ndarray, gap: float = 0.0) -> np.ndarray:
    """Greedy interval packing: the lane (``int32``) of each interval ``[begin, end)``.

    Intervals are taken in order of ``begin`` (ties keep their order); each goes into
    the first lane, lowest index first, whose last interval ends at least ``gap``
    before it begins, or into a new lane.  ``begin`` is normally sorted already; if it
    is not, it is sorted here.  A heap of busy lanes (by end) and a heap of free lane
    numbers make it ``O(n log lanes)``; an interval that starts after everything so far
    has ended is placed in lane 0 without entering the loop.
    """
    begin = np.asarray(begin, dtype=np.float64)
    end = np.asarray(end, dtype=np.float64)
    n = len(begin)
    if len(end) != n:
        raise ValueError("begin and end must have the same length")
    lanes = np.zeros(n, dtype=np.int32)
    if n == 0:
        return lanes
    if np.any(begin[1:] < begin[:-1]):
        order = np.argsort(begin, kind="stable")
        lanes[order] = pack_lanes(begin[order], end[order], gap)
        return lanes
    # An interval that begins after every earlier one has ended (plus the gap) starts a
    # fresh cluster in lane 0; only clusters of two or more need the heap.
    reach = np.maximum.accumulate(np.maximum(end, begin))
    fresh = np.ones(n, dtype=bool)
    fresh[1:] = begin[1:] >= reach[:-1] + gap
    starts = np.flatnonzero(fresh)
    stops = np.append(starts[1:], n)
    multi = (stops - starts) > 1
    if not np.any(multi):
        return lanes
    b_list = (begin - gap).tolist()  # compare lane end <= begin - gap
    e_list = end.tolist()
    out = lanes  # int32; filled per cluster
    heappush = heapq.heappush
    heappop = heapq.heappop
    for s, t in zip(starts[multi].tolist(), stops[multi].tolist(), strict=True):
        busy: list[tuple[float, int]] = []  # (end, lane)
        free: list[int] = []
        n_lanes = 0
        result = [0] * (t - s)
        for i in range(s, t):
            b = b_list[i]
            while busy and busy[0][0] <= b:
                heappush(free, heappop(busy)[1])
            if free:
                lane = heappop(free)
            else:
                lane = n_lanes
                n_lanes += 1
            result[i - s] = lane
            heappush(busy, (e_list[i], lane))
        out[s:t] = result
    return out


def event_extents(
    begin: np.ndarray,
    finish: np.ndarray,
    is_range: np.ndarray,
    scale: float,
    label_widths: np.ndarray | None = None,
    *,
    marker_radius: float = MARKER_RADIUS,
    min_range: float = MIN_RANGE_PX,
    label_gap: float = LABEL_GAP,
) -> tuple[np.ndarray, np.ndarray]:
    """Extents ``(lo, hi)`` in pixels (relative to the first begin) at ``scale`` px/s.

    A range covers its bar (at least ``min_range`` wide) and its label, which sits
    inside the bar from its left end.  A point covers the band of its period and a
    marker centred on the period, followed by its label.  Without ``label_widths`` the
    extents are the marks alone (data-space packing).
    """
    begin = np.asarray(begin, dtype=np.float64)
    if len(begin) == 0:
        empty = np.empty(0, dtype=np.float64)
        return empty, empty.copy()
    origin = begin[0]
    b = (begin - origin) * scale
    f = (np.asarray(finish, dtype=np.float64) - origin) * scale
    rng = np.asarray(is_range, dtype=bool)
    centre = (b + f) * 0.5
    lo = np.where(rng, b, np.minimum(b, centre - marker_radius))
    mark_end = np.where(rng, np.maximum(f, b + min_range), np.maximum(f, centre + marker_radius))
    hi = mark_end
    if label_widths is not None:
        w = np.nan_to_num(np.asarray(label_widths, dtype=np.float64), nan=0.0)
        text_start = np.where(rng, b + label_gap, centre + marker_radius + label_gap)
        hi = np.maximum(mark_end, np.where(w > 0, text_start + w, mark_end))
    return lo, hi


def layout_lanes(
    begin: np.ndarray,
    finish: np.ndarray,
    is_range: np.ndarray,
    scale: float,
    label_widths: np.ndarray | None = None,
    *,
    gap: float = 2 * LABEL_GAP,
    data_gap: float = 2.0,
) -> np.ndarray:
    """Lane of every event at ``scale`` px/s, following the module's layout policy.

    ``label_widths`` are used only for sets of at most :data:`PIXEL_LAYOUT_LIMIT`
    events; larger sets are packed by their marks with the smaller ``data_gap``.
    """
    n = len(begin)
    use_labels = label_widths is not None and n <= PIXEL_LAYOUT_LIMIT
    lo, hi = event_extents(begin, finish, is_range, scale, label_widths if use_labels else None)
    return pack_lanes(lo, hi, gap if use_labels else data_gap)


def snap_scale(scale: float) -> float:
    """The layout scale for ``scale``: the power of :data:`RELAYOUT_RATIO` at or below it.

    Rounding down means a fresh layout was made for a view at least as zoomed out as the
    current one, so at the moment of layout every label fits.  The snapped value is the
    cache key of a layout.
    """
    if not (scale > 0 and math.isfinite(scale)):
        raise ValueError(f"scale must be positive, not {scale!r}")
    step = math.log(RELAYOUT_RATIO)
    # the small epsilon keeps an exact grid value on its own step despite rounding
    return math.exp(math.floor(math.log(scale) / step + 1e-9) * step)


def needs_relayout(layout_scale: float | None, scale: float) -> bool:
    """Whether lanes made at ``layout_scale`` (a :func:`snap_scale` value) should be redone.

    True once the view has zoomed out below the layout scale, or in beyond the next grid
    step, each with a margin of :data:`RELAYOUT_HYSTERESIS` so that a view resting on a
    grid line does not flip between two layouts.
    """
    if layout_scale is None:
        return True
    if not (scale > 0 and math.isfinite(scale)):
        return False
    return (
        scale < layout_scale / RELAYOUT_HYSTERESIS
        or scale > layout_scale * RELAYOUT_RATIO * RELAYOUT_HYSTERESIS
    )


def place_labels(
    x: np.ndarray,
    lane: np.ndarray,
    width: np.ndarray,
    limit: np.ndarray,
    *,
    min_x: float = -math.inf,
    gap: float = 2.0,
) -> np.ndarray:
    """Which labels to draw: a boolean mask over the candidates.

    Candidate ``i`` wants the span ``[x[i], x[i] + width[i])`` (pixels) in lane
    ``lane[i]``; ``limit[i]`` is where the next mark in the same lane begins (or the
    right edge of the view), and ``min_x`` the left edge of the view.  A label is drawn
    when it starts at or after ``min_x``, ends ``gap`` before its limit, and does not
    overlap a label already drawn in its lane (taken left to right).  So no two drawn
    labels overlap each other, and none runs into another mark.  A ``nan`` width
    (text not measured) is never drawn.
    """
    x = np.asarray(x, dtype=np.float64)
    width = np.asarray(width, dtype=np.float64)
    limit = np.asarray(limit, dtype=np.float64)
    lane = np.asarray(lane)
    end = x + width
    ok = (x >= min_x) & (end + gap <= limit) & (width > 0)
    cand = np.flatnonzero(ok)
    if len(cand) < 2:
        return ok
    # Candidates in (lane, x) order: a label overlaps only its predecessor in its lane
    # when every predecessor ends before the next starts; fix the rare rest greedily.
    order = cand[np.lexsort((x[cand], lane[cand]))]
    same = lane[order][1:] == lane[order][:-1]
    clash = same & (end[order][:-1] + gap > x[order][1:])
    if not np.any(clash):
        return ok
    mask = np.zeros(len(x), dtype=bool)
    last_lane = None
    last_end = -math.inf
    for i in order.tolist():
        if lane[i] != last_lane:
            last_lane = lane[i]
            last_end = -math.inf
        if x[i] >= last_end + gap:
            mask[i] = True
            last_end = end[i]
    return mask
