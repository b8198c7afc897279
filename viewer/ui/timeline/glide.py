"""An eased move of a view's x range: what an animated ``set_visible_range`` does.

The centre moves evenly and the width changes geometrically, so a zoom of a thousand
times feels as even at its end as at its start (a linear width would rush through the
wide part and crawl through the narrow one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import Signal

__all__ = ["ANIMATION_MS", "RangeGlide"]

#: Default duration of a glide, in ms.
ANIMATION_MS = 400


class RangeGlide(QtCore.QVariantAnimation):
    """Eases from one x range to another through ``set_range(x0, x1)``.

    Signals:
        arrived(): the target range was reached and set (at the glide's end, or by
            :meth:`finish`); not emitted for a glide stopped short (:meth:`stop`).
    """

    arrived = Signal()

    def __init__(
        self, set_range: Callable[[float, float], None], parent: QtCore.QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._set_range = set_range
        self._from = (0.0, 1.0)
        self._to = (0.0, 1.0)
        self.setDuration(ANIMATION_MS)
        self.setEasingCurve(QtCore.QEasingCurve.Type.InOutCubic)
        self.setStartValue(0.0)
        self.setEndValue(1.0)
        self.valueChanged.connect(self._step)
        self.finished.connect(self._arrive)

    def glide(
        self, start: tuple[float, float], target: tuple[float, float], duration_ms: int | None
    ) -> None:
        """Ease from ``start`` to ``target`` in ``duration_ms`` (default
        :data:`ANIMATION_MS`), stopping a glide under way."""
        self.stop()
        self._from, self._to = start, target
        self.setDuration(ANIMATION_MS if duration_ms is None else max(0, duration_ms))
        self.start()

    def is_running(self) -> bool:
        return self.state() == QtCore.QAbstractAnimation.State.Running

    def finish(self) -> bool:
        """Jump to the target of the glide under way; ``False`` if there is none."""
        if not self.is_running():
            return False
        self.stop()
        self._arrive()
        return True

    def _step(self, value: Any) -> None:
        t = float(value)
        (a0, a1), (b0, b1) = self._from, self._to
        wa, wb = a1 - a0, b1 - b0
        ca, cb = (a0 + a1) / 2, (b0 + b1) / 2
        w = wa * (wb / wa) ** t if wa > 0 and wb > 0 else wa + (wb - wa) * t
        c = ca + (cb - ca) * t
        self._set_range(c - w / 2, c + w / 2)

    def _arrive(self) -> None:
        self._set_range(*self._to)
        self.arrived.emit()
