"""The main window driven through its real widgets: selection, filters, navigation, files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import shiboken6
from PySide6 import QtGui
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QSettings, QSize, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QTextDocument, QWheelEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from window_events import (
    EVENTS,
    TITLES,
    d,
    event_pixel,
    make_store,
    send_mouse,
    shown,
)

from viewer.io.formats import read_file
from viewer.model.dates import PartialDate
from viewer.model.filters import Filters
from viewer.paths import sample_path
from viewer.store import EventStore
from viewer.store.schema import SCHEMA_VERSION
from viewer.ui.document import Document
from viewer.ui.event_list import HEADLINE, ID_ROLE
from viewer.ui.file_actions import sample_store_path
from viewer.ui.main_window import MainWindow
from viewer.ui.timeline.view import ZOOM_STEP

LEFT = Qt.MouseButton.LeftButton
NO_BUTTON = Qt.MouseButton.NoButton
NO_MOD = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
DATA = Path(__file__).resolve().parents[1] / "data"


def new_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def show(qtbot, window: MainWindow) -> MainWindow:
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    return window


@pytest.fixture
def db(tmp_path) -> Path:
    return make_store(tmp_path / "t.db")


@pytest.fixture
def settings(tmp_path):
    s = new_settings(tmp_path)
    yield s
    s.sync()


@pytest.fixture
def window(qtbot, settings, db):
    w = MainWindow(settings)
    try:
        show(qtbot, w)
        assert w.open_path(db)
        settle(qtbot, w)
        yield w
    finally:
        w.close()  # saves the settings and closes the store
        w.deleteLater()
        qtbot.wait(1)


def settle(qtbot, window: MainWindow) -> None:
    """Let queued timers run and the timeline paint once (labels are placed on paint)."""
    qtbot.wait(10)
    window.view.plot.viewport().repaint()
    QApplication.processEvents()


def id_of(window: MainWindow, title: str) -> int:
    return shown(window).ids[shown(window).titles.index(title)]


def drawn_titles(window: MainWindow) -> list[str]:
    return list(window.view.arrays().titles)


def list_ids(window: MainWindow) -> list[int]:
    model = window.event_list.model()
    return [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())]


# -- mouse helpers ---------------------------------------------------------------------


def click_at(widget, pos: QPoint, modifiers=NO_MOD, *, double: bool = False) -> None:
    """Press and release (pyqtgraph makes a click of the pair), optionally twice."""
    send_mouse(widget, QEvent.Type.MouseButtonPress, pos, LEFT, LEFT, modifiers)
    send_mouse(widget, QEvent.Type.MouseButtonRelease, pos, LEFT, NO_BUTTON, modifiers)
    if double:
        send_mouse(widget, QEvent.Type.MouseButtonDblClick, pos, LEFT, LEFT, modifiers)
        send_mouse(widget, QEvent.Type.MouseButtonRelease, pos, LEFT, NO_BUTTON, modifiers)


def drag(qtbot, widget, a: QPoint, b: QPoint, steps: int = 8) -> None:
    send_mouse(widget, QEvent.Type.MouseButtonPress, a, LEFT, LEFT)
    for k in range(1, steps + 1):
        qtbot.wait(15)  # pyqtgraph rate-limits mouse moves
        send_mouse(widget, QEvent.Type.MouseMove, a + (b - a) * (k / steps), NO_BUTTON, LEFT)
    send_mouse(widget, QEvent.Type.MouseButtonRelease, b, LEFT, NO_BUTTON)


def wheel(widget, pos: QPoint, dy: int) -> None:
    event = QWheelEvent(
        QPointF(pos),
        QPointF(widget.mapToGlobal(pos)),
        QPoint(0, 0),
        QPoint(0, dy),
        NO_BUTTON,
        NO_MOD,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def click_event(window: MainWindow, event_id: int, modifiers=NO_MOD, *, double=False) -> None:
    click_at(window.view.plot.viewport(), event_pixel(window, event_id), modifiers, double=double)


def click_row(qtbot, window: MainWindow, event_id: int, modifiers=NO_MOD) -> None:
    table = window.event_list
    row = table.model().row_of(event_id)
    assert row is not None
    index = table.model().index(row, HEADLINE)
    table.scrollTo(index)
    pos = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), LEFT, modifiers, pos)


def width(window: MainWindow) -> float:
    x0, x1 = window.view.visible_range()
    return x1 - x0


def assert_shows_event(window: MainWindow, title: str) -> None:
    event_id = id_of(window, title)
    assert window.state.current == event_id
    assert window.detail.headline_label.text() == title
    shown = window.detail.current_event()
    assert shown is not None and shown.id == event_id
    assert window.view.item.selected() == {event_id}
    assert window.event_list.selected_ids() == [event_id]


# -- loading ---------------------------------------------------------------------------


def test_opening_shows_every_event_in_every_view(window: MainWindow) -> None:
    assert shown(window).titles == TITLES
    assert drawn_titles(window) == TITLES
    assert list_ids(window) == shown(window).ids
    assert window.count_label.text() == "14 events"
    assert window.sidebar.count_label.text() == "14 events"
    assert window.title_label.text() == "Test timeline"
    assert "Test timeline" in window.windowTitle() and "t.db" in window.windowTitle()
    assert window.detail.is_empty()
    assert window.banner.isHidden()
    span = window.view.arrays().span()
    assert span is not None
    x0, x1 = window.view.visible_range()
    assert x0 <= span[0] and x1 >= span[1]


def test_the_bundled_sample_imports_and_shows(qtbot, tmp_path, settings) -> None:
    expected = read_file(sample_path())
    window = MainWindow(settings)
    qtbot.addWidget(window)
    show(qtbot, window)
    store = EventStore.open(tmp_path / "sample.db")
    window.set_document(Document(store))
    try:
        assert window.count_label.text() == "0 events"
        assert window.files.import_file(sample_path()) == len(expected.events)
        n = len(expected.events)
        assert len(shown(window)) == n == len(window.view.arrays())
        assert window.event_list.model().rowCount() == n
        assert window.count_label.text() == f"{n} events"
        assert sorted(shown(window).titles) == sorted(e.title for e in expected.events)
        assert window.title_label.text() == expected.title
        window.sidebar.search_edit.setText("Vladivostok")
        qtbot.waitUntil(lambda: len(shown(window)) < n, timeout=2000)
        assert window.count_label.text() == f"1 of {n} events"
        found = window.doc.store.get_event(shown(window).ids[0])
        assert "Vladivostok" in found.title + found.description
        assert drawn_titles(window) == [found.title]
    finally:
        window.close()


def test_open_sample_copies_the_bundled_sample_once(qtbot, window, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    bundled = sample_path().read_bytes()
    n = len(read_file(sample_path()).events)
    assert window.files.open_sample()
    copy = sample_store_path()
    assert copy.is_relative_to(tmp_path / "home")
    assert window.doc.path == str(copy)
    assert window.count_label.text() == f"{n} events"
    window.editing.delete_selected()  # nothing selected: nothing happens
    window.select_index(0)
    window.editing.delete_selected()
    assert window.files.open_sample()  # the user's copy is kept, with their change
    assert window.count_label.text() == f"{n - 1} events"
    assert sample_path().read_bytes() == bundled


def test_ctrl_o_opens_and_new_creates(qtbot, window, monkeypatch, tmp_path) -> None:
    other = make_store(tmp_path / "other.db", EVENTS[:3], title="Other")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(other), ""))
    )
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_O, CTRL)
    assert window.doc.path == str(other)
    assert window.title_label.text() == "Other"
    fresh = tmp_path / "Fresh start.db"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(fresh), ""))
    )
    qtbot.keyClick(window.view, Qt.Key.Key_N, CTRL | SHIFT)
    assert window.doc.path == str(fresh)
    assert window.title_label.text() == "Fresh start"
    assert window.count_label.text() == "0 events"
    assert window.editing.act_add.isEnabled()
    # a name in use is refused
    window.files.act_new.trigger()
    assert "exists already" in window.last_error.text()
    assert window.doc.path == str(fresh)


# -- selection ---------------------------------------------------------------------------


def test_click_on_the_timeline_selects_and_fills_the_panel(window: MainWindow) -> None:
    click_event(window, id_of(window, "Genome draft"))
    assert_shows_event(window, "Genome draft")
    assert window.detail.date_label.text() == "26 June 2000"
    click_event(window, id_of(window, "Crisis"))  # a range
    assert_shows_event(window, "Crisis")
    # a click on empty space clears the selection
    click_at(window.view.plot.viewport(), QPoint(3, 40))
    assert window.state.selection == []
    assert window.detail.is_empty()
    assert window.event_list.selected_ids() == []
    assert window.view.item.selected() == set()


def test_ctrl_and_shift_click_on_the_timeline_select_several(window: MainWindow) -> None:
    ids = shown(window).ids
    click_event(window, ids[1])
    click_event(window, ids[4], CTRL)
    assert window.state.selection == [ids[1], ids[4]]
    assert window.view.item.selected() == {ids[1], ids[4]}
    assert sorted(window.event_list.selected_ids()) == sorted([ids[1], ids[4]])
    click_event(window, ids[1], CTRL)  # toggles off
    assert window.state.selection == [ids[4]]
    click_event(window, ids[7], SHIFT)  # the chronological run from the current one
    assert set(window.state.selection) == set(ids[4:8])
    assert window.state.current == ids[7]
    assert window.view.item.selected() == set(ids[4:8])
    assert window.detail.headline_label.text() == TITLES[7]


def test_arrow_keys_step_through_events_and_scroll_to_them(qtbot, window: MainWindow) -> None:
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Right)
    assert_shows_event(window, TITLES[0])  # nothing selected: the first one in view
    qtbot.keyClick(window.view, Qt.Key.Key_Right)
    assert_shows_event(window, TITLES[1])
    qtbot.keyClick(window.view, Qt.Key.Key_Left)
    assert_shows_event(window, TITLES[0])
    qtbot.keyClick(window.view, Qt.Key.Key_Left)  # stays at the first
    assert_shows_event(window, TITLES[0])
    # zoomed in on one year, each step scrolls (without zooming) to the next event
    one_year = d(1991).begin() - d(1990).begin()
    window.view.set_visible_range(d(1990).begin(), d(1991).begin())
    for title, when in (("Election", d(1992, 11)), ("Moon base", d(1995))):
        qtbot.keyClick(window.view, Qt.Key.Key_Right)
        assert_shows_event(window, title)
        x0, x1 = window.view.visible_range()
        assert x1 - x0 == pytest.approx(one_year, rel=1e-6)
        assert x0 < (when.begin() + when.finish()) / 2 < x1  # where its marker is
    window.select_index(12)
    qtbot.keyClick(window.view, Qt.Key.Key_Right)
    assert_shows_event(window, TITLES[13])
    x0, x1 = window.view.visible_range()
    assert x0 < d(2022, 12, 18).begin() < x1
    qtbot.keyClick(window.view, Qt.Key.Key_Left)
    assert_shows_event(window, TITLES[12])
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.state.selection == []


def test_arrow_keys_belong_to_the_list_when_it_has_focus(qtbot, window: MainWindow) -> None:
    click_row(qtbot, window, id_of(window, "Summit"))
    assert_shows_event(window, "Summit")
    qtbot.keyClick(window.event_list, Qt.Key.Key_Down)
    assert_shows_event(window, "World Cup")


def test_enter_shows_the_details(qtbot, window: MainWindow) -> None:
    window.act_toggle_detail.trigger()
    assert not window.detail.isVisible()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return)  # nothing selected: nothing happens
    assert not window.detail.isVisible()
    qtbot.keyClick(window.view, Qt.Key.Key_Right)
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    assert window.detail.isVisible()
    assert window.act_toggle_detail.isChecked()
    assert window.detail.hasFocus()
    assert window.detail.headline_label.text() == TITLES[0]


def drag_handle_to(qtbot, window: MainWindow, index: int, x: int) -> None:
    """Drag the main splitter's handle ``index`` to ``x`` (in the splitter)."""
    handle = window.main_split.handle(index)
    start = handle.rect().center()
    target = QPoint(x, start.y()) - handle.pos()
    send_mouse(handle, QEvent.Type.MouseButtonPress, start, LEFT, LEFT)
    for k in range(1, 5):
        send_mouse(
            handle, QEvent.Type.MouseMove, start + (target - start) * (k / 4), NO_BUTTON, LEFT
        )
    send_mouse(handle, QEvent.Type.MouseButtonRelease, target, LEFT, NO_BUTTON)
    QApplication.processEvents()


