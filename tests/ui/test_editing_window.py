"""Editing in the main window, through its real actions, shortcuts, dialogs and mouse.

Every test ends (in the ``window`` fixture) by reopening the file with a fresh
:class:`EventStore` and checking that it holds exactly what the window shows: the
timeline's columns, the event list's rows, the sidebar's categories and tags, the
detail panel and the title.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog
from window_events import (
    EVENTS,
    TITLES,
    d,
    event_pixel,
    make_store,
    send_mouse,
    shown,
    view_to_pixel,
)

from viewer.model.dates import PartialDate, Precision
from viewer.model.event import Event
from viewer.model.filters import Filters
from viewer.store import EventStore, StoreError
from viewer.ui.category_dialogs import CategoryManagerDialog, TimelinePropertiesDialog
from viewer.ui.document import Document
from viewer.ui.event_dialog import EventDialog, date_text
from viewer.ui.event_list import CATEGORY, DATE, HEADLINE, ID_ROLE
from viewer.ui.main_window import MainWindow
from viewer.ui.sidebar import KEY_ROLE

LEFT = Qt.MouseButton.LeftButton
NO_BUTTON = Qt.MouseButton.NoButton
NO_MOD = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


# -- the screen against the disk -----------------------------------------------------------


def list_rows(window: MainWindow) -> list[tuple[int, str, str, str]]:
    model = window.event_list.model()
    return [
        (
            model.index(r, 0).data(ID_ROLE),
            model.index(r, DATE).data(),
            model.index(r, HEADLINE).data(),
            model.index(r, CATEGORY).data(),
        )
        for r in range(model.rowCount())
    ]


def sidebar_rows(lst) -> dict[str, int]:
    return {
        lst.item(i).data(KEY_ROLE): lst.item(i).data(Qt.ItemDataRole.UserRole + 1)
        for i in range(lst.count())
    }


def assert_disk_matches_screen(window: MainWindow) -> None:
    """Reopen the file and compare it with every view of the window."""
    assert window.doc is not None
    with EventStore.open(window.doc.path, create=False, readonly=True) as fresh:
        ids = fresh.filtered_ids(window.state.filters)
        events = {e.id: e for e in fresh.events()}
        titles = [events[i].title for i in ids]
        # the timeline
        on_screen = shown(window)
        assert on_screen.ids == ids
        assert on_screen.titles == titles
        assert on_screen.categories == [events[i].category or "" for i in ids]
        assert list(window.view.arrays().ids) == ids
        assert list(window.view.arrays().titles) == titles
        # the list (sorted by date, as it starts)
        assert list_rows(window) == [
            (i, events[i].date_text(), events[i].title, events[i].category or "") for i in ids
        ]
        # the counts and the sidebar
        total = fresh.count()
        n_shown = len(ids)
        expected = f"{n_shown} of {total} events" if n_shown != total else f"{total} events"
        assert window.count_label.text() == expected
        counts, uncategorised = fresh.category_counts()
        on_disk = {c.name: n for c, n in counts}
        if uncategorised:
            on_disk[""] = uncategorised
        assert sidebar_rows(window.sidebar.category_list) == on_disk
        assert window.categories.colors() == {c.name: c.color for c, _n in counts}
        assert sidebar_rows(window.sidebar.tag_list) == dict(fresh.tag_counts())
        # the detail panel
        current = window.state.current
        if current is None:
            assert window.detail.is_empty()
        else:
            assert window.detail.current_event() == events[current]
            assert window.detail.headline_label.text() == events[current].title
        # the title
        title = fresh.meta()["title"]
        assert window.title_label.text() == (title or window.doc.display_name)


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path) -> Path:
    return make_store(tmp_path / "t.db")


@pytest.fixture
def window(qtbot, tmp_path, db):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    # Not given to qtbot.addWidget: qtbot would close the window before this fixture
    # compares it with the file.
    w = MainWindow(settings)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    assert w.open_path(db)
    activate(qtbot, w)
    w.view.setFocus()
    qtbot.wait(10)
    w.view.plot.viewport().repaint()
    try:
        yield w
        close_dialog(qtbot, w)
        assert_disk_matches_screen(w)
    finally:
        w.close()
        w.deleteLater()
        qtbot.wait(1)


def activate(qtbot, widget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=2000)


def close_dialog(qtbot, window: MainWindow) -> None:
    dialog = window.editing.dialog
    if dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible():
        dialog.reject()
    qtbot.wait(1)


# -- helpers --------------------------------------------------------------------------------


def id_of(window: MainWindow, title: str) -> int:
    return shown(window).ids[shown(window).titles.index(title)]


def key(qtbot, window: MainWindow, k, modifiers=NO_MOD, widget=None) -> None:
    """A key pressed in the main window (by default on the timeline)."""
    activate(qtbot, window)
    target = widget if widget is not None else window.view
    target.setFocus()
    qtbot.keyClick(target, k, modifiers)


def undo(qtbot, window):
    key(qtbot, window, Qt.Key.Key_Z, CTRL)


def redo(qtbot, window, *, ctrl_y: bool = False):
    if ctrl_y:
        key(qtbot, window, Qt.Key.Key_Y, CTRL)
    else:
        key(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)


def menu_texts(window: MainWindow) -> tuple[str, str]:
    """The Edit menu's undo and redo entries, as shown (without the & mnemonics)."""
    undo_action, redo_action = window.editing.undo_action, window.editing.redo_action
    assert undo_action in window.edit_menu.actions()
    assert redo_action in window.edit_menu.actions()
    return undo_action.text().replace("&", ""), redo_action.text().replace("&", "")


