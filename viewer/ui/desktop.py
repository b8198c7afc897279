"""The window as a desktop application: full screen, appearance, the keys it knows.

:class:`DesktopActions` gives the window View ▸ Full Screen (F11, the platform's key),
View ▸ Appearance ▸ Follow System / Light / Dark (remembered, switched live: the
timeline, overview, panels, dialogs and a running presentation), and Help ▸ Keyboard
Shortcuts, a list read from the window's actions and shortcuts themselves, so it
cannot drift from them.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer import __version__
from viewer.ui.actions import choices, make_action
from viewer.ui.theme import ThemeManager

__all__ = ["APPEARANCES", "DesktopActions", "ShortcutsDialog", "shortcut_rows"]

#: View ▸ Appearance, by theme mode.
APPEARANCES = {"auto": "Follow &System", "light": "&Light", "dark": "&Dark"}
_SETTING = "appearance/mode"


class DesktopWindow(Protocol):
    settings: QSettings


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """``(what, keys)`` of every action and shortcut of ``window`` that has keys: its
    actions' texts, and the ``whatsThis`` its shortcuts are given when made."""
    rows: dict[tuple[str, str], None] = {}
    for action in window.findChildren(QAction):
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [k for k in keys if k]
        if keys and action.text():
            rows[(action.text().replace("&&", "\0").replace("&", "").replace("\0", "&"),
                  ", ".join(keys))] = None  # fmt: skip
    for shortcut in window.findChildren(QShortcut):
        key = shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)
        if key and shortcut.whatsThis():
            rows[(shortcut.whatsThis(), key)] = None
    return sorted(rows, key=lambda row: row[0].casefold())


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard Shortcuts: every key the window knows, with what it does."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard Shortcuts")
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for r, (what, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(what))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 560)


class DesktopActions(QObject):
    """Full screen, appearance and the shortcut list of ``window`` (see the module)."""

    def __init__(self, window: QMainWindow, settings: QSettings) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self.themes: ThemeManager | None = None
        self.act_full_screen = make_action(
            window,
            "&Full Screen",
            self.toggle_full_screen,
            shortcut=QKeySequence.StandardKey.FullScreen,
        )
        self.act_full_screen.setCheckable(True)
        self.act_shortcuts = make_action(window, "&Keyboard Shortcuts", self.show_shortcuts)
        self.act_about = make_action(window, "&About Timeline Viewer", self.about)
        self.appearance_menu = QMenu("&Appearance", window)
        self.appearance = choices(self.appearance_menu, self, APPEARANCES, self.set_appearance)
        self.appearance[self.saved_appearance()].setChecked(True)
        self.dialog: ShortcutsDialog | None = None

    # -- full screen -------------------------------------------------------------------

    def toggle_full_screen(self) -> None:
        w = self._window
        if w.isFullScreen():
            w.showNormal()
        else:
            w.showFullScreen()
        self.act_full_screen.setChecked(w.isFullScreen())

    # -- appearance --------------------------------------------------------------------

    def saved_appearance(self) -> str:
        mode = str(self._settings.value(_SETTING, "auto"))
        return mode if mode in APPEARANCES else "auto"

    def attach(self, themes: ThemeManager) -> None:
        """Switch appearance through ``themes`` (the application's), in the mode kept."""
        self.themes = themes
        themes.apply(self.saved_appearance())

    def set_appearance(self, mode: str) -> None:
        """Follow the system, or be light or dark, from now on (kept for next time)."""
        if mode not in APPEARANCES:
            raise ValueError(f"no such appearance: {mode!r}")
        self.appearance[mode].setChecked(True)
        self._settings.setValue(_SETTING, mode)
        if self.themes is None:
            app = QApplication.instance()
            assert isinstance(app, QApplication)
            self.themes = ThemeManager(app)
            self.themes.changed.connect(self._window.apply_theme)  # type: ignore[attr-defined]
        self.themes.set_mode(mode)

    # -- help --------------------------------------------------------------------------

    def show_shortcuts(self) -> ShortcutsDialog:
        self.dialog = ShortcutsDialog(self._window)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()
        return self.dialog

    def about(self) -> None:
        QMessageBox.about(
            self._window,
            "About Timeline Viewer",
            f"<h3>Timeline Viewer {__version__}</h3><p>Browse, present and edit timelines "
            "of events, offline. Your data stays in one local SQLite file.</p>",
        )
