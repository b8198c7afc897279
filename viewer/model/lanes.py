"""Lane packing and label placement for the timeline, as pure functions (no Qt).

Two kinds of layout live here.  The *view* layout (below) is made by the timeline
item for the zoom it shows.  The *default* layout (:func:`default_lanes`,
:func:`free_lane`) is the store's: every event's lane at a fixed scale, kept in the
file and placed event by event on every edit, so that a timeline of a million events
opens and stays laid out without packing it again (see the end of this module).

Text is measured by the caller and passed in as numbers (label widths in pixels), as
thetimelineproj's ``scene.py`` does, so everything here is unit-tested without a
window.

Layout policy
-------------
* **Lanes are packed in pixel space at the current zoom.**  Each event's *extent* is
  its mark (a range's bar, or a point's marker and the band of its period) plus its
  label on the side where it will go (:func:`label_sides`):

  - inside a bar that holds the whole label;
  - else *after* the mark, when the label ends before the right end of the whole data
    span (at the current scale);
  - else *before* the mark (right-aligned, ending just left of it), when it starts
    after the data span's left end: so the events in the last label-width of the
    timeline stack with their labels extending leftwards;
  - else, where neither side holds it, a long enough bar holds it from its start
    (running past its end), and anything else takes the side with more room.

  The side depends on the scale and the data only, never on the view, so it does not
  change on a pan.  :func:`pack_lanes` then puts every event, in order of its extent's
  start, into the first lane (lowest index) where it fits, which takes the fewest
  lanes; within each cluster of overlapping extents the lanes are then renumbered so
  that they go top to bottom in the order their first events happened (a staircase
  of labels before their marks reads in time order).  At a comfortable zoom every
  label fits beside its mark and nothing overlaps.
* **Re-layout only when the horizontal scale changes by more than ~25 %**
  (:func:`needs_relayout`), never on a pure pan: the extents depend on the scale only,
  not on where the view is, so lanes are stable while panning.  The item debounces the
  re-layout while the user zooms and draws the previous lanes meanwhile.  Layouts are
  made at scales snapped down to a fine grid of powers of :data:`LAYOUT_GRID`
  (:func:`snap_scale`: at most 1 % below the view's, so hardly any room is wasted), and
  the assignment for the whole (filtered) set is cached per grid step, so zooming back
  and forth gives back exactly the same lanes.
* **Large sets (more than :data:`PIXEL_LAYOUT_LIMIT` events) are packed in data
  space**: the extent is the event's own period, widened to a minimum of a few pixels
  at the current scale (the size of a marker), and labels are left out so no text has
  to be measured for every event.  The item draws a density aggregate where events are
  denser than pixels.  Packing stays ``O(n log lanes)``.
* **At draw time** (:func:`place_labels`) each label takes the side the layout chose
  if the whole label fits there in the view, between the neighbouring marks of its
  lane; else the other side if it fits there (a label cut by the view's right edge
  flips before its mark); else it is elided, as the last resort, on the side with more
  room.  No drawn label leaves the view or overlaps another label or a mark.

Within a lane the extents never overlap, so in lane order both the begins and the
finishes of its events are sorted: the item finds a lane's visible events with two
binary searches.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "AFTER",
    "BEFORE",
    "DATA_GAP",
    "DEFAULT_LAYOUT_WIDTH",
    "INSIDE",
    "LABEL_GAP",
    "LAYOUT_GRID",
    "LONG_BAR_PX",
    "MARKER_RADIUS",
    "MIN_RANGE_PX",
    "PIXEL_LAYOUT_LIMIT",
    "RELAYOUT_HYSTERESIS",
    "RELAYOUT_RATIO",
    "MarkGeometry",
    "Placement",
    "default_lanes",
    "default_scale",
    "event_extents",
    "free_lane",
    "label_sides",
    "label_spans",
    "layout_lanes",
    "mark_bounds",
    "mark_extents",
    "mark_geometry",
    "needs_relayout",
    "pack_lanes",
    "place_labels",
    "snap_scale",
    "within_reach",
]

#: More events than this are packed in data space, without label widths.
PIXEL_LAYOUT_LIMIT = 5000
#: Re-layout when the scale has changed by more than about this factor.
RELAYOUT_RATIO = 1.25
#: Margin around the re-layout thresholds (see :func:`needs_relayout`).
RELAYOUT_HYSTERESIS = 1.05
#: Layouts are made at scales on a grid of powers of this (see :func:`snap_scale`).
LAYOUT_GRID = 1.01
#: Half the width of a point's marker, in pixels.
MARKER_RADIUS = 6.0
#: Space between a mark and its label, and after a label, in pixels.
LABEL_GAP = 5.0
#: Narrowest extent a range gets when packing, in pixels.
MIN_RANGE_PX = 3.0
#: A bar at least this long holds its label from its start when neither side does.
LONG_BAR_PX = 120.0
#: Space (px) between the marks of one lane when packed without labels.
DATA_GAP = 2.0
#: The default layout is made for the whole span shown this many pixels wide.
DEFAULT_LAYOUT_WIDTH = 1600.0

#: Label sides, as the ``int8`` codes of :func:`label_sides`.
AFTER = 0
BEFORE = 1
INSIDE = 2


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


@dataclass(frozen=True, slots=True)
class MarkGeometry:
    """Where events' marks are and where their labels may go (pixel arrays)."""

    is_range: np.ndarray
    lo: np.ndarray  # left end of the mark: bar, or marker and band
    hi: np.ndarray  # right end of the mark
    after: np.ndarray  # where a label after the mark starts
    before: np.ndarray  # where a label before the mark ends
    inside: np.ndarray  # where a label inside a bar starts (points: ``after``)
    bar_room: np.ndarray  # widest label a bar holds whole (points: ``-inf``)