def event_dialog(qtbot, window: MainWindow) -> EventDialog:
    dialog = window.editing.dialog
    assert isinstance(dialog, EventDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    activate(qtbot, dialog)
    return dialog


def type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def fill(qtbot, dialog: EventDialog, **fields: str) -> None:
    widgets = {
        "headline": dialog.headline_edit,
        "start": dialog.start_edit,
        "end": dialog.end_edit,
        "category": dialog.category_combo.lineEdit(),
        "tags": dialog.tags_edit,
        "source": dialog.source_edit,
    }
    for name, text in fields.items():
        if name == "description":
            dialog.description_edit.setFocus()
            dialog.description_edit.selectAll()
            qtbot.keyClick(dialog.description_edit, Qt.Key.Key_Delete)
            qtbot.keyClicks(dialog.description_edit, text)
        else:
            type_into(qtbot, widgets[name], text)
            if name == "tags":
                dialog.tags_edit.tag_completer.popup().hide()


def save(qtbot, dialog) -> None:
    """Ctrl+Return, then wait until the dialog is gone."""
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=2000)


def click_at(window: MainWindow, pos: QPoint, modifiers=NO_MOD, *, double=False) -> None:
    viewport = window.view.plot.viewport()
    send_mouse(viewport, QEvent.Type.MouseButtonPress, pos, LEFT, LEFT, modifiers)
    send_mouse(viewport, QEvent.Type.MouseButtonRelease, pos, LEFT, NO_BUTTON, modifiers)
    if double:
        send_mouse(viewport, QEvent.Type.MouseButtonDblClick, pos, LEFT, LEFT, modifiers)
        send_mouse(viewport, QEvent.Type.MouseButtonRelease, pos, LEFT, NO_BUTTON, modifiers)


def click_event(window: MainWindow, title: str, modifiers=NO_MOD, *, double=False) -> int:
    event_id = id_of(window, title)
    click_at(window, event_pixel(window, event_id), modifiers, double=double)
    return event_id


def empty_pixel(window: MainWindow, x: float) -> QPoint:
    """A point at time ``x`` below every lane, where no event is drawn."""
    view = window.view
    _, (_y0, y1) = view.viewbox.viewRange()
    y = min(view.item.lane_count + 0.5, y1 - 1.0)
    assert view.item.event_at(QPointF(x, y)) is None
    return view_to_pixel(window, x, y)


def click_row(qtbot, window: MainWindow, title: str, modifiers=NO_MOD) -> int:
    table = window.event_list
    event_id = id_of(window, title)
    row = table.model().row_of(event_id)
    index = table.model().index(row, HEADLINE)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), LEFT, modifiers, table.visualRect(index).center())
    return event_id


def on_disk(window: MainWindow, event_id: int) -> Event | None:
    with EventStore.open(window.doc.path, create=False, readonly=True) as fresh:
        return fresh.get_event(event_id)


# -- add ----------------------------------------------------------------------------------------


def test_add_with_ctrl_n_then_undo_and_redo(qtbot, window: MainWindow) -> None:
    key(qtbot, window, Qt.Key.Key_N, CTRL)
    dialog = event_dialog(qtbot, window)
    assert dialog.windowTitle() == "Add Event"
    assert dialog.headline_edit.hasFocus()
    assert not dialog.save_button.isEnabled()
    fill(
        qtbot,
        dialog,
        headline="Bridge opens",
        start="March 3, 1999",
        category="Science",
        tags="engineering, Games",
        description="A long bridge.",
        source="https://example.com/bridge",
    )
    assert dialog.save_button.isEnabled()
    save(qtbot, dialog)
    new = id_of(window, "Bridge opens")
    assert window.state.selection == [new]
    assert window.detail.headline_label.text() == "Bridge opens"
    assert window.count_label.text() == "15 events"
    stored = on_disk(window, new)
    assert stored == Event(
        "Bridge opens",
        d(1999, 3, 3),
        category="Science",
        tags=("engineering", "games"),  # an existing tag keeps its spelling
        description="A long bridge.",
        source_url="https://example.com/bridge",
        id=new,
    )
    assert menu_texts(window) == ("Undo Add 'Bridge opens'", "Redo")
    assert_disk_matches_screen(window)

    undo(qtbot, window)
    assert "Bridge opens" not in shown(window).titles
    assert on_disk(window, new) is None
    assert window.state.selection == []
    assert menu_texts(window) == ("Undo", "Redo Add 'Bridge opens'")
    assert_disk_matches_screen(window)

    redo(qtbot, window)
    assert id_of(window, "Bridge opens") == new  # the same id again
    assert on_disk(window, new) == stored
    assert_disk_matches_screen(window)
    undo(qtbot, window)
    redo(qtbot, window, ctrl_y=True)
    assert on_disk(window, new) == stored


