"""A row changed by another program into something that cannot be read (a date that is
no date, extra fields that are not JSON) is shown as damaged, left out of an export
with a warning naming it, and never raises into a view."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from viewer.cli import main
from viewer.model.dates import PartialDate
from viewer.model.event import Event, Timeline
from viewer.store import DamagedEvent, EventStore
from viewer.ui.main_window import MainWindow


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "damaged.db"
    events = [Event(f"Event {i}", PartialDate(2000 + i)) for i in range(6)]
    with EventStore.open(path) as store:
        store.import_timeline(Timeline(title="Damaged", events=events))
    conn = sqlite3.connect(path)
    conn.execute("UPDATE events SET extra = '{' WHERE title = 'Event 2'")
    conn.execute("UPDATE events SET start = 'hello' WHERE title = 'Event 4'")
    conn.commit()
    conn.close()
    return path


def ids_of(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT title, id FROM events"))
    finally:
        conn.close()


def test_reading_a_damaged_row_says_which_and_why(db: Path) -> None:
    ids = ids_of(db)
    with EventStore.open(db, readonly=True) as store:
        with pytest.raises(DamagedEvent, match="extra fields cannot be read") as caught:
            store.get_event(ids["Event 2"])
        assert caught.value.event_id == ids["Event 2"]
        with pytest.raises(DamagedEvent, match="start date cannot be read"):
            store.get_event(ids["Event 4"])
        assert store.get_event(ids["Event 1"]) is not None
        skipped: list[int] = []
        events = list(store.iter_events(on_damaged=lambda d: skipped.append(d.event_id)))
        assert len(events) == 4 and sorted(skipped) == sorted([ids["Event 2"], ids["Event 4"]])
        with pytest.raises(DamagedEvent):
            list(store.iter_events())


def test_export_leaves_damaged_rows_out_with_a_warning(db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.csv"
    assert main(["export", str(db), "--format", "csv", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2 and "Traceback" not in err
    ids = ids_of(db)
    assert f"event {ids['Event 2']} " in warnings[0] or f"event {ids['Event 2']} " in warnings[1]
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    headlines = sorted(r["Headline"] for r in rows if r.get("Type") != "title")
    assert headlines == ["Event 0", "Event 1", "Event 3", "Event 5"]


def test_info_reads_a_file_with_a_damaged_date(db: Path, capsys) -> None:
    assert main(["info", str(db)]) == 0
    out = capsys.readouterr().out
    assert "events: 6" in out


def test_the_window_shows_a_damaged_event_as_damaged(qtbot, tmp_path: Path, db: Path) -> None:
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    assert w.open_path(db)
    ids = ids_of(db)
    for title in ("Event 2", "Event 4"):
        w.state.set_selection([ids[title]], ids[title])
        assert w.detail.is_empty()
        assert "cannot be shown" in w.detail.empty_label.text()
        assert str(ids[title]) in w.detail.empty_label.text()
    # editing it says why, and changes nothing
    shown: list[tuple[str, str]] = []
    w.show_error = lambda title, text: shown.append((title, text))  # type: ignore[method-assign]
    assert w.editing.edit_event(ids["Event 2"]) is None
    assert shown and "damaged" in shown[0][1]
    # a good event still shows
    w.state.set_selection([ids["Event 1"]], ids["Event 1"])
    assert not w.detail.is_empty()
    assert "Event 4" in list(w.data.shown.titles)  # listed, with its text as stored
    w.close()


def test_a_damaged_event_is_presented_from_what_the_timeline_knows(
    qtbot, tmp_path: Path, db: Path
) -> None:
    w = MainWindow(QSettings(str(tmp_path / "p.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    assert w.open_path(db)
    presenter = w.start_presentation(step=4, screen=None, windowed=True)  # Event 4
    assert presenter is not None
    qtbot.wait(20)
    assert presenter.current_id() == ids_of(db)["Event 4"]
    presenter.close()
    w.close()
