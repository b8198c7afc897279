"""The open timeline document as the UI sees it: the store, its undo stack, its signals."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from viewer.store import Change, EventStore


class Document(QObject):
    """One open :class:`EventStore` and its undo history.

    Signals:
        changed(Change): after every commit, what changed in the store
            (:class:`~viewer.store.Change`: the parts, and which events were added,
            changed or removed); the views follow this, whoever wrote.
    """

    changed = Signal(object)

    def __init__(self, store: EventStore, *, display_name: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.undo_stack = QUndoStack(self)
        self._display_name = display_name
        store.subscribe(self._on_store_changed)

    def _on_store_changed(self, change: Change) -> None:
        self.changed.emit(change)

    @property
    def path(self) -> str:
        return self.store.path

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    @property
    def display_name(self) -> str:
        if self._display_name:
            return self._display_name
        if self.store.path == ":memory:":
            return "Untitled"
        return Path(self.store.path).name

    def close(self) -> None:
        self.store.unsubscribe(self._on_store_changed)
        self.undo_stack.clear()
        self.store.close()
