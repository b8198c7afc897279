"""Search as a person types: one more letter often finds nothing new (no Qt here).

The last word typed is searched as a prefix (see :func:`~viewer.store.reads.fts_query`),
so "parliamen" and "parliament" both ask for every term that begins so.  When the
full-text index holds the same terms for both (it usually does, once a word is a few
letters long), the events found are the same: :class:`TypedSearch` asks the index's
vocabulary (a range of its terms, a few milliseconds) and gives back the ids it found
for the previous letter instead of searching again (which, for a word in a hundred
thousand events of a million, takes 50 to 90 ms).  It does so only for a last word
of plain ASCII letters and digits, whose terms are known for sure (the tokenizer just
lowers their case); anything else is searched afresh.
"""

from __future__ import annotations

import re
import threading

import numpy as np

from viewer.store.reads import typed_words
from viewer.store.store import EventStore

__all__ = ["TypedSearch"]

_PLAIN = re.compile(r"[A-Za-z0-9]+")


class TypedSearch:
    """The ids matching each text typed, reusing the last answer when it must be the
    same.  One searching thread at a time (with its own store); :meth:`forget` may be
    called from any thread, also while a search runs."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        # (the words before the last, the terms of the last, the ids found)
        self._last: tuple[tuple[str, ...], tuple[str, ...], np.ndarray] | None = None
        self._generation = 0  # one more on each forget
        self._lock = threading.Lock()

    def search(self, text: str) -> np.ndarray:
        with self._lock:
            generation, last = self._generation, self._last
        words = typed_words(text)
        terms: tuple[str, ...] | None = None
        if words and _PLAIN.fullmatch(words[-1]):
            terms = self.store.prefix_terms(words[-1].lower())
            if last is not None and last[0] == tuple(words[:-1]) and last[1] == terms:
                return last[2]
        ids = self.store.search_ids(text)
        last = (tuple(words[:-1]), terms, ids) if terms is not None else None
        with self._lock:  # (what was read before a forget is not kept for after it)
            self._last = last if generation == self._generation else None
        return ids

    def forget(self) -> None:
        """Drop what was found (the events changed)."""
        with self._lock:
            self._generation += 1
            self._last = None