def mark_bounds(
    x0: np.ndarray,
    x1: np.ndarray,
    is_range: np.ndarray,
    *,
    marker_radius: float = MARKER_RADIUS,
    min_range: float = MIN_RANGE_PX,
) -> tuple[np.ndarray, np.ndarray]:
    """``(lo, hi)``: where the marks of :func:`mark_geometry` begin and end, alone."""
    rng = np.asarray(is_range, dtype=bool)
    x0 = np.asarray(x0, dtype=np.float64)
    x1 = np.asarray(x1, dtype=np.float64)
    centre = (x0 + x1) * 0.5
    lo = np.where(rng, x0, np.minimum(x0, centre - marker_radius))
    hi = np.where(rng, np.maximum(x1, x0 + min_range), np.maximum(x1, centre + marker_radius))
    return lo, hi


def mark_geometry(
    x0: np.ndarray,
    x1: np.ndarray,
    is_range: np.ndarray,
    *,
    marker_radius: float = MARKER_RADIUS,
    min_range: float = MIN_RANGE_PX,
    label_gap: float = LABEL_GAP,
) -> MarkGeometry:
    """Marks of events whose periods run from ``x0`` to ``x1`` (pixels).

    A range is a bar (at least ``min_range`` wide); a point is a marker centred on its
    period, over a band of the period.  Labels keep ``label_gap`` from the mark, and a
    label inside a bar keeps it from both ends.
    """
    x0 = np.asarray(x0, dtype=np.float64)
    x1 = np.asarray(x1, dtype=np.float64)
    rng = np.asarray(is_range, dtype=bool)
    centre = (x0 + x1) * 0.5
    bar_end = np.maximum(x1, x0 + min_range)
    lo = np.where(rng, x0, np.minimum(x0, centre - marker_radius))
    hi = np.where(rng, bar_end, np.maximum(x1, centre + marker_radius))
    after = np.where(rng, bar_end, centre + marker_radius) + label_gap
    before = np.where(rng, x0, centre - marker_radius) - label_gap
    inside = np.where(rng, x0 + label_gap, after)
    bar_room = np.where(rng, bar_end - x0 - 2 * label_gap, -np.inf)
    return MarkGeometry(rng, lo, hi, after, before, inside, bar_room)


