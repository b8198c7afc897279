"""How :class:`~viewer.store.columns.EventArrays` finds rows and moves them in place:
binary searches over its sorted columns and the order lane by lane, and the slices
that shift when an edited event (or the block of its copies) moves (pure numpy)."""

from __future__ import annotations

import bisect
from typing import Protocol

import numpy as np


class Rows(Protocol):
    """Rows to put in (an :class:`~viewer.store.columns.EventArrays`)."""

    @property
    def begin(self) -> np.ndarray: ...
    @property
    def finish(self) -> np.ndarray: ...
    @property
    def ids(self) -> np.ndarray: ...


def _slots(sorted_ids: np.ndarray, want: np.ndarray) -> np.ndarray:
    """The indices (ascending) into ``sorted_ids`` of every entry equal to one of
    ``want`` (sorted, unique): one for an id with one row, one per copy otherwise."""
    lo = np.searchsorted(sorted_ids, want, side="left")
    hi = np.searchsorted(sorted_ids, want, side="right")
    many = hi - lo
    if bool(np.all(many <= 1)):
        return lo[many == 1].astype(np.int64)
    starts = np.cumsum(many) - many
    return np.repeat(lo, many) + (np.arange(int(many.sum())) - np.repeat(starts, many))


def _lane_slot(order: np.ndarray, lane: np.ndarray, k: int, position: int, skip: int | None) -> int:
    """Where ``(lane k, position)`` comes in ``order`` (positions sorted by lane, then
    position), leaving out the entry ``skip``: a binary search of ``log n`` steps."""
    n = len(order) - (skip is not None)

    def key(j: int) -> tuple[int, int]:
        if skip is not None and j >= skip:
            j += 1
        i = int(order[j])
        return int(lane[i]), i

    return bisect.bisect_left(range(n), (k, position), key=key)


def _lane_slot_skipping(
    order: np.ndarray, lane: np.ndarray, k: int, position: int, skip: list[int]
) -> int:
    """Where ``(lane k, position)`` comes in ``order`` among the entries not in
    ``skip`` (ascending, few): a position among those kept."""
    n = len(order) - len(skip)

    def key(j: int) -> tuple[int, int]:
        for s in skip:  # (the j-th kept entry: after the skipped ones before it)
            if j >= s:
                j += 1
        i = int(order[j])
        return int(lane[i]), i

    return bisect.bisect_left(range(n), (k, position), key=key)


def _resplice(col: np.ndarray, gone: np.ndarray, at: np.ndarray, values: np.ndarray) -> None:
    """In ``col``, in place: take out the entries ``gone`` (ascending) and put as many
    ``values`` in at ``at`` (positions among those kept, ascending); only the stretch
    between them is copied."""
    c = len(gone)
    lo = min(int(gone[0]), int(at[0]))
    hi = min(len(col), max(int(gone[-1]) + 1, int(at[-1]) + c))
    col[lo:hi] = np.insert(np.delete(col[lo:hi], gone - lo), at - lo, values)


def _move_block(col: np.ndarray, p: int, f: int, values: np.ndarray) -> None:
    """In ``col``, take out the ``len(values)`` rows from ``p`` and put ``values`` in
    from ``f`` (the same length: the rows between shift by as many)."""
    c = len(values)
    if f > p:
        col[p:f] = col[p + c : f + c]
    elif f < p:
        col[f + c : p + c] = col[f:p].copy()
    col[f : f + c] = values


def _move(col: np.ndarray, p: int, f: int, value: object) -> None:
    """In ``col``, take out the row at ``p`` and put ``value`` in at ``f`` (the same
    length: the rows between shift by one)."""
    if f > p:
        col[p:f] = col[p + 1 : f + 1]
    elif f < p:
        col[f + 1 : p + 1] = col[f:p]
    col[f] = value


def _member_of(values: np.ndarray, few: np.ndarray) -> np.ndarray:
    """Which of ``values`` are in ``few`` (sorted): comparisons for a handful, else a
    binary search each."""
    if len(few) <= 4:
        out = np.zeros(len(values), dtype=bool)
        for f in few.tolist():
            out |= values == f
        return out
    k = np.minimum(np.searchsorted(few, values), len(few) - 1)
    return few[k] == values


def _insertion_points(
    begin: np.ndarray, finish: np.ndarray, ids: np.ndarray, add: Rows
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
