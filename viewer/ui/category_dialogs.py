"""Managing categories, and the timeline's own title, description and source.

Every change goes through an undo command pushed on ``doc.undo_stack``, so it is
committed to the file at once and can be undone from the Edit menu (or with Ctrl+Z
while the dialog is open).  The dialogs follow ``Document.changed``, so an undo made
elsewhere shows up here too.

The questions they ask (a name, a colour, where a deleted category's events go) are
methods (:meth:`CategoryManagerDialog.ask_name`, :meth:`~CategoryManagerDialog.ask_color`,
:meth:`~CategoryManagerDialog.ask_reassign`) so that tests can replace them instead of
driving a modal dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.model.event import Category
from viewer.store import Change, StoreError
from viewer.ui.commands import (
    AddCategoryCommand,
    DeleteCategoryCommand,
    EditCategoryCommand,
    SetMetaCommand,
    StoreCommand,
    push,
)
from viewer.ui.document import Document
from viewer.ui.event_dialog import (
    error_color,
    form_label,
    form_layout,
    hint_label,
    muted_color,
    save_buttons,
)
from viewer.ui.richtext import shown_as_written
from viewer.ui.theme import swatch_icon

__all__ = ["CategoryManagerDialog", "ReassignDialog", "TimelinePropertiesDialog"]

#: The reassignment combo's entry for "no category".
NO_CATEGORY_TARGET = "(no category)"


def _events(n: int) -> str:
    return "1 event" if n == 1 else f"{n:,} events"


def _show_status(label: QLabel, text: str, *, error: bool) -> None:
    pal = label.palette()
    color = error_color(pal) if error else muted_color(pal)
    pal.setColor(label.foregroundRole(), color)
    label.setPalette(pal)
    label.setText(text)
    label.setVisible(bool(text))


class ReassignDialog(QDialog):
    """Asks where the events of a category being deleted should go.

    ``combo`` lists "(no category)" and the other categories; :meth:`target` is the
    chosen name (``None``: no category).
    """

    def __init__(
        self, name: str, count: int, others: list[Category], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Delete Category")
        self.setMinimumWidth(380)
        self.message = QLabel(f"Delete the category “{name}”? Its {_events(count)} will move to:")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # names come from files
        self.message.setWordWrap(True)
        self.combo = QComboBox()
        self.combo.addItem(NO_CATEGORY_TARGET)
        for cat in others:
            self.combo.addItem(swatch_icon(cat.color), cat.name)
        self.hint = hint_label("You can undo this with Edit ▸ Undo.")
        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.button_box.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText("Delete")
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.message)
        layout.addWidget(self.combo)
        layout.addWidget(self.hint)
        layout.addSpacing(4)
        layout.addWidget(self.button_box)
        self.combo.setFocus()

    def target(self) -> str | None:
        text = self.combo.currentText()
        return None if self.combo.currentIndex() == 0 or not text else text


class CategoryManagerDialog(QDialog):
    """Lists the categories with their colours and event counts; New, Rename,
    Colour and Delete each push one undo command.

    Children: ``tree`` (columns: category, events), ``uncategorised_label``,
    ``new_button``, ``rename_button``, ``color_button``, ``delete_button``,
    ``status_label`` (why the last step was refused) and ``button_box``.
    """

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.setWindowTitle("Categories")
        self.setMinimumSize(500, 360)

        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Categories")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Category", "Events"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.uncategorised_label = hint_label()

        self.new_button = QPushButton("&New…")
        self.rename_button = QPushButton("&Rename…")
        self.color_button = QPushButton("C&olour…")
        self.delete_button = QPushButton("&Delete…")
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # it quotes names
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.button_box.rejected.connect(self.reject)
        close = self.button_box.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setAutoDefault(False)

        buttons = QVBoxLayout()
        for button in (self.new_button, self.rename_button, self.color_button, self.delete_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.tree, 1)
        left.addWidget(self.uncategorised_label)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 14)
        layout.setSpacing(10)
        layout.addLayout(body, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.button_box)

        self.new_button.clicked.connect(self.new_category)
        self.rename_button.clicked.connect(self.rename_category)
        self.color_button.clicked.connect(self.recolor_category)
        self.delete_button.clicked.connect(self.delete_category)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda *_: self.rename_category())
        # Del only: QKeySequence.Delete is also Ctrl+D on X11, KDE and GNOME.
        delete = QShortcut(QKeySequence("Del"), self.tree)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_category)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, self.doc.undo_stack.undo)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Redo), self, self.doc.undo_stack.redo)
        doc.changed.connect(self._on_changed)

        self.refresh()
        if self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self._row(0))
        self.tree.setFocus()

    # -- the list --------------------------------------------------------------------

    def _on_changed(self, change: Change) -> None:
        if change.parts & {"categories", "events"}:
            self.refresh()

    def refresh(self) -> None:
        """Rebuild the list from the store, keeping the selected category."""
        selected = self.selected_name()
        counts, without = self.doc.store.category_counts()
        self.tree.clear()
        for cat, count in counts:
            item = QTreeWidgetItem([cat.name, f"{count:,}"])
            item.setIcon(0, swatch_icon(cat.color))
            item.setData(0, Qt.ItemDataRole.UserRole, cat.name)
            item.setToolTip(0, shown_as_written(f"{cat.name} · {cat.color}"))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
        if not counts:
            self.uncategorised_label.setText("No categories yet: New… creates one.")
        elif without:
            self.uncategorised_label.setText(f"{_events(without)} without a category")
        else:
            self.uncategorised_label.setText("Every event has a category")
        if selected is not None:
            self.select(selected)
        self._update_buttons()

    def _row(self, i: int) -> QTreeWidgetItem:
        item = self.tree.topLevelItem(i)
        assert item is not None, i
        return item

    def names(self) -> list[str]:
        return [
            str(self._row(i).data(0, Qt.ItemDataRole.UserRole))
            for i in range(self.tree.topLevelItemCount())
        ]

    def count_of(self, name: str) -> int:
        for i in range(self.tree.topLevelItemCount()):
            item = self._row(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == name:
                return int(item.text(1).replace(",", ""))
        raise KeyError(name)

    def selected_name(self) -> str | None:
        items = self.tree.selectedItems()
        return str(items[0].data(0, Qt.ItemDataRole.UserRole)) if items else None

    def select(self, name: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self._row(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == name:
                self.tree.setCurrentItem(item)
                return

    def _update_buttons(self) -> None:
        has = self.selected_name() is not None
        writable = not self.doc.readonly
        self.new_button.setEnabled(writable)
        for button in (self.rename_button, self.color_button, self.delete_button):
            button.setEnabled(has and writable)

    # -- questions (tests replace these) ----------------------------------------------

    def ask_name(self, title: str, label: str, text: str = "") -> str | None:
        """A category name, or ``None`` if the person cancelled."""
        # The label quotes a category name and Qt guesses its format: shown as written.
        name, ok = QInputDialog.getText(
            self, title, shown_as_written(label), QLineEdit.EchoMode.Normal, text
        )
        return name if ok else None

    def ask_color(self, initial: QColor, name: str) -> QColor | None:
        """A colour, or ``None`` if the person cancelled."""
        color = QColorDialog.getColor(initial, self, f"Colour of “{name}”")
        return color if color.isValid() else None

    def ask_reassign(
        self, name: str, count: int, others: list[Category]
    ) -> tuple[bool, str | None]:
        """``(go ahead?, category the events move to or None)``."""
        dialog = ReassignDialog(name, count, others, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return accepted, dialog.target()

    # -- actions ---------------------------------------------------------------------

    def _run(self, command: StoreCommand) -> bool:
        if push(self.doc, command):
            _show_status(self.status_label, "", error=False)
            return True
        step = command.text()
        _show_status(
            self.status_label,
            f"Could not {step[:1].lower()}{step[1:]}: {command.failed}",
            error=True,
        )
        return False

    def _refuse(self, message: str) -> None:
        _show_status(self.status_label, message, error=True)

    def _check_new_name(self, name: str, *, current: str | None = None) -> str | None:
        """The cleaned name, or ``None`` (with the reason shown) if it cannot be used."""
        name = " ".join(name.split())
        if not name:
            self._refuse("A category needs a name.")
            return None
        for existing in self.names():
            if existing == current:
                continue
            if existing.casefold() == name.casefold():
                self._refuse(f"There is already a category named “{existing}”.")
                return None
        return name

    def new_category(self) -> None:
        answer = self.ask_name("New Category", "Name of the new category:")
        if answer is None:
            return
        name = self._check_new_name(answer)
        if name is not None and self._run(AddCategoryCommand(self.doc, name)):
            self.select(name)

    def rename_category(self) -> None:
        current = self.selected_name()
        if current is None:
            return
        answer = self.ask_name("Rename Category", f"New name for “{current}”:", current)
        if answer is None:
            return
        name = self._check_new_name(answer, current=current)
        if name is None or name == current:
            return
        if self._run(EditCategoryCommand(self.doc, current, new_name=name)):
            self.select(name)

    def recolor_category(self) -> None:
        current = self.selected_name()
        if current is None:
            return
        cat = self.doc.store.category(current)
        if cat is None:
            return
        color = self.ask_color(QColor(cat.color), current)
        if color is None:
            return
        value = color.name(QColor.NameFormat.HexRgb)
        if value.lower() != cat.color.lower():
            self._run(EditCategoryCommand(self.doc, current, color=value))

    def delete_category(self) -> None:
        current = self.selected_name()
        if current is None:
            return
        count = self.count_of(current)
        target: str | None = None
        if count:
            others = [c for c in self.doc.store.categories() if c.name != current]
            accepted, target = self.ask_reassign(current, count, others)
            if not accepted:
                return
        row = self.names().index(current)
        if self._run(DeleteCategoryCommand(self.doc, current, target)):
            remaining = self.tree.topLevelItemCount()
            if remaining:
                self.tree.setCurrentItem(self._row(min(row, remaining - 1)))


class TimelinePropertiesDialog(QDialog):
    """Title, description and source of the timeline; Save pushes a SetMetaCommand.

    Children: ``title_edit``, ``description_edit``, ``source_edit``, ``status_label``,
    ``button_box``, ``save_button``.  ``command`` is the command pushed (``None`` when
    nothing changed).
    """

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.command: SetMetaCommand | None = None
        self.setWindowTitle("Timeline Properties")
        self.setMinimumWidth(520)
        meta = doc.store.meta()
        self._before = (meta["title"], meta["description"], meta["source"])

        self.title_edit = QLineEdit(meta["title"])
        self.title_edit.setPlaceholderText("Untitled timeline")
        self.description_edit = QPlainTextEdit(meta["description"])
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText("What this timeline is about")
        line = self.description_edit.fontMetrics().lineSpacing()
        self.description_edit.setMinimumHeight(line * 5 + 12)
        self.source_edit = QLineEdit(meta["source"])
        self.source_edit.setPlaceholderText("Where the events come from (a link or a name)")
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # it quotes errors
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        self.button_box, self.save_button = save_buttons(self, self._save)
        self.save_button.setEnabled(not doc.readonly)

        form = form_layout()
        line_height = self.title_edit.sizeHint().height()
        for text, field in (
            ("&Title:", self.title_edit),
            ("&Description:", self.description_edit),
            ("&Source:", self.source_edit),
        ):
            form.addRow(form_label(text, field, line_height), field)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 14)
        layout.setSpacing(12)
        layout.addLayout(form, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.button_box)

        self.title_edit.setFocus()
        self.title_edit.selectAll()

    def values(self) -> tuple[str, str, str]:
        return (
            self.title_edit.text().strip(),
            self.description_edit.toPlainText().strip(),
            self.source_edit.text().strip(),
        )

    def _save(self) -> None:
        if not self.save_button.isEnabled():
            return
        values = self.values()
        if values == self._before:
            self.accept()
            return
        command = SetMetaCommand(self.doc, *values)
        if push(self.doc, command):
            self.command = command
            self.accept()
        else:
            error: StoreError | None = command.failed
            _show_status(self.status_label, f"Could not save: {error}", error=True)
