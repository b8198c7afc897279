"""What assistive technology is told: the timeline's selected event ("date — headline,
n of N", announced as ←/→ move), and a name for every control that takes the focus,
in the window and its dialogs (queried through QAccessible)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from window_events import EVENTS, make_store, open_window

from viewer.ui.accessibility import unnamed_controls


@pytest.fixture
def window(qtbot, tmp_path: Path):
    w = open_window(qtbot, tmp_path, make_store(tmp_path / "t.db"))
    yield w
    w.close()


def described(widget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    assert iface is not None
    return iface.text(QAccessible.Text.Description)


def test_moving_through_events_tells_which_one(qtbot, window) -> None:
    view = window.view
    iface = QAccessible.queryAccessibleInterface(view)
    assert iface.text(QAccessible.Text.Name) == "Timeline"
    view.setFocus()
    window.selecting.select_index(0)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    second = window.data.shown
    text = described(view)
    assert text == f"{second.dates[1]} \u2014 {EVENTS[1].title}, 2 of {len(EVENTS)}"
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert described(view).endswith(f"1 of {len(EVENTS)}")
    window.state.clear_selection()
    assert described(view) == ""


def test_every_control_has_a_name(qtbot, window) -> None:
    assert unnamed_controls(window) == []
    window.selecting.select_index(3)
    for dialog in (
        window.editing.edit_event(),
        window.editing.manage_categories(),
        window.editing.edit_properties(),
        window.desktop.show_shortcuts(),
    ):
        assert dialog is not None
        qtbot.waitExposed(dialog)
        assert unnamed_controls(dialog) == [], type(dialog).__name__
        dialog.close()


def test_the_event_dialog_names_its_fields_by_their_labels(qtbot, window) -> None:
    window.selecting.select_index(0)
    dialog = window.editing.edit_event()
    assert dialog is not None
    names = {
        QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name)
        for w in (dialog.headline_edit, dialog.start_edit, dialog.end_edit, dialog.tags_edit)
    }
    assert names == {"Headline", "Start", "End", "Tags"}
    dialog.close()