def label_sides(
    geo: MarkGeometry,
    widths: np.ndarray,
    left_end: float,
    right_end: float,
    *,
    long_bar: float = LONG_BAR_PX,
) -> np.ndarray:
    """Where each label goes (``int8``: :data:`AFTER`, :data:`BEFORE`, :data:`INSIDE`).

    Inside a bar that holds it whole; else after the mark if it ends by ``right_end``;
    else before the mark if it starts at or after ``left_end``; else (neither side
    holds it) from the start of a bar that is long, or whose label then ends by
    ``right_end``; else the side with more room.  ``left_end`` and ``right_end`` are
    the ends of the whole data span, so the side never depends on the view.  An
    unknown (``nan``) or zero width: inside a long bar, else after.
    """
    w = np.asarray(widths, dtype=np.float64)
    rng = geo.is_range
    known = np.isfinite(w) & (w > 0)
    long = rng & (geo.hi - geo.lo >= long_bar)
    conditions = [
        ~known & long,
        ~known,
        rng & (w <= geo.bar_room),
        geo.after + w <= right_end,
        geo.before - w >= left_end,
        long | (rng & (geo.inside + w <= right_end)),
        # (a tie, within rounding, goes after)
        geo.before - left_end > right_end - geo.after + 0.5,
    ]
    choices = [INSIDE, AFTER, INSIDE, AFTER, BEFORE, INSIDE, BEFORE]
    return np.select(conditions, choices, AFTER).astype(np.int8)


