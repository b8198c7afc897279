"""Turning the store's columns into what the views draw and list, cheaply.

Formatting 100k dates up front would cost about a second before the first frame,
so date text is formatted lazily, on first use, and cached.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, overload

import numpy as np

from viewer.model.dates import DateError, PartialDate, format_range
from viewer.store import EventColumns

if TYPE_CHECKING:
    from viewer.ui.timeline.data import EventArrays


class LazyDates(Sequence[str]):
    """``format_range`` of each event, computed when first asked for."""

    def __init__(self, start: Sequence[str], end: Sequence[str | None]) -> None:
        self._start = start
        self._end = end
        self._cache: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._start)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        text = self._cache.get(index)
        if text is None:
            text = self._format(index)
            self._cache[index] = text
        return text

    def _format(self, index: int) -> str:
        try:
            start = PartialDate.from_iso(self._start[index])
            end_text = self._end[index]
            end = PartialDate.from_iso(end_text) if end_text else None
        except DateError:
            return self._start[index]
        return format_range(start, end)

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))


def subset(cols: EventColumns, positions: Sequence[int]) -> EventColumns:
    """The rows at ``positions`` (ascending), column by column, at C speed."""
    if not positions:
        return EventColumns()
    take = operator.itemgetter(*positions)
    if len(positions) == 1:
        return EventColumns(*([take(getattr(cols, f.name))] for f in fields(cols)))
    return EventColumns(*(list(take(getattr(cols, f.name))) for f in fields(cols)))


def category_index(names: Sequence[str]) -> dict[str, int]:
    """Colour index of each category name; ``""`` (no category) maps to -1 (neutral).

    A timeline without any categories draws everything in the first colour rather
    than in the neutral grey meant to set uncategorised events apart.
    """
    if not names:
        return {"": 0}
    return {name: i for i, name in enumerate(names)}


def lazy_dates(cols: EventColumns) -> LazyDates:
    return LazyDates(cols.start, cols.end)


def arrays_from_columns(
    cols: EventColumns, category_of: Mapping[str, int], dates: Sequence[str] | None = None
) -> EventArrays:
    """The timeline's arrays for the store's columns (already in chronological order).

    Built column-wise with numpy, no per-event Python objects: this is on the path to
    the first frame for 100k events.
    """
    from viewer.ui.timeline.data import EventArrays

    n = len(cols)
    if n == 0:
        return EventArrays.empty()
    is_range = np.fromiter((e is not None for e in cols.end), dtype=bool, count=n)
    start_precision = np.asarray(cols.start_precision, dtype=np.int8)
    end_precision = np.where(
        is_range,
        np.asarray([-1 if p is None else p for p in cols.end_precision], dtype=np.int8),
        start_precision,
    ).astype(np.int8)
    category = np.fromiter(
        (category_of.get(c, -1) for c in cols.categories), dtype=np.int32, count=n
    )
    return EventArrays(
        ids=np.asarray(cols.ids, dtype=np.int64),
        begin=np.asarray(cols.begin, dtype=np.float64),
        finish=np.asarray(cols.finish, dtype=np.float64),
        start_precision=start_precision,
        end_precision=end_precision,
        is_range=is_range,
        category=category,
        titles=cols.titles,
        dates=dates if dates is not None else lazy_dates(cols),  # type: ignore[arg-type]
        start_finish=np.asarray(cols.start_until, dtype=np.float64),
        end_begin=np.asarray(cols.end_from, dtype=np.float64),
    )
