"""One graphics item that draws every event of the timeline.

:class:`EventsItem` holds the (already filtered) events as :class:`EventArrays` and the
lane of each event (:mod:`viewer.model.lanes`).  Painting costs what is visible,
not how many events there are:

* the lanes on screen are known from the y range; within a lane the events are sorted
  and disjoint, so the visible ones are found with two binary searches per lane;
* positions are computed with numpy in device pixels and drawn in a few batched calls
  per colour: ``drawRects`` straight from a numpy buffer for bars, bands and faded ends
  (one object-bounding gradient brush fades every end of a colour at once), and
  ``drawPixmapFragments`` stamping pre-rendered sprites for diamonds, outlines and the
  rounded ends of bars.  No ``QPainterPath`` of many shapes: the raster engine fills
  those at ~10 µs a shape;
* a lane holding more events in view than there are 2-px columns is drawn as coloured
  occupancy columns instead; and when more events start in view than there are pixel
  columns, a density strip docked at the bottom of the view (starts per 2-px column,
  found by binary search on the sorted begins: ``O(columns · log n)``) shows where the
  events are, including those in lanes scrolled out of view;
* labels go on the side the layout chose for them (after the mark, before it near the
  right end of the data, or inside a bar that holds them), flip to the other side
  when the view's edge or a neighbour would cut them, and are elided only where
  neither side holds them (:func:`~viewer.model.lanes.place_labels`); they are
  measured lazily and drawn from an LRU cache of ``QStaticText``.

Editing (:meth:`EventsItem.set_editable`): pressing on an event (its mark or label) and
dragging moves it; pressing within :data:`RESIZE_PX` of a range's start or end drags
that end.  While dragging, a translucent ghost and a floating date label show where
the event would land, snapped to whole units of its dates' own precision
(:mod:`viewer.ui.timeline.drag`); the event itself is not touched until the mouse is
released, and then only through :attr:`EventsItem.sigDragged`.  The ghost is drawn
at the end of :meth:`EventsItem.paint` at a constant cost, and the item repaints only
when the snapped dates change, not on every mouse move.

Coordinates: x is axis seconds (:mod:`viewer.model.dates`), lane ``i`` is drawn
centred on ``y = i`` (lane 0 at the top when the view's y axis is inverted); the view
sets the y scale so that one lane is a row of about 26 pixels.  Marks, markers and
labels have fixed pixel sizes, all multiplied by one size factor
(:meth:`EventsItem.set_size_scale`, 1.0 by default; a presentation on a big screen
makes everything larger).  Lanes are packed in *base* pixels (device pixels divided by
that factor), where :mod:`~viewer.model.lanes`' fixed sizes (marker radius, gaps)
hold: every size in the packing then grows with the factor, and the lanes are those a
view ``factor`` times narrower would get at the normal size.
"""

from __future__ import annotations

import html
import math
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QPointF, QRectF, Qt, Signal

from viewer.model.colors import CATEGORY_COLORS, NEUTRAL_COLOR
from viewer.model.dates import DateError, PartialDate, Precision, format_range
from viewer.model.lanes import (
    AFTER,
    BEFORE,
    INSIDE,
    LABEL_GAP,
    MARKER_RADIUS,
    MIN_RANGE_PX,
    PIXEL_LAYOUT_LIMIT,
    event_extents,
    layout_lanes,
    mark_bounds,
    mark_geometry,
    needs_relayout,
    place_labels,
    snap_scale,
)
from viewer.store.columns import EventArrays, Patch, overlap_counts
from viewer.ui.timeline.drag import Edge, moved, resized
from viewer.ui.timeline.labels import LabelCache
from viewer.ui.timeline.layout import ViewLayout

__all__ = [
    "DEFAULT_COLORS",
    "DRAG_THRESHOLD_PX",
    "RESIZE_PX",
    "DateLookup",
    "DrawnLabel",
    "EventsItem",
]

#: The current dates of an event by id: ``(start, end)``, or ``None`` if unknown.
DateLookup = Callable[[int], tuple[PartialDate, PartialDate | None] | None]

#: The category palette, until the window sets the document's own colours.
DEFAULT_COLORS = CATEGORY_COLORS

BAR_HALF = 9.0  # half the height of a range bar (px)
BAND_HALF = 7.0  # half the height of a point's period band (px)
CORNER = 3.0  # corner radius of a bar (px)
FADE_ALPHA = 0.06  # alpha at the far end of a vague (month/year) start or end
BAR_ALPHA = 0.55
BAND_ALPHA = 0.22
MIN_BAND_PX = 3.0  # a point's period is shown as a band from this width on
LABEL_MAX_PX = 520.0  # longer titles are always elided (lanes reserve up to this)
MIN_LABEL_PX = 64.0  # a label elided to fit is never narrower than this
ELIDE_STEP = 16.0  # elided widths are rounded down to this step (fewer cached texts)
LABEL_LAYOUT_SLACK = 1.08  # room for the bold label of a selected event
STRIP_HEIGHT = 22.0  # density strip at the bottom of the view (px)
COLUMN_PX = 2.0  # width of a density / occupancy column (px)
HIT_TOLERANCE = 4.0  # px
LABEL_PLACE_GAP = 3.0  # free pixels between a label and the next mark
RELAYOUT_DELAY_MS = 150
VAGUE = int(Precision.DAY)  # a precision below this is drawn faded
RESIZE_PX = 5.0  # a press this close to a range's end takes hold of that end
DRAG_THRESHOLD_PX = 4.0  # a press and release moving less than this is a click
GHOST_ALPHA = 0.45

_STRIP_KERNEL = np.array([1.0, 2.0, 3.0, 4.0, 3.0, 2.0, 1.0]) / 16.0

_DARK_THEME = {
    "text": "#e8eaed",
    "background": "#1e1f22",
    "accent": "#58a6ff",
    "strip": "#9aa0a6",
}
_LIGHT_THEME = {
    "text": "#202124",
    "background": "#ffffff",
    "accent": "#1a66d9",
    "strip": "#5f6368",
}


@dataclass(frozen=True, slots=True)
class _Sizes:
    """Pixel sizes of marks and labels at one size factor (1.0: the module's constants).

    Heights, corners and the ring around a selected mark are whole pixels, so that bars
    and the sprites of their ends meet without seams.  Mouse tolerances (hit, drag,
    resize) stay as they are: they are about the hand, not the eye.
    """

    factor: float
    bar_half: float
    band_half: float
    corner: float
    ring: float  # how far the hover and selection outlines stand off a mark
    line: float  # width of a 1-px line
    dense_half: float  # half the height of an occupancy column
    strip_height: float
    marker_radius: float
    label_gap: float
    min_range: float
    label_max: float
    min_label: float
    elide_step: float
    place_gap: float
    diamond_px: float  # side of the (square) diamond sprite
    ring_px: float  # side of the (square) hover and selection sprites

    @classmethod
    def at(cls, factor: float) -> _Sizes:
        def whole(px: float) -> float:
            return float(max(1, round(px * factor)))

        marker = MARKER_RADIUS * factor
        ring = whole(3.0)
        return cls(
            factor=factor,
            bar_half=whole(BAR_HALF),
            band_half=whole(BAND_HALF),
            corner=whole(CORNER),
            ring=ring,
            line=max(1.0, factor),
            dense_half=whole(5.0),
            strip_height=whole(STRIP_HEIGHT),
            marker_radius=marker,
            label_gap=LABEL_GAP * factor,
            min_range=MIN_RANGE_PX * factor,
            label_max=LABEL_MAX_PX * factor,
            min_label=MIN_LABEL_PX * factor,
            elide_step=whole(ELIDE_STEP),
            place_gap=LABEL_PLACE_GAP * factor,
            # room for the outline around the shape (16 and 22 px at factor 1)
            diamond_px=2.0 * math.ceil(marker + 2.0),
            ring_px=2.0 * math.ceil(marker + ring + 2.0),
        )

    def sprite_size(self, kind: str) -> tuple[float, float]:
        if kind == "diamond":
            return self.diamond_px, self.diamond_px
        if kind in ("hover", "selected"):
            return self.ring_px, self.ring_px
        return self.corner, 2 * self.bar_half  # the rounded ends of bars