def test_a_panel_dragged_shut_opens_again(qtbot, window: MainWindow) -> None:
    split = window.main_split
    drag_handle_to(qtbot, window, 2, split.width())  # the detail panel, shut
    assert split.sizes()[2] == 0
    assert not window.act_toggle_detail.isChecked()  # the menu says it is not shown
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Right)
    qtbot.keyClick(window.view, Qt.Key.Key_Return)  # Enter shows the details
    assert split.sizes()[2] > 100
    assert window.act_toggle_detail.isChecked()
    assert window.detail.headline_label.text() == TITLES[0]
    drag_handle_to(qtbot, window, 1, 0)  # the sidebar, shut
    assert split.sizes()[0] == 0
    assert not window.act_toggle_sidebar.isChecked()
    window.act_toggle_sidebar.trigger()  # F9: one press opens it
    assert split.sizes()[0] > 100
    assert window.act_toggle_sidebar.isChecked()


def test_selecting_in_the_list_follows_everywhere(qtbot, window: MainWindow) -> None:
    window.view.set_visible_range(d(1990).begin(), d(1992).begin())
    summit = id_of(window, "Summit")
    click_row(qtbot, window, summit)
    assert_shows_event(window, "Summit")
    x0, x1 = window.view.visible_range()
    assert x0 < d(2001, 7).begin() < x1  # scrolled to it
    crisis = id_of(window, "Crisis")
    click_row(qtbot, window, crisis, CTRL)
    assert set(window.state.selection) == {summit, crisis}
    assert window.state.current == crisis
    assert window.view.item.selected() == {summit, crisis}
    assert window.detail.headline_label.text() == "Crisis"
    click_row(qtbot, window, id_of(window, "Cup final"), SHIFT)
    assert set(window.state.selection) == set(shown(window).ids[8:])
    assert window.view.item.selected() == set(shown(window).ids[8:])


