"""Eras drawn behind the events: translucent bands over their span, named at the bottom.

One item for all eras (there are a handful).  The bands reach from the top of the view
to the bottom whatever the lanes, so the bounding rect follows the view's y range,
like pyqtgraph's own infinite lines; labels are drawn in pixels so they keep their
size at every zoom.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui
from PySide6.QtCore import QPointF, QRectF, Qt

from viewer.ui.theme import Theme, light_theme

_PAD = 6.0


def era_font(factor: float = 1.0) -> QtGui.QFont:
    font = QtGui.QFont()
    font.setPointSizeF(8.5 * factor)
    font.setBold(True)
    return font


def paint_eras(
    p: QtGui.QPainter,
    titles: Sequence[str],
    begin: np.ndarray,
    finish: np.ndarray,
    x_to_px: tuple[float, float],
    area: QRectF,
    theme: Theme,
    font: QtGui.QFont,
) -> None:
    """Era bands over ``area`` (device pixels; ``px = x_to_px[0] · x + x_to_px[1]``),
    each named at its bottom left where it has room: the window and pictures alike."""
    sx, ox = x_to_px
    left_px, right_px = area.left(), area.right()
    y0, y1 = area.top(), area.bottom()
    metrics = QtGui.QFontMetricsF(font)
    p.save()
    p.setFont(font)
    p.setPen(Qt.PenStyle.NoPen)
    for i, title in enumerate(titles):
        a = max(sx * float(begin[i]) + ox, left_px - 1)
        b = min(sx * float(finish[i]) + ox, right_px + 1)
        if b - a < 1:
            continue
        tint = QtGui.QColor(theme.era_tints[i % 2])
        p.setBrush(tint)
        p.drawRect(QRectF(a, y0, b - a, y1 - y0))
        edge = QtGui.QColor(tint)
        edge.setAlpha(min(255, tint.alpha() * 3))
        p.setPen(QtGui.QPen(edge, 1))
        p.drawLine(QPointF(a, y0), QPointF(a, y1))
        p.setPen(Qt.PenStyle.NoPen)
        room = b - a - 2 * _PAD
        if room < 24:
            continue
        text = metrics.elidedText(title, Qt.TextElideMode.ElideRight, room)
        p.setPen(theme.era_text)
        p.drawText(
            QRectF(a + _PAD, y1 - metrics.height() - 4, room, metrics.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            text,
        )
        p.setPen(Qt.PenStyle.NoPen)
    p.restore()


class ErasItem(pg.GraphicsObject):
    """Translucent bands for eras (``title``, ``begin``, ``finish`` in axis seconds)."""

    def __init__(self) -> None:
        super().__init__()
        self._titles: list[str] = []
        self._begin = np.empty(0)
        self._finish = np.empty(0)
        self._theme = light_theme()
        self.setZValue(-10)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self._font = era_font()

    def set_eras(self, eras: Sequence[tuple[str, float, float]]) -> None:
        self.prepareGeometryChange()
        ordered = sorted(eras, key=lambda e: (e[1], e[2]))
        self._titles = [e[0] for e in ordered]
        self._begin = np.asarray([e[1] for e in ordered], dtype=np.float64)
        self._finish = np.asarray([e[2] for e in ordered], dtype=np.float64)
        self.update()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def __len__(self) -> int:
        return len(self._titles)

    # -- geometry ------------------------------------------------------------------

    def viewRangeChanged(self) -> None:  # the bands span the view's height
        self.prepareGeometryChange()

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange: Any = None) -> Any:
        return None  # eras never widen "fit everything"

    def boundingRect(self) -> QRectF:
        if not len(self._titles):
            return QRectF()
        vb = self.getViewBox()
        if vb is None:
            return QRectF()
        view = vb.viewRect()
        x0 = float(self._begin.min())
        x1 = float(self._finish.max())
        return QRectF(x0, view.top(), x1 - x0, view.height())

    # -- painting ------------------------------------------------------------------

    def paint(self, p: QtGui.QPainter, *args: Any) -> None:
        vb = self.getViewBox()
        if vb is None or not len(self._titles):
            return
        view = vb.viewRect()
        # a handful of eras, possibly overlapping: test each
        shown = np.flatnonzero((self._finish > view.left()) & (self._begin < view.right()))
        if not len(shown):
            return
        tr = p.transform()
        corner = tr.map(QPointF(view.left(), view.top()))
        other = tr.map(QPointF(view.right(), view.bottom()))
        area = QRectF(corner, other).normalized()
        p.save()
        p.resetTransform()
        paint_eras(  # (all of them: the tints alternate along the whole list)
            p,
            self._titles,
            self._begin,
            self._finish,
            (tr.m11(), tr.dx()),
            area,
            self._theme,
            self._font,
        )
        p.restore()
