"""The timeline's events as one pyqtgraph item: the window's and the presentation's.

:class:`EventsItem` holds the (already filtered) events as :class:`EventArrays` and
ties the parts that do the work to pyqtgraph's view box:

* :class:`~viewer.ui.timeline.layout.LaneLayouts` gives the lanes for the zoom
  (re-laid out, debounced, when the horizontal scale changes by more than ~25 %,
  never on a pan);
* :class:`~viewer.ui.timeline.painter.EventPainter` paints what the view shows, at a
  cost that depends on what is visible, not on how many events there are, in a
  :class:`~viewer.ui.timeline.marks.MarkStyle` (the document's category colours and
  the :class:`~viewer.ui.theme.Theme`'s canvas colours);
* :func:`~viewer.ui.timeline.painter.hit_index` finds the event under the mouse;
* :class:`~viewer.ui.timeline.dragging.DraggingMixin` gives it the drag that moves
  and resizes events (:meth:`EventsItem.set_editable`).

Coordinates: x is the axis coordinate of the view's time scale (axis seconds,
:mod:`viewer.model.dates`, on a linear one; :meth:`EventsItem.set_time_scale`, and the
arrays given are already on that axis), lane ``i`` is drawn
centred on ``y = i`` (lane 0 at the top when the view's y axis is inverted); the view
sets the y scale so that one lane is a row of about 26 pixels.  Marks, markers and
labels have fixed pixel sizes, all multiplied by one size factor
(:meth:`EventsItem.set_size_scale`, 1.0 by default; a presentation on a big screen
makes everything larger).

:meth:`EventsItem.paint` never raises into Qt: an error there is logged once and the
frame is left without events, so one bad frame does not take the view down.
"""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QPointF, QRectF, Qt, Signal

from viewer.model.colors import CATEGORY_COLORS
from viewer.model.lanes import needs_relayout
from viewer.model.time_scale import LINEAR, TimeScale
from viewer.store.columns import EventArrays, Patch
from viewer.ui.richtext import inline_html
from viewer.ui.theme import Theme, light_theme
from viewer.ui.timeline.band_gestures import BandGesturesMixin, Grouper
from viewer.ui.timeline.drag import RESIZE_PX
from viewer.ui.timeline.dragging import DRAG_THRESHOLD_PX, DateLookup, DraggingMixin
from viewer.ui.timeline.edges import edge_reach
from viewer.ui.timeline.groups import Grouping
from viewer.ui.timeline.labels import LabelCache
from viewer.ui.timeline.layout import LaneLayouts, ViewLayout
from viewer.ui.timeline.marks import MarkSizes, MarkStyle
from viewer.ui.timeline.painter import (
    DrawnLabel,
    EventPainter,
    Frame,
    LabelHits,
    hit_index,
)

__all__ = [
    "DEFAULT_COLORS",
    "DRAG_THRESHOLD_PX",
    "RESIZE_PX",
    "DateLookup",
    "DrawnLabel",
    "EventsItem",
    "Grouper",
    "ViewGeometry",
]

log = logging.getLogger(__name__)

#: The category palette, until the window sets the document's own colours.
DEFAULT_COLORS = CATEGORY_COLORS

RELAYOUT_DELAY_MS = 150


class ViewGeometry(NamedTuple):
    """What the view box shows: ``x0``–``x1`` (axis seconds), lanes ``y0``–``y1``, and
    its scale in pixels per second (``px_x``) and per lane (``px_y``)."""

    x0: float
    x1: float
    y0: float
    y1: float
    px_x: float
    px_y: float