def test_add_from_the_toolbar_with_a_range_and_a_new_category(qtbot, window: MainWindow) -> None:
    button = window.toolbar.widgetForAction(window.editing.act_add)
    assert button is not None and button.isEnabled()
    qtbot.mouseClick(button, LEFT)
    dialog = event_dialog(qtbot, window)
    fill(qtbot, dialog, headline="Festival", start="June 2010", end="August 2010")
    fill(qtbot, dialog, category="Culture")
    assert dialog.category_info.isVisible()  # "A new category … will be created"
    save(qtbot, dialog)
    new = id_of(window, "Festival")
    assert on_disk(window, new) == Event(
        "Festival", d(2010, 6), d(2010, 8), category="Culture", id=new
    )
    assert "Culture" in sidebar_rows(window.sidebar.category_list)
    assert_disk_matches_screen(window)
    undo(qtbot, window)  # the category made on the way goes too
    assert "Culture" not in sidebar_rows(window.sidebar.category_list)
    assert_disk_matches_screen(window)
    redo(qtbot, window)
    assert sidebar_rows(window.sidebar.category_list)["Culture"] == 1


@pytest.mark.parametrize(
    ("span", "when", "precision", "text"),
    [
        ((d(1983), d(2030)), d(2003, 6, 15), Precision.YEAR, "2003"),
        ((d(1998), d(2008)), d(2003, 6, 15), Precision.MONTH, "June 2003"),
        ((d(2003), d(2004)), d(2003, 6, 15, 12), Precision.DAY, "15 June 2003"),
    ],
)
def test_double_click_on_an_empty_spot_adds_at_that_date(
    qtbot, window: MainWindow, span, when, precision, text
) -> None:
    window.view.set_visible_range(span[0].begin(), span[1].begin())
    x = when.begin()
    with qtbot.waitSignal(window.view.doubleClicked, timeout=2000) as blocker:
        click_at(window, empty_pixel(window, x), double=True)
    assert blocker.args[0] is None
    dialog = event_dialog(qtbot, window)
    expected = PartialDate.from_position(blocker.args[1], precision)
    assert expected.precision == precision
    assert dialog.start_edit.text() == date_text(expected) == text
    assert dialog.headline_edit.text() == ""
    fill(qtbot, dialog, headline="Clicked here")
    save(qtbot, dialog)
    new = id_of(window, "Clicked here")
    assert on_disk(window, new).start == expected


