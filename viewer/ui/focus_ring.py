"""A visible keyboard focus for the timeline's canvas.

Text fields show their focus with an accent border (the style sheet), lists with
their current row; the timeline, one canvas, draws neither, so with the keyboard alone
one could not tell where Tab went.  :class:`FocusRing` lays a thin frame in the accent colour over
a canvas while it has the focus: a child widget that the mouse goes through, so the
canvas itself changes nothing.  As browsers' ``:focus-visible`` does, it shows when the
keyboard brought the focus (Tab, Shift+Tab, a shortcut), not for a click: the mouse
already knows where it is.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QFocusEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

__all__ = ["FocusRing"]

#: Width of the frame, in pixels.
RING_PX = 2.0
#: How the keyboard brings the focus.
_KEYBOARD = (
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
    Qt.FocusReason.ShortcutFocusReason,
)


class FocusRing(QWidget):
    """A frame in the palette's accent colour around ``target`` while it has the
    keyboard's focus."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self._target = target
        self.setObjectName("focusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.FocusIn:
            if cast(QFocusEvent, event).reason() in _KEYBOARD:
                self.setGeometry(self._target.rect())
                self.raise_()
                self.show()
        elif kind == QEvent.Type.FocusOut:
            self.hide()
        elif kind == QEvent.Type.Resize:
            self.setGeometry(self._target.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(QPen(self.palette().color(QPalette.ColorRole.Accent), RING_PX))
        p.setBrush(Qt.BrushStyle.NoBrush)
        half = RING_PX / 2
        p.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 3.0, 3.0)
        p.end()
