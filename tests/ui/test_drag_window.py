"""Dragging events in the real main window: the file changes at once, one undo step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget
from window_events import shown

from viewer.model.dates import SECONDS_PER_DAY, PartialDate
from viewer.model.event import Category, Event, Timeline
from viewer.store import EventStore
from viewer.ui.document import Document
from viewer.ui.main_window import MainWindow

LEFT = Qt.MouseButton.LeftButton
NO_BUTTON = Qt.MouseButton.NoButton
DAY = float(SECONDS_PER_DAY)


def d(*parts: int) -> PartialDate:
    return PartialDate(*parts)


EVENTS = [
    Event("Treaty signed", d(1990, 3, 15), category="Politics", display_date="March 15, 1990"),
    Event("Election", d(1990, 5), category="Politics"),
    Event("World Cup", d(1990, 6, 8), d(1990, 7, 8), category="Sport"),
    Event("Moon base", d(1995), category="Science"),
]
CATEGORIES = [
    Category("Politics", "#4e79a7"),
    Category("Science", "#59a14f"),
    Category("Sport", "#e15759"),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "drag.db"
    with EventStore.open(path) as store:
        store.import_timeline(Timeline(title="Drag", events=list(EVENTS), categories=CATEGORIES))
    return path


@pytest.fixture
def window(qtbot, tmp_path: Path, db: Path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(settings)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    assert w.open_path(db)
    w.view.set_visible_range(d(1990, 2, 20).begin(), d(1990, 7, 20).begin())
    qtbot.wait(10)
    yield w
    w.close()
    settings.sync()


def viewport(w: MainWindow) -> QWidget:
    return w.view.plot.viewport()


def send_mouse(w: MainWindow, kind: QEvent.Type, pos: QPoint, button, buttons) -> None:
    vp = viewport(w)
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(vp.mapToGlobal(pos)), button, buttons, Qt.KeyboardModifier(0)
    )
    QApplication.sendEvent(vp, event)


def press_and_move(w: MainWindow, qtbot, a: QPoint, b: QPoint) -> None:
    send_mouse(w, QEvent.Type.MouseButtonPress, a, LEFT, LEFT)
    for k in range(1, 7):
        qtbot.wait(15)  # pyqtgraph drops mouse moves closer than 10 ms
        send_mouse(w, QEvent.Type.MouseMove, a + (b - a) * (k / 6), NO_BUTTON, LEFT)


def drag(w: MainWindow, qtbot, a: QPoint, b: QPoint) -> None:
    press_and_move(w, qtbot, a, b)
    send_mouse(w, QEvent.Type.MouseButtonRelease, b, LEFT, NO_BUTTON)


def id_of(w: MainWindow, title: str) -> int:
    return shown(w).ids[shown(w).titles.index(title)]


def to_widget(w: MainWindow, x: float, lane: int) -> QPoint:
    v = w.view
    return v.plot.mapFromScene(v.viewbox.mapViewToScene(QPointF(x, lane)))


def point_of(w: MainWindow, title: str, where: str = "middle") -> QPoint:
    """A point on an event's mark: its middle, or 2 px inside a range's ``end``."""
    event_id = id_of(w, title)
    a = w.view.arrays()
    i = a.index_of(event_id)
    lane = w.view.item.lane_of(event_id)
    assert i is not None and lane is not None
    if where == "end":
        return to_widget(w, a.finish[i], lane) - QPoint(2, 0)
    return to_widget(w, (a.begin[i] + a.finish[i]) / 2, lane)


def days(w: MainWindow, n: float) -> QPoint:
    x0, x1 = w.view.visible_range()
    return QPoint(round(n * DAY * w.view.viewbox.width() / (x1 - x0)), 0)


def on_disk(db: Path, event_id: int) -> Event:
    with EventStore.open(db, readonly=True) as fresh:
        event = fresh.get_event(event_id)
    assert event is not None
    return event


def undo_text(w: MainWindow) -> str:
    action = w.editing.undo_action
    assert action is not None
    return action.text().replace("&", "")


def test_dragging_an_event_moves_it_on_disk_as_one_undo_step(qtbot, window, db) -> None:
    event_id = id_of(window, "Treaty signed")
    original = on_disk(db, event_id)
    a = point_of(window, "Treaty signed")
    drag(window, qtbot, a, a + days(window, 3))
    moved = on_disk(db, event_id)
    assert (moved.start, moved.end) == (d(1990, 3, 18), None)
    assert moved.display_date == ""  # the source's text described the old date
    assert moved.title == original.title and moved.category == original.category
    assert undo_text(window) == "Undo Move 'Treaty signed'"
    assert window.doc.undo_stack.count() == 1
    assert window.state.selection == [event_id]
    assert window.view.arrays().dates[window.view.arrays().index_of(event_id)] == "18 March 1990"

    window.doc.undo_stack.undo()
    assert on_disk(db, event_id) == original
    window.doc.undo_stack.redo()
    assert on_disk(db, event_id) == moved


def test_dragging_a_month_event_moves_it_by_months(qtbot, window, db) -> None:
    event_id = id_of(window, "Election")
    a = point_of(window, "Election")
    drag(window, qtbot, a, a - days(window, 30))
    assert on_disk(db, event_id).start == d(1990, 4)


def test_dragging_a_range_end_resizes_it(qtbot, window, db) -> None:
    event_id = id_of(window, "World Cup")
    original = on_disk(db, event_id)
    a = point_of(window, "World Cup", "end")
    drag(window, qtbot, a, a + days(window, 2))
    resized = on_disk(db, event_id)
    assert (resized.start, resized.end) == (d(1990, 6, 8), d(1990, 7, 10))
    assert undo_text(window) == "Undo Resize 'World Cup'"
    window.doc.undo_stack.undo()
    assert on_disk(db, event_id) == original
    window.doc.undo_stack.redo()
    assert on_disk(db, event_id) == resized


def test_esc_cancels_a_drag_and_keeps_the_selection(qtbot, window, db) -> None:
    event_id = id_of(window, "Treaty signed")
    original = on_disk(db, event_id)
    window.state.set_selection([event_id], event_id)
    a = point_of(window, "Treaty signed")
    press_and_move(window, qtbot, a, a + days(window, 5))
    assert window.view.is_dragging()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not window.view.is_dragging()
    send_mouse(window, QEvent.Type.MouseButtonRelease, a + days(window, 5), LEFT, NO_BUTTON)
    assert on_disk(db, event_id) == original
    assert window.doc.undo_stack.count() == 0
    # the drag had Esc; the window's own Esc (clear the selection) did not run
    assert window.state.selection == [event_id]


def test_a_read_only_document_cannot_be_dragged(qtbot, window, db) -> None:
    window.set_document(Document(EventStore.open(db, readonly=True)))
    window.view.set_visible_range(d(1990, 2, 20).begin(), d(1990, 7, 20).begin())
    assert not window.view.is_editable()
    event_id = id_of(window, "Treaty signed")
    original = on_disk(db, event_id)
    x0 = window.view.visible_range()[0]
    a = point_of(window, "Treaty signed")
    drag(window, qtbot, a, a + days(window, 3))
    assert on_disk(db, event_id) == original
    assert window.view.visible_range()[0] < x0  # the drag panned instead
    window.set_document(None)
    assert not window.view.is_editable()


def test_an_event_dragged_out_of_the_filters_is_not_selected(qtbot, window, db) -> None:
    from viewer.model.filters import Filters

    window.state.set_filters(Filters(date_from=d(1990, 3)))
    event_id = id_of(window, "Treaty signed")
    a = point_of(window, "Treaty signed")
    drag(window, qtbot, a, a - days(window, 20))  # into February: before "From"
    assert on_disk(db, event_id).start == d(1990, 2, 23)
    assert event_id not in shown(window).ids
    assert window.state.selection == []  # nothing hidden is selected
    assert window.detail.is_empty()
    message = window.statusBar().currentMessage()
    assert "Moved 'Treaty signed'" in message and "filters hide it" in message