def test_clicking_the_timeline_selects_the_row(window: MainWindow) -> None:
    higgs = id_of(window, "Higgs boson")
    click_event(window, higgs)
    table = window.event_list
    assert table.selected_ids() == [higgs]
    assert table.current_id() == higgs
    row = table.model().row_of(higgs)
    assert table.selectionModel().isRowSelected(row)


def test_double_click_in_the_list_shows_details(qtbot, window: MainWindow) -> None:
    window.act_toggle_detail.trigger()
    table = window.event_list
    index = table.model().index(table.model().row_of(id_of(window, "Moon base")), HEADLINE)
    qtbot.mouseClick(table.viewport(), LEFT, NO_MOD, table.visualRect(index).center())
    qtbot.mouseDClick(table.viewport(), LEFT, NO_MOD, table.visualRect(index).center())
    assert window.detail.isVisible()
    assert window.detail.headline_label.text() == "Moon base"


# -- filters ---------------------------------------------------------------------------------


def test_search_changes_what_is_drawn_and_the_count(qtbot, window: MainWindow) -> None:
    window.act_find.trigger()  # Ctrl+F
    assert window.sidebar.search_edit.hasFocus()
    qtbot.keyClicks(window.sidebar.search_edit, "cup")
    qtbot.waitUntil(lambda: len(shown(window)) == 2, timeout=2000)
    assert drawn_titles(window) == ["World Cup", "Cup final"]
    assert window.event_list.model().rowCount() == 2
    assert window.count_label.text() == "2 of 14 events"
    assert window.sidebar.count_label.text() == "2 of 14 events"
    # description text is searched too
    window.sidebar.search_edit.clear()
    qtbot.keyClicks(window.sidebar.search_edit, "long crisis")
    qtbot.waitUntil(lambda: drawn_titles(window) == ["Crisis"], timeout=2000)
    qtbot.keyClick(window.sidebar.search_edit, Qt.Key.Key_Escape)
    assert drawn_titles(window) == TITLES
    assert window.count_label.text() == "14 events"


