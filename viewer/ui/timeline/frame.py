"""Where a paint goes: the part of the timeline shown and its map to device pixels."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QRectF

__all__ = ["Frame"]


class Frame(NamedTuple):
    """What a paint shows and where: the time range ``x0``–``x1`` (axis seconds) and
    lanes ``y0``–``y1`` (lane ``i`` centred on ``y = i``) in view, and the map to
    device pixels, ``px = sx · x + ox`` and ``py = sy · y + oy``."""

    x0: float
    x1: float
    y0: float
    y1: float
    sx: float
    ox: float
    sy: float
    oy: float

    @classmethod
    def fitted(cls, x0: float, x1: float, y0: float, y1: float, rect: QRectF) -> Frame:
        """The frame that shows ``x0``–``x1`` and lanes ``y0``–``y1`` in ``rect``."""
        sx = rect.width() / (x1 - x0)
        sy = rect.height() / (y1 - y0)
        return cls(x0, x1, y0, y1, sx, rect.left() - sx * x0, sy, rect.top() - sy * y0)

    @property
    def left(self) -> float:
        return min(self.sx * self.x0 + self.ox, self.sx * self.x1 + self.ox)

    @property
    def right(self) -> float:
        return max(self.sx * self.x0 + self.ox, self.sx * self.x1 + self.ox)

    @property
    def top(self) -> float:
        return min(self.sy * self.y0 + self.oy, self.sy * self.y1 + self.oy)

    @property
    def bottom(self) -> float:
        return max(self.sy * self.y0 + self.oy, self.sy * self.y1 + self.oy)
