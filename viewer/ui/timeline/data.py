"""Events as parallel numpy arrays, the form the timeline item draws from (no Qt here).

The item never walks Python objects while painting: :class:`EventArrays` keeps one
array per field, all sorted by ``begin``, so the slice of events inside the visible
time range is found with a binary search (:func:`visible_slice`) and everything after
that is vectorised.

Positions are axis seconds (see :mod:`viewer.model.dates`): ``begin`` is the start of
the start date's period and ``finish`` the end of the end date's period (exclusive),
so "July 2000" covers the whole of July.  An event therefore always has
``finish > begin``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from viewer.model.event import Event

__all__ = [
    "EventArrays",
    "overlap_counts",
    "running_max",
    "visible_indices",
    "visible_slice",
]


def running_max(finish: np.ndarray) -> np.ndarray:
    """Running maximum of ``finish`` (in ``begin`` order): how far any event so far reaches."""
    if len(finish) == 0:
        return np.empty(0, dtype=np.float64)
    return np.maximum.accumulate(np.asarray(finish, dtype=np.float64))


def visible_slice(begin: np.ndarray, reach: np.ndarray, x0: float, x1: float) -> slice:
    """The index range of events that may overlap the view ``[x0, x1]``.

    ``begin`` is sorted; ``reach`` is :func:`running_max` of the matching ``finish``
    array.  An event overlaps the view when ``begin <= x1`` and ``finish > x0``.  All
    such events lie in the returned slice, found with two binary searches, so that a
    range that started long before ``x0`` but still reaches into the view is included.
    The slice may also hold a few events that ended before ``x0`` (they started after
    some longer event); :func:`visible_indices` drops those.
    """
    hi = int(np.searchsorted(begin, x1, side="right"))
    lo = int(np.searchsorted(reach, x0, side="right"))
    return slice(lo, max(lo, hi))


def visible_indices(
    begin: np.ndarray, finish: np.ndarray, reach: np.ndarray, x0: float, x1: float
) -> np.ndarray:
    """Exactly the indices of the events overlapping ``[x0, x1]`` (ascending)."""
    s = visible_slice(begin, reach, x0, x1)
    idx = np.arange(s.start, s.stop, dtype=np.int64)
    return idx[finish[s] > x0]


def overlap_counts(
    begin_sorted: np.ndarray, finish_sorted: np.ndarray, edges: np.ndarray
) -> np.ndarray:
    """How many events overlap each bin ``[edges[k], edges[k + 1])``.

    ``begin_sorted`` and ``finish_sorted`` are each sorted on their own.  An event
    ``[b, f)`` overlaps a bin when ``b < right`` and ``f > left``; counting the events
    that started before the right edge and subtracting those that ended by the left
    edge takes two binary searches per edge, so the cost is ``O(bins * log n)``,
    independent of how many events there are.
    """
    edges = np.asarray(edges, dtype=np.float64)
    if len(edges) < 2:
        return np.zeros(0, dtype=np.int64)
    started = np.searchsorted(begin_sorted, edges[1:], side="left")
    ended = np.searchsorted(finish_sorted, edges[:-1], side="right")
    return (started - ended).astype(np.int64)


@dataclass(eq=False)
class EventArrays:
    """Parallel arrays of events, sorted by ``begin`` (ties: ``finish``, then ``ids``).

    ``start_finish`` is where the start date's own period ends and ``end_begin`` where
    the end date's period starts; the item fades those periods when the date is only
    known to the month or year.  For a point event ``start_finish == finish`` and
    ``end_begin == begin``.  ``category`` indexes the colour list (``-1``: none).
    """

    ids: np.ndarray  # int64
    begin: np.ndarray  # float64
    finish: np.ndarray  # float64
    start_precision: np.ndarray  # int8 (viewer.model.dates.Precision)
    end_precision: np.ndarray  # int8
    is_range: np.ndarray  # bool
    category: np.ndarray  # int32
    titles: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    start_finish: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.float64))
    end_begin: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.float64))

    def __post_init__(self) -> None:
        n = len(self.ids)
        if len(self.start_finish) != n:
            self.start_finish = np.asarray(self.finish, dtype=np.float64).copy()
        if len(self.end_begin) != n:
            self.end_begin = np.asarray(self.begin, dtype=np.float64).copy()
        columns = (
            self.begin,
            self.finish,
            self.start_precision,
            self.end_precision,
            self.is_range,
            self.category,
            self.titles,
            self.dates,
            self.start_finish,
            self.end_begin,
        )
        if any(len(c) != n for c in columns):
            raise ValueError("all EventArrays columns must have the same length")

    # -- construction ----------------------------------------------------------------

    @classmethod
    def empty(cls) -> EventArrays:
        return cls(
            ids=np.empty(0, dtype=np.int64),
            begin=np.empty(0, dtype=np.float64),
            finish=np.empty(0, dtype=np.float64),
            start_precision=np.empty(0, dtype=np.int8),
            end_precision=np.empty(0, dtype=np.int8),
            is_range=np.empty(0, dtype=bool),
            category=np.empty(0, dtype=np.int32),
        )

    @classmethod
    def from_events(cls, events: Sequence[Event], category_index: Mapping[str, int]) -> EventArrays:
        """Arrays for ``events``; an event without an id gets ``-(position + 1)``."""
        n = len(events)
        ids = np.empty(n, dtype=np.int64)
        begin = np.empty(n, dtype=np.float64)
        finish = np.empty(n, dtype=np.float64)
        start_finish = np.empty(n, dtype=np.float64)
        end_begin = np.empty(n, dtype=np.float64)
        start_precision = np.empty(n, dtype=np.int8)
        end_precision = np.empty(n, dtype=np.int8)
        is_range = np.empty(n, dtype=bool)
        category = np.empty(n, dtype=np.int32)
        titles: list[str] = []
        dates: list[str] = []
        for i, ev in enumerate(events):
            end = ev.end if ev.end is not None else ev.start
            ids[i] = ev.id if ev.id is not None else -(i + 1)
            begin[i] = ev.start.begin()
            start_finish[i] = ev.start.finish()
            end_begin[i] = end.begin()
            finish[i] = end.finish() if ev.end is not None else start_finish[i]
            start_precision[i] = int(ev.start.precision)
            end_precision[i] = int(end.precision)
            is_range[i] = ev.end is not None
            category[i] = -1 if ev.category is None else category_index.get(ev.category, -1)
            titles.append(ev.title)
            dates.append(ev.date_text())
        return cls.from_arrays(
            ids=ids,
            begin=begin,
            finish=finish,
            start_precision=start_precision,
            end_precision=end_precision,
            is_range=is_range,
            category=category,
            titles=titles,
            dates=dates,
            start_finish=start_finish,
            end_begin=end_begin,
        )

    @classmethod
    def from_arrays(
        cls,
        *,
        ids: np.ndarray,
        begin: np.ndarray,
        finish: np.ndarray,
        start_precision: np.ndarray,
        end_precision: np.ndarray,
        is_range: np.ndarray,
        category: np.ndarray,
        titles: Sequence[str],
        dates: Sequence[str],
        start_finish: np.ndarray | None = None,
        end_begin: np.ndarray | None = None,
    ) -> EventArrays:
        """Arrays from unsorted columns: converts dtypes and sorts by begin."""
        begin = np.asarray(begin, dtype=np.float64)
        finish = np.asarray(finish, dtype=np.float64)
        ids = np.asarray(ids, dtype=np.int64)
        if len(np.unique(ids)) != len(ids):
            raise ValueError("event ids must be unique")
        if np.any(finish < begin):
            raise ValueError("an event cannot finish before it begins")
        order = np.lexsort((ids, finish, begin))
        sf = finish if start_finish is None else np.asarray(start_finish, dtype=np.float64)
        eb = begin if end_begin is None else np.asarray(end_begin, dtype=np.float64)
        return cls(
            ids=ids[order],
            begin=begin[order],
            finish=finish[order],
            start_precision=np.asarray(start_precision, dtype=np.int8)[order],
            end_precision=np.asarray(end_precision, dtype=np.int8)[order],
            is_range=np.asarray(is_range, dtype=bool)[order],
            category=np.asarray(category, dtype=np.int32)[order],
            titles=[titles[i] for i in order.tolist()],
            dates=[dates[i] for i in order.tolist()],
            start_finish=sf[order],
            end_begin=eb[order],
        )

    # -- queries ---------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def reach(self) -> np.ndarray:
        """Running maximum of ``finish``, for :func:`visible_slice`."""
        return running_max(self.finish)

    @cached_property
    def finish_sorted(self) -> np.ndarray:
        """``finish`` sorted on its own, for :func:`overlap_counts`."""
        return np.sort(self.finish)

    @cached_property
    def _index(self) -> dict[int, int]:
        return {int(i): k for k, i in enumerate(self.ids.tolist())}

    def index_of(self, event_id: int) -> int | None:
        """Position of an event id in these arrays, or ``None``."""
        return self._index.get(int(event_id))

    def span(self) -> tuple[float, float] | None:
        """``(first begin, last finish)``, or ``None`` when there are no events."""
        if len(self) == 0:
            return None
        return float(self.begin[0]), float(self.reach[-1])

    def visible_slice(self, x0: float, x1: float) -> slice:
        return visible_slice(self.begin, self.reach, x0, x1)

    def visible(self, x0: float, x1: float) -> np.ndarray:
        """Indices of the events overlapping ``[x0, x1]``."""
        return visible_indices(self.begin, self.finish, self.reach, x0, x1)
