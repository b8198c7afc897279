"""The category manager and the timeline properties dialog: every change is an
undoable command, committed to the file at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog

from viewer.model.dates import PartialDate
from viewer.model.event import Category, Event
from viewer.store import EventStore
from viewer.ui.category_dialogs import (
    NO_CATEGORY_TARGET,
    CategoryManagerDialog,
    ReassignDialog,
    TimelinePropertiesDialog,
)
from viewer.ui.document import Document
from viewer.ui.event_dialog import error_color

# The offscreen platform warns that it cannot do what windows ask of it.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "t.db"


@pytest.fixture
def doc(db: Path, qapp: Any) -> Iterator[Document]:
    store = EventStore.open(db)
    store.add_category("Diplomacy", "#4e79a7")
    store.add_category("Military", "#e15759")
    store.add_category("Culture", "#b07aa1")
    for i, cat in enumerate(["Diplomacy", "Military", "Military", None]):
        store.add_event(Event(f"Event {i}", PartialDate(2000 + i), category=cat))
    store.set_meta(title="Russia and North Korea", description="Since 1948", source="")
    document = Document(store)
    yield document
    document.close()


def categories_on_disk(db: Path) -> dict[str, str]:
    with EventStore.open(db, create=False) as fresh:
        return {c.name: c.color for c in fresh.categories()}


def event_categories_on_disk(db: Path) -> dict[str, str | None]:
    with EventStore.open(db, create=False) as fresh:
        return {e.title: e.category for e in fresh.events()}


@pytest.fixture
def manager(doc: Document, qtbot: Any) -> CategoryManagerDialog:
    dialog = CategoryManagerDialog(doc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_lists_categories_with_counts_and_swatches(manager: CategoryManagerDialog) -> None:
    assert manager.names() == ["Culture", "Diplomacy", "Military"]
    assert [manager.count_of(n) for n in manager.names()] == [0, 1, 2]
    item = manager.tree.topLevelItem(2)
    assert not item.icon(0).isNull()
    assert item.text(1) == "2"
    assert manager.uncategorised_label.text() == "1 event without a category"
    assert manager.selected_name() == "Culture"


def test_new_category(
    manager: CategoryManagerDialog, doc: Document, db: Path, qtbot: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(manager, "ask_name", lambda *a, **k: "  Economy ")
    click(qtbot, manager.new_button)
    assert "Economy" in categories_on_disk(db)
    assert manager.names() == ["Culture", "Diplomacy", "Economy", "Military"]
    assert manager.selected_name() == "Economy"
    assert doc.undo_stack.undoText() == "Add category 'Economy'"
    doc.undo_stack.undo()
    assert manager.names() == ["Culture", "Diplomacy", "Military"]  # follows the store
    assert "Economy" not in categories_on_disk(db)


def test_new_category_refuses_a_taken_or_empty_name(
    manager: CategoryManagerDialog, doc: Document, qtbot: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(manager, "ask_name", lambda *a, **k: "military")
    click(qtbot, manager.new_button)
    assert doc.undo_stack.count() == 0
    assert manager.status_label.isVisible()
    assert manager.status_label.text() == "There is already a category named “Military”."
    color = manager.status_label.palette().color(manager.status_label.foregroundRole())
    assert color == error_color(manager.palette())
    monkeypatch.setattr(manager, "ask_name", lambda *a, **k: "   ")
    click(qtbot, manager.new_button)
    assert manager.status_label.text() == "A category needs a name."
    monkeypatch.setattr(manager, "ask_name", lambda *a, **k: None)  # cancelled
    click(qtbot, manager.new_button)
    assert doc.undo_stack.count() == 0


def test_rename_and_undo_with_ctrl_z(
    manager: CategoryManagerDialog, doc: Document, db: Path, qtbot: Any, monkeypatch: Any
) -> None:
    asked: list[tuple[Any, ...]] = []

    def ask(*args: Any) -> str:
        asked.append(args)
        return "Defence"

    monkeypatch.setattr(manager, "ask_name", ask)
    manager.select("Military")
    click(qtbot, manager.rename_button)
    assert asked[0][2] == "Military"  # offered the current name to edit
    assert manager.names() == ["Culture", "Defence", "Diplomacy"]
    assert manager.selected_name() == "Defence"
    assert event_categories_on_disk(db)["Event 1"] == "Defence"
    assert doc.undo_stack.undoText() == "Rename category 'Military' to 'Defence'"
    manager.activateWindow()
    qtbot.waitUntil(manager.isActiveWindow, timeout=2000)
    qtbot.keyClick(manager.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert manager.names() == ["Culture", "Diplomacy", "Military"]
    assert categories_on_disk(db)["Military"] == "#e15759"
    assert event_categories_on_disk(db)["Event 1"] == "Military"


def test_recolour(
    manager: CategoryManagerDialog, doc: Document, db: Path, qtbot: Any, monkeypatch: Any
) -> None:
    offered: list[QColor] = []

    def ask(initial: QColor, name: str) -> QColor:
        offered.append(initial)
        return QColor("#123456")

    monkeypatch.setattr(manager, "ask_color", ask)
    manager.select("Diplomacy")
    click(qtbot, manager.color_button)
    assert offered == [QColor("#4e79a7")]
    assert categories_on_disk(db)["Diplomacy"] == "#123456"
    assert doc.undo_stack.undoText() == "Recolour category 'Diplomacy'"
    doc.undo_stack.undo()
    assert categories_on_disk(db)["Diplomacy"] == "#4e79a7"
    monkeypatch.setattr(manager, "ask_color", lambda *a: None)  # cancelled
    click(qtbot, manager.color_button)
    assert doc.undo_stack.index() == 0


def test_delete_moves_events_and_undo_brings_them_back(
    manager: CategoryManagerDialog, doc: Document, db: Path, qtbot: Any, monkeypatch: Any
) -> None:
    before_cats = categories_on_disk(db)
    before_events = event_categories_on_disk(db)
    questions: list[tuple[str, int, list[str]]] = []

    def ask(name: str, count: int, others: list[Category]) -> tuple[bool, str | None]:
        questions.append((name, count, [c.name for c in others]))
        return True, "Diplomacy"

    monkeypatch.setattr(manager, "ask_reassign", ask)
    manager.select("Military")
    click(qtbot, manager.delete_button)
    assert questions == [("Military", 2, ["Culture", "Diplomacy"])]
    assert manager.names() == ["Culture", "Diplomacy"]
    assert manager.count_of("Diplomacy") == 3
    assert "Military" not in categories_on_disk(db)
    assert set(event_categories_on_disk(db).values()) == {"Diplomacy", None}
    assert doc.undo_stack.undoText() == "Delete category 'Military'"
    doc.undo_stack.undo()
    assert categories_on_disk(db) == before_cats
    assert event_categories_on_disk(db) == before_events
    assert manager.count_of("Military") == 2


def test_delete_cancelled_or_empty(
    manager: CategoryManagerDialog, doc: Document, db: Path, qtbot: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(manager, "ask_reassign", lambda *a: (False, None))
    manager.select("Military")
    click(qtbot, manager.delete_button)
    assert doc.undo_stack.count() == 0

    def never(*args: Any) -> tuple[bool, str | None]:
        raise AssertionError("an empty category is deleted without a question")

    monkeypatch.setattr(manager, "ask_reassign", never)
    manager.select("Culture")
    manager.tree.setFocus()
    manager.activateWindow()
    qtbot.waitUntil(manager.isActiveWindow, timeout=2000)
    qtbot.keyClick(manager.tree, Qt.Key.Key_Delete)
    assert "Culture" not in categories_on_disk(db)
    assert manager.selected_name() == "Diplomacy"  # the next one is selected


def test_buttons_need_a_selection_and_a_writable_file(
    manager: CategoryManagerDialog, db: Path, qtbot: Any
) -> None:
    assert manager.rename_button.isEnabled()
    manager.tree.clearSelection()
    assert not manager.rename_button.isEnabled()
    assert not manager.delete_button.isEnabled()
    assert manager.new_button.isEnabled()
    with EventStore.open(db, readonly=True) as store:
        readonly = Document(store)
        dialog = CategoryManagerDialog(readonly)
        qtbot.addWidget(dialog)
        assert not dialog.new_button.isEnabled()
        assert not dialog.delete_button.isEnabled()


def test_reassign_dialog_offers_none_and_the_others(qtbot: Any) -> None:
    others = [Category("Culture", "#b07aa1"), Category("Diplomacy", "#4e79a7")]
    dialog = ReassignDialog("Military", 2, others)
    qtbot.addWidget(dialog)
    items = [dialog.combo.itemText(i) for i in range(dialog.combo.count())]
    assert items == [NO_CATEGORY_TARGET, "Culture", "Diplomacy"]
    assert "2 events" in dialog.message.text()
    assert dialog.target() is None
    dialog.combo.setCurrentIndex(2)
    assert dialog.target() == "Diplomacy"


def test_names_from_a_file_are_shown_as_written(
    doc: Document, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QInputDialog

    markup = '<img src="file:/x"><b>Arms</b>'
    doc.store.add_category(markup, "#59a14f")
    dialog = CategoryManagerDialog(doc)
    qtbot.addWidget(dialog)
    item = next(
        dialog.tree.topLevelItem(i)
        for i in range(dialog.tree.topLevelItemCount())
        if dialog.tree.topLevelItem(i).text(0) == markup
    )
    shown = QTextDocument()
    shown.setHtml(item.toolTip(0))
    assert shown.toPlainText() == f"{markup} · #59a14f"
    labels = []

    def get_text(parent, title, label, mode, text):
        labels.append(label)
        return "", False

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    dialog.select(markup)
    dialog.rename_category()
    shown.setHtml(labels[0])
    assert shown.toPlainText() == f"New name for “{markup}”:"
    assert dialog.status_label.textFormat() == Qt.TextFormat.PlainText
    reassign = ReassignDialog(markup, 2, [])
    qtbot.addWidget(reassign)
    assert reassign.message.textFormat() == Qt.TextFormat.PlainText
    assert markup in reassign.message.text()


# -- timeline properties -----------------------------------------------------------------------


@pytest.fixture
def properties(doc: Document, qtbot: Any) -> TimelinePropertiesDialog:
    dialog = TimelinePropertiesDialog(doc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    return dialog


def meta_on_disk(db: Path) -> dict[str, str]:
    with EventStore.open(db, create=False) as fresh:
        return fresh.meta()


def test_properties_save_is_undoable(
    properties: TimelinePropertiesDialog, doc: Document, db: Path, qtbot: Any
) -> None:
    assert properties.title_edit.text() == "Russia and North Korea"
    assert properties.description_edit.toPlainText() == "Since 1948"
    properties.title_edit.selectAll()
    qtbot.keyClicks(properties.title_edit, "Moscow and Pyongyang")
    qtbot.keyClicks(properties.source_edit, "https://example.org")
    properties.description_edit.setFocus()
    with qtbot.wait_signal(properties.accepted, timeout=1000):
        qtbot.keyClick(
            properties.description_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert meta_on_disk(db)["title"] == "Moscow and Pyongyang"
    assert meta_on_disk(db)["source"] == "https://example.org"
    assert properties.command is not None
    assert doc.undo_stack.undoText() == "Edit timeline properties"
    doc.undo_stack.undo()
    assert meta_on_disk(db) == {
        "title": "Russia and North Korea",
        "description": "Since 1948",
        "source": "",
    }


def test_properties_unchanged_or_cancelled_push_nothing(
    properties: TimelinePropertiesDialog, doc: Document, qtbot: Any
) -> None:
    with qtbot.wait_signal(properties.accepted, timeout=1000):
        qtbot.keyClick(properties.title_edit, Qt.Key.Key_Return)
    assert properties.result() == QDialog.DialogCode.Accepted
    assert properties.command is None
    assert doc.undo_stack.count() == 0
    again = TimelinePropertiesDialog(doc)
    qtbot.addWidget(again)
    again.show()
    again.title_edit.setText("Changed")
    with qtbot.wait_signal(again.rejected, timeout=1000):
        qtbot.keyClick(again.title_edit, Qt.Key.Key_Escape)
    assert doc.undo_stack.count() == 0
    assert doc.store.meta()["title"] == "Russia and North Korea"
