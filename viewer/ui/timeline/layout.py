"""Which lane each shown event is drawn in, indexed for painting (numpy, no Qt).

A :class:`ViewLayout` is made one of two ways:

* :meth:`ViewLayout.packed`: lanes packed for one zoom with the labels beside the
  marks (:func:`~viewer.model.lanes.layout_lanes`), for a set small enough to
  measure every label (:data:`~viewer.model.lanes.PIXEL_LAYOUT_LIMIT`);
* :meth:`ViewLayout.stored`: the lanes the store keeps for every event
  (``EventArrays.lane``, the default layout), for anything bigger.  Nothing is
  packed: lanes without a shown event are left out (a filter shows fewer), and the
  order lane by lane comes from ``EventArrays.lane_order``, which the arrays keep
  through filters and edits, so making one costs a few vectorised passes, no sort.

Either way, lane ``k``'s events are ``order[offsets[k]:offsets[k + 1]]`` (positions
in the arrays), sorted by begin and, since the marks of a lane never overlap, by
finish too: the item finds a lane's visible events with two binary searches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viewer.model.lanes import (
    AFTER,
    INSIDE,
    LONG_BAR_PX,
    default_lanes,
    default_scale,
    layout_lanes,
)
from viewer.store.columns import EventArrays

__all__ = ["ViewLayout"]


@dataclass
class ViewLayout:
    """Lanes of the shown events, indexed for per-lane binary searches.

    ``scale`` is the key of a packed layout (the snapped scale in base pixels per
    second) and ``None`` for the stored one, which holds at every zoom.  ``lanes``
    gives each event's lane (data order; ``-1``: not laid out) and ``sides`` its
    label's side (packed layouts only).
    """

    scale: float | None
    lanes: np.ndarray  # int32, by position in the arrays
    sides: np.ndarray | None  # int8 AFTER/BEFORE/INSIDE by position, or None (stored)
    n_lanes: int
    order: np.ndarray  # positions, lane by lane, by begin within a lane
    offsets: np.ndarray  # lane k is order[offsets[k]:offsets[k + 1]]
    lane_begin: np.ndarray  # begin[order]
    lane_finish: np.ndarray  # finish[order] (sorted within each lane)

    # -- making ------------------------------------------------------------------------

    @classmethod
    def _index(
        cls,
        scale: float | None,
        lanes: np.ndarray,
        sides: np.ndarray | None,
        order: np.ndarray,
        arrays: EventArrays,
        by_lane: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> ViewLayout:
        n_lanes = int(lanes.max()) + 1 if len(lanes) else 0
        counts = np.bincount(lanes, minlength=n_lanes) if len(lanes) else np.zeros(0)
        offsets = np.zeros(n_lanes + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        lane_begin, lane_finish = by_lane or (arrays.begin[order], arrays.finish[order])
        return cls(scale, lanes, sides, n_lanes, order, offsets, lane_begin, lane_finish)

    @classmethod
    def packed(
        cls, arrays: EventArrays, scale: float, lanes: np.ndarray, sides: np.ndarray
    ) -> ViewLayout:
        """The index of lanes packed at ``scale`` (see :func:`layout_lanes`)."""
        lanes = np.asarray(lanes, dtype=np.int32)
        order = np.argsort(lanes, kind="stable").astype(np.int64)
        return cls._index(scale, lanes, np.asarray(sides, dtype=np.int8), order, arrays)

    @classmethod
    def pack(cls, arrays: EventArrays, scale: float, label_widths: np.ndarray | None) -> ViewLayout:
        lanes, sides = layout_lanes(
            arrays.begin, arrays.finish, arrays.is_range, scale, label_widths
        )
        return cls.packed(arrays, scale, lanes, sides)

    @classmethod
    def stored(cls, arrays: EventArrays) -> ViewLayout:
        """The store's lanes, without the lanes no shown event is in.

        Arrays whose events were never placed (``lane`` ``-1``: made in memory, not
        read from a store) get the default layout here.
        """
        n = len(arrays)
        if n == 0:
            none = np.zeros(0, dtype=np.int64)
            lanes = np.zeros(0, dtype=np.int32)
            return cls(None, lanes, None, 0, none, np.zeros(1, np.int64), np.zeros(0), np.zeros(0))
        stored = arrays.lane
        if np.any(stored < 0):
            cached = arrays.__dict__.get("_placed_here")
            if cached is None:
                lanes = default_lanes(
                    arrays.begin,
                    arrays.finish,
                    arrays.is_range,
                    default_scale(float(arrays.begin[0]), float(arrays.reach[-1])),
                )
                cached = (lanes, np.argsort(lanes, kind="stable").astype(np.int64))
                arrays.__dict__["_placed_here"] = cached
            stored, order = cached
            by_lane = None
        else:
            # the arrays keep these through filters and edits: nothing to sort or gather
            order, by_lane = arrays.lane_order, (arrays.lane_begin, arrays.lane_finish)
        used = np.bincount(stored)
        if bool(used.all()):
            lanes = stored  # every lane holds a shown event: rows are lanes
        else:
            row = np.cumsum(used > 0, dtype=np.int32) - 1  # real lane → row shown
            lanes = row[stored]
        return cls._index(None, lanes, None, order, arrays, by_lane)

    # -- reading -------------------------------------------------------------------------

    def lane_events(self, lane: int) -> slice:
        return slice(int(self.offsets[lane]), int(self.offsets[lane + 1]))

    def neighbours(self, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(begin of the next event, finish of the previous one)`` in the lane of each
        position in ``order`` (``inf`` / ``-inf`` where there is none)."""
        pos = np.asarray(pos, dtype=np.int64)
        last = len(self.order) - 1
        lane = self.lanes[self.order[pos]]
        nxt = np.minimum(pos + 1, last)
        prv = np.maximum(pos - 1, 0)
        has_next = (pos < last) & (self.lanes[self.order[nxt]] == lane)
        has_prev = (pos > 0) & (self.lanes[self.order[prv]] == lane)
        next_begin = np.where(has_next, self.lane_begin[nxt], np.inf)
        prev_finish = np.where(has_prev, self.lane_finish[prv], -np.inf)
        return next_begin, prev_finish

    def sides_of(self, ev: np.ndarray, bar_px: np.ndarray) -> np.ndarray:
        """Label sides of events (positions); a stored layout puts a label inside a bar
        at least :data:`LONG_BAR_PX` long (``bar_px``: the bars' lengths now), else
        after the mark."""
        if self.sides is not None:
            return self.sides[ev]
        return np.where(bar_px >= LONG_BAR_PX, INSIDE, AFTER).astype(np.int8)
