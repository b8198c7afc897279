"""Turning the store's columns into what the views draw and list, cheaply.

Formatting 100k dates up front would cost about a second before the first frame,
so date text is formatted lazily, on first use, and cached.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

from viewer.model.dates import DateError, PartialDate, format_range
from viewer.store import EventColumns


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


def category_index(names: Sequence[str]) -> dict[str, int]:
    return {name: i for i, name in enumerate(names)}


def lazy_dates(cols: EventColumns) -> LazyDates:
    return LazyDates(cols.start, cols.end)