def test_invalid_dates_keep_the_dialog_open_and_add_nothing(qtbot, window: MainWindow) -> None:
    key(qtbot, window, Qt.Key.Key_N, CTRL)
    dialog = event_dialog(qtbot, window)
    fill(qtbot, dialog, headline="Impossible", start="Feb 30, 2023")
    assert not dialog.save_button.isEnabled()
    assert dialog.problem() == "The start date is not valid"
    assert "no day 30" in dialog.start_info.text()
    qtbot.keyClick(dialog.start_edit, Qt.Key.Key_Return, CTRL)
    assert dialog.isVisible()
    fill(qtbot, dialog, start="2005", end="2001")
    assert dialog.problem() == "The end is before the start"
    qtbot.keyClick(dialog.end_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    fill(qtbot, dialog, start="May 16-17, 2024", end="2025")
    assert dialog.problem() == "The start is already a range: leave the end empty"
    fill(qtbot, dialog, end="", start="")
    assert dialog.problem() == "A start date is needed"
    qtbot.keyClick(dialog.headline_edit, Qt.Key.Key_Return, CTRL)
    assert dialog.isVisible()
    assert window.count_label.text() == "14 events"
    assert window.doc.undo_stack.count() == 0
    fill(qtbot, dialog, start="May 16-17, 2024")
    save(qtbot, dialog)
    new = id_of(window, "Impossible")
    assert on_disk(window, new).end == d(2024, 5, 17)


def test_cancel_adds_nothing(qtbot, window: MainWindow) -> None:
    key(qtbot, window, Qt.Key.Key_N, CTRL)
    dialog = event_dialog(qtbot, window)
    fill(qtbot, dialog, headline="Never mind", start="2000")
    qtbot.keyClick(dialog.headline_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
    assert window.count_label.text() == "14 events"
    assert window.doc.undo_stack.count() == 0


def test_tags_complete_from_the_existing_ones(qtbot, window: MainWindow) -> None:
    key(qtbot, window, Qt.Key.Key_N, CTRL)
    dialog = event_dialog(qtbot, window)
    fill(qtbot, dialog, headline="Relay", start="2011")
    edit = dialog.tags_edit
    edit.setFocus()
    qtbot.keyClicks(edit, "ga")
    popup = edit.tag_completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=1000)
    assert edit.tag_completer.currentCompletion() == "games"
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert edit.text() == "games, "
    qtbot.keyClicks(edit, "PHY")
    qtbot.waitUntil(popup.isVisible, timeout=1000)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert edit.text() == "games, physics, "
    popup.hide()
    save(qtbot, dialog)
    new = id_of(window, "Relay")
    assert on_disk(window, new).tags == ("games", "physics")
    assert sidebar_rows(window.sidebar.tag_list)["games"] == 4


# -- edit ----------------------------------------------------------------------------------------


def test_edit_by_double_clicking_an_event(qtbot, window: MainWindow) -> None:
    before = on_disk(window, id_of(window, "Summit"))
    event_id = click_event(window, "Summit", double=True)
    dialog = event_dialog(qtbot, window)
    assert dialog.windowTitle() == "Edit Event"
    assert dialog.headline_edit.text() == "Summit"
    assert dialog.start_edit.text() == "July 2001"
    assert dialog.category_combo.currentText() == "Politics"
    assert dialog.tags_edit.text() == "diplomacy"
    fill(qtbot, dialog, headline="Summit in Geneva", start="July 18, 2001", category="Sport")
    save(qtbot, dialog)
    after = on_disk(window, event_id)
    assert after == before.evolve(title="Summit in Geneva", start=d(2001, 7, 18), category="Sport")
    assert window.detail.headline_label.text() == "Summit in Geneva"
    assert menu_texts(window)[0] == "Undo Edit 'Summit in Geneva'"
    assert_disk_matches_screen(window)
    undo(qtbot, window)
    assert on_disk(window, event_id) == before
    assert window.detail.headline_label.text() == "Summit"
    assert_disk_matches_screen(window)
    redo(qtbot, window, ctrl_y=True)
    assert on_disk(window, event_id) == after


def test_edit_with_ctrl_e(qtbot, window: MainWindow) -> None:
    event_id = click_event(window, "Crisis")
    key(qtbot, window, Qt.Key.Key_E, CTRL)
    dialog = event_dialog(qtbot, window)
    assert dialog.start_edit.text() == "2007"
    assert dialog.end_edit.text() == "2009"
    fill(qtbot, dialog, end="", description="Shorter.")
    save(qtbot, dialog)
    assert on_disk(window, event_id).end is None
    assert on_disk(window, event_id).description == "Shorter."
    undo(qtbot, window)
    assert on_disk(window, event_id).end == d(2009)


def test_edit_from_the_detail_panel_button(qtbot, window: MainWindow) -> None:
    event_id = click_row(qtbot, window, "Higgs boson")
    assert window.detail.edit_button.isVisible()
    qtbot.mouseClick(window.detail.edit_button, LEFT)
    dialog = event_dialog(qtbot, window)
    assert dialog.headline_edit.text() == "Higgs boson"
    fill(qtbot, dialog, tags="physics, cern")
    save(qtbot, dialog)
    assert on_disk(window, event_id).tags == ("cern", "physics")
    assert "cern" in sidebar_rows(window.sidebar.tag_list)
    undo(qtbot, window)
    assert "cern" not in sidebar_rows(window.sidebar.tag_list)


def test_saving_an_unchanged_edit_adds_no_step(qtbot, window: MainWindow) -> None:
    click_event(window, "Olympics")
    key(qtbot, window, Qt.Key.Key_E, CTRL)
    save(qtbot, event_dialog(qtbot, window))
    assert window.doc.undo_stack.count() == 0


# -- delete and duplicate -----------------------------------------------------------------------


def test_delete_with_the_del_key_then_undo(qtbot, window: MainWindow) -> None:
    event_id = click_event(window, "World Cup")
    before = on_disk(window, event_id)
    key(qtbot, window, Qt.Key.Key_Delete)  # no confirmation
    assert window.findChildren(QMessageBox) == []
    assert "World Cup" not in shown(window).titles
    assert on_disk(window, event_id) is None
    assert window.state.selection == []
    assert menu_texts(window)[0] == "Undo Delete 'World Cup'"
    assert_disk_matches_screen(window)
    undo(qtbot, window)
    assert on_disk(window, event_id) == before  # same id, tags, category
    assert id_of(window, "World Cup") == event_id
    assert_disk_matches_screen(window)
    redo(qtbot, window)
    assert on_disk(window, event_id) is None


def test_duplicate_with_ctrl_d(qtbot, window: MainWindow) -> None:
    event_id = click_event(window, "Olympics")
    key(qtbot, window, Qt.Key.Key_D, CTRL)
    ids = [
        i for i, t in zip(shown(window).ids, shown(window).titles, strict=True) if t == "Olympics"
    ]
    assert len(ids) == 2
    copy = next(i for i in ids if i != event_id)
    assert window.state.selection == [copy]
    assert on_disk(window, copy) == on_disk(window, event_id).evolve(id=copy)
    assert menu_texts(window)[0] == "Undo Duplicate 'Olympics'"
    assert_disk_matches_screen(window)
    undo(qtbot, window)
    assert on_disk(window, copy) is None
    assert shown(window).titles.count("Olympics") == 1
    redo(qtbot, window)
    assert on_disk(window, copy) is not None


# -- several at once ----------------------------------------------------------------------------


def test_ctrl_click_on_the_timeline_then_delete_as_one_step(qtbot, window: MainWindow) -> None:
    a = click_event(window, "Election")
    b = click_event(window, "Mars rover", CTRL)
    c = click_event(window, "Cup final", CTRL)
    assert window.state.selection == [a, b, c]
    before = [on_disk(window, i) for i in (a, b, c)]
    key(qtbot, window, Qt.Key.Key_Delete)
    assert window.count_label.text() == "11 events"
    assert window.doc.undo_stack.count() == 1
    assert menu_texts(window)[0] == "Undo Delete 3 events"
    assert_disk_matches_screen(window)
    undo(qtbot, window)
    assert [on_disk(window, i) for i in (a, b, c)] == before
    assert window.count_label.text() == "14 events"


def test_shift_click_on_the_timeline_then_set_the_category(qtbot, window: MainWindow) -> None:
    first = click_event(window, "Genome draft")
    last = click_event(window, "Mars rover", SHIFT)
    ids = shown(window).ids[shown(window).ids.index(first) : shown(window).ids.index(last) + 1]
    assert set(window.state.selection) == set(ids) and len(ids) == 4
    before = {i: on_disk(window, i).category for i in ids}
    menu = window.editing.category_menu
    assert menu.isEnabled()
    menu.aboutToShow.emit()
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "Politics",
        "Science",
        "Sport",
        "(No Category)",
    ]
    next(a for a in menu.actions() if a.text() == "Sport").trigger()
    assert {on_disk(window, i).category for i in ids} == {"Sport"}
    assert window.doc.undo_stack.count() == 1
    assert menu_texts(window)[0] == "Undo Set category of 4 events"
    assert_disk_matches_screen(window)
    undo(qtbot, window)
    assert {i: on_disk(window, i).category for i in ids} == before
    assert_disk_matches_screen(window)
    redo(qtbot, window)
    menu.aboutToShow.emit()
    next(a for a in menu.actions() if a.text() == "(No Category)").trigger()
    assert {on_disk(window, i).category for i in ids} == {None}
    assert sidebar_rows(window.sidebar.category_list)[""] == 4


