"""The events a view draws, on the axis of its time scale: kept in step with an edit.

Everything inside a timeline (lanes, marks, labels, hit tests, limits, the density
strip) works in the view's x, which is the axis coordinate of a
:class:`~viewer.model.time_scale.TimeScale`: seconds on a linear axis, decades of
years before the present on a logarithmic one.  :class:`AxisArrays` holds the
events given (seconds) and the same events with their four positions (``begin``,
``finish``, ``start_until``, ``end_from``) mapped to the axis.  The map is monotonic,
so the rows stay in the same order and the same binary searches find what is in view.

A linear axis needs nothing: the arrays given are drawn as they are, no copy.  On a
logarithmic one, the events are mapped once when they are given (or the scale
changes), and an edit maps only its own rows: a moved event moves in place, as in
the window's own arrays (:meth:`EventArrays.move_in_place`), so an edit costs the
same at a million events as at a thousand.
"""

from __future__ import annotations

import numpy as np

from viewer.model.time_scale import LINEAR, TimeScale
from viewer.store.columns import COLUMN_DTYPES, EventArrays, Patch

__all__ = ["POSITION_COLUMNS", "AxisArrays", "on_axis"]

#: The columns of :class:`EventArrays` that are positions in time.
POSITION_COLUMNS = ("begin", "finish", "start_until", "end_from")


def on_axis(arrays: EventArrays, scale: TimeScale) -> EventArrays:
    """``arrays`` with their positions on ``scale``'s axis (linear: ``arrays`` itself).

    Every column is the copy's own: the window's arrays change in place on an edit,
    and this copy follows by its own patches.
    """
    if scale.is_linear:
        return arrays
    columns = {
        c: scale.to_axis(getattr(arrays, c)) if c in POSITION_COLUMNS else getattr(arrays, c).copy()
        for c in COLUMN_DTYPES
    }
    return EventArrays(**columns, texts=arrays.texts)


class AxisArrays:
    """The events given to a view and the same events on its axis (see the module)."""

    def __init__(self) -> None:
        self.scale: TimeScale = LINEAR
        #: the events as given (axis seconds)
        self.given = EventArrays.empty()
        #: the events on the axis (the given ones on a linear axis)
        self.arrays = self.given

    def set(self, arrays: EventArrays, scale: TimeScale | None = None) -> EventArrays:
        """Hold ``arrays`` (and ``scale``, when given); the arrays on the axis."""
        if scale is not None:
            self.scale = scale
        self.given = arrays
        self.arrays = on_axis(arrays, self.scale)
        return self.arrays

    def patch(self, arrays: EventArrays, patch: Patch) -> tuple[EventArrays, Patch]:
        """Follow an edit: ``arrays`` are the given ones with ``patch`` applied.  The
        arrays on the axis and where their rows went."""
        self.given = arrays
        if self.scale.is_linear:
            self.arrays = arrays
            return arrays, patch
        rows = on_axis(arrays.repeat(np.asarray(patch.inserted, dtype=np.int64)), self.scale)
        if len(patch.removed) == 1 and len(rows) == 1:
            moved = self.arrays.move_in_place(rows)  # an edit: the rows between shift by one
            if moved is not None:
                return self.arrays, moved
        self.arrays, axis_patch = self.arrays.patched(patch.ids.tolist(), rows)
        return self.arrays, axis_patch

    def span(self, span: tuple[float, float] | None) -> tuple[float, float] | None:
        """A span of time (seconds) on the axis."""
        if span is None:
            return None
        return self.scale.to_axis(float(span[0])), self.scale.to_axis(float(span[1]))
