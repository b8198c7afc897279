"""The event list: a sortable table of date, headline and category for 100k rows.

The data is a handful of parallel sequences (:class:`EventRows`); the model keeps a
permutation of row numbers for the current sort and creates no per-row Qt objects,
so ``set_rows`` is O(n) and a sort is one ``sorted`` call.  Date text may be a lazy
sequence (``viewer.ui.columns.LazyDates``), formatted only for rows that are drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from viewer.model.event import Event
from viewer.ui.detail import swatch_icon
from viewer.ui.richtext import shown_as_written

__all__ = ["COLUMNS", "ID_ROLE", "SORT_KEY_ROLE", "EventListModel", "EventListView", "EventRows"]

COLUMNS = ("Date", "Headline", "Category")
DATE, HEADLINE, CATEGORY = range(3)
#: Role answering the event id of a row (any column).
ID_ROLE = Qt.ItemDataRole.UserRole
#: Role answering the row's axis position (its start), for proxies and tests.
SORT_KEY_ROLE = Qt.ItemDataRole.UserRole + 1

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(slots=True)
class EventRows:
    """Events as parallel sequences, in chronological order.

    ``categories`` holds ``""`` for an event without a category; ``colors`` maps a
    category name to ``#rrggbb``.  ``dates`` may be any sequence of strings, including
    a lazy one that formats on access.
    """

    ids: Sequence[int] = field(default_factory=list)
    sort_keys: Sequence[float] = field(default_factory=list)
    dates: Sequence[str] = field(default_factory=list)
    titles: Sequence[str] = field(default_factory=list)
    categories: Sequence[str] = field(default_factory=list)
    colors: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.ids)
        lengths = (len(self.sort_keys), len(self.dates), len(self.titles), len(self.categories))
        if any(length != n for length in lengths):
            raise ValueError("EventRows columns must all have the same length")

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_events(
        cls, events: Iterable[Event], colors: dict[str, str] | None = None
    ) -> EventRows:
        """Rows for events with ids (sorted chronologically here)."""
        evs = sorted(events, key=lambda e: (e.begin, e.id or 0))
        if any(e.id is None for e in evs):
            raise ValueError("every event in the list needs an id")
        return cls(
            ids=[e.id for e in evs if e.id is not None],
            sort_keys=[e.begin for e in evs],
            dates=[e.date_text() for e in evs],
            titles=[e.title for e in evs],
            categories=[e.category or "" for e in evs],
            colors=dict(colors or {}),
        )

    @classmethod
    def from_columns(cls, cols: Any, colors: dict[str, str] | None = None) -> EventRows:
        """Rows for the store's ``EventColumns`` (already chronological), dates lazy."""
        from viewer.ui.columns import lazy_dates

        return cls(
            ids=cols.ids,
            sort_keys=cols.begin,
            dates=lazy_dates(cols),
            titles=cols.titles,
            categories=cols.categories,
            colors=dict(colors or {}),
        )