def test_an_ampersand_in_a_name_reads_as_written_in_the_menus(
    qtbot, window: MainWindow, tmp_path
) -> None:
    event_id = click_event(window, "Summit")
    window.editing.set_category("R&D")
    menu = window.editing.category_menu
    menu.aboutToShow.emit()
    action = next(a for a in menu.actions() if "R" in a.text() and "D" in a.text())
    assert action.text() == "R&&D"  # "&" marks a mnemonic in a menu: "R&D" read "RD"
    assert menu_texts(window)[0] == "Undo Set category of 'Summit'"
    window.editing.set_category(None)
    action.trigger()
    assert on_disk(window, event_id).category == "R&D"
    # the Open Recent menu names files the same way
    other = make_store(tmp_path / "Q&A.db", EVENTS[:1])
    recent = window.files.recent_menu
    window.files.remember_recent(str(other))
    recent.aboutToShow.emit()
    assert recent.actions()[0].text() == "Q&&A.db"


def test_select_several_in_the_list_then_delete(qtbot, window: MainWindow) -> None:
    a = click_row(qtbot, window, "Moon base")
    b = click_row(qtbot, window, "Summit", CTRL)
    c = click_row(qtbot, window, "Referendum", CTRL)
    assert set(window.state.selection) == {a, b, c}
    assert window.view.item.selected() == {a, b, c}
    key(qtbot, window, Qt.Key.Key_Delete, widget=window.event_list)
    assert window.count_label.text() == "11 events"
    assert menu_texts(window)[0] == "Undo Delete 3 events"
    assert_disk_matches_screen(window)
    undo(qtbot, window)
    assert window.count_label.text() == "14 events"


def test_shift_select_in_the_list_then_duplicate_and_set_category(
    qtbot, window: MainWindow
) -> None:
    click_row(qtbot, window, "Higgs boson")
    click_row(qtbot, window, "Cup final", SHIFT)
    assert len(window.state.selection) == 4
    key(qtbot, window, Qt.Key.Key_D, CTRL, widget=window.event_list)
    assert window.count_label.text() == "18 events"
    assert len(window.state.selection) == 4
    assert menu_texts(window)[0] == "Undo Duplicate 4 events"
    window.editing.set_category("Politics")
    assert menu_texts(window)[0] == "Undo Set category of 4 events"
    assert_disk_matches_screen(window)
    undo(qtbot, window)
    undo(qtbot, window)
    assert window.count_label.text() == "14 events"


# -- categories -------------------------------------------------------------------------------


def category_manager(qtbot, window: MainWindow) -> CategoryManagerDialog:
    window.editing.act_categories.trigger()
    dialog = window.editing.dialog
    assert isinstance(dialog, CategoryManagerDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    activate(qtbot, dialog)
    return dialog


def categories_on_disk(window: MainWindow) -> dict[str, str]:
    with EventStore.open(window.doc.path, create=False, readonly=True) as fresh:
        return {c.name: c.color for c in fresh.categories()}


def test_create_rename_and_recolour_categories(qtbot, window: MainWindow, monkeypatch) -> None:
    dialog = category_manager(qtbot, window)
    assert dialog.names() == ["Politics", "Science", "Sport"]
    monkeypatch.setattr(dialog, "ask_name", lambda *a, **k: "Culture")
    qtbot.mouseClick(dialog.new_button, LEFT)
    assert "Culture" in categories_on_disk(window)
    assert "Culture" in sidebar_rows(window.sidebar.category_list)
    assert dialog.selected_name() == "Culture"

    dialog.select("Sport")
    monkeypatch.setattr(dialog, "ask_name", lambda *a, **k: "Athletics")
    qtbot.mouseClick(dialog.rename_button, LEFT)
    assert set(categories_on_disk(window)) == {"Politics", "Science", "Athletics", "Culture"}
    assert shown(window).categories.count("Athletics") == 4
    assert menu_texts(window)[0] == "Undo Rename category 'Sport' to 'Athletics'"

    monkeypatch.setattr(dialog, "ask_color", lambda *a, **k: QColor("#123456"))
    qtbot.mouseClick(dialog.color_button, LEFT)
    assert categories_on_disk(window)["Athletics"] == "#123456"
    assert window.categories.colors()["Athletics"] == "#123456"
    assert menu_texts(window)[0] == "Undo Recolour category 'Athletics'"

    # a name in use is refused and nothing changes
    monkeypatch.setattr(dialog, "ask_name", lambda *a, **k: "politics")
    qtbot.mouseClick(dialog.new_button, LEFT)
    assert "already a category" in dialog.status_label.text()
    assert window.doc.undo_stack.count() == 3

    # Ctrl+Z in the dialog undoes, step by step
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Z, CTRL)
    assert categories_on_disk(window)["Athletics"] == "#e15759"
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Z, CTRL)
    assert "Sport" in categories_on_disk(window)
    assert dialog.names() == ["Culture", "Politics", "Science", "Sport"]
    dialog.reject()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
    assert_disk_matches_screen(window)
    undo(qtbot, window)
    assert "Culture" not in categories_on_disk(window)
    redo(qtbot, window)
    redo(qtbot, window, ctrl_y=True)
    assert "Athletics" in categories_on_disk(window)
    assert "Athletics" in sidebar_rows(window.sidebar.category_list)


