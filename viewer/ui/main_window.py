"""The main window: timeline, overview, event list, detail panel and filter sidebar.

All views follow two objects: the open :class:`~viewer.ui.document.Document` (its
``changed`` signal) and the :class:`~viewer.ui.state.ViewState` (filters and
selection).  Nothing here pokes one view from another.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QScreen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from viewer.io.errors import FormatError
from viewer.model.colors import SINGLE_COLOR
from viewer.model.dates import DateError, PartialDate
from viewer.model.event import Category, Event, Timeline
from viewer.model.filters import Filters
from viewer.paths import sample_path, user_data_dir
from viewer.store import Change, EventStore, ImportCancelled, StoreError
from viewer.store.columns import Patch
from viewer.ui.commands import quoted
from viewer.ui.data import TimelineData
from viewer.ui.detail import DetailPanel
from viewer.ui.document import Document
from viewer.ui.event_list import EventListView
from viewer.ui.presentation import PresentationWindow, presentation_order, start_index
from viewer.ui.richtext import menu_text, plain_text, shown_as_written
from viewer.ui.sidebar import FilterSidebar
from viewer.ui.state import ViewState
from viewer.ui.theme import Theme, clear_icon_cache, load_icon
from viewer.ui.timeline.overview import OverviewStrip
from viewer.ui.timeline.view import ZOOM_STEP, TimelineView

STORE_FILTER = "Timeline files (*.db *.sqlite *.timeline.db);;All files (*)"
MAX_RECENT = 10
SAMPLE_COPY_NAME = "sample.db"
#: The side panels' widths in a new window (and when opened again after being shut).
SIDEBAR_WIDTH, DETAIL_WIDTH = 240, 300


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


class MainWindow(QMainWindow):
    """The application window.

    Signals:
        documentChanged(Document | None): another document was opened (or closed).
    """

    documentChanged = Signal(object)

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.state = ViewState(self)
        self.doc: Document | None = None
        #: The open document's events as every view reads them.
        self.data = TimelineData(self)
        self._categories: list[Category] = []
        self._category_names: dict[int, str] = {}  # id → name at the last load
        self._fit_next = False  # fit everything when the data next comes in whole
        # what the sidebar lists now: (categories with counts, without one, tags)
        self._shown_counts: tuple[object, ...] | None = None
        self.theme: Theme | None = None
        self.last_error: QMessageBox | None = None

        self.setWindowIcon(load_icon("app"))
        self.setAcceptDrops(True)
        self.setMinimumSize(960, 600)
        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._connect()
        from viewer.ui.editing import EditController

        self.editing = EditController(self)
        self._build_presenting()
        self._restore_settings()
        self._update_title()
        self._update_actions()

    # -- construction ----------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.sidebar = FilterSidebar()
        self.sidebar.setObjectName("sidebar")
        self.view = TimelineView()
        self.view.setObjectName("timeline")
        self.overview = OverviewStrip()
        self.overview.setObjectName("overview")
        self.event_list = EventListView()
        self.event_list.setObjectName("eventList")
        self.detail = DetailPanel()
        self.detail.setObjectName("detail")

        self.banner = QFrame()
        self.banner.setObjectName("banner")
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(10, 6, 10, 6)
        icon = QLabel()
        icon.setPixmap(load_icon("lock").pixmap(16, 16))
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextFormat(Qt.TextFormat.PlainText)  # it names the file
        banner_layout.addWidget(icon)
        banner_layout.addWidget(self.banner_text, 1)
        self.banner.hide()

        self.title_label = QLabel()
        self.title_label.setObjectName("timelineTitle")
        self.title_label.setWordWrap(False)
        # The title comes from the file: never taken for markup (which loads images).
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        timeline_box = QWidget()
        box = QVBoxLayout(timeline_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.banner)
        box.addWidget(self.title_label)
        box.addWidget(self.view, 1)
        box.addWidget(self.overview)

        self.center_split = QSplitter(Qt.Orientation.Vertical)
        self.center_split.setObjectName("centerSplit")
        self.center_split.addWidget(timeline_box)
        self.center_split.addWidget(self.event_list)
        self.center_split.setStretchFactor(0, 3)
        self.center_split.setStretchFactor(1, 1)
        self.center_split.setChildrenCollapsible(False)
        self.center_split.setSizes([540, 260])

        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.setObjectName("mainSplit")
        self.main_split.addWidget(self.sidebar)
        self.main_split.addWidget(self.center_split)
        self.main_split.addWidget(self.detail)
        self.main_split.setStretchFactor(0, 0)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setStretchFactor(2, 0)
        self.main_split.setSizes([SIDEBAR_WIDTH, 920, DETAIL_WIDTH])
        self.main_split.setCollapsible(1, False)
        self.setCentralWidget(self.main_split)

        self.count_label = QLabel()
        self.count_label.setObjectName("statusCount")
        self.position_label = QLabel()
        self.position_label.setObjectName("statusPosition")
        self.statusBar().addWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.position_label)

    def _action(
        self,
        text: str,
        slot: object,
        *,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        icon: str | None = None,
        tip: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if icon:
            action.setIcon(load_icon(icon))
            self._action_icons[action] = icon
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self._action_icons: dict[QAction, str] = {}
        Key = QKeySequence.StandardKey
        self.act_new = self._action("&New…", self.new_file, shortcut="Ctrl+Shift+N", icon="new")
        self.act_open = self._action(
            "&Open…", self.choose_open, shortcut=Key.Open, icon="open", tip="Open a timeline file"
        )
        self.act_import = self._action(
            "&Import…",
            self.choose_import,
            shortcut="Ctrl+I",
            icon="import",
            tip="Import a news text, TimelineJS JSON or sheet CSV file",
        )
        self.act_export = self._action("&Export…", self.choose_export, icon="export")
        self.act_quit = self._action("&Quit", self.close, shortcut=Key.Quit)
        self.act_zoom_in = self._action(
            "Zoom &In", lambda: self.view.zoom(ZOOM_STEP), shortcut=Key.ZoomIn, icon="zoom-in"
        )
        self.act_zoom_out = self._action(
            "Zoom &Out",
            lambda: self.view.zoom(1 / ZOOM_STEP),
            shortcut=Key.ZoomOut,
            icon="zoom-out",
        )
        self.act_fit = self._action(
            "&Fit Everything", self.view.fit_all, shortcut="Ctrl+0", icon="fit"
        )
        self.act_find = self._action(
            "&Find…", self.sidebar.focus_search, shortcut=Key.Find, icon="search"
        )
        self.act_reset_filters = self._action(
            "&Reset Filters", lambda: self.state.set_filters(Filters()), icon="filter"
        )
        self.act_toggle_sidebar = self._action("&Sidebar", self._toggle_sidebar, shortcut="F9")
        self.act_toggle_sidebar.setCheckable(True)
        self.act_toggle_sidebar.setChecked(True)
        self.act_toggle_detail = self._action("&Details", self._toggle_detail, shortcut="F10")
        self.act_toggle_detail.setCheckable(True)
        self.act_toggle_detail.setChecked(True)
        self.act_toggle_list = self._action("Event &List", self._toggle_list, shortcut="F11")
        self.act_toggle_list.setCheckable(True)
        self.act_toggle_list.setChecked(True)
        self.act_about = self._action("&About Timeline Viewer", self._about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.file_menu.addAction(self.act_new)
        self.file_menu.addAction(self.act_open)
        self.recent_menu = self.file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_import)
        self.file_menu.addAction(self.act_export)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_quit)

        self.edit_menu = bar.addMenu("&Edit")
        self.edit_menu.addAction(self.act_find)

        self.view_menu = bar.addMenu("&View")
        for action in (self.act_zoom_in, self.act_zoom_out, self.act_fit):
            self.view_menu.addAction(action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.act_reset_filters)
        self.view_menu.addSeparator()
        for action in (self.act_toggle_sidebar, self.act_toggle_list, self.act_toggle_detail):
            self.view_menu.addAction(action)

        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(self.act_about)

        self.toolbar = QToolBar("Main")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.addToolBar(self.toolbar)
        for action in (self.act_open, self.act_import):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        for action in (self.act_zoom_in, self.act_zoom_out, self.act_fit):
            self.toolbar.addAction(action)

        # Keys that belong to the timeline (the list and the search box keep theirs).
        for key, slot in (
            (Qt.Key.Key_Right, lambda: self.step_selection(1)),
            (Qt.Key.Key_Left, lambda: self.step_selection(-1)),
            (Qt.Key.Key_Return, self.show_details),
            (Qt.Key.Key_Enter, self.show_details),
            (Qt.Key.Key_Escape, self.state.clear_selection),
        ):
            shortcut = QShortcut(QKeySequence(key), self.view)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _connect(self) -> None:
        data = self.data
        data.reset.connect(self._on_data_reset)
        data.shownChanged.connect(self._on_shown_changed)
        data.patched.connect(self._on_patched)
        data.countsChanged.connect(self._update_counts)
        data.loadingChanged.connect(self._on_loading)
        data.failed.connect(self._on_data_failed)
        self.state.filtersChanged.connect(self._on_filters_changed)
        self.state.selectionChanged.connect(self._on_selection_changed)
        self.sidebar.filtersChanged.connect(self.state.set_filters)
        self.view.clicked.connect(self._on_timeline_clicked)
        self.view.doubleClicked.connect(self._on_timeline_double_clicked)
        self.view.set_date_lookup(self._event_dates)
        self.view.eventDragged.connect(self._on_event_dragged)
        self.view.rangeChanged.connect(self._on_range_changed)
        self.overview.windowChanged.connect(self._on_overview_window)
        self.main_split.splitterMoved.connect(lambda _pos, _index: self._sync_panel_actions())
        self.event_list.selectionChangedIds.connect(self._on_list_selection)
        self.event_list.eventActivated.connect(lambda _id: self.show_details())

    # -- settings --------------------------------------------------------------------

    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 880)
        for key, splitter in (("mainSplit", self.main_split), ("centerSplit", self.center_split)):
            state = s.value(f"window/{key}")
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        self._sync_panel_actions()

    def _save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/mainSplit", self.main_split.saveState())
        s.setValue("window/centerSplit", self.center_split.saveState())
        if self.doc is not None and self.doc.path != ":memory:":
            s.setValue("files/last", os.path.abspath(self.doc.path))
        s.sync()

    def recent_files(self) -> list[str]:
        value = self.settings.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember_recent(self, path: str) -> None:
        path = os.path.abspath(path)
        files = [p for p in self.recent_files() if p != path]
        files.insert(0, path)
        self.settings.setValue("files/recent", files[:MAX_RECENT])
        self.settings.setValue("files/last", path)

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
                "Clear List", lambda: self.settings.setValue("files/recent", [])
            )

    # -- documents -------------------------------------------------------------------

    def show_error(self, title: str, text: str) -> None:
        """Tell the person what went wrong without blocking (tests read ``last_error``)."""
        box = QMessageBox(
            QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, self
        )
        # Messages quote file names and lines of imported files: shown as written.
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_error = box
        box.open()

    def open_path(self, path: str | os.PathLike[str], *, keep_view: bool = False) -> bool:
        """Open a timeline file; on failure show why and keep the current document.

        ``keep_view`` (a copy of the open document, as Save As makes) keeps the
        filters, the selection and the visible range.
        """
        name = os.fspath(path)
        try:
            store = EventStore.open(name, create=False)
        except StoreError as exc:
            self.show_error("Cannot open file", str(exc) + self._import_hint(name))
            return False
        self.set_document(Document(store), keep_view=keep_view)
        self._remember_recent(name)
        return True

    @staticmethod
    def _import_hint(name: str) -> str:
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

    def open_sample(self) -> bool:
        try:
            path = ensure_sample_store()
        except (StoreError, FormatError, OSError) as exc:
            self.show_error("Cannot open the sample", str(exc))
            return False
        return self.open_path(path)

    def set_document(self, doc: Document | None, *, keep_view: bool = False) -> None:
        """Show ``doc`` (closing the one shown) with no filters and nothing selected.

        ``keep_view``: ``doc`` is a copy of the open document (same events, same
        ids), so the filters, the selection and the visible range stay.
        """
        old = self.doc
        # A presentation reads the old document's store, which is about to close.
        self.end_presentation()
        selection, current = self.state.selection, self.state.current
        filters = self.state.filters
        visible = self.view.visible_range()
        if not keep_view:
            # The filters named the old file's categories, tags and text; reset them
            # while it is still the one shown, so the views stay consistent.
            self.state.set_filters(Filters())
        if old is not None:
            old.changed.disconnect(self._on_document_changed)
        self.doc = doc
        self._category_names = {}
        self.state.set_selection([])
        if doc is not None:
            doc.changed.connect(self._on_document_changed)
        self._fit_next = not keep_view
        self._read_categories()
        self.view.set_eras(doc.store.era_spans() if doc is not None else [])
        self.data.open(doc.store if doc is not None else None)
        if keep_view:
            self.view.set_visible_range(*visible)
            if not filters.is_empty:
                self.data.set_filters(filters)
            shown = [i for i in selection if self.data.is_shown(i)]
            self.state.set_selection(shown, current)
        self._update_title()
        self._update_actions()
        self.documentChanged.emit(doc)
        if old is not None:
            old.close()
        self.view.setFocus()

    def choose_open(self) -> None:
        start = str(Path(self.doc.path).parent) if self.doc and self.doc.path != ":memory:" else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open Timeline", start, STORE_FILTER)
        if path:
            self.open_path(path)

    def new_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New Timeline", "Untitled.db", STORE_FILTER)
        if not path:
            return
        if Path(path).exists():
            self.show_error("Cannot create file", f"{path} exists already; choose a new name.")
            return
        try:
            store = EventStore.open(path)
            store.set_meta(title=Path(path).stem)
        except StoreError as exc:
            self.show_error("Cannot create file", str(exc))
            return
        self.set_document(Document(store))
        self._remember_recent(path)

    def _import_filter(self) -> str:
        from viewer.io.formats import formats

        all_ext = sorted({e for f in formats().values() for e in f.extensions})
        parts = [f"All supported files ({' '.join('*' + e for e in all_ext)})"]
        parts += [f.file_filter for f in formats().values()]
        parts.append("All files (*)")
        return ";;".join(parts)

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import Events", "", self._import_filter())
        if path:
            self.import_file(path)

    def import_file(self, path: str | os.PathLike[str], fmt: str | None = None) -> int | None:
        """Import a file into the open document, all or nothing; the number added."""
        from viewer.io.formats import read_file

        if self.doc is None or self.doc.readonly:
            self.show_error("Cannot import", "Open a timeline you can edit first.")
            return None
        try:
            timeline = read_file(path, fmt)
        except (FormatError, DateError) as exc:
            self.show_error("Cannot import file", str(exc))
            return None
        progress: QProgressDialog | None = None
        total = len(timeline.events)
        if total >= 2000:
            progress = QProgressDialog(f"Importing {total:,} events…", "Cancel", 0, total, self)
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
            result = self._run_import(timeline, report)
        except ImportCancelled:
            return None
        except StoreError as exc:
            self.show_error("Cannot import file", str(exc))
            return None
        finally:
            if progress is not None:
                progress.close()
                progress.deleteLater()  # one per big import, owned by the window
        n = len(result)
        self.statusBar().showMessage(f"Imported {n:,} events from {Path(path).name}", 5000)
        return n

    def _run_import(self, timeline: Timeline, report: object) -> Sequence[int]:
        """Run the import as one undoable step."""
        return self.editing.run_import(timeline, report)

    def choose_export(self) -> None:
        from viewer.io.files import writing
        from viewer.io.formats import export_to, formats

        if self.doc is None:
            return
        exportable = [f for f in formats().values() if f.writer is not None]
        filters = ";;".join(f.file_filter for f in exportable)
        stem = Path(self.doc.path).stem if self.doc.path != ":memory:" else "timeline"
        path, chosen = QFileDialog.getSaveFileName(self, "Export", stem + ".json", filters)
        if not path:
            return
        fmt = next((f for f in exportable if f.file_filter == chosen), exportable[0])
        suffix = Path(path).suffix.lower()
        # The name typed says the format ("events.csv" under the JSON filter is CSV);
        # a name without an extension gets the chosen format's.
        fmt = next((f for f in exportable if suffix in f.extensions), fmt)
        if not suffix:
            path += fmt.extensions[0]
        store = self.doc.store
        try:
            with writing(path) as f:  # event by event: memory stays flat
                export_to(store.timeline_header(), store.iter_events(), fmt.name, f)
        except (OSError, FormatError, StoreError) as exc:
            self.show_error("Cannot export", str(exc))
            return
        self.statusBar().showMessage(f"Exported to {path}", 5000)

    # -- drag and drop -------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            path = url.toLocalFile()
            if Path(path).suffix.lower() in (".db", ".sqlite"):
                self.open_path(path)
            else:
                self.import_file(path)
        event.acceptProposedAction()

    # -- reacting to the store and the state ---------------------------------------------

    def _on_document_changed(self, change: Change) -> None:
        if "categories" in change:
            renamed = self._read_categories()
            if renamed is not None:
                self.state.set_filters(renamed)  # the data and the sidebar follow
        if "eras" in change and self.doc is not None:
            self.view.set_eras(self.doc.store.era_spans())
        self.data.apply(change)
        if "meta" in change:
            self._update_title()

    def _on_filters_changed(self, filters: Filters) -> None:
        if self.sidebar.filters() != filters:
            self.sidebar.set_filters(filters)
        self.data.set_filters(filters)

    def _read_categories(self) -> Filters | None:
        """The categories from the store, their colours to the views; the filter with
        hidden categories under their new names if one was renamed."""
        store = self.doc.store if self.doc is not None else None
        self._categories = store.categories() if store is not None else []
        renamed = self._follow_renamed_categories(self._categories)
        colors, uncategorised = self.color_list(), self.uncategorised_color()
        self.view.set_colors(colors, uncategorised)
        self.event_list.model().set_categories(self.category_names())
        self.event_list.setColumnHidden(2, not self._categories)
        if self.presentation is not None:
            self.presentation.view.set_colors(colors, uncategorised)
        return renamed

    def _follow_renamed_categories(self, categories: Sequence[Category]) -> Filters | None:
        """The filter with hidden categories under their new names, if any was renamed.

        The filter names categories; a rename (or its undo) keeps the category's id,
        so the names it holds are translated through the ids seen at the last load
        and a hidden category stays hidden.
        """
        before = self._category_names
        self._category_names = {c.id: c.name for c in categories if c.id is not None}
        renamed = {
            before[i]: name
            for i, name in self._category_names.items()
            if i in before and before[i] != name
        }
        filters = self.state.filters
        if not filters.hidden_categories & renamed.keys():
            return None
        hidden = frozenset(renamed.get(n, n) for n in filters.hidden_categories)
        return replace(filters, hidden_categories=hidden)

    def color_list(self) -> list[QColor | None]:
        """The category colours by category id (the arrays' category keys)."""
        top = max((c.id for c in self._categories if c.id is not None), default=-1)
        colors: list[QColor | None] = [None] * (top + 1)
        for c in self._categories:
            if c.id is not None:
                colors[c.id] = QColor(c.color)
        return colors or [QColor(SINGLE_COLOR)]

    def uncategorised_color(self) -> QColor | None:
        """Events without a category: grey beside categorised ones; in a timeline
        with no categories at all, the one colour, not the grey that sets them apart."""
        return None if self._categories else QColor(SINGLE_COLOR)

    def category_names(self) -> dict[int, tuple[str, str]]:
        """Category key → ``(name, colour)``, for the event list."""
        return {c.id: (c.name, c.color) for c in self._categories if c.id is not None}

    def category_colors(self) -> dict[str, str]:
        """Category name → colour, in the sidebar's order."""
        return {c.name: c.color for c in self._categories}

    def _on_data_reset(self) -> None:
        """Everything shown anew: a document opened, read again, or done loading."""
        data = self.data
        preview = data.preview
        fit = self._fit_next
        self._fit_next = False
        self.view.set_data(data.shown, fit=fit)
        if preview is not None:
            self.view.set_preview(preview.span, preview.lanes)
            if fit:
                self.view.fit_all()
            store = data.store
            assert store is not None
            self.overview.set_starts(preview.span, store.start_counts)
        else:
            self.overview.set_arrays(data.shown)
        self.event_list.set_arrays(data.shown, self.category_names())
        self._after_shown()
        self._update_counts()

    def _on_shown_changed(self) -> None:
        """The filter changed: the views take the events it shows."""
        shown = self.data.shown
        self.view.set_data(shown, fit=False)
        self.overview.set_arrays(shown)
        self.event_list.set_arrays(shown, self.category_names())
        self._after_shown()

    def _on_patched(self, patch: Patch) -> None:
        """Events changed in place: each view patches what it shows."""
        shown = self.data.shown
        self.view.apply_patch(shown, patch)
        self.overview.set_arrays(shown)
        self.event_list.apply_patch(shown, patch)
        self._after_shown()

    def _after_shown(self) -> None:
        shown, total = len(self.data.shown), self.data.total
        self.sidebar.set_count(shown, total)
        if self.data.loading:
            self.count_label.setText(f"Loading {total:,} events…")
        else:
            self.count_label.setText(
                f"{shown:,} of {total:,} events" if shown != total else f"{shown:,} events"
            )
        visible = [i for i in self.state.selection if self.data.is_shown(i)]
        if visible != self.state.selection:
            self.state.set_selection(visible, self.state.current)
        else:
            self._on_selection_changed(visible)
        self._update_overview_window()

    def _update_counts(self) -> None:
        store = self.doc.store if self.doc is not None else None
        if store is None:
            self._shown_counts = None
            self.sidebar.set_categories([], 0)
            self.sidebar.set_tags([])
            return
        counts = self.data.category_counts()
        rows = [(c, counts.get(c.id or 0, 0)) for c in self._categories]
        tags = store.tag_counts()
        if (rows, counts.get(-1, 0), tags) == self._shown_counts:
            return  # (an edit that moved an event in time changes no count)
        self._shown_counts = (rows, counts.get(-1, 0), tags)
        self.sidebar.set_categories(rows, counts.get(-1, 0))
        self.sidebar.set_tags(tags)

    def _on_loading(self, loading: bool) -> None:
        self._update_actions()
        if not loading:
            self._after_shown()

    def _on_data_failed(self, message: str) -> None:
        self.show_error("Cannot read the file", message)
        self._update_actions()

    def _on_selection_changed(self, ids: list[int]) -> None:
        self.view.set_selected(ids)
        self.event_list.select_ids(ids)
        current = self.state.current
        event = self.doc.store.get_event(current) if (self.doc and current is not None) else None
        if event is None:
            self.detail.clear()
        else:
            category = self.doc.store.category(event.category) if event.category else None
            self.detail.show_event(event, category)
        self._update_actions()

    def _on_timeline_clicked(self, event_id: int | None, modifiers: object) -> None:
        mods = Qt.KeyboardModifier(modifiers) if modifiers is not None else Qt.KeyboardModifier(0)
        if event_id is None:
            if not mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
                self.state.clear_selection()
            return
        selection = self.state.selection
        if mods & Qt.KeyboardModifier.ControlModifier:
            if event_id in selection:
                selection.remove(event_id)
                self.state.set_selection(selection)
            else:
                self.state.set_selection([*selection, event_id], event_id)
        elif mods & Qt.KeyboardModifier.ShiftModifier and self.state.current is not None:
            shown = self.data.shown
            a = shown.index_of(self.state.current)
            b = shown.index_of(event_id)
            if a is None or b is None:
                self.state.set_selection([event_id])
            else:
                lo, hi = sorted((a, b))
                ids = shown.ids[lo : hi + 1].tolist()
                self.state.set_selection([*selection, *ids], event_id)
        else:
            self.state.set_selection([event_id], event_id)

    def _event_dates(self, event_id: int) -> tuple[PartialDate, PartialDate | None] | None:
        """The stored dates of an event, for a drag on the timeline."""
        event = self.doc.store.get_event(event_id) if self.doc is not None else None
        return None if event is None else (event.start, event.end)

    def _on_event_dragged(
        self, event_id: int, start: PartialDate, end: PartialDate | None, resize: bool
    ) -> None:
        """A drag on the timeline ended on new dates: one undoable Move/Resize."""
        before = self.doc.store.get_event(event_id) if self.doc is not None else None
        if before is None or (start, end) == (before.start, before.end):
            return
        # the source's date text described the old dates (as in the event dialog)
        after = before.evolve(start=start, end=end, display_date="")
        moved = self.editing.move_event(before, after, resize=resize)
        if moved and event_id not in self.state.selection:
            verb = "Resized" if resize else "Moved"
            self.editing.select_if_shown(event_id, f"{verb} {quoted(before.title)}")

    def _on_timeline_double_clicked(self, event_id: int | None, x: float) -> None:
        """Double-click edits an event, or adds one at that date on an empty spot."""
        if event_id is None:
            self.editing.add_event(at=x)
            return
        self.state.set_selection([event_id], event_id)
        if self.doc is not None and not self.doc.readonly:
            self.editing.edit_event(event_id)
        else:
            self.show_details()

    def _on_list_selection(self, ids: list[int]) -> None:
        # The list's current row (the one just clicked) is the one to show; keep the old
        # current only when the click left the list's current row unselected.
        current = self.event_list.current_id()
        if current not in ids:
            current = self.state.current if self.state.current in ids else None
        self.state.set_selection(ids, current)
        if current is not None:
            self.view.ensure_visible(current)

    def _on_range_changed(self, x0: float, x1: float) -> None:
        self._update_overview_window()

    def _update_overview_window(self) -> None:
        x0, x1 = self.view.visible_range()
        self.overview.set_window(x0, x1)

    def _on_overview_window(self, x0: float, x1: float) -> None:
        self.view.set_visible_range(x0, x1)

    # -- navigation ----------------------------------------------------------------------

    def is_shown(self, event_id: int) -> bool:
        """Whether the event passes the filters (and so can be selected)."""
        return self.data.is_shown(event_id)

    def step_selection(self, step: int) -> None:
        """Select the previous/next event in time (of those shown) and scroll to it."""
        shown = self.data.shown
        n = len(shown)
        if not n:
            return
        current = self.state.current
        position = shown.index_of(current) if current is not None else None
        if position is None:
            x0, x1 = self.view.visible_range()
            i = int(np.searchsorted(shown.begin, x0 if step > 0 else x1)) - (step < 0)
            i = min(max(i, 0), n - 1)
        else:
            i = min(max(position + step, 0), n - 1)
        event_id = int(shown.ids[i])
        self.state.set_selection([event_id], event_id)
        self.view.ensure_visible(event_id)

    def select_index(self, n: int) -> None:
        """Select the ``n``-th shown event (0-based, chronological)."""
        if 0 <= n < len(self.data.shown):
            event_id = int(self.data.shown.ids[n])
            self.state.set_selection([event_id], event_id)
            self.view.ensure_visible(event_id)

    def show_details(self) -> None:
        if self.state.current is None:
            return
        self.act_toggle_detail.setChecked(True)
        self._show_panel(self.detail, True)
        self.detail.setFocus()

    def _toggle_sidebar(self) -> None:
        self._show_panel(self.sidebar, self.act_toggle_sidebar.isChecked())

    def _toggle_detail(self) -> None:
        self._show_panel(self.detail, self.act_toggle_detail.isChecked())

    def _show_panel(self, panel: QWidget, show: bool) -> None:
        """Show or hide the sidebar or the detail panel.

        A panel dragged shut (the splitter collapses it to no width while it stays
        "visible") opens again at its usual width, taken from the timeline's.
        """
        panel.setVisible(show)
        split = self.main_split
        index = split.indexOf(panel)
        sizes = split.sizes()
        if show and sizes[index] == 0:
            width = SIDEBAR_WIDTH if panel is self.sidebar else DETAIL_WIDTH
            sizes[1] = max(sizes[1] - width, 0)
            sizes[index] = width
            split.setSizes(sizes)

    def _sync_panel_actions(self) -> None:
        """The View menu's checks say whether the side panels can be seen (a panel
        dragged shut counts as hidden, so F9/F10 open it with one press)."""
        sizes = self.main_split.sizes()
        for action, panel in (
            (self.act_toggle_sidebar, self.sidebar),
            (self.act_toggle_detail, self.detail),
        ):
            action.setChecked(not panel.isHidden() and sizes[self.main_split.indexOf(panel)] > 0)

    def _toggle_list(self) -> None:
        self.event_list.setVisible(self.act_toggle_list.isChecked())

    # -- chrome --------------------------------------------------------------------------

    def _update_title(self) -> None:
        if self.doc is None:
            self.setWindowTitle("Timeline Viewer")
            self.title_label.setText("")
            self.title_label.hide()
            self.banner.hide()
            return
        meta = self.doc.store.meta()
        title = self.timeline_title()
        suffix = " [read-only]" if self.doc.readonly else ""
        self.setWindowTitle(f"{title} — {self.doc.display_name}{suffix} — Timeline Viewer")
        self.setWindowFilePath(self.doc.path if self.doc.path != ":memory:" else "")
        self.title_label.setText(title)
        self.title_label.setToolTip(shown_as_written(plain_text(meta["description"])))
        self.title_label.show()
        if self.doc.readonly:
            self.banner_text.setText(
                f"{self.doc.display_name} is read-only: you can browse and present it, "
                "but not change it. Use File ▸ Save As… to make an editable copy."
            )
            self.banner.show()
        else:
            self.banner.hide()

    def timeline_title(self) -> str:
        """The open timeline's title as one line of text (a file's title may be HTML,
        as TimelineJS allows), or the file's name."""
        if self.doc is None:
            return ""
        title = " ".join(plain_text(self.doc.store.meta()["title"]).split())
        return title or self.doc.display_name

    def _update_actions(self) -> None:
        has_doc = self.doc is not None
        editable = has_doc and not self.doc.readonly and self.data.ready  # type: ignore[union-attr]
        self.act_import.setEnabled(editable)
        self.act_export.setEnabled(has_doc)
        if hasattr(self, "act_present"):
            self.act_present.setEnabled(has_doc)
            self.act_export_image.setEnabled(has_doc)
            self.act_print.setEnabled(has_doc)
        self.detail.set_editable(editable)
        self.view.set_editable(editable)
        if hasattr(self, "editing"):
            self.editing.update_actions()

    # -- presenting and pictures -----------------------------------------------------------

    def _build_presenting(self) -> None:
        self.presentation: PresentationWindow | None = None
        self.act_present = self._action(
            "&Present",
            lambda: self.start_presentation(),
            shortcut="F5",
            icon="present",
            tip="Present the shown events full screen (F5); Esc ends",
        )
        self.present_menu = QMenu("Present &On", self)
        self.present_menu.aboutToShow.connect(self._fill_present_menu)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.act_present)
        self.view_menu.addMenu(self.present_menu)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.act_present)
        self.act_export_image = self._action(
            "Export &Image…", self.choose_export_image, shortcut="Ctrl+Shift+E", icon="image"
        )
        self.act_print = self._action(
            "&Print…", self.print_timeline, shortcut=QKeySequence.StandardKey.Print, icon="print"
        )
        before = self.act_quit
        self.file_menu.insertAction(before, self.act_export_image)
        self.file_menu.insertAction(before, self.act_print)
        self.file_menu.insertSeparator(before)

    def _fill_present_menu(self) -> None:
        self.present_menu.clear()
        mine = self.screen()
        for screen in QApplication.screens():
            size = screen.geometry()
            label = f"{screen.name() or 'Screen'} ({size.width()}×{size.height()})"
            if screen is mine:
                label += " — this window"
            self.present_menu.addAction(label, lambda s=screen: self.start_presentation(screen=s))

    def presentation_screen(self) -> QScreen | None:
        """With two screens, the one this window is not on; else this window's."""
        screens = QApplication.screens()
        mine = self.screen()
        others = [s for s in screens if s is not mine]
        return others[0] if others else mine

    def start_presentation(
        self,
        step: int | None = None,
        screen: QScreen | None = None,
        *,
        windowed: bool = False,
    ) -> PresentationWindow | None:
        """Present the shown events (or the selected ones, when several) in order.

        Starts at ``step`` (0-based) or at the selected event, full screen on
        ``screen`` (default :meth:`presentation_screen`).  While it runs this window
        follows along (the current event selected, its details shown: a presenter
        view on the other screen); Esc gives back its range and selection.
        """
        shown = self.data.shown
        if self.doc is None or len(shown) == 0 or self.data.loading:
            self.statusBar().showMessage("Nothing to present: no events are shown.", 4000)
            return None
        self.end_presentation()
        selection = self.state.selection
        ids = presentation_order(shown, selection)
        store = self.doc.store

        def load(event_id: int) -> tuple[Event | None, Category | None]:
            event = store.get_event(event_id)
            category = store.category(event.category) if event and event.category else None
            return event, category

        title = self.timeline_title()
        presenter = PresentationWindow(
            shown.copy(),  # as it is now: the window's own change in place on an edit
            self.color_list(),
            load,
            uncategorised=self.uncategorised_color(),
            ids=ids,
            title=title,
            theme=self.theme,
            parent=self,
        )
        saved_range = self.view.visible_range()
        saved_selection = (selection, self.state.current)

        def follow(_step: int) -> None:
            event_id = presenter.current_id()
            if event_id is not None and self.data.is_shown(event_id):
                self.state.set_selection([event_id], event_id)
                self.view.ensure_visible(event_id)

        def restore() -> None:
            self.presentation = None
            # Events deleted meanwhile (or hidden) are not selected again.
            ids, current = saved_selection
            self.state.set_selection([i for i in ids if self.data.is_shown(i)], current)
            self.view.set_visible_range(*saved_range)
            self.activateWindow()
            self.raise_()

        presenter.stepChanged.connect(follow)
        presenter.finished.connect(restore)
        self.presentation = presenter
        first = step if step is not None else start_index(shown, ids, self.state.current)
        presenter.present_on(screen or self.presentation_screen(), windowed=windowed)
        presenter.go_to(first, animate=False)
        return presenter

    def end_presentation(self) -> None:
        """Close the presentation, if one runs (the window takes back its view)."""
        if self.presentation is not None:
            self.presentation.close()

    def choose_export_image(self) -> None:
        from viewer.ui.export import render_file

        if self.doc is None:
            return
        stem = Path(self.doc.path).stem if self.doc.path != ":memory:" else "timeline"
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export Image",
            stem + ".png",
            "PNG image (*.png);;SVG vector image (*.svg);;PDF document (*.pdf)",
        )
        if not path:
            return
        if not Path(path).suffix:
            path += {"SVG": ".svg", "PDF": ".pdf"}.get(chosen[:3], ".png")
        try:
            render_file(
                self.doc.store,
                path,
                width=max(1600, self.view.width()),
                x_range=self.view.visible_range(),
                filters=self.state.filters,
                dark=False,
                arrays=self.data.all,
            )
        except (OSError, ValueError, StoreError) as exc:
            self.show_error("Cannot export the image", str(exc))
            return
        self.statusBar().showMessage(f"Exported {path}", 5000)

    def print_timeline(self) -> None:
        from viewer.ui.export import print_timeline

        if self.doc is None:
            return
        dialog = print_timeline(
            self,
            self.doc.store,
            x_range=self.view.visible_range(),
            filters=self.state.filters,
            arrays=self.data.all,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per Print…
        dialog.open()

    def apply_theme(self, theme: Theme) -> None:
        """Follow a light/dark switch: the timeline, overview and icons recolour."""
        self.theme = theme
        self.view.set_dark(theme.is_dark)
        self.overview.set_dark(theme.is_dark)
        clear_icon_cache()
        for action, name in self._action_icons.items():
            action.setIcon(load_icon(name))

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Timeline Viewer",
            "<h3>Timeline Viewer</h3><p>Browse, present and edit timelines of events, "
            "offline. Your data stays in one local SQLite file.</p>",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        # The presentation is a window of its own: it would outlive this one and read
        # the store closed below.
        self.end_presentation()
        self._save_settings()
        if self.doc is not None:
            self.doc.close()
            self.doc = None
        super().closeEvent(event)
