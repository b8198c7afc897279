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

Grouped into swimlanes (:class:`~viewer.ui.timeline.groups.Grouping`), each band
starts with a header row and its events are laid out in lanes of its own below it
(packed per band, or the stored lanes of its events without the lanes it does not
use); a collapsed band is its header row alone, and its events are in no lane
(:attr:`ViewLayout.bands` says where each band is).

Either way, lane ``k``'s events are ``order[offsets[k]:offsets[k + 1]]`` (positions
in the arrays), sorted by begin and, since the marks of a lane never overlap, by
finish too: the painter finds a lane's visible events with two binary searches.

:class:`LaneLayouts` chooses between the two for one set of events and keeps the
packed layouts of the last few zooms: the window's timeline, the presentation band
and image files all lay their events out through it, so a picture of what the window
shows has the window's lanes.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from viewer.model.lanes import (
    AFTER,
    INSIDE,
    LONG_BAR_PX,
    PIXEL_LAYOUT_LIMIT,
    default_lanes,
    default_scale,
    event_extents,
    layout_lanes,
    snap_scale,
)
from viewer.store.columns import EventArrays, Patch
from viewer.ui.timeline.groups import BandSpec, Grouping

__all__ = ["LABEL_LAYOUT_SLACK", "Band", "LaneLayouts", "StoredBands", "ViewLayout"]

#: Room lanes keep for the bold label of a selected event.
LABEL_LAYOUT_SLACK = 1.08
#: Packed layouts kept (by zoom).
LAYOUT_CACHE = 8

#: A packed layout: each event's lane and label side, and the bands (when grouped).
_Packed = tuple[np.ndarray, np.ndarray, tuple["Band", ...]]


@dataclass(frozen=True, slots=True)
class Band:
    """Where one swimlane is drawn: its header row ``first`` and the ``rows`` it takes
    (the header's included), with its ``count`` of events; a collapsed band keeps the
    begins and the finishes of its events (each sorted) for its density summary."""

    spec: BandSpec
    first: int
    rows: int
    count: int
    begin: np.ndarray
    finish: np.ndarray

    @property
    def last(self) -> int:
        return self.first + self.rows - 1