def test_delete_a_category_reassigning_its_events(qtbot, window: MainWindow, monkeypatch) -> None:
    sport = [
        i for i, c in zip(shown(window).ids, shown(window).categories, strict=True) if c == "Sport"
    ]
    dialog = category_manager(qtbot, window)
    dialog.select("Sport")
    asked = []

    def ask_reassign(name, count, others):
        asked.append((name, count, [c.name for c in others]))
        return True, "Science"

    monkeypatch.setattr(dialog, "ask_reassign", ask_reassign)
    qtbot.mouseClick(dialog.delete_button, LEFT)
    assert asked == [("Sport", 4, ["Politics", "Science"])]
    assert set(categories_on_disk(window)) == {"Politics", "Science"}
    assert {on_disk(window, i).category for i in sport} == {"Science"}
    assert sidebar_rows(window.sidebar.category_list) == {"Politics": 5, "Science": 9}
    assert menu_texts(window)[0] == "Undo Delete category 'Sport'"
    dialog.reject()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
    assert_disk_matches_screen(window)
    undo(qtbot, window)
    assert categories_on_disk(window)["Sport"] == "#e15759"
    assert {on_disk(window, i).category for i in sport} == {"Sport"}
    assert_disk_matches_screen(window)
    redo(qtbot, window)
    assert "Sport" not in categories_on_disk(window)


