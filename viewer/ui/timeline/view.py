"""The timeline widget: events in lanes over a calendar axis, zoomed and panned in time.

:class:`TimelineView` wraps a ``pg.GraphicsLayoutWidget`` holding a view box, a bottom
:class:`~viewer.ui.timeline.axis.CalendarAxisItem` and one
:class:`~viewer.ui.timeline.item.EventsItem`, plus a vertical scroll bar that appears
when the lanes do not fit.

* The mouse wheel zooms time (x only) around the cursor; dragging pans time; a
  horizontal wheel (touchpad) pans too.  The y axis never zooms: one lane is a row of
  :data:`ROW_HEIGHT` pixels, and Shift+wheel or the scroll bar scrolls the lanes
  (:meth:`TimelineView.set_scrollbar_policy` can hide the bar).
* :meth:`TimelineView.set_scale` makes rows, labels, marks and the axis' type larger
  together (a presentation on a big screen), 1.0 being the normal size.
* Lanes are laid out for the zoom (:mod:`viewer.model.lanes`);
  :meth:`TimelineView.lanes_in` tells which lanes the events of any range take at
  that range's zoom without moving the view, and :meth:`TimelineView.relayout` lays
  the lanes out for exactly the zoom shown.
* Zoom and pan are limited to the events' span plus a margin, down to about a minute.
* A time scale (:meth:`TimelineView.set_time_scale`, linear by default) maps time to
  the view's x: on a logarithmic one, x is decades of years before the present
  (:mod:`viewer.model.time_scale`), and everything inside the view (lanes, labels,
  limits, margins, the zoom) works in those axis coordinates, the events mapped by
  :class:`~viewer.ui.timeline.scaled.AxisArrays`.  What the view says and is told
  (visible ranges, double-clicked positions, dragged dates, eras) stays in seconds.
* Only ``+``, ``-`` and Home are handled here (and Esc while dragging an event); other
  keys (arrows, Enter…) go on to the parent so the main window can use them.
* Editing (:meth:`TimelineView.set_editable`): dragging an event moves it, dragging a
  range's end resizes it, snapped to whole units of the dates' own precision; Esc
  cancels.  The view changes nothing itself: on release it emits
  :attr:`TimelineView.eventDragged` with the new dates, for the owner to apply.  It
  learns an event's current dates from :meth:`TimelineView.set_date_lookup` (the arrays
  hold positions, not dates).  A press that moves less than a few pixels is a click,
  and dragging empty space (or any drag when not editable) pans.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any, cast

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QPointF, Qt, Signal

from viewer.model.dates import SECONDS_PER_DAY, year_start
from viewer.model.time_scale import TimeScale
from viewer.store.columns import EventArrays, Patch
from viewer.ui.theme import Theme, light_theme
from viewer.ui.timeline.axis import CalendarAxisItem
from viewer.ui.timeline.eras import ErasItem
from viewer.ui.timeline.glide import ANIMATION_MS, RangeGlide
from viewer.ui.timeline.item import DateLookup, EventsItem, Grouper
from viewer.ui.timeline.lane_scroll import TOP_ROOM, LaneScroll
from viewer.ui.timeline.layout import Band
from viewer.ui.timeline.scaled import AxisArrays

__all__ = ["ANIMATION_MS", "ROW_HEIGHT", "TOP_ROOM", "TimelineView", "TimelineViewBox"]

#: Height of one lane in pixels.
ROW_HEIGHT = 26.0
#: Smallest visible time span, in seconds.
MIN_X_RANGE = 60.0
#: Smallest visible span on a logarithmic axis (a minute now, 30,000 years at the Big Bang).
MIN_LOG_RANGE = 1e-6
#: Span given to a set of events shorter than this (e.g. a single event).
MIN_SPAN = 30 * SECONDS_PER_DAY
#: Fraction of the span the view may be panned beyond either end.
SPAN_MARGIN = 0.25
#: Fraction of the span shown beyond either end by :meth:`TimelineView.fit_all`.
FIT_MARGIN = 0.03
#: Pixels kept free beyond the outermost mark or label by :meth:`TimelineView.fit_all`.
FIT_PAD_PX = 8.0
#: Span shown when there are no events.
EMPTY_SPAN = (year_start(1900), year_start(2030))
ZOOM_STEP = 1.5


class TimelineViewBox(pg.ViewBox):
    """A view box that zooms and pans time only, and scrolls lanes with Shift+wheel.

    Left clicks anywhere (also where no item is) go to ``click_handler``, so a click on
    empty space can clear a selection.

    Signals:
        sigLaneScroll(float): the user asked to scroll by this many lanes (Shift+wheel).
    """

    sigLaneScroll = Signal(float)

    def __init__(self) -> None:
        super().__init__(enableMenu=False, defaultPadding=0.0)
        self.setMouseEnabled(x=True, y=False)
        self.invertY(True)
        self.disableAutoRange()
        self.click_handler: Any = None

    def wheelEvent(self, ev: Any, axis: int | None = None) -> None:
        delta = ev.delta()
        if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            ev.accept()
            self.sigLaneScroll.emit(-delta / 120.0 * 3.0)
            return
        if ev.orientation() == Qt.Orientation.Horizontal:
            ev.accept()
            (x0, x1), _ = self.viewRange()
            self.translateBy(x=-delta / 120.0 * 0.1 * (x1 - x0))
            self.sigRangeChangedManually.emit([True, False])
            return
        super().wheelEvent(ev, axis=0)

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() == Qt.MouseButton.LeftButton and self.click_handler is not None:
            ev.accept()
            self.click_handler(self.mapToView(ev.pos()), ev.modifiers(), ev.double())
            return
        super().mouseClickEvent(ev)


class TimelineView(QtWidgets.QWidget):
    """Events in lanes over a calendar axis.

    Feed it with :meth:`set_data` (the already filtered events); colour, selection and
    theme go through :meth:`set_colors`, :meth:`set_selected` and :meth:`set_theme`;
    sizes through :meth:`set_scale`.  Navigation: :meth:`fit_all`, :meth:`zoom`,
    :meth:`set_visible_range` (optionally animated), :meth:`ensure_visible`.

    Signals:
        rangeChanged(float, float): the visible time range changed (coalesced: once per
            turn of the event loop, however many steps a zoom or pan took).
        animationFinished(): an animated :meth:`set_visible_range` reached its target
            (at its end, or by :meth:`finish_animation`); not emitted for one that was
            cut short (by a drag, or another range).
        hovered(object): the event id under the mouse, or ``None``.
        clicked(object, object): the clicked event id (``None`` for empty space) and the
            ``Qt.KeyboardModifiers``.
        doubleClicked(object, float): the double-clicked event id (or ``None``) and the
            time there, in axis seconds.
        eventDragged(int, object, object, bool): an event was dragged to new dates
            (only when editable): its id, the new start and end (``PartialDate``; the
            end ``None`` for a point) and ``True`` for a resize (one end dragged),
            ``False`` for a move.  Not emitted for a cancelled drag or one that ends
            where it began.
        bandToggled(str): a swimlane's header was clicked (its key).
        bandMoved(str, int): a swimlane's header was dragged to another band's place
            (its key and new index).
    """

    rangeChanged = Signal(float, float)
    animationFinished = Signal()
    hovered = Signal(object)
    clicked = Signal(object, object)
    doubleClicked = Signal(object, float)
    eventDragged = Signal(int, object, object, bool)
    bandToggled = Signal(str)
    bandMoved = Signal(str, int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = light_theme()
        self._span: tuple[float, float] | None = None
        # fit everything at the first resize, when the view has its real width
        # (cancelled by set_data(fit=False) and set_visible_range)
        self._fit_pending = True
        self._scale = 1.0
        self._row_height = ROW_HEIGHT
        self._on_axis = AxisArrays()  # the events given, and on the time scale's axis
        self._eras: list[tuple[str, float, float]] = []  # (in seconds)
        self._preview_span: tuple[float, float] | None = None  # (in seconds)

        self.plot = pg.GraphicsLayoutWidget()
        self.plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.plot.ci.layout.setContentsMargins(0, 0, 0, 0)
        self.plot.ci.layout.setSpacing(0)
        self.viewbox = TimelineViewBox()
        self.axis = CalendarAxisItem(orientation="bottom")
        self.axis.linkToView(self.viewbox)
        self.plot.ci.addItem(self.viewbox, row=0, col=0)
        self.plot.ci.addItem(self.axis, row=1, col=0)
        self.eras = ErasItem()
        self.viewbox.addItem(self.eras)
        self.item = EventsItem()
        self.viewbox.addItem(self.item)
        self.viewbox.click_handler = self._on_view_click

        self.scrollbar = QtWidgets.QScrollBar(Qt.Orientation.Vertical)
        self.scrollbar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scrollbar.hide()
        self.lane_scroll = LaneScroll(
            self.viewbox, self.item, self.scrollbar, lambda: self._row_height
        )
        box = QtWidgets.QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.plot, 1)
        box.addWidget(self.scrollbar)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.viewport().setFocusPolicy(Qt.FocusPolicy.NoFocus)  # one Tab stop: this
        for named in (self, self.plot.viewport()):  # (its description: the event selected)
            named.setAccessibleName("Timeline")

        self._range_timer = QtCore.QTimer(self)
        self._range_timer.setSingleShot(True)
        self._range_timer.setInterval(0)
        self._range_timer.timeout.connect(self._emit_range)

        self._animation = RangeGlide(
            lambda x0, x1: self.viewbox.setXRange(x0, x1, padding=0.0), self
        )
        self._animation.arrived.connect(self._on_animation_finished)

        self.viewbox.sigXRangeChanged.connect(self._on_x_range_changed)
        self.viewbox.sigResized.connect(self._on_resized)
        self.viewbox.sigRangeChangedManually.connect(self._animation.stop)
        self.viewbox.sigLaneScroll.connect(self.scroll_lanes)
        self.item.sigLayoutChanged.connect(lambda *_: self.lane_scroll.update())
        self.item.sigHovered.connect(self._on_hovered)
        self.item.sigClicked.connect(self.clicked)
        self.item.sigDoubleClicked.connect(
            lambda event_id, x: self.doubleClicked.emit(event_id, self.time_scale.from_axis(x))
        )
        self.item.sigDragged.connect(self.eventDragged)
        self.item.sigBandToggled.connect(self.bandToggled)
        self.item.sigBandMoved.connect(self.bandMoved)

        self._apply_limits()
        self.viewbox.setXRange(*EMPTY_SPAN, padding=0.0)  # (linear: seconds are the axis)
        self.viewbox.setYRange(-0.5 - TOP_ROOM, 10.0, padding=0.0)
        self.axis.set_size(self._scale)
        self.set_theme(self._theme)

    # -- data and appearance -----------------------------------------------------------

    def set_data(self, arrays: EventArrays, *, fit: bool | None = None) -> None:
        """Show ``arrays``; ``fit`` (default: when nothing was shown before) fits them all.

        Otherwise the visible range is kept (within the new limits), so changing a filter
        does not lose the user's place.  A new view fits everything when it first gets
        its size; ``fit=False`` cancels that, so that a range the caller sets is not
        overwritten when the view is first laid out.
        """
        had_data = self._span is not None
        self._preview_span = None
        self.item.set_data(self._on_axis.set(arrays), layout=False)
        self._span = self.item.span()
        self._apply_limits()
        should_fit = (not had_data) if fit is None else fit
        if should_fit:
            self.fit_all()
        else:
            if fit is not None:
                self._fit_pending = False
            x0, x1 = self._axis_range()
            self.viewbox.setXRange(x0, x1, padding=0.0)
        self.item.flush_layout()
        self.lane_scroll.update()

    def apply_patch(self, arrays: EventArrays, patch: Patch) -> None:
        """Show ``arrays``, the ones shown with ``patch`` applied (an edit): the view
        stays where it is, and only what changed is measured and placed again."""
        self.item.apply_patch(*self._on_axis.patch(arrays, patch))
        span = self.item.span()
        if span != self._span:
            self._span = span
            self._apply_limits()
        self.lane_scroll.update()

    def set_preview(self, span: tuple[float, float] | None, lanes: int) -> None:
        """While a big file loads (the arrays hold its first lanes): its whole span and
        number of lanes, so that the view fits and scrolls as it will."""
        self._preview_span = span
        self.item.set_preview(self._on_axis.span(span), lanes)
        self._span = self.item.span()
        self._apply_limits()
        self.lane_scroll.update()

    def arrays(self) -> EventArrays:
        """The rows drawn (on the time scale's axis; in swimlanes, a row per band)."""
        return self.item.arrays

    # -- the time scale ------------------------------------------------------------------

    @property
    def time_scale(self) -> TimeScale:
        return self._on_axis.scale

    def set_time_scale(self, scale: TimeScale) -> None:
        """Map time to the view's x by ``scale`` (linear, or logarithmic for deep
        time) and fit everything: a range on one scale means little on the other."""
        if scale == self._on_axis.scale:
            return
        self.axis.set_time_scale(scale)
        self.item.set_time_scale(scale)
        preview, lanes = self._preview_span, self.item.lane_count
        self.item.set_data(self._on_axis.set(self._on_axis.given, scale), layout=False)
        if preview is not None:
            self.set_preview(preview, lanes)
        self._span = self.item.span()
        self.set_eras(self._eras)
        self._apply_limits()
        self.fit_all()
        self.item.flush_layout()
        self.lane_scroll.update()

    # -- swimlanes ---------------------------------------------------------------------

    def set_grouper(self, grouper: Grouper | None) -> None:
        """Draw the events in the bands ``grouper`` makes of them (``None``: no bands);
        the same grouper again lays the bands out anew (collapsed, moved)."""
        self.item.set_grouper(grouper)
        self.lane_scroll.update()

    def bands(self) -> tuple[Band, ...]:
        """The swimlanes as drawn now, top to bottom (none: not grouped)."""
        self.item.flush_layout()
        lay = self.item.layout
        return lay.bands if lay is not None else ()

    def show_band(self, index: int) -> None:
        """Scroll (never zoom) to band ``index``: its header, and what fits below."""
        if not 0 <= index < len(bands := self.bands()):
            return
        band = bands[index]
        _, (y0, y1) = self.viewbox.viewRange()
        rows = y1 - y0
        if band.first - 0.5 < y0 or band.last + 0.5 > y1:
            top = band.first - 0.5 - TOP_ROOM
            if band.rows < rows and band.first - 0.5 >= y0:
                top = band.last + 0.5 + self.lane_scroll.bottom_room() - rows
            self.scroll_to_lane_top(top)

    def set_colors(
        self,
        colors: Iterable[QtGui.QColor | str | None],
        uncategorised: QtGui.QColor | str | None = None,
    ) -> None:
        """Colours by category key; see :meth:`EventsItem.set_colors`."""
        self.item.set_colors(colors, uncategorised)

    def set_selected(self, ids: Iterable[int]) -> None:
        self.item.set_selected(ids)

    def set_eras(self, eras: Sequence[tuple[str, float, float]]) -> None:
        """Bands behind the events: ``(title, begin, finish)`` in axis seconds."""
        self._eras = list(eras)
        to_axis = self.time_scale.to_axis
        self.eras.set_eras([(title, to_axis(b), to_axis(f)) for title, b, f in self._eras])

    def set_theme(self, theme: Theme) -> None:
        """Paint the canvas (background, axis, eras, events) in ``theme``'s colours."""
        self._theme = theme
        self.plot.setBackground(theme.timeline_bg)
        self.axis.setPen(pg.mkPen(theme.axis_line))
        self.axis.setTextPen(pg.mkPen(theme.axis_text))
        self.item.set_theme(theme)
        self.eras.set_theme(theme)

    @property
    def theme(self) -> Theme:
        return self._theme

    def set_scale(self, factor: float) -> None:
        """Make everything ``factor`` times its normal size (1.0): the height of a lane,
        the labels' type, the marks, and the axis' type and tick spacing.

        For a screen seen from afar (a presentation).  The labels are measured and the
        lanes laid out again; the lane at the top stays at the top.
        """
        factor = float(factor)
        if not (factor > 0 and math.isfinite(factor)):
            raise ValueError(f"scale must be positive, not {factor!r}")
        if factor == self._scale:
            return
        self._scale = factor
        self._row_height = ROW_HEIGHT * factor
        self.item.set_size_scale(factor)
        self.axis.set_size(self._scale)
        self.lane_scroll.update()  # keeps the top lane, with the new row height

    def scale_factor(self) -> float:
        """The size set by :meth:`set_scale` (1.0: normal)."""
        return self._scale

    def row_height(self) -> float:
        """Height of one lane, in pixels."""
        return self._row_height

    def height_for_rows(self, rows: int) -> int:
        """The height (px) at which this view shows ``rows`` lanes whole, with the room
        above the first and below the last (a lane where the density strip may show,
        at this width), and the axis."""
        lanes = (max(0, rows) + TOP_ROOM + self.lane_scroll.bottom_room()) * self._row_height
        return math.ceil(lanes + self.axis.height_needed())

    def set_scrollbar_policy(self, policy: Qt.ScrollBarPolicy) -> None:
        """When the lanes' scroll bar shows: as needed (default), always or never.

        Without it the lanes still scroll (Shift+wheel, :meth:`scroll_to_lane_top`).
        """
        self.lane_scroll.policy = policy
        self.lane_scroll.sync()

    def scrollbar_policy(self) -> Qt.ScrollBarPolicy:
        return self.lane_scroll.policy

    # -- editing -----------------------------------------------------------------------

    def set_editable(self, editable: bool) -> None:
        """Let the mouse move and resize events (off: a drag always pans)."""
        self.item.set_editable(editable)

    def is_editable(self) -> bool:
        return self.item.is_editable()

    def set_date_lookup(self, lookup: DateLookup | None) -> None:
        """``lookup(event_id)`` gives the event's current ``(start, end)`` for a drag."""
        self.item.set_date_lookup(lookup)

    def is_dragging(self) -> bool:
        return self.item.is_dragging()

    def cancel_drag(self) -> bool:
        """Drop the drag in progress, changing nothing (what Esc does)."""
        return self.item.cancel_drag()

    # -- navigation ----------------------------------------------------------------------

    def event_at(self, pos: QtCore.QPoint) -> int | None:
        """The id of the event drawn at ``pos`` (this widget's coordinates), if any."""
        local = self.plot.mapFrom(self, pos)
        if not self.plot.rect().contains(local):
            return None
        return self.item.event_at(self.plot.mapToScene(local), scene=True)

    def visible_range(self) -> tuple[float, float]:
        """The time shown, in axis seconds."""
        x0, x1 = self._axis_range()
        return self.time_scale.from_axis(x0), self.time_scale.from_axis(x1)

    def _axis_range(self) -> tuple[float, float]:
        (x0, x1), _ = self.viewbox.viewRange()
        return float(x0), float(x1)

    def set_visible_range(
        self,
        x0: float,
        x1: float,
        *,
        animate: bool = False,
        duration_ms: int | None = None,
    ) -> None:
        """Show ``[x0, x1]`` (clamped to the limits).

        ``animate`` eases there (in and out) in ``duration_ms`` (default
        :data:`ANIMATION_MS`), then emits :attr:`animationFinished`; the width changes
        geometrically, so a zoom feels even all the way.  A range set before the view
        has its size is kept: it cancels the fit a new view makes at its first resize.
        """
        self._fit_pending = False
        to_axis = self.time_scale.to_axis
        self._move_to(
            to_axis(float(x0)), to_axis(float(x1)), animate=animate, duration_ms=duration_ms
        )

    def is_animating(self) -> bool:
        return self._animation.is_running()

    def finish_animation(self) -> bool:
        """Jump to the end of the animation under way (emitting
        :attr:`animationFinished`); ``False`` if there is none."""
        return self._animation.finish()

    def fit_range(self) -> tuple[float, float]:
        """The range :meth:`fit_all` shows (axis seconds): every event and its label,
        at this width.

        Labels near the right end go before their marks, so a small margin is enough;
        the range widens only for labels that fit on neither side of their marks.
        """
        x0, x1 = self._fit_axis_range()
        return self.time_scale.from_axis(x0), self.time_scale.from_axis(x1)

    def _fit_axis_range(self) -> tuple[float, float]:
        lo, hi = self._span_or_default()
        w = hi - lo
        return self._room_for_labels(lo - FIT_MARGIN * w, hi + FIT_MARGIN * w)

    def fit_all(self) -> None:
        """Show every event and its label (Home): :meth:`fit_range`, the top lane first."""
        # not laid out yet: fit again once the view has its size
        self._fit_pending = self.viewbox.width() < 10
        self._move_to(*self._fit_axis_range())
        self.scroll_to_lane_top(-0.5 - TOP_ROOM)

    def lanes_in(self, x0: float, x1: float) -> tuple[int, int] | None:
        """The first and last lane of the events in ``[x0, x1]`` when this view shows
        that range (at its present width), laid out for that zoom as :meth:`relayout`
        does; ``None`` if no event is there (or the view has no width yet).

        Nothing moves: this is how an owner learns how many rows some range needs (in
        swimlanes, from the header of the first band there: see ``rows_of``).
        """
        to_axis = self.time_scale.to_axis
        x0, x1 = sorted((to_axis(float(x0)), to_axis(float(x1))))
        px = self.viewbox.width()
        inside = self.item.arrays.visible(x0, x1)
        if len(inside) == 0 or px <= 0 or x1 <= x0:
            return None
        return self.item.layouts.rows_of(px / (x1 - x0), inside, self.item.lanes_at)

    def relayout(self) -> None:
        """Lay the lanes out for exactly the zoom shown (what :meth:`lanes_in` tells).

        Zooming keeps the lanes until the zoom has changed by about a quarter, so
        that they do not shift all the time; an owner that moves the view in steps of
        its own (a presentation) calls this once it is there.
        """
        self.item.relayout()

    def zoom(self, factor: float, center: float | None = None) -> None:
        """Zoom in by ``factor`` (> 1) or out (< 1) around the time ``center`` (default:
        the middle)."""
        if factor <= 0:
            raise ValueError("zoom factor must be positive")
        x0, x1 = self._axis_range()
        c = (x0 + x1) / 2 if center is None else self.time_scale.to_axis(float(center))
        self._move_to(c - (c - x0) / factor, c + (x1 - c) / factor)

    def ensure_visible(self, event_id: int, *, animate: bool = False) -> bool:
        """Scroll (never zoom) so the event is in view; ``False`` if it is not shown."""
        a = self.item.arrays
        i = a.index_of(event_id)
        if i is None:
            return False
        self.item.flush_layout()
        x0, x1 = self._axis_range()
        w = x1 - x0
        b, f = float(a.begin[i]), float(a.finish[i])
        if not a.is_range[i]:
            b = f = (b + f) / 2
        margin = 0.08 * w
        if b < x0 + margin or f > x1 - margin:
            nx0 = (b + f) / 2 - w / 2 if f - b <= w - 2 * margin else b - margin
            self._move_to(nx0, nx0 + w, animate=animate)
        lane = self.item.lane_of(event_id)
        if lane is not None:
            _, (y0, y1) = self.viewbox.viewRange()
            rows = y1 - y0
            if lane - 0.5 < y0:
                self.scroll_to_lane_top(lane - 0.5 - TOP_ROOM)
            elif lane + 0.5 + self.lane_scroll.bottom_room() > y1:
                self.scroll_to_lane_top(lane + 0.5 + self.lane_scroll.bottom_room() - rows)
        return True

    def scroll_lanes(self, lanes: float) -> None:
        """Scroll the lanes by this many rows (positive: down)."""
        _, (y0, _y1) = self.viewbox.viewRange()
        self.scroll_to_lane_top(y0 + lanes)

    def scroll_to_lane_top(self, top: float) -> None:
        """Put the top of the view at ``top`` (in lanes), within the lanes there are."""
        self.lane_scroll.scroll_to_top(top)

    # -- keyboard --------------------------------------------------------------------

    def event(self, event: QtCore.QEvent) -> bool:
        # while dragging, Esc is ours: it must not reach a shortcut (clear selection…)
        if (
            event.type() == QtCore.QEvent.Type.ShortcutOverride
            and cast(QtGui.QKeyEvent, event).key() == Qt.Key.Key_Escape
            and self.item.is_dragging()
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self.item.is_dragging():
            self.item.cancel_drag()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(ZOOM_STEP)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_Home:
            self.fit_all()
        else:
            event.ignore()
            return
        event.accept()

    # -- internals -------------------------------------------------------------------

    def _move_to(
        self, x0: float, x1: float, *, animate: bool = False, duration_ms: int | None = None
    ) -> None:
        """Show ``[x0, x1]``, now or eased; unlike :meth:`set_visible_range`, the fit
        at the first resize still comes (a zoom or a scroll before it does not count)."""
        x0, x1 = sorted((x0, x1))
        self._animation.stop()
        if not animate:
            self.viewbox.setXRange(x0, x1, padding=0.0)
            self.item.flush_layout()
            return
        self._animation.glide(self._axis_range(), (x0, x1), duration_ms)

    def _span_or_default(self) -> tuple[float, float]:
        """The events' span on the axis, at least :data:`MIN_SPAN` of time."""
        scale = self.time_scale
        if self._span is not None:
            lo, hi = self._span
        else:
            lo, hi = scale.to_axis(EMPTY_SPAN[0]), scale.to_axis(EMPTY_SPAN[1])
        t0, t1 = scale.from_axis(lo), scale.from_axis(hi)
        if t1 - t0 < MIN_SPAN:
            mid = (t0 + t1) / 2
            lo, hi = scale.to_axis(mid - MIN_SPAN / 2), scale.to_axis(mid + MIN_SPAN / 2)
        return lo, hi

    def _apply_limits(self) -> None:
        lo, hi = self._span_or_default()
        w = hi - lo
        x_min, x_max = lo - SPAN_MARGIN * w, hi + SPAN_MARGIN * w
        # keep a minute representable: doubles lose sub-minute steps in deep time
        smallest = MIN_X_RANGE if self.time_scale.is_linear else MIN_LOG_RANGE
        min_range = max(smallest, max(abs(x_min), abs(x_max)) * 2.0**-40)
        self.viewbox.setLimits(xMin=x_min, xMax=x_max, minXRange=min_range, maxXRange=x_max - x_min)

    def _room_for_labels(self, x0: float, x1: float) -> tuple[float, float]:
        """Widen ``[x0, x1]`` so that the marks and labels reaching beyond the data span
        (as laid out at the resulting scale) stay in view, within the pan limits."""
        px = self.viewbox.width()
        if self._span is None or px < 10:
            return x0, x1
        lo, hi = self._span_or_default()
        x_min, x_max = lo - SPAN_MARGIN * (hi - lo), hi + SPAN_MARGIN * (hi - lo)
        # the scale depends on the range and the labels' reach on the scale: a few
        # rounds settle it (each round only widens)
        for _ in range(4):
            scale = px / (x1 - x0)
            before, after = self.item.label_reach(scale)
            pad = FIT_PAD_PX * self._scale
            nx0 = max(x_min, min(x0, lo - (before + pad) / scale))
            nx1 = min(x_max, max(x1, hi + (after + pad) / scale))
            if nx0 == x0 and nx1 == x1:
                break
            x0, x1 = nx0, nx1
        return x0, x1

    def _on_resized(self, *_: Any) -> None:
        if self._fit_pending and self.viewbox.width() >= 10:
            self.fit_all()
        self.lane_scroll.update()

    def _on_x_range_changed(self, *_: Any) -> None:
        self._range_timer.start()

    def _emit_range(self) -> None:
        self.rangeChanged.emit(*self.visible_range())

    def _on_animation_finished(self) -> None:
        self.item.flush_layout()
        self.animationFinished.emit()

    def _on_view_click(self, pos: QPointF, modifiers: Qt.KeyboardModifier, double: bool) -> None:
        # the item has no transform of its own: view coordinates are item coordinates
        self.item.handle_click(pos, modifiers, double=double)

    def _on_hovered(self, event_id: Any) -> None:
        self.item.setToolTip(self.item.tooltip_html(event_id) if event_id is not None else "")
        self.hovered.emit(event_id)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(900, 420)