def label_spans(
    geo: MarkGeometry, sides: np.ndarray, widths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``(x0, x1)`` of each label on its side (an unknown width: an empty span)."""
    w = np.nan_to_num(np.asarray(widths, dtype=np.float64), nan=0.0)
    sides = np.asarray(sides)
    x0 = np.select([sides == BEFORE, sides == INSIDE], [geo.before - w, geo.inside], geo.after)
    return x0, x0 + w


def event_extents(
    begin: np.ndarray,
    finish: np.ndarray,
    is_range: np.ndarray,
    scale: float,
    label_widths: np.ndarray | None = None,
    *,
    sides: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Extents ``(lo, hi)`` in pixels (relative to the first begin) at ``scale`` px/s,
    and the side of each label.

    An extent covers the mark and the label on its side, which is chosen by
    :func:`label_sides` against the ends of the data span at ``scale`` unless
    ``sides`` is given.  Without ``label_widths`` the extents are the marks alone
    (data-space packing).
    """
    begin = np.asarray(begin, dtype=np.float64)
    if len(begin) == 0:
        empty = np.empty(0, dtype=np.float64)
        return empty, empty.copy(), np.empty(0, dtype=np.int8)
    origin = begin[0]
    b = (begin - origin) * scale
    f = (np.asarray(finish, dtype=np.float64) - origin) * scale
    geo = mark_geometry(b, f, is_range)
    if label_widths is None:
        w = np.full(len(b), np.nan)
    else:
        w = np.asarray(label_widths, dtype=np.float64)
    if sides is None:
        sides = label_sides(geo, w, float(geo.lo.min()), float(geo.hi.max()))
    if label_widths is None:
        return geo.lo, geo.hi, sides
    x0, x1 = label_spans(geo, sides, w)
    labelled = np.isfinite(w) & (w > 0)
    lo = np.where(labelled, np.minimum(geo.lo, x0), geo.lo)
    hi = np.where(labelled, np.maximum(geo.hi, x1), geo.hi)
    return lo, hi, sides


def layout_lanes(
    begin: np.ndarray,
    finish: np.ndarray,
    is_range: np.ndarray,
    scale: float,
    label_widths: np.ndarray | None = None,
    *,
    gap: float = 2 * LABEL_GAP,
    data_gap: float = 2.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Lane (``int32``) and label side (``int8``) of every event at ``scale`` px/s.

    Follows the module's layout policy.  ``label_widths`` are used only for sets of
    at most :data:`PIXEL_LAYOUT_LIMIT` events; larger sets are packed by their marks
    with the smaller ``data_gap`` (their labels go after their marks, or inside long
    bars).
    """
    n = len(begin)
    use_labels = label_widths is not None and n <= PIXEL_LAYOUT_LIMIT
    lo, hi, sides = event_extents(
        begin, finish, is_range, scale, label_widths if use_labels else None
    )
    space = gap if use_labels else data_gap
    lanes = pack_lanes(lo, hi, space)
    return _in_time_order(lanes, lo, hi, np.asarray(begin, dtype=np.float64), space), sides


def _in_time_order(
    lanes: np.ndarray, lo: np.ndarray, hi: np.ndarray, begin: np.ndarray, gap: float
) -> np.ndarray:
    """``lanes`` renumbered within each cluster by the earliest begin in each lane.

    A cluster is a run of extents (in order of ``lo``) each starting before the ones
    so far have ended (plus ``gap``), as in :func:`pack_lanes`; a cluster uses lanes
    ``0..k-1`` and no other cluster overlaps it, so any renumbering within it keeps
    the lanes free of overlaps and as few.
    """
    n = len(lanes)
    if n < 2:
        return lanes
    order = np.argsort(lo, kind="stable")
    slo = lo[order]
    reach = np.maximum.accumulate(np.maximum(hi[order], slo))
    fresh = np.ones(n, dtype=bool)
    fresh[1:] = slo[1:] >= reach[:-1] + gap
    if fresh.all():
        return lanes
    cluster = np.empty(n, dtype=np.int64)
    cluster[order] = np.cumsum(fresh) - 1
    n_lanes = int(lanes.max()) + 1
    key = cluster * n_lanes + lanes
    uniq, inv = np.unique(key, return_inverse=True)
    first = np.full(len(uniq), np.inf)
    np.minimum.at(first, inv, begin)
    ucl = uniq // n_lanes
    by_time = np.lexsort((first, ucl))  # by cluster, then by the lane's first begin
    starts = np.searchsorted(ucl[by_time], ucl[by_time])
    renamed = np.empty(len(uniq), dtype=np.int32)
    renamed[by_time] = np.arange(len(uniq)) - starts
    return renamed[inv]


def snap_scale(scale: float) -> float:
    """The layout scale for ``scale``: the power of :data:`LAYOUT_GRID` at or below it.

    Rounding down means a fresh layout was made for a view at least as zoomed out as the
    current one, so at the moment of layout every label fits.  The snapped value is the
    cache key of a layout.
    """
    if not (scale > 0 and math.isfinite(scale)):
        raise ValueError(f"scale must be positive, not {scale!r}")
    step = math.log(LAYOUT_GRID)
    # the small epsilon keeps an exact grid value on its own step despite rounding
    return math.exp(math.floor(math.log(scale) / step + 1e-9) * step)


def needs_relayout(layout_scale: float | None, scale: float) -> bool:
    """Whether lanes made at ``layout_scale`` (a :func:`snap_scale` value) should be redone.

    True once the view has zoomed out below the layout scale, or in by more than
    :data:`RELAYOUT_RATIO`, each with a margin of :data:`RELAYOUT_HYSTERESIS` so that
    a view resting on a grid line does not flip between two layouts.
    """
    if layout_scale is None:
        return True
    if not (scale > 0 and math.isfinite(scale)):
        return False
    return (
        scale < layout_scale / RELAYOUT_HYSTERESIS
        or scale > layout_scale * RELAYOUT_RATIO * RELAYOUT_HYSTERESIS
    )


@dataclass(frozen=True, slots=True)
class Placement:
    """Where :func:`place_labels` draws each candidate's label (arrays over them).

    A shown label spans ``[x0, x0 + width]``: ``width`` is the whole label's width, or
    for an elided one the room it is elided to (its text may be a little narrower; a
    label before its mark is then right-aligned to its ``before`` anchor).
    """

    shown: np.ndarray
    before: np.ndarray  # drawn before its mark
    x0: np.ndarray
    width: np.ndarray
    elided: np.ndarray


def _choose(
    w: float, room_a: float, room_b: float, prefer_b: bool, min_width: float, step: float
) -> tuple[bool, float, bool] | None:
    """:func:`place_labels`' rule for one label: ``(before, width, elided)`` or None."""
    fit_a, fit_b = w <= room_a, w <= room_b
    more_b = room_b >= room_a if prefer_b else room_b > room_a
    side_b = (fit_b or (not fit_a and more_b)) if prefer_b else (not fit_a and (fit_b or more_b))
    if fit_b if side_b else fit_a:
        return side_b, w, False
    cut = math.floor((room_b if side_b else room_a) / step) * step
    if cut >= min_width and cut > 0:
        return side_b, cut, True
    return None


def place_labels(
    lane: np.ndarray,
    width: np.ndarray,
    after: np.ndarray,
    before: np.ndarray,
    right_limit: np.ndarray,
    left_limit: np.ndarray,
    prefer_before: np.ndarray,
    *,
    min_x: float = -math.inf,
    max_x: float = math.inf,
    gap: float = 2.0,
    min_width: float = 0.0,
    max_width: float | np.ndarray = math.inf,
    step: float = 1.0,
) -> Placement:
    """Which labels to draw, on which side, whole or elided.

    The candidates come in lane order (lane by lane, each lane's events left to
    right).  Candidate ``i`` in lane ``lane[i]`` has a label ``width[i]`` pixels wide
    that may start at ``after[i]`` (after its mark, or inside its bar) or end at
    ``before[i]`` (before its mark).  ``right_limit[i]`` is where the next mark in its
    lane begins and ``left_limit[i]`` where the previous one ends (``±inf`` if none);
    ``min_x`` and ``max_x`` are the view's edges.  Every drawn label keeps ``gap``
    from those limits and from the other labels of its lane.

    A label goes on its preferred side (``prefer_before[i]``) when it fits there
    whole, else on the other side when it fits there whole, else it is elided (to a
    multiple of ``step``, at least ``min_width``) on the side with more room; none
    wider than ``max_width`` (one for all, or one per candidate).  Where two labels
    between the same marks would overlap, the later one takes what room the earlier
    one leaves, by the same rule.  A ``nan`` width (text not measured) is never drawn.
    """
    lane = np.asarray(lane)
    w = np.asarray(width, dtype=np.float64)
    after = np.asarray(after, dtype=np.float64)
    before = np.asarray(before, dtype=np.float64)
    prefer_b = np.asarray(prefer_before, dtype=bool)
    right_limit = np.minimum(np.asarray(right_limit, dtype=np.float64), max_x)
    left_limit = np.maximum(np.asarray(left_limit, dtype=np.float64), min_x)
    room_a = np.where(after >= min_x, np.minimum(right_limit - gap - after, max_width), -np.inf)
    room_b = np.where(before <= max_x, np.minimum(before - left_limit - gap, max_width), -np.inf)
    known = np.isfinite(w) & (w > 0)
    fit_a = known & (w <= room_a)
    fit_b = known & (w <= room_b)
    more_b = np.where(prefer_b, room_b >= room_a, room_b > room_a)
    side_b = np.where(prefer_b, fit_b | (~fit_a & more_b), ~fit_a & (fit_b | more_b))
    fits = np.where(side_b, fit_b, fit_a)
    with np.errstate(invalid="ignore"):
        cut = np.floor(np.where(side_b, room_b, room_a) / step) * step
    elided = known & ~fits & (cut >= min_width) & (cut > 0)
    shown = fits | elided
    shown_w = np.where(fits, w, np.where(elided, cut, 0.0))
    x0 = np.where(side_b, before - shown_w, after)

    idx = np.flatnonzero(shown)
    if len(idx) >= 2:
        same = lane[idx][1:] == lane[idx][:-1]
        end = x0[idx] + shown_w[idx]
        if np.any(same & (end[:-1] + gap > x0[idx][1:])):
            _resolve(
                lane,
                w,
                after,
                before,
                room_a,
                room_b,
                prefer_b,
                known,
                gap,
                min_width,
                step,
                shown,
                side_b,
                x0,
                shown_w,
                elided,
            )
    return Placement(shown, side_b & shown, x0, shown_w, elided & shown)


def _resolve(
    lane: np.ndarray,
    w: np.ndarray,
    after: np.ndarray,
    before: np.ndarray,
    room_a: np.ndarray,
    room_b: np.ndarray,
    prefer_b: np.ndarray,
    known: np.ndarray,
    gap: float,
    min_width: float,
    step: float,
    shown: np.ndarray,
    side_b: np.ndarray,
    x0: np.ndarray,
    shown_w: np.ndarray,
    elided: np.ndarray,
) -> None:
    """Place labels one by one, left to right in each lane, in what room is left.

    Only needed where two labels meet between the same two marks (one after the
    first, one before the second); fills the output arrays in place.
    """
    last_lane = None
    last_end = -math.inf
    cols = (
        lane.tolist(),
        w.tolist(),
        after.tolist(),
        before.tolist(),
        room_a.tolist(),
        room_b.tolist(),
        prefer_b.tolist(),
        known.tolist(),
    )
    for i, (k, wi, a, b, ra, rb, pb, ok) in enumerate(zip(*cols, strict=True)):
        if k != last_lane:
            last_lane, last_end = k, -math.inf
        shown[i] = elided[i] = False
        if not ok:
            continue
        if a < last_end + gap:
            ra = -math.inf
        rb = min(rb, b - last_end - gap)
        choice = _choose(wi, ra, rb, pb, min_width, step)
        if choice is None:
            continue
        is_b, width, cut = choice
        shown[i], side_b[i], shown_w[i], elided[i] = True, is_b, width, cut
        x0[i] = b - width if is_b else a
        last_end = x0[i] + width


# -- the default layout (the store's) ------------------------------------------------
#
# Lanes packed by the marks alone (no labels), in axis seconds, at one scale chosen
# for the whole data span (:func:`default_scale`).  A view of many events draws them
# as they are: they do not depend on the zoom, so nothing is packed again on a zoom,
# a pan or an edit.  An edited or new event goes to its old lane if it still fits
# there, else to the lowest free lane (:func:`free_lane`); the lanes stay free of
# overlaps, which is all a drawing needs, though after many edits they may be a few
# more than a fresh packing would take.


def default_scale(begin: float, finish: float) -> float:
    """Pixels per second of the default layout for events spanning ``[begin, finish]``."""
    span = max(float(finish) - float(begin), 60.0)
    return DEFAULT_LAYOUT_WIDTH / span


def mark_extents(
    begin: np.ndarray, finish: np.ndarray, is_range: np.ndarray, scale: float
) -> tuple[np.ndarray, np.ndarray]:
    """Where the marks of events begin and end, in axis seconds, drawn at ``scale``."""
    return mark_bounds(
        begin, finish, is_range, marker_radius=MARKER_RADIUS / scale, min_range=MIN_RANGE_PX / scale
    )


def within_reach(scale: float) -> float:
    """How far (s) a mark at ``scale``, with its gap, reaches beyond its own period."""
    return (max(MARKER_RADIUS, MIN_RANGE_PX) + DATA_GAP) / scale


def default_lanes(
    begin: np.ndarray, finish: np.ndarray, is_range: np.ndarray, scale: float
) -> np.ndarray:
    """Lane (``int32``) of every event in the default layout at ``scale`` px/s.

    The events may come in any order; lanes go top to bottom in time order within
    each cluster, as in :func:`layout_lanes`.
    """
    begin = np.asarray(begin, dtype=np.float64)
    n = len(begin)
    if n == 0:
        return np.zeros(0, dtype=np.int32)
    finish = np.asarray(finish, dtype=np.float64)
    rng = np.asarray(is_range, dtype=bool)
    order = np.lexsort((finish, begin))
    lo, hi = mark_extents(begin[order], finish[order], rng[order], scale)
    gap = DATA_GAP / scale
    lanes = pack_lanes(lo, hi, gap)
    lanes = _in_time_order(lanes, lo, hi, begin[order], gap)
    out = np.empty(n, dtype=np.int32)
    out[order] = lanes
    return out


def free_lane(
    begin: float,
    finish: float,
    is_range: bool,
    scale: float,
    others: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    prefer: int | None = None,
) -> int:
    """The lane for one event in the default layout among ``others``.

    ``others`` are ``(begin, finish, is_range, lane)`` of the events that may be near
    it (any superset of those within :func:`within_reach`).  ``prefer`` (its lane
    before an edit, or the lane undo gives back) is kept when the event fits there;
    otherwise the lowest lane where it fits.
    """
    ob, of, orng, olane = (np.asarray(a) for a in others)
    lo, hi = mark_extents(
        np.array([begin], dtype=np.float64),
        np.array([finish], dtype=np.float64),
        np.array([is_range]),
        scale,
    )
    gap = DATA_GAP / scale
    if len(ob):
        olo, ohi = mark_extents(ob.astype(np.float64), of.astype(np.float64), orng, scale)
        near = (olo < hi[0] + gap) & (ohi + gap > lo[0])
        busy = np.unique(olane[near].astype(np.int64))
        busy = busy[busy >= 0]
    else:
        busy = np.zeros(0, dtype=np.int64)
    if prefer is not None and prefer >= 0 and not np.isin(prefer, busy):
        return int(prefer)
    # the lowest lane number missing from the sorted, unique busy lanes
    gaps = np.flatnonzero(busy != np.arange(len(busy)))
    return int(gaps[0]) if len(gaps) else len(busy)
