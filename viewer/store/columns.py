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
from typing import Any, Protocol, cast, overload

import numpy as np

from viewer.model.event import Event
from viewer.store.splicing import (
    _insertion_points,
    _lane_slot,
    _lane_slot_skipping,
    _member_of,
    _move,
    _move_block,
    _resplice,
    _slots,
)

__all__ = [
    "COLUMN_DTYPES",
    "CachedTexts",
    "EventArrays",
    "Patch",
    "StaticTexts",
    "TextSource",
    "overlap_counts",
    "running_max",
    "sorted_unique",
    "visible_indices",
    "visible_slice",
]

#: The numeric columns of :class:`EventArrays` and their types.
COLUMN_DTYPES: dict[str, type[np.generic]] = {
    "ids": np.int64,
    "begin": np.float64,
    "finish": np.float64,
    "start_until": np.float64,
    "end_from": np.float64,
    "start_precision": np.int8,
    "end_precision": np.int8,
    "is_range": np.bool_,
    "category": np.int32,
    "lane": np.int32,
    "edges": np.int8,
}
_COLUMNS = tuple(COLUMN_DTYPES)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``values`` sorted, each once: at no cost when they already are (ids as SQLite
    gives them).  ``np.unique`` hashes in numpy 2: 40 ms for 138k ids."""
    values = np.asarray(values)
    if len(values) < 2 or bool(np.all(values[1:] > values[:-1])):
        return values
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _stable_order(keys: np.ndarray) -> np.ndarray:
    """The stable sort order of small non-negative integer keys (lanes): numpy sorts
    16-bit keys by radix, six times faster than 32-bit ones."""
    if len(keys) and int(keys.min()) >= 0 and int(keys.max()) < 65536:
        keys = keys.astype(np.uint16)
    return np.argsort(keys, kind="stable").astype(np.int64)


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
    #: the ids of the events removed, changed or added
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def new_position(self, old: np.ndarray | int) -> np.ndarray:
        """New positions of rows that stayed (given by their old positions)."""
        old = np.asarray(old, dtype=np.int64)
        if len(self.removed) + len(self.at) <= 4:  # an edit: a comparison or two, in place
            out = old.copy()
            for r in reversed(self.removed.tolist()):  # the largest first: no copy needed
                out -= out > r
            for a in reversed(self.at.tolist()):
                out += out >= a
            return out
        kept = old - np.searchsorted(self.removed, old, side="left")
        return kept + np.searchsorted(self.at, kept, side="right")

    @property
    def is_empty(self) -> bool:
        return len(self.removed) == 0 and len(self.inserted) == 0


@dataclass(eq=False)
class EventArrays:
    """Parallel arrays of events, sorted by ``begin`` (ties: ``finish``, then ``ids``).

    ``start_until`` is where the start date's own period ends and ``end_from`` where
    the end date's period starts; the timeline fades those periods when the date is
    only known to the month or year.  For a point event ``start_until == finish`` and
    ``end_from == begin``, and ``end_precision == start_precision``.  ``category`` is a
    key into the colours (the store gives category ids; ``-1``: none) and ``lane`` the
    event's lane in the store's default layout (``-1``: not placed).  ``edges`` holds
    the bits of :func:`viewer.model.event.edge_flags`: which ends are approximate or
    uncertain (drawn soft) and which are open ("before 1200").

    ``titles`` and ``dates`` read like lists but fetch through ``texts`` on use.
    """

    ids: np.ndarray  # int64
    begin: np.ndarray  # float64
    finish: np.ndarray  # float64
    start_precision: np.ndarray  # int8 (viewer.model.dates.Precision)
    end_precision: np.ndarray  # int8
    is_range: np.ndarray  # bool
    category: np.ndarray  # int32
    start_until: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.float64))
    end_from: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.float64))
    lane: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    edges: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int8))
    texts: TextSource = field(default_factory=StaticTexts)

    def __post_init__(self) -> None:
        n = len(self.ids)
        if len(self.start_until) != n:
            self.start_until = np.asarray(self.finish, dtype=np.float64).copy()
        if len(self.end_from) != n:
            self.end_from = np.asarray(self.begin, dtype=np.float64).copy()
        if len(self.lane) != n:
            self.lane = np.full(n, -1, dtype=np.int32)
        if len(self.edges) != n:
            self.edges = np.zeros(n, dtype=np.int8)
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
        ``start_until`` and ``end_from`` may be missing.
        """
        ids = np.asarray(columns["ids"], dtype=np.int64)
        begin = np.asarray(columns["begin"], dtype=np.float64)
        finish = np.asarray(columns["finish"], dtype=np.float64)
        by_id = bool(np.all(ids[1:] > ids[:-1]))  # as a scan of the store gives them
        if check:
            if not by_id and len(sorted_unique(ids)) != len(ids):
                raise ValueError("event ids must be unique")
            if np.any(finish < begin):
                raise ValueError("an event cannot finish before it begins")
        # (lexsort is stable: rows in id order need no third key)
        order: np.ndarray | None = (
            np.lexsort((finish, begin)) if by_id else np.lexsort((ids, finish, begin))
        )
        if order is not None and len(order) and np.all(order[1:] > order[:-1]):
            order = None  # already in order: no copies
        arrays = cls._sorted(columns, order, texts)
        if by_id:  # the lookup by id for free: the ids in their given order, where each went
            where = np.empty(len(ids), dtype=np.int64)
            where[order if order is not None else slice(None)] = np.arange(len(ids))
            # (its own copy of the ids: the column moves in place on an edit)
            arrays._by_id = (ids if order is not None else ids.copy(), where)
        return arrays

    @classmethod
    def _sorted(
        cls, columns: Mapping[str, Any], order: np.ndarray | None, texts: TextSource | None
    ) -> EventArrays:
        out: dict[str, np.ndarray] = {}
        seen: set[int] = set()
        for name, dtype in COLUMN_DTYPES.items():
            if name not in columns:
                continue
            col = np.asarray(columns[name], dtype=dtype)
            col = col if order is None else col[order]
            if id(col) in seen:  # one array given for two columns: each gets its own
                col = col.copy()
            seen.add(id(col))
            out[name] = col
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
        start_until: np.ndarray | None = None,
        end_from: np.ndarray | None = None,
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
            "start_until": finish if start_until is None else start_until,
            "end_from": begin if end_from is None else end_from,
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
            cols["start_until"][i] = ev.start.finish()
            cols["end_from"][i] = end.begin()
            cols["finish"][i] = end.finish() if ev.end is not None else cols["start_until"][i]
            cols["start_precision"][i] = int(ev.start.precision)
            cols["end_precision"][i] = int(end.precision)
            cols["is_range"][i] = ev.end is not None
            cols["category"][i] = -1 if ev.category is None else category_index.get(ev.category, -1)
            cols["lane"][i] = -1
            cols["edges"][i] = ev.edges
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
    def lane_order(self) -> np.ndarray:
        """Positions lane by lane (by ``lane``), in time order within each lane."""
        return _stable_order(self.lane)

    @cached_property
    def lane_begin(self) -> np.ndarray:
        """``begin`` in :attr:`lane_order`."""
        return self.begin[self.lane_order]

    @cached_property
    def lane_finish(self) -> np.ndarray:
        """``finish`` in :attr:`lane_order`."""
        return self.finish[self.lane_order]

    @cached_property
    def _by_id(self) -> tuple[np.ndarray, np.ndarray]:
        """``(ids sorted, position of each)``: finding an id is a binary search.

        A subset made from arrays that had it takes theirs, kept with the subset's
        mask (no sort), unless it changed since.
        """
        source = self.__dict__.pop("_by_id_from", None)
        if source is not None:
            sorted_ids, pos, mask, rank = source
            kept = mask[pos]
            return sorted_ids[kept], rank[pos[kept]]
        repeated = self.__dict__.pop("_by_id_repeat", None)
        if repeated is not None:  # rows[j] is the row of theirs that row j repeats
            sorted_ids, pos, rows = repeated
            per = np.bincount(rows, minlength=len(pos))
            first = np.cumsum(per) - per  # the first copy of each of their rows
            n_copies = per[pos]  # (in the order of the ids)
            starts = np.cumsum(n_copies) - n_copies
            copy = np.arange(len(rows), dtype=np.int64) - np.repeat(starts, n_copies)
            return np.repeat(sorted_ids, n_copies), np.repeat(first[pos], n_copies) + copy
        order = np.argsort(self.ids, kind="stable")
        return self.ids[order], order.astype(np.int64)

    def sorted_ids(self) -> tuple[np.ndarray, np.ndarray]:
        """``(every id, ascending; the position of each)``."""
        return self._by_id

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
        if len(want) == 0:
            return np.zeros(0, dtype=np.int64)
        sorted_ids, pos = self._by_id
        if len(sorted_ids) == 0:
            return np.full(len(want), -1, dtype=np.int64)
        k = np.minimum(np.searchsorted(sorted_ids, want), len(sorted_ids) - 1)
        return np.where(sorted_ids[k] == want, pos[k], -1)

    def rows_of(self, ids: Iterable[int] | np.ndarray) -> np.ndarray:
        """The positions (ascending) of every row of ``ids``: of each copy of an event
        drawn in several swimlanes (:meth:`repeat`), of its one row otherwise."""
        want = np.asarray(ids if isinstance(ids, np.ndarray) else list(ids), dtype=np.int64)
        sorted_ids, pos = self._by_id
        if len(want) == 0 or len(sorted_ids) == 0:
            return np.zeros(0, dtype=np.int64)
        return np.sort(pos[_slots(sorted_ids, sorted_unique(want))])

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
        """The rows at ``positions`` (ascending), sharing the texts."""
        mask = np.zeros(len(self), dtype=bool)
        mask[np.asarray(positions, dtype=np.int64)] = True
        return self._subset(mask)

    def repeat(self, rows: np.ndarray) -> EventArrays:
        """The rows at ``rows`` (ascending, a row may repeat: an event drawn in several
        swimlanes), sharing the texts.  Its ids are then not unique: :meth:`index_of`
        finds one of the copies."""
        rows = np.asarray(rows, dtype=np.int64)
        out = EventArrays(**{c: getattr(self, c).take(rows) for c in _COLUMNS}, texts=self.texts)
        if "_by_id" in self.__dict__:  # its lookup by id from theirs when asked for: no sort
            sorted_ids, pos = self._by_id
            # (a copy of the positions: these arrays' own move in place on an edit)
            out.__dict__["_by_id_repeat"] = (sorted_ids, pos.copy(), rows)
        return out

    def copy(self) -> EventArrays:
        """A copy of its own (the pipeline's arrays change in place on an edit: a view
        that keeps them as they were, a presentation, takes a copy)."""
        return EventArrays(**{c: getattr(self, c).copy() for c in _COLUMNS}, texts=self.texts)

    def where(self, mask: np.ndarray) -> EventArrays:
        """The rows where ``mask`` holds (all of them: these same arrays)."""
        if len(mask) == len(self) and bool(np.all(mask)):
            return self
        return self._subset(np.asarray(mask, dtype=bool))

    def _subset(self, mask: np.ndarray) -> EventArrays:
        """The rows where ``mask`` holds, sharing the texts.

        What these arrays derived (the order lane by lane, the lookup by id) is carried
        over with the same mask: a filter of a million events costs a few passes that
        keep or drop, nothing sorted.
        """
        # (positions, then take: a boolean index of a scattered mask costs several
        # times more per column, a branch mispredicted per row)
        rows = np.flatnonzero(mask)
        out = EventArrays(**{c: getattr(self, c).take(rows) for c in _COLUMNS}, texts=self.texts)
        cache = self.__dict__
        if len(out) * 4 < len(self):
            return out  # few rows: sorting them again costs less than a pass over all
        if "lane_order" in cache or "_by_id" in cache:
            rank = np.cumsum(mask, dtype=np.int64) - 1  # position among those kept
        if "lane_order" in cache:
            kept = np.flatnonzero(mask[cache["lane_order"]])
            out.lane_order = rank[cache["lane_order"].take(kept)]
            for name in ("lane_begin", "lane_finish"):
                if name in cache:
                    setattr(out, name, cache[name].take(kept))
        if "_by_id" in cache:  # made when first asked for (a filter seldom needs it)
            sorted_ids, pos = cache["_by_id"]
            # (a copy of the positions: these arrays' own move in place on an edit)
            out.__dict__["_by_id_from"] = (sorted_ids, pos.copy(), mask, rank)
        return out

    def patched(
        self, remove: Iterable[int], add: EventArrays | None = None
    ) -> tuple[EventArrays, Patch]:
        """New arrays without the events ``remove`` (ids) and with the rows of ``add``.

        A changed event is removed and added again; every copy of an event drawn in
        several swimlanes (:meth:`repeat`) is removed (``add`` puts in its new copies,
        each after the copies before it in ``add``).  The old arrays stay as they were.
        Costs one binary search per row added or removed and one copy per column
        (:func:`_splice`): nothing is sorted again and no Python object is made per
        event.
        """
        drop = self.rows_of(np.fromiter((int(i) for i in remove), dtype=np.int64))
        add = add if add is not None else EventArrays.empty()
        n_add = len(add)
        if n_add:
            # where each new row goes among the old ones, then among those kept
            where = _insertion_points(self.begin, self.finish, self.ids, add)
            order = np.argsort(where, kind="stable")  # add is sorted too: ties keep its order
            where = where[order]
            at = where - np.searchsorted(drop, where, side="left")
            new = {c: _splice(getattr(self, c), drop, at, getattr(add, c)[order]) for c in _COLUMNS}
            inserted = at + np.arange(n_add)
        else:
            at = np.zeros(0, dtype=np.int64)
            new = {c: _splice(getattr(self, c), drop, at, getattr(add, c)) for c in _COLUMNS}
            inserted = at
        texts = self.texts
        both_static = isinstance(add.texts, StaticTexts) and isinstance(texts, StaticTexts)
        if add.texts is not texts and both_static:  # held in memory: the new arrays know both
            texts = StaticTexts(
                {**cast(StaticTexts, texts).known, **cast(StaticTexts, add.texts).known}
            )
        out = EventArrays(**new, texts=texts)
        ids = np.union1d(self.ids[drop], add.ids)
        patch = Patch(drop.astype(np.int64), inserted.astype(np.int64), at.astype(np.int64), ids)
        out._inherit(self, patch)
        return out, patch

    def move_in_place(self, row: EventArrays) -> Patch | None:
        """Put the one changed event of ``row`` where it now belongs, in these arrays.

        For an edit, which takes an event out and puts it back: the rows between its
        old and new places shift by one, in place, so the cost is the distance it
        moved (plus a few vectorised passes over the derived orders), not a copy of
        every column.  These arrays change: whoever holds them is told by the patch.
        ``None`` (nothing changed) when this is not such an edit; then use
        :meth:`patched`.
        """
        if len(row) != 1:
            return None
        event_id = int(row.ids[0])
        p = self.index_of(event_id)  # (makes the lookup by id: it is moved along)
        if p is None:
            return None
        # where it goes among the others (as if taken out first)
        f = int(_insertion_points(self.begin, self.finish, self.ids, row)[0])
        if f > p:
            f -= 1  # (its own old row came before)
        cache = self.__dict__
        old_lane = int(self.lane[p])
        u = None
        if "lane_order" in cache:  # its entry lane by lane: a binary search
            order = cache["lane_order"]
            u = _lane_slot(order, self.lane, old_lane, p, skip=None)
        for name in _COLUMNS:
            _move(getattr(self, name), p, f, getattr(row, name)[0])
        lo, hi = min(p, f), max(p, f)
        if "reach" in cache:
            reach = cache["reach"]
            reach[lo:] = np.maximum.accumulate(self.finish[lo:])
            if lo > 0:
                np.maximum(reach[lo:], reach[lo - 1], out=reach[lo:])
        if "_by_id" in cache:
            sorted_ids, pos = cache["_by_id"]
            between = np.searchsorted(sorted_ids, self.ids[lo : hi + 1])
            pos[between] = np.arange(lo, hi + 1)
        if u is not None:
            order = cache["lane_order"]
            if lo < hi:  # the rows between moved by one
                shifted = (order >= lo) & (order <= hi)
                order[shifted] += -1 if f > p else 1
            order[u] = f
            v = _lane_slot(order, self.lane, int(self.lane[f]), f, skip=u)
            _move(order, u, v, f)
            for name, column in (("lane_begin", self.begin), ("lane_finish", self.finish)):
                if name in cache:
                    _move(cache[name], u, v, column[f])
        return Patch(np.array([p]), np.array([f]), np.array([f]), np.array([event_id]))

    def move_copies_in_place(self, rows: EventArrays) -> Patch | None:
        """Put the copies of one changed event (``rows``: as many as it has here, all
        of its id, sorted; see :meth:`repeat`) where they now belong, in these arrays.

        :meth:`move_in_place` for an event drawn in several swimlanes: its copies are
        next to each other (the same begin, finish and id) and move as a block, so the
        cost is the distance they moved.  ``None`` (nothing changed) when this is not
        such an edit; then use :meth:`patched`.
        """
        c = len(rows)
        if c == 0 or bool(np.any(rows.ids != rows.ids[0])):
            return None
        event_id = int(rows.ids[0])
        here = self.rows_of([event_id])
        if len(here) != c or int(here[-1] - here[0]) != c - 1:
            return None
        p = int(here[0])
        key = rows.take(np.array([0]))
        f = int(_insertion_points(self.begin, self.finish, self.ids, key)[0])
        if f > p:
            f -= c  # (its own old rows came before)
        cache = self.__dict__
        lo, hi = min(p, f), max(p, f) + c  # the rows that move: [lo, hi)
        slots = None
        if "lane_order" in cache:  # their entries lane by lane: binary searches
            order = cache["lane_order"]
            slots = [_lane_slot(order, self.lane, int(self.lane[i]), i, None) for i in here]
        for name in _COLUMNS:
            _move_block(getattr(self, name), p, f, getattr(rows, name))
        if "reach" in cache:
            reach = cache["reach"]
            reach[lo:] = np.maximum.accumulate(self.finish[lo:])
            if lo > 0:
                np.maximum(reach[lo:], reach[lo - 1], out=reach[lo:])
        if "_by_id" in cache:  # every id in the rows that moved: its slots, in order
            sorted_ids, pos = cache["_by_id"]
            ids = self.ids[lo:hi]
            at = np.arange(len(ids))
            block = np.maximum.accumulate(np.where(np.r_[True, ids[1:] != ids[:-1]], at, 0))
            pos[np.searchsorted(sorted_ids, ids) + at - block] = lo + at
        if slots is not None:
            order = cache["lane_order"]
            gone = np.array(sorted(slots), dtype=np.int64)
            mine = np.zeros(len(order), dtype=bool)
            mine[gone] = True
            if f != p:  # the rows between moved by c
                a, b = (p + c, f + c) if f > p else (f, p)
                shifted = (order >= a) & (order < b) & ~mine
                order[shifted] += -c if f > p else c
            new = f + np.arange(c)
            skip = gone.tolist()
            put = np.array(
                [
                    _lane_slot_skipping(order, self.lane, int(self.lane[i]), int(i), skip)
                    for i in new
                ],
                dtype=np.int64,
            )
            _resplice(order, gone, put, new)
            for name, column in (("lane_begin", self.begin), ("lane_finish", self.finish)):
                if name in cache:
                    _resplice(cache[name], gone, put, column[new])
        return Patch(here, f + np.arange(c), np.full(c, f), np.array([event_id]))

    def _inherit(self, old: EventArrays, patch: Patch) -> None:
        """Carry over what ``old`` had derived, patched rather than made again."""
        cache = old.__dict__
        removed, inserted = patch.removed, patch.inserted
        if "lane_order" in cache:
            order = old.lane_order
            begins = {c: cache[c] for c in ("lane_begin", "lane_finish") if c in cache}
            if len(removed):
                gone = np.flatnonzero(_member_of(order, removed))
                none = np.zeros(0, np.int64)
                order = _splice(order, gone, none, order[:0])
                begins = {c: _splice(v, gone, none, v[:0]) for c, v in begins.items()}
            order = patch.new_position(order)
            if len(inserted):
                # each new row goes after the rows of lower lanes and of its lane before it
                key_old = self.lane[order].astype(np.int64) * (len(self) + 1) + order
                key_new = self.lane[inserted].astype(np.int64) * (len(self) + 1) + inserted
                srt = np.argsort(key_new)
                at = np.searchsorted(key_old, key_new[srt])
                rows = inserted[srt]
                order = _splice(order, order[:0], at, rows)
                values = {"lane_begin": self.begin[rows], "lane_finish": self.finish[rows]}
                begins = {c: _splice(v, order[:0], at, values[c]) for c, v in begins.items()}
            self.lane_order = order
            for c, v in begins.items():
                setattr(self, c, v)
        if "_by_id" in cache:
            sorted_ids, pos = old._by_id
            # (every copy of an id removed goes: the slots of its ids, as many as rows)
            gone = _slots(sorted_ids, sorted_unique(old.ids[removed]))
            new_ids = self.ids[inserted]
            srt = np.argsort(new_ids, kind="stable")  # (copies: in their rows' order)
            k = np.searchsorted(sorted_ids, new_ids[srt])
            k = k - np.searchsorted(gone, k, side="left")
            kept_pos = patch.new_position(_splice(pos, gone, k[:0], pos[:0]))
            self._by_id = (
                _splice(sorted_ids, gone, k, new_ids[srt]),
                _splice(kept_pos, np.zeros(0, np.int64), k, inserted[srt]),
            )