def test_delete_a_category_leaving_its_events_without(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    dialog = category_manager(qtbot, window)
    dialog.select("Politics")
    monkeypatch.setattr(dialog, "ask_reassign", lambda *a: (True, None))
    qtbot.mouseClick(dialog.delete_button, LEFT)
    assert sidebar_rows(window.sidebar.category_list) == {"Science": 5, "Sport": 4, "": 5}
    # cancelling the question deletes nothing
    dialog.select("Sport")
    monkeypatch.setattr(dialog, "ask_reassign", lambda *a: (False, "Science"))
    qtbot.mouseClick(dialog.delete_button, LEFT)
    assert "Sport" in categories_on_disk(window)
    assert window.doc.undo_stack.count() == 1


def hide_category(window: MainWindow, name: str) -> None:
    """Uncheck the category in the sidebar."""
    lst = window.sidebar.category_list
    item = next(lst.item(i) for i in range(lst.count()) if lst.item(i).data(KEY_ROLE) == name)
    item.setCheckState(Qt.CheckState.Unchecked)


def test_a_hidden_category_stays_hidden_while_editing(qtbot, window: MainWindow) -> None:
    hide_category(window, "Sport")
    assert window.count_label.text() == "10 of 14 events"
    click_event(window, "Summit")
    window.editing.set_category("Sport")  # it disappears from view
    assert window.count_label.text() == "9 of 14 events"
    assert window.state.selection == []
    assert_disk_matches_screen(window)
    undo(qtbot, window)
    assert window.count_label.text() == "10 of 14 events"


def test_a_hidden_category_stays_hidden_when_renamed(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    hide_category(window, "Sport")
    assert window.count_label.text() == "10 of 14 events"
    dialog = category_manager(qtbot, window)
    dialog.select("Sport")
    monkeypatch.setattr(dialog, "ask_name", lambda *a, **k: "Athletics")
    qtbot.mouseClick(dialog.rename_button, LEFT)
    assert window.count_label.text() == "10 of 14 events"  # its events stay hidden
    assert window.state.filters.hidden_categories == {"Athletics"}
    lst = window.sidebar.category_list
    checks = {lst.item(i).data(KEY_ROLE): lst.item(i).checkState() for i in range(lst.count())}
    assert checks["Athletics"] == Qt.CheckState.Unchecked
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Z, CTRL)  # and under the old name again
    assert window.state.filters.hidden_categories == {"Sport"}
    assert window.count_label.text() == "10 of 14 events"
    dialog.reject()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
    redo(qtbot, window)
    assert window.state.filters.hidden_categories == {"Athletics"}
    assert "World Cup" not in shown(window).titles


def test_an_event_added_where_the_filters_hide_it_is_not_selected(
    qtbot, window: MainWindow
) -> None:
    window.state.set_filters(Filters(text="treaty"))
    treaty = click_event(window, "Treaty signed")
    key(qtbot, window, Qt.Key.Key_N, CTRL)
    dialog = event_dialog(qtbot, window)
    fill(qtbot, dialog, headline="Harvest festival", start="1999")
    save(qtbot, dialog)
    assert window.count_label.text() == "1 of 15 events"
    assert window.state.selection == [treaty]  # nothing hidden is selected
    assert window.detail.current_event().title == "Treaty signed"
    message = window.statusBar().currentMessage()
    assert "'Harvest festival'" in message and "filters hide it" in message
    window.act_reset_filters.trigger()
    assert "Harvest festival" in shown(window).titles


# -- timeline properties ------------------------------------------------------------------------


def test_timeline_properties(qtbot, window: MainWindow) -> None:
    window.editing.act_properties.trigger()
    dialog = window.editing.dialog
    assert isinstance(dialog, TimelinePropertiesDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    activate(qtbot, dialog)
    assert dialog.title_edit.text() == "Test timeline"
    type_into(qtbot, dialog.title_edit, "Sport and science")
    type_into(qtbot, dialog.source_edit, "Made up")
    save(qtbot, dialog)
    assert window.title_label.text() == "Sport and science"
    assert window.windowTitle().startswith("Sport and science")
    assert menu_texts(window)[0] == "Undo Edit timeline properties"
    with EventStore.open(window.doc.path, create=False, readonly=True) as fresh:
        assert fresh.meta()["source"] == "Made up"
    assert_disk_matches_screen(window)
    undo(qtbot, window)
    assert window.title_label.text() == "Test timeline"
    assert window.windowTitle().startswith("Test timeline")
    assert_disk_matches_screen(window)
    redo(qtbot, window)
    assert window.title_label.text() == "Sport and science"


# -- import, save as -----------------------------------------------------------------------------


def test_import_is_one_undoable_step(qtbot, window: MainWindow, tmp_path) -> None:
    news = tmp_path / "news.txt"
    news.write_text(
        "Two more.\nMarch 3, 1999\nA bridge opens.\nJune 2005\nA river floods.\n",
        encoding="utf-8",
    )
    assert window.files.import_file(news) == 2
    assert window.count_label.text() == "16 events"
    assert menu_texts(window)[0] == "Undo Import 2 events"
    assert_disk_matches_screen(window)
    undo(qtbot, window)
    assert window.count_label.text() == "14 events"
    assert shown(window).titles == TITLES
    assert_disk_matches_screen(window)
    redo(qtbot, window, ctrl_y=True)
    assert window.count_label.text() == "16 events"


def big_import_file(tmp_path: Path, n: int = 2500) -> Path:
    from viewer.generate import synthetic_timeline
    from viewer.io.timelinejs import write_timelinejs

    path = tmp_path / "big.json"
    path.write_text(write_timelinejs(synthetic_timeline(n, seed=3)), encoding="utf-8")
    return path


def test_a_big_import_shows_progress_and_is_one_step(
    qtbot, window: MainWindow, tmp_path, monkeypatch
):
    shown = []
    original = QProgressDialog.setValue

    def set_value(self, value):
        shown.append(value)
        original(self, value)

    monkeypatch.setattr(QProgressDialog, "setValue", set_value)
    assert window.files.import_file(big_import_file(tmp_path)) == 2500
    assert shown and shown[-1] == 2500  # the dialog followed the import to the end
    assert window.count_label.text() == "2,514 events"
    assert menu_texts(window)[0] == "Undo Import 2500 events"
    undo(qtbot, window)
    assert window.count_label.text() == "14 events"
    assert_disk_matches_screen(window)


def test_cancelling_a_big_import_adds_nothing_and_says_nothing(
    window: MainWindow, tmp_path, monkeypatch
):
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    undo_count = window.doc.undo_stack.count()
    assert window.files.import_file(big_import_file(tmp_path)) is None
    assert window.last_error is None
    assert window.count_label.text() == "14 events"
    assert window.doc.undo_stack.count() == undo_count
    assert_disk_matches_screen(window)


def test_save_as_makes_a_copy_and_works_on_it(qtbot, window: MainWindow, db, monkeypatch):
    click_event(window, "Summit")
    key(qtbot, window, Qt.Key.Key_Delete)  # an unsaved-looking change: it is on disk already
    copy = db.with_name("copy.db")
    offered = []

    def get_save_file_name(parent, caption, start, filters):
        offered.append(start)
        return str(copy), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save_file_name))
    key(qtbot, window, Qt.Key.Key_S, CTRL | SHIFT)
    assert offered == [str(db.with_name("t copy.db"))]
    assert window.doc.path == str(copy)
    assert window.files.recent_files()[0] == str(copy)
    assert window.doc.undo_stack.count() == 0
    assert not window.editing.undo_action.isEnabled()
    with (
        EventStore.open(db, create=False, readonly=True) as original,
        EventStore.open(copy, create=False, readonly=True) as saved,
    ):
        assert saved.events() == original.events()
        assert saved.categories() == original.categories()
        assert saved.meta() == original.meta()
    assert "Summit" not in shown(window).titles
    # edits now go to the copy only
    click_event(window, "Crisis")
    key(qtbot, window, Qt.Key.Key_Delete)
    with EventStore.open(db, create=False, readonly=True) as original:
        assert original.count() == 13
    with EventStore.open(copy, create=False, readonly=True) as saved:
        assert saved.count() == 12


def test_save_as_keeps_the_filters_selection_and_view(qtbot, window: MainWindow, db) -> None:
    window.state.set_filters(Filters(hidden_categories=frozenset({"Sport"})))
    event_id = click_event(window, "Summit")
    window.view.zoom(4.0)
    visible = window.view.visible_range()
    assert window.editing.save_copy(db.with_name("copy.db"))
    assert window.doc.path == str(db.with_name("copy.db"))
    assert window.state.filters.hidden_categories == {"Sport"}
    assert window.count_label.text() == "10 of 14 events"
    assert window.state.selection == [event_id]
    assert window.detail.current_event().title == "Summit"
    assert window.view.visible_range() == pytest.approx(visible)


