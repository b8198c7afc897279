"""The one data pipeline: the open document's events as columns, filtered, kept live.

:class:`TimelineData` is what the timeline, the overview, the event list, the
sidebar's counts, the presentation and the picture exports all read.  The main
window only wires it to them.  It holds

* ``all``: every event of the store as :class:`~viewer.store.columns.EventArrays`
  (numpy columns, headlines and dates fetched on use through one text cache);
* ``shown``: the events passing the filters (``all`` itself when nothing is
  filtered).  Each part of a filter is a boolean mask over ``all``: hidden
  categories and the date range come from the columns, tags and text are ids from
  SQL (FTS5) turned into a mask.

Nothing is read again on a change.  The store says which events were added, changed
or removed (:class:`~viewer.store.Change`); the pipeline reads just their rows,
patches ``all`` and ``shown`` in place (binary-search insert and delete), and emits
:attr:`TimelineData.patched` with where rows went, so that each view patches what it
derived.  Only a change the store cannot list (a big import, a new packing of the
lanes) makes it read everything again.

Opening a big file is progressive: :meth:`TimelineData.open` shows first what is
cheap, the events of the first lanes (an index on the stored lanes) and the span
and count, and reads the columns in a thread while the window already takes input
(SQLite lets go of the GIL while it works); the file's integrity check runs in a
second thread beside it.  Edits wait until both are done (:attr:`ready`).

Typed search runs the same way: each query goes to a thread, a newer one interrupts
an older one, and only the newest result is applied, so typing never waits.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QObject, Signal

from viewer.model.filters import Filters
from viewer.model.lanes import default_lanes, default_scale, free_lane, within_reach
from viewer.store import Change, EventArrays, EventStore, StoreError
from viewer.store.columns import COLUMN_DTYPES, CachedTexts
from viewer.store.filtering import FilterState
from viewer.store.search import TypedSearch

__all__ = ["PREVIEW_LANES", "PROGRESSIVE_LIMIT", "TimelineData"]

#: Stores with more events than this open progressively (first lanes first).
PROGRESSIVE_LIMIT = 50_000
#: Lanes read for the first frame of a progressive open.
PREVIEW_LANES = 64


@dataclass(frozen=True, slots=True)
class _Loaded:
    generation: int
    arrays: EventArrays | None
    error: str | None


class TimelineData(QObject):
    """The events of one open document, as every view reads them.

    Signals:
        reset(): ``all`` and ``shown`` were replaced (a new document, a full read, the
            end of a progressive load); views take them afresh.
        shownChanged(): the filter changed: ``shown`` is a new subset of ``all``.
        filtered(): the filter asked for is the one shown now (after every change of
            filter, also one that finds the events shown already).
        patched(object): events changed in place; the argument is the
            :class:`~viewer.store.columns.Patch` of ``shown`` (positions removed from
            the old ``shown`` and inserted into the new one).
        countsChanged(): the category or tag counts changed.
        categoriesChanged(): categories were added, renamed, recoloured or removed.
        loadingChanged(bool): a progressive load started (True) or ended (False).
        failed(str): the file turned out damaged or unreadable while loading.
    """

    reset = Signal()
    shownChanged = Signal()
    filtered = Signal()
    patched = Signal(object)
    countsChanged = Signal()
    categoriesChanged = Signal()
    loadingChanged = Signal(bool)
    failed = Signal(str)
    _loaded = Signal(object)
    _searched = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store: EventStore | None = None
        self.texts: CachedTexts | None = None
        self.all = EventArrays.empty()
        self.shown = self.all
        self.filters = Filters()
        self.total = 0
        self.preview: _Preview | None = None
        self._loading = False
        self._generation = 0
        self._threads: list[threading.Thread] = []
        self._state: FilterState | None = None  # the ids the filter needs from SQL
        self._counts: dict[int, int] | None = None  # events by category key
        # what shown was last made from (see _refresh)
        self._applied: tuple[object, ...] | None = None
        self._search_seq = 0
        self._search_reader: TypedSearch | None = None
        self._search_lock = threading.Lock()
        self._check_error: str | None = None
        self._loaded.connect(self._on_loaded)
        self._searched.connect(self._on_searched)

    # -- documents -------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """Whether a progressive load is under way (``all`` is a preview)."""
        return self._loading

    @property
    def ready(self) -> bool:
        """Whether everything is loaded and the file checked: edits may go ahead."""
        return self.store is not None and not self._loading and self.store.checked

    def open(self, store: EventStore | None, *, progressive: bool = True) -> None:
        """Follow ``store`` (``None``: nothing open), with no filter.

        A big file opens progressively (see the module docstring) unless
        ``progressive`` is False, which reads everything before returning.
        """
        self._generation += 1
        self._stop_search()
        if self.store is not None and self.store is not store:
            self.store.set_placer(None)
        self.store = store
        self.filters = Filters()
        self._state = FilterState(store) if store is not None else None
        self.preview = None
        if store is None:
            self.texts = None
            self._set_all(EventArrays.empty())
            self.total = 0
            self._set_loading(False)
            self.reset.emit()
            return
        self.texts = CachedTexts(store.texts)
        self.total = store.count()
        big = self.total > PROGRESSIVE_LIMIT and store.path != ":memory:"
        if big and progressive:
            self._open_progressively(store)
            return
        try:
            store.check_integrity()
            arrays = store.load_arrays(self.texts)
        except StoreError as exc:
            self._set_all(EventArrays.empty(self.texts))
            self._set_loading(False)
            self.reset.emit()
            self.failed.emit(str(exc))
            return
        self._set_all(self._placed(arrays))
        self._set_loading(False)
        self.reset.emit()
        self.countsChanged.emit()

    def _open_progressively(self, store: EventStore) -> None:
        generation = self._generation
        texts = self.texts
        assert texts is not None
        self.preview = _Preview.read(store, texts)
        self._set_all(self.preview.arrays)
        self._set_loading(True)
        self.reset.emit()
        reader = store.reader()

        def load() -> None:
            try:
                checker = threading.Thread(target=self._check, args=(store,), daemon=True)
                checker.start()
                arrays = self._placed(reader.load_arrays(texts))
                # what the views derive, made here rather than on the screen's time
                _ = arrays.lane_begin, arrays.lane_finish
                arrays.index_of(0)
                checker.join()
                error = self._check_error
                self._loaded.emit(_Loaded(generation, None if error else arrays, error))
            except StoreError as exc:
                self._loaded.emit(_Loaded(generation, None, str(exc)))
            finally:
                reader.close()

        self._check_error = None
        thread = threading.Thread(target=load, name="timeline-load", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()]
        self._threads.append(thread)
        thread.start()

    def _check(self, store: EventStore) -> None:
        try:
            store.check_integrity()
        except StoreError as exc:
            self._check_error = str(exc)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for loads and searches in threads (tests, closing); whether they ended."""
        for thread in list(self._threads):
            thread.join(timeout)
        return not any(t.is_alive() for t in self._threads)

    def _on_loaded(self, result: _Loaded) -> None:
        if result.generation != self._generation:
            return  # a document since closed
        if result.arrays is None:
            self.preview = None
            self._set_all(EventArrays.empty(self.texts))
            self._set_loading(False)
            self.reset.emit()
            self.failed.emit(result.error or "cannot read the file")
            return
        self.preview = None
        self._set_all(result.arrays)
        self._set_loading(False)
        self.reset.emit()
        self.countsChanged.emit()
        if not self.filters.is_empty:  # chosen while loading
            self._refresh()

    def _set_all(self, arrays: EventArrays) -> None:
        """Every event anew (nothing filtered yet)."""
        self.all = self.shown = arrays
        self._counts = None
        self._applied = None

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loadingChanged.emit(loading)
        if self.store is not None:
            self.store.set_placer(None if loading else self.place)

    def place(
        self,
        begin: float,
        finish: float,
        is_range: bool,
        event_id: int | None,
        prefer: int | None,
        placed: list[tuple[float, float, bool, int]],
    ) -> int | None:
        """The lane for an event in the default layout, found in the columns in memory
        (the store's :data:`~viewer.store.writes.Placer`); ``None`` if not ready.

        The neighbours are the events near it (a binary search), those placed earlier
        in the same transaction, and not the event itself.  Events the transaction
        removed or moved are still counted where they were: a lane is never shared,
        at worst one higher than needed.
        """
        store = self.store
        if store is None or not self.ready:
            return None
        scale = store.layout_scale()
        if scale is None:
            return None
        a = self.all
        reach = 2 * within_reach(scale)
        near = a.visible(begin - reach, finish + reach)
        if event_id is not None:
            near = near[a.ids[near] != event_id]
        ob, of, orng, olane = a.begin[near], a.finish[near], a.is_range[near], a.lane[near]
        if placed:
            pb, pf, pr, pl = (np.asarray(c) for c in zip(*placed, strict=True))
            ob, of = np.concatenate([ob, pb]), np.concatenate([of, pf])
            orng, olane = np.concatenate([orng, pr.astype(bool)]), np.concatenate([olane, pl])
        return free_lane(begin, finish, is_range, scale, (ob, of, orng, olane), prefer)

    def _placed(self, arrays: EventArrays) -> EventArrays:
        """``arrays`` with every event in a lane: a file written elsewhere (or an older
        one) may have events the default layout has not placed; they are packed here,
        in memory."""
        if len(arrays) == 0 or not np.any(arrays.lane < 0):
            return arrays
        scale = (self.store.layout_scale() if self.store is not None else None) or default_scale(
            float(arrays.begin[0]), float(arrays.reach[-1])
        )
        if np.all(arrays.lane < 0):
            lanes = default_lanes(arrays.begin, arrays.finish, arrays.is_range, scale)
        else:  # a few strays: below the lanes there are, packed among themselves
            lanes = arrays.lane.copy()
            stray = lanes < 0
            lanes[stray] = (
                int(lanes.max())
                + 1
                + default_lanes(
                    arrays.begin[stray], arrays.finish[stray], arrays.is_range[stray], scale
                )
            )
        return EventArrays(
            **{c: getattr(arrays, c) for c in _NUMERIC if c != "lane"},
            lane=lanes.astype(np.int32),
            texts=arrays.texts,
        )

    # -- filters ---------------------------------------------------------------------

    def set_filters(self, filters: Filters) -> None:
        """Show the events passing ``filters``.

        In a big file a typed text is searched in a thread (see the module docstring):
        ``shown`` changes, and :attr:`shownChanged` is emitted, when the ids come.
        """
        if filters == self.filters:
            return
        self.filters = filters
        if not self._loading:
            self._refresh()

    def _refresh(self) -> None:
        """Bring the id sets up to date with the filter, then ``shown``."""
        state = self._state
        if state is None:
            return
        f = self.filters
        threaded = self.total > PROGRESSIVE_LIMIT and state.store.path != ":memory:"
        state.update(f, search=not threaded)
        if state.needs_search(f):
            self._search(f.text)
            return  # shown follows when the ids come
        # the same parts (the id sets the very same arrays): the same events, kept
        applied = (replace(f, text=""), state.text_ids, state.tag_ids, self.all)
        last = self._applied
        if (
            last is not None
            and state.text_ids is not None
            and last[0] == applied[0]
            and all(a is b for a, b in zip(last[1:], applied[1:], strict=True))
        ):
            self.filtered.emit()
            return
        self._applied = applied
        self.shown = self.all.where(state.mask(self.all, f))
        self.shownChanged.emit()
        self.filtered.emit()

    def _search(self, text: str) -> None:
        """Find the ids for ``text`` in a thread; a newer query interrupts this one."""
        store = self.store
        assert store is not None
        self._search_seq += 1
        seq = self._search_seq
        if self._search_reader is None:
            self._search_reader = TypedSearch(store.reader())
        searcher = self._search_reader
        searcher.store.interrupt()  # whatever it runs now is stale

        def run() -> None:
            with self._search_lock:  # one query at a time on the reader
                if seq != self._search_seq:
                    return
                try:
                    ids = searcher.search(text)
                except StoreError:
                    return  # interrupted: a newer query follows
            self._searched.emit(seq, (text, ids))

        thread = threading.Thread(target=run, name="timeline-search", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()]
        self._threads.append(thread)
        thread.start()

    def _on_searched(self, seq: int, result: tuple[str, np.ndarray]) -> None:
        text, ids = result
        if seq != self._search_seq or text != self.filters.text or self._state is None:
            return
        self._state.set_text_ids(text, ids)
        self._refresh()

    def _stop_search(self) -> None:
        self._search_seq += 1
        searcher, self._search_reader = self._search_reader, None
        if searcher is not None:
            searcher.store.interrupt()
            with self._search_lock:
                searcher.store.close()

    # -- changes ---------------------------------------------------------------------

    def apply(self, change: Change) -> None:
        """Follow a commit of the store (connect this to the document's signal)."""
        store = self.store
        if store is None:
            return
        if "categories" in change:
            self.categoriesChanged.emit()
        if "events" not in change and "tags" not in change and "categories" not in change:
            return
        if self._loading:
            return  # what the thread reads includes it, or a reload follows
        if "categories" in change and self.filters.hidden_categories and not change.everything:
            # hidden by name: a category renamed to (or from) a hidden name
            self._applied = None
            self._refresh()
        if self._search_reader is not None and "events" in change:
            self._search_reader.forget()  # what it found may have changed
        if change.everything:
            self.total = store.count()
            assert self.texts is not None
            self.texts.forget()
            arrays = self._placed(store.load_arrays(self.texts))
            self._set_all(arrays)
            if self._state is not None:
                self._state.forget()
            self.reset.emit()
            self.countsChanged.emit()
            if not self.filters.is_empty:
                self._refresh()
            return
        if change.event_ids:
            self._patch(store, change)
        state = self._state
        if "events" in change and state is not None and state.needs_search(self.filters):
            # a search still running read the events before this change: again
            self._search(self.filters.text)
        self.countsChanged.emit()

    def _patch(self, store: EventStore, change: Change) -> None:
        """Patch ``all`` and ``shown`` for the events a commit named.

        An edit of one event (the usual change) moves its row in place; anything else
        makes new arrays with the rows spliced in (see :mod:`viewer.store.columns`).
        """
        assert self.texts is not None
        gone = change.changed | change.removed
        fresh = change.added | change.changed
        self.texts.forget(gone)
        rows = self._placed_rows(store.arrays_for(fresh, self.texts))
        self.total += len(change.added) - len(change.removed)
        filtered = not self.filters.is_empty
        gone_ids = np.fromiter(gone, dtype=np.int64, count=len(gone))
        found = self.all.indices_of(gone_ids)
        went = self.all.category[found[found >= 0]]  # (before they change in place)
        one_edit = len(change.changed) == 1 and not change.added and not change.removed
        was_shown = one_edit and filtered and bool(self.shown.contains(gone_ids)[0])
        # every event passed the filter: ``shown`` is ``all`` itself (moved with it)
        shared = filtered and self.shown is self.all
        patch = self.all.move_in_place(rows) if one_edit else None
        if patch is None:
            self.all, patch = self.all.patched(gone, rows)
        self._count_patch(went, rows.category)
        if not filtered:
            self.shown = self.all
        elif shared:
            assert self._state is not None
            self._state.patch(fresh, gone)
            if bool(np.all(self._state.mask(rows, self.filters))):
                self.shown = self.all  # still every one: the patch of ``all`` is shown's
            else:  # (seldom) some no longer pass: the filtered subset afresh
                self._applied = None
                self.shown = self.all.where(self._state.mask(self.all, self.filters))
                self.shownChanged.emit()
                return
        else:
            assert self._state is not None
            self._state.patch(fresh, gone)
            passing = rows.where(self._state.mask(rows, self.filters))
            shown_patch = None
            if was_shown and len(passing) == 1:
                shown_patch = self.shown.move_in_place(passing)
            if shown_patch is None:
                self.shown, shown_patch = self.shown.patched(gone, passing)
            patch = shown_patch
        self.patched.emit(patch)

    def _count_patch(self, went: np.ndarray, came: np.ndarray) -> None:
        """The counts follow the rows that went (their categories) and came."""
        if self._counts is None:
            return
        for key, n in _count(went).items():
            self._counts[key] = self._counts.get(key, 0) - n
        for key, n in _count(came).items():
            self._counts[key] = self._counts.get(key, 0) + n
        self._counts = {k: n for k, n in self._counts.items() if n}

    def _placed_rows(self, rows: EventArrays) -> EventArrays:
        if len(rows) == 0 or not np.any(rows.lane < 0):
            return rows
        # written by someone who did not place them: below the lanes there are
        lanes = rows.lane.copy()
        top = int(self.all.lane.max()) + 1 if len(self.all) else 0
        stray = lanes < 0
        lanes[stray] = top + np.arange(int(stray.sum()), dtype=np.int32)
        return EventArrays(
            **{c: getattr(rows, c) for c in _NUMERIC if c != "lane"}, lane=lanes, texts=rows.texts
        )

    # -- reading -----------------------------------------------------------------------

    def is_shown(self, event_id: int) -> bool:
        return self.shown.index_of(event_id) is not None

    def category_counts(self) -> dict[int, int]:
        """How many events (of all, not only those shown) each category key has
        (-1: none): counted when the events are read, then kept up to date by the
        patches."""
        if self.preview is not None:
            return self.preview.category_counts
        if self._counts is None:
            self._counts = _count(self.all.category)
        return dict(self._counts)

    def shown_ids(self, positions: Sequence[int] | np.ndarray) -> list[int]:
        return self.shown.ids[np.asarray(positions, dtype=np.int64)].tolist()

    def close(self) -> None:
        if self.store is not None:
            self.store.set_placer(None)
        self.open(None)
        self.wait(5.0)


#: Every numeric column of the arrays (the texts are fetched on use).
_NUMERIC = tuple(COLUMN_DTYPES)


def _count(keys: np.ndarray) -> dict[int, int]:
    """How many times each key comes."""
    if len(keys) == 0:
        return {}
    counts = np.bincount(keys.astype(np.int64) + 1)
    found = np.flatnonzero(counts)
    return dict(zip((found - 1).tolist(), counts[found].tolist(), strict=True))


@dataclass
class _Preview:
    """What the first frame of a big file shows while its columns load: the events of
    the first lanes, and the whole file's span, count and lanes."""

    arrays: EventArrays
    span: tuple[float, float] | None
    lanes: int
    count: int
    category_counts: dict[int, int]

    @classmethod
    def read(cls, store: EventStore, texts: CachedTexts) -> _Preview:
        arrays = store.arrays_in_lanes(0, PREVIEW_LANES, texts)
        counts = {-1 if k is None else k: n for k, n in store.category_keys_counted()}
        return cls(arrays, store.span(), store.lane_count(), store.count(), counts)
