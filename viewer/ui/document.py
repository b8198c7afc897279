"""The open timeline document as the UI sees it: the store, its undo stack, its signals."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from viewer.store import Change, EventStore, StoreError

#: How often a document looks whether another program changed its file (ms).
WATCH_MS = 1000
#: What a change made elsewhere may have touched: everything, read again.
_EVERYTHING = Change(
    parts=frozenset({"events", "categories", "tags", "meta", "eras"}), everything=True
)


class Document(QObject):
    """One open :class:`EventStore` and its undo history.

    Another program (or another window) may change the file: the document looks every
    :data:`WATCH_MS` and when asked (:meth:`check_elsewhere`, also before a write is
    refused for it).  The views then read everything again, and the undo history,
    whose steps name events by ids that may no longer mean the same events, is
    dropped; a write is refused meanwhile (``EventStore.guard_stale``), so no step
    ever acts on stale ids.

    Signals:
        changed(Change): after every commit, what changed in the store
            (:class:`~viewer.store.Change`: the parts, and which events were added,
            changed or removed); the views follow this, whoever wrote.
        changedElsewhere(): another program changed the file; it was read again and
            the undo history cleared.
    """

    changed = Signal(object)
    changedElsewhere = Signal()

    def __init__(self, store: EventStore, *, display_name: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.undo_stack = QUndoStack(self)
        self._display_name = display_name
        store.subscribe(self._on_store_changed)
        store.guard_stale = True
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self.check_elsewhere)
        if store.path != ":memory:":
            self._watch.start()

    def _on_store_changed(self, change: Change) -> None:
        self.changed.emit(change)

    def check_elsewhere(self) -> bool:
        """Read the file again if another program changed it (see the class); whether
        it had."""
        try:
            if not self.store.changed_elsewhere():
                return False
        except StoreError:
            return False  # (a file gone or closed: its next read says so)
        self.undo_stack.clear()
        self.changedElsewhere.emit()
        self.changed.emit(_EVERYTHING)
        return True

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
        self._watch.stop()
        self.store.unsubscribe(self._on_store_changed)
        self.undo_stack.clear()
        self.store.close()