def test_save_as_over_a_file_replaces_it_only_once_the_copy_is_made(
    qtbot, window: MainWindow, db, tmp_path, monkeypatch
) -> None:
    target = make_store(tmp_path / "old.db", EVENTS[:2], title="Old")
    content = target.read_bytes()

    def fail(path):
        Path(path).write_bytes(b"half a copy")
        raise StoreError(f"cannot write {path}: disk full")

    monkeypatch.setattr(window.doc.store, "backup_to", fail)
    assert not window.editing.save_copy(target)
    assert window.last_error.windowTitle() == "Cannot save a copy"
    assert target.read_bytes() == content  # the file to be replaced is as it was
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("old")) == ["old.db"]
    assert window.doc.path == str(db)
    monkeypatch.undo()
    # a journal left beside the replaced file (by a crash) is not applied to the copy
    Path(str(target) + "-wal").write_bytes(b"stale journal")
    assert window.editing.save_copy(target)
    assert not Path(str(target) + "-wal").exists() or Path(str(target) + "-wal").read_bytes() != (
        b"stale journal"
    )
    assert window.count_label.text() == "14 events"
    with EventStore.open(target, create=False, readonly=True) as saved:
        assert saved.count() == 14


def test_no_two_actions_share_a_key(window: MainWindow) -> None:
    # Delete is Del only: QKeySequence.Delete is also Ctrl+D on X11, KDE and GNOME,
    # which made Duplicate's Ctrl+D ambiguous there (neither ran).
    assert window.editing.act_delete.shortcuts() == [QKeySequence("Del")]
    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            key_text = sequence.toString()
            assert key_text not in seen, (key_text, seen.get(key_text), action.text())
            seen[key_text] = action.text()
    assert seen["Ctrl+D"] == "D&uplicate"


def test_the_progress_dialog_of_a_big_import_is_deleted(
    qtbot, window: MainWindow, tmp_path
) -> None:
    assert window.files.import_file(big_import_file(tmp_path)) == 2500
    qtbot.waitUntil(lambda: window.findChildren(QProgressDialog) == [], timeout=2000)
    undo(qtbot, window)


def test_save_as_onto_the_open_file_is_refused(qtbot, window: MainWindow, db) -> None:
    content_count = window.doc.store.count()
    assert not window.editing.save_copy(db)
    assert isinstance(window.last_error, QMessageBox)
    assert "different file name" in window.last_error.text()
    assert window.doc.path == str(db)
    assert window.doc.store.count() == content_count


# -- read-only -----------------------------------------------------------------------------------


def test_a_read_only_file_refuses_every_edit(qtbot, window: MainWindow, tmp_path) -> None:
    path = make_store(tmp_path / "ro.db", EVENTS[:6])
    content = path.read_bytes()
    window.set_document(Document(EventStore.open(path, readonly=True)))
    assert window.banner.isVisible()
    event_id = click_event(window, "Summit")
    for k, mods in (
        (Qt.Key.Key_N, CTRL),
        (Qt.Key.Key_E, CTRL),
        (Qt.Key.Key_D, CTRL),
        (Qt.Key.Key_Delete, NO_MOD),
        (Qt.Key.Key_Z, CTRL),
    ):
        key(qtbot, window, k, mods)
    click_event(window, "Summit", double=True)
    click_at(window, empty_pixel(window, d(1999).begin()), double=True)
    assert window.editing.dialog is None
    assert not any(dialog.isVisible() for dialog in window.findChildren(QDialog))
    assert window.editing.manage_categories() is None
    assert window.editing.edit_properties() is None
    before = window.doc.store.get_event(event_id)
    assert not window.editing.move_event(before, before.evolve(start=d(2002)))
    assert not window.detail.edit_button.isVisible()
    assert shown(window).titles == TITLES[:6]
    assert path.read_bytes() == content


def test_save_as_from_a_read_only_file_gives_an_editable_copy(
    qtbot, window: MainWindow, tmp_path
) -> None:
    path = make_store(tmp_path / "ro.db", EVENTS[:6])
    content = path.read_bytes()
    window.set_document(Document(EventStore.open(path, readonly=True)))
    copy = tmp_path / "mine.db"
    assert window.editing.act_save_as.isEnabled()
    assert window.editing.save_copy(copy)
    assert window.doc.path == str(copy)
    assert not window.doc.readonly
    assert not window.banner.isVisible()
    assert window.editing.act_add.isEnabled()
    click_event(window, "Moon base")
    key(qtbot, window, Qt.Key.Key_Delete)
    assert window.count_label.text() == "5 events"
    assert path.read_bytes() == content


def test_save_as_into_a_missing_folder_shows_an_error(qtbot, window: MainWindow, db, tmp_path):
    target = tmp_path / "missing" / "copy.db"
    assert not window.editing.save_copy(target)
    assert isinstance(window.last_error, QMessageBox)
    assert window.last_error.windowTitle() == "Cannot save a copy"
    assert window.doc.path == str(db)
    assert not target.parent.exists()


def test_a_step_that_fails_shows_why_and_changes_nothing(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    event_id = click_event(window, "Summit")

    def fail(ids):
        raise StoreError("the disk is full")

    monkeypatch.setattr(window.doc.store, "delete_events", fail)
    key(qtbot, window, Qt.Key.Key_Delete)
    assert isinstance(window.last_error, QMessageBox)
    assert window.last_error.windowTitle() == "Could not change the timeline"
    assert window.last_error.text() == "Delete 'Summit': the disk is full"
    assert window.doc.undo_stack.count() == 0
    assert menu_texts(window) == ("Undo", "Redo")
    assert window.state.selection == [event_id]
    assert on_disk(window, event_id) is not None
