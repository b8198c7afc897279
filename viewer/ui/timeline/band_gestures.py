"""Swimlane headers under the mouse: a click collapses or expands a band, a drag moves
it to another band's place.

:class:`BandGesturesMixin` gives :class:`~viewer.ui.timeline.item.EventsItem` these
gestures, ahead of the drag that moves events (:class:`~viewer.ui.timeline.dragging.
DraggingMixin`).  The item changes nothing itself: it emits ``sigBandToggled`` and
``sigBandMoved`` with the band's key, for the owner of the grouping to apply (and to
keep in the file).  While a header is dragged, the band it would go to is outlined.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, Qt

from viewer.ui.timeline.groups import Grouper

__all__ = ["BandGesturesMixin", "Grouper"]


class BandGesturesMixin:
    """Clicking and dragging swimlane headers (see the module docstring)."""

    _layout: Any
    _last_frame: Any = None
    _band_drag: int | None = None
    painter: Any

    def _emit_band(self, signal: str, *args: Any) -> None:
        getattr(self, signal).emit(*args)

    def band_chip_at(self, pos: QPointF) -> int | None:
        """The index of the band whose header chip is at ``pos`` (item coordinates)."""
        f = self._last_frame
        lay = self._layout
        if f is None or lay is None or not lay.bands:
            return None
        px = QPointF(f.sx * pos.x() + f.ox, f.sy * pos.y() + f.oy)
        for chip in self.painter.band_chips:
            if chip.rect.adjusted(-2, -2, 2, 2).contains(px):
                return int(chip.band)
        return None

    def band_key(self, index: int) -> str | None:
        lay = self._layout
        if lay is None or not 0 <= index < len(lay.bands):
            return None
        return str(lay.bands[index].spec.key)

    def toggle_band(self, index: int) -> None:
        """Ask for band ``index`` to collapse or expand (emits ``sigBandToggled``)."""
        key = self.band_key(index)
        if key is not None:
            self._emit_band("sigBandToggled", key)

    def set_band_focus(self, index: int | None) -> None:
        """Outline band ``index`` (the keyboard's band), ``None`` for none."""
        if self.painter.band_focus != index:
            self.painter.band_focus = index
            self.update()  # type: ignore[attr-defined]

    def band_focus(self) -> int | None:
        return self.painter.band_focus

    def mouseDragEvent(self, ev: Any) -> None:
        """Drag a header to move its band; any other drag is the events' (or a pan)."""
        if ev.button() == Qt.MouseButton.LeftButton and ev.isStart():
            self._band_drag = self.band_chip_at(ev.buttonDownPos())
        if self._band_drag is None:
            super().mouseDragEvent(ev)  # type: ignore[misc]
            return
        ev.accept()
        lay = self._layout
        target = lay.band_at(ev.pos().y()) if lay is not None else None
        if target is None and lay is not None and lay.bands:
            target = 0 if ev.pos().y() < lay.bands[0].first else len(lay.bands) - 1
        self.set_band_focus(target)
        if ev.isFinish():
            moved, self._band_drag = self._band_drag, None
            key = self.band_key(moved)
            if key is not None and target is not None and target != moved:
                self._emit_band("sigBandMoved", key, int(target))
