"""Events shared by the main-window tests: 14 events, points and ranges, day/month/year
precision, three categories (5 Politics, 5 Science, 4 Sport), some tags; and the mouse
helpers those tests share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from viewer.model.dates import PartialDate
from viewer.model.event import Category, Event, Timeline
from viewer.store import EventStore

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


def d(*parts: int) -> PartialDate:
    return PartialDate(*parts)


CATEGORIES = [
    Category("Politics", "#4e79a7"),
    Category("Science", "#59a14f"),
    Category("Sport", "#e15759"),
]
EVENTS = [
    Event("Treaty signed", d(1990, 3, 15), category="Politics", tags=("diplomacy",)),
    Event("Election", d(1992, 11), category="Politics", tags=("vote",)),
    Event("Moon base", d(1995), category="Science", tags=("space",)),
    Event("Olympics", d(1996, 7, 19), d(1996, 8, 4), category="Sport", tags=("games",)),
    Event("Genome draft", d(2000, 6, 26), category="Science", tags=("biology",)),
    Event("Summit", d(2001, 7), category="Politics", tags=("diplomacy",)),
    Event("World Cup", d(2002, 5, 31), d(2002, 6, 30), category="Sport", tags=("games",)),
    Event("Mars rover", d(2004, 1), category="Science", tags=("space",)),
    Event("Crisis", d(2007), d(2009), category="Politics", description="A long crisis."),
    Event("Marathon record", d(2008, 9, 28), category="Sport"),
    Event("Higgs boson", d(2012, 7, 4), category="Science", tags=("physics",)),
    Event("Referendum", d(2016, 6), category="Politics", tags=("vote",)),
    Event("Pandemic", d(2020, 3), d(2022), category="Science"),
    Event("Cup final", d(2022, 12, 18), category="Sport", tags=("games",)),
]
TITLES = [e.title for e in EVENTS]


def make_store(path: Path, events: list[Event] = EVENTS, title: str = "Test timeline") -> Path:
    with EventStore.open(path) as store:
        store.import_timeline(Timeline(title=title, events=list(events), categories=CATEGORIES))
    return path


def open_window(
    qtbot, tmp_path: Path, db: Path, *, size: tuple[int, int] = (1200, 800)
) -> MainWindow:
    """A main window (settings of its own, under ``tmp_path``) shown with ``db`` open."""
    from PySide6.QtCore import QSettings

    from viewer.ui.main_window import MainWindow

    w = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    assert w.open_path(db)
    return w


# -- the mouse on the timeline ---------------------------------------------------------------


def send_mouse(
    widget, kind, pos: QPoint, button, buttons, modifiers=Qt.KeyboardModifier.NoModifier
) -> None:
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons, modifiers
    )
    QApplication.sendEvent(widget, event)


def view_to_pixel(window: MainWindow, x: float, y: float) -> QPoint:
    view = window.view
    return view.plot.mapFromScene(view.viewbox.mapViewToScene(QPointF(x, y)))


def event_pixel(window: MainWindow, event_id: int) -> QPoint:
    """Where the event's mark is drawn, checked with the item's own hit test."""
    view = window.view
    view.item.flush_layout()
    a = view.arrays()
    i = a.index_of(event_id)
    assert i is not None, "the event is not drawn"
    lane = view.item.lane_of(event_id)
    assert lane is not None
    b, f = float(a.begin[i]), float(a.finish[i])
    for x in ((b + f) / 2, b + (f - b) * 0.25, b + (f - b) * 0.75):
        if view.item.event_at(QPointF(x, lane)) == event_id:
            return view_to_pixel(window, x, lane)
    raise AssertionError(f"no point of event {event_id} hits it")


# -- what the window shows -------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """The events the window shows, as plain lists (from its data pipeline)."""

    ids: list[int]
    titles: list[str]
    categories: list[str]  # names ("" for none)

    def __len__(self) -> int:
        return len(self.ids)


def shown(window: MainWindow) -> Shown:
    arrays = window.data.shown
    names = {key: name for key, (name, _color) in window.categories.names().items()}
    return Shown(
        arrays.ids.tolist(),
        list(arrays.titles),
        [names.get(k, "") for k in arrays.category.tolist()],
    )
