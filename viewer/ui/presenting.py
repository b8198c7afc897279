"""Presenting from the main window: the Present action and menu, the screen, the run.

A presentation is a window of its own (:class:`~viewer.ui.presentation.PresentationWindow`)
showing the shown events one by one, full screen.  While it runs the main window
follows along (the current event selected and in view: a presenter view on the other
screen); when it ends the main window gets back its range and selection.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QScreen
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QWidget

from viewer.model.event import Category, Event
from viewer.store import DamagedEvent
from viewer.ui.actions import make_action
from viewer.ui.categories import Categories
from viewer.ui.data import TimelineData
from viewer.ui.deck import DEFAULT_SIZE, title_slide, write_deck
from viewer.ui.document import Document
from viewer.ui.grouping import GroupingController
from viewer.ui.presentation import PresentationWindow, presentation_order, start_index
from viewer.ui.state import ViewState
from viewer.ui.theme import Theme, current_theme
from viewer.ui.time_scale import TimeScaleController
from viewer.ui.timeline.view import TimelineView

#: The slide shapes File ▸ Export Slides… offers, and their sizes in pixels.
SLIDE_SHAPES = {"16:9": DEFAULT_SIZE, "4:3": (1600, 1200)}


class PresentingWindow(Protocol):
    """What presenting needs of the window (the main window has it)."""

    state: ViewState
    data: TimelineData
    view: TimelineView
    categories: Categories
    grouping: GroupingController
    time_scale: TimeScaleController
    theme: Theme | None

    @property
    def doc(self) -> Document | None: ...

    def timeline_title(self) -> str: ...

    def show_message(self, text: str, msecs: int) -> None: ...

    def show_error(self, title: str, text: str) -> None: ...


class PresentController(QObject):
    """The Present action (F5), the Present On menu, and the presentation running.

    ``window`` is what it reads (seen through :class:`PresentingWindow`); ``parent``
    is the window as a widget: the actions' and the presentation's parent, whose
    screen decides where to present.
    """

    def __init__(self, window: PresentingWindow, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = window
        self._parent = parent
        #: The presentation running, if one is.
        self.presentation: PresentationWindow | None = None
        self.act_present = make_action(
            parent,
            "&Present",
            lambda: self.start(),
            shortcut="F5",
            icon="present",
            tip="Present the shown events full screen (F5); Esc ends",
        )
        self.act_export_slides = make_action(
            parent,
            "Export &Slides…",
            self.choose_slides,
            tip="Write the presentation as a PDF, one slide per page, with a title slide",
        )
        self.present_menu = QMenu("Present &On", parent)
        self.present_menu.aboutToShow.connect(self._fill_present_menu)

    def update_actions(self) -> None:
        self.act_present.setEnabled(self._window.doc is not None)
        self.act_export_slides.setEnabled(self._window.doc is not None)

    # -- a deck that travels ---------------------------------------------------------

    def choose_slides(self) -> None:
        """File ▸ Export Slides…: the presentation as a PDF, 16:9 or 4:3 by the file
        type chosen."""
        doc = self._window.doc
        if doc is None:
            return
        folder = Path(doc.path).parent if doc.path != ":memory:" else Path()
        stem = Path(doc.path).stem if doc.path != ":memory:" else "timeline"
        shapes = {f"PDF slides, {name} (*.pdf)": size for name, size in SLIDE_SHAPES.items()}
        path, chosen = QFileDialog.getSaveFileName(
            self._parent, "Export Slides", str(folder / f"{stem} slides.pdf"), ";;".join(shapes)
        )
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        pages = self.export_slides(path, shapes.get(chosen, DEFAULT_SIZE))
        if pages:
            self._window.show_message(f"Wrote {pages} slides to {Path(path).name}", 5000)

    def export_slides(self, out: str, size: tuple[int, int] = DEFAULT_SIZE) -> int:
        """:meth:`write_slides`, telling the person what went wrong (0 pages then)."""
        try:
            return self.write_slides(out, size)
        except LookupError:
            self._window.show_message("Nothing to present: no events are shown.", 4000)
        except (OSError, ValueError) as exc:
            self._window.show_error("Cannot export slides", str(exc))
        return 0

    def write_slides(self, out: str, size: tuple[int, int] = DEFAULT_SIZE) -> int:
        """Write the deck of what :meth:`start` would present to ``out`` (a title
        slide, then a slide per event; whole or not at all); how many pages.  Raises
        LookupError when nothing is shown, ValueError for a size out of range, OSError
        when the file cannot be written."""
        w = self._window
        presenter = self.make(parent=None)
        if presenter is None or w.doc is None:
            raise LookupError("nothing to present: the timeline shows no events")
        shown = w.data.shown
        slide = title_slide(w.doc.store.meta(), shown, presentation_order(shown, w.state.selection))
        return write_deck(out, presenter, slide, w.theme or current_theme(), size)

    def _fill_present_menu(self) -> None:
        self.present_menu.clear()
        mine = self._parent.screen()
        for screen in QApplication.screens():
            size = screen.geometry()
            label = f"{screen.name() or 'Screen'} ({size.width()}×{size.height()})"
            if screen is mine:
                label += " — this window"
            action = self.present_menu.addAction(label)
            action.triggered.connect(lambda _on=False, s=screen: self.start(screen=s))

    def screen(self) -> QScreen | None:
        """With two screens, the one the window is not on; else the window's."""
        mine = self._parent.screen()
        others = [s for s in QApplication.screens() if s is not mine]
        return others[0] if others else mine

    def start(
        self,
        step: int | None = None,
        screen: QScreen | None = None,
        *,
        windowed: bool = False,
    ) -> PresentationWindow | None:
        """Present the shown events (or the selected ones, when several) in order.

        Starts at ``step`` (0-based) or at the selected event, full screen on
        ``screen`` (default :meth:`screen`).  While it runs the window follows along
        (the current event selected, its details shown: a presenter view on the other
        screen); Esc gives back its range and selection.
        """
        w = self._window
        state, data, view = w.state, w.data, w.view
        shown = data.shown
        presenter = self.make()
        if presenter is None:
            w.show_message("Nothing to present: no events are shown.", 4000)
            return None
        self.end()
        selection = state.selection
        ids = presentation_order(shown, selection)  # (as make() presents them)

        saved_range = view.visible_range()
        saved_selection = (selection, state.current)

        def follow(_step: int) -> None:
            event_id = presenter.current_id()
            if event_id is not None and data.is_shown(event_id):
                state.set_selection([event_id], event_id)
                view.ensure_visible(event_id)

        def restore() -> None:
            self.presentation = None
            # Events deleted meanwhile (or hidden) are not selected again.
            ids, current = saved_selection
            state.set_selection([i for i in ids if data.is_shown(i)], current)
            view.set_visible_range(*saved_range)
            self._parent.activateWindow()
            self._parent.raise_()

        presenter.stepChanged.connect(follow)
        presenter.finished.connect(restore)
        self.presentation = presenter
        first = step if step is not None else start_index(shown, ids, state.current)
        presenter.present_on(screen or self.screen(), windowed=windowed)
        presenter.go_to(first, animate=False)
        return presenter

    def make(self, parent: QWidget | None = None) -> PresentationWindow | None:
        """A presentation of the shown events (or the selected ones, when several), in
        order, not shown yet (``None``: none is shown); its parent is the window's
        unless ``parent`` is given."""
        w = self._window
        shown = w.data.shown
        if w.doc is None or len(shown) == 0 or w.data.loading:
            return None
        store = w.doc.store

        def load(event_id: int) -> tuple[Event | None, Category | None]:
            try:
                event = store.get_event(event_id)
            except DamagedEvent:  # its row cannot be read: what the arrays know
                return None, None
            category = store.category(event.category) if event and event.category else None
            return event, category

        return PresentationWindow(
            shown.copy(),  # as it is now: the window's own change in place on an edit
            w.categories.color_list(),
            load,
            uncategorised=w.categories.uncategorised_color(),
            ids=presentation_order(shown, w.state.selection),
            title=w.timeline_title(),
            theme=w.theme,
            grouper=w.grouping.grouper(),
            time_scale=w.time_scale.scale,
            parent=parent or self._parent,
        )

    def end(self) -> None:
        """Close the presentation, if one runs (the window takes back its view)."""
        if self.presentation is not None:
            self.presentation.close()

    def set_theme(self, theme: Theme) -> None:
        """The appearance switched: a presentation running takes it too."""
        if self.presentation is not None:
            self.presentation.set_theme(theme)

    def set_colors(self, colors: list[QColor | None], uncategorised: QColor | None) -> None:
        """The categories' colours changed: a presentation running takes them too."""
        if self.presentation is not None:
            self.presentation.view.set_colors(colors, uncategorised)
