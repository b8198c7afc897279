"""``timeline-viewer snapshot``: the main window as it would look, saved to a PNG.

Without a store it shows the bundled sample, imported into memory: nothing on disk
is written but the PNG.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.model.dates import PartialDate
from viewer.model.filters import Filters
from viewer.store import EventStore, StoreError

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


def _offscreen_default() -> None:
    if "QT_QPA_PLATFORM" not in os.environ and not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


@contextlib.contextmanager
def offscreen_window(
    db: str | None,
    *,
    size: tuple[int, int] = (1600, 900),
    theme: str | None = None,
    group_by: str | None = None,
    time_scale: str | None = None,
    reference: PartialDate | None = None,
    filters: Filters | None = None,
) -> Iterator[MainWindow]:
    """The main window on an in-memory copy of ``db`` (default: the bundled sample),
    as the person would see it, shown offscreen: for a snapshot or a deck.

    ``group_by`` draws its swimlanes so (default: as the file was last grouped), and
    ``time_scale`` (``"linear"``, ``"log"``) its time so, counted back from
    ``reference`` (default: as the file was last drawn; a reference alone means log);
    ``filters`` are applied.  Nothing on disk is written.
    """
    _offscreen_default()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from viewer.io.formats import read_file
    from viewer.paths import sample_path
    from viewer.ui.app import make_app
    from viewer.ui.document import Document
    from viewer.ui.main_window import MainWindow
    from viewer.ui.theme import ThemeManager

    if db is not None and not Path(db).exists():
        raise StoreError(f"{db} does not exist")
    app = make_app()
    themes = ThemeManager(app)
    themes.apply(theme or "auto")
    # A throwaway settings file: a snapshot never changes the person's window layout.
    settings_dir = tempfile.TemporaryDirectory(prefix="timeline-viewer-snapshot-")
    settings = QSettings(str(Path(settings_dir.name) / "snapshot.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    try:
        window.apply_theme(themes.theme)
        if db is None:
            store = EventStore.open(":memory:")
            store.import_timeline(read_file(sample_path()))
            document = Document(store, display_name=sample_path().name)
        else:
            # Read the file once, show an in-memory copy: nothing on disk can change,
            # and the window looks as it does for the person (no read-only banner).
            with EventStore.open(db, create=False, readonly=True) as source:
                document = Document(source.copy_to_memory(), display_name=Path(db).name)
        window.resize(*size)
        window.show()
        window.set_document(document)
        if group_by is not None:
            window.grouping.set_mode(group_by)
        if reference is not None and time_scale != "linear":
            window.time_scale.set_reference(reference)
        elif time_scale is not None:
            window.time_scale.set_kind(time_scale)
        if filters is not None:
            window.state.set_filters(filters)
        QApplication.processEvents()
        yield window
    finally:
        window.close()
        settings_dir.cleanup()


def snapshot(
    db: str | None,
    out: str,
    *,
    size: tuple[int, int] = (1600, 900),
    select: int | None = None,
    query: str | None = None,
    present: int | None = None,
    theme: str | None = None,
    group_by: str | None = None,
    time_scale: str | None = None,
    reference: PartialDate | None = None,
) -> None:
    """Render the window (or presentation step ``present``, from 1) to ``out``; the
    rest as :func:`offscreen_window` takes it."""
    from PySide6.QtWidgets import QApplication

    with offscreen_window(
        db,
        size=size,
        theme=theme,
        group_by=group_by,
        time_scale=time_scale,
        reference=reference,
        filters=Filters(text=query) if query else None,
    ) as window:
        if select is not None:
            window.select_index(select - 1)
        QApplication.processEvents()
        for _ in range(3):
            QApplication.processEvents()
        if present is not None:
            presenter = window.start_presentation(step=present - 1, screen=None, windowed=True)
            if presenter is None:
                raise StoreError("nothing to present: the timeline shows no events")
            presenter.resize(*size)
            for _ in range(3):
                QApplication.processEvents()
            presenter.finish_animations()
            QApplication.processEvents()
            image = presenter.grab()
        else:
            image = window.grab()
    if not image.save(out, "PNG"):
        raise OSError(f"cannot write {out}")


def slides(
    db: str | None,
    out: str,
    *,
    size: tuple[int, int] = (1920, 1080),
    theme: str | None = None,
    group_by: str | None = None,
    time_scale: str | None = None,
    reference: PartialDate | None = None,
    filters: Filters | None = None,
) -> int:
    """Write the presentation of ``db`` (its events passing ``filters``) as a PDF deck
    of ``size`` slides (:mod:`viewer.ui.deck`); how many pages."""
    with offscreen_window(
        db, theme=theme, group_by=group_by, time_scale=time_scale, reference=reference,
        filters=filters,
    ) as window:  # fmt: skip
        try:
            return window.presenting.write_slides(out, size)
        except LookupError as exc:
            raise StoreError(str(exc)) from None
