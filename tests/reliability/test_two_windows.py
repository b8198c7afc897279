"""Two windows (or programs) on one file: a change made by one is seen by the other,
whose views read the file again and whose undo history, naming events by ids that
may now be other events, is dropped with a word; no step ever acts on stale ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from viewer.model.dates import PartialDate
from viewer.model.event import Event, Timeline
from viewer.store import ChangedElsewhere, EventStore
from viewer.ui.commands import AddEventCommand
from viewer.ui.main_window import MainWindow


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "shared.db"
    events = [Event(f"Event {i}", PartialDate(2000 + i)) for i in range(5)]
    with EventStore.open(path) as store:
        store.import_timeline(Timeline(title="Shared", events=events))
    return path


def window(qtbot, tmp_path: Path, db: Path, name: str) -> MainWindow:
    w = MainWindow(QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    assert w.open_path(db)
    qtbot.waitUntil(lambda: w.data.ready, timeout=5000)
    return w


def titles(db: Path) -> list[str]:
    with EventStore.open(db, readonly=True) as store:
        return sorted(e.title for e in store.events())


def test_an_undo_never_deletes_the_other_windows_event(qtbot, tmp_path: Path, db: Path) -> None:
    a = window(qtbot, tmp_path, db, "a")
    b = window(qtbot, tmp_path, db, "b")
    errors: list[tuple[str, str]] = []
    a.show_error = lambda title, text: errors.append((title, text))  # type: ignore[method-assign]
    a.doc.undo_stack.push(AddEventCommand(a.doc, Event("A's event", PartialDate(2011))))
    added = max(a.data.shown.ids.tolist())
    # B deletes it and adds its own, which takes the same id
    b.doc.check_elsewhere()
    b.doc.store.delete_events([added])
    mine = b.doc.store.add_event(Event("B's event", PartialDate(2012)))
    assert mine == added
    # A's undo of its step would delete B's event: it is refused, and A reads again
    a.doc.undo_stack.undo()
    qtbot.waitUntil(lambda: "B's event" in list(a.data.shown.titles), timeout=3000)
    assert "B's event" in titles(db)
    assert errors and "changed by another program" in errors[0][1]
    assert a.doc.undo_stack.count() == 0  # its steps named events that are others now
    assert "changed by another program" in a.statusBar().currentMessage()
    a.close()
    b.close()


def test_a_change_made_elsewhere_is_seen(qtbot, tmp_path: Path, db: Path) -> None:
    a = window(qtbot, tmp_path, db, "a")
    with EventStore.open(db) as other:  # another program
        other.add_event(Event("From elsewhere", PartialDate(2020)))
    qtbot.waitUntil(lambda: "From elsewhere" in list(a.data.shown.titles), timeout=5000)
    a.close()


def test_a_write_on_a_file_changed_elsewhere_is_refused(db: Path) -> None:
    mine = EventStore.open(db)
    mine.guard_stale = True
    with EventStore.open(db) as other:
        other.add_event(Event("Theirs", PartialDate(2020)))
    with pytest.raises(ChangedElsewhere):
        mine.add_event(Event("Mine", PartialDate(2021)))
    assert mine.changed_elsewhere()  # read again
    mine.add_event(Event("Mine", PartialDate(2021)))  # now it may
    assert not mine.changed_elsewhere()  # its own writes are not "elsewhere"
    mine.close()
    assert "Mine" in titles(db) and "Theirs" in titles(db)
