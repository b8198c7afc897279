"""UI state kept apart from the data: filters and selection, observed by every view."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from viewer.model.filters import Filters


class ViewState(QObject):
    """What the person is looking at: the filter and the selected events.

    The timeline, the event list, the sidebar and the detail panel all follow this
    one object rather than each other, so there are no feedback loops.

    Signals:
        filtersChanged(Filters): the filter changed.
        selectionChanged(list[int]): the selected ids changed; ``current`` is the
            one shown in the detail panel (the last one clicked), or None.
    """

    filtersChanged = Signal(object)
    selectionChanged = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filters = Filters()
        self._selection: list[int] = []
        self._current: int | None = None

    @property
    def filters(self) -> Filters:
        return self._filters

    def set_filters(self, filters: Filters) -> None:
        if filters != self._filters:
            self._filters = filters
            self.filtersChanged.emit(filters)

    @property
    def selection(self) -> list[int]:
        return list(self._selection)

    @property
    def current(self) -> int | None:
        return self._current

    def set_selection(self, ids: Sequence[int], current: int | None = None) -> None:
        ids = list(dict.fromkeys(ids))
        if current is None or current not in ids:
            current = ids[-1] if ids else None
        if ids == self._selection and current == self._current:
            return
        self._selection = ids
        self._current = current
        self.selectionChanged.emit(list(ids))

    def clear_selection(self) -> None:
        self.set_selection([])
