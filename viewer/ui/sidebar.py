"""The filter sidebar: search, categories, tags and a date range, as one Filters value.

The sidebar owns no data: the window tells it which categories and tags exist (with
counts) and how many events are shown, and it answers with a
:class:`~viewer.model.filters.Filters` whenever what it describes really changes.
Typing is debounced; toggles apply at once; programmatic updates emit at most once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.model.dates import DateError, PartialDate
from viewer.model.event import Category
from viewer.model.filters import Filters
from viewer.model.parse import parse_span
from viewer.ui.detail import error_color, muted_color
from viewer.ui.richtext import menu_text, shown_as_written
from viewer.ui.theme import swatch_icon

__all__ = ["FilterSidebar", "error_color"]

SEARCH_DELAY_MS = 200
NO_CATEGORY_LABEL = "(no category)"
KEY_ROLE = Qt.ItemDataRole.UserRole
COUNT_ROLE = Qt.ItemDataRole.UserRole + 1


class _SearchBox(QLineEdit):
    """A line edit that clears itself on Esc (and lets Esc through when empty)."""

    escapePressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            self.escapePressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class _CheckList(QListWidget):
    """A compact list of checkable rows whose height follows its content (capped)."""

    def __init__(self, max_visible_rows: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._max_rows = max_visible_rows
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setIconSize(QSize(14, 14))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def sizeHint(self) -> QSize:
        rows = min(max(self.count(), 1), self._max_rows)
        row_h = self.sizeHintForRow(0) if self.count() else self.fontMetrics().height() + 6
        return QSize(200, rows * row_h + 2 * self.frameWidth() + 2)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Space toggles the current row even though rows are not selectable.
        item = self.currentItem()
        if event.key() == Qt.Key.Key_Space and item is not None:
            item.setCheckState(
                Qt.CheckState.Unchecked
                if item.checkState() == Qt.CheckState.Checked
                else Qt.CheckState.Checked
            )
            event.accept()
            return
        super().keyPressEvent(event)


def _section_label(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def _small_button(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class FilterSidebar(QWidget):
    """Search box, category and tag checklists, a date range and a reset button.

    Signals:
        filtersChanged(Filters): emitted once per effective change, whether from
            typing (after a short pause), a toggle, or :meth:`set_filters`.
    """

    filtersChanged = Signal(object)
    _built = False  # (Qt sends palette changes while it is being built)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filters = Filters()
        self._hidden: set[str] = set()  # category names unchecked ("" = no category)
        self._tags: set[str] = set()  # tags checked (any-of)
        self._dates: dict[str, PartialDate | None] = {"from": None, "to": None}
        self._category_colors: dict[str, str] = {}
        self._updating = 0

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._commit)

        # Search.
        self.search_edit = _SearchBox()
        self.search_edit.setAccessibleName("Search events")
        self.search_edit.setObjectName("search")  # the app style sheet rounds it
        self.search_edit.setPlaceholderText("Search events…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setToolTip("Search headlines and descriptions (Esc clears)")
        self.search_edit.textChanged.connect(self._on_text_changed)
        self.search_edit.escapePressed.connect(self._commit)
        self.search_edit.returnPressed.connect(self._commit)

        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.count_label.setProperty("muted", True)

        # Categories.
        self.category_list = _CheckList(max_visible_rows=10)
        self.category_list.setObjectName("sidebarCategories")
        self.category_list.setAccessibleName("Categories")
        self.category_list.itemChanged.connect(self._on_category_item_changed)
        self.category_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.category_list.customContextMenuRequested.connect(self._category_menu)
        self.all_button = _small_button("All", "Show every category")
        self.none_button = _small_button("None", "Hide every category")
        self.all_button.clicked.connect(lambda: self.set_all_categories(True))
        self.none_button.clicked.connect(lambda: self.set_all_categories(False))

        # Tags.
        self.tag_list = _CheckList(max_visible_rows=8)
        self.tag_list.setObjectName("sidebarTags")
        self.tag_list.setAccessibleName("Tags")
        self.tag_list.setToolTip("Show only events with any of the checked tags")
        self.tag_list.itemChanged.connect(self._on_tag_item_changed)
        self.clear_tags_button = _small_button("Clear", "Uncheck every tag")
        self.clear_tags_button.clicked.connect(self._clear_tags)

        # Dates.
        self.from_edit = QLineEdit()
        self.to_edit = QLineEdit()
        self.from_hint = QLabel()
        self.to_hint = QLabel()
        for key, edit, hint, label in (
            ("from", self.from_edit, self.from_hint, "From"),
            ("to", self.to_edit, self.to_hint, "To"),
        ):
            edit.setPlaceholderText("e.g. 1999, March 2020, 44 BC")
            edit.setAccessibleName(f"{label} date")
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(lambda text, k=key: self._on_date_changed(k, text))
            hint.setWordWrap(True)
            hint.setTextFormat(Qt.TextFormat.PlainText)
            small = QFont(hint.font())
            small.setPointSizeF(max(hint.font().pointSizeF() * 0.9, 7.0))
            hint.setFont(small)

        self.reset_button = QPushButton("Reset filters")
        self.reset_button.setToolTip("Show every event again")
        self.reset_button.clicked.connect(self.reset)

        # Layout.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(6)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.count_label)
        layout.addSpacing(6)

        self.categories_header = QWidget()
        row = QHBoxLayout(self.categories_header)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(_section_label("Categories"), 1)
        row.addWidget(self.all_button)
        row.addWidget(self.none_button)
        layout.addWidget(self.categories_header)
        layout.addWidget(self.category_list)
        layout.addSpacing(6)

        self.tags_section = QWidget()
        tags_layout = QVBoxLayout(self.tags_section)
        tags_layout.setContentsMargins(0, 0, 0, 0)
        tags_layout.setSpacing(4)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(_section_label("Tags"), 1)
        row.addWidget(self.clear_tags_button)
        tags_layout.addLayout(row)
        tags_layout.addWidget(self.tag_list)
        tags_layout.addSpacing(6)
        layout.addWidget(self.tags_section)

        layout.addWidget(_section_label("Dates"))
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        for row_no, (text, edit, hint) in enumerate(
            (("From", self.from_edit, self.from_hint), ("To", self.to_edit, self.to_hint))
        ):
            caption = QLabel(text)
            caption.setBuddy(edit)
            grid.addWidget(caption, 2 * row_no, 0)
            grid.addWidget(edit, 2 * row_no, 1)
            grid.addWidget(hint, 2 * row_no + 1, 1)
            if row_no == 0:
                grid.setRowMinimumHeight(2, 4)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addWidget(self.reset_button)

        self.tags_section.hide()
        self._built = True  # palette changes from now on recolour it
        self._apply_palette()
        self._show_date_hint("from", None, None)
        self._show_date_hint("to", None, None)
        self.set_count(0, 0)
        self._update_reset()

    # -- public API ------------------------------------------------------------------------

    def set_categories(self, items: Sequence[tuple[Category, int]], uncategorised: int = 0) -> None:
        """List the categories with their event counts; checks follow the hidden names."""
        self._category_colors = {cat.name: cat.color for cat, _ in items}
        outline = muted_color(self.palette())
        lst = self.category_list
        current = lst.currentItem().data(KEY_ROLE) if lst.currentItem() is not None else None
        with _Blocked(lst):
            lst.clear()
            rows: list[tuple[str, str, int, QIcon, bool]] = [
                (cat.name, cat.name, count, swatch_icon(QColor(cat.color), outline), False)
                for cat, count in items
            ]
            if uncategorised > 0:
                rows.append(
                    ("", NO_CATEGORY_LABEL, uncategorised, swatch_icon(None, outline), True)
                )
            for key, label, count, icon, italic in rows:
                item = QListWidgetItem(icon, f"{label}  ({count:,})")
                item.setData(KEY_ROLE, key)
                item.setData(COUNT_ROLE, count)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Unchecked if key in self._hidden else Qt.CheckState.Checked
                )
                item.setToolTip(
                    shown_as_written(f"{label}: {count:,} event{'s' if count != 1 else ''}")
                )
                if italic:
                    font = QFont(lst.font())
                    font.setItalic(True)
                    item.setFont(font)
                lst.addItem(item)
                if key == current:
                    lst.setCurrentItem(item)
        lst.updateGeometry()
        has_rows = lst.count() > 0
        self.all_button.setEnabled(has_rows)
        self.none_button.setEnabled(has_rows)

    def set_tags(self, items: Sequence[tuple[str, int]]) -> None:
        """List the tags with their counts; the section hides when there are none."""
        lst = self.tag_list
        with _Blocked(lst):
            lst.clear()
            for tag, count in items:
                item = QListWidgetItem(f"{tag}  ({count:,})")
                item.setData(KEY_ROLE, tag)
                item.setData(COUNT_ROLE, count)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked if tag in self._tags else Qt.CheckState.Unchecked
                )
                lst.addItem(item)
        lst.updateGeometry()
        # A checked tag that no longer exists still filters: keep the section visible
        # so that it can be seen and cleared.
        self.tags_section.setVisible(bool(items) or bool(self._tags))

    def set_count(self, shown: int, total: int) -> None:
        noun = "event" if total == 1 else "events"
        if shown == total:
            self.count_label.setText(f"{total:,} {noun}")
        else:
            self.count_label.setText(f"{shown:,} of {total:,} {noun}")

    def filters(self) -> Filters:
        """The filter the widgets describe now (typing not yet applied included)."""
        return Filters(
            text=self.search_edit.text().strip(),
            hidden_categories=frozenset(self._hidden),
            tags=frozenset(self._tags),
            date_from=self._dates["from"],
            date_to=self._dates["to"],
        )

    def set_filters(self, f: Filters) -> None:
        """Show ``f`` in the widgets; emits filtersChanged once if it differs."""
        self._timer.stop()
        self._updating += 1
        try:
            self._hidden = set(f.hidden_categories)
            self._tags = set(f.tags)
            self._dates = {"from": f.date_from, "to": f.date_to}
            with _Blocked(self.search_edit):
                if self.search_edit.text().strip() != f.text:
                    self.search_edit.setText(f.text)
            for key, edit, value in (
                ("from", self.from_edit, f.date_from),
                ("to", self.to_edit, f.date_to),
            ):
                with _Blocked(edit):
                    edit.setText(value.format() if value is not None else "")
                self._show_date_hint(key, value, None)
            self._sync_checks(self.category_list, lambda key: key not in self._hidden)
            self._sync_checks(self.tag_list, lambda key: key in self._tags)
            if self._tags and not self.tags_section.isVisible():
                self.tags_section.setVisible(True)
        finally:
            self._updating -= 1
        self._commit()

    def reset(self) -> None:
        self.set_filters(Filters())

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def set_all_categories(self, shown: bool) -> None:
        if shown:
            self._hidden.clear()
        else:
            self._hidden |= set(self._category_keys())
        self._sync_checks(self.category_list, lambda key: key not in self._hidden)
        self._commit()

    def show_only_category(self, name: str) -> None:
        self._hidden = {key for key in self._category_keys() if key != name}
        self._sync_checks(self.category_list, lambda key: key not in self._hidden)
        self._commit()

    # -- internals ------------------------------------------------------------------------

    def _category_keys(self) -> list[str]:
        lst = self.category_list
        return [lst.item(i).data(KEY_ROLE) for i in range(lst.count())]

    @staticmethod
    def _sync_checks(lst: QListWidget, checked: Callable[[str], bool]) -> None:
        with _Blocked(lst):
            for i in range(lst.count()):
                item = lst.item(i)
                state = (
                    Qt.CheckState.Checked
                    if checked(item.data(KEY_ROLE))
                    else (Qt.CheckState.Unchecked)
                )
                if item.checkState() != state:
                    item.setCheckState(state)

    def _commit(self) -> None:
        """Emit the widgets' filter if it differs from the last one emitted."""
        self._timer.stop()
        if self._updating:
            return
        new = self.filters()
        self._update_reset()
        if new != self._filters:
            self._filters = new
            self._update_reset()
            self.filtersChanged.emit(new)

    def _update_reset(self) -> None:
        self.reset_button.setEnabled(not self.filters().is_empty)

    def _on_text_changed(self, text: str) -> None:
        if not text.strip():
            self._commit()  # clearing applies at once
        else:
            self._timer.start()

    def _on_category_item_changed(self, item: QListWidgetItem) -> None:
        key = item.data(KEY_ROLE)
        if item.checkState() == Qt.CheckState.Checked:
            self._hidden.discard(key)
        else:
            self._hidden.add(key)
        self._commit()

    def _on_tag_item_changed(self, item: QListWidgetItem) -> None:
        key = item.data(KEY_ROLE)
        if item.checkState() == Qt.CheckState.Checked:
            self._tags.add(key)
        else:
            self._tags.discard(key)
        self._commit()

    def _clear_tags(self) -> None:
        self._tags.clear()
        self._sync_checks(self.tag_list, lambda key: False)
        self._commit()

    def _category_menu(self, pos: QPoint) -> None:
        item = self.category_list.itemAt(pos)
        menu = QMenu(self)
        if item is not None:
            key = item.data(KEY_ROLE)
            label = key or NO_CATEGORY_LABEL
            menu.addAction(f"Show only {menu_text(label)}", lambda: self.show_only_category(key))
            menu.addSeparator()
        menu.addAction("Show all categories", lambda: self.set_all_categories(True))
        menu.addAction("Hide all categories", lambda: self.set_all_categories(False))
        menu.exec(self.category_list.viewport().mapToGlobal(pos))

    def _on_date_changed(self, key: str, text: str) -> None:
        if not text.strip():
            self._dates[key] = None
            self._show_date_hint(key, None, None)
            self._timer.start()
            return
        try:
            # "From the 1960s" starts in 1960, "To the 1960s" ends with 1969; a filter
            # takes a date by its nominal span ("c. 1450" is 1450)
            first, last = parse_span(text)
            value = (first if key == "from" else last).nominal
        except DateError as e:
            # The filter keeps its last good value; only the hint changes.
            self._show_date_hint(key, None, _short_error(str(e)), full=str(e))
            return
        other = self._dates["to" if key == "from" else "from"]
        if other is not None:
            start, end = (value, other) if key == "from" else (other, value)
            if end.finish() <= start.begin():
                relation = "after “To”" if key == "from" else "before “From”"
                self._show_date_hint(key, None, f"{value.format()} is {relation}")
                return
        self._dates[key] = value
        self._show_date_hint(key, value, None)
        self._timer.start()

    def _show_date_hint(
        self, key: str, value: PartialDate | None, error: str | None, *, full: str | None = None
    ) -> None:
        hint = self.from_hint if key == "from" else self.to_hint
        pal = hint.palette()
        if error is not None:
            pal.setColor(QPalette.ColorRole.WindowText, error_color(self.palette()))
            hint.setText(error)
            hint.setToolTip(shown_as_written(full or error))  # it quotes the text typed
            hint.setProperty("error", True)
        else:
            pal.setColor(QPalette.ColorRole.WindowText, muted_color(self.palette()))
            hint.setToolTip("")
            hint.setProperty("error", False)
            if value is None:
                hint.setText("Any date")
            elif key == "from":
                hint.setText(f"From the start of {value.format()}")
            else:
                hint.setText(f"Through the end of {value.format()}")
        hint.setPalette(pal)

    def hint_is_error(self, key: str) -> bool:
        hint = self.from_hint if key == "from" else self.to_hint
        return bool(hint.property("error"))

    def _apply_palette(self) -> None:
        muted = muted_color(self.palette())
        pal = self.count_label.palette()
        pal.setColor(QPalette.ColorRole.WindowText, muted)
        self.count_label.setPalette(pal)
        for key, edit in (("from", self.from_edit), ("to", self.to_edit)):
            if self.hint_is_error(key):
                self._on_date_changed(key, edit.text())
            else:
                self._show_date_hint(key, self._dates[key], None)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._built:
            self._apply_palette()
            # Swatch outlines follow the palette too.
            if self.category_list.count():
                outline = muted_color(self.palette())
                for i in range(self.category_list.count()):
                    item = self.category_list.item(i)
                    key = item.data(KEY_ROLE)
                    color = self._category_colors.get(key)
                    with _Blocked(self.category_list):
                        item.setIcon(swatch_icon(QColor(color) if key else None, outline))

    def sizeHint(self) -> QSize:
        return QSize(250, 600)


class _Blocked:
    """``with _Blocked(obj):`` — no signals from ``obj`` inside the block."""

    def __init__(self, obj: QObject) -> None:
        self._obj = obj
        self._was = False

    def __enter__(self) -> None:
        self._was = self._obj.blockSignals(True)

    def __exit__(self, *exc: object) -> None:
        self._obj.blockSignals(self._was)


def _short_error(message: str) -> str:
    """The first clause of a parser error, without the list of accepted forms."""
    short = message.split(": expected", 1)[0]
    return short[:1].upper() + short[1:]
