"""The views kept showing the data: timeline, overview, list, sidebar counts, status.

:class:`~viewer.ui.data.TimelineData` says what changed (everything anew, another
filter, events patched in place, the counts) and each view takes just that from it;
the overview's window and the timeline's range follow each other.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from viewer.store.columns import Patch
from viewer.ui.categories import Categories
from viewer.ui.data import TimelineData
from viewer.ui.document import Document
from viewer.ui.event_list import EventListView
from viewer.ui.selecting import SelectionController
from viewer.ui.sidebar import FilterSidebar
from viewer.ui.timeline.overview import OverviewStrip
from viewer.ui.timeline.view import TimelineView


class DataViewsWindow(Protocol):
    """What the views of the data are, in the window (the main window has them)."""

    data: TimelineData
    categories: Categories
    selecting: SelectionController
    view: TimelineView
    overview: OverviewStrip
    event_list: EventListView
    sidebar: FilterSidebar
    count_label: QLabel

    @property
    def doc(self) -> Document | None: ...


class DataViews(QObject):
    """Feeds the window's views from its :class:`~viewer.ui.data.TimelineData`."""

    def __init__(self, window: DataViewsWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self.data = window.data
        self.view = window.view
        self.overview = window.overview
        self.event_list = window.event_list
        self.sidebar = window.sidebar
        #: Fit everything in the timeline when the data next comes in whole (a
        #: document just opened).
        self.fit_next = False
        # what the sidebar lists now: (categories with counts, without one, tags)
        self._shown_counts: tuple[object, ...] | None = None
        data = self.data
        data.reset.connect(self._on_reset)
        data.shownChanged.connect(self._on_shown_changed)
        data.patched.connect(self._on_patched)
        data.countsChanged.connect(self.update_counts)
        data.loadingChanged.connect(self._on_loading)
        self.view.rangeChanged.connect(lambda _x0, _x1: self._follow_range())
        self.overview.windowChanged.connect(lambda x0, x1: self.view.set_visible_range(x0, x1))

    def _on_reset(self) -> None:
        """Everything shown anew: a document opened, read again, or done loading."""
        data = self.data
        preview = data.preview
        fit = self.fit_next
        self.fit_next = False
        self.view.set_data(data.shown, fit=fit)
        if preview is not None:
            self.view.set_preview(preview.span, preview.lanes)
            if fit:
                self.view.fit_all()
            store = data.store
            assert store is not None
            self.overview.set_starts(preview.span, store.start_counts)
        else:
            self.overview.set_arrays(data.shown)
        self.event_list.set_arrays(data.shown, self._window.categories.names())
        self._after_shown()
        self.update_counts()

    def _on_shown_changed(self) -> None:
        """The filter changed: the views take the events it shows."""
        shown = self.data.shown
        self.view.set_data(shown, fit=False)
        self.overview.set_arrays(shown)
        self.event_list.set_arrays(shown, self._window.categories.names())
        self._after_shown()

    def _on_patched(self, patch: Patch) -> None:
        """Events changed in place: each view patches what it shows."""
        shown = self.data.shown
        self.view.apply_patch(shown, patch)
        self.overview.set_arrays(shown)
        self.event_list.apply_patch(shown, patch)
        self._after_shown()

    def _on_loading(self, loading: bool) -> None:
        if not loading:
            self._after_shown()

    def _after_shown(self) -> None:
        shown, total = len(self.data.shown), self.data.total
        self.sidebar.set_count(shown, total)
        if self.data.loading:
            self._window.count_label.setText(f"Loading {total:,} events…")
        else:
            self._window.count_label.setText(
                f"{shown:,} of {total:,} events" if shown != total else f"{shown:,} events"
            )
        self._window.selecting.keep_shown()
        self._follow_range()

    def update_counts(self) -> None:
        """The sidebar's categories and tags with their numbers of events."""
        doc = self._window.doc
        if doc is None:
            self._shown_counts = None
            self.sidebar.set_categories([], 0)
            self.sidebar.set_tags([])
            return
        counts = self.data.category_counts()
        rows = self._window.categories.counted(counts)
        tags = doc.store.tag_counts()
        if (rows, counts.get(-1, 0), tags) == self._shown_counts:
            return  # (an edit that moved an event in time changes no count)
        self._shown_counts = (rows, counts.get(-1, 0), tags)
        self.sidebar.set_categories(rows, counts.get(-1, 0))
        self.sidebar.set_tags(tags)

    def _follow_range(self) -> None:
        """The overview's window shows the timeline's range."""
        x0, x1 = self.view.visible_range()
        self.overview.set_window(x0, x1)
