"""A pyqtgraph axis that labels the time axis with calendar dates, BCE and deep time too.

pyqtgraph's ``DateAxisItem`` goes through :mod:`datetime` and cannot show years before
AD 1; this axis delegates to the pure :func:`~viewer.ui.timeline.ticks.calendar_ticks`,
which works on the proleptic Gregorian calendar at any zoom.
"""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from viewer.model.time_scale import LINEAR, TimeScale
from viewer.ui.timeline.scale_ticks import scale_ticks
from viewer.ui.timeline.ticks import format_position

__all__ = ["CalendarAxisItem"]

#: Labels measured and remembered per font; the cache is dropped when it grows past this.
_WIDTH_CACHE_LIMIT = 4096
_MEASURE_RECT = QtCore.QRectF(0, 0, 100, 100)
_CENTER = int(QtCore.Qt.AlignmentFlag.AlignCenter)
#: Smallest distance between ticks at size 1, in pixels.
TICK_SPACING_PX = 60.0
#: The axis' room for its labels at size 1 (pyqtgraph's default), and the gaps
#: between the axis line, the ticks and the labels.
TICK_TEXT_HEIGHT = 18
TICK_TEXT_OFFSET = 2
TICK_LENGTH = -5


class CalendarAxisItem(pg.AxisItem):
    """Axis for positions in seconds since 1970 (proleptic Gregorian, no leap seconds).

    Tick values and labels come from one :func:`calendar_ticks` call per redraw; the
    labels are measured with the tick font so neighbours never overlap, and a label
    that would stick out of the axis is left out rather than clipped.  Under a
    logarithmic :class:`~viewer.model.time_scale.TimeScale` (:meth:`set_time_scale`)
    the view's x is axis coordinates and the ticks are decades of years ago
    (:func:`~viewer.ui.timeline.scale_ticks.scale_ticks`).  pyqtgraph's own log mode,
    SI prefixes and ``scale`` are not used.
    """

    def __init__(
        self, orientation: str = "bottom", *, min_spacing_px: float = 60.0, **kwargs: Any
    ) -> None:
        super().__init__(orientation, **kwargs)
        self._min_spacing_px = float(min_spacing_px)
        self._labels: dict[float, str] = {}
        self._extents: dict[str, float] = {}
        self._font: QtGui.QFont | None = None
        self._time_scale = LINEAR
        self._metrics: QtGui.QFontMetricsF | None = None
        self.enableAutoSIPrefix(False)
        # calendar_ticks already keeps labels apart; pyqtgraph's density limits would
        # otherwise hide the minor labels on a busy axis.
        self.setStyle(textFillLimits=[], hideOverlappingLabels=True)

    # -- configuration -------------------------------------------------------------

    @property
    def min_spacing_px(self) -> float:
        return self._min_spacing_px

    def setMinSpacing(self, pixels: float) -> None:
        """Set the smallest distance between ticks, in pixels."""
        self._min_spacing_px = float(pixels)
        self.picture = None
        self.update()

    @property
    def time_scale(self) -> TimeScale:
        return self._time_scale

    def set_time_scale(self, scale: TimeScale) -> None:
        """Label the view's x as axis coordinates of ``scale`` (linear: seconds)."""
        self._time_scale = scale
        self._labels = {}
        self.picture = None
        self.update()

    def set_size(self, k: float) -> None:
        """The type, ticks and room for the labels at size ``k`` (1.0: normal; larger
        for a screen seen from afar).

        The height is set from the font rather than grown after a first paint, so that
        :meth:`height_needed` is right before anything is drawn.
        """
        font = QtGui.QFont()
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * k)
        else:  # a font sized in pixels
            font.setPixelSize(max(1, round(font.pixelSize() * k)))
        text = QtGui.QFontMetricsF(font).boundingRect(
            QtCore.QRectF(0, 0, 1000, 1000), _CENTER, "2000"
        )
        self.setTickFont(font)
        self.setStyle(
            autoExpandTextSpace=False,
            tickTextHeight=max(round(TICK_TEXT_HEIGHT * k), math.ceil(text.height())),
            tickTextOffset=round(TICK_TEXT_OFFSET * k),
            tickLength=round(TICK_LENGTH * k),
        )
        self.setMinSpacing(TICK_SPACING_PX * k)

    def height_needed(self) -> float:
        """The height (px) of the axis: its labels, their gap and the ticks below."""
        style = self.style
        offset = style["tickTextOffset"][1]
        return float(style["tickTextHeight"] + offset + max(0, style["tickLength"]))

    # -- pyqtgraph hooks -------------------------------------------------------------

    def tickValues(
        self, minVal: float, maxVal: float, size: float
    ) -> list[tuple[float, list[float]]]:
        lo, hi = sorted((float(minVal), float(maxVal)))
        horizontal = self.orientation in ("top", "bottom")
        # Tick labels are laid out in item coordinates, so measure the axis there too.
        length = self.size().width() if horizontal else self.size().height()
        if length <= 0:
            length = size
        self._check_font()
        levels = scale_ticks(
            self._time_scale,
            lo,
            hi,
            length,
            min_spacing_px=self._min_spacing_px,
            text_width=self._extent,
        )
        self._labels = {pos: label for level in levels for pos, label in level.ticks}
        return [(level.spacing, level.positions) for level in levels]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        labels = self._labels
        if not self._time_scale.is_linear:
            return [labels.get(v, "") for v in values]
        return [labels[v] if v in labels else format_position(v, spacing * 10) for v in values]

    # -- helpers ---------------------------------------------------------------------

    def _check_font(self) -> None:
        """Forget measurements when the tick font changed (setTickFont or setStyle)."""
        font = self.style["tickFont"] or QtGui.QFont()
        if self._font is None or font != self._font:
            self._font = QtGui.QFont(font)
            self._metrics = QtGui.QFontMetricsF(self._font)
            self._extents.clear()

    def _extent(self, text: str) -> float:
        """Size of a label along the axis, in pixels, with the font ticks are drawn in."""
        extent = self._extents.get(text)
        if extent is None:
            if self._metrics is None:
                self._check_font()
            assert self._metrics is not None
            if self.orientation in ("top", "bottom"):
                # The same measure pyqtgraph uses to place the label.
                rect = self._metrics.boundingRect(_MEASURE_RECT, _CENTER, text)
                extent = rect.width() if text else 0.0
            else:
                extent = self._metrics.height() if text else 0.0
            if len(self._extents) >= _WIDTH_CACHE_LIMIT:
                self._extents.clear()
            self._extents[text] = extent
        return extent