def test_a_filter_keeps_the_selection_only_while_shown(qtbot, window: MainWindow) -> None:
    summit = id_of(window, "Summit")
    click_event(window, summit)
    window.state.set_filters(Filters(text="summit"))
    assert window.state.selection == [summit]
    assert window.sidebar.search_edit.text() == "summit"
    window.state.set_filters(Filters(text="cup"))
    assert window.state.selection == []
    assert window.detail.is_empty()


def test_category_filter_changes_what_is_drawn_and_the_count(window: MainWindow) -> None:
    categories = window.sidebar.category_list
    items = {
        categories.item(i).data(Qt.ItemDataRole.UserRole): categories.item(i)
        for i in range(categories.count())
    }
    assert set(items) == {"Politics", "Science", "Sport"}
    items["Politics"].setCheckState(Qt.CheckState.Unchecked)
    assert window.count_label.text() == "9 of 14 events"
    assert window.sidebar.count_label.text() == "9 of 14 events"
    assert "Politics" not in set(window.view.arrays().titles) | set(shown(window).categories)
    assert len(window.view.arrays()) == 9
    assert window.event_list.model().rowCount() == 9
    assert window.state.filters.hidden_categories == {"Politics"}
    window.sidebar.none_button.click()
    assert window.count_label.text() == "0 of 14 events"
    assert len(window.view.arrays()) == 0
    window.sidebar.reset_button.click()
    assert window.count_label.text() == "14 events"
    assert drawn_titles(window) == TITLES


def test_tag_filter(window: MainWindow) -> None:
    tags = window.sidebar.tag_list
    assert window.sidebar.tags_section.isVisible()
    items = {tags.item(i).data(Qt.ItemDataRole.UserRole): tags.item(i) for i in range(tags.count())}
    assert set(items) == {"biology", "diplomacy", "games", "physics", "space", "vote"}
    items["games"].setCheckState(Qt.CheckState.Checked)
    assert drawn_titles(window) == ["Olympics", "World Cup", "Cup final"]
    assert window.count_label.text() == "3 of 14 events"
    items["vote"].setCheckState(Qt.CheckState.Checked)  # any of the checked tags
    assert drawn_titles(window) == ["Election", "Olympics", "World Cup", "Referendum", "Cup final"]
    window.sidebar.clear_tags_button.click()
    assert len(window.view.arrays()) == 14


def test_date_range_filter(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.sidebar.from_edit, "2000")
    qtbot.keyClicks(window.sidebar.to_edit, "2008")
    expected = ["Genome draft", "Summit", "World Cup", "Mars rover", "Crisis", "Marathon record"]
    qtbot.waitUntil(lambda: drawn_titles(window) == expected, timeout=2000)
    assert window.count_label.text() == "6 of 14 events"
    assert window.sidebar.count_label.text() == "6 of 14 events"
    # an impossible "to" keeps the last good filter and says why
    window.sidebar.to_edit.clear()
    qtbot.keyClicks(window.sidebar.to_edit, "1999")
    qtbot.waitUntil(lambda: window.state.filters.date_to is None, timeout=2000)
    assert window.sidebar.hint_is_error("to")
    assert window.state.filters.date_from == PartialDate(2000)
    assert window.count_label.text() == "10 of 14 events"
    assert drawn_titles(window)[0] == "Genome draft"


