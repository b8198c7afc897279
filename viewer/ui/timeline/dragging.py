"""Dragging events on the timeline to move and resize them: the gesture, on the item.

:class:`DraggingMixin` gives :class:`~viewer.ui.timeline.item.EventsItem` its editing
gesture: pressing on an event (its mark or label) and dragging moves it; pressing
within :data:`~viewer.ui.timeline.drag.RESIZE_PX` of a range's start or end drags that
end.  A :class:`~viewer.ui.timeline.drag.DragSession` follows the drag and snaps it to
whole units of the dates' own precision; the item paints its ghost
(:meth:`~viewer.ui.timeline.painter.EventPainter.paint_ghost`) and repaints only when
the snapped dates change.  Nothing is changed until the mouse is released, and then
only through the item's ``sigDragged``.

The mixin uses the item's arrays, hit test, view geometry, style, bounds and click
handling (``_arrays``, ``_hit_index``, ``_view_geometry``, ``style``,
``_invalidate_bounds``, ``handle_click``, ``sigDragged``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, Qt

from viewer.model.dates import DateError, PartialDate, format_range
from viewer.ui.timeline.drag import DragSession, Edge, drag_zone
from viewer.ui.timeline.painter import HIT_TOLERANCE

__all__ = ["DRAG_THRESHOLD_PX", "DateLookup", "DraggingMixin"]

#: The current dates of an event by id: ``(start, end)``, or ``None`` if unknown.
DateLookup = Callable[[int], tuple[PartialDate, PartialDate | None] | None]

DRAG_THRESHOLD_PX = 4.0  # a press and release moving less than this is a click


if TYPE_CHECKING:  # (mixed into a pyqtgraph item: what it finds there)
    from pyqtgraph import GraphicsObject as _Item
else:
    _Item = object


class DraggingMixin(_Item):
    """The drag-to-edit gesture of the events item (see the module docstring)."""

    if TYPE_CHECKING:  # the events item's own, which this uses
        sigDragged: Any

        def _invalidate_bounds(self) -> None: ...
        def _view_geometry(self) -> Any: ...
        def _hit_index(self, x: float, y: float) -> int | None: ...
        def pixelPadding(self) -> float: ...
        def handle_click(
            self, pos: QPointF, modifiers: Qt.KeyboardModifier, *, double: bool = False
        ) -> None: ...

    _editable: bool = False
    _date_lookup: DateLookup | None = None
    _drag: DragSession | None = None
    _arrays: Any
    _time_scale: Any
    style: Any

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

    def _ghost_extent(self, pw: float) -> tuple[float, float] | None:
        """What the drag preview may cover in x (its marks and floating label)."""
        drag = self._drag
        if drag is None or not drag.active or drag.preview is None:
            return None
        s, e = drag.preview
        pad = self.pixelPadding() * pw
        to_axis = self._time_scale.to_axis
        return to_axis(s.begin()) - pad, to_axis((e or s).finish()) + pad

    def _drag_zone(self, i: int, x: float) -> Edge:
        """What a press at ``x`` (the view's axis) on event ``i`` takes hold of."""
        g = self._view_geometry()
        a = self._arrays
        if g is None or not a.is_range[i]:
            return "move"
        b = float(a.begin[i]) * g.px_x
        f = max(float(a.finish[i]) * g.px_x, b + self.style.sizes.min_range)
        return drag_zone(b, f, x * g.px_x, HIT_TOLERANCE + 1.0)

    def _set_cursor(self, shape: Qt.CursorShape | None) -> None:
        if shape is None:
            if self.hasCursor():
                self.unsetCursor()
        elif not self.hasCursor() or self.cursor().shape() != shape:
            self.setCursor(shape)

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
            self._update_preview(drag, float(ev.pos().x() - drag.press[0]))
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
        press = (float(pos.x()), float(pos.y()))
        self._drag = DragSession(
            event_id, i, edge, start, end, press, modifiers, scale=self._time_scale
        )
        self._set_cursor(
            Qt.CursorShape.ClosedHandCursor if edge == "move" else Qt.CursorShape.SizeHorCursor
        )
        return True

    def _update_preview(self, drag: DragSession, delta: float) -> None:
        try:
            landing = drag.landing(delta)
        except DateError:
            return  # beyond the calendar: stay at the last place that exists
        if landing == drag.preview:
            return
        drag.preview = landing
        drag.label = "→ " + format_range(*landing)
        g = self._view_geometry()
        ghost = self._ghost_extent(1.0 / g.px_x) if g is not None else None
        bounds = self.boundingRect()
        if ghost is not None and (ghost[0] < bounds.left() or ghost[1] > bounds.right()):
            self._invalidate_bounds()
        self.update()

    def _finish_drag(self, drag: DragSession) -> None:
        self._drag = None
        self._set_cursor(None)
        if not drag.active:
            # the mouse hardly moved: a click after all
            self.handle_click(QPointF(*drag.press), drag.modifiers)  # type: ignore[arg-type]
            return
        self._invalidate_bounds()
        self.update()
        if drag.preview is not None and drag.preview != (drag.start, drag.end):
            start, end = drag.preview
            self.sigDragged.emit(drag.event_id, start, end, drag.edge != "move")
