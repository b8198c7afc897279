"""What assistive technology is told: the timeline's selected event ("date — headline,
n of N", announced as ←/→ move), and a name for every control that takes the focus,
in the window and its dialogs (queried through QAccessible)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QPalette
from PySide6.QtWidgets import QApplication
from window_events import EVENTS, make_store, open_window

from viewer.ui.accessibility import unnamed_controls
from viewer.ui.richtext import one_line


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


def test_the_timeline_is_a_list_of_its_events_for_assistive_technology(qtbot, window) -> None:
    view = window.view
    iface = QAccessible.queryAccessibleInterface(view)
    assert iface.role() == QAccessible.Role.List
    shown = window.data.shown
    assert iface.childCount() == len(shown) == len(EVENTS)
    items = [iface.child(i) for i in range(iface.childCount())]
    assert all(item.role() == QAccessible.Role.ListItem for item in items)
    names = [item.text(QAccessible.Text.Name) for item in items]
    assert names[0] == f"{shown.dates[0]} \u2014 {one_line(shown.titles[0])}, 1 of {len(EVENTS)}"
    assert [iface.indexOfChild(item) for item in items] == list(range(len(items)))
    assert all(item.parent().role() == QAccessible.Role.List for item in items)
    # the selected event is the selected item, and with the focus the focused one
    view.setFocus()
    window.selecting.select_index(0)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    item = iface.child(1)
    assert item.state().selected and item.state().focused
    assert not iface.child(0).state().selected
    assert iface.focusChild().text(QAccessible.Text.Name) == names[1]
    # it is on the screen where its mark is, inside the timeline
    rect = item.rect()
    assert not rect.isEmpty() and iface.rect().contains(rect.center())
    # filters change the list
    window.sidebar.search_edit.setText(EVENTS[2].title)
    qtbot.waitUntil(lambda: len(window.data.shown) == 1)
    assert iface.childCount() == 1


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


def test_tab_goes_through_the_window_in_order_and_shows_where_it_is(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.sidebar.search_edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.sidebar.search_edit)
    names = []
    for _ in range(12):
        focused = QApplication.focusWidget()
        iface = QAccessible.queryAccessibleInterface(focused)
        names.append(iface.text(QAccessible.Text.Name))
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        if QApplication.focusWidget() is window.sidebar.search_edit:
            break
    # (the overview is for the mouse: the timeline's own keys do what it does)
    order = ["Search events", "Categories", "Tags", "From date", "To date", "Timeline", "Events"]
    assert [n for n in names if n in order] == order, repr(names)  # each once, in order
    # the timeline given the focus by the keyboard wears a ring in the accent colour
    ring = window.focus_ring
    window.event_list.setFocus()
    window.view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(ring.isVisible)
    assert ring.geometry() == window.view.rect()
    image = window.view.grab().toImage()
    accent = window.palette().color(QPalette.ColorRole.Accent)
    edge = image.pixelColor(image.width() // 2, 0)
    assert abs(edge.red() - accent.red()) + abs(edge.blue() - accent.blue()) < 60
    window.event_list.setFocus()
    qtbot.waitUntil(lambda: not ring.isVisible())
    # given by a click, it does not: the mouse knows where it is
    window.view.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.wait(20)
    assert window.view.hasFocus() and not ring.isVisible()