def test_filters_and_search_combine(qtbot, window: MainWindow) -> None:
    window.state.set_filters(Filters(hidden_categories=frozenset({"Sport"}), text="s"))
    assert "World Cup" not in drawn_titles(window)
    assert all(c != "Sport" for c in shown(window).categories)
    assert window.sidebar.search_edit.text() == "s"
    window.act_reset_filters.trigger()
    assert drawn_titles(window) == TITLES
    assert window.sidebar.search_edit.text() == ""


# -- zoom, pan, overview ------------------------------------------------------------------------


def test_zoom_keys_and_actions_change_the_range(qtbot, window: MainWindow) -> None:
    full = width(window)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Plus)
    assert width(window) == pytest.approx(full / ZOOM_STEP, rel=1e-6)
    qtbot.keyClick(window.view, Qt.Key.Key_Minus)
    assert width(window) == pytest.approx(full, rel=1e-6)
    window.act_zoom_in.trigger()
    window.act_zoom_in.trigger()
    assert width(window) == pytest.approx(full / ZOOM_STEP**2, rel=1e-6)
    window.act_zoom_out.trigger()
    assert width(window) == pytest.approx(full / ZOOM_STEP, rel=1e-6)
    qtbot.keyClick(window.view, Qt.Key.Key_Home)
    assert width(window) == pytest.approx(full, rel=1e-6)


def test_home_and_fit_show_everything(qtbot, window: MainWindow) -> None:
    span = window.view.arrays().span()
    assert span is not None
    window.view.set_visible_range(d(2001).begin(), d(2002).begin())
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Home)
    x0, x1 = window.view.visible_range()
    assert x0 <= span[0] and x1 >= span[1]
    window.view.set_visible_range(d(2001).begin(), d(2002).begin())
    window.act_fit.trigger()
    assert window.view.visible_range() == pytest.approx((x0, x1))


def test_wheel_and_drag_zoom_and_pan(qtbot, window: MainWindow) -> None:
    viewport = window.view.plot.viewport()
    centre = viewport.rect().center()
    before = width(window)
    wheel(viewport, centre, 240)
    assert width(window) < before * 0.9
    zoomed = width(window)
    x0, _ = window.view.visible_range()
    drag(qtbot, viewport, centre, centre - QPoint(200, 0))
    assert window.view.visible_range()[0] > x0
    assert width(window) == pytest.approx(zoomed, rel=1e-6)
    qtbot.waitUntil(
        lambda: (
            window.overview.window_range() == pytest.approx(window.view.visible_range(), rel=1e-9)
        ),
        timeout=2000,
    )


def overview_pixel(window: MainWindow, x: float) -> QPoint:
    box = window.overview.getPlotItem().getViewBox()
    return window.overview.mapFromScene(box.mapViewToScene(QPointF(x, 0.5)))


def test_the_overview_follows_and_moves_the_view(qtbot, window: MainWindow) -> None:
    window.view.set_visible_range(d(1995).begin(), d(2000).begin())
    qtbot.waitUntil(
        lambda: window.overview.window_range() == pytest.approx((d(1995).begin(), d(2000).begin())),
        timeout=2000,
    )
    viewport = window.overview.viewport()
    # drag the region by its middle: the view moves by as much
    a = overview_pixel(window, d(1997, 7).begin())
    b = overview_pixel(window, d(2007, 7).begin())
    drag(qtbot, viewport, a, b)
    x0, x1 = window.view.visible_range()
    assert x1 - x0 == pytest.approx(d(2000).begin() - d(1995).begin(), rel=1e-6)
    assert x0 == pytest.approx(d(2005).begin(), abs=(x1 - x0) * 0.05)
    # a click elsewhere on the strip centres the view there
    click_at(viewport, overview_pixel(window, d(1992).begin()))
    x0, x1 = window.view.visible_range()
    assert (x0 + x1) / 2 == pytest.approx(d(1992).begin(), abs=(x1 - x0) * 0.05)
    assert x1 - x0 == pytest.approx(d(2000).begin() - d(1995).begin(), rel=1e-6)


# -- files ---------------------------------------------------------------------------------------


def assert_unchanged(window: MainWindow, db: Path, bad: Path, content: bytes) -> None:
    box = window.last_error
    assert isinstance(box, QMessageBox)
    assert box.icon() == QMessageBox.Icon.Critical
    assert window.doc is not None and window.doc.path == str(db)
    assert shown(window).titles == TITLES
    assert window.count_label.text() == "14 events"
    assert bad.read_bytes() == content
    assert not Path(str(bad) + "-wal").exists()
    assert str(bad) not in window.files.recent_files()


