"""The overview strip: the whole timeline as a density histogram, with the visible window.

It sits under the main timeline.  Its view is fixed to the full span of the events (the
user cannot zoom or pan it); the translucent region marks what the main timeline shows
and is the way to move it: drag the region, drag its edges, click or drag elsewhere on
the strip to centre the window there.

It follows the timeline's time scale (:meth:`OverviewStrip.set_time_scale`): on a
logarithmic one, its x is the same axis coordinates and its bins are even along that
axis; it is still told and tells time in seconds.  The bins are counted with binary
searches in the sorted columns, never by mapping every event.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from viewer.model.dates import SECONDS_PER_YEAR, year_start
from viewer.model.time_scale import LINEAR, TimeScale
from viewer.store.columns import EventArrays
from viewer.ui.theme import Theme, light_theme
from viewer.ui.timeline.axis import CalendarAxisItem

__all__ = ["OverviewStrip"]

#: Histogram bins across the whole span.
HISTOGRAM_BINS = 480
#: Height of the strip in pixels (plot area plus axis).
STRIP_HEIGHT = 66
#: Fraction of the data span added on each side.
SPAN_MARGIN = 0.02
#: Span shown when there are no events.
EMPTY_SPAN = (year_start(1900), year_start(2100))


class _StripViewBox(pg.ViewBox):
    """A view box that never pans or zooms itself; it reports clicks and drags instead.

    Signals:
        sigScrubbed(float, bool): the user clicked or dragged the background at this x
            (view coordinates); the flag is True on a click or at the end of a drag.
    """

    sigScrubbed = QtCore.Signal(float, bool)

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.setMouseEnabled(x=False, y=False)

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() != QtCore.Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        self.sigScrubbed.emit(self.mapSceneToView(ev.scenePos()).x(), True)

    def mouseDragEvent(self, ev: Any, axis: int | None = None) -> None:
        if ev.button() != QtCore.Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        self.sigScrubbed.emit(self.mapSceneToView(ev.scenePos()).x(), bool(ev.isFinish()))


class _WindowRegion(pg.LinearRegionItem):
    """A region that keeps its width when dragged against its bounds.

    ``LinearRegionItem`` clamps each edge on its own, so pushing the region into a bound
    would shrink the window; here the whole region stops instead.
    """

    def __init__(self) -> None:
        super().__init__(values=(0.0, 1.0), orientation="vertical", swapMode="sort")
        self._limits: tuple[float, float] | None = None
        self._drag_start: tuple[float, float] | None = None
        self._drag_origin = 0.0

    def set_limits(self, lo: float, hi: float) -> None:
        self._limits = (lo, hi)
        self.setBounds((lo, hi))

    def mouseDragEvent(self, ev: Any) -> None:
        if not self.movable or ev.button() != QtCore.Qt.MouseButton.LeftButton:
            return
        ev.accept()
        if ev.isStart():
            self._drag_start = self.getRegion()
            self._drag_origin = ev.buttonDownPos().x()
            self.moving = True
        if self._drag_start is None or not self.moving:
            return
        x0, x1 = self._drag_start
        delta = ev.pos().x() - self._drag_origin
        if self._limits is not None and x1 - x0 <= self._limits[1] - self._limits[0]:
            delta = min(max(delta, self._limits[0] - x0), self._limits[1] - x1)
        self.blockLineSignal = True
        self.lines[0].setValue(x0 + delta)
        self.lines[1].setValue(x1 + delta)
        self.blockLineSignal = False
        self.prepareGeometryChange()
        if ev.isFinish():
            self.moving = False
            self._drag_start = None
            self.sigRegionChangeFinished.emit(self)
        else:
            self.sigRegionChanged.emit(self)


class OverviewStrip(pg.PlotWidget):
    """The whole timeline at a glance, and a handle on the main timeline's window.

    The density histogram of event begin positions is computed and drawn once per
    :meth:`set_events`; moving the window only moves the region item.

    Signals:
        windowChanged(float, float): the user moved or resized the window (dragging the
            region or its edges, or clicking/dragging elsewhere on the strip). Not
            emitted by :meth:`set_window`.
    """

    windowChanged = QtCore.Signal(float, float)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        self._view = _StripViewBox()
        self._axis = CalendarAxisItem("bottom", min_spacing_px=56.0)
        super().__init__(
            parent=parent, viewBox=self._view, axisItems={"bottom": self._axis}, enableMenu=False
        )
        self._span: tuple[float, float] = EMPTY_SPAN  # (on the axis)
        self._window: tuple[float, float] = EMPTY_SPAN  # (in seconds)
        self._time_scale = LINEAR
        self._counted: tuple[tuple[float, float] | None, Callable[[np.ndarray], np.ndarray]] = (
            None,
            _no_counts,
        )
        self._updating = False
        self._theme = light_theme()
        self.setAccessibleName("Overview of the whole timeline")
        self.viewport().setAccessibleName("Overview of the whole timeline")

        plot = self.getPlotItem()
        plot.hideAxis("left")
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.layout.setContentsMargins(0, 0, 0, 0)
        # Faint, even tick marks: pyqtgraph's default draws major ticks fully opaque.
        self._axis.setStyle(tickAlpha=0.5)
        self._view.disableAutoRange()
        self._view.setDefaultPadding(0.0)
        self._view.setYRange(0.0, 1.12, padding=0.0)
        self.setFixedHeight(STRIP_HEIGHT)
        self.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed
        )
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)

        self._histogram = pg.PlotCurveItem(
            x=np.array([0.0, 1.0]), y=np.array([0.0]), stepMode="center", fillLevel=0.0
        )
        self._histogram.setVisible(False)
        self._view.addItem(self._histogram)
        self._region = _WindowRegion()
        self._region.setZValue(10)
        self._view.addItem(self._region)

        self._region.sigRegionChanged.connect(self._on_region_changed)
        self._view.sigScrubbed.connect(self._on_scrubbed)

        self._apply_span(EMPTY_SPAN)
        self._set_region(EMPTY_SPAN)
        self.set_theme(self._theme)

    # -- public API ------------------------------------------------------------------

    def set_events(self, begin: np.ndarray, finish: np.ndarray) -> None:
        """Show these events (axis positions in seconds) and fit the strip to them."""
        begins = np.asarray(begin, dtype=float).ravel()
        begins = np.sort(begins[np.isfinite(begins)])
        finishes = np.asarray(finish, dtype=float).ravel()
        finishes = finishes[np.isfinite(finishes)]
        if begins.size == 0:
            self.set_starts(None, _no_counts)
            return
        hi = max(float(begins[-1]), float(finishes.max()) if finishes.size else -math.inf)
        self.set_starts((float(begins[0]), hi), lambda e: _starts_between(begins, e))

    def set_arrays(self, arrays: EventArrays) -> None:
        """Show these events (sorted columns: costs ``O(bins · log n)``)."""
        self.set_starts(arrays.span(), lambda e: _starts_between(arrays.begin, e))

    def set_starts(
        self,
        span: tuple[float, float] | None,
        starts: Callable[[np.ndarray], np.ndarray],
    ) -> None:
        """Show events spanning ``span``; ``starts(edges)`` counts the events that
        start between each pair of bin edges (while a big file loads, the store's
        index counts them)."""
        self._counted = (span, starts)
        self._draw()

    def set_time_scale(self, scale: TimeScale) -> None:
        """Show time on ``scale``'s axis (linear, or logarithmic for deep time)."""
        if scale == self._time_scale:
            return
        self._time_scale = scale
        self._axis.set_time_scale(scale)
        self._draw()

    @property
    def time_scale(self) -> TimeScale:
        return self._time_scale

    def _draw(self) -> None:
        """The histogram of the events counted, in bins even along the axis."""
        span, starts = self._counted
        scale = self._time_scale
        if span is None:
            self._histogram.setData(x=np.array([0.0, 1.0]), y=np.array([0.0]))
            self._histogram.setVisible(False)
            self._apply_span(self._on_axis(EMPTY_SPAN))
            self._set_region(self._window)
            return
        lo, hi = span
        if hi - lo <= 0:
            lo, hi = lo - SECONDS_PER_YEAR / 2, hi + SECONDS_PER_YEAR / 2
        lo, hi = scale.to_axis(lo), scale.to_axis(hi)
        width = hi - lo
        lo -= width * SPAN_MARGIN
        hi += width * SPAN_MARGIN
        edges = np.linspace(lo, hi, HISTOGRAM_BINS + 1)
        counts = np.asarray(starts(scale.from_axis(edges)), dtype=np.float64)
        top = counts.max() if len(counts) else 0.0
        # Square-root scale: a dense cluster does not flatten every sparse one to nothing.
        heights = np.sqrt(counts / top) if top > 0 else np.zeros(len(counts))
        self._histogram.setData(x=edges, y=heights)
        self._histogram.setVisible(True)
        self._apply_span((lo, hi))
        self._set_region(self._window)

    def set_window(self, x0: float, x1: float) -> None:
        """Move the region to the main timeline's visible window, without emitting."""
        if not (math.isfinite(x0) and math.isfinite(x1)):
            return
        lo, hi = sorted((float(x0), float(x1)))
        self._window = (lo, hi)
        self._set_region((lo, hi))

    def window_range(self) -> tuple[float, float]:
        """The window as last set or chosen by the user (may extend past the span)."""
        return self._window

    def full_span(self) -> tuple[float, float]:
        """The span the strip shows: all events plus a small margin (in seconds)."""
        return self._time_scale.from_axis(self._span[0]), self._time_scale.from_axis(self._span[1])

    def set_theme(self, theme: Theme) -> None:
        """Paint the strip in ``theme``'s canvas colours."""
        self._theme = theme
        self.setBackground(theme.overview_bg)
        self._histogram.setPen(pg.mkPen(None))  # a filled silhouette, no outline
        self._histogram.setBrush(pg.mkBrush(theme.overview_fill))
        self._axis.setPen(pg.mkPen(theme.axis_line))
        self._axis.setTickPen(pg.mkPen(theme.axis_line))
        self._axis.setTextPen(pg.mkPen(theme.axis_text))
        accent = theme.accent
        self._region.setBrush(pg.mkBrush(_alpha(accent, 48)))
        self._region.setHoverBrush(pg.mkBrush(_alpha(accent, 80)))
        for line in self._region.lines:
            line.setPen(pg.mkPen(_alpha(accent, 210), width=1))
            line.setHoverPen(pg.mkPen(_alpha(accent, 255), width=2))

    @property
    def theme(self) -> Theme:
        return self._theme

    # -- internals -------------------------------------------------------------------

    def _apply_span(self, span: tuple[float, float]) -> None:
        self._span = span
        self._view.setXRange(span[0], span[1], padding=0.0)
        # New bounds clamp the region's lines, which is not the user moving them.
        self._updating = True
        try:
            self._region.set_limits(*span)
        finally:
            self._updating = False

    def _set_region(self, window: tuple[float, float]) -> None:
        """Put the region over ``window`` (seconds)."""
        self._updating = True
        try:
            self._region.setRegion(self._on_axis(window))
        finally:
            self._updating = False

    def _on_region_changed(self) -> None:
        if self._updating:
            return
        x0, x1 = self._region.getRegion()
        if not x1 > x0:
            return
        from_axis = self._time_scale.from_axis
        self._window = (from_axis(float(x0)), from_axis(float(x1)))
        self.windowChanged.emit(*self._window)

    def _on_scrubbed(self, x: float, finished: bool) -> None:
        x0, x1 = self._region.getRegion()
        if finished and x0 <= x <= x1:
            return  # a click on the region itself leaves the window where it is
        w0, w1 = self._on_axis(self._window)
        width = w1 - w0
        lo, hi = self._span
        start = x - width / 2
        if width <= hi - lo:
            start = min(max(start, lo), hi - width)
        from_axis = self._time_scale.from_axis
        window = (from_axis(start), from_axis(start + width))
        if window == self._window:
            return
        self._window = window
        self._set_region(window)
        self.windowChanged.emit(*window)

    def _on_axis(self, window: tuple[float, float]) -> tuple[float, float]:
        to_axis = self._time_scale.to_axis
        return to_axis(window[0]), to_axis(window[1])

    def mousePressEvent(self, ev: QtGui.QMouseEvent) -> None:
        super().mousePressEvent(ev)
        # pyqtgraph turns press + release into a click on release, so no item accepts the
        # press itself; the strip acts on every left click, so it is consumed here.
        if ev.button() == QtCore.Qt.MouseButton.LeftButton:
            ev.accept()

    def mouseReleaseEvent(self, ev: QtGui.QMouseEvent) -> None:
        super().mouseReleaseEvent(ev)
        if ev.button() == QtCore.Qt.MouseButton.LeftButton:
            ev.accept()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(640, STRIP_HEIGHT)


def _alpha(color: QtGui.QColor, alpha: int) -> QtGui.QColor:
    c = QtGui.QColor(color)
    c.setAlpha(alpha)
    return c


def _starts_between(begin_sorted: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """How many of the sorted begins fall in each ``[edges[k], edges[k + 1])`` (the
    last bin includes its right edge)."""
    cuts = np.searchsorted(begin_sorted, edges, side="left")
    cuts[-1] = np.searchsorted(begin_sorted, edges[-1], side="right")
    return np.diff(cuts)


def _no_counts(edges: np.ndarray) -> np.ndarray:
    return np.zeros(max(len(edges) - 1, 0))