_NORMAL_SIZES = _Sizes.at(1.0)


@dataclass(frozen=True)
class DrawnLabel:
    """A label as the last paint drew it (see :meth:`EventsItem.drawn_labels`)."""

    event_id: int
    lane: int
    x0: float  # extent in axis seconds
    x1: float
    side: str  # "after", "before" or "inside" (its bar)
    text: str  # what was drawn: the whole title, or the title elided
    elided: bool


@dataclass
class _LabelHits:
    """Labels drawn by the last paint (arrays over them), for hit testing and tests."""

    index: np.ndarray  # event index in the arrays
    lanes: np.ndarray
    x0: np.ndarray  # extent in axis seconds
    x1: np.ndarray
    sides: np.ndarray  # AFTER, BEFORE, INSIDE
    bold: np.ndarray
    elide_to: np.ndarray  # 0: the whole title, else the room it was elided to (px)


@dataclass
class _Drag:
    """An event being dragged: what was taken hold of, and where it would land."""

    event_id: int
    index: int  # position in the arrays the drag started on
    edge: Edge
    start: PartialDate
    end: PartialDate | None
    press: QPointF  # item (view) coordinates of the press
    modifiers: Qt.KeyboardModifier
    active: bool = False  # moved beyond DRAG_THRESHOLD_PX (until then, a click)
    preview: tuple[PartialDate, PartialDate | None] | None = None
    label: str = ""

    def landing(self, delta: float) -> tuple[PartialDate, PartialDate | None]:
        """The dates after dragging by ``delta`` axis seconds (may raise DateError)."""
        if self.edge == "move" or self.end is None:
            return moved(self.start, self.end, delta)
        return resized(self.start, self.end, self.edge, delta)


def _draw_rects(p: QtGui.QPainter, rects: np.ndarray) -> None:
    """Draw ``(n, 4)`` rects ``x, y, w, h`` in one call, straight from the numpy buffer."""
    n = len(rects)
    if n == 0:
        return
    buf = np.ascontiguousarray(rects, dtype=np.float64)
    p.drawRects(shiboken6.wrapInstance(buf.ctypes.data, QRectF), n)


def _rects(x0: np.ndarray, x1: np.ndarray, yc: np.ndarray, half: float) -> np.ndarray:
    """``(n, 4)`` rects from ``x0`` to ``x1``, ``half`` pixels above and below ``yc``."""
    out = np.empty((len(x0), 4), dtype=np.float64)
    out[:, 0] = x0
    out[:, 1] = yc - half
    out[:, 2] = x1 - x0
    out[:, 3] = 2.0 * half
    return out


def _gradient(color: QtGui.QColor, a0: float, a1: float) -> QtGui.QBrush:
    """A left-to-right alpha ramp of ``color`` over each shape drawn with it."""
    g = QtGui.QLinearGradient(0.0, 0.0, 1.0, 0.0)
    g.setCoordinateMode(QtGui.QGradient.CoordinateMode.ObjectBoundingMode)
    g.setColorAt(0.0, _with_alpha(color, a0))
    g.setColorAt(1.0, _with_alpha(color, a1))
    return QtGui.QBrush(g)


def _draw_sprites(
    p: QtGui.QPainter, pixmap: QtGui.QPixmap, cx: np.ndarray, cy: np.ndarray, dpr: float
) -> None:
    """Stamp ``pixmap`` centred on each ``(cx, cy)`` in one ``drawPixmapFragments`` call."""
    n = len(cx)
    if n == 0:
        return
    frag = np.zeros((n, 10), dtype=np.float64)  # QPainter::PixmapFragment, field by field
    frag[:, 0] = cx
    frag[:, 1] = cy
    frag[:, 4] = pixmap.width()  # source size in device pixels
    frag[:, 5] = pixmap.height()
    frag[:, 6] = frag[:, 7] = 1.0 / dpr  # scale back to logical pixels
    frag[:, 9] = 1.0  # opacity
    p.drawPixmapFragments(
        shiboken6.wrapInstance(frag.ctypes.data, QtGui.QPainter.PixmapFragment), n, pixmap
    )


def _draw_fragments(
    p: QtGui.QPainter,
    atlas: QtGui.QPixmap,
    cx: np.ndarray,
    cy: np.ndarray,
    source: np.ndarray,
    dpr: float,
) -> None:
    """Stamp pieces of ``atlas`` centred on each ``(cx, cy)``, in one call; ``source``
    gives each piece's ``(left, top, width, height)`` in the atlas' device pixels."""
    n = len(cx)
    if n == 0:
        return
    frag = np.zeros((n, 10), dtype=np.float64)  # QPainter::PixmapFragment, field by field
    frag[:, 0] = cx
    frag[:, 1] = cy
    frag[:, 2:6] = source
    frag[:, 6] = frag[:, 7] = 1.0 / dpr  # scale back to logical pixels
    frag[:, 9] = 1.0  # opacity
    p.drawPixmapFragments(
        shiboken6.wrapInstance(frag.ctypes.data, QtGui.QPainter.PixmapFragment), n, atlas
    )


def _batches(keys: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, list[tuple[int, slice]]]:
    """Positions where ``mask`` holds, ordered by key, and the slice of each key's run.

    Draw data built once in this order is then drawn per colour by slicing, without
    selecting again for every colour.
    """
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return idx, []
    idx = idx[np.argsort(keys[idx], kind="stable")]
    k = keys[idx]
    cuts = (np.flatnonzero(k[1:] != k[:-1]) + 1).tolist()
    starts = [0, *cuts]
    stops = [*cuts, len(idx)]
    return idx, [(int(k[a]), slice(a, b)) for a, b in zip(starts, stops, strict=True)]


def _with_alpha(color: QtGui.QColor, alpha: float) -> QtGui.QColor:
    c = QtGui.QColor(color)
    c.setAlphaF(max(0.0, min(1.0, alpha)))
    return c


