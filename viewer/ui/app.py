"""Starting the application: the QApplication, the theme and the first document."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

ORGANIZATION = "TimelineViewer"
APPLICATION = "Timeline Viewer"


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), named so QSettings finds its file."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion("0.1.0")
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName(APPLICATION)
    app.setDesktopFileName("timeline-viewer")
    # pyqtgraph reads its options at import; keep antialiasing for clean marks.
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=True, useOpenGL=False)
    return app


def run(path: str | None = None) -> int:
    """Open ``path`` (or the last file, or the bundled sample) and run until quit."""
    from pathlib import Path

    from viewer.ui.main_window import MainWindow
    from viewer.ui.theme import ThemeManager

    app = make_app()
    themes = ThemeManager(app)
    themes.apply("auto")
    settings = QSettings()
    window = MainWindow(settings)
    themes.changed.connect(window.apply_theme)
    window.apply_theme(themes.theme)
    if path is not None:
        if not Path(path).exists():
            print(f"error: {path} does not exist", file=sys.stderr)
            return 1
        opened = window.open_path(path)
    else:
        last = settings.value("files/last")
        opened = bool(last) and Path(str(last)).exists() and window.open_path(str(last))
        if not opened:
            opened = window.open_sample()
    window.show()
    return app.exec()