_NO_BANDS: tuple[Band, ...] = ()


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
    bands: tuple[Band, ...] = _NO_BANDS  # swimlanes, top to bottom (none: not grouped)

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
        bands: tuple[Band, ...] = _NO_BANDS,
    ) -> ViewLayout:
        n_lanes = int(lanes.max()) + 1 if len(lanes) else 0
        if bands:
            n_lanes = max(n_lanes, bands[-1].last + 1)
        placed = lanes[order] if bands else lanes  # (a collapsed band's events: none)
        counts = np.bincount(placed, minlength=n_lanes) if len(placed) else np.zeros(n_lanes)
        offsets = np.zeros(n_lanes + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        lane_begin, lane_finish = by_lane or (arrays.begin[order], arrays.finish[order])
        return cls(scale, lanes, sides, n_lanes, order, offsets, lane_begin, lane_finish, bands)

    @classmethod
    def packed(
        cls,
        arrays: EventArrays,
        scale: float,
        lanes: np.ndarray,
        sides: np.ndarray,
        bands: tuple[Band, ...] = _NO_BANDS,
    ) -> ViewLayout:
        """The index of lanes packed at ``scale`` (see :func:`layout_lanes`); in bands,
        lane ``-1`` is an event of a collapsed band."""
        lanes = np.asarray(lanes, dtype=np.int32)
        order = np.argsort(lanes, kind="stable").astype(np.int64)
        if bands:
            order = order[int(np.count_nonzero(lanes < 0)) :]
        sides = np.asarray(sides, dtype=np.int8)
        return cls._index(scale, lanes, sides, order, arrays, bands=bands)

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

    @classmethod
    def stored_in_bands(cls, arrays: EventArrays, groups: Grouping) -> ViewLayout:
        """The store's lanes within swimlanes (see :class:`StoredBands`)."""
        if len(arrays) and bool(np.all(arrays.lane >= 0)):
            return StoredBands(arrays, groups).layout
        # never placed (made in memory): in the default layout's lanes
        placed = arrays.copy()
        placed.lane[:] = cls.stored(arrays).lanes
        return StoredBands(placed, replace(groups, arrays=placed)).layout

    # -- reading -------------------------------------------------------------------------

    def band_at(self, row: float) -> int | None:
        """The index of the band row ``row`` is in (``None``: not grouped, or none)."""
        r = math.floor(row + 0.5)
        for k, band in enumerate(self.bands):
            if band.first <= r <= band.last:
                return k
        return None

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


def _bands(
    arrays: EventArrays, groups: Grouping, first: np.ndarray, rows: np.ndarray
) -> tuple[Band, ...]:
    out = []
    for k, spec in enumerate(groups.bands):
        begin = finish = np.zeros(0)
        if spec.collapsed:
            mine = groups.group == k
            begin, finish = arrays.begin[mine], np.sort(arrays.finish[mine])
        out.append(Band(spec, int(first[k]), int(rows[k]), int(groups.counts[k]), begin, finish))
    return tuple(out)


class LaneLayouts:
    """The lanes of one set of events at any zoom.

    A set of at most :data:`~viewer.model.lanes.PIXEL_LAYOUT_LIMIT` events is packed
    with its labels for each zoom (its labels measured once, :meth:`set_events`); a
    bigger one is drawn in the store's lanes, the same at every zoom.  Sizes are in
    *base* pixels, device pixels divided by the size ``factor``: every size in the
    packing grows with the factor, and the lanes are those a view ``factor`` times
    narrower would get at the normal size.
    """

    def __init__(self) -> None:
        self.arrays = EventArrays.empty()
        self.factor = 1.0
        self.label_max = math.inf
        # widths (px, regular font) of every label of a small set; empty otherwise
        self._label_width = np.zeros(0, dtype=np.float64)
        self.groups: Grouping | None = None
        self._cache: OrderedDict[float, _Packed] = OrderedDict()
        self._stored_bands: StoredBands | None = None

    def set_events(
        self,
        arrays: EventArrays,
        label_width: np.ndarray | None,
        *,
        factor: float = 1.0,
        label_max: float = math.inf,
        groups: Grouping | None = None,
    ) -> None:
        """Lay out ``arrays``, whose labels are ``label_width`` px wide (for a set that
        :attr:`stored` is not; ``None`` otherwise), at size ``factor``; labels longer
        than ``label_max`` px are always elided, so lanes keep no more room for them.
        ``groups`` puts them in swimlanes (its arrays are ``arrays``)."""
        if groups is not None and groups.arrays is not arrays:
            raise ValueError("the grouping is of other arrays")
        self.groups = groups
        self._stored_bands = None
        self.arrays = arrays
        self.factor = factor
        self.label_max = label_max
        self._label_width = (
            np.zeros(0) if label_width is None else np.asarray(label_width, dtype=np.float64)
        )
        self._cache.clear()

    @staticmethod
    def stored_for(n: int) -> bool:
        """Whether ``n`` events are drawn in the store's lanes (too many to pack)."""
        return n > PIXEL_LAYOUT_LIMIT

    @property
    def stored(self) -> bool:
        return self.stored_for(len(self.arrays))

    def key(self, scale: float) -> float:
        """The key (snapped scale in base pixels per second) of a layout for ``scale``
        device pixels per second."""
        return snap_scale(scale / self.factor)

    def label_widths(self) -> np.ndarray:
        """Width (px) of each event's label as lanes reserve it, ``nan`` if not measured
        (only sets laid out with their labels are measured up front)."""
        if self.stored or len(self._label_width) != len(self.arrays):
            return np.full(len(self.arrays), np.nan)
        return np.minimum(self._label_width, self.label_max)

    def measured(self) -> np.ndarray | None:
        """The widths of every label as measured (regular font), or ``None``."""
        if self.stored or len(self._label_width) != len(self.arrays):
            return None
        return self._label_width

    def _widths(self) -> np.ndarray | None:
        """Label widths lanes reserve (room for a bold label) in base pixels, or ``None``
        (large sets)."""
        if self.measured() is None:
            return None
        return self.label_widths() * (LABEL_LAYOUT_SLACK / self.factor)

    def at(self, scale: float) -> ViewLayout | None:
        """The layout for ``scale`` device px per second (``None``: no events)."""
        a = self.arrays
        if len(a) == 0:
            return None
        if self.stored:
            if self.groups is None:
                return ViewLayout.stored(a)
            if self._stored_bands is None:
                if bool(np.all(a.lane >= 0)):
                    self._stored_bands = StoredBands(a, self.groups)
                else:
                    return ViewLayout.stored_in_bands(a, self.groups)
            return self._stored_bands.layout
        return self.at_key(self.key(scale))

    def at_key(self, key: float) -> ViewLayout:
        """The packed layout of key ``key`` (see :meth:`key`), made or reused."""
        a = self.arrays
        cached = self._cache.get(key)
        if cached is None:
            cached = self._pack(key)
            self._cache[key] = cached
            while len(self._cache) > LAYOUT_CACHE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return ViewLayout.packed(a, key, *cached)

    def _pack(self, key: float) -> _Packed:
        """Lanes and label sides packed at ``key``: of the whole set, or band by band
        below each band's header row (a collapsed band's events in lane ``-1``)."""
        a, groups, widths = self.arrays, self.groups, self._widths()
        if groups is None:
            lanes, sides = layout_lanes(a.begin, a.finish, a.is_range, key, widths)
            return lanes, sides, _NO_BANDS
        n_bands = len(groups.bands)
        lanes = np.full(len(a), -1, dtype=np.int32)
        sides = np.full(len(a), AFTER, dtype=np.int8)
        by_band = np.argsort(groups.group, kind="stable")
        ends = np.cumsum(groups.counts)
        first = np.zeros(n_bands, dtype=np.int64)
        rows = np.ones(n_bands, dtype=np.int64)
        top = 0
        for k, spec in enumerate(groups.bands):
            first[k] = top
            if not spec.collapsed:
                pos = by_band[ends[k] - groups.counts[k] : ends[k]]
                w = None if widths is None else widths[pos]
                ln, sd = layout_lanes(a.begin[pos], a.finish[pos], a.is_range[pos], key, w)
                lanes[pos] = top + 1 + ln
                sides[pos] = sd
                rows[k] = 1 + (int(ln.max()) + 1 if len(ln) else 0)
            top += int(rows[k])
        return lanes, sides, _bands(a, groups, first, rows)

    def lanes_at(self, scale: float, current: ViewLayout | None = None) -> np.ndarray:
        """Lane of every event (data order) in a layout made for ``scale`` px/s: the lanes
        a view at that zoom shows once laid out afresh.  A layout already made for that
        zoom is reused, and one made here is not kept.  Stored lanes are the same at
        every zoom (``current``: the one in use, if any)."""
        a = self.arrays
        if len(a) == 0:
            return np.zeros(0, dtype=np.int32)
        if self.stored:
            lay = current if current is not None else self.at(scale)
            return lay.lanes if lay is not None else np.zeros(0, dtype=np.int32)
        key = self.key(scale)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._pack(key)
        return cached[0]

    def follow(self, arrays: EventArrays, patch: Patch) -> bool:
        """Follow an edit of a big set in swimlanes without making the bands anew
        (:meth:`StoredBands.follow`): ``arrays`` are the events with ``patch``
        applied (the events given, not their copies in tag bands).  ``False``: the
        caller groups them afresh (:meth:`set_events`)."""
        stored = self._stored_bands
        if stored is None or self.groups is None or not self.stored_for(len(arrays)):
            return False
        if not stored.follow(arrays, patch):
            return False
        self.groups = stored.groups
        self.arrays = stored.groups.arrays  # (by tag, the copies)
        return True

    def bands_at(self, scale: float) -> tuple[Band, ...]:
        """The swimlanes of a layout made for ``scale`` px/s (none: not grouped)."""
        if self.groups is None or len(self.arrays) == 0:
            return _NO_BANDS
        if self.stored:
            lay = self.at(scale)
            return lay.bands if lay is not None else _NO_BANDS
        key = self.key(scale)
        cached = self._cache.get(key)
        return (cached if cached is not None else self._pack(key))[2]

    def rows_of(
        self,
        scale: float,
        positions: np.ndarray,
        lanes_at: Callable[[float], np.ndarray] | None = None,
    ) -> tuple[int, int]:
        """The first and last row that the events at ``positions`` take in a layout
        made for ``scale`` px/s (``lanes_at``: how the caller finds the lanes, by
        default :meth:`lanes_at`).  In swimlanes, from the header of the first band
        they are in; an event of a collapsed band is in its header row."""
        lanes = (lanes_at or self.lanes_at)(scale)[positions]
        bands = self.bands_at(scale)
        if not bands or self.groups is None:
            return int(lanes.min()), int(lanes.max())
        first = np.array([b.first for b in bands], dtype=np.int64)[self.groups.group[positions]]
        return int(first.min()), int(np.where(lanes >= 0, lanes, first).max())

    def label_reach(self, scale: float, marker_radius: float) -> tuple[float, float]:
        """How far (px) marks and labels laid out at ``scale`` px/s reach beyond the
        data span: ``(before its start, after its end)``, each at least 0.

        Labels go where a layout at this scale would put them, so this is what a view
        showing everything needs as margins.  Only measured labels count (small sets);
        otherwise marks alone, none reaching further than a marker (``marker_radius``).
        """
        a = self.arrays
        span = a.span()
        if span is None or not (scale > 0 and math.isfinite(scale)):
            return 0.0, 0.0
        widths = self._widths()
        if widths is None:
            return marker_radius, marker_radius
        base = scale / self.factor
        key = snap_scale(base)
        cached = self._cache.get(key)
        sides = cached[1] if cached is not None else None
        if sides is None:
            sides = event_extents(a.begin, a.finish, a.is_range, key, widths)[2]
        lo, hi, _ = event_extents(a.begin, a.finish, a.is_range, base, widths, sides=sides)
        right = float(hi.max()) - (span[1] - span[0]) * base
        return max(0.0, -float(lo.min())) * self.factor, max(0.0, right) * self.factor


# -- swimlanes of a big set, followed through edits ------------------------------

#: Pairs of (band, lane) beyond this are looked up by binary search, not in a table.
TABLE_LIMIT = 20_000_000
UNUSED = -2  # a (band, lane) pair no event is in
SHUT = -1  # a pair in a collapsed band


class StoredBands:
    """The rows of ``arrays`` (every one placed in the store's lanes) in ``groups``,
    followed through edits.

    An event's row in swimlanes depends on its band and its stored lane only: each
    band keeps, below its header row, the stored lanes its events are in, in their
    order.  So the rows are a small table of (band, lane) pairs, and this keeps the
    events in arrays of their own whose ``lane`` is the row (``-1``: a collapsed
    band's): the order row by row is then those arrays' own, and an edit patches them
    as it patches the window's (:meth:`EventArrays.move_in_place`,
    :meth:`EventArrays.patched`), at the cost of what changed, not of the number of
    events.  By tag an event is a row in each band of its tags: the rows drawn are
    copies of the events (:attr:`Grouping.arrays`, not the window's), and an edit
    takes out every copy of a changed event and puts in a copy per band it is in now,
    in those and in these arrays alike (its tags read by :class:`TagTable`).  An edit
    the table cannot place (a category, a tag or a (band, lane) pair no event had, a
    collapsed band, a band left empty) makes the bands anew.  The copy of the columns
    costs about 75 MB at a million events (twice that by tag, with copies): the price
    of a grouped edit that costs the same at a million as at a thousand.
    """

    def __init__(self, arrays: EventArrays, groups: Grouping) -> None:
        self.groups = groups
        self.source = arrays
        n_bands = len(groups.bands)
        lane, order0 = arrays.lane, arrays.lane_order
        self.n_lanes = n_lanes = int(lane.max()) + 1 if len(lane) else 1
        shut = groups.collapsed_mask()
        wide = np.int64 if n_bands * n_lanes >= 2**31 else np.int32
        key = np.asarray(groups.group, dtype=wide) * n_lanes + lane
        small = n_bands * n_lanes <= TABLE_LIMIT
        if small:
            keys = np.flatnonzero(np.bincount(key, minlength=n_bands * n_lanes))
        else:
            keys = np.unique(key)
        band_of_key = keys // n_lanes
        open_key = ~shut[band_of_key]
        event_rows = np.bincount(band_of_key[open_key], minlength=n_bands)
        rows = 1 + event_rows
        first = np.cumsum(rows) - rows
        rank = np.cumsum(open_key) - 1
        rank0 = np.cumsum(event_rows) - event_rows
        key_row = np.where(open_key, first[band_of_key] + 1 + rank - rank0[band_of_key], SHUT)
        self.first = first
        self.n_rows = int(rows.sum())
        self._keys = None if small else keys
        if small:
            self._table: np.ndarray = np.full(n_bands * n_lanes, UNUSED, dtype=np.int32)
            self._table[keys] = key_row
            row = self._table[key]
        else:
            self._table = key_row.astype(np.int32)
            row = self._table[np.searchsorted(keys, key)]
        # the events again, each in its row; the order row by row from the arrays' own
        # order lane by lane (rows follow (band, lane)): a stable radix sort of bands
        mine = arrays.copy()
        mine.lane[:] = row
        if "_by_id" in arrays.__dict__ or groups.has_copies:  # an edit needs it: no sort
            sorted_ids, pos = arrays.sorted_ids()
            mine._by_id = (sorted_ids.copy(), pos.copy())
        if groups.has_copies:  # (the rows drawn are copies: their own order not needed)
            for name in ("lane_order", "lane_begin", "lane_finish"):
                arrays.__dict__.pop(name, None)
        perm = np.argsort(groups.group[order0], kind="stable")
        order = order0[perm]
        closed = np.flatnonzero(row < 0)  # (first, as a sort by row puts them)
        if len(closed):
            order = np.concatenate([closed, order[row[order] >= 0]])
        mine.lane_order = order
        mine.lane_begin = mine.begin[order]
        mine.lane_finish = mine.finish[order]
        self.mine = mine
        self._shut = shut
        self._closed = len(closed)
        self._per_row = np.bincount(row + 1, minlength=self.n_rows + 1)[1:]
        self._bands = _bands(arrays, groups, first, rows)  # (an edit changes their counts)
        self.layout = self._layout()

    def _layout(self) -> ViewLayout:
        mine = self.mine
        skip = self._closed  # (a collapsed band's events, first in the order by row)
        offsets = np.zeros(self.n_rows + 1, dtype=np.int64)
        np.cumsum(self._per_row, out=offsets[1:])
        counts = self.groups.counts.tolist()
        bands = tuple(replace(b, count=n) for b, n in zip(self._bands, counts, strict=True))
        order = mine.lane_order[skip:]
        return ViewLayout(
            None,
            mine.lane,
            None,
            self.n_rows,
            order,
            offsets,
            mine.lane_begin[skip:],
            mine.lane_finish[skip:],
            bands,
        )

    def _row_of(self, band: np.ndarray, lane: np.ndarray) -> np.ndarray | None:
        """The rows of events in ``band`` at stored ``lane``; ``None`` if one has no row
        yet (the bands must be made anew)."""
        if np.any((lane < 0) | (lane >= self.n_lanes)):
            return None
        key = band.astype(np.int64) * self.n_lanes + lane
        if self._keys is None:
            row = self._table[key]
        else:
            k = np.minimum(np.searchsorted(self._keys, key), len(self._keys) - 1)
            row = np.where(self._keys[k] == key, self._table[k], UNUSED)
        return None if bool(np.any(row < 0)) else row

    def _new_bands(
        self, arrays: EventArrays, inserted: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """``(index into inserted, band)`` of each row drawn of the events at
        ``inserted`` in ``arrays``: one per event by category, one per band of its
        tags by tag; ``None`` when one has no band yet."""
        groups = self.groups
        if groups.category_table is not None:
            lo, table = groups.category_table
            cats = arrays.category[inserted].astype(np.int64) - lo
            if np.any((cats < 0) | (cats >= len(table))):
                return None
            bands = table[cats].astype(np.int64)
            return np.arange(len(inserted), dtype=np.int64), bands
        if groups.tag_table is None:
            return None
        if len(inserted) == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return groups.tag_table.bands_of(arrays.ids[inserted])

    def follow(self, arrays: EventArrays, patch: Patch) -> bool:
        """Follow an edit of the events: ``arrays`` are the events with ``patch``
        applied.  ``False``: this edit needs the bands made anew.

        By tag, every copy of a changed event goes and its new copies (a copy per
        band of its tags) come in: in the rows drawn (:attr:`Grouping.arrays`, the
        events themselves when no event has two tags) and in these arrays."""
        groups = self.groups
        mine, drawn = self.mine, self.source
        removed, inserted = patch.removed, patch.inserted
        if len(removed) > 1000 or len(inserted) > 1000:
            return False  # many (read anew costs as little)
        copies = groups.has_copies
        gone = mine.rows_of(patch.ids) if copies else removed
        old_rows = mine.lane[gone]
        if bool(np.any(old_rows < 0)):
            return False  # a collapsed band's
        found = self._new_bands(arrays, inserted)
        if found is None:
            return False
        which, bands = found
        if len(bands) and bool(np.any(bands < 0) or np.any(self._shut[bands])):
            return False
        if not copies and len(bands) != len(inserted):
            return False  # an event now in two bands: the rows drawn are copies from now on
        add = arrays.take(inserted) if len(inserted) else EventArrays.empty()
        if copies:
            add = add.repeat(which)
        rows = self._row_of(bands, add.lane)
        if rows is None:
            return False
        old_bands = np.searchsorted(self.first, old_rows, side="right") - 1
        counts = groups.counts.copy()
        np.subtract.at(counts, old_bands, 1)
        np.add.at(counts, bands, 1)
        if bool(np.any(counts <= 0)):
            return False  # a band left empty: it goes
        row_patch = patch  # where the rows drawn went
        add_mine = add.copy() if copies else add
        add_mine.lane[:] = rows
        # one event changed, as many copies: they move as a block, in place
        block = copies and len(patch.ids) == len(inserted) == 1 and len(gone) == len(add)
        if copies:
            moved = drawn.move_copies_in_place(add) if block else None
            block = moved is not None
            if moved is None:
                drawn, moved = drawn.patched(patch.ids.tolist(), add)
            row_patch = moved
        if block:
            mine_patch = mine.move_copies_in_place(add_mine)
            if mine_patch is None or not (
                np.array_equal(mine_patch.removed, row_patch.removed)
                and np.array_equal(mine_patch.inserted, row_patch.inserted)
            ):
                return False
        elif arrays is self.source and len(removed) == len(inserted) == 1:
            moved = mine.move_in_place(add_mine)  # the window's arrays moved in place too
            if moved is None:
                return False
        else:
            mine, mine_patch = mine.patched(patch.ids.tolist(), add_mine)
            if copies and not (
                np.array_equal(mine_patch.removed, row_patch.removed)
                and np.array_equal(mine_patch.inserted, row_patch.inserted)
            ):
                return False
        drawn = drawn if copies else arrays
        placed = row_patch.inserted
        if (
            len(mine) != len(drawn)
            or len(mine) != int(counts.sum())
            or not np.array_equal(mine.ids[placed], add.ids)
            or not np.array_equal(mine.lane[placed], rows)
            or not np.array_equal(drawn.ids[placed], add.ids)
        ):
            return False  # (not where the rows drawn are: never draw a wrong row)
        self.mine = mine
        self.source = drawn
        np.subtract.at(self._per_row, old_rows, 1)
        np.add.at(self._per_row, rows, 1)
        group = _spliced(groups.group, row_patch, bands.astype(groups.group.dtype))
        of_row = groups.rows
        if of_row is not None:  # the events' rows the copies are of
            of_row = _spliced(of_row, row_patch, inserted[which], patch)
        self.groups = replace(groups, group=group, arrays=drawn, rows=of_row, counts=counts)
        self.layout = self._layout()
        return True


def _spliced(
    column: np.ndarray, patch: Patch, values: np.ndarray, moved: Patch | None = None
) -> np.ndarray:
    """``column`` (one value per row) after ``patch``: without its removed rows and
    with ``values`` at its inserted ones; ``moved`` maps the values kept (positions of
    rows that ``moved`` moved)."""
    kept = np.delete(column, patch.removed) if len(patch.removed) else column
    if moved is not None:
        kept = moved.new_position(kept)
    return np.insert(kept, patch.at, values) if len(patch.at) else kept.copy()