class EventListModel(QAbstractTableModel):
    """Date, Headline and Category of each event; sorted by the model itself.

    Row ``r`` shows ``rows[order[r]]``.  The date column sorts by axis position (not by
    its text), ties keeping the chronological order; text columns sort
    case-insensitively with the date as tie-break.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = EventRows()
        self._order: list[int] = []
        self._row_of: dict[int, int] | None = None  # id → row, built on first use
        self._colors: dict[str, QColor] = {}
        self._icons: dict[str, QIcon] = {}  # one swatch per category, made when first drawn
        self._sort_column = DATE
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- data in ------------------------------------------------------------------------

    def set_rows(self, rows: EventRows) -> None:
        self.beginResetModel()
        self._rows = rows
        self._colors = {name: QColor(c) for name, c in rows.colors.items() if QColor(c).isValid()}
        self._icons = {}
        self._order = self._sorted_order(self._sort_column, self._sort_order)
        self._row_of = None
        self.endResetModel()

    def rows(self) -> EventRows:
        return self._rows

    # -- lookups ------------------------------------------------------------------------

    def id_at(self, row: int) -> int:
        return self._rows.ids[self._order[row]]

    def row_of(self, event_id: int) -> int | None:
        if self._row_of is None:
            ids = self._rows.ids
            self._row_of = {ids[i]: row for row, i in enumerate(self._order)}
        return self._row_of.get(event_id)

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort_column, self._sort_order

    # -- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._order) and 0 <= col < len(COLUMNS)):
            return None
        i = self._order[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == DATE:
                return self._rows.dates[i]
            if col == HEADLINE:
                return self._rows.titles[i]
            return self._rows.categories[i]
        if role == Qt.ItemDataRole.DecorationRole:
            if col == CATEGORY:
                return self._swatch(self._rows.categories[i])
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            # Headlines and categories come from imported files: shown as written.
            if col == HEADLINE:
                return shown_as_written(f"{self._rows.titles[i]}\n{self._rows.dates[i]}")
            if col == CATEGORY:
                return shown_as_written(self._rows.categories[i] or "No category")
            return self._rows.dates[i]
        if role == ID_ROLE:
            return self._rows.ids[i]
        if role == SORT_KEY_ROLE:
            return float(self._rows.sort_keys[i])
        return None

    def _swatch(self, category: str) -> QIcon | None:
        icon = self._icons.get(category)
        if icon is None:
            color = self._colors.get(category)
            if color is None:
                return None
            icon = swatch_icon(color, color)
            self._icons[category] = icon
        return icon

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        # Remember which source row each persistent index pointed at.
        sources = [(p, self._order[p.row()]) for p in old_persistent if p.isValid()]
        self._order = self._sorted_order(column, order)
        self._row_of = None
        inverse = [0] * len(self._order)
        for row, i in enumerate(self._order):
            inverse[i] = row
        self.changePersistentIndexList(
            [p for p, _ in sources],
            [self.index(inverse[i], p.column()) for p, i in sources],
        )
        self.layoutChanged.emit()

    def _sorted_order(self, column: int, order: Qt.SortOrder) -> list[int]:
        rows = self._rows
        n = len(rows)
        keys = rows.sort_keys
        descending = order == Qt.SortOrder.DescendingOrder
        if column == DATE:
            if all(keys[i] <= keys[i + 1] for i in range(n - 1)):
                base = list(range(n))  # already chronological: the usual case, O(n)
            else:
                base = sorted(range(n), key=keys.__getitem__)
            if descending:
                # Reverse by key but keep equal keys in their original order.
                return sorted(base, key=keys.__getitem__, reverse=True)
            return base
        texts = rows.titles if column == HEADLINE else rows.categories
        folded = [t.casefold() for t in texts]
        return sorted(range(n), key=lambda i: (folded[i], keys[i]), reverse=descending)


class EventListView(QTableView):
    """The event list as a table; selection is reported and set by event id.

    Signals:
        selectionChangedIds(list[int]): the person changed the selection; ids in row
            order, with the current (last clicked) one last.  Not emitted by
            :meth:`select_ids` or :meth:`set_rows`.
        eventActivated(int): an event was double-clicked or Enter was pressed on it.
    """

    selectionChangedIds = Signal(list)
    eventActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None, model: EventListModel | None = None) -> None:
        super().__init__(parent)
        self._model = model or EventListModel(self)
        self._silent = 0
        self.setModel(self._model)

        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setTabKeyNavigation(False)

        vheader = self.verticalHeader()
        vheader.hide()
        # Fixed, uniform row heights: the table never measures 100k rows.
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(self.fontMetrics().height() + 8)

        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DATE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(HEADLINE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(CATEGORY, QHeaderView.ResizeMode.Interactive)
        fm = self.fontMetrics()
        header.resizeSection(
            DATE,
            fm.horizontalAdvance("14 October 2006 – 22 December 2017") + 20,
        )
        header.resizeSection(CATEGORY, fm.horizontalAdvance("International relations") + 24)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Qt's default indicator is descending; start chronological, then enable.
        header.setSortIndicator(DATE, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)

        sel = self.selectionModel()
        sel.selectionChanged.connect(self._on_selection_changed)
        sel.currentRowChanged.connect(self._on_current_changed)
        self.doubleClicked.connect(self._on_double_clicked)

    def list_model(self) -> EventListModel:
        return self._model

    # -- data -----------------------------------------------------------------------------

    def set_rows(self, rows: EventRows) -> None:
        """Replace the rows, keeping the selection of ids still present (silently)."""
        keep = self.selected_ids()
        current = self.current_id()
        self._model.set_rows(rows)
        if keep:
            if current in keep:
                keep.remove(current)
                keep.append(current)
            self.select_ids(keep, scroll=False)

    # -- selection ------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        """Selected ids in row order, the current one last."""
        # Walk the ranges rather than selectedRows(), which is quadratic in their number.
        rows: set[int] = set()
        for rng in self.selectionModel().selection():
            if rng.isValid():
                rows.update(range(rng.top(), rng.bottom() + 1))
        ids = [self._model.id_at(r) for r in sorted(rows)]
        current = self.current_id()
        if current is not None and current in ids:
            ids.remove(current)
            ids.append(current)
        return ids

    def current_id(self) -> int | None:
        index = self.selectionModel().currentIndex()
        return self._model.id_at(index.row()) if index.isValid() else None

    def select_ids(self, ids: Sequence[int], *, scroll: bool = True) -> None:
        """Select exactly these ids (those listed) without emitting selectionChangedIds.

        The last listed id present becomes the current row and, with ``scroll``, is
        scrolled into view.
        """
        model = self._model
        rows = [r for r in (model.row_of(i) for i in ids) if r is not None]
        sel = self.selectionModel()
        self._silent += 1
        try:
            if not rows:
                sel.clear()
                return
            selection = QItemSelection()
            last_col = model.columnCount() - 1
            ordered = sorted(set(rows))
            start = prev = ordered[0]
            for r in [*ordered[1:], None]:
                if r is not None and r == prev + 1:
                    prev = r
                    continue
                selection.select(model.index(start, 0), model.index(prev, last_col))
                if r is not None:
                    start = prev = r
            # Qt's selection bookkeeping is quadratic in the number of ranges in some
            # paths: ClearAndSelect diffs the old selection against the new one, and the
            # Rows flag expands ranges that already span whole rows.  Clearing first
            # and selecting plainly stays linear.
            sel.clearSelection()
            sel.select(selection, QItemSelectionModel.SelectionFlag.Select)
            current = model.index(rows[-1], 0)
            # Moving the current index scrolls to it (autoScroll) unless told not to.
            auto_scroll = self.hasAutoScroll()
            self.setAutoScroll(scroll)
            try:
                sel.setCurrentIndex(current, QItemSelectionModel.SelectionFlag.NoUpdate)
            finally:
                self.setAutoScroll(auto_scroll)
            if scroll:
                # Right after set_rows the scroll range is not laid out yet; without
                # this, scrollTo would clamp to the top.
                self.executeDelayedItemsLayout()
                self.scrollTo(current, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._silent -= 1

    def scroll_to_id(self, event_id: int) -> None:
        row = self._model.row_of(event_id)
        if row is not None:
            self.executeDelayedItemsLayout()
            self.scrollTo(self._model.index(row, 0), QAbstractItemView.ScrollHint.EnsureVisible)

    # -- signals ----------------------------------------------------------------------------

    def _on_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        if not self._silent:
            self.selectionChangedIds.emit(self.selected_ids())

    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        # Clicking an already-selected row in a multi-selection changes only the
        # current row; report it so the detail panel follows the click.
        if (
            not self._silent
            and current.isValid()
            and self.selectionModel().isRowSelected(current.row(), QModelIndex())
        ):
            ids = self.selected_ids()
            if len(ids) > 1:
                self.selectionChangedIds.emit(ids)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.eventActivated.emit(self._model.id_at(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.eventActivated.emit(self._model.id_at(index.row()))
                event.accept()
                return
        super().keyPressEvent(event)
