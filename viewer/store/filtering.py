"""Filters as boolean masks over the columns (no Qt).

A :class:`~viewer.model.filters.Filters` value becomes one mask over an
:class:`~viewer.store.columns.EventArrays`: hidden categories and the date range are
compared column-wise, and tags and text, which only SQL knows (``event_tags`` and
FTS5), come as sorted id arrays turned into masks by binary search.
:class:`FilterState` keeps those id sets with the filter they were made for, so that
changing one part of a filter asks SQL nothing for the others, and patches them for
the events an edit touched instead of asking again.

:meth:`EventStore.filtered_ids <viewer.store.EventStore.filtered_ids>` gives the same
answer by SQL alone; the tests hold the two to each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from viewer.model.event import Category
from viewer.model.filters import Filters
from viewer.store.columns import EventArrays
from viewer.store.store import EventStore

__all__ = ["FilterState", "hidden_keys", "is_member"]


def is_member(ids: np.ndarray, sorted_ids: np.ndarray) -> np.ndarray:
    """Which of ``ids`` are in ``sorted_ids`` (sorted, unique): a binary search each."""
    if len(sorted_ids) == 0:
        return np.zeros(len(ids), dtype=bool)
    k = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    return sorted_ids[k] == ids


def _holding(arrays: EventArrays, ids: np.ndarray) -> np.ndarray:
    """A mask over ``arrays`` of the rows with these ids (sorted, unique).

    The smaller side is looked up in the larger, both sorted (binary searches run
    fastest over sorted keys): the ids among the rows' ids when they are fewer, else
    the rows' ids among them.
    """
    mask = np.zeros(len(arrays), dtype=bool)
    if len(ids) == 0 or len(arrays) == 0:
        return mask
    if len(ids) < len(arrays):
        found = arrays.indices_of(ids)
        mask[found[found >= 0]] = True
        return mask
    sorted_ids, pos = arrays.sorted_ids()
    mask[pos[is_member(sorted_ids, ids)]] = True
    return mask


def hidden_keys(categories: Sequence[Category], names: Iterable[str]) -> np.ndarray:
    """The category keys (ids; ``-1`` for none, named ``""``) of hidden names.

    A name that is no category hides nothing.
    """
    ids = {c.name: c.id for c in categories}
    keys = [-1 if n == "" else ids.get(n) for n in names]
    return np.asarray(sorted(k for k in keys if k is not None), dtype=np.int32)


class FilterState:
    """The id sets a filter needs from SQL, and the masks made with them."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.tag_ids: np.ndarray | None = None
        self.tag_key: frozenset[str] | None = None
        self.text_ids: np.ndarray | None = None
        self.text_key: str | None = None

    def forget(self) -> None:
        self.tag_ids = self.text_ids = None
        self.tag_key = self.text_key = None

    @staticmethod
    def _text(filters: Filters) -> str | None:
        return filters.text if filters.text.strip() else None

    def needs_search(self, filters: Filters) -> bool:
        """Whether the text of ``filters`` is still to be searched."""
        text = self._text(filters)
        return text is not None and text != self.text_key

    def update(self, filters: Filters, *, search: bool = True) -> None:
        """Ask SQL for the id sets ``filters`` needs that are not known yet (the text
        only with ``search``: the caller may search it elsewhere, see
        :meth:`set_text_ids`)."""
        tags = filters.tags or None
        if tags != self.tag_key:
            self.tag_ids = self.store.tagged_ids(filters.tags) if tags else None
            self.tag_key = tags
        text = self._text(filters)
        if text is None:
            self.text_ids, self.text_key = None, None
        elif search and text != self.text_key:
            self.set_text_ids(text, self.store.search_ids(text))

    def set_text_ids(self, text: str, ids: np.ndarray) -> None:
        """The ids matching ``text``, found elsewhere (a search thread)."""
        self.text_ids, self.text_key = ids, text

    def mask(self, arrays: EventArrays, filters: Filters) -> np.ndarray:
        """Which rows of ``arrays`` pass ``filters`` (after :meth:`update`)."""
        keep = np.ones(len(arrays), dtype=bool)
        if filters.hidden_categories:
            keys = hidden_keys(self.store.categories(), filters.hidden_categories)
            if len(keys):
                keep &= ~np.isin(arrays.category, keys)
        if filters.date_from is not None:
            keep &= arrays.finish > filters.date_from.begin()
        if filters.date_to is not None:
            keep &= arrays.begin < filters.date_to.finish()
        for ids in (self.tag_ids, self.text_ids):
            if ids is not None:
                keep &= _holding(arrays, ids)
        return keep

    def patch(self, fresh: Iterable[int], gone: Iterable[int]) -> None:
        """Keep the id sets right after an edit: ``gone`` events changed or were
        removed, ``fresh`` ones were added or changed (only they are asked about)."""
        fresh_ids = sorted({int(i) for i in fresh})
        gone_ids = np.fromiter((int(i) for i in gone), dtype=np.int64)
        if self.text_ids is not None and self.text_key is not None:
            found = self.store.search_ids(self.text_key, among=fresh_ids)
            self.text_ids = np.union1d(np.setdiff1d(self.text_ids, gone_ids), found)
        if self.tag_ids is not None and self.tag_key is not None:
            found = self.store.tagged_ids(self.tag_key, among=fresh_ids)
            self.tag_ids = np.union1d(np.setdiff1d(self.tag_ids, gone_ids), found)
