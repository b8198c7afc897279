"""File ▸ Import and a dropped file say how the file was read: its format, delimiter,
encoding or sheet (in the progress dialog of a big import, and in the status bar after)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QFileDialog, QProgressDialog
from window_events import make_store, open_window

from viewer.ui.main_window import MainWindow

DATA = Path(__file__).resolve().parents[1] / "data"
EUROPEAN = DATA / "csv_dialects" / "european.csv"


def choose(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )


def test_the_status_bar_says_how_a_european_csv_was_read(qtbot, tmp_path, monkeypatch) -> None:
    window: MainWindow = open_window(qtbot, tmp_path, make_store(tmp_path / "t.db"))
    choose(monkeypatch, EUROPEAN)
    window.files.act_import.trigger()
    assert window.last_error is None
    assert window.statusBar().currentMessage() == (
        "Imported 4 events from european.csv · read as TimelineJS sheet CSV · "
        "semicolon-separated · Windows-1252"
    )
    assert "Prise de la Bastille" in [e.title for e in window.doc.store.events()]
    qtbot.wait(20)  # (painted)
    window.grab().save(str(tmp_path / "import-status.png"))
    window.statusBar().grab().save(str(tmp_path / "status-bar.png"))


def test_a_dropped_workbook_says_which_sheet(qtbot, tmp_path) -> None:
    window: MainWindow = open_window(qtbot, tmp_path, make_store(tmp_path / "t.db"))
    window.files.drop([QUrl.fromLocalFile(str(DATA / "xlsx" / "template.xlsx"))])
    assert window.last_error is None
    assert window.statusBar().currentMessage() == (
        "Imported 5 events from template.xlsx · read as TimelineJS sheet, Excel workbook · "
        "sheet 'Timeline'"
    )


def test_a_big_import_says_how_while_it_runs(qtbot, tmp_path, monkeypatch) -> None:
    rows = ["Year\tMonth\tHeadline"] + [
        f"{1900 + i % 100}\t{1 + i % 12}\tÉvénement {i}" for i in range(2500)
    ]
    src = tmp_path / "big.tsv"
    src.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-16"))
    window: MainWindow = open_window(qtbot, tmp_path, make_store(tmp_path / "t.db"))
    seen: list[str] = []
    real = window.editing.run_import

    def run_import(timeline, report):
        (dialog,) = window.findChildren(QProgressDialog)
        dialog.show()  # (it shows itself after 300 ms; at once for the picture)
        qtbot.waitExposed(dialog)
        seen.append(dialog.labelText())
        dialog.grab().save(str(tmp_path / "import-progress.png"))
        return real(timeline, report)

    monkeypatch.setattr(window.editing, "run_import", run_import)
    choose(monkeypatch, src)
    window.files.act_import.trigger()
    assert window.last_error is None
    assert seen == [
        "Importing 2,500 events from big.tsv…\n"
        "Read as TimelineJS sheet CSV · tab-separated · UTF-16 LE"
    ]
    assert window.statusBar().currentMessage().startswith("Imported 2,500 events from big.tsv")


def test_an_unreadable_workbook_is_an_error_and_adds_nothing(qtbot, tmp_path, monkeypatch) -> None:
    window: MainWindow = open_window(qtbot, tmp_path, make_store(tmp_path / "t.db"))
    before = window.doc.store.count()
    bad = tmp_path / "broken.xlsx"
    book = openpyxl.Workbook()
    book.save(bad)
    bad.write_bytes(bad.read_bytes()[:300])
    choose(monkeypatch, bad)
    window.files.act_import.trigger()
    assert window.last_error is not None
    assert window.last_error.windowTitle() == "Cannot import file"
    assert "broken.xlsx" in window.last_error.text()
    assert "not a readable Excel workbook" in window.last_error.text()
    assert window.doc.store.count() == before
