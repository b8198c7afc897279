"""How the ends of approximate, uncertain and open dates are drawn.

What a source said about a date (:class:`~viewer.model.dates.Qualifier`) never moves
its mark; it changes the mark's ends, and differently from the fade that says a date
is only known to the month or year (that fade lies inside the date's own period):

* an approximate or uncertain end ("c. 1450", "1455?") bleeds a little beyond the mark,
  a short ramp fading out: it may have been a little earlier or later;
* an open end ("before 1200", "after 1300") trails a long wedge that narrows and fades
  towards the open side, like an arrow.

Both are drawn under the labels, at an alpha that leaves a label over them readable,
and are batched per colour as the other marks are; the wedges are one polygon per
visible open end, and only visible marks are ever looked at.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtGui
from PySide6.QtCore import QPointF, Qt

from viewer.model.event import OPEN_END, OPEN_START, SOFT_END, SOFT_START
from viewer.store.columns import EventArrays
from viewer.ui.timeline.marks import MarkStyle, batches, draw_rects, rects

__all__ = ["SOFT_PX", "TAIL_PX", "edge_reach", "paint_edges"]

#: Length of a soft (approximate or uncertain) end beyond the mark, at scale 1.
SOFT_PX = 12.0
#: Length of the wedge of an open end, at scale 1.
TAIL_PX = 34.0


def paint_edges(
    p: QtGui.QPainter,
    style: MarkStyle,
    keys: np.ndarray,
    edges: np.ndarray,
    is_range: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    yc: np.ndarray,
    far: tuple[float, float],
) -> None:
    """The soft ends and open wedges of the visible marks whose ``edges`` say so.

    ``left`` and ``right`` are where each mark begins and ends on the device (a bar's
    ends, a diamond's tips), ``yc`` its middle line, ``far`` the x range worth drawing.
    """
    if not edges.any():
        return
    sz = style.sizes
    soft, tail = SOFT_PX * sz.factor, TAIL_PX * sz.factor
    # a point's soft ends are a thin whisker at its tips; a bar's are as tall as the bar
    for points, half in ((False, sz.bar_half), (True, max(1.0, round(sz.bar_half * 0.45)))):
        shape = is_range != points
        for bit, outward, brush_kind in ((SOFT_START, -1, "soft_in"), (SOFT_END, 1, "soft_out")):
            # (an end that is open too gets the wedge instead: OPEN_x is SOFT_x * 4)
            mask = shape & ((edges & bit) != 0) & ((edges & (bit * 4)) == 0)
            at = left if outward < 0 else right
            _ramps(p, style, keys, mask, at, at + outward * soft, yc, half, brush_kind, far)
    for bit, outward in ((OPEN_START, -1), (OPEN_END, 1)):
        mask = (edges & bit) != 0
        at = left if outward < 0 else right
        _wedges(p, style, keys, mask, at, at + outward * tail, yc, sz.bar_half, far)


def _ramps(
    p: QtGui.QPainter,
    style: MarkStyle,
    keys: np.ndarray,
    mask: np.ndarray,
    start: np.ndarray,
    stop: np.ndarray,
    yc: np.ndarray,
    half: float,
    kind: str,
    far: tuple[float, float],
) -> None:
    """Rects from ``start`` to ``stop`` (either way round), faded towards ``stop``."""
    idx, runs = batches(keys, mask)
    if not runs:
        return
    lo = np.minimum(start[idx], stop[idx])
    hi = np.maximum(start[idx], stop[idx])
    # (whole pixels, as the bars; a ramp cut by the view's edge is not drawn: it fades
    # towards that edge, so what is cut is the faint part)
    x0, x1 = np.floor(lo + 0.5), np.floor(hi + 0.5)
    keep = (x1 > x0) & (x0 >= far[0]) & (x1 <= far[1])
    boxes = rects(x0, x1, yc[idx], half)
    for key, run in runs:
        k = np.flatnonzero(keep[run]) + run.start
        if len(k):
            p.setBrush(style.brush(key, kind))
            draw_rects(p, boxes[k])


def _wedges(
    p: QtGui.QPainter,
    style: MarkStyle,
    keys: np.ndarray,
    mask: np.ndarray,
    base: np.ndarray,
    tip: np.ndarray,
    yc: np.ndarray,
    half: float,
    far: tuple[float, float],
) -> None:
    """Triangles from a mark's end (as tall as a bar) to a point at ``tip``, fading."""
    idx, runs = batches(keys, mask)
    for key, run in runs:
        for k in idx[run].tolist():
            b, t, y = float(base[k]), float(tip[k]), float(yc[k])
            if max(b, t) < far[0] or min(b, t) > far[1]:
                continue
            towards_left = t < b
            p.setBrush(style.brush(key, "tail_in" if towards_left else "tail_out"))
            p.setPen(Qt.PenStyle.NoPen)
            p.drawPolygon(
                QtGui.QPolygonF([QPointF(b, y - half), QPointF(t, y), QPointF(b, y + half)])
            )


def edge_reach(arrays: EventArrays, scale: float, style: MarkStyle) -> tuple[float, float]:
    """How far (px) the soft ends and wedges of ``arrays`` laid out at ``scale`` px/s
    reach beyond the data span: ``(before its start, after its end)``, each at least 0.
    Looks only at the events that have any (none, in most files)."""
    span = arrays.span()
    if span is None or not (scale > 0 and np.isfinite(scale)):
        return 0.0, 0.0
    k = np.flatnonzero(arrays.edges)
    if len(k) == 0:
        return 0.0, 0.0
    sz = style.sizes
    soft, tail = SOFT_PX * sz.factor, TAIL_PX * sz.factor
    edges, rng = arrays.edges[k], arrays.is_range[k]
    x0 = (arrays.begin[k] - span[0]) * scale
    x1 = (arrays.finish[k] - span[0]) * scale
    centre = (x0 + x1) * 0.5
    left = np.where(rng, x0, centre - sz.marker_radius)
    right = np.where(rng, np.maximum(x1, x0 + sz.min_range), centre + sz.marker_radius)
    out_left = np.where(edges & OPEN_START, tail, np.where(edges & SOFT_START, soft, 0.0))
    out_right = np.where(edges & OPEN_END, tail, np.where(edges & SOFT_END, soft, 0.0))
    width = (span[1] - span[0]) * scale
    before = -float((left - out_left).min())
    after = float((right + out_right).max()) - width
    return max(0.0, before), max(0.0, after)
