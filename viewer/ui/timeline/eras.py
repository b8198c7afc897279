"""Eras drawn behind the events: translucent bands over their span, named at the top.

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

#: Band tints, alternating so that neighbouring eras stay apart.
_TINTS = {
    False: ((78, 124, 176, 22), (166, 127, 0, 22)),
    True: ((120, 160, 220, 30), (220, 180, 90, 26)),
}
_LABEL = {False: QtGui.QColor(80, 86, 96), True: QtGui.QColor(170, 176, 186)}
_PAD = 6.0


class ErasItem(pg.GraphicsObject):
    """Translucent bands for eras (``title``, ``begin``, ``finish`` in axis seconds)."""

    def __init__(self) -> None:
        super().__init__()
        self._titles: list[str] = []
        self._begin = np.empty(0)
        self._finish = np.empty(0)
        self._dark = False
        self.setZValue(-10)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self._font = QtGui.QFont()
        self._font.setPointSizeF(8.5)
        self._font.setBold(True)

    def set_eras(self, eras: Sequence[tuple[str, float, float]]) -> None:
        self.prepareGeometryChange()
        ordered = sorted(eras, key=lambda e: (e[1], e[2]))
        self._titles = [e[0] for e in ordered]
        self._begin = np.asarray([e[1] for e in ordered], dtype=np.float64)
        self._finish = np.asarray([e[2] for e in ordered], dtype=np.float64)
        self.update()

    def set_dark(self, dark: bool) -> None:
        self._dark = bool(dark)
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
        shown = (self._finish > view.left()) & (self._begin < view.right())
        visible = np.flatnonzero(shown).tolist()
        if not visible:
            return
        to_px = p.transform()
        p.save()
        p.resetTransform()
        p.setPen(Qt.PenStyle.NoPen)
        top = to_px.map(QPointF(view.left(), view.top())).y()
        bottom = to_px.map(QPointF(view.left(), view.bottom())).y()
        y0, y1 = sorted((top, bottom))
        left_px = to_px.map(QPointF(view.left(), 0)).x()
        right_px = to_px.map(QPointF(view.right(), 0)).x()
        metrics = QtGui.QFontMetricsF(self._font)
        p.setFont(self._font)
        for i in visible:
            a = max(to_px.map(QPointF(float(self._begin[i]), 0)).x(), left_px - 1)
            b = min(to_px.map(QPointF(float(self._finish[i]), 0)).x(), right_px + 1)
            if b - a < 1:
                continue
            tint = QtGui.QColor(*_TINTS[self._dark][i % 2])
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
            text = metrics.elidedText(self._titles[i], Qt.TextElideMode.ElideRight, room)
            p.setPen(_LABEL[self._dark])
            p.drawText(
                QRectF(a + _PAD, y1 - metrics.height() - 4, room, metrics.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
            p.setPen(Qt.PenStyle.NoPen)
        p.restore()