def test_opening_a_file_that_is_not_sqlite_fails_cleanly(window: MainWindow, db, tmp_path) -> None:
    bad = tmp_path / "notes.db"
    content = b"Just some notes, not a database.\n" * 20
    bad.write_bytes(content)
    doc = window.doc
    assert not window.open_path(bad)
    assert window.doc is doc
    assert "not a timeline file" in window.last_error.text()
    assert "notes.db" in window.last_error.text()
    assert_unchanged(window, db, bad, content)


def test_opening_a_newer_file_fails_cleanly(window: MainWindow, db, tmp_path) -> None:
    bad = make_store(tmp_path / "future.db", EVENTS[:2])
    conn = sqlite3.connect(bad)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    content = bad.read_bytes()
    doc = window.doc
    assert not window.open_path(bad)
    assert window.doc is doc
    assert "newer" in window.last_error.text()
    assert_unchanged(window, db, bad, content)


def test_opening_an_empty_or_missing_file_fails(window: MainWindow, db, tmp_path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert not window.open_path(empty)
    assert_unchanged(window, db, empty, b"")
    assert not window.open_path(tmp_path / "missing.db")
    assert "does not exist" in window.last_error.text()
    assert not (tmp_path / "missing.db").exists()


def test_open_recent_lists_and_reopens_files(qtbot, window: MainWindow, db, tmp_path) -> None:
    other = make_store(tmp_path / "other.db", EVENTS[:3], title="Other")
    assert window.open_path(other)
    assert shown(window).titles == TITLES[:3]
    window.files.recent_menu.aboutToShow.emit()
    names = [a.text() for a in window.files.recent_menu.actions() if not a.isSeparator()]
    assert names[:2] == ["other.db", "t.db"]
    assert names[-1] == "Clear List"
    assert window.files.recent_files()[:2] == [str(other), str(db)]
    second = next(a for a in window.files.recent_menu.actions() if a.text() == "t.db")
    assert second.toolTip() == str(db)
    second.trigger()
    assert window.doc.path == str(db)
    assert shown(window).titles == TITLES
    assert window.files.recent_files()[:2] == [str(db), str(other)]
    # a file that disappeared is not offered
    other.unlink()
    window.files.recent_menu.aboutToShow.emit()
    names = [a.text() for a in window.files.recent_menu.actions()]
    assert "other.db" not in names
    next(a for a in window.files.recent_menu.actions() if a.text() == "Clear List").trigger()
    window.files.recent_menu.aboutToShow.emit()
    assert [a.text() for a in window.files.recent_menu.actions()] == ["No recent files"]


def test_geometry_splitters_and_last_file_persist(qtbot, tmp_path, db) -> None:
    settings = new_settings(tmp_path)
    first = MainWindow(settings)
    qtbot.addWidget(first)
    show(qtbot, first)
    # (the offscreen screen is 800 pixels wide: a wider window would be clamped)
    first.resize(960, 700)
    qtbot.waitUntil(lambda: first.height() == 700, timeout=2000)
    assert first.open_path(db)
    first.main_split.setSizes([180, 700, 320])
    first.center_split.setSizes([430, 200])
    main_sizes = first.main_split.sizes()
    center_sizes = first.center_split.sizes()
    first.close()
    settings.sync()

    second = MainWindow(new_settings(tmp_path))
    qtbot.addWidget(second)
    try:
        assert second.size() == first.size() == QSize(960, 700)
        second.show()
        qtbot.waitExposed(second)
        assert second.main_split.sizes() == main_sizes
        assert second.center_split.sizes() == center_sizes
        assert second.settings.value("files/last") == str(db)
        assert second.files.recent_files() == [str(db)]
        assert second.doc is None  # opening the last file is the app's job (app.run)
    finally:
        second.close()


def drop(window: MainWindow, *paths: Path) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPointF(window.width() / 2, window.height() / 2)
    enter = QDragEnterEvent(point.toPoint(), Qt.DropAction.CopyAction, mime, LEFT, NO_MOD)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(point, Qt.DropAction.CopyAction, mime, LEFT, NO_MOD)
    QApplication.sendEvent(window, event)
    return event


def test_dropping_a_file_imports_it(window: MainWindow, tmp_path) -> None:
    news = tmp_path / "news.txt"
    news.write_text(
        "A short timeline.\nMarch 3, 1999\nA bridge opens.\nJune 2005\nA river floods.\n",
        encoding="utf-8",
    )
    drop(window, news)
    assert window.count_label.text() == "16 events"
    assert {"A bridge opens", "A river floods"} <= set(shown(window).titles)
    assert window.editing.undo_action.text() == "&Undo Import 2 events"
    assert window.doc.path.endswith("t.db")
    # a dropped timeline file opens instead
    other = make_store(tmp_path / "other.db", EVENTS[:2], title="Other")
    drop(window, other)
    assert window.doc.path == str(other)
    assert shown(window).titles == TITLES[:2]


def test_a_remote_url_is_not_accepted_for_dropping(window: MainWindow) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.com/events.json")])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, LEFT, NO_MOD)
    enter.ignore()
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


@pytest.mark.parametrize(
    "name", ["news/bad_date.txt", "news/no_dates.txt", "timelinejs/truncated.json"]
)
def test_importing_a_malformed_file_adds_nothing(window: MainWindow, db, monkeypatch, name):
    path = DATA / name
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    undo_count = window.doc.undo_stack.count()
    window.files.act_import.trigger()
    assert isinstance(window.last_error, QMessageBox)
    assert window.last_error.windowTitle() == "Cannot import file"
    assert path.name in window.last_error.text()
    assert shown(window).titles == TITLES
    assert window.doc.undo_stack.count() == undo_count
    with EventStore.open(db, readonly=True) as fresh:
        assert fresh.count() == 14


def test_import_through_the_menu(window: MainWindow, monkeypatch) -> None:
    path = DATA / "timelinejs" / "ancient.json"
    expected = read_file(path)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    window.files.act_import.trigger()
    assert window.last_error is None
    n = len(expected.events)
    assert window.count_label.text() == f"{14 + n} events"
    assert window.statusBar().currentMessage() == (
        f"Imported {n} events from ancient.json · read as TimelineJS JSON · UTF-8"
    )


def test_a_read_only_document_shows_the_banner_and_cannot_be_edited(
    qtbot, window: MainWindow, tmp_path
) -> None:
    path = make_store(tmp_path / "ro.db", EVENTS[:5], title="Locked")
    content = path.read_bytes()
    window.set_document(Document(EventStore.open(path, readonly=True)))
    assert window.banner.isVisible()
    assert "read-only" in window.banner_text.text()
    assert "[read-only]" in window.windowTitle()
    editing = window.editing
    for action in (
        editing.act_add,
        editing.act_edit,
        editing.act_delete,
        editing.act_duplicate,
        editing.act_categories,
        editing.act_properties,
        window.files.act_import,
    ):
        assert not action.isEnabled(), action.text()
    assert not editing.category_menu.isEnabled()
    assert editing.act_save_as.isEnabled()  # an editable copy can be made
    ids = shown(window).ids
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Right)  # browsing still works
    assert window.state.selection == [ids[0]]
    assert not editing.act_delete.isEnabled()
    assert not window.detail.edit_button.isVisible()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    qtbot.keyClick(window.view, Qt.Key.Key_N, CTRL)
    qtbot.keyClick(window.view, Qt.Key.Key_D, CTRL)
    qtbot.keyClick(window.view, Qt.Key.Key_E, CTRL)
    assert editing.dialog is None
    assert editing.add_event() is None and editing.edit_event(ids[0]) is None
    click_event(window, ids[2], double=True)  # shows details instead of editing
    assert editing.dialog is None
    assert window.state.current == ids[2]
    assert shown(window).ids == ids
    assert window.files.import_file(DATA / "timelinejs" / "ancient.json") is None
    assert window.last_error.windowTitle() == "Cannot import"
    # another, writable file lifts it
    window.set_document(Document(EventStore.open(tmp_path / "fresh.db")))
    assert not window.banner.isVisible()
    assert editing.act_add.isEnabled()
    assert path.read_bytes() == content


