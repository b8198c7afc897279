"""The event list: a sortable table of date, headline and category, for a million rows.

The model reads the shown events' columns (:class:`~viewer.store.columns.EventArrays`)
and creates nothing per row: a row's headline and date are fetched when the row is
drawn (through the arrays' text cache), the chronological order is the arrays' own
(no permutation at all), and another sort is one index array.  An edit patches the
rows (``apply_patch``) and keeps the selection, the current row and the scroll
position where they were.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
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

from viewer.store.columns import EventArrays, Patch
from viewer.ui.richtext import one_line, shown_as_written
from viewer.ui.theme import swatch_icon

__all__ = [
    "COLUMNS",
    "ID_ROLE",
    "SORT_KEY_ROLE",
    "CategoryNames",
    "EventListModel",
    "EventListView",
]

COLUMNS = ("Date", "Headline", "Category")
DATE, HEADLINE, CATEGORY = range(3)
#: Role answering the event id of a row (any column).
ID_ROLE = Qt.ItemDataRole.UserRole
#: Role answering the row's axis position (its start), for proxies and tests.
SORT_KEY_ROLE = Qt.ItemDataRole.UserRole + 1

ModelIndex = QModelIndex | QPersistentModelIndex
#: Category key (``EventArrays.category``) → ``(name, "#rrggbb")``; no key: no category.
CategoryNames = Mapping[int, tuple[str, str]]


class EventListModel(QAbstractTableModel):
    """Date, Headline and Category of each event; sorted by the model itself.

    Row ``r`` shows the arrays' row ``order[r]`` (no order: row ``r``).  The date column
    sorts by axis position (not by its text), ties keeping the chronological order;
    text columns sort case-insensitively with the date as tie-break.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._arrays = EventArrays.empty()
        self._categories: dict[int, tuple[str, str]] = {}
        self._order: np.ndarray | None = None  # positions by row; None: row = position
        self._row_of: np.ndarray | None = None  # row by position (when sorted otherwise)
        self._colors: dict[int, QColor] = {}
        self._icons: dict[int, QIcon] = {}  # one swatch per category, made when first drawn
        self._sort_column = DATE
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- data in ------------------------------------------------------------------------

    def set_arrays(self, arrays: EventArrays, categories: CategoryNames | None = None) -> None:
        """Show these events; ``categories`` names and colours their category keys."""
        self.beginResetModel()
        self._arrays = arrays
        if categories is not None:
            self._set_categories(categories)
        self._resort()
        self.endResetModel()

    def set_categories(self, categories: CategoryNames) -> None:
        """New names or colours of the categories (the rows stay where they are)."""
        self._set_categories(categories)
        if self._sort_column == CATEGORY:
            self.sort(self._sort_column, self._sort_order)
        elif self.rowCount():
            self.dataChanged.emit(
                self.index(0, CATEGORY), self.index(self.rowCount() - 1, CATEGORY)
            )

    def _set_categories(self, categories: CategoryNames) -> None:
        self._categories = dict(categories)
        self._colors = {
            k: QColor(c) for k, (_name, c) in self._categories.items() if QColor(c).isValid()
        }
        self._icons = {}

    def apply_patch(self, arrays: EventArrays, patch: Patch) -> None:
        """Show ``arrays``, the old ones with ``patch`` applied, moving the selection's
        and the current row's indexes with their events."""
        self.layoutAboutToBeChanged.emit()
        persistent = [p for p in self.persistentIndexList() if p.isValid()]
        old_positions = np.array([self._position(p.row()) for p in persistent], dtype=np.int64)
        self._arrays = arrays
        self._resort()
        if len(persistent):
            gone = np.isin(old_positions, patch.removed)
            new_positions = patch.new_position(old_positions)
            targets = []
            for p, lost, pos in zip(persistent, gone.tolist(), new_positions.tolist(), strict=True):
                targets.append(
                    QModelIndex() if lost else self.index(self.row_of_position(pos), p.column())
                )
            self.changePersistentIndexList(persistent, targets)
        self.layoutChanged.emit()

    def arrays(self) -> EventArrays:
        return self._arrays

    # -- lookups ------------------------------------------------------------------------

    def _position(self, row: int) -> int:
        return row if self._order is None else int(self._order[row])

    def row_of_position(self, position: int) -> int:
        if self._order is None:
            return position
        if self._row_of is None:
            inverse = np.empty(len(self._order), dtype=np.int64)
            inverse[self._order] = np.arange(len(self._order))
            self._row_of = inverse
        return int(self._row_of[position])

    def id_at(self, row: int) -> int:
        return int(self._arrays.ids[self._position(row)])

    def row_of(self, event_id: int) -> int | None:
        position = self._arrays.index_of(event_id)
        return None if position is None else self.row_of_position(position)

    def rows_of(self, ids: Sequence[int]) -> list[int]:
        """Rows of the ids shown (in the order given, those not shown left out)."""
        positions = self._arrays.indices_of(ids)
        positions = positions[positions >= 0]
        if self._order is None:
            return positions.tolist()
        return [self.row_of_position(int(p)) for p in positions.tolist()]

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort_column, self._sort_order

    def category_name(self, key: int) -> str:
        found = self._categories.get(int(key))
        return found[0] if found is not None else ""

    # -- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._arrays)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._arrays) and 0 <= col < len(COLUMNS)):
            return None
        i = self._position(row)
        a = self._arrays
        if role == Qt.ItemDataRole.DisplayRole:
            if col == DATE:
                return a.dates[i]
            if col == HEADLINE:
                return one_line(a.titles[i])
            return self.category_name(int(a.category[i]))
        if role == Qt.ItemDataRole.DecorationRole:
            if col == CATEGORY:
                return self._swatch(int(a.category[i]))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            # Headlines and categories come from imported files: shown as written.
            if col == HEADLINE:
                return shown_as_written(f"{one_line(a.titles[i])}\n{a.dates[i]}")
            if col == CATEGORY:
                return shown_as_written(self.category_name(int(a.category[i])) or "No category")
            return a.dates[i]
        if role == ID_ROLE:
            return int(a.ids[i])
        if role == SORT_KEY_ROLE:
            return float(a.begin[i])
        return None

    def _swatch(self, key: int) -> QIcon | None:
        icon = self._icons.get(key)
        if icon is None:
            color = self._colors.get(key)
            if color is None:
                return None
            icon = swatch_icon(color, color)
            self._icons[key] = icon
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
        if (column, order) == (self._sort_column, self._sort_order) and (
            self._order is not None or column == DATE
        ):
            return
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        persistent = [p for p in self.persistentIndexList() if p.isValid()]
        positions = [self._position(p.row()) for p in persistent]
        self._resort()
        self.changePersistentIndexList(
            persistent,
            [
                self.index(self.row_of_position(i), p.column())
                for p, i in zip(persistent, positions, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def _resort(self) -> None:
        self._order = self._sorted_order(self._sort_column, self._sort_order)
        self._row_of = None

    def _sorted_order(self, column: int, order: Qt.SortOrder) -> np.ndarray | None:
        a = self._arrays
        n = len(a)
        descending = order == Qt.SortOrder.DescendingOrder
        if column == DATE:
            if not descending:
                return None  # the arrays' own order
            # latest first, equal starts keeping their chronological order
            return np.argsort(-a.begin, kind="stable").astype(np.int64)
        position = np.arange(n, dtype=np.int64)
        if column == HEADLINE:
            folded = [t.casefold() for t in a.titles]
            by_text = sorted(range(n), key=folded.__getitem__)
            rank = np.empty(n, dtype=np.int64)
            ordered = np.array(by_text, dtype=np.int64)
            # equal texts share a rank, so the date breaks their tie
            same = np.zeros(n, dtype=bool)
            same[1:] = [
                folded[x] == folded[y] for x, y in zip(by_text[1:], by_text[:-1], strict=True)
            ]
            rank[ordered] = np.cumsum(~same) - 1
        else:
            keys = np.unique(a.category)
            names = [self.category_name(int(k)).casefold() for k in keys]
            by_name = np.argsort(np.array(names, dtype=object), kind="stable")
            name_rank = np.empty(len(keys), dtype=np.int64)
            name_rank[by_name] = np.arange(len(keys))
            # equal names (none) share a rank too
            sorted_names = [names[k] for k in by_name]
            for k in range(1, len(sorted_names)):
                if sorted_names[k] == sorted_names[k - 1]:
                    name_rank[by_name[k]] = name_rank[by_name[k - 1]]
            rank = name_rank[np.searchsorted(keys, a.category)]
        if descending:  # reversed, equal keys keeping their order (as a stable sort)
            return np.lexsort((position, -a.begin, -rank)).astype(np.int64)
        return np.lexsort((position, rank)).astype(np.int64)


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
        self.setAccessibleName("Events")
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

    def set_arrays(self, arrays: EventArrays, categories: CategoryNames | None = None) -> None:
        """Replace the rows, keeping the selection of ids still present (silently)."""
        keep = self.selected_ids()
        current = self.current_id()
        self._model.set_arrays(arrays, categories)
        if keep:
            if current in keep:
                keep.remove(current)
                keep.append(current)
            self.select_ids(keep, scroll=False)

    # -- selection ------------------------------------------------------------------------

    def apply_patch(self, arrays: EventArrays, patch: Patch) -> None:
        """Show ``arrays`` (the old ones with ``patch`` applied): the selection, the
        current row and the scroll position stay with their events (silently)."""
        bar = self.verticalScrollBar()
        top = self.rowAt(0)
        top_position = self._model._position(top) if top >= 0 else None
        self._silent += 1
        try:
            self._model.apply_patch(arrays, patch)
        finally:
            self._silent -= 1
        if top_position is not None and not np.isin(top_position, patch.removed):
            new_top = self._model.row_of_position(int(patch.new_position(top_position)))
            self.executeDelayedItemsLayout()
            bar.setValue(new_top)

    def selected_ids(self) -> list[int]:
        """Selected ids in row order, the current one last."""
        # Walk the ranges rather than selectedRows(), which is quadratic in their number.
        rows: set[int] = set()
        selection = self.selectionModel().selection()
        for k in range(selection.count()):
            rng = selection.at(k)
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
        rows = model.rows_of(ids)
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
