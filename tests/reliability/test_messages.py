"""Files that are not ours, or are damaged, get one line that says what to do, and a
file that is not ours is never written: not by the command line, not by the window."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from viewer.cli import main
from viewer.model.dates import PartialDate
from viewer.model.event import Event, Timeline
from viewer.store import EventStore, StoreError
from viewer.ui.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def empty_sqlite(path: Path, user_version: int = 0) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    return path


def ours(path: Path, events: int = 200) -> Path:
    with EventStore.open(path) as store:
        batch = [
            Event(f"Event {i} " + "x" * 200, PartialDate(1900 + i % 100)) for i in range(events)
        ]
        store.import_timeline(Timeline(title="T", events=batch))
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.mark.parametrize("user_version", [0, -1, 7])
def test_an_sqlite_file_of_another_program_is_refused_in_one_line(
    tmp_path: Path, capsys, user_version: int
) -> None:
    db = empty_sqlite(tmp_path / "other.db", user_version)
    before = digest(db)
    for args in (["info", str(db)], ["export", str(db), "--format", "csv"]):
        assert main(args) == 1
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1, err
        assert "not a timeline file" in err and "upgrade" not in err, err
    with pytest.raises(StoreError, match="not a timeline file"):
        EventStore.open(db)
    assert digest(db) == before


def test_the_window_never_writes_a_file_that_is_not_ours(qtbot, tmp_path: Path) -> None:
    db = empty_sqlite(tmp_path / "other.db", -1)
    before = digest(db)
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    shown: list[tuple[str, str]] = []
    w.show_error = lambda title, text: shown.append((title, text))  # type: ignore[method-assign]
    assert not w.open_path(db)
    assert shown and "not a timeline file" in shown[0][1]
    assert "already exists" not in shown[0][1]
    assert digest(db) == before
    w.close()


def test_a_damaged_file_is_named_in_one_line(tmp_path: Path, capsys) -> None:
    db = ours(tmp_path / "t.db")
    data = bytearray(db.read_bytes())
    page = 4096
    for n in range(4, len(data) // page - 1):  # scribble over the tables' pages
        for k in range(n * page + 8, n * page + 60):
            data[k] = 0xA5
    db.write_bytes(bytes(data))
    assert main(["info", str(db)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "damaged" in err or "not a timeline file" in err, err


def test_info_into_a_closed_pipe_says_nothing(tmp_path: Path) -> None:
    db = ours(tmp_path / "t.db", events=5)
    # (a reader that reads nothing: the first line written finds the pipe closed)
    done = subprocess.run(
        f"{sys.executable} -m viewer info {db} | head -c 0",
        shell=True,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr, done.stderr