#: Up to this many rows removed and added, :func:`_splice` copies slices around them;
#: beyond, numpy's delete and insert.
_FEW = 64


def _splice(col: np.ndarray, drop: np.ndarray, at: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``col`` without the rows ``drop`` (ascending) and with ``values`` put in at
    ``at`` (ascending, positions among the rows kept), in one pass: one allocation and
    a copy of the slices between them."""
    if len(drop) == 0 and len(at) == 0:
        return col
    if len(drop) + len(at) > _FEW:
        kept = np.delete(col, drop) if len(drop) else col
        return np.insert(kept, at, values) if len(at) else kept
    # a position among the kept rows, as a position in ``col``: after the drops before it
    shifted = drop - np.arange(len(drop))
    where = at + np.searchsorted(shifted, at, side="right")
    steps = sorted(
        [(int(w), 0, k) for k, w in enumerate(where.tolist())]
        + [(int(d), 1, 0) for d in drop.tolist()]
    )
    pieces: list[np.ndarray] = []
    cursor = 0
    for pos, is_drop, k in steps:
        if pos > cursor:
            pieces.append(col[cursor:pos])
            cursor = pos
        if is_drop:
            cursor = pos + 1
        else:
            pieces.append(values[k : k + 1])
    pieces.append(col[cursor:])
    return np.concatenate(pieces).astype(col.dtype, copy=False)