class EventsItem(pg.GraphicsObject):
    """All events of a timeline in one item: bars for ranges, diamonds for points.

    Give it the already filtered events with :meth:`set_data`; colours with
    :meth:`set_colors` (indexed by ``EventArrays.category``, ``-1`` is grey);
    :meth:`set_selected` outlines events and makes their labels bold; :meth:`set_dark`
    switches label and outline colours.  Lanes are re-laid out (debounced) when the
    horizontal scale changes by more than ~25 %, never on a pan.

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
    """

    sigHovered = Signal(object)
    sigClicked = Signal(object, object)
    sigDoubleClicked = Signal(object, float)
    sigLayoutChanged = Signal(int)
    sigDragged = Signal(int, object, object, bool)

    def __init__(self, parent: QtWidgets.QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self._arrays = EventArrays.empty()
        self._layout: ViewLayout | None = None
        # packed layouts by their scale key: (lanes, sides)
        self._layout_cache: OrderedDict[float, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._colors: list[QtGui.QColor | None] = [QtGui.QColor(c) for c in DEFAULT_COLORS]
        self._uncategorised = QtGui.QColor(NEUTRAL_COLOR)
        self._theme = dict(_LIGHT_THEME)
        self._dark = False
        self._selected_ids: set[int] = set()
        self._selected = np.zeros(0, dtype=bool)
        self._hover_id: int | None = None
        self._sizes = _NORMAL_SIZES
        self._labels = LabelCache()
        # widths of every label of a set laid out with its labels (regular font)
        self._label_width = np.zeros(0, dtype=np.float64)
        # what a progressive open knows before the events are read: the whole span
        # and the number of lanes (see set_preview)
        self._preview: tuple[tuple[float, float] | None, int] | None = None
        # labels drawn by the last paint, for hit testing
        self._label_hits: _LabelHits | None = None
        self._sprites: dict[tuple[str, int, str, float], QtGui.QPixmap] = {}
        self._atlases: dict[tuple[object, ...], tuple[QtGui.QPixmap, dict[str, np.ndarray]]] = {}
        self._brushes: dict[tuple[int, str], QtGui.QBrush] = {}
        self._bounds: QRectF | None = None
        self._bounds_key: tuple[float, float, float, float] | None = None
        self._relayout_timer = QtCore.QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(RELAYOUT_DELAY_MS)
        self._relayout_timer.timeout.connect(self.flush_layout)
        self._editable = False
        self._date_lookup: DateLookup | None = None
        self._drag: _Drag | None = None
        self.setZValue(10)

    # -- public API ------------------------------------------------------------------

    def set_data(self, arrays: EventArrays, *, layout: bool = True) -> None:
        """Show ``arrays`` (already filtered); lanes are laid out for the current zoom.

        With ``layout=False`` the lanes wait for :meth:`flush_layout` (or the first
        paint), for a caller that is about to change the zoom anyway.
        """
        self.prepareGeometryChange()
        self.cancel_drag()  # its index and lane belong to the old arrays
        self._arrays = arrays
        self._preview = None
        self._layout = None
        self._layout_cache.clear()
        self._label_hits = None
        self._labels.forget()
        self._measure_all()
        self._selected = self._selection_mask()
        self._bounds = None
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
        self._arrays = arrays
        self._layout_cache.clear()
        self._label_hits = None
        self._labels.forget(patch.ids.tolist())
        self._measure_all()
        self._selected = self._selection_mask()
        self._bounds = None
        self._relayout(self._current_scale() or self._fallback_scale())
        self.informViewBoundsChanged()
        self.update()

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
        return len(self._arrays) > PIXEL_LAYOUT_LIMIT

    def set_size_scale(self, factor: float) -> None:
        """Multiply the sizes of marks, labels and their gaps by ``factor`` (1.0: normal).

        The labels are measured again in the new font and the lanes laid out again
        (emitting ``sigLayoutChanged``), since what fits beside a mark changes.
        """
        factor = float(factor)
        if not (factor > 0 and math.isfinite(factor)):
            raise ValueError(f"size scale must be positive, not {factor!r}")
        if factor == self._sizes.factor:
            return
        self.prepareGeometryChange()
        self._sizes = _Sizes.at(factor)
        self._labels.set_size(factor)
        self._sprites.clear()
        self._atlases.clear()
        self._layout_cache.clear()
        self._measure_all()
        self._bounds = None
        if self._layout is not None:
            self._relayout(self._current_scale() or self._fallback_scale())
        self.update()

    def size_scale(self) -> float:
        return self._sizes.factor

    def label_font(self) -> QtGui.QFont:
        """The font labels are drawn in (bold for selected events)."""
        return QtGui.QFont(self._labels.font)

    def label_widths(self) -> np.ndarray:
        """Width (px) of each event's label as lanes reserve it, ``nan`` if not measured
        (only sets laid out with their labels are measured up front)."""
        if self.stored_lanes:
            return np.full(len(self._arrays), np.nan)
        return np.minimum(self._label_width, self._sizes.label_max)

    def label_reach(self, scale: float) -> tuple[float, float]:
        """How far (px) marks and labels laid out at ``scale`` px/s reach beyond the
        data span: ``(before its start, after its end)``, each at least 0.

        Labels go where a layout at this scale would put them, so this is what a view
        showing everything needs as margins.  Only measured labels count (sets of at
        most :data:`PIXEL_LAYOUT_LIMIT` events).
        """
        a = self._arrays
        span = a.span()
        if span is None or not (scale > 0 and math.isfinite(scale)):
            return 0.0, 0.0
        widths = self._layout_widths()
        if widths is None:  # marks alone: none reaches further than a marker
            return self._sizes.marker_radius, self._sizes.marker_radius
        # in base pixels (see the module's docstring), then back in device pixels
        factor = self._sizes.factor
        base = scale / factor
        key = snap_scale(base)
        cached = self._layout_cache.get(key)
        sides = cached[1] if cached is not None else None
        if sides is None:
            sides = event_extents(a.begin, a.finish, a.is_range, key, widths)[2]
        lo, hi, _ = event_extents(a.begin, a.finish, a.is_range, base, widths, sides=sides)
        right = float(hi.max()) - (span[1] - span[0]) * base
        return max(0.0, -float(lo.min())) * factor, max(0.0, right) * factor

    def lanes_at(self, scale: float) -> np.ndarray:
        """Lane of every event (data order) in a layout made for ``scale`` px/s.

        These are the lanes a view at that zoom shows once laid out afresh
        (:meth:`relayout`); nothing drawn changes.  A layout already made for that
        zoom is reused, and one made here is not kept.  Stored lanes are the same at
        every zoom.
        """
        a = self._arrays
        if len(a) == 0:
            return np.zeros(0, dtype=np.int32)
        if self.stored_lanes:
            lay = self._layout if self._layout is not None else ViewLayout.stored(a)
            return lay.lanes
        key = self._layout_key(scale)
        cached = self._layout_cache.get(key)
        if cached is None:
            cached = layout_lanes(a.begin, a.finish, a.is_range, key, self._layout_widths())
        return cached[0]

    def _layout_key(self, scale: float) -> float:
        """The key (snapped scale in base pixels per second) of a layout for ``scale``."""
        return snap_scale(scale / self._sizes.factor)

    def _layout_widths(self) -> np.ndarray | None:
        """Label widths lanes reserve (room for a bold label) in base pixels, or ``None``
        (large sets)."""
        if self.stored_lanes:
            return None
        return self.label_widths() * (LABEL_LAYOUT_SLACK / self._sizes.factor)

    def _measure_all(self) -> None:
        """Measure every label of a set small enough to lay out with its labels."""
        a = self._arrays
        if self.stored_lanes or len(a) == 0:
            self._label_width = np.zeros(0, dtype=np.float64)
            return
        self._label_width = self._labels.widths(a, np.arange(len(a)), False)

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

    def set_colors(
        self,
        colors: Iterable[QtGui.QColor | str | None],
        uncategorised: QtGui.QColor | str | None = None,
    ) -> None:
        """Colours by category key (``EventArrays.category``; cycled when there are more
        keys); a ``None`` colour, a key of ``-1`` (no category) and keys with no colour
        are drawn in ``uncategorised`` (default: neutral grey)."""
        cols = [None if c is None else QtGui.QColor(c) for c in colors]
        self._colors = cols or [QtGui.QColor(c) for c in DEFAULT_COLORS]
        self._uncategorised = QtGui.QColor(uncategorised or NEUTRAL_COLOR)
        self._brushes.clear()
        self._atlases.clear()
        self.update()

    def set_selected(self, ids: Iterable[int]) -> None:
        self._selected_ids = {int(i) for i in ids}
        self._selected = self._selection_mask()
        self.update()

    def selected(self) -> set[int]:
        return set(self._selected_ids)

    def set_hovered(self, event_id: int | None) -> None:
        """Highlight an event as if the mouse were over it (emits ``sigHovered``)."""
        if event_id != self._hover_id:
            self._hover_id = event_id
            self.update()
            self.sigHovered.emit(event_id)

    def hovered(self) -> int | None:
        return self._hover_id

    def set_dark(self, dark: bool) -> None:
        self._dark = bool(dark)
        self._theme = dict(_DARK_THEME if dark else _LIGHT_THEME)
        self.update()

    def is_dark(self) -> bool:
        return self._dark

    def set_editable(self, editable: bool) -> None:
        """Allow dragging events to move and resize them (needs :meth:`set_date_lookup`)."""
        self._editable = bool(editable)
        if not self._editable:
            self.cancel_drag()
            self._set_cursor(None)

    def is_editable(self) -> bool:
        return self._editable

    def set_date_lookup(self, lookup: DateLookup | None) -> None:
        """Where a drag finds the dates of an event: the arrays only hold positions."""
        self._date_lookup = lookup

    def is_dragging(self) -> bool:
        """Whether a press on an event is being dragged (until release or cancel)."""
        return self._drag is not None

    def drag_preview(self) -> tuple[PartialDate, PartialDate | None] | None:
        """The dates the dragged event would get if released now, or ``None``."""
        drag = self._drag
        return drag.preview if drag is not None and drag.active else None

    def cancel_drag(self) -> bool:
        """Drop the drag in progress (Esc): nothing changes; ``False`` if none."""
        drag = self._drag
        if drag is None:
            return False
        self._drag = None
        self._set_cursor(None)
        if drag.active:
            self._invalidate_bounds()
            self.update()
        return True

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
        if self._layout is None or needs_relayout(self._layout.scale, scale / self._sizes.factor):
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
        if self._layout is None or self._layout.scale != self._layout_key(scale):
            self._relayout(scale)

    def event_at(self, pos: QPointF, *, scene: bool = False) -> int | None:
        """The id of the event drawn at ``pos`` (view/item coordinates, or scene ones).

        Marks are hit with a tolerance of a few pixels, and a drawn label counts as its
        event.
        """
        if scene:
            pos = self.mapFromScene(pos)
        i = self._hit_index(pos.x(), pos.y())
        return None if i is None else int(self._arrays.ids[i])

    # -- geometry --------------------------------------------------------------------

    def _view_geometry(self) -> tuple[float, float, float, float, float, float] | None:
        """``(x0, x1, y0, y1, px per second, px per lane)`` of the view, or ``None``."""
        vb = self.getViewBox()
        if vb is None or not hasattr(vb, "viewRange"):
            return None
        (x0, x1), (y0, y1) = vb.viewRange()
        w, h = vb.width(), vb.height()
        if w <= 0 or h <= 0 or x1 <= x0 or y1 <= y0:
            return None
        return x0, x1, y0, y1, w / (x1 - x0), h / (y1 - y0)

    def _current_scale(self) -> float | None:
        g = self._view_geometry()
        return None if g is None else g[4]

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
        sz = self._sizes
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
        pw, ph = (1.0 / g[4], 1.0 / g[5]) if g is not None else (0.0, 0.0)
        # labels may go before a mark as well as after it
        x0 = span[0] - self.pixelPadding() * pw
        x1 = span[1] + self.pixelPadding() * pw
        reach = (self._sizes.bar_half + self._sizes.ring + 1.0) * ph
        y0 = -0.5 - reach
        y1 = max(self.lane_count, 1) - 0.5 + reach
        if g is not None:
            # the density strip is docked to the bottom of the view
            y0 = min(y0, g[2])
            y1 = max(y1, g[3])
        ghost = self._ghost_extent(pw)
        if ghost is not None:
            x0, x1 = min(x0, ghost[0]), max(x1, ghost[1])
        self._bounds_key = self._geometry_key(g) if g is not None else None
        return QRectF(x0, y0, x1 - x0, y1 - y0)

    def _ghost_extent(self, pw: float) -> tuple[float, float] | None:
        """What the drag preview may cover in x (its marks and floating label)."""
        drag = self._drag
        if drag is None or not drag.active or drag.preview is None:
            return None
        s, e = drag.preview
        pad = self.pixelPadding() * pw
        return s.begin() - pad, (e or s).finish() + pad

    @staticmethod
    def _geometry_key(g: tuple[float, float, float, float, float, float]) -> tuple[float, ...]:
        """What the bounds depend on: pixel size and y range (not the x position, so a
        pan does not change the geometry; rounding hides float noise of a pan)."""
        return (float(f"{1.0 / g[4]:.9g}"), float(f"{1.0 / g[5]:.9g}"), g[2], g[3])

    def _invalidate_bounds(self) -> None:
        self.prepareGeometryChange()
        self._bounds = None

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        g = self._view_geometry()
        if g is None:
            return
        key = self._geometry_key(g)
        if key != self._bounds_key:
            self._invalidate_bounds()
        lay = self._layout
        if (
            lay is not None
            and lay.scale is not None
            and needs_relayout(lay.scale, g[4] / self._sizes.factor)
        ):
            self._relayout_timer.start()

    def viewRangeChanged(self) -> None:
        super().viewRangeChanged()
        self.viewTransformChanged()

    # -- layout ----------------------------------------------------------------------

    def _notify_layout(self) -> None:
        self.sigLayoutChanged.emit(self.lane_count)

    def _relayout(self, scale: float, *, notify: bool = True) -> None:
        a = self._arrays
        n_before = self.lane_count
        if len(a) == 0:
            self._layout = None
        elif self.stored_lanes:
            self._layout = ViewLayout.stored(a)
        else:
            key = self._layout_key(scale)
            cached = self._layout_cache.get(key)
            if cached is None:
                widths = self._layout_widths()
                cached = layout_lanes(a.begin, a.finish, a.is_range, key, widths)
                self._layout_cache[key] = cached
                while len(self._layout_cache) > 8:
                    self._layout_cache.popitem(last=False)
            else:
                self._layout_cache.move_to_end(key)
            self._layout = ViewLayout.packed(a, key, *cached)
        self._label_hits = None
        if self.lane_count != n_before:
            self._invalidate_bounds()
        self.update()
        if notify:
            self.sigLayoutChanged.emit(self.lane_count)

    def _selection_mask(self) -> np.ndarray:
        mask = np.zeros(len(self._arrays), dtype=bool)
        if self._selected_ids and len(self._arrays):
            found = self._arrays.indices_of(np.fromiter(self._selected_ids, dtype=np.int64))
            mask[found[found >= 0]] = True
        return mask

    # -- painting --------------------------------------------------------------------

    def _color(self, key: int) -> QtGui.QColor:
        color = self._colors[key % len(self._colors)] if key >= 0 else None
        return color if color is not None else self._uncategorised

    def _color_keys(self, ev: np.ndarray) -> np.ndarray:
        cat = self._arrays.category[ev]
        return np.where(cat < 0, -1, cat % len(self._colors))

    def paint(self, p: QtGui.QPainter, *args: Any) -> None:
        a = self._arrays
        if len(a) == 0:
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
        sx, ox, sy, oy = tr.m11(), tr.dx(), tr.m22(), tr.dy()
        x0, x1, y0, y1 = g[0], g[1], g[2], g[3]
        left, right = sorted((sx * x0 + ox, sx * x1 + ox))
        top, bottom = sorted((sy * y0 + oy, sy * y1 + oy))
        width = right - left
        n_columns = max(1, int(width / COLUMN_PX))

        strip_height = self._sizes.strip_height
        p.save()
        p.resetTransform()
        # more events starting in view than pixel columns: show the density strip
        starts = np.searchsorted(a.begin, [x0, x1])
        # (not while a big file loads: these are only its first lanes)
        strip = bool(starts[1] - starts[0] > width) and self._preview is None
        p.save()  # the clip that keeps events off the strip
        if strip:
            p.setClipRect(
                QRectF(left, top, width, bottom - top - strip_height),
                Qt.ClipOperation.IntersectClip,
            )

        # visible lanes, then the visible events of each lane by binary search
        pad = (self._sizes.marker_radius + HIT_TOLERANCE) / abs(sx)
        la = max(0, math.floor(min(y0, y1) - 0.5))
        lb = min(lay.n_lanes - 1, math.ceil(max(y0, y1) + 0.5))
        parts: list[np.ndarray] = []
        dense: list[tuple[int, int, int]] = []
        for lane in range(la, lb + 1):
            o0, o1 = int(lay.offsets[lane]), int(lay.offsets[lane + 1])
            lo = o0 + int(np.searchsorted(lay.lane_finish[o0:o1], x0 - pad, side="right"))
            hi = o0 + int(np.searchsorted(lay.lane_begin[o0:o1], x1 + pad, side="left"))
            if hi - lo > n_columns:
                dense.append((lane, o0, o1))
            elif hi > lo:
                parts.append(np.arange(lo, hi, dtype=np.int64))
        pos = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

        if dense:
            self._paint_dense_lanes(p, dense, lay, sx, ox, sy, oy, left, right)
        if len(pos):
            text_bottom = bottom - (strip_height if strip else 0.0)
            self._paint_events(p, pos, lay, sx, ox, sy, oy, (left, right, top, text_bottom))
        p.restore()
        if strip:
            self._paint_strip(p, sx, ox, left, right, bottom)
        if self._drag is not None and self._drag.active:
            self._paint_drag(p, self._drag, lay, sx, ox, sy, oy, (left, right, top, bottom))
        p.restore()

    def _paint_events(
        self,
        p: QtGui.QPainter,
        pos: np.ndarray,
        lay: ViewLayout,
        sx: float,
        ox: float,
        sy: float,
        oy: float,
        area: tuple[float, float, float, float],
    ) -> None:
        """Marks of the visible events, batched per colour, then their labels.

        Filling a ``QPainterPath`` of many shapes is slow in the raster engine (it costs
        ~10 µs per shape), so nothing here uses one: bars and bands are ``drawRects``,
        diamonds and the rounded ends of bars are pre-rendered sprites stamped with
        ``drawPixmapFragments``.  Everything is aligned to whole pixels so that sprites
        and rects meet without seams.
        """
        a = self._arrays
        th = self._theme
        sz = self._sizes
        corner = sz.corner
        left, right = area[0], area[1]
        ev = lay.order[pos]
        lane = lay.lanes[ev]
        bx0 = sx * a.begin[ev] + ox
        bx1 = sx * a.finish[ev] + ox
        yc = sy * lane + oy
        yi = np.floor(yc + 0.5)
        rng = a.is_range[ev]
        pt = ~rng
        keys = self._color_keys(ev)
        far_l, far_r = left - 50.0, right + 50.0
        dpr = p.device().devicePixelRatio() if p.device() is not None else 1.0

        def px(x: np.ndarray) -> np.ndarray:
            return np.floor(np.clip(x, far_l, far_r) + 0.5)

        # points: the band of the period (when wide enough) and a diamond at its middle
        cx = (bx0 + bx1) * 0.5
        band = pt & (bx1 - bx0 >= MIN_BAND_PX)
        # ranges: a bar with faded ends where the start/end is only a month or a year
        bar_end = np.maximum(bx1, bx0 + sz.min_range)
        s_fade = rng & (a.start_precision[ev] < VAGUE)
        e_fade = rng & (a.end_precision[ev] < VAGUE)
        # (a start and end may share a period: "1914 – 5 January 1914")
        sfx = np.where(s_fade, np.minimum(sx * a.start_finish[ev] + ox, bar_end), bx0)
        ebx = np.where(e_fade, np.maximum(sx * a.end_begin[ev] + ox, bx0), bar_end)
        s_fade &= (sfx - bx0) >= 2.0
        e_fade &= (bar_end - ebx) >= 2.0
        sfx = np.where(s_fade, sfx, bx0)
        ebx = np.where(e_fade, ebx, bar_end)
        meet = sfx > ebx
        mid = (sfx + ebx) * 0.5
        sfx = np.where(meet, mid, sfx)
        ebx = np.where(meet, mid, ebx)
        b0i, b1i = px(bx0), px(bar_end)
        b1i = np.maximum(b1i, b0i + 1.0)
        si = np.clip(px(sfx), b0i, b1i)
        ei = np.clip(px(ebx), si, b1i)
        # rounded ends where the bar really ends there (not faded, not cut by the view)
        room = rng & ((ei - si) >= 2 * corner + 1)
        cap_l = room & ~s_fade & (bx0 >= far_l)
        cap_r = room & ~e_fade & (bar_end <= far_r)

        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        p.setPen(Qt.PenStyle.NoPen)
        # bands of points
        idx, runs = _batches(keys, band)
        if runs:
            rects = _rects(px(bx0[idx]), px(bx1[idx]), yi[idx], sz.band_half)
            for key, run in runs:
                p.setBrush(self._brush(key, "band"))
                _draw_rects(p, rects[run])
        # faded starts and ends of ranges
        for fade_in, mask, xa, xb in ((True, s_fade, bx0, sfx), (False, e_fade, ebx, bar_end)):
            idx, runs = _batches(keys, mask)
            for key, run in runs:
                k = idx[run]
                self._paint_fades(p, key, fade_in, xa[k], xb[k], yi[k], far_l, far_r)
        # solid parts of bars, with sprites for their rounded ends
        idx, runs = _batches(keys, rng & (ei > si))
        if runs:
            xa = si[idx] + np.where(cap_l[idx], corner, 0.0)
            xb = ei[idx] - np.where(cap_r[idx], corner, 0.0)
            rects = _rects(xa, xb, yi[idx], sz.bar_half)
            for key, run in runs:
                p.setBrush(self._brush(key, "bar"))
                _draw_rects(p, rects[run])
        # every rounded end and diamond, of every colour, in one call from an atlas
        atlas, places = self._atlas(np.unique(keys).tolist(), dpr)
        parts = []
        for kind, mask, x in (
            ("cap_l", cap_l, si + corner / 2),
            ("cap_r", cap_r, ei - corner / 2),
            ("diamond", pt, np.floor(cx + 0.5)),
        ):
            k = np.flatnonzero(mask)
            if len(k):
                source = places[kind][keys[k]]  # (left, top, width, height) by colour
                parts.append((x[k], yi[k], source))
        if parts:
            _draw_fragments(
                p,
                atlas,
                np.concatenate([a for a, _b, _c in parts]),
                np.concatenate([b for _a, b, _c in parts]),
                np.concatenate([c for _a, _b, c in parts]),
                dpr,
            )

        # hover and selection outlines
        sel = self._selected[ev] if len(self._selected) == len(a) else np.zeros(len(ev), bool)
        hover = np.zeros(len(ev), dtype=bool)
        if self._hover_id is not None:
            hover = a.ids[ev] == self._hover_id
        ring = sz.ring
        for mask, kind, color, width in (
            (hover & ~sel, "hover", _with_alpha(QtGui.QColor(th["text"]), 0.7), sz.line),
            (sel, "selected", QtGui.QColor(th["accent"]), 2.0 * sz.line),
        ):
            if not np.any(mask):
                continue
            m = np.flatnonzero(mask & rng)
            if len(m):
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.setPen(QtGui.QPen(color, width))
                _draw_rects(p, _rects(b0i[m] - ring, b1i[m] + ring, yi[m], sz.bar_half + ring))
                p.setPen(Qt.PenStyle.NoPen)
            m = np.flatnonzero(mask & pt)
            if len(m):
                sprite = self._sprite(kind, color, dpr)
                _draw_sprites(p, sprite, np.floor(cx[m] + 0.5), yi[m], dpr)

        self._paint_labels(p, pos, ev, lay, lane, bx0, bx1, yi, sel, sx, ox, area)

    def _paint_drag(
        self,
        p: QtGui.QPainter,
        drag: _Drag,
        lay: ViewLayout,
        sx: float,
        ox: float,
        sy: float,
        oy: float,
        area: tuple[float, float, float, float],
    ) -> None:
        """The dragged event where it would land: a ghost and its new date."""
        if drag.preview is None or drag.index >= len(lay.lanes):
            return
        left, right, top, bottom = area
        sz = self._sizes
        bar_half, corner = sz.bar_half, sz.corner
        start, end = drag.preview
        i = drag.index
        far_l, far_r = left - 50.0, right + 50.0
        x0 = sx * start.begin() + ox
        x1 = sx * (end or start).finish() + ox
        yc = math.floor(sy * float(lay.lanes[i]) + oy + 0.5)
        color = self._color(int(self._color_keys(np.array([i]))[0]))
        accent = QtGui.QColor(self._theme["accent"])
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setPen(QtGui.QPen(accent, 1.5 * sz.line, Qt.PenStyle.DashLine))
        p.setBrush(_with_alpha(color, GHOST_ALPHA))
        if end is not None:
            x1 = max(x1, x0 + sz.min_range)
            a, b = max(x0, far_l), min(x1, far_r)
            p.drawRoundedRect(QRectF(a, yc - bar_half, b - a, 2 * bar_half), corner, corner)
            anchor = x1 if drag.edge == "end" else x0
        else:
            if x1 - x0 >= MIN_BAND_PX:
                a, b = max(x0, far_l), min(x1, far_r)
                p.drawRect(QRectF(a, yc - sz.band_half, b - a, 2 * sz.band_half))
            cx = (x0 + x1) * 0.5
            r = sz.marker_radius + sz.line
            p.drawPolygon(
                QtGui.QPolygonF(
                    [
                        QPointF(cx, yc - r),
                        QPointF(cx + r, yc),
                        QPointF(cx, yc + r),
                        QPointF(cx - r, yc),
                    ]
                )
            )
            anchor = cx
        # the new date in a small box above the ghost (below it in the top lane)
        pad = 5.0 * sz.factor
        metrics = self._labels.metrics
        w = math.ceil(metrics.horizontalAdvance(drag.label)) + 2 * pad
        h = math.ceil(metrics.height()) + 4.0 * sz.factor
        if drag.edge == "end":
            lx = anchor - w
        elif end is None:
            lx = anchor - w / 2
        else:
            lx = anchor
        lx = min(max(lx, left + 2.0), right - 2.0 - w)
        ly = yc - bar_half - pad - h
        if ly < top + 1.0 and yc + bar_half + pad + h <= bottom:
            ly = yc + bar_half + pad
        box = QRectF(lx, ly, w, h)
        p.setPen(QtGui.QPen(accent, sz.line))
        p.setBrush(_with_alpha(QtGui.QColor(self._theme["background"]), 0.94))
        p.drawRoundedRect(box, 4.0 * sz.factor, 4.0 * sz.factor)
        p.setPen(QtGui.QColor(self._theme["text"]))
        p.setFont(self._labels.font)
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, drag.label)

    def _sprite(self, kind: str, color: QtGui.QColor, dpr: float) -> QtGui.QPixmap:
        """A small pre-rendered shape (diamond, ring, rounded bar end), cached."""
        key = (kind, color.rgba(), self._theme["background"], dpr)
        pm = self._sprites.get(key)
        if pm is not None:
            return pm
        sz = self._sizes
        w, h = sz.sprite_size(kind)
        pm = QtGui.QPixmap(round(w * dpr), round(h * dpr))
        pm.setDevicePixelRatio(dpr)
        pm.fill(Qt.GlobalColor.transparent)
        q = QtGui.QPainter(pm)
        q.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        if kind in ("diamond", "hover", "selected"):
            r = sz.marker_radius if kind == "diamond" else sz.marker_radius + sz.ring
            c = w / 2
            poly = QtGui.QPolygonF(
                [QPointF(c, c - r), QPointF(c + r, c), QPointF(c, c + r), QPointF(c - r, c)]
            )
            if kind == "diamond":
                q.setPen(QtGui.QPen(QtGui.QColor(self._theme["background"]), 1.5 * sz.line))
                q.setBrush(color)
            else:
                q.setPen(QtGui.QPen(color, (2.0 if kind == "selected" else 1.5) * sz.line))
                q.setBrush(Qt.BrushStyle.NoBrush)
            q.drawPolygon(poly)
        else:  # the rounded left or right end of a bar, one corner radius wide
            q.setPen(Qt.PenStyle.NoPen)
            q.setBrush(_with_alpha(color, BAR_ALPHA))
            corner = sz.corner
            x = 0.0 if kind == "cap_l" else -2 * corner
            q.drawRoundedRect(QRectF(x, 0.0, 3 * corner, h), corner, corner)
        q.end()
        if len(self._sprites) > 256:
            self._sprites.clear()
        self._atlases.clear()
        self._sprites[key] = pm
        return pm

    def _atlas(self, keys: list[int], dpr: float) -> tuple[QtGui.QPixmap, dict[str, np.ndarray]]:
        """One pixmap with the rounded ends and the diamond of every colour of ``keys``
        (a row each), and where each is in it: ``places[kind][key]`` is ``(left, top,
        width, height)`` in device pixels (rows for other keys are zero)."""
        wanted = tuple(sorted(keys))
        cache_key = (wanted, self._theme["background"], dpr, self._sizes.factor)
        found = self._atlases.get(cache_key)
        if found is not None:
            return found
        kinds = ("cap_l", "cap_r", "diamond")
        sprites = {
            (kind, k): self._sprite(kind, self._color(k), dpr) for kind in kinds for k in wanted
        }
        widths = [max(sprites[(kind, k)].width() for k in wanted) for kind in kinds]
        row = max(pm.height() for pm in sprites.values())
        atlas = QtGui.QPixmap(sum(widths), row * len(wanted))
        atlas.setDevicePixelRatio(1.0)  # coordinates in device pixels
        atlas.fill(Qt.GlobalColor.transparent)
        size = max(wanted) + 2  # key -1 (none) goes in the last slot
        places = {kind: np.zeros((size, 4)) for kind in kinds}
        q = QtGui.QPainter(atlas)
        left = 0
        for kind, width in zip(kinds, widths, strict=True):
            for r, k in enumerate(wanted):
                pm = sprites[(kind, k)]
                pm_plain = QtGui.QPixmap(pm)
                pm_plain.setDevicePixelRatio(1.0)
                q.drawPixmap(left, r * row, pm_plain)
                places[kind][k] = (left, r * row, pm.width(), pm.height())
            left += width
        q.end()
        if len(self._atlases) > 16:
            self._atlases.clear()
        self._atlases[cache_key] = (atlas, places)
        return atlas, places

    def _paint_fades(
        self,
        p: QtGui.QPainter,
        key: int,
        fade_in: bool,
        xa: np.ndarray,
        xb: np.ndarray,
        yc: np.ndarray,
        far_l: float,
        far_r: float,
    ) -> None:
        """Segments whose alpha ramps from :data:`FADE_ALPHA` to :data:`BAR_ALPHA`.

        A gradient in object-bounding mode is laid over each rect of a ``drawRects``
        call on its own, so all segments of a colour take one call.  The few segments cut
        by the edge of the view (huge ones, when zoomed in) get a gradient of their own
        covering just the visible part of the ramp.
        """
        half = self._sizes.bar_half
        ca = np.clip(xa, far_l, far_r)
        cb = np.clip(xb, far_l, far_r)
        cut = (ca != xa) | (cb != xb)
        ra, rb = np.floor(ca + 0.5), np.floor(cb + 0.5)  # whole pixels, as the bars
        whole = ~cut & (rb > ra)
        if whole.all():
            p.setBrush(self._brush(key, "fade_in" if fade_in else "fade_out"))
            _draw_rects(p, _rects(ra, rb, yc, half))
            return
        if whole.any():
            p.setBrush(self._brush(key, "fade_in" if fade_in else "fade_out"))
            _draw_rects(p, _rects(ra[whole], rb[whole], yc[whole], half))
        lo, hi = (FADE_ALPHA, BAR_ALPHA) if fade_in else (BAR_ALPHA, FADE_ALPHA)
        color = self._color(key)
        for k in np.flatnonzero(cut & (rb > ra)).tolist():
            span = xb[k] - xa[k]
            t0, t1 = (ca[k] - xa[k]) / span, (cb[k] - xa[k]) / span
            p.setBrush(_gradient(color, lo + (hi - lo) * t0, lo + (hi - lo) * t1))
            p.drawRect(QRectF(ra[k], yc[k] - half, rb[k] - ra[k], 2 * half))

    def _brush(self, key: int, kind: str) -> QtGui.QBrush:
        """The brush of colour ``key`` for a kind of mark (cached until colours change)."""
        brush = self._brushes.get((key, kind))
        if brush is None:
            color = self._color(key)
            if kind == "fade_in":
                brush = _gradient(color, FADE_ALPHA, BAR_ALPHA)
            elif kind == "fade_out":
                brush = _gradient(color, BAR_ALPHA, FADE_ALPHA)
            else:
                alpha = {"band": BAND_ALPHA, "bar": BAR_ALPHA, "dense": 0.85}[kind]
                brush = QtGui.QBrush(_with_alpha(color, alpha))
            self._brushes[(key, kind)] = brush
        return brush

    def _paint_labels(
        self,
        p: QtGui.QPainter,
        pos: np.ndarray,
        ev: np.ndarray,
        lay: ViewLayout,
        lane: np.ndarray,
        bx0: np.ndarray,
        bx1: np.ndarray,
        yc: np.ndarray,
        sel: np.ndarray,
        sx: float,
        ox: float,
        area: tuple[float, float, float, float],
    ) -> None:
        """Labels beside (or inside) their marks, whole wherever a side holds them.

        Each label takes the side its layout chose, else the other side, else it is
        elided where there is more room (:func:`place_labels`): never cut by the view's
        edge, never over another label or a mark of its lane.
        """
        left, right, top, bottom = area
        a = self._arrays
        sz = self._sizes
        self._label_hits = None
        labels = self._labels
        half = labels.metrics.height() * 0.5
        # Cull first, cheaply: no label has more room than the free span between the
        # neighbouring marks of its lane (in seconds, from the layout), nor is one drawn
        # in a lane the view cuts
        view0, view1 = (left - ox) / sx, (right - ox) / sx
        nb, pf = lay.neighbours(pos)
        free = (np.minimum(nb, view1) - np.maximum(pf, view0)) * sx - sz.place_gap
        known = len(self._label_width) == len(a)  # every label measured (a small set)
        if not known:
            need: np.ndarray | float = sz.min_label  # labels are measured only when shown
        else:
            need = np.fmin(self._label_width[ev], sz.min_label)
        keep = np.flatnonzero(
            (free >= need) & (free > 0) & (yc - half >= top) & (yc + half <= bottom)
        )
        if len(keep) == 0:
            return
        pos, ev, lane, yc, sel = pos[keep], ev[keep], lane[keep], yc[keep], sel[keep]
        has_next, has_prev = np.isfinite(nb[keep]), np.isfinite(pf[keep])
        last = len(lay.order) - 1
        marks = {"marker_radius": sz.marker_radius, "min_range": sz.min_range}
        geo = mark_geometry(bx0[keep], bx1[keep], a.is_range[ev], label_gap=sz.label_gap, **marks)
        side = lay.sides_of(ev, np.where(geo.is_range, geo.hi - geo.lo, 0.0) / sz.factor)
        inside = side == INSIDE
        # a label inside a bar stays in view while the bar's start is scrolled out
        after = np.where(inside, np.maximum(geo.inside, left + sz.label_gap), geo.after)
        before = geo.before
        # where the neighbouring marks in the lane end and begin
        nev = lay.order[np.minimum(pos + 1, last)]
        pev = lay.order[np.maximum(pos - 1, 0)]
        next_lo, _ = mark_bounds(
            sx * a.begin[nev] + ox, sx * a.finish[nev] + ox, a.is_range[nev], **marks
        )
        _, prev_hi = mark_bounds(
            sx * a.begin[pev] + ox, sx * a.finish[pev] + ox, a.is_range[pev], **marks
        )
        right_limit = np.where(has_next, next_lo, np.inf)
        left_limit = np.where(has_prev, prev_hi, -np.inf)
        # only labels with some room on a side are measured and placed
        room = np.maximum(
            np.where(after >= left, np.minimum(right_limit, right) - after, -np.inf),
            np.where(before <= right, before - np.maximum(left_limit, left), -np.inf),
        )
        room -= sz.place_gap
        # (bold widths are measured below, for the candidates only)
        full = np.where(sel, np.nan, self._label_width[ev]) if known else np.full(len(ev), np.nan)
        cand = np.flatnonzero((room >= np.fmin(full, sz.min_label)) & (room > 0))
        if len(cand) == 0:
            return
        bold = sel[cand]
        full = labels.widths(a, ev[cand], bold)
        cids = a.ids[ev[cand]].tolist()
        ctext = [labels.known_text(i) for i in cids]
        # a bar that holds its whole label here holds it, whatever the layout (made at
        # another scale, or without widths) expected
        c_after = after[cand]
        c_side = side[cand]
        bar0 = np.maximum(geo.inside[cand], left + sz.label_gap)
        bar1 = np.minimum(geo.hi[cand], right) - sz.label_gap
        held = geo.is_range[cand] & (full <= bar1 - bar0)
        c_after = np.where(held, bar0, c_after)
        c_side = np.where(held, INSIDE, c_side)
        placed = place_labels(
            lane[cand],
            full,
            c_after,
            before[cand],
            right_limit[cand],
            left_limit[cand],
            c_side == BEFORE,
            min_x=left,
            max_x=right,
            gap=sz.place_gap,
            min_width=sz.min_label,
            # the cap is on the regular font: a title selected (bold) stays whole
            max_width=np.where(bold, sz.label_max * LABEL_LAYOUT_SLACK, sz.label_max),
            step=sz.elide_step,
        )
        shown = np.flatnonzero(placed.shown)
        if len(shown) == 0:
            return
        x0 = placed.x0.copy()
        width = placed.width.copy()
        elide_to = np.where(placed.elided, placed.width, 0.0).astype(np.int64)
        # an elided text is a little narrower than its room: right-align it before its mark
        for j in np.flatnonzero(placed.elided).tolist():
            width[j] = labels.elide(cids[j], ctext[j], bool(bold[j]), int(elide_to[j]))[1]
            if placed.before[j]:
                x0[j] = before[cand[j]] - width[j]
        height = labels.metrics.height()
        p.setPen(QtGui.QColor(self._theme["text"]))
        xs = x0.tolist()
        ys = (yc[cand] - height * 0.5).tolist()
        for is_bold in (False, True):
            which = shown[bold[shown] == is_bold].tolist()
            if not which:
                continue
            p.setFont(labels.bold if is_bold else labels.font)
            for j in which:
                st = labels.static_text(cids[j], ctext[j], is_bold, int(elide_to[j]))
                p.drawStaticText(QPointF(xs[j], ys[j]), st)
        sides = np.where(placed.before, BEFORE, np.where(c_side == INSIDE, INSIDE, AFTER))
        self._label_hits = _LabelHits(
            index=ev[cand][shown],
            lanes=lane[cand][shown],
            x0=(x0[shown] - ox) / sx,
            x1=(x0[shown] + width[shown] - ox) / sx,
            sides=sides[shown],
            bold=bold[shown],
            elide_to=elide_to[shown],
        )

    def _paint_dense_lanes(
        self,
        p: QtGui.QPainter,
        dense: list[tuple[int, int, int]],
        lay: ViewLayout,
        sx: float,
        ox: float,
        sy: float,
        oy: float,
        left: float,
        right: float,
    ) -> None:
        """Lanes with more events in view than pixels: occupied columns, coloured."""
        n = max(1, int((right - left) / COLUMN_PX))
        px_edges = left + np.arange(n + 1) * COLUMN_PX
        edges = (px_edges - ox) / sx
        xs_all, ys_all, keys_all = [], [], []
        for lane, o0, o1 in dense:
            lb = lay.lane_begin[o0:o1]
            lf = lay.lane_finish[o0:o1]
            counts = overlap_counts(lb, lf, edges)
            cols = np.flatnonzero(counts > 0)
            if len(cols) == 0:
                continue
            first = o0 + np.minimum(np.searchsorted(lf, edges[cols], side="right"), o1 - o0 - 1)
            xs_all.append(px_edges[cols])
            ys_all.append(np.full(len(cols), sy * lane + oy))
            keys_all.append(self._color_keys(lay.order[first]))
        if not xs_all:
            return
        xs = np.concatenate(xs_all)
        ys = np.concatenate(ys_all)
        keys = np.concatenate(keys_all)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        p.setPen(Qt.PenStyle.NoPen)
        rects = _rects(xs, xs + COLUMN_PX, ys, self._sizes.dense_half)
        idx, runs = _batches(keys, np.ones(len(keys), dtype=bool))
        rects = rects[idx]
        for key, run in runs:
            p.setBrush(self._brush(key, "dense"))
            _draw_rects(p, rects[run])

    def _paint_strip(
        self, p: QtGui.QPainter, sx: float, ox: float, left: float, right: float, bottom: float
    ) -> None:
        """Density of all events (every lane) per column, docked to the view's bottom."""
        a = self._arrays
        span = a.span()
        assert span is not None
        d0 = max(left, sx * span[0] + ox)
        d1 = min(right, sx * span[1] + ox)
        if d1 <= d0:
            return
        n = max(1, math.ceil((d1 - d0) / COLUMN_PX))
        px_edges = d0 + np.arange(n + 1) * COLUMN_PX
        counts = np.diff(np.searchsorted(a.begin, (px_edges - ox) / sx)).astype(np.float64)
        # a light triangular smoothing turns sparse counts into a readable density
        counts = np.convolve(counts, _STRIP_KERNEL, mode="same")
        strip_height = self._sizes.strip_height
        top = bottom - strip_height
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(_with_alpha(QtGui.QColor(self._theme["background"]), 0.88))
        p.drawRect(QRectF(d0, top, d1 - d0, strip_height))
        cmax = counts.max() if len(counts) else 0
        if cmax <= 0:
            return
        h = np.sqrt(counts / cmax) * (strip_height - 4)
        h = np.where(counts > 0, np.maximum(np.round(h), 1.0), 0.0)
        cols = np.flatnonzero(h > 0)
        p.setBrush(_with_alpha(QtGui.QColor(self._theme["strip"]), 0.75))
        _draw_rects(
            p,
            np.column_stack(
                [px_edges[cols], bottom - 1 - h[cols], np.full(len(cols), COLUMN_PX), h[cols]]
            ),
        )
        p.setPen(QtGui.QPen(_with_alpha(QtGui.QColor(self._theme["text"]), 0.25), 1.0))
        p.drawLine(QPointF(d0, top + 0.5), QPointF(d1, top + 0.5))

    # -- hit testing and mouse -------------------------------------------------------

    def _hit_index(self, x: float, y: float) -> int | None:
        lay = self._layout
        g = self._view_geometry()
        if lay is None or g is None:
            return None
        sx, sy = g[4], g[5]
        sz = self._sizes
        lane = math.floor(y + 0.5)
        if lane < 0 or lane >= lay.n_lanes:
            return None
        if abs(y - lane) * sy > sz.bar_half + HIT_TOLERANCE:
            return None
        tol = HIT_TOLERANCE / sx
        o0, o1 = int(lay.offsets[lane]), int(lay.offsets[lane + 1])
        reach = (sz.marker_radius + HIT_TOLERANCE + 1.0) / sx
        lo = o0 + int(np.searchsorted(lay.lane_finish[o0:o1], x - reach, side="right"))
        hi = o0 + int(np.searchsorted(lay.lane_begin[o0:o1], x + reach, side="left"))
        a = self._arrays
        i = lay.order[max(lo - 1, o0) : min(hi + 1, o1)]
        if len(i):
            b, f = a.begin[i], a.finish[i]
            # distance (in seconds) from x to each mark: bar, or marker and band
            bar = np.maximum.reduce(
                [np.zeros(len(i)), b - x, x - np.maximum(f, b + sz.min_range / sx)]
            )
            marker = np.maximum(0.0, np.abs(x - (b + f) * 0.5) - sz.marker_radius / sx)
            band = np.where(
                (f - b) * sx >= MIN_BAND_PX, np.maximum(0.0, np.maximum(b - x, x - f)), np.inf
            )
            dist = np.where(a.is_range[i], bar, np.minimum(marker, band))
            k = int(np.argmin(dist))
            if dist[k] <= tol:
                return int(i[k])
        hits = self._label_hits
        if hits is not None:
            m = np.flatnonzero((hits.lanes == lane) & (hits.x0 <= x) & (x <= hits.x1))
            if len(m):
                return int(hits.index[m[0]])
        return None

    def _drag_zone(self, i: int, x: float) -> Edge:
        """What a press at ``x`` (axis seconds) on event ``i`` takes hold of.

        Within :data:`RESIZE_PX` of a range's drawn start or end (a third of the bar
        when it is short, so its middle still moves it): that end; else the event.
        """
        g = self._view_geometry()
        a = self._arrays
        if g is None or not a.is_range[i]:
            return "move"
        sx = g[4]
        b = float(a.begin[i]) * sx
        f = max(float(a.finish[i]) * sx, b + self._sizes.min_range)
        px = x * sx
        zone = min(RESIZE_PX, (f - b) / 3.0)
        outside = HIT_TOLERANCE + 1.0
        to_start, to_end = px - b, f - px
        if -outside <= to_start <= zone and to_start <= to_end:
            return "start"
        if -outside <= to_end <= zone:
            return "end"
        return "move"

    def _set_cursor(self, shape: Qt.CursorShape | None) -> None:
        if shape is None:
            if self.hasCursor():
                self.unsetCursor()
        elif not self.hasCursor() or self.cursor().shape() != shape:
            self.setCursor(shape)

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

    def mouseDragEvent(self, ev: Any) -> None:
        """Move or resize the event under the press; elsewhere the view box pans."""
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart() and not self._begin_drag(ev.buttonDownPos(), ev.modifiers()):
            ev.ignore()  # not on an event, or not editable: the view box pans
            return
        ev.accept()  # a cancelled drag swallows the rest of the gesture
        drag = self._drag
        if drag is None:
            return
        if not drag.active:
            moved_px = ev.scenePos() - ev.buttonDownScenePos()
            if math.hypot(moved_px.x(), moved_px.y()) >= DRAG_THRESHOLD_PX:
                drag.active = True
        if drag.active:
            self._update_preview(drag, float(ev.pos().x() - drag.press.x()))
        if ev.isFinish():
            self._finish_drag(drag)

    def _begin_drag(self, pos: QPointF, modifiers: Qt.KeyboardModifier) -> bool:
        if not self._editable or self._date_lookup is None:
            return False
        i = self._hit_index(pos.x(), pos.y())
        if i is None:
            return False
        event_id = int(self._arrays.ids[i])
        dates = self._date_lookup(event_id)
        if dates is None:
            return False
        start, end = dates
        edge = self._drag_zone(i, pos.x()) if end is not None else "move"
        self._drag = _Drag(event_id, i, edge, start, end, QPointF(pos), modifiers)
        self._set_cursor(
            Qt.CursorShape.ClosedHandCursor if edge == "move" else Qt.CursorShape.SizeHorCursor
        )
        return True

    def _update_preview(self, drag: _Drag, delta: float) -> None:
        try:
            landing = drag.landing(delta)
        except DateError:
            return  # beyond the calendar: stay at the last place that exists
        if landing == drag.preview:
            return
        drag.preview = landing
        drag.label = "→ " + format_range(*landing)
        g = self._view_geometry()
        ghost = self._ghost_extent(1.0 / g[4]) if g is not None else None
        bounds = self.boundingRect()
        if ghost is not None and (ghost[0] < bounds.left() or ghost[1] > bounds.right()):
            self._invalidate_bounds()
        self.update()

    def _finish_drag(self, drag: _Drag) -> None:
        self._drag = None
        self._set_cursor(None)
        if not drag.active:
            # the mouse hardly moved: a click after all
            self.handle_click(drag.press, drag.modifiers)
            return
        self._invalidate_bounds()
        self.update()
        if drag.preview is not None and drag.preview != (drag.start, drag.end):
            start, end = drag.preview
            self.sigDragged.emit(drag.event_id, start, end, drag.edge != "move")

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
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

    def visible_labels(self) -> list[tuple[int, int, float, float]]:
        """Labels drawn by the last paint: ``(event id, lane, x0, x1)``, x in axis seconds."""
        return [(lab.event_id, lab.lane, lab.x0, lab.x1) for lab in self.drawn_labels()]

    def drawn_labels(self) -> list[DrawnLabel]:
        """Labels drawn by the last paint, with side and text, lane by lane, left to right."""
        hits = self._label_hits
        if hits is None:
            return []
        names = {AFTER: "after", BEFORE: "before", INSIDE: "inside"}
        out = []
        for i, k, x0, x1, side, bold, room in zip(
            hits.index.tolist(),
            hits.lanes.tolist(),
            hits.x0.tolist(),
            hits.x1.tolist(),
            hits.sides.tolist(),
            hits.bold.tolist(),
            hits.elide_to.tolist(),
            strict=True,
        ):
            event_id = int(self._arrays.ids[i])
            text = self._labels.text(self._arrays, i)
            if room != 0:
                text = self._labels.elide(event_id, text, bold, room)[0]
            out.append(DrawnLabel(event_id, k, x0, x1, names[side], text, room != 0))
        return out

    def tooltip_html(self, event_id: int) -> str:
        """Headline and date of an event, as tooltip rich text."""
        i = self._arrays.index_of(event_id)
        if i is None:
            return ""
        title = html.escape(" ".join(self._arrays.titles[i].split()))
        date = html.escape(self._arrays.dates[i])
        return f"<b>{title}</b><br/>{date}"
