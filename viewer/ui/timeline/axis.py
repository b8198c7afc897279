"""A pyqtgraph axis that labels the time axis with calendar dates, BCE and deep time too.

pyqtgraph's ``DateAxisItem`` goes through :mod:`datetime` and cannot show years before
AD 1; this axis delegates to the pure :func:`~viewer.ui.timeline.ticks.calendar_ticks`,
which works on the proleptic Gregorian calendar at any zoom.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from viewer.ui.timeline.ticks import calendar_ticks, format_position

__all__ = ["CalendarAxisItem"]

#: Labels measured and remembered per font; the cache is dropped when it grows past this.
_WIDTH_CACHE_LIMIT = 4096
_MEASURE_RECT = QtCore.QRectF(0, 0, 100, 100)
_CENTER = int(QtCore.Qt.AlignmentFlag.AlignCenter)


class CalendarAxisItem(pg.AxisItem):
    """Axis for positions in seconds since 1970 (proleptic Gregorian, no leap seconds).

    Tick values and labels come from one :func:`calendar_ticks` call per redraw; the
    labels are measured with the tick font so neighbours never overlap, and a label
    that would stick out of the axis is left out rather than clipped.  Only linear
    mode is supported (no log scale, no SI prefixes, ``scale`` 1).
    """

    def __init__(
        self, orientation: str = "bottom", *, min_spacing_px: float = 60.0, **kwargs: Any
    ) -> None:
        super().__init__(orientation, **kwargs)
        self._min_spacing_px = float(min_spacing_px)
        self._labels: dict[float, str] = {}
        self._extents: dict[str, float] = {}
        self._font: QtGui.QFont | None = None
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
        levels = calendar_ticks(
            lo, hi, length, min_spacing_px=self._min_spacing_px, text_width=self._extent
        )
        self._labels = {pos: label for level in levels for pos, label in level.ticks}
        return [(level.spacing, level.positions) for level in levels]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        labels = self._labels
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