def test_opening_an_importable_file_says_how_to_import_it(window: MainWindow, tmp_path) -> None:
    path = tmp_path / "events.json"
    path.write_text('{"events": []}', encoding="utf-8")
    assert not window.open_path(path)
    text = window.last_error.text()
    assert "not a timeline file" in text
    assert "TimelineJS JSON" in text and "File ▸ Import" in text
    assert path.read_text(encoding="utf-8") == '{"events": []}'


# -- another file, export, markup from files ---------------------------------------------


def test_opening_another_file_starts_without_the_old_filters(window: MainWindow, tmp_path) -> None:
    window.state.set_filters(Filters(text="cup", hidden_categories=frozenset({"Sport"})))
    assert window.count_label.text() == "0 of 14 events"
    other = make_store(tmp_path / "other.db", EVENTS[:3], title="Other")
    assert window.open_path(other)
    assert window.state.filters == Filters()
    assert window.sidebar.search_edit.text() == ""
    assert window.count_label.text() == "3 events"
    assert drawn_titles(window) == TITLES[:3]


def save_name(monkeypatch, path: Path, chosen_filter: str | None = None) -> None:
    """The file dialog answers ``path`` (and ``chosen_filter``, default the first)."""

    def answer(parent, caption, start, filters):
        return str(path), chosen_filter or filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))


