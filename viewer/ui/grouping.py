"""Swimlanes in the window: View ▸ Group by, the band keys, and the grouping kept in
the file.

:class:`GroupingController` owns the :class:`~viewer.ui.timeline.groups.GroupSettings`
of the open document and gives the timeline a grouper (:meth:`GroupingController.group`)
that puts whatever events are shown into bands: every filter, edit and undo is grouped
the same way, with no step of its own.  Clicking a band's header collapses it, dragging
the header moves the band; with the timeline focused, ↑/↓ move between bands, Space
collapses or expands the band, Alt+↑/↓ move it.  Each change is kept in the file
(:meth:`~viewer.store.EventStore.set_view_settings`), unless the file is read-only.
"""

from __future__ import annotations

import logging
from typing import Protocol

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QWidget

from viewer.store import Change, StoreError
from viewer.store.columns import EventArrays
from viewer.ui.actions import choices
from viewer.ui.categories import Categories
from viewer.ui.document import Document
from viewer.ui.timeline.groups import Grouper, Grouping, GroupSettings
from viewer.ui.timeline.view import TimelineView

__all__ = ["GROUP_LABELS", "GroupingController"]

log = logging.getLogger(__name__)

#: The View ▸ Group by entries, by mode.
GROUP_LABELS = {"none": "&None", "category": "&Category", "tag": "&Tag"}
#: An edit naming at most this many events patches the tags read (more: read again).
PATCH_TAGS_LIMIT = 5000

_Pairs = tuple[np.ndarray, np.ndarray, list[str]]


class GroupingWindow(Protocol):
    """What the grouping needs of the window."""

    view: TimelineView
    categories: Categories

    @property
    def doc(self) -> Document | None: ...

    def show_message(self, text: str, msecs: int) -> None: ...


