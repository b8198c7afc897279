"""The window as a desktop application: its version, full screen, appearance switched
live and remembered, and a shortcut list read from the actions themselves."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from window_events import make_store, open_window

from viewer import __version__
from viewer.cli import main
from viewer.ui.desktop import shortcut_rows


@pytest.fixture
def window(qtbot, tmp_path: Path, app_as_it_was):  # (an appearance is application-wide)
    w = open_window(qtbot, tmp_path, make_store(tmp_path / "t.db"))
    yield w
    w.close()


def test_version_is_the_packages_one(capsys) -> None:
    assert __version__ == metadata.version("timeline-viewer")
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"timeline-viewer {__version__}"


def test_the_window_has_a_gui_script() -> None:
    scripts = {e.name: e.value for e in metadata.entry_points(group="gui_scripts")}
    assert scripts.get("timeline-viewer-gui") == "viewer.ui.app:main"
    consoles = {e.name: e.value for e in metadata.entry_points(group="console_scripts")}
    assert consoles.get("timeline-viewer") == "viewer.cli:main"


def test_f11_is_full_screen_and_f10_is_left_to_the_platform(qtbot, window) -> None:
    keys = {
        k.toString(): a.text()
        for a in window.findChildren(QAction)
        for k in a.shortcuts()
        if not k.isEmpty()
    }
    full = QKeySequence(QKeySequence.StandardKey.FullScreen).toString()
    assert keys.get(full) == "&Full Screen"
    assert "F10" not in keys and ("F11" not in keys or full == "F11")
    assert keys["Ctrl+1"] == "&Sidebar" and keys["Ctrl+2"] == "Event &List"
    assert keys["Ctrl+3"] == "&Details"
    window.desktop.act_full_screen.trigger()
    qtbot.waitUntil(lambda: bool(window.windowState() & Qt.WindowState.WindowFullScreen))
    window.desktop.act_full_screen.trigger()
    qtbot.waitUntil(lambda: not window.windowState() & Qt.WindowState.WindowFullScreen)


def test_the_shortcut_list_is_read_from_the_actions(qtbot, window) -> None:
    rows = dict(shortcut_rows(window))
    assert rows["Full Screen"] == QKeySequence(QKeySequence.StandardKey.FullScreen).toString(
        QKeySequence.SequenceFormat.NativeText
    )
    for what in ("Next event", "Previous event", "Band above", "Collapse or expand a band"):
        assert what in rows, what
    # every action with a key is listed
    for action in window.findChildren(QAction):
        if action.shortcuts() and action.text():
            assert action.text().replace("&", "") in rows
    dialog = window.desktop.show_shortcuts()
    assert dialog.table.rowCount() == len(shortcut_rows(window))
    dialog.close()


def test_the_appearance_switches_live_and_is_remembered(qtbot, window, tmp_path: Path) -> None:
    presenter = window.start_presentation(step=0, screen=None, windowed=True)
    assert presenter is not None
    window.desktop.set_appearance("dark")
    assert window.theme is not None and window.theme.is_dark
    assert window.view.theme.is_dark and presenter.view.theme.is_dark
    assert window.desktop.appearance["dark"].isChecked()
    window.desktop.set_appearance("light")
    assert not window.theme.is_dark and not presenter.view.theme.is_dark
    presenter.close()
    window.settings.sync()
    again = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert again.value("appearance/mode") == "light"
    with pytest.raises(ValueError, match="no such appearance"):
        window.desktop.set_appearance("sepia")
