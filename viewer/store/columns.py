"""Every event of a timeline as numpy columns: what all the views read (no Qt here).

:class:`EventArrays` keeps one array per field, all sorted by ``begin`` (ties:
``finish``, then id), and never a Python object per event.  The slice of events
inside a time range is found with a binary search (:func:`visible_slice`), an event
by its id with another, and everything after that is vectorised.  Headlines and date
texts are not columns: they are fetched for the events that are shown, through a
:class:`TextSource`, and cached there.

A change to the store does not rebuild the arrays: :meth:`EventArrays.patched` takes
out the rows of removed or changed events and puts the new rows in where they belong
(binary search, then one ``numpy.insert`` per column), and says in a :class:`Patch`
where rows went, so that what was derived from the old arrays can follow.

Positions are axis seconds (see :mod:`viewer.model.dates`): ``begin`` is the start of
the start date's period and ``finish`` the end of the end date's period (exclusive),
so "July 2000" covers the whole of July.  An event therefore always has
``finish > begin``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol, overload

import numpy as np

from viewer.model.event import Event

__all__ = [
    "COLUMN_DTYPES",
    "CachedTexts",
    "EventArrays",
    "Patch",
    "StaticTexts",
    "TextSource",
    "overlap_counts",
    "running_max",
    "visible_indices",
    "visible_slice",
]

#: The numeric columns of :class:`EventArrays` and their types.
COLUMN_DTYPES: dict[str, type[np.generic]] = {
    "ids": np.int64,
    "begin": np.float64,
    "finish": np.float64,
    "start_finish": np.float64,
    "end_begin": np.float64,
    "start_precision": np.int8,
    "end_precision": np.int8,
    "is_range": np.bool_,
    "category": np.int32,
    "lane": np.int32,
}
_COLUMNS = tuple(COLUMN_DTYPES)


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


# -- texts -----------------------------------------------------------------------------


class TextSource(Protocol):
    """Where the headline and date text of events come from, by id."""

    def texts(self, ids: Sequence[int]) -> Mapping[int, tuple[str, str]]:
        """``{id: (headline, date text)}`` for those of ``ids`` that exist."""
        ...


class StaticTexts:
    """Texts held in memory (events built in Python: tests, snapshots of a list)."""

    def __init__(self, texts: Mapping[int, tuple[str, str]] | None = None) -> None:
        self._texts: dict[int, tuple[str, str]] = dict(texts or {})

    def texts(self, ids: Sequence[int]) -> Mapping[int, tuple[str, str]]:
        known = self._texts
        return {i: known[i] for i in ids if i in known}

    @property
    def known(self) -> Mapping[int, tuple[str, str]]:
        return self._texts


class CachedTexts:
    """Texts fetched in batches from ``fetch`` (the store) and kept in an LRU cache.

    ``forget(ids)`` drops what changed; only what is drawn or listed is ever fetched.
    """

    def __init__(
        self,
        fetch: Callable[[Sequence[int]], Mapping[int, tuple[str, str]]],
        capacity: int = 200_000,
    ) -> None:
        self._fetch = fetch
        self._capacity = capacity
        self._cache: OrderedDict[int, tuple[str, str]] = OrderedDict()

    def texts(self, ids: Sequence[int]) -> Mapping[int, tuple[str, str]]:
        cache = self._cache
        missing = [i for i in dict.fromkeys(ids) if i not in cache]
        if missing:
            found = self._fetch(missing)
            for i in missing:
                cache[i] = found.get(i, ("", ""))
            while len(cache) > self._capacity:
                cache.popitem(last=False)
        return {i: cache[i] for i in ids if i in cache}

    def forget(self, ids: Iterable[int] | None = None) -> None:
        """Drop the cached texts of ``ids`` (``None``: all)."""
        if ids is None:
            self._cache.clear()
            return
        for i in ids:
            self._cache.pop(int(i), None)


class _TextColumn(Sequence[str]):
    """The headline (``which=0``) or date text (1) of each row of an :class:`EventArrays`,
    fetched when first asked for."""

    def __init__(self, arrays: EventArrays, which: int) -> None:
        self._arrays = arrays
        self._which = which

    def __len__(self) -> int:
        return len(self._arrays)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        ids = self._arrays.ids
        if isinstance(index, slice):
            return self.many(np.arange(len(ids))[index])
        event_id = int(ids[index])
        found = self._arrays.texts.texts([event_id])
        return found.get(event_id, ("", ""))[self._which]

    def many(self, positions: Iterable[int] | np.ndarray) -> list[str]:
        """The texts of many rows with one fetch."""
        ids = self._arrays.ids[
            np.asarray(
                list(positions) if not isinstance(positions, np.ndarray) else positions,
                dtype=np.int64,
            )
        ].tolist()
        found = self._arrays.texts.texts(ids)
        w = self._which
        return [found.get(i, ("", ""))[w] for i in ids]

    def __iter__(self) -> Iterator[str]:
        n = len(self)
        step = 4096
        for a in range(0, n, step):
            yield from self.many(np.arange(a, min(n, a + step)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"<{len(self)} texts>"


# -- the columns -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Patch:
    """Where rows went when :meth:`EventArrays.patched` made new arrays.

    ``removed`` are positions in the old arrays, ``inserted`` positions in the new
    ones (both ascending).  Every other row moved from old position ``p`` to
    :meth:`new_position` ``(p)``.
    """

    removed: np.ndarray
    inserted: np.ndarray
    #: where each inserted row was put in the old arrays with its removed rows taken out
    at: np.ndarray

    def new_position(self, old: np.ndarray | int) -> np.ndarray:
        """New positions of rows that stayed (given by their old positions)."""
        old = np.asarray(old, dtype=np.int64)
        kept = old - np.searchsorted(self.removed, old, side="left")
        return kept + np.searchsorted(self.at, kept, side="right")

    @property
    def is_empty(self) -> bool:
        return len(self.removed) == 0 and len(self.inserted) == 0


@dataclass(eq=False)
class EventArrays:
    """Parallel arrays of events, sorted by ``begin`` (ties: ``finish``, then ``ids``).

    ``start_finish`` is where the start date's own period ends and ``end_begin`` where
    the end date's period starts; the timeline fades those periods when the date is
    only known to the month or year.  For a point event ``start_finish == finish`` and
    ``end_begin == begin``, and ``end_precision == start_precision``.  ``category`` is a
    key into the colours (the store gives category ids; ``-1``: none) and ``lane`` the
    event's lane in the store's default layout (``-1``: not placed).

    ``titles`` and ``dates`` read like lists but fetch through ``texts`` on use.
    """

    ids: np.ndarray  # int64
    begin: np.ndarray  # float64
    finish: np.ndarray  # float64
    start_precision: np.ndarray  # int8 (viewer.model.dates.Precision)
    end_precision: np.ndarray  # int8
    is_range: np.ndarray  # bool
    category: np.ndarray  # int32
    start_finish: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.float64))
    end_begin: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.float64))
    lane: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    texts: TextSource = field(default_factory=StaticTexts)

    def __post_init__(self) -> None:
        n = len(self.ids)
        if len(self.start_finish) != n:
            self.start_finish = np.asarray(self.finish, dtype=np.float64).copy()
        if len(self.end_begin) != n:
            self.end_begin = np.asarray(self.begin, dtype=np.float64).copy()
        if len(self.lane) != n:
            self.lane = np.full(n, -1, dtype=np.int32)
        if any(len(getattr(self, c)) != n for c in _COLUMNS):
            raise ValueError("all EventArrays columns must have the same length")

    # -- construction ----------------------------------------------------------------

    @classmethod
    def empty(cls, texts: TextSource | None = None) -> EventArrays:
        return cls(
            **{c: np.empty(0, dtype=t) for c, t in COLUMN_DTYPES.items()},
            texts=texts if texts is not None else StaticTexts(),
        )

    @classmethod
    def from_columns(
        cls, columns: Mapping[str, Any], texts: TextSource | None = None, *, check: bool = True
    ) -> EventArrays:
        """Arrays from columns in any order (as the store gives them): sorted here.

        ``columns`` maps the names of :data:`COLUMN_DTYPES` to arrays; ``lane``,
        ``start_finish`` and ``end_begin`` may be missing.
        """
        ids = np.asarray(columns["ids"], dtype=np.int64)
        begin = np.asarray(columns["begin"], dtype=np.float64)
        finish = np.asarray(columns["finish"], dtype=np.float64)
        if check:
            if len(np.unique(ids)) != len(ids):
                raise ValueError("event ids must be unique")
            if np.any(finish < begin):
                raise ValueError("an event cannot finish before it begins")
        order = np.lexsort((ids, finish, begin))
        if len(order) and np.all(order[1:] > order[:-1]):
            order = None  # already in order: no copies
        out: dict[str, np.ndarray] = {}
        for name, dtype in COLUMN_DTYPES.items():
            if name not in columns:
                continue
            col = np.asarray(columns[name], dtype=dtype)
            out[name] = col if order is None else col[order]
        return cls(**out, texts=texts if texts is not None else StaticTexts())

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
        """Arrays from unsorted columns and texts held in memory."""
        ids = np.asarray(ids, dtype=np.int64)
        columns: dict[str, Any] = {
            "ids": ids,
            "begin": begin,
            "finish": finish,
            "start_precision": start_precision,
            "end_precision": end_precision,
            "is_range": is_range,
            "category": category,
            "start_finish": finish if start_finish is None else start_finish,
            "end_begin": begin if end_begin is None else end_begin,
        }
        if len(titles) != len(ids) or len(dates) != len(ids):
            raise ValueError("all EventArrays columns must have the same length")
        texts = StaticTexts(
            {int(i): (t, d) for i, t, d in zip(ids.tolist(), titles, dates, strict=True)}
        )
        return cls.from_columns(columns, texts)

    @classmethod
    def from_events(cls, events: Sequence[Event], category_index: Mapping[str, int]) -> EventArrays:
        """Arrays for ``events``; an event without an id gets ``-(position + 1)``."""
        n = len(events)
        cols = {c: np.empty(n, dtype=t) for c, t in COLUMN_DTYPES.items()}
        titles: list[str] = []
        dates: list[str] = []
        for i, ev in enumerate(events):
            end = ev.end if ev.end is not None else ev.start
            cols["ids"][i] = ev.id if ev.id is not None else -(i + 1)
            cols["begin"][i] = ev.start.begin()
            cols["start_finish"][i] = ev.start.finish()
            cols["end_begin"][i] = end.begin()
            cols["finish"][i] = end.finish() if ev.end is not None else cols["start_finish"][i]
            cols["start_precision"][i] = int(ev.start.precision)
            cols["end_precision"][i] = int(end.precision)
            cols["is_range"][i] = ev.end is not None
            cols["category"][i] = -1 if ev.category is None else category_index.get(ev.category, -1)
            cols["lane"][i] = -1
            titles.append(ev.title)
            dates.append(ev.date_text())
        texts = StaticTexts(
            {int(i): (t, d) for i, t, d in zip(cols["ids"].tolist(), titles, dates, strict=True)}
        )
        return cls.from_columns(cols, texts)

    # -- texts ------------------------------------------------------------------------

    @property
    def titles(self) -> _TextColumn:
        """Each event's headline (as written; fetched on use)."""
        return _TextColumn(self, 0)

    @property
    def dates(self) -> _TextColumn:
        """Each event's formatted date ("16–17 May 2024"; fetched on use)."""
        return _TextColumn(self, 1)

    # -- queries ---------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    def column(self, name: str) -> np.ndarray:
        return getattr(self, name)

    @cached_property
    def reach(self) -> np.ndarray:
        """Running maximum of ``finish``, for :func:`visible_slice`."""
        return running_max(self.finish)

    @cached_property
    def finish_sorted(self) -> np.ndarray:
        """``finish`` sorted on its own, for :func:`overlap_counts`."""
        return np.sort(self.finish)

    @cached_property
    def lane_order(self) -> np.ndarray:
        """Positions lane by lane (by ``lane``), in time order within each lane."""
        return np.argsort(self.lane, kind="stable").astype(np.int64)

    @cached_property
    def _by_id(self) -> tuple[np.ndarray, np.ndarray]:
        """``(ids sorted, position of each)``: finding an id is a binary search."""
        order = np.argsort(self.ids, kind="stable")
        return self.ids[order], order.astype(np.int64)

    def index_of(self, event_id: int) -> int | None:
        """Position of an event id in these arrays, or ``None``."""
        sorted_ids, pos = self._by_id
        k = int(np.searchsorted(sorted_ids, event_id))
        if k < len(sorted_ids) and sorted_ids[k] == event_id:
            return int(pos[k])
        return None

    def indices_of(self, ids: Iterable[int] | np.ndarray) -> np.ndarray:
        """Positions of ``ids`` (``-1`` for those not here), in the order given."""
        want = np.asarray(ids if isinstance(ids, np.ndarray) else list(ids), dtype=np.int64)
        sorted_ids, pos = self._by_id
        if len(sorted_ids) == 0:
            return np.full(len(want), -1, dtype=np.int64)
        k = np.minimum(np.searchsorted(sorted_ids, want), len(sorted_ids) - 1)
        return np.where(sorted_ids[k] == want, pos[k], -1)

    def contains(self, ids: np.ndarray) -> np.ndarray:
        """Which of ``ids`` are here (a boolean mask over ``ids``)."""
        return self.indices_of(ids) >= 0

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

    # -- subsets and patches ---------------------------------------------------------

    def take(self, positions: np.ndarray) -> EventArrays:
        """The rows at ``positions`` (ascending), sharing the texts.

        The lanes' order, when these arrays have it, is carried over (a subset keeps
        its order, no sorting again).
        """
        positions = np.asarray(positions, dtype=np.int64)
        out = EventArrays(**{c: getattr(self, c)[positions] for c in _COLUMNS}, texts=self.texts)
        if "lane_order" in self.__dict__:
            inverse = np.full(len(self), -1, dtype=np.int64)
            inverse[positions] = np.arange(len(positions))
            order = inverse[self.lane_order]
            out.lane_order = order[order >= 0]
        return out

    def where(self, mask: np.ndarray) -> EventArrays:
        """The rows where ``mask`` holds (all of them: these same arrays)."""
        if len(mask) == len(self) and bool(np.all(mask)):
            return self
        return self.take(np.flatnonzero(mask))

    def patched(
        self, remove: Iterable[int], add: EventArrays | None = None
    ) -> tuple[EventArrays, Patch]:
        """New arrays without the events ``remove`` (ids) and with the rows of ``add``.

        A changed event is removed and added again.  The old arrays stay as they were.
        Costs one binary search per row added or removed and one copy per column:
        nothing is sorted again and no Python object is made per event.
        """
        drop = self.indices_of(np.fromiter((int(i) for i in remove), dtype=np.int64))
        drop = np.unique(drop[drop >= 0])
        add = add if add is not None else EventArrays.empty()
        kept = {c: np.delete(getattr(self, c), drop) for c in _COLUMNS}
        n_add = len(add)
        if n_add:
            at = _insertion_points(kept["begin"], kept["finish"], kept["ids"], add)
            order = np.argsort(at, kind="stable")  # add is sorted too: ties keep its order
            at = at[order]
            new = {c: np.insert(kept[c], at, getattr(add, c)[order]) for c in _COLUMNS}
            inserted = at + np.arange(n_add)
        else:
            at = np.zeros(0, dtype=np.int64)
            new = kept
            inserted = at
        texts = self.texts
        both_static = isinstance(add.texts, StaticTexts) and isinstance(texts, StaticTexts)
        if add.texts is not texts and both_static:  # held in memory: the new arrays know both
            texts = StaticTexts({**texts.known, **add.texts.known})  # type: ignore[union-attr]
        out = EventArrays(**new, texts=texts)
        patch = Patch(drop.astype(np.int64), inserted.astype(np.int64), at.astype(np.int64))
        out._inherit(self, patch)
        return out, patch

    def _inherit(self, old: EventArrays, patch: Patch) -> None:
        """Carry over what ``old`` had derived, patched rather than made again."""
        cache = old.__dict__
        if "lane_order" in cache:
            order = old.lane_order
            if len(patch.removed):
                order = order[~np.isin(order, patch.removed)]
            order = patch.new_position(order)
            new = patch.inserted
            if len(new):
                # each new row goes after the rows of lower lanes and of its lane before it
                key_old = self.lane[order].astype(np.int64) * (len(self) + 1) + order
                key_new = self.lane[new].astype(np.int64) * (len(self) + 1) + new
                srt = np.argsort(key_new)
                at = np.searchsorted(key_old, key_new[srt])
                order = np.insert(order, at, new[srt])
            self.lane_order = order
        if "finish_sorted" in cache:
            fs = old.finish_sorted
            gone = np.sort(old.finish[patch.removed])
            idx = np.searchsorted(fs, gone, side="left")
            # equal values: take out one copy of each (any copy, they are equal)
            idx = idx + _rank_within_equal(gone)
            fs = np.delete(fs, idx)
            added = np.sort(self.finish[patch.inserted])
            self.finish_sorted = np.insert(fs, np.searchsorted(fs, added), added)
        if "_by_id" in cache:
            sorted_ids, pos = old._by_id
            keep = np.ones(len(sorted_ids), dtype=bool)
            if len(patch.removed):
                keep[np.isin(pos, patch.removed)] = False
            sorted_ids, pos = sorted_ids[keep], patch.new_position(pos[keep])
            new_ids = self.ids[patch.inserted]
            srt = np.argsort(new_ids)
            k = np.searchsorted(sorted_ids, new_ids[srt])
            self._by_id = (
                np.insert(sorted_ids, k, new_ids[srt]),
                np.insert(pos, k, patch.inserted[srt]),
            )


def _rank_within_equal(sorted_values: np.ndarray) -> np.ndarray:
    """For sorted values, how many equal values come before each one (0, 1, 2…)."""
    n = len(sorted_values)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    first = np.ones(n, dtype=bool)
    first[1:] = sorted_values[1:] != sorted_values[:-1]
    starts = np.flatnonzero(first)
    run_start = starts[np.cumsum(first) - 1]
    return np.arange(n) - run_start


def _insertion_points(
    begin: np.ndarray, finish: np.ndarray, ids: np.ndarray, add: EventArrays
) -> np.ndarray:
    """Where each row of ``add`` goes in sorted ``(begin, finish, ids)`` columns."""
    lo = np.searchsorted(begin, add.begin, side="left")
    hi = np.searchsorted(begin, add.begin, side="right")
    at = lo.copy()
    for j in np.flatnonzero(hi > lo).tolist():  # ties on begin: few, compared one by one
        a, b = int(lo[j]), int(hi[j])
        key = (float(add.finish[j]), int(add.ids[j]))
        fs, ids_run = finish[a:b].tolist(), ids[a:b].tolist()
        k = 0
        while k < b - a and (fs[k], ids_run[k]) < key:
            k += 1
        at[j] = a + k
    return at.astype(np.int64)