class EventsItem(BandGesturesMixin, DraggingMixin, pg.GraphicsObject):
    """All events of a timeline in one item: bars for ranges, diamonds for points.

    Give it the already filtered events with :meth:`set_data`; colours with
    :meth:`set_colors` (indexed by ``EventArrays.category``, ``-1`` is grey);
    :meth:`set_selected` outlines events and makes their labels bold; :meth:`set_theme`
    sets the canvas colours.

    Signals:
        sigHovered(object): the event id under the mouse, or ``None``.
        sigClicked(object, object): the clicked event id (``None`` for empty space)
            and the ``Qt.KeyboardModifiers`` held.
        sigDoubleClicked(object, float): the double-clicked event id (or ``None``) and
            the x position of the click in axis seconds.
        sigLayoutChanged(int): the number of lanes after a (re-)layout.
        sigDragged(int, object, object, bool): a drag ended on new dates: the event
            id, the new start and end (``PartialDate``, the end ``None`` for a point)
            and whether one end was dragged (a resize) rather than the whole event.
        sigBandToggled(str): a swimlane's header was clicked (the band's key).
        sigBandMoved(str, int): a swimlane's header was dragged to another band's
            place (the band's key and its new index).

    In swimlanes (:meth:`set_grouper`) :attr:`arrays` are the rows drawn: an event in
    several bands (grouped by tag) is a row in each.
    """

    sigHovered = Signal(object)
    sigClicked = Signal(object, object)
    sigDoubleClicked = Signal(object, float)
    sigLayoutChanged = Signal(int)
    sigDragged = Signal(int, object, object, bool)
    sigBandToggled = Signal(str)
    sigBandMoved = Signal(str, int)

    def __init__(self, parent: QtWidgets.QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self._arrays = EventArrays.empty()  # the rows drawn
        self._given = self._arrays  # the events given (the rows drawn, without bands)
        self._grouper: Grouper | None = None
        self._groups: Grouping | None = None
        self.labels = LabelCache()
        self.style = MarkStyle(MarkSizes.at(1.0), light_theme())
        self.painter = EventPainter(self.style, self.labels)
        self.layouts = LaneLayouts()
        self._layout: ViewLayout | None = None
        self._selected_ids: set[int] = set()
        self._selected = np.zeros(0, dtype=bool)
        self._hover_id: int | None = None
        # what a progressive open knows before the events are read: the whole span
        # and the number of lanes (see set_preview)
        self._preview: tuple[tuple[float, float] | None, int] | None = None
        self._label_hits: LabelHits | None = None  # labels the last paint drew
        self._paint_failed = False
        self._bounds: QRectF | None = None
        self._bounds_key: tuple[float, ...] | None = None
        self._relayout_timer = QtCore.QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(RELAYOUT_DELAY_MS)
        self._relayout_timer.timeout.connect(self.flush_layout)
        self._editable = False
        self._date_lookup = None
        self._drag = None
        self._time_scale = LINEAR
        self.setZValue(10)

    # -- the events ------------------------------------------------------------------

    def set_data(self, arrays: EventArrays, *, layout: bool = True) -> None:
        """Show ``arrays`` (already filtered); lanes are laid out for the current zoom.

        With ``layout=False`` the lanes wait for :meth:`flush_layout` (or the first
        paint), for a caller that is about to change the zoom anyway.
        """
        self.prepareGeometryChange()
        self.cancel_drag()  # its index and lane belong to the old arrays
        self._preview = None
        self._layout = None
        self.labels.forget()
        self._take(arrays)
        self._relayout_timer.stop()
        if layout:
            self._relayout(self._current_scale() or self._fallback_scale())
        self.informViewBoundsChanged()
        self.update()

    def apply_patch(self, arrays: EventArrays, patch: Patch) -> None:
        """Show ``arrays``, which are the old ones with ``patch`` applied.

        Only what changed is measured again; a set drawn in the stored lanes keeps
        every other event where it was, and a small set is laid out again at once
        (cheap, and its labels may need the room).
        """
        self.cancel_drag()
        self.prepareGeometryChange()
        self.labels.forget(patch.ids.tolist())
        if self._groups is not None and self.layouts.follow(arrays, patch):
            # swimlanes of a big set, patched: the rows drawn are the events given, or
            # (by tag) their copies
            self._given = arrays
            self._groups = self.layouts.groups
            self._arrays = self.layouts.arrays
            self._label_hits = None
            self._bounds = None
            self._selected = self._selection_mask()
        else:
            self._take(arrays)
        self._relayout(self._current_scale() or self._fallback_scale())
        self.informViewBoundsChanged()
        self.update()

    def _take(self, arrays: EventArrays) -> None:
        """Hold ``arrays``: in their bands, their labels measured (a small set), the
        selection mapped."""
        self._given = arrays
        groups = self._grouper(arrays) if self._grouper is not None and len(arrays) else None
        self._groups = groups
        arrays = groups.arrays if groups is not None else arrays
        self._arrays = arrays
        self._label_hits = None
        self._bounds = None
        widths = None
        if not LaneLayouts.stored_for(len(arrays)) and len(arrays):
            widths = self.labels.widths(arrays, np.arange(len(arrays)), np.zeros(1, bool))
        sz = self.style.sizes
        self.layouts.set_events(
            arrays, widths, factor=sz.factor, label_max=sz.label_max, groups=groups
        )
        self._selected = self._selection_mask()

    def set_grouper(self, grouper: Grouper | None) -> None:
        """Draw the events in swimlanes: ``grouper`` puts any events shown in bands
        (``None``: no bands); the lanes are laid out again."""
        self._grouper = grouper
        self.regroup()

    def regroup(self) -> None:
        """Put the events in their bands again (the grouper's bands changed)."""
        self.prepareGeometryChange()
        self.cancel_drag()
        self._layout = None
        self.set_band_focus(None)
        self._take(self._given)
        if len(self._arrays):
            self._relayout(self._current_scale() or self._fallback_scale())
        self.informViewBoundsChanged()
        self.update()

    @property
    def groups(self) -> Grouping | None:
        """The swimlanes of the events drawn (``None``: not grouped)."""
        return self._groups

    def set_preview(self, span: tuple[float, float] | None, lanes: int) -> None:
        """While a big file loads: the arrays are its first lanes only; the view is
        told the whole ``span`` and how many ``lanes`` there are."""
        self.prepareGeometryChange()
        self._preview = (span, lanes)
        self._bounds = None
        self.informViewBoundsChanged()
        self.update()

    @property
    def arrays(self) -> EventArrays:
        return self._arrays

    def span(self) -> tuple[float, float] | None:
        """The time span of the events (all of them, also while a big file loads)."""
        if self._preview is not None:
            return self._preview[0]
        return self._arrays.span()

    @property
    def stored_lanes(self) -> bool:
        """Whether the events are drawn in the store's lanes (too many to pack)."""
        return self.layouts.stored

    @property
    def layout(self) -> ViewLayout | None:
        """The lanes drawn now (``None`` before the first layout)."""
        return self._layout

    @property
    def layout_key(self) -> float | None:
        """The key of the packed layout drawn now (``None``: stored lanes, or none)."""
        return self._layout.scale if self._layout is not None else None

    def set_time_scale(self, scale: TimeScale) -> None:
        """The scale the arrays' positions are on: a drag turns a move along the axis
        into a move in time with it, and its ghost is drawn there."""
        self.cancel_drag()
        self._time_scale = scale
        self.painter.time_scale = scale

    # -- sizes, colours and theme ----------------------------------------------------

    def set_size_scale(self, factor: float) -> None:
        """Multiply the sizes of marks, labels and their gaps by ``factor`` (1.0: normal).

        The labels are measured again in the new font and the lanes laid out again
        (emitting ``sigLayoutChanged``), since what fits beside a mark changes.
        """
        factor = float(factor)
        if not (factor > 0 and math.isfinite(factor)):
            raise ValueError(f"size scale must be positive, not {factor!r}")
        if factor == self.style.sizes.factor:
            return
        self.prepareGeometryChange()
        self.style.set_sizes(MarkSizes.at(factor))
        self.labels.set_size(factor)
        self._take(self._given)  # (the events, not their copies in tag bands)
        if self._layout is not None:
            self._relayout(self._current_scale() or self._fallback_scale())
        self.update()

    def size_scale(self) -> float:
        return self.style.sizes.factor

    def label_font(self) -> QtGui.QFont:
        """The font labels are drawn in (bold for selected events)."""
        return QtGui.QFont(self.labels.font)

    def label_widths(self) -> np.ndarray:
        """Width (px) of each event's label as lanes reserve it, ``nan`` if not measured
        (only sets laid out with their labels are measured up front)."""
        return self.layouts.label_widths()

    def label_reach(self, scale: float) -> tuple[float, float]:
        """How far (px) marks and labels laid out at ``scale`` px/s reach beyond the
        data span: ``(before its start, after its end)`` (see
        :meth:`LaneLayouts.label_reach`)."""
        labels = self.layouts.label_reach(scale, self.style.sizes.marker_radius)
        ends = edge_reach(self.layouts.arrays, scale, self.style)  # "before 1200"'s wedge
        return max(labels[0], ends[0]), max(labels[1], ends[1])

    def lanes_at(self, scale: float) -> np.ndarray:
        """Lane of every event (data order) in a layout made for ``scale`` px/s: what a
        view at that zoom shows once laid out afresh (:meth:`relayout`)."""
        return self.layouts.lanes_at(scale, self._layout)

    def set_colors(
        self,
        colors: Iterable[QtGui.QColor | str | None],
        uncategorised: QtGui.QColor | str | None = None,
    ) -> None:
        """Colours by category key (``EventArrays.category``; cycled when there are more
        keys); a ``None`` colour, a key of ``-1`` (no category) and keys with no colour
        are drawn in ``uncategorised`` (default: neutral grey)."""
        self.style.set_colors(colors, uncategorised)
        self.update()

    def set_theme(self, theme: Theme) -> None:
        """Paint with the canvas colours of ``theme``."""
        self.style.set_theme(theme)
        self.update()

    @property
    def theme(self) -> Theme:
        return self.style.theme

    # -- selection, hover, editing ---------------------------------------------------

    @property
    def lane_count(self) -> int:
        lanes = self._layout.n_lanes if self._layout is not None else 0
        if self._preview is not None:
            lanes = max(lanes, self._preview[1])
        return lanes

    def lane_of(self, event_id: int) -> int | None:
        """The lane an event is drawn in, or ``None`` if it is not shown."""
        i = self._arrays.index_of(event_id)
        if i is None or self._layout is None:
            return None
        lane = int(self._layout.lanes[i])
        return lane if lane >= 0 else None

    def set_selected(self, ids: Iterable[int]) -> None:
        self._selected_ids = {int(i) for i in ids}
        self._selected = self._selection_mask()
        self.update()

    def selected(self) -> set[int]:
        return set(self._selected_ids)

    def _selection_mask(self) -> np.ndarray:
        mask = np.zeros(len(self._arrays), dtype=bool)
        if self._selected_ids and self._groups is not None and self._groups.has_copies:
            # every copy of a selected event (one per band it is in)
            return np.isin(self._arrays.ids, np.fromiter(self._selected_ids, dtype=np.int64))
        if self._selected_ids and len(self._arrays):
            found = self._arrays.indices_of(np.fromiter(self._selected_ids, dtype=np.int64))
            mask[found[found >= 0]] = True
        return mask

    def set_hovered(self, event_id: int | None) -> None:
        """Highlight an event as if the mouse were over it (emits ``sigHovered``)."""
        if event_id != self._hover_id:
            self._hover_id = event_id
            self.update()
            self.sigHovered.emit(event_id)

    def hovered(self) -> int | None:
        return self._hover_id

    # -- layout ----------------------------------------------------------------------

    def flush_layout(self) -> None:
        """Redo the lanes now if the scale moved on since the last layout."""
        self._relayout_timer.stop()
        scale = self._current_scale()
        if len(self._arrays) == 0:
            return
        if scale is None or (self._layout is not None and self._layout.scale is None):
            if self._layout is None:
                self._relayout(scale or self._fallback_scale())
            return  # stored lanes hold at every zoom
        if self._layout is None or needs_relayout(
            self._layout.scale, scale / self.style.sizes.factor
        ):
            self._relayout(scale)

    def relayout(self) -> None:
        """Lay the lanes out for exactly the current zoom, now, unless they already are.

        :meth:`flush_layout` keeps lanes made at a nearby zoom (so that they do not
        shift on every small zoom); this makes them what :meth:`lanes_at` predicts.
        """
        self._relayout_timer.stop()
        scale = self._current_scale()
        if len(self._arrays) == 0 or scale is None or self.stored_lanes:
            self.flush_layout()
            return
        if self._layout is None or self._layout.scale != self.layouts.key(scale):
            self._relayout(scale)

    def _notify_layout(self) -> None:
        self.sigLayoutChanged.emit(self.lane_count)

    def _relayout(self, scale: float, *, notify: bool = True) -> None:
        n_before = self.lane_count
        self._layout = self.layouts.at(scale)
        self._label_hits = None
        if self.lane_count != n_before:
            self._invalidate_bounds()
        self.update()
        if notify:
            self.sigLayoutChanged.emit(self.lane_count)

    # -- geometry --------------------------------------------------------------------

    def _view_geometry(self) -> ViewGeometry | None:
        """What the view box shows now, or ``None`` (not in a view yet, or empty)."""
        vb = self.getViewBox()
        if vb is None or not hasattr(vb, "viewRange"):
            return None
        (x0, x1), (y0, y1) = vb.viewRange()
        w, h = vb.width(), vb.height()
        if w <= 0 or h <= 0 or x1 <= x0 or y1 <= y0:
            return None
        return ViewGeometry(x0, x1, y0, y1, w / (x1 - x0), h / (y1 - y0))

    def _current_scale(self) -> float | None:
        g = self._view_geometry()
        return None if g is None else g.px_x

    def _fallback_scale(self) -> float:
        span = self.span()
        if span is None:
            return 1.0
        return 1000.0 / max(span[1] - span[0], 60.0)

    def dataBounds(
        self, ax: int, frac: float = 1.0, orthoRange: Any = None
    ) -> tuple[float, float] | None:
        span = self.span()
        if span is None:
            return None
        if ax == 0:
            return span
        return (-0.5, max(self.lane_count, 1) - 0.5)

    def pixelPadding(self) -> float:
        sz = self.style.sizes
        return sz.label_max + 2 * sz.label_gap + 2 * sz.marker_radius

    def boundingRect(self) -> QRectF:
        if self._bounds is None:
            self._bounds = self._compute_bounds()
        return QRectF(self._bounds)

    def _compute_bounds(self) -> QRectF:
        span = self.span()
        if span is None:
            return QRectF()
        g = self._view_geometry()
        pw, ph = (1.0 / g.px_x, 1.0 / g.px_y) if g is not None else (0.0, 0.0)
        # labels may go before a mark as well as after it
        x0 = span[0] - self.pixelPadding() * pw
        x1 = span[1] + self.pixelPadding() * pw
        sz = self.style.sizes
        reach = (sz.bar_half + sz.ring + 1.0) * ph
        y0 = -0.5 - reach
        y1 = max(self.lane_count, 1) - 0.5 + reach
        if g is not None:  # the density strip is docked to the bottom of the view
            y0, y1 = min(y0, g.y0), max(y1, g.y1)
        ghost = self._ghost_extent(pw)
        if ghost is not None:
            x0, x1 = min(x0, ghost[0]), max(x1, ghost[1])
        self._bounds_key = self._geometry_key(g) if g is not None else None
        return QRectF(x0, y0, x1 - x0, y1 - y0)

    @staticmethod
    def _geometry_key(g: ViewGeometry) -> tuple[float, ...]:
        """What the bounds depend on: pixel size and y range (not the x position, so a
        pan does not change the geometry; rounding hides float noise of a pan)."""
        return (float(f"{1.0 / g.px_x:.9g}"), float(f"{1.0 / g.px_y:.9g}"), g.y0, g.y1)

    def _invalidate_bounds(self) -> None:
        self.prepareGeometryChange()
        self._bounds = None

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        g = self._view_geometry()
        if g is None:
            return
        if self._geometry_key(g) != self._bounds_key:
            self._invalidate_bounds()
        lay = self._layout
        factor = self.style.sizes.factor
        if lay is not None and lay.scale is not None and needs_relayout(lay.scale, g.px_x / factor):
            self._relayout_timer.start()

    def viewRangeChanged(self) -> None:
        super().viewRangeChanged()
        self.viewTransformChanged()

    # -- painting --------------------------------------------------------------------

    def paint(self, p: QtGui.QPainter, *args: Any) -> None:
        p.save()
        try:
            self._paint(p)
        except Exception:  # an error here must not propagate into Qt's paint event
            if not self._paint_failed:
                log.exception("painting the timeline failed")
            self._paint_failed = True
            self._label_hits = None
        else:
            self._paint_failed = False
        finally:
            p.restore()

    def _paint(self, p: QtGui.QPainter) -> None:
        if len(self._arrays) == 0:
            return
        if self._layout is None:
            # no layout yet (nobody flushed it): make one, but tell listeners later,
            # as they may change the view and that must not happen while painting
            self._relayout(self._current_scale() or self._fallback_scale(), notify=False)
            QtCore.QTimer.singleShot(0, self._notify_layout)
        lay = self._layout
        g = self._view_geometry()
        if lay is None or g is None:
            return
        tr = p.transform()
        if tr.m12() != 0 or tr.m21() != 0:
            return  # never rotated in this app
        frame = Frame(g.x0, g.x1, g.y0, g.y1, tr.m11(), tr.dx(), tr.m22(), tr.dy())
        self._last_frame = frame
        p.resetTransform()
        self._label_hits = self.painter.paint(
            p,
            self._arrays,
            lay,
            frame,
            selected=self._selected,
            hover_id=self._hover_id,
            label_widths=self.layouts.measured(),
            # (not while a big file loads: these are only its first lanes)
            strip=self._preview is None,
        )
        if self._drag is not None and self._drag.active:
            self.painter.paint_ghost(p, self._arrays, lay, frame, self._drag)

    # -- hit testing and mouse -------------------------------------------------------

    def event_at(self, pos: QPointF, *, scene: bool = False) -> int | None:
        """The id of the event drawn at ``pos`` (view/item coordinates, or scene ones).

        Marks are hit with a tolerance of a few pixels, and a drawn label counts as its
        event.
        """
        if scene:
            pos = self.mapFromScene(pos)
        i = self._hit_index(pos.x(), pos.y())
        return None if i is None else int(self._arrays.ids[i])

    def _hit_index(self, x: float, y: float) -> int | None:
        lay = self._layout
        g = self._view_geometry()
        if lay is None or g is None:
            return None
        return hit_index(self._arrays, lay, self.style, g.px_x, g.px_y, x, y, self._label_hits)

    def hoverEvent(self, ev: Any) -> None:
        if ev.isExit():
            self.set_hovered(None)
            if self._drag is None:
                self._set_cursor(None)
            return
        pos = ev.pos()
        i = self._hit_index(pos.x(), pos.y())
        self.set_hovered(None if i is None else int(self._arrays.ids[i]))
        if self._drag is None:
            edge = self._drag_zone(i, pos.x()) if self._editable and i is not None else None
            resize = edge in ("start", "end")
            self._set_cursor(Qt.CursorShape.SizeHorCursor if resize else None)

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        band = self.band_chip_at(ev.pos())
        if band is not None:
            self.toggle_band(band)
            return
        self.handle_click(ev.pos(), ev.modifiers(), double=ev.double())

    def handle_click(
        self, pos: QPointF, modifiers: Qt.KeyboardModifier, *, double: bool = False
    ) -> None:
        """Emit the click signals for a left click at ``pos`` (item coordinates)."""
        event_id = self.event_at(pos)
        if double:
            self.sigDoubleClicked.emit(event_id, float(pos.x()))
        else:
            self.sigClicked.emit(event_id, modifiers)

    # -- what was drawn --------------------------------------------------------------

    def visible_labels(self) -> list[tuple[int, int, float, float]]:
        """Labels drawn by the last paint: ``(event id, lane, x0, x1)``, x in axis seconds."""
        return [(lab.event_id, lab.lane, lab.x0, lab.x1) for lab in self.drawn_labels()]

    def drawn_labels(self) -> list[DrawnLabel]:
        """Labels drawn by the last paint, with side and text, lane by lane, left to right."""
        hits = self._label_hits
        return [] if hits is None else hits.drawn(self._arrays, self.labels)

    def tooltip_html(self, event_id: int) -> str:
        """Headline and date of an event, as tooltip rich text (the headline's own
        type styles kept, nothing else of its markup: see :func:`inline_html`)."""
        i = self._arrays.index_of(event_id)
        if i is None:
            return ""
        title = inline_html(self._arrays.titles[i])
        date = html.escape(self._arrays.dates[i])
        return f"<b>{title}</b><br/>{date}"
