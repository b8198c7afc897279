"""Selecting events: clicks, keys and the list set the selection; the views show it.

The selection is the view state's (:class:`~viewer.ui.state.ViewState`): the timeline's
clicks, the list's rows and the arrow keys change it there, and the timeline, the list
and the detail panel follow its ``selectionChanged`` signal.  Only events the filters
show are ever selected.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from PySide6.QtCore import QObject, QRect, QRectF, Qt

from viewer.store import DamagedEvent
from viewer.ui.accessibility import announce, expose_timeline, focus_event
from viewer.ui.data import TimelineData
from viewer.ui.detail import DetailPanel
from viewer.ui.document import Document
from viewer.ui.event_list import EventListView
from viewer.ui.richtext import one_line
from viewer.ui.state import ViewState
from viewer.ui.timeline.view import TimelineView

_CTRL = Qt.KeyboardModifier.ControlModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier


class SelectingWindow(Protocol):
    """What selecting needs of the window (the main window has it)."""

    state: ViewState
    data: TimelineData
    view: TimelineView
    event_list: EventListView
    detail: DetailPanel

    @property
    def doc(self) -> Document | None: ...


class SelectionController(QObject):
    """Turns clicks and keys into the selection, and shows the selection everywhere."""

    def __init__(self, window: SelectingWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self.state = window.state
        self.data = window.data
        self.view = window.view
        self.event_list = window.event_list
        self.detail = window.detail
        self.state.selectionChanged.connect(self.show_selection)
        self.view.clicked.connect(self.on_timeline_clicked)
        self.event_list.selectionChangedIds.connect(self.on_list_selection)
        expose_timeline(self.view, self)  # the canvas, as a list of the events shown

    def select(self, event_id: int) -> None:
        """Select one event and scroll the timeline to it."""
        self.state.set_selection([event_id], event_id)
        self.view.ensure_visible(event_id)

    def step(self, step: int) -> None:
        """Select the previous/next event in time (of those shown) and scroll to it."""
        shown = self.data.shown
        n = len(shown)
        if not n:
            return
        current = self.state.current
        position = shown.index_of(current) if current is not None else None
        if position is None:
            x0, x1 = self.view.visible_range()
            i = int(np.searchsorted(shown.begin, x0 if step > 0 else x1)) - (step < 0)
            i = min(max(i, 0), n - 1)
        else:
            i = min(max(position + step, 0), n - 1)
        self.select(int(shown.ids[i]))
        focus_event(self.view, int(shown.ids[i]))  # its item has the focus now
        announce(self.view, self.spoken(int(shown.ids[i])))  # (a screen reader says it)

    def spoken(self, event_id: int | None) -> str:
        """What the timeline says of an event to assistive technology: "date —
        headline, n of N" (``""`` for none, or one not shown)."""
        shown = self.data.shown
        i = shown.index_of(event_id) if event_id is not None else None
        if i is None:
            return ""
        return f"{shown.dates[i]} \u2014 {one_line(shown.titles[i])}, {i + 1:,} of {len(shown):,}"

    # -- what assistive technology reads (viewer.ui.accessibility.EventsSource) --------

    def count(self) -> int:
        return len(self.data.shown)

    def id_at(self, index: int) -> int:
        return int(self.data.shown.ids[index])

    def index_of(self, event_id: int) -> int | None:
        return self.data.shown.index_of(event_id)

    def is_selected(self, event_id: int) -> bool:
        return event_id in self.state.selection

    def current(self) -> int | None:
        return self.state.current

    def screen_rect(self, event_id: int) -> QRect:
        """Where an event's mark is on the screen (empty when it is out of view)."""
        item, plot = self.view.item, self.view.plot
        lane = item.lane_of(event_id)
        i = item.arrays.index_of(event_id)
        if lane is None or i is None:
            return QRect()
        a = item.arrays
        mark = QRectF(float(a.begin[i]), lane - 0.5, float(a.finish[i] - a.begin[i]), 1.0)
        on_view = plot.mapFromScene(item.mapRectToScene(mark)).boundingRect()
        on_view = on_view.intersected(plot.viewport().rect())
        if on_view.isEmpty():
            return QRect()
        return QRect(plot.viewport().mapToGlobal(on_view.topLeft()), on_view.size())

    def select_index(self, n: int) -> None:
        """Select the ``n``-th shown event (0-based, chronological)."""
        if 0 <= n < len(self.data.shown):
            self.select(int(self.data.shown.ids[n]))

    def keep_shown(self) -> None:
        """After the shown events changed: drop those the filters now hide from the
        selection, and show the selected ones anew (their details may have changed)."""
        selection = self.state.selection
        visible = [i for i in selection if self.data.is_shown(i)]
        if visible != selection:
            self.state.set_selection(visible, self.state.current)
        else:
            self.show_selection(visible)

    def show_selection(self, ids: list[int]) -> None:
        """The timeline and the list mark ``ids``; the detail panel shows the current."""
        self.view.set_selected(ids)
        self.view.setAccessibleDescription(self.spoken(self.state.current))
        self.event_list.select_ids(ids)
        doc, current = self._window.doc, self.state.current
        try:
            event = (
                doc.store.get_event(current) if doc is not None and current is not None else None
            )
        except DamagedEvent as damaged:  # (changed by another program: shown, not raised)
            self.detail.show_damaged(str(damaged))
            return
        if event is None:
            self.detail.clear()
        else:
            assert doc is not None
            category = doc.store.category(event.category) if event.category else None
            self.detail.show_event(event, category)

    def on_timeline_clicked(self, event_id: int | None, modifiers: object) -> None:
        """A click selects; Ctrl adds or takes away; Shift adds the run from the current
        event; a click on an empty spot (without either) clears the selection."""
        mods = Qt.KeyboardModifier(modifiers) if modifiers is not None else Qt.KeyboardModifier(0)
        if event_id is None:
            if not mods & (_CTRL | _SHIFT):
                self.state.clear_selection()
            return
        selection = self.state.selection
        if mods & _CTRL:
            if event_id in selection:
                selection.remove(event_id)
                self.state.set_selection(selection)
            else:
                self.state.set_selection([*selection, event_id], event_id)
        elif mods & _SHIFT and self.state.current is not None:
            shown = self.data.shown
            a = shown.index_of(self.state.current)
            b = shown.index_of(event_id)
            if a is None or b is None:
                self.state.set_selection([event_id])
            else:
                lo, hi = sorted((a, b))
                ids = shown.ids[lo : hi + 1].tolist()
                self.state.set_selection([*selection, *ids], event_id)
        else:
            self.state.set_selection([event_id], event_id)

    def on_list_selection(self, ids: list[int]) -> None:
        # The list's current row (the one just clicked) is the one to show; keep the old
        # current only when the click left the list's current row unselected.
        current = self.event_list.current_id()
        if current not in ids:
            current = self.state.current if self.state.current in ids else None
        self.state.set_selection(ids, current)
        if current is not None:
            self.view.ensure_visible(current)