class GroupingController(QObject):
    """The grouping of the open document (see the module docstring).

    Signals:
        changed(): the mode, the order or the collapsed bands changed.
    """

    changed = Signal()

    def __init__(self, window: GroupingWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self.view = window.view
        self.settings = GroupSettings()
        self._doc: Document | None = None
        self._pairs: _Pairs | None = None  # every event's tags, read when first grouped
        self._stale: set[int] = set()  # events whose tags in ``_pairs`` may be old
        self._focus: int | None = None
        owner = parent if isinstance(parent, QWidget) else None
        self.menu = QMenu("&Group By", owner)
        self.menu.setObjectName("groupByMenu")
        per = {"none": "timeline (no bands)", "category": "category", "tag": "tag"}
        tips = {mode: f"Draw the events in one band per {per[mode]}" for mode in per}
        self.actions = choices(self.menu, self, GROUP_LABELS, self.set_mode, tips)
        self.actions["none"].setChecked(True)
        self.menu.addSeparator()
        self.act_expand_all = QAction("&Expand All Bands", self)
        self.act_collapse_all = QAction("C&ollapse All Bands", self)
        self.act_expand_all.triggered.connect(lambda: self.set_all_collapsed(False))
        self.act_collapse_all.triggered.connect(lambda: self.set_all_collapsed(True))
        self.menu.addAction(self.act_expand_all)
        self.menu.addAction(self.act_collapse_all)
        self.view.bandToggled.connect(self.toggle)
        self.view.bandMoved.connect(self.move)
        self._build_keys()
        self._update_actions()

    def _build_keys(self) -> None:
        self._keys: list[QShortcut] = []
        alt = Qt.KeyboardModifier.AltModifier
        for key, slot, what in (
            (QKeySequence(Qt.Key.Key_Up), lambda: self.step_focus(-1), "Band above"),
            (QKeySequence(Qt.Key.Key_Down), lambda: self.step_focus(1), "Band below"),
            (QKeySequence(Qt.Key.Key_Space), self.toggle_focused, "Collapse or expand a band"),
            (QKeySequence(alt | Qt.Key.Key_Up), lambda: self.move_focused(-1), "Move a band up"),
            (QKeySequence(alt | Qt.Key.Key_Down), lambda: self.move_focused(1), "Move a band down"),
        ):
            shortcut = QShortcut(key, self.view)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis(what)
            shortcut.activated.connect(slot)
            self._keys.append(shortcut)

    # -- the document ------------------------------------------------------------------

    def set_document(self, doc: Document | None) -> None:
        """Group ``doc`` as it was last grouped (kept in the file)."""
        self._doc = doc
        self._pairs = None
        self._stale = set()
        self._focus = None
        settings = GroupSettings()
        if doc is not None:
            try:
                settings = GroupSettings.from_json(doc.store.view_settings().get("groups"))
            except StoreError as exc:  # unreadable settings: not grouped, nothing lost
                log.warning("%s", exc)
        self.settings = settings
        self.view.set_grouper(self.grouper())
        self._update_actions()

    def note_change(self, change: Change) -> None:
        """Before the views take ``change``: the tags read stay those of the file.

        The events it names are noted and their tags read again when every event's
        tags are next needed (a regroup), not now: an edit the bands follow reads the
        tags of its events alone (:meth:`_tags_of`), so it costs what changed."""
        if self._pairs is None or ("events" not in change and "tags" not in change):
            return
        ids = change.event_ids
        stale = self._stale
        if change.everything or ("tags" in change and not ids):
            self._pairs = None  # read again when next grouped
            stale.clear()
            return
        stale.update(int(i) for i in ids)
        if len(stale) > PATCH_TAGS_LIMIT:
            self._pairs = None
            stale.clear()

    def _tag_pairs(self) -> _Pairs:
        """Every event's tags (read once, then patched for the events that changed)."""
        doc = self._doc
        if doc is None:
            return (np.zeros(0, np.int64), np.zeros(0, np.int32), [])
        if self._pairs is None:
            self._pairs = doc.store.tag_pairs()
        elif self._stale:
            ids = sorted(self._stale)
            old_ids, old_tags, old_names = self._pairs
            keep = ~np.isin(old_ids, np.array(ids, dtype=np.int64))
            new_ids, new_tags, new_names = doc.store.tag_pairs(ids)
            names = sorted(set(old_names) | set(new_names), key=lambda n: (n.casefold(), n))
            rank = {n: i for i, n in enumerate(names)}
            old_map = np.array([rank[n] for n in old_names], dtype=np.int32)
            new_map = np.array([rank[n] for n in new_names], dtype=np.int32)
            old_kept = old_map[old_tags[keep]] if len(old_map) else old_tags[keep]
            new_kept = new_map[new_tags] if len(new_map) else new_tags
            tags = np.concatenate([old_kept, new_kept]).astype(np.int32)
            self._pairs = (np.concatenate([old_ids[keep], new_ids]), tags, names)
        self._stale.clear()
        return self._pairs

    def _tags_of(self, ids: np.ndarray) -> _Pairs:
        """The tags of the events ``ids`` as the file has them now."""
        doc = self._doc
        if doc is None:
            return (np.zeros(0, np.int64), np.zeros(0, np.int32), [])
        return doc.store.tag_pairs(ids.tolist())

    def after_change(self, change: Change) -> None:
        """After the views took ``change``: bands named by categories or tags follow a
        rename or a new colour (an edit of events regrouped them already)."""
        mode = self.settings.mode
        if (mode == "category" and "categories" in change) or (
            mode == "tag" and "tags" in change and "events" not in change
        ):
            self.view.set_grouper(self.grouper())

    # -- grouping ----------------------------------------------------------------------

    @property
    def mode(self) -> str:
        return self.settings.mode

    def group(self, arrays: EventArrays) -> Grouping | None:
        """``arrays`` in the bands of the current settings (the timeline's grouper)."""
        names = {key: name for key, (name, _color) in self._window.categories.names().items()}
        return self.settings.group(arrays, names, self._tag_pairs, self._tags_of)

    def grouper(self) -> Grouper | None:
        """What puts events in the current bands (``None``: not grouped), for another
        view of them (a presentation, a picture of the window)."""
        return self.group if self.settings.mode != "none" else None

    def set_mode(self, mode: str) -> None:
        """Group by ``mode`` (``"none"``, ``"category"`` or ``"tag"``)."""
        if mode not in GROUP_LABELS:
            raise ValueError(f"no such grouping: {mode!r}")
        self.actions[mode].setChecked(True)
        if mode == self.settings.mode:
            return
        self.settings.mode = mode
        self._focus = None
        self.view.set_grouper(self.grouper())
        self._changed()

    def toggle(self, key: str) -> None:
        """Collapse the band ``key``, or expand it."""
        if self.settings.mode == "none":
            return
        self.settings.toggle(key)
        self.view.set_grouper(self.grouper())
        self._refocus(key)
        self._changed()

    def set_all_collapsed(self, collapsed: bool) -> None:
        if self.settings.mode == "none":
            return
        keys = [b.spec.key for b in self.view.bands()]
        self.settings.collapsed[self.settings.mode] = set(keys) if collapsed else set()
        self.view.set_grouper(self.grouper())
        self._changed()

    def move(self, key: str, index: int) -> None:
        """Put the band ``key`` at ``index`` (0: the top)."""
        if self.settings.mode == "none":
            return
        keys = [b.spec.key for b in self.view.bands()]
        if key not in keys:
            return
        self.settings.move(keys, key, index)
        self.view.set_grouper(self.grouper())
        self._refocus(key)
        self._changed()

    # -- the keyboard's band -----------------------------------------------------------

    def focused_band(self) -> int | None:
        return self._focus

    def step_focus(self, step: int) -> None:
        """Move the keyboard's band up (``-1``) or down (``1``) and scroll to it."""
        bands = self.view.bands()
        if not bands:
            return
        k = self._focus
        k = (0 if step > 0 else len(bands) - 1) if k is None else k + step
        self._set_focus(max(0, min(k, len(bands) - 1)))

    def toggle_focused(self) -> None:
        bands = self.view.bands()
        if self._focus is None or not 0 <= self._focus < len(bands):
            if not bands:
                return
            self._set_focus(0)
        assert self._focus is not None
        self.toggle(bands[self._focus].spec.key)

    def move_focused(self, step: int) -> None:
        bands = self.view.bands()
        if self._focus is None or not 0 <= self._focus < len(bands):
            return
        self.move(bands[self._focus].spec.key, self._focus + step)

    def _set_focus(self, index: int | None) -> None:
        self._focus = index
        self.view.item.set_band_focus(index)
        if index is not None:
            self.view.show_band(index)
            band = self.view.bands()[index]
            state = "collapsed" if band.spec.collapsed else "expanded"
            self._window.show_message(
                f"{band.spec.name}: {band.count:,} events, {state} "
                f"(band {index + 1} of {len(self.view.bands())})",
                3000,
            )

    def _refocus(self, key: str) -> None:
        if self._focus is None:
            return
        keys = [b.spec.key for b in self.view.bands()]
        self._set_focus(keys.index(key) if key in keys else None)

    # -- keeping it ----------------------------------------------------------------------

    def _changed(self) -> None:
        self._update_actions()
        doc = self._doc
        if doc is not None and not doc.readonly:
            try:
                doc.store.set_view_settings({"groups": self.settings.to_json()})
            except StoreError as exc:
                self._window.show_message(f"The grouping could not be kept: {exc}", 5000)
        self.changed.emit()

    def _update_actions(self) -> None:
        grouped = self.settings.mode != "none"
        self.actions[self.settings.mode].setChecked(True)
        for act in self.actions.values():
            act.setEnabled(self._doc is not None)
        self.act_expand_all.setEnabled(grouped)
        self.act_collapse_all.setEnabled(grouped)
        for shortcut in self._keys:
            shortcut.setEnabled(grouped)
