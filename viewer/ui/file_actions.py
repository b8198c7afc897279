"""Files in the main window: open, new, recent files, the sample, import, export, drops.

Opening a file makes a :class:`~viewer.ui.document.Document` and hands it to the window
(``set_document``); an import is one undoable step through the edit controller.  Errors
are told without blocking (the window's ``show_error``) and the document shown stays.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QSettings, Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QProgressDialog, QWidget

from viewer.io.errors import FormatError
from viewer.model.dates import DateError
from viewer.paths import sample_path, user_data_dir
from viewer.store import EventStore, ImportCancelled, StoreError
from viewer.ui.actions import make_action
from viewer.ui.data import TimelineData
from viewer.ui.document import Document
from viewer.ui.editing import EditController
from viewer.ui.grouping import GroupingController
from viewer.ui.richtext import menu_text, shown_as_written
from viewer.ui.state import ViewState
from viewer.ui.time_scale import TimeScaleController
from viewer.ui.timeline.view import TimelineView

STORE_FILTER = "Timeline files (*.db *.sqlite *.timeline.db);;All files (*)"
MAX_RECENT = 10
SAMPLE_COPY_NAME = "sample.db"
#: Imports of this many events or more show their progress (and can be cancelled).
PROGRESS_FROM = 2000


def sample_store_path() -> Path:
    """The user's own copy of the bundled sample, imported on first use."""
    return user_data_dir() / SAMPLE_COPY_NAME


def ensure_sample_store() -> Path:
    """Create the user's sample copy from ``data/`` if missing (``data/`` is never written)."""
    from viewer.io.formats import read_file

    target = sample_store_path()
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        timeline = read_file(sample_path())
        partial = target.with_name(target.name + ".part")
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        with EventStore.open(partial) as store:
            store.import_timeline(timeline)
        with contextlib.suppress(OSError):
            for suffix in ("-wal", "-shm"):
                Path(str(partial) + suffix).unlink(missing_ok=True)
        partial.replace(target)
    return target


def import_hint(name: str) -> str:
    """For a file in a format we import, say how to get its events in."""
    from viewer.io.formats import formats

    suffix = Path(name).suffix.lower()
    for fmt in formats().values():
        if suffix in fmt.extensions:
            return (
                f"\n\nIt looks like a {fmt.label} file: use File ▸ Import… to add its "
                "events to a timeline."
            )
    return ""


def import_filter() -> str:
    """The Import dialog's file types: every importable one, then each format."""
    from viewer.io.formats import formats

    all_ext = sorted({e for f in formats().values() for e in f.extensions})
    parts = [f"All supported files ({' '.join('*' + e for e in all_ext)})"]
    parts += [f.file_filter for f in formats().values()]
    parts.append("All files (*)")
    return ";;".join(parts)


class FilesWindow(Protocol):
    """What file actions need of the window (the main window has it)."""

    settings: QSettings
    state: ViewState
    data: TimelineData
    view: TimelineView
    grouping: GroupingController
    time_scale: TimeScaleController

    @property
    def doc(self) -> Document | None: ...

    def set_document(self, doc: Document | None, *, keep_view: bool = False) -> None: ...

    def show_error(self, title: str, text: str) -> None: ...

    def show_message(self, text: str, msecs: int) -> None: ...


