"""Starting the application: the QApplication, the theme and the first document."""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from viewer import __version__
from viewer.desktop_install import APP_ID

ORGANIZATION = "TimelineViewer"
APPLICATION = "Timeline Viewer"


def tune_allocator() -> bool:
    """Have glibc keep and reuse the memory of big arrays freed (Linux only).

    The timeline's columns are megabytes each, and a filter or an edit makes new ones
    as old ones go.  By default glibc gives such blocks back to the system and the
    next ones fault in page by page, and a block freed by the loading thread stays in
    that thread's arena where the window's thread never reuses it: a first filter of
    a million events took 250 ms instead of 110.  One arena and no trimming keep them
    for reuse (at the cost of not shrinking after a peak).  Must run before threads
    start; whether the settings took.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    m_trim_threshold, m_mmap_threshold, m_arena_max = -1, -3, -8
    return all(
        libc.mallopt(option, value) == 1
        for option, value in (
            (m_arena_max, 1),
            (m_mmap_threshold, 256 * 1024 * 1024),
            (m_trim_threshold, 512 * 1024 * 1024),
        )
    )


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), named so QSettings finds its file."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    tune_allocator()
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName(APPLICATION)
    app.setDesktopFileName(APP_ID)  # (the launcher install-desktop writes)
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
    window.desktop.attach(themes)  # View ▸ Appearance, in the mode kept
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
            opened = window.files.open_sample()
    window.show()
    return app.exec()


def main() -> None:
    """The window alone (``timeline-viewer-gui``: no console on Windows): open the file
    named, or the last one, or the sample."""
    sys.exit(run(sys.argv[1] if len(sys.argv) > 1 else None))