def test_export_writes_the_format_the_name_says(window: MainWindow, monkeypatch, tmp_path):
    # the JSON filter is the one offered first, but the name typed ends in .csv
    save_name(monkeypatch, tmp_path / "events.csv")
    window.files.act_export.trigger()
    assert window.last_error is None
    assert (tmp_path / "events.csv").read_text(encoding="utf-8").startswith("Year,Month,Day")
    # no extension: the chosen filter's
    save_name(monkeypatch, tmp_path / "plain", "News-style text timeline (*.txt *.text *.md)")
    window.files.act_export.trigger()
    assert not (tmp_path / "plain").exists()
    assert "Treaty signed" in (tmp_path / "plain.txt").read_text(encoding="utf-8")
    assert window.statusBar().currentMessage() == f"Exported to {tmp_path / 'plain.txt'}"


def test_an_export_that_cannot_be_written_says_so_and_leaves_nothing(
    window: MainWindow, monkeypatch, tmp_path
) -> None:
    folder = tmp_path / "events.json"
    folder.mkdir()  # the name chosen is a folder: the final move fails
    save_name(monkeypatch, folder)
    window.files.act_export.trigger()
    assert window.last_error.windowTitle() == "Cannot export"
    assert str(folder) in window.last_error.text()
    assert ".part" not in window.last_error.text()
    assert sorted(p.name for p in tmp_path.iterdir() if "events" in p.name) == ["events.json"]
    save_name(monkeypatch, tmp_path / "missing" / "t.png")
    window.files.act_export_image.trigger()
    assert window.last_error.windowTitle() == "Cannot export the image"
    assert "missing" in window.last_error.text()


def test_each_print_preview_is_deleted_when_closed(qtbot, window: MainWindow) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    for _ in range(2):
        window.files.act_print.trigger()
        dialog = window.findChild(QPrintPreviewDialog)
        qtbot.waitUntil(dialog.isVisible, timeout=2000)
        dialog.reject()
        qtbot.waitUntil(lambda d=dialog: not shiboken6.isValid(d), timeout=2000)
    assert window.findChildren(QPrintPreviewDialog) == []


#: Markup a file may hold (short enough to be named whole in an undo step).
MARKUP = '<img src="file:/x"><b>Summit</b> & co'


def shows_as_written(text: str, shown: str) -> bool:
    """Whether a widget that guesses the format (tooltips, labels) shows ``text`` as is."""
    if not QtGui.Qt.mightBeRichText(shown):
        return shown == text
    doc = QTextDocument()
    doc.setHtml(shown)
    images = "\ufffc" in doc.toPlainText()  # an image is an object replacement character
    return doc.toPlainText() == text and not images


def test_markup_in_a_file_is_shown_as_written_never_loaded(window: MainWindow, tmp_path) -> None:
    from viewer.model.event import Category, Event, Timeline

    path = tmp_path / "markup.db"
    with EventStore.open(path) as store:
        store.import_timeline(
            Timeline(
                title=MARKUP,
                description=MARKUP,
                events=[Event(MARKUP, d(2001), category=MARKUP, tags=(MARKUP,))],
                categories=[Category(MARKUP, "#4e79a7")],
            )
        )
    assert window.open_path(path)
    # the title and its description are shown as text (their words), like a headline
    assert window.title_label.textFormat() == Qt.TextFormat.PlainText
    assert window.title_label.text() == "Summit & co"
    assert window.windowTitle().startswith("Summit & co — markup.db")
    assert shows_as_written("Summit & co", window.title_label.toolTip())
    assert window.banner_text.textFormat() == Qt.TextFormat.PlainText
    event_id = shown(window).ids[0]
    window.state.set_selection([event_id], event_id)
    detail = window.detail
    assert detail.headline_label.text() == "<b>Summit</b> &amp; co"  # bold kept, no image
    assert shows_as_written("Summit & co", detail.headline_label.text())
    assert shows_as_written("Summit & co", detail.headline_label.toolTip())
    assert shows_as_written(f"Category: {MARKUP}\nTags: {MARKUP}", detail.chips.toolTip())
    model = window.event_list.model()
    headline = model.index(0, HEADLINE).data(Qt.ItemDataRole.ToolTipRole)
    assert shows_as_written("Summit & co\n2001", headline)  # the headline's text
    assert shows_as_written(MARKUP, model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole))
    item = window.sidebar.category_list.item(0)
    assert shows_as_written(f"{MARKUP}: 1 event", item.toolTip())
    # an error message quoting the file
    window.show_error("Cannot import file", f"line 3: cannot read '{MARKUP}' as a date")
    assert window.last_error.textFormat() == Qt.TextFormat.PlainText
    # the toolbar's undo button names the step
    window.editing.delete_selected()
    undo = window.editing.undo_action
    assert shows_as_written("Undo Delete 'Summit & co'", undo.toolTip())
    window.doc.undo_stack.undo()
    assert shows_as_written("Redo Delete 'Summit & co'", window.editing.redo_action.toolTip())
    assert undo.toolTip() == "Undo"