class FileActions(QObject):
    """The File menu's actions but Save As (the edit controller's), and dropped files.

    ``window`` is what they read and ask (seen through :class:`FilesWindow`);
    ``editing`` runs imports as undoable steps; ``parent`` is the window as a
    widget, the parent of the actions and the dialogs.
    """

    def __init__(self, window: FilesWindow, editing: EditController, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = window
        self._editing = editing
        self._parent = parent
        self.act_new = make_action(
            parent, "&New…", self.new_file, shortcut="Ctrl+Shift+N", icon="new"
        )
        self.act_open = make_action(
            parent,
            "&Open…",
            self.choose_open,
            shortcut=QKeySequence.StandardKey.Open,
            icon="open",
            tip="Open a timeline file",
        )
        self.act_import = make_action(
            parent,
            "&Import…",
            self.choose_import,
            shortcut="Ctrl+I",
            icon="import",
            tip="Import a news text, TimelineJS JSON, sheet CSV or Excel workbook",
        )
        self.act_export = make_action(parent, "&Export…", self.choose_export, icon="export")
        self.act_export_image = make_action(
            parent,
            "Export &Image…",
            self.choose_export_image,
            shortcut="Ctrl+Shift+E",
            icon="image",
        )
        self.act_print = make_action(
            parent,
            "&Print…",
            self.print_timeline,
            shortcut=QKeySequence.StandardKey.Print,
            icon="print",
        )
        self.recent_menu = QMenu("Open &Recent", parent)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)

    def update_actions(self) -> None:
        has_doc = self._window.doc is not None
        self.act_import.setEnabled(self._editing.editable)
        for action in (self.act_export, self.act_export_image, self.act_print):
            action.setEnabled(has_doc)

    def _start_folder(self) -> str:
        doc = self._window.doc
        return str(Path(doc.path).parent) if doc and doc.path != ":memory:" else ""

    def _export_stem(self) -> str:
        doc = self._window.doc
        return Path(doc.path).stem if doc is not None and doc.path != ":memory:" else "timeline"

    # -- recent files ----------------------------------------------------------------

    def recent_files(self) -> list[str]:
        """The files opened last, newest first (absolute paths)."""
        value = self._window.settings.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def remember_recent(self, path: str | os.PathLike[str]) -> None:
        """Put ``path`` first in Open Recent (and make it the one opened next time)."""
        path = os.path.abspath(path)
        files = [p for p in self.recent_files() if p != path]
        files.insert(0, path)
        settings = self._window.settings
        settings.setValue("files/recent", files[:MAX_RECENT])
        settings.setValue("files/last", path)

    def save_settings(self) -> None:
        """On closing: the file open now is the one to open next time."""
        doc = self._window.doc
        if doc is not None and doc.path != ":memory:":
            self._window.settings.setValue("files/last", os.path.abspath(doc.path))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = [p for p in self.recent_files() if Path(p).exists()]
        for path in files:
            action = self.recent_menu.addAction(menu_text(Path(path).name))
            action.setToolTip(shown_as_written(path))
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        if not files:
            none = self.recent_menu.addAction("No recent files")
            none.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(
                "Clear List", lambda: self._window.settings.setValue("files/recent", [])
            )

    # -- opening ---------------------------------------------------------------------

    def open_path(self, path: str | os.PathLike[str], *, keep_view: bool = False) -> bool:
        """Open a timeline file; on failure show why and keep the current document.

        ``keep_view`` (a copy of the open document, as Save As makes) keeps the
        filters, the selection and the visible range.
        """
        name = os.fspath(path)
        try:
            store = EventStore.open(name, create=False)
        except StoreError as exc:
            self._window.show_error("Cannot open file", str(exc) + import_hint(name))
            return False
        self._window.set_document(Document(store), keep_view=keep_view)
        self.remember_recent(name)
        return True

    def open_sample(self) -> bool:
        """Open the user's copy of the bundled sample (made on first use)."""
        try:
            path = ensure_sample_store()
        except (StoreError, FormatError, OSError) as exc:
            self._window.show_error("Cannot open the sample", str(exc))
            return False
        return self.open_path(path)

    def choose_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._parent, "Open Timeline", self._start_folder(), STORE_FILTER
        )
        if path:
            self.open_path(path)

    def new_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._parent, "New Timeline", "Untitled.db", STORE_FILTER
        )
        if not path:
            return
        if Path(path).exists():
            self._window.show_error(
                "Cannot create file", f"{path} exists already; choose a new name."
            )
            return
        try:
            store = EventStore.open(path)
            store.set_meta(title=Path(path).stem)
        except StoreError as exc:
            self._window.show_error("Cannot create file", str(exc))
            return
        self._window.set_document(Document(store))
        self.remember_recent(path)

    # -- importing -------------------------------------------------------------------

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self._parent, "Import Events", "", import_filter())
        if path:
            self.import_file(path)

    def import_file(self, path: str | os.PathLike[str], fmt: str | None = None) -> int | None:
        """Import a file into the open document, all or nothing; the number added.

        A big import shows its progress in a window-modal dialog whose Cancel stops
        it (adding nothing, saying nothing).  The dialog and the message after it say
        how the file was read (its format, delimiter, encoding or sheet).
        """
        from viewer.io.formats import read_import

        w = self._window
        if w.doc is None or w.doc.readonly:
            w.show_error("Cannot import", "Open a timeline you can edit first.")
            return None
        try:
            timeline, reading = read_import(path, fmt)
        except (FormatError, DateError) as exc:
            w.show_error("Cannot import file", str(exc))
            return None
        progress: QProgressDialog | None = None
        total = len(timeline.events)
        if total >= PROGRESS_FROM:
            progress = QProgressDialog(
                f"Importing {total:,} events from {Path(path).name}…\nRead as {reading}",
                "Cancel",
                0,
                total,
                self._parent,
            )
            progress.setWindowTitle("Import")
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(300)

        def report(done: int, count: int) -> bool:
            if progress is None:
                return True
            progress.setValue(done)
            QApplication.processEvents()
            return not progress.wasCanceled()

        try:
            result: Sequence[int] = self._editing.run_import(timeline, report)
        except ImportCancelled:
            return None
        except StoreError as exc:
            w.show_error("Cannot import file", str(exc))
            return None
        finally:
            if progress is not None:
                progress.close()
                progress.deleteLater()  # one per big import, owned by the window
        n = len(result)
        w.show_message(f"Imported {n:,} events from {Path(path).name} · read as {reading}", 8000)
        return n

    # -- dropped files ---------------------------------------------------------------

    @staticmethod
    def can_drop(urls: Sequence[QUrl]) -> bool:
        """Whether files dragged here can be dropped (local files only)."""
        return bool(urls) and all(u.isLocalFile() for u in urls)

    def drop(self, urls: Sequence[QUrl]) -> None:
        """Dropped timeline files open; other files are imported."""
        for url in urls:
            path = url.toLocalFile()
            if Path(path).suffix.lower() in (".db", ".sqlite"):
                self.open_path(path)
            else:
                self.import_file(path)

    # -- exporting -------------------------------------------------------------------

    def choose_export(self) -> None:
        from viewer.io.files import writing
        from viewer.io.formats import export_to, formats

        doc = self._window.doc
        if doc is None:
            return
        exportable = [f for f in formats().values() if f.writer is not None]
        filters = ";;".join(f.file_filter for f in exportable)
        path, chosen = QFileDialog.getSaveFileName(
            self._parent, "Export", self._export_stem() + ".json", filters
        )
        if not path:
            return
        fmt = next((f for f in exportable if f.file_filter == chosen), exportable[0])
        suffix = Path(path).suffix.lower()
        # The name typed says the format ("events.csv" under the JSON filter is CSV);
        # a name without an extension gets the chosen format's.
        fmt = next((f for f in exportable if suffix in f.extensions), fmt)
        if not suffix:
            path += fmt.extensions[0]
        store = doc.store
        damaged: list[int] = []
        try:
            with writing(path) as f:  # event by event: memory stays flat
                events = store.iter_events(on_damaged=lambda d: damaged.append(d.event_id))
                export_to(store.timeline_header(), events, fmt.name, f, path)
        except (OSError, FormatError, StoreError) as exc:
            self._window.show_error("Cannot export", str(exc))
            return
        if damaged:
            named = ", ".join(str(i) for i in damaged[:10]) + ("…" if len(damaged) > 10 else "")
            self._window.show_error(
                "Some events were left out",
                f"Exported to {path}, without {len(damaged)} damaged event"
                f"{'s' * (len(damaged) != 1)} whose rows cannot be read (id {named}).",
            )
            return
        self._window.show_message(f"Exported to {path}", 5000)

    def choose_export_image(self) -> None:
        """The timeline as shown (its range and filters) to a PNG, SVG or PDF file, in
        the light colours (whatever the window's theme)."""
        from viewer.ui.export import render_file

        w = self._window
        if w.doc is None:
            return
        path, chosen = QFileDialog.getSaveFileName(
            self._parent,
            "Export Image",
            self._export_stem() + ".png",
            "PNG image (*.png);;SVG vector image (*.svg);;PDF document (*.pdf)",
        )
        if not path:
            return
        if not Path(path).suffix:
            path += {"SVG": ".svg", "PDF": ".pdf"}.get(chosen[:3], ".png")
        try:
            render_file(
                w.doc.store,
                path,
                width=max(1600, w.view.width()),
                x_range=w.view.visible_range(),
                filters=w.state.filters,
                arrays=w.data.all,
                # the window's lanes, its sizes in proportion
                layout_key=w.view.item.layout_key,
                view_width=w.view.plot.viewport().width(),
                grouper=w.grouping.grouper(),  # its swimlanes
                time_scale=w.time_scale.scale,
            )
        except (OSError, ValueError, StoreError) as exc:
            w.show_error("Cannot export the image", str(exc))
            return
        w.show_message(f"Exported {path}", 5000)

    def print_timeline(self) -> None:
        """Print the timeline through a print preview: every event passing the filters,
        in the window's bands and on its time scale, across as many pages as a
        readable scale needs (paper is not a screen: not just the part in view)."""
        from viewer.ui.paged import print_timeline

        w = self._window
        if w.doc is None:
            return
        dialog = print_timeline(
            self._parent,
            w.doc.store,
            filters=w.state.filters,
            arrays=w.data.all,
            grouper=w.grouping.grouper(),
            time_scale=w.time_scale.scale,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per Print…
        dialog.open()
