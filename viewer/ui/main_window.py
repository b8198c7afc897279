"""The main window: timeline, overview, event list, detail panel and filter sidebar.

All views follow two objects: the open :class:`~viewer.ui.document.Document` (its
``changed`` signal) and the :class:`~viewer.ui.state.ViewState` (filters and
selection).  Nothing here pokes one view from another.

The window builds the widgets, the menus and the toolbar, and wires them.  What
the person does with them lives beside it, each part handed the window through a
small protocol of its own (none imports this module):

* :class:`~viewer.ui.data.TimelineData`: the events as every view reads them, fed to
  the views by :class:`~viewer.ui.data_views.DataViews`;
* :class:`~viewer.ui.selecting.SelectionController`: clicks, keys and list rows
  select; the views show the selection;
* :class:`~viewer.ui.editing.EditController`: the Edit menu, Save As, drags;
* :class:`~viewer.ui.file_actions.FileActions`: open, new, recent files, the
  sample, import, export, print, dropped files;
* :class:`~viewer.ui.presenting.PresentController`: presenting.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QScreen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from viewer.model.filters import Filters
from viewer.store import Change
from viewer.ui.actions import fill, make_action, reload_icons
from viewer.ui.categories import Categories
from viewer.ui.data import TimelineData
from viewer.ui.data_views import DataViews
from viewer.ui.desktop import DesktopActions
from viewer.ui.detail import DetailPanel
from viewer.ui.document import Document
from viewer.ui.editing import EditController
from viewer.ui.event_list import EventListView
from viewer.ui.file_actions import FileActions
from viewer.ui.focus_ring import FocusRing
from viewer.ui.grouping import GroupingController
from viewer.ui.image_widgets import IMAGE_SUFFIXES
from viewer.ui.presentation import PresentationWindow
from viewer.ui.presenting import PresentController
from viewer.ui.richtext import DESCRIPTION_SHOWN, one_line, plain_text, shown_as_written
from viewer.ui.selecting import SelectionController
from viewer.ui.sidebar import FilterSidebar
from viewer.ui.state import ViewState
from viewer.ui.theme import Theme, load_icon
from viewer.ui.time_scale import TimeScaleController
from viewer.ui.timeline.overview import OverviewStrip
from viewer.ui.timeline.view import ZOOM_STEP, TimelineView

#: The side panels' widths in a new window (and when opened again after being shut).
SIDEBAR_WIDTH, DETAIL_WIDTH = 240, 300


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
        #: The open document's categories, as the views colour and name them.
        self.categories = Categories()
        self.theme: Theme | None = None
        self.last_error: QMessageBox | None = None

        self.setWindowIcon(load_icon("app"))
        self.setAcceptDrops(True)
        self.setMinimumSize(960, 600)
        # The widgets, then the parts acting on them (each makes its actions), then
        # the menus and the toolbar showing them all, then the wiring.
        self._build_widgets()
        self.selecting = SelectionController(self, parent=self)
        self.data_views = DataViews(self, parent=self)
        self.editing = EditController(self, parent=self)
        self.files = FileActions(self, self.editing, parent=self)
        self.presenting = PresentController(self, parent=self)
        self.grouping = GroupingController(self, parent=self)
        self.time_scale = TimeScaleController(self, parent=self)
        self.timeline_layout.insertWidget(1, self.time_scale.hint)  # (under the banner)
        self._build_actions()
        self._build_menus()
        self._build_keys()
        self._connect()
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
        self.focus_ring = FocusRing(self.view)  # (Tab's stop on the canvas, made visible)
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
        # a long title is cut at the timeline's edge: it never widens the window
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        timeline_box = QWidget()
        box = QVBoxLayout(timeline_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.banner)
        self.timeline_layout = box
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

    def _build_actions(self) -> None:
        """The window's own actions: quitting, zooming, finding, the panels, About."""
        Key = QKeySequence.StandardKey
        view = self.view

        def panel_action(text: str, slot: Callable[[], None], key: str) -> QAction:
            toggle = make_action(self, text, slot, shortcut=key)
            toggle.setCheckable(True)
            toggle.setChecked(True)
            return toggle

        self.act_quit = make_action(self, "&Quit", self.close, shortcut=Key.Quit)
        self.act_zoom_in = make_action(
            self, "Zoom &In", lambda: view.zoom(ZOOM_STEP), shortcut=Key.ZoomIn, icon="zoom-in"
        )
        self.act_zoom_out = make_action(
            self,
            "Zoom &Out",
            lambda: view.zoom(1 / ZOOM_STEP),
            shortcut=Key.ZoomOut,
            icon="zoom-out",
        )
        self.act_fit = make_action(
            self, "&Fit Everything", view.fit_all, shortcut="Ctrl+0", icon="fit"
        )
        self.act_find = make_action(
            self, "&Find…", self.sidebar.focus_search, shortcut=Key.Find, icon="search"
        )
        self.act_reset_filters = make_action(
            self, "&Reset Filters", lambda: self.state.set_filters(Filters()), icon="filter"
        )
        # (F10 is the platform's menu key, F11 full screen: see DesktopActions)
        self.act_toggle_sidebar = panel_action("&Sidebar", self._toggle_sidebar, "Ctrl+1")
        self.act_toggle_list = panel_action("Event &List", self._toggle_list, "Ctrl+2")
        self.act_toggle_detail = panel_action("&Details", self._toggle_detail, "Ctrl+3")
        self.desktop = DesktopActions(self, self.settings)

    def _build_menus(self) -> None:
        """The menus and the toolbar, showing the actions of the window and its parts."""
        files, editing, presenting = self.files, self.editing, self.presenting
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        fill(
            self.file_menu,
            [files.act_new, files.act_open, files.recent_menu],
            [editing.act_save_as],
            [files.act_import, files.act_export],
            [files.act_export_image, self.presenting.act_export_slides, files.act_print],
            [self.act_quit],
        )
        self.edit_menu = bar.addMenu("&Edit")
        fill(
            self.edit_menu,
            [editing.undo_placeholder, editing.redo_placeholder],
            [
                editing.act_add,
                editing.act_edit,
                editing.act_duplicate,
                editing.act_delete,
                editing.category_menu,
            ],
            [self.act_find],
            [editing.act_categories, editing.act_properties],
        )
        self.view_menu = bar.addMenu("&View")
        fill(
            self.view_menu,
            [self.act_zoom_in, self.act_zoom_out, self.act_fit],
            [self.grouping.menu, self.time_scale.menu],
            [self.act_reset_filters],
            [self.act_toggle_sidebar, self.act_toggle_list, self.act_toggle_detail],
            [self.desktop.act_full_screen, self.desktop.appearance_menu],
            [presenting.act_present, presenting.present_menu],
        )
        self.help_menu = bar.addMenu("&Help")
        fill(self.help_menu, [self.desktop.act_shortcuts], [self.desktop.act_about])

        self.toolbar = QToolBar("Main")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.addToolBar(self.toolbar)
        fill(
            self.toolbar,
            [files.act_open, files.act_import],
            [self.act_zoom_in, self.act_zoom_out, self.act_fit],
            [editing.act_add, editing.act_edit, editing.act_delete],
            [editing.undo_placeholder, editing.redo_placeholder],
            [presenting.act_present],
        )

    def _build_keys(self) -> None:
        """Keys that belong to the timeline (the list and the search box keep theirs)."""
        for key, slot, what in (
            (Qt.Key.Key_Right, lambda: self.selecting.step(1), "Next event"),
            (Qt.Key.Key_Left, lambda: self.selecting.step(-1), "Previous event"),
            (Qt.Key.Key_Return, self.show_details, "Show the event's details"),
            (Qt.Key.Key_Enter, self.show_details, "Show the event's details"),
            (Qt.Key.Key_Escape, self.state.clear_selection, "Clear the selection"),
        ):
            shortcut = QShortcut(QKeySequence(key), self.view)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis(what)  # (Help ▸ Keyboard Shortcuts lists it)
            shortcut.activated.connect(slot)

    def _connect(self) -> None:
        self.data.loadingChanged.connect(lambda _loading: self._update_actions())
        self.data.failed.connect(self._on_data_failed)
        self.state.filtersChanged.connect(self._on_filters_changed)
        self.sidebar.filtersChanged.connect(self.state.set_filters)
        self.documentChanged.connect(self.editing.set_document)
        self.detail.editRequested.connect(lambda: self.editing.edit_event())
        self.view.doubleClicked.connect(self._on_timeline_double_clicked)
        self.view.set_date_lookup(self.editing.event_dates)
        self.view.eventDragged.connect(self.editing.drop_dragged)
        self.main_split.splitterMoved.connect(lambda _pos, _index: self._sync_panel_actions())
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
        self.files.save_settings()
        s.sync()

    # -- telling the person ------------------------------------------------------------

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

    def show_message(self, text: str, msecs: int) -> None:
        """A passing word in the status bar (``msecs`` long)."""
        self.statusBar().showMessage(text, msecs)

    # -- the document ------------------------------------------------------------------

    def set_document(self, doc: Document | None, *, keep_view: bool = False) -> None:
        """Show ``doc`` (closing the one shown) with no filters and nothing selected.

        ``keep_view``: ``doc`` is a copy of the open document (same events, same
        ids), so the filters, the selection and the visible range stay.
        """
        old = self.doc
        # A presentation reads the old document's store, which is about to close.
        self.presenting.end()
        selection, current = self.state.selection, self.state.current
        filters = self.state.filters
        visible = self.view.visible_range()
        if not keep_view:
            # The filters named the old file's categories, tags and text; reset them
            # while it is still the one shown, so the views stay consistent.
            self.state.set_filters(Filters())
        if old is not None:
            old.changed.disconnect(self._on_document_changed)
            old.changedElsewhere.disconnect(self._on_changed_elsewhere)
        self.doc = doc
        self.categories.forget()
        self.state.set_selection([])
        if doc is not None:
            doc.changed.connect(self._on_document_changed)
            doc.changedElsewhere.connect(self._on_changed_elsewhere)
        self.data_views.fit_next = not keep_view
        self._read_categories()
        self.view.set_eras(doc.store.era_spans() if doc is not None else [])
        self.grouping.set_document(doc)
        self.time_scale.set_document(doc)
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

    def _on_document_changed(self, change: Change) -> None:
        if "categories" in change:
            renamed = self._read_categories()
            if renamed is not None:
                self.state.set_filters(renamed)  # the data and the sidebar follow
        if "eras" in change and self.doc is not None:
            self.view.set_eras(self.doc.store.era_spans())
        self.grouping.note_change(change)
        self.data.apply(change)
        self.grouping.after_change(change)
        if "meta" in change:
            self._update_title()

    def _on_changed_elsewhere(self) -> None:
        name = self.doc.display_name if self.doc is not None else "The file"
        self.show_message(
            f"{name} was changed by another program: it is shown as it is now, and the "
            "undo history was cleared.",
            10000,
        )

    def _read_categories(self) -> Filters | None:
        """The categories from the store, their colours to the views; the filter with
        hidden categories under their new names if one was renamed."""
        store = self.doc.store if self.doc is not None else None
        renamed = self.categories.read(store, self.state.filters)
        colors = self.categories.color_list()
        uncategorised = self.categories.uncategorised_color()
        self.view.set_colors(colors, uncategorised)
        self.event_list.list_model().set_categories(self.categories.names())
        self.event_list.setColumnHidden(2, len(self.categories) == 0)
        self.presenting.set_colors(colors, uncategorised)
        return renamed

    def _on_filters_changed(self, filters: Filters) -> None:
        if self.sidebar.filters() != filters:
            self.sidebar.set_filters(filters)
        self.data.set_filters(filters)

    def _on_data_failed(self, message: str) -> None:
        self.show_error("Cannot read the file", message)
        self._update_actions()

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

    # -- panels ------------------------------------------------------------------------

    def show_details(self) -> None:
        """Show the detail panel (opening it if shut) and give it the focus."""
        if self.state.current is None:
            return
        self.act_toggle_detail.setChecked(True)
        self._show_panel(self.detail, True)
        self.detail.setFocus()

    def _toggle_sidebar(self) -> None:
        self._show_panel(self.sidebar, self.act_toggle_sidebar.isChecked())

    def _toggle_detail(self) -> None:
        self._show_panel(self.detail, self.act_toggle_detail.isChecked())

    def _toggle_list(self) -> None:
        self.event_list.setVisible(self.act_toggle_list.isChecked())

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
        about = plain_text(meta["description"][:DESCRIPTION_SHOWN])
        self.title_label.setToolTip(shown_as_written(about))
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
        title = one_line(self.doc.store.meta()["title"])
        return title or self.doc.display_name

    def _update_actions(self) -> None:
        """What the open document allows now (after it, or its loading, changed)."""
        editable = self.editing.editable
        self.detail.set_editable(editable)
        self.view.set_editable(editable)
        self.files.update_actions()
        self.presenting.update_actions()
        self.editing.update_actions()

    def apply_theme(self, theme: Theme) -> None:
        """Follow a light/dark switch: the timeline, overview and icons recolour."""
        self.theme = theme
        self.view.set_theme(theme)
        self.overview.set_theme(theme)
        self.presenting.set_theme(theme)
        reload_icons(self)

    # -- for callers holding the window (the app, the snapshot command, tests) ------------

    def open_path(self, path: str | os.PathLike[str], *, keep_view: bool = False) -> bool:
        """Open a timeline file (:meth:`FileActions.open_path`)."""
        return self.files.open_path(path, keep_view=keep_view)

    def select_index(self, n: int) -> None:
        """Select the ``n``-th shown event (:meth:`SelectionController.select_index`)."""
        self.selecting.select_index(n)

    def start_presentation(
        self, step: int | None = None, screen: QScreen | None = None, *, windowed: bool = False
    ) -> PresentationWindow | None:
        """Present the shown events (:meth:`PresentController.start`)."""
        return self.presenting.start(step, screen, windowed=windowed)

    def presentation_screen(self) -> QScreen | None:
        """Where a presentation goes (:meth:`PresentController.screen`)."""
        return self.presenting.screen()

    @property
    def presentation(self) -> PresentationWindow | None:
        """The presentation running, if one is."""
        return self.presenting.presentation

    @property
    def act_present(self) -> QAction:
        """The Present action (F5)."""
        return self.presenting.act_present

    # -- events ------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.files.can_drop(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        paths = [u.toLocalFile() for u in urls if u.isLocalFile()]
        event.acceptProposedAction()
        if paths and all(Path(p).suffix.lower() in IMAGE_SUFFIXES for p in paths):
            # images go to the event they are dropped on (or the one shown in detail)
            pos = event.position().toPoint()
            target = self.view.event_at(self.view.mapFrom(self, pos))
            if target is None and self.detail.rect().contains(self.detail.mapFrom(self, pos)):
                target = self.state.current
            if target is not None:
                self.editing.add_images(target, paths)
            else:
                self.show_message("Drop images onto an event to add them to it.", 6000)
            return
        self.files.drop(urls)

    def closeEvent(self, event: QCloseEvent) -> None:
        # The presentation is a window of its own: it would outlive this one and read
        # the store closed below.
        self.presenting.end()
        self._save_settings()
        if self.doc is not None:
            self.doc.close()
            self.doc = None
        super().closeEvent(event)
