"""The one painter of timeline events: the window, the presentation band, image files
and print all draw through :class:`EventPainter`.

It paints events already laid out in lanes (:class:`~viewer.ui.timeline.layout.ViewLayout`)
into a :class:`Frame`: the time range and lanes in view and where they go on the
device.  Painting costs what is visible, not how many events there are:

* the lanes in the frame are known from its y range; within a lane the events are
  sorted and disjoint, so the visible ones are found with two binary searches per lane;
* positions are computed with numpy in device pixels and drawn in a few batched calls
  per colour (:mod:`viewer.ui.timeline.marks`): ``drawRects`` straight from a numpy
  buffer for bars, bands and faded ends (one object-bounding gradient brush fades
  every end of a colour at once), and one ``drawPixmapFragments`` stamping
  pre-rendered sprites for the diamonds and the rounded ends of bars.  No
  ``QPainterPath`` of many shapes: the raster engine fills those at ~10 µs a shape.
  On a vector device (SVG, PDF, a printer) the same shapes are drawn as polygons and
  rounded rects instead, so that a file stays sharp at any zoom;
* a lane holding more events in view than there are 2-px columns is drawn as coloured
  occupancy columns instead; and when more events start in view than there are pixel
  columns, a density strip docked at the bottom of the frame (starts per 2-px column,
  found by binary search on the sorted begins) shows where the events are, including
  those in lanes out of view;
* labels go on the side the layout chose for them (after the mark, before it near the
  right end of the data, or inside a bar that holds them), flip to the other side
  when the frame's edge or a neighbour would cut them, and are elided only where
  neither side holds them (:func:`~viewer.model.lanes.place_labels`); they are
  measured lazily and drawn from the :class:`~viewer.ui.timeline.labels.LabelCache`'s
  static texts.  With ``dates`` (pictures, which have no tooltips), a label that has
  room for it also shows its date, muted, without taking more room than the layout
  gave it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from PySide6 import QtGui
from PySide6.QtCore import QPointF, QRectF, Qt

from viewer.model.dates import MONTH_ABBREVIATIONS, MONTH_NAMES, Precision
from viewer.model.lanes import AFTER, BEFORE, INSIDE, mark_bounds, mark_geometry, place_labels
from viewer.model.time_scale import LINEAR
from viewer.store.columns import EventArrays, overlap_counts
from viewer.ui.timeline.bands import BandChip, paint_band_backs, paint_band_headers
from viewer.ui.timeline.drag import DragSession
from viewer.ui.timeline.edges import paint_edges
from viewer.ui.timeline.frame import Frame
from viewer.ui.timeline.labels import LabelCache
from viewer.ui.timeline.layout import LABEL_LAYOUT_SLACK, ViewLayout
from viewer.ui.timeline.marks import (
    BAR_ALPHA,
    FADE_ALPHA,
    MarkStyle,
    batches,
    draw_fragments,
    draw_rects,
    draw_sprites,
    gradient,
    rects,
    with_alpha,
)

__all__ = [
    "COLUMN_PX",
    "HIT_TOLERANCE",
    "DrawnLabel",
    "EventPainter",
    "Frame",
    "LabelHits",
    "hit_index",
    "short_date",
]

MIN_BAND_PX = 3.0  # a point's period is shown as a band from this width on
GHOST_ALPHA = 0.45
COLUMN_PX = 2.0  # width of a density / occupancy column (px)
HIT_TOLERANCE = 4.0  # px
VAGUE = int(Precision.DAY)  # a precision below this is drawn faded
DATE_GAP = 0.6  # em between a label's title and its date
_STRIP_KERNEL = np.array([1.0, 2.0, 3.0, 4.0, 3.0, 2.0, 1.0]) / 16.0
_RASTER = (QtGui.QPaintEngine.Type.Raster, QtGui.QPaintEngine.Type.OpenGL2)
_MONTH_RE = re.compile(r"\b(" + "|".join(MONTH_NAMES) + r")\b")


def short_date(text: str) -> str:
    """A date as a label shows it: months abbreviated ("24 Feb 2022", "16–17 May 2024")."""
    return _MONTH_RE.sub(lambda m: MONTH_ABBREVIATIONS[MONTH_NAMES.index(m[1])], text)


@dataclass(frozen=True)
class DrawnLabel:
    """A label as the last paint drew it."""

    event_id: int
    lane: int
    x0: float  # extent in axis seconds
    x1: float
    side: str  # "after", "before" or "inside" (its bar)
    text: str  # what was drawn: the whole title, or the title elided
    elided: bool


@dataclass
class LabelHits:
    """Labels drawn by the last paint (arrays over them), for hit testing and tests."""

    index: np.ndarray  # event index in the arrays
    lanes: np.ndarray
    x0: np.ndarray  # extent in axis seconds
    x1: np.ndarray
    sides: np.ndarray  # AFTER, BEFORE, INSIDE
    bold: np.ndarray
    elide_to: np.ndarray  # 0: the whole title, else the room it was elided to (px)

    def drawn(self, arrays: EventArrays, labels: LabelCache) -> list[DrawnLabel]:
        names = {AFTER: "after", BEFORE: "before", INSIDE: "inside"}
        out = []
        for i, k, x0, x1, side, bold, room in zip(
            self.index.tolist(),
            self.lanes.tolist(),
            self.x0.tolist(),
            self.x1.tolist(),
            self.sides.tolist(),
            self.bold.tolist(),
            self.elide_to.tolist(),
            strict=True,
        ):
            event_id = int(arrays.ids[i])
            text = labels.text(arrays, i)
            if room != 0:
                text = labels.elide(event_id, text, bold, room)[0]
            out.append(DrawnLabel(event_id, k, x0, x1, names[side], text, room != 0))
        return out


class EventPainter:
    """Paints the events of a layout into a frame, in a :class:`MarkStyle`."""

    def __init__(self, style: MarkStyle, labels: LabelCache) -> None:
        self.style = style
        self.labels = labels
        #: show each label's date where it has room (pictures)
        self.dates = False
        #: the swimlane with the keyboard focus (its index), outlined
        self.band_focus: int | None = None
        #: the swimlane headers the last paint drew
        self.band_chips: list[BandChip] = []
        #: what the frames' x is (the dragged event's dates are put on it)
        self.time_scale = LINEAR

    # -- one frame -------------------------------------------------------------------------

    def paint(
        self,
        p: QtGui.QPainter,
        arrays: EventArrays,
        lay: ViewLayout,
        frame: Frame,
        *,
        selected: np.ndarray | None = None,
        hover_id: int | None = None,
        label_widths: np.ndarray | None = None,
        strip: bool = True,
    ) -> LabelHits | None:
        """Paint what ``frame`` shows (device coordinates: ``p`` is not transformed).

        ``selected`` is a mask over ``arrays`` (outlined, bold labels), ``label_widths``
        the widths of every label when they were all measured (a small set),
        ``strip=False`` leaves out the density strip (a big file still loading).
        Returns the labels drawn, for hit testing.
        """
        a = arrays
        if len(a) == 0 or lay.n_lanes == 0:
            return None
        sz = self.style.sizes
        left, right, top, bottom = frame.left, frame.right, frame.top, frame.bottom
        x0, x1 = min(frame.x0, frame.x1), max(frame.x0, frame.x1)
        y0, y1 = min(frame.y0, frame.y1), max(frame.y0, frame.y1)
        width = right - left
        n_columns = max(1, int(width / COLUMN_PX))
        # more events starting in view than pixel columns: show the density strip
        starts = np.searchsorted(a.begin, [x0, x1])
        strip = strip and bool(starts[1] - starts[0] > width)
        p.save()
        if strip:  # keep the events off the strip
            p.setClipRect(
                QRectF(left, top, width, bottom - top - sz.strip_height),
                Qt.ClipOperation.IntersectClip,
            )
        if lay.bands:
            paint_band_backs(self.style, p, lay, frame, self.band_focus)
        # lanes in view, then the visible events of each lane by binary search
        pad = (sz.marker_radius + HIT_TOLERANCE) / abs(frame.sx)
        la = max(0, math.floor(y0 - 0.5))
        lb = min(lay.n_lanes - 1, math.ceil(y1 + 0.5))
        parts: list[np.ndarray] = []
        dense: list[tuple[int, int, int]] = []
        for lane in range(la, lb + 1):
            o0, o1 = int(lay.offsets[lane]), int(lay.offsets[lane + 1])
            lo = o0 + int(np.searchsorted(lay.lane_finish[o0:o1], x0 - pad, side="right"))
            hi = o0 + int(np.searchsorted(lay.lane_begin[o0:o1], x1 + pad, side="left"))
            if hi - lo > n_columns:
                dense.append((lane, o0, o1))
            elif hi > lo:
                parts.append(np.arange(lo, hi, dtype=np.int64))
        pos = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        hits = None
        if dense:
            paint_dense_lanes(self.style, p, a, dense, lay, frame)
        if len(pos):
            sel = (
                selected[lay.order[pos]]
                if selected is not None and len(selected) == len(a)
                else np.zeros(len(pos), dtype=bool)
            )
            text_bottom = bottom - (sz.strip_height if strip else 0.0)
            area = (left, right, top, text_bottom)
            geo = self._paint_events(p, a, pos, lay, frame, area, sel, hover_id)
            hits = self._paint_labels(p, a, pos, lay, frame, area, sel, geo, label_widths)
        if lay.bands:  # over the events' labels, which may pass under them
            self.band_chips = paint_band_headers(
                self.style, p, lay, frame, self.labels, self.band_focus, toggles=not self.dates
            )
        else:
            self.band_chips = []
        p.restore()
        if strip:
            paint_strip(self.style, p, a, frame)
        return hits

    # -- marks -------------------------------------------------------------------------------

    def _paint_events(
        self,
        p: QtGui.QPainter,
        a: EventArrays,
        pos: np.ndarray,
        lay: ViewLayout,
        frame: Frame,
        area: tuple[float, float, float, float],
        sel: np.ndarray,
        hover_id: int | None,
    ) -> tuple[np.ndarray, ...]:
        """Marks of the visible events, batched per colour, and their outlines.

        Everything is aligned to whole pixels so that sprites and rects meet without
        seams.  Returns ``(ev, lane, bx0, bx1, yi)`` for the labels.
        """
        style, sz = self.style, self.style.sizes
        sx, ox, sy, oy = frame.sx, frame.ox, frame.sy, frame.oy
        corner = sz.corner
        left, right = area[0], area[1]
        ev = lay.order[pos]
        lane = lay.lanes[ev]
        bx0 = sx * a.begin[ev] + ox
        bx1 = sx * a.finish[ev] + ox
        yi = np.floor(sy * lane + oy + 0.5)
        rng = a.is_range[ev]
        pt = ~rng
        keys = style.color_keys(a.category[ev])
        device = p.device()
        dpr = device.devicePixelRatio() if device is not None else 1.0
        engine = p.paintEngine()
        vector = engine is not None and engine.type() not in _RASTER
        # marks cut at a little beyond the frame (clipped there); a vector file may keep
        # no clip, so there they are cut at its edge
        slack = 0.0 if vector else 50.0
        far_l, far_r = left - slack, right + slack

        def px(x: np.ndarray) -> np.ndarray:
            return np.floor(np.clip(x, far_l, far_r) + 0.5)

        # points: the band of the period (when wide enough) and a diamond at its middle
        cx = np.floor((bx0 + bx1) * 0.5 + 0.5)
        band = pt & (bx1 - bx0 >= MIN_BAND_PX)
        # ranges: a bar with faded ends where the start/end is only a month or a year
        bar_end = np.maximum(bx1, bx0 + sz.min_range)
        s_fade = rng & (a.start_precision[ev] < VAGUE)
        e_fade = rng & (a.end_precision[ev] < VAGUE)
        # (a start and end may share a period: "1914 – 5 January 1914")
        sfx = np.where(s_fade, np.minimum(sx * a.start_until[ev] + ox, bar_end), bx0)
        ebx = np.where(e_fade, np.maximum(sx * a.end_from[ev] + ox, bx0), bar_end)
        s_fade &= (sfx - bx0) >= 2.0
        e_fade &= (bar_end - ebx) >= 2.0
        sfx = np.where(s_fade, sfx, bx0)
        ebx = np.where(e_fade, ebx, bar_end)
        meet = sfx > ebx
        mid = (sfx + ebx) * 0.5
        sfx = np.where(meet, mid, sfx)
        ebx = np.where(meet, mid, ebx)
        b0i, b1i = px(bx0), px(bar_end)
        b1i = np.maximum(b1i, b0i + 1.0)
        si = np.clip(px(sfx), b0i, b1i)
        ei = np.clip(px(ebx), si, b1i)
        # rounded ends where the bar really ends there (not faded, not cut by the view)
        room = rng & ((ei - si) >= 2 * corner + 1)
        cap_l = room & ~s_fade & (bx0 >= far_l)
        cap_r = room & ~e_fade & (bar_end <= far_r)

        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, vector)
        p.setPen(Qt.PenStyle.NoPen)
        # bands of points
        idx, runs = batches(keys, band)
        if runs:
            band_rects = rects(px(bx0[idx]), px(bx1[idx]), yi[idx], sz.band_half)
            for key, run in runs:
                p.setBrush(style.brush(key, "band"))
                draw_rects(p, band_rects[run])
        # soft and open ends of qualified dates ("c. 1450", "before 1200")
        r = sz.marker_radius
        paint_edges(
            p,
            style,
            keys,
            a.edges[ev],
            rng,
            np.where(rng, b0i, cx - r),
            np.where(rng, b1i, cx + r),
            yi,
            (far_l, far_r),
        )
        # faded starts and ends of ranges
        for fade_in, mask, xa, xb in ((True, s_fade, bx0, sfx), (False, e_fade, ebx, bar_end)):
            idx, runs = batches(keys, mask)
            for key, run in runs:
                k = idx[run]
                self._paint_fades(p, key, fade_in, xa[k], xb[k], yi[k], far_l, far_r)
        # solid parts of bars, and their rounded ends
        idx, runs = batches(keys, rng & (ei > si))
        if runs:
            xa = si[idx] + np.where(cap_l[idx], corner, 0.0)
            xb = ei[idx] - np.where(cap_r[idx], corner, 0.0)
            bar_rects = rects(xa, xb, yi[idx], sz.bar_half)
            for key, run in runs:
                p.setBrush(style.brush(key, "bar"))
                draw_rects(p, bar_rects[run])
        if vector:
            self._vector_ends(p, keys, cap_l, cap_r, pt, si, ei, cx, yi)
        else:  # every rounded end and diamond, of every colour, in one call
            atlas, places = style.atlas(np.unique(keys).tolist(), dpr)
            pieces = []
            for kind, mask, x in (
                ("cap_l", cap_l, si + corner / 2),
                ("cap_r", cap_r, ei - corner / 2),
                ("diamond", pt, cx),
            ):
                k = np.flatnonzero(mask)
                if len(k):
                    pieces.append((x[k], yi[k], places[kind][keys[k]]))
            if pieces:
                draw_fragments(
                    p,
                    atlas,
                    np.concatenate([x for x, _y, _s in pieces]),
                    np.concatenate([y for _x, y, _s in pieces]),
                    np.concatenate([s for _x, _y, s in pieces]),
                    dpr,
                )
        # hover and selection outlines
        hover = np.zeros(len(ev), dtype=bool)
        if hover_id is not None:
            hover = a.ids[ev] == hover_id
        ring = sz.ring
        theme = style.theme
        for mask, kind, color, width in (
            (hover & ~sel, "hover", with_alpha(theme.label_text, 0.7), sz.line),
            (sel, "selected", QtGui.QColor(theme.accent), 2.0 * sz.line),
        ):
            if not np.any(mask):
                continue
            m = np.flatnonzero(mask & rng)
            if len(m):
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.setPen(QtGui.QPen(color, width))
                draw_rects(p, rects(b0i[m] - ring, b1i[m] + ring, yi[m], sz.bar_half + ring))
                p.setPen(Qt.PenStyle.NoPen)
            m = np.flatnonzero(mask & pt)
            if len(m) and vector:
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.setPen(QtGui.QPen(color, width * (1.0 if kind == "selected" else 1.5)))
                r = sz.marker_radius + ring
                for x, y in zip(cx[m].tolist(), yi[m].tolist(), strict=True):
                    p.drawPolygon(style.diamond(x, y, r))
                p.setPen(Qt.PenStyle.NoPen)
            elif len(m):
                sprite = style.sprite(kind, color, dpr)
                draw_sprites(p, sprite, cx[m], yi[m], dpr)
        return ev, lane, bx0, bx1, yi

    def _vector_ends(
        self,
        p: QtGui.QPainter,
        keys: np.ndarray,
        cap_l: np.ndarray,
        cap_r: np.ndarray,
        pt: np.ndarray,
        si: np.ndarray,
        ei: np.ndarray,
        cx: np.ndarray,
        yi: np.ndarray,
    ) -> None:
        """The rounded ends of bars and the diamonds as shapes (a vector device)."""
        style, sz = self.style, self.style.sizes
        corner, half = sz.corner, sz.bar_half
        for kind, mask in (("cap_l", cap_l), ("cap_r", cap_r)):
            idx, runs = batches(keys, mask)
            for key, run in runs:
                p.setBrush(with_alpha(style.color(key), BAR_ALPHA))
                p.setPen(Qt.PenStyle.NoPen)
                for k in idx[run].tolist():
                    # the end's own corner-wide piece of a rounded rect (as a shape: an
                    # SVG keeps no clip)
                    x = si[k] if kind == "cap_l" else ei[k] - corner
                    rx = si[k] if kind == "cap_l" else ei[k] - 3 * corner
                    rounded = QtGui.QPainterPath()
                    rounded.addRoundedRect(
                        QRectF(rx, yi[k] - half, 3 * corner, 2 * half), corner, corner
                    )
                    piece = QtGui.QPainterPath()
                    piece.addRect(QRectF(x, yi[k] - half, corner, 2 * half))
                    p.drawPath(rounded.intersected(piece))
        idx, runs = batches(keys, pt)
        outline = QtGui.QPen(style.theme.timeline_bg, 1.5 * sz.line)
        for key, run in runs:
            p.setBrush(style.color(key))
            p.setPen(outline)
            for k in idx[run].tolist():
                p.drawPolygon(style.diamond(float(cx[k]), float(yi[k]), sz.marker_radius))
        p.setPen(Qt.PenStyle.NoPen)

    def _paint_fades(
        self,
        p: QtGui.QPainter,
        key: int,
        fade_in: bool,
        xa: np.ndarray,
        xb: np.ndarray,
        yc: np.ndarray,
        far_l: float,
        far_r: float,
    ) -> None:
        """Segments whose alpha ramps from :data:`FADE_ALPHA` to :data:`BAR_ALPHA`.

        A gradient in object-bounding mode is laid over each rect of a ``drawRects``
        call on its own, so all segments of a colour take one call.  The few segments cut
        by the edge of the view (huge ones, when zoomed in) get a gradient of their own
        covering just the visible part of the ramp.
        """
        style = self.style
        half = style.sizes.bar_half
        ca = np.clip(xa, far_l, far_r)
        cb = np.clip(xb, far_l, far_r)
        cut = (ca != xa) | (cb != xb)
        ra, rb = np.floor(ca + 0.5), np.floor(cb + 0.5)  # whole pixels, as the bars
        whole = ~cut & (rb > ra)
        brush = style.brush(key, "fade_in" if fade_in else "fade_out")
        if whole.all():
            p.setBrush(brush)
            draw_rects(p, rects(ra, rb, yc, half))
            return
        if whole.any():
            p.setBrush(brush)
            draw_rects(p, rects(ra[whole], rb[whole], yc[whole], half))
        lo, hi = (FADE_ALPHA, BAR_ALPHA) if fade_in else (BAR_ALPHA, FADE_ALPHA)
        color = style.color(key)
        for k in np.flatnonzero(cut & (rb > ra)).tolist():
            span = xb[k] - xa[k]
            t0, t1 = (ca[k] - xa[k]) / span, (cb[k] - xa[k]) / span
            p.setBrush(gradient(color, lo + (hi - lo) * t0, lo + (hi - lo) * t1))
            p.drawRect(QRectF(ra[k], yc[k] - half, rb[k] - ra[k], 2 * half))

    # -- labels ------------------------------------------------------------------------------

    def _paint_labels(
        self,
        p: QtGui.QPainter,
        a: EventArrays,
        pos: np.ndarray,
        lay: ViewLayout,
        frame: Frame,
        area: tuple[float, float, float, float],
        sel: np.ndarray,
        geometry: tuple[np.ndarray, ...],
        label_widths: np.ndarray | None,
    ) -> LabelHits | None:
        """Labels beside (or inside) their marks, whole wherever a side holds them.

        Each label takes the side its layout chose, else the other side, else it is
        elided where there is more room (:func:`place_labels`): never cut by the frame's
        edge, never over another label or a mark of its lane.
        """
        ev, lane, bx0, bx1, yc = geometry
        left, right, top, bottom = area
        sx, ox = frame.sx, frame.ox
        sz = self.style.sizes
        labels = self.labels
        half = labels.metrics.height() * 0.5
        # Cull first, cheaply: no label has more room than the free span between the
        # neighbouring marks of its lane (in seconds, from the layout), nor is one drawn
        # in a lane the frame cuts
        view0, view1 = (left - ox) / sx, (right - ox) / sx
        nb, pf = lay.neighbours(pos)
        free = (np.minimum(nb, view1) - np.maximum(pf, view0)) * sx - sz.place_gap
        known = label_widths is not None and len(label_widths) == len(a)
        need: np.ndarray | float = sz.min_label  # labels are measured only when shown
        if known:
            assert label_widths is not None
            need = np.fmin(label_widths[ev], sz.min_label)
        keep = np.flatnonzero(
            (free >= need) & (free > 0) & (yc - half >= top) & (yc + half <= bottom)
        )
        if len(keep) == 0:
            return None
        pos, ev, lane, yc, sel = pos[keep], ev[keep], lane[keep], yc[keep], sel[keep]
        has_next, has_prev = np.isfinite(nb[keep]), np.isfinite(pf[keep])
        last = len(lay.order) - 1
        marks = {"marker_radius": sz.marker_radius, "min_range": sz.min_range}
        geo = mark_geometry(bx0[keep], bx1[keep], a.is_range[ev], label_gap=sz.label_gap, **marks)
        side = lay.sides_of(ev, np.where(geo.is_range, geo.hi - geo.lo, 0.0) / sz.factor)
        inside = side == INSIDE
        # a label inside a bar stays in view while the bar's start is scrolled out
        after = np.where(inside, np.maximum(geo.inside, left + sz.label_gap), geo.after)
        before = geo.before
        # where the neighbouring marks in the lane end and begin
        nev = lay.order[np.minimum(pos + 1, last)]
        pev = lay.order[np.maximum(pos - 1, 0)]
        next_lo, _ = mark_bounds(
            sx * a.begin[nev] + ox, sx * a.finish[nev] + ox, a.is_range[nev], **marks
        )
        _, prev_hi = mark_bounds(
            sx * a.begin[pev] + ox, sx * a.finish[pev] + ox, a.is_range[pev], **marks
        )
        right_limit = np.where(has_next, next_lo, np.inf)
        left_limit = np.where(has_prev, prev_hi, -np.inf)
        # only labels with some room on a side are measured and placed
        room = np.maximum(
            np.where(after >= left, np.minimum(right_limit, right) - after, -np.inf),
            np.where(before <= right, before - np.maximum(left_limit, left), -np.inf),
        )
        room -= sz.place_gap
        # (bold widths are measured below, for the candidates only)
        full = np.full(len(ev), np.nan)
        if known:
            assert label_widths is not None
            full = np.where(sel, np.nan, label_widths[ev])
        cand = np.flatnonzero((room >= np.fmin(full, sz.min_label)) & (room > 0))
        if len(cand) == 0:
            return None
        bold = sel[cand]
        full = labels.widths(a, ev[cand], bold)
        cids = a.ids[ev[cand]].tolist()
        ctext = [labels.known_text(i) for i in cids]
        # a bar that holds its whole label here holds it, whatever the layout (made at
        # another scale, or without widths) expected
        c_after = after[cand]
        c_side = side[cand]
        bar0 = np.maximum(geo.inside[cand], left + sz.label_gap)
        bar1 = np.minimum(geo.hi[cand], right) - sz.label_gap
        held = geo.is_range[cand] & (full <= bar1 - bar0)
        c_after = np.where(held, bar0, c_after)
        c_side = np.where(held, INSIDE, c_side)
        placed = place_labels(
            lane[cand],
            full,
            c_after,
            before[cand],
            right_limit[cand],
            left_limit[cand],
            c_side == BEFORE,
            min_x=left,
            max_x=right,
            gap=sz.place_gap,
            min_width=sz.min_label,
            # the cap is on the regular font: a title selected (bold) stays whole
            max_width=np.where(bold, sz.label_max * LABEL_LAYOUT_SLACK, sz.label_max),
            step=sz.elide_step,
        )
        shown = np.flatnonzero(placed.shown)
        if len(shown) == 0:
            return None
        x0 = placed.x0.copy()
        width = placed.width.copy()
        elide_to = np.where(placed.elided, placed.width, 0.0).astype(np.int64)
        # an elided text is a little narrower than its room: right-align it before its mark
        for j in np.flatnonzero(placed.elided).tolist():
            width[j] = labels.elide(cids[j], ctext[j], bool(bold[j]), int(elide_to[j]))[1]
            if placed.before[j]:
                x0[j] = before[cand[j]] - width[j]
        height = labels.metrics.height()
        ys = (yc[cand] - height * 0.5).tolist()
        if self.dates:
            limits = (
                right_limit[cand],
                left_limit[cand],
                before[cand],
                c_side == INSIDE,
                lane[cand],
            )
            x0 = self._paint_dates(p, a, ev[cand], shown, placed, x0, width, ys, limits, area)
        p.setPen(self.style.theme.label_text)
        xs = x0.tolist()
        for is_bold in (False, True):
            which = shown[bold[shown] == is_bold].tolist()
            if not which:
                continue
            p.setFont(labels.bold if is_bold else labels.font)
            for j in which:
                st = labels.static_text(cids[j], ctext[j], is_bold, int(elide_to[j]))
                p.drawStaticText(QPointF(xs[j], ys[j]), st)
        sides = np.where(placed.before, BEFORE, np.where(c_side == INSIDE, INSIDE, AFTER))
        return LabelHits(
            index=ev[cand][shown],
            lanes=lane[cand][shown],
            x0=(x0[shown] - ox) / sx,
            x1=(x0[shown] + width[shown] - ox) / sx,
            sides=sides[shown],
            bold=bold[shown],
            elide_to=elide_to[shown],
        )

    def _paint_dates(
        self,
        p: QtGui.QPainter,
        a: EventArrays,
        ev: np.ndarray,
        shown: np.ndarray,
        placed: object,
        x0: np.ndarray,
        width: np.ndarray,
        ys: list[float],
        limits: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
        area: tuple[float, float, float, float],
    ) -> np.ndarray:
        """The date after each whole label that has room for it within its lane's free
        span (a label before its mark moves left to keep the mark where it is); the
        labels' new left edges."""
        right_limit, left_limit, before, inside, lanes = limits
        left, right = area[0], area[1]
        sz = self.style.sizes
        metrics = self.labels.metrics
        gap = DATE_GAP * metrics.height()
        elided = placed.elided  # type: ignore[attr-defined]
        is_before = placed.before  # type: ignore[attr-defined]
        x0 = x0.copy()
        # the other labels of the lane are in the way too: taken left to right, each
        # date keeps clear of the label after it and of what the one before it took
        order = shown[np.lexsort((x0[shown], lanes[shown]))].tolist()
        p.setPen(self.style.theme.axis_text)
        p.setFont(self.labels.font)
        lane_now, taken = None, -math.inf
        for k, j in enumerate(order):
            if lanes[j] != lane_now:
                lane_now, taken = lanes[j], -math.inf
            nxt = order[k + 1] if k + 1 < len(order) else None
            next_x0 = x0[nxt] if nxt is not None and lanes[nxt] == lane_now else math.inf
            end = x0[j] + width[j]
            if not (elided[j] or inside[j]):
                text = short_date(a.dates[int(ev[j])])
                w = math.ceil(metrics.horizontalAdvance(text))
                base = ys[j] + metrics.ascent()
                if is_before[j]:
                    start = x0[j] - gap - w  # the title moves left by the date's room
                    if start >= max(left, left_limit[j] + sz.place_gap, taken + sz.place_gap):
                        x0[j] = start
                        p.drawText(QPointF(before[j] - w, base), text)
                elif end + gap + w <= min(right, right_limit[j], next_x0) - sz.place_gap:
                    p.drawText(QPointF(end + gap, base), text)
                    end += gap + w
            taken = max(taken, end)
        return x0

    # -- the event being dragged -------------------------------------------------------------

    def paint_ghost(
        self,
        p: QtGui.QPainter,
        arrays: EventArrays,
        lay: ViewLayout,
        frame: Frame,
        drag: DragSession,
    ) -> None:
        """The dragged event where it would land: a ghost and its new date."""
        if drag.preview is None or drag.index >= len(lay.lanes):
            return
        style, sz = self.style, self.style.sizes
        theme = style.theme
        left, right, top, bottom = frame.left, frame.right, frame.top, frame.bottom
        sx, ox, sy, oy = frame.sx, frame.ox, frame.sy, frame.oy
        bar_half, corner = sz.bar_half, sz.corner
        start, end = drag.preview
        i = drag.index
        far_l, far_r = left - 50.0, right + 50.0
        to_axis = self.time_scale.to_axis
        x0 = sx * to_axis(start.begin()) + ox
        x1 = sx * to_axis((end or start).finish()) + ox
        yc = math.floor(sy * float(lay.lanes[i]) + oy + 0.5)
        color = style.color(int(style.color_keys(arrays.category[i : i + 1])[0]))
        accent = QtGui.QColor(theme.accent)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setPen(QtGui.QPen(accent, 1.5 * sz.line, Qt.PenStyle.DashLine))
        p.setBrush(with_alpha(color, GHOST_ALPHA))
        if end is not None:
            x1 = max(x1, x0 + sz.min_range)
            a, b = max(x0, far_l), min(x1, far_r)
            p.drawRoundedRect(QRectF(a, yc - bar_half, b - a, 2 * bar_half), corner, corner)
            anchor = x1 if drag.edge == "end" else x0
        else:
            if x1 - x0 >= MIN_BAND_PX:
                a, b = max(x0, far_l), min(x1, far_r)
                p.drawRect(QRectF(a, yc - sz.band_half, b - a, 2 * sz.band_half))
            cx = (x0 + x1) * 0.5
            p.drawPolygon(style.diamond(cx, yc, sz.marker_radius + sz.line))
            anchor = cx
        # the new date in a small box above the ghost (below it in the top lane)
        pad = 5.0 * sz.factor
        metrics = self.labels.metrics
        w = math.ceil(metrics.horizontalAdvance(drag.label)) + 2 * pad
        h = math.ceil(metrics.height()) + 4.0 * sz.factor
        if drag.edge == "end":
            lx = anchor - w
        elif end is None:
            lx = anchor - w / 2
        else:
            lx = anchor
        lx = min(max(lx, left + 2.0), right - 2.0 - w)
        ly = yc - bar_half - pad - h
        if ly < top + 1.0 and yc + bar_half + pad + h <= bottom:
            ly = yc + bar_half + pad
        box = QRectF(lx, ly, w, h)
        p.setPen(QtGui.QPen(accent, sz.line))
        p.setBrush(with_alpha(theme.timeline_bg, 0.94))
        p.drawRoundedRect(box, 4.0 * sz.factor, 4.0 * sz.factor)
        p.setPen(theme.label_text)
        p.setFont(self.labels.font)
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, drag.label)


def paint_dense_lanes(
    style: MarkStyle,
    p: QtGui.QPainter,
    a: EventArrays,
    dense: list[tuple[int, int, int]],
    lay: ViewLayout,
    frame: Frame,
) -> None:
    """Lanes with more events in view than pixels: occupied columns, coloured."""
    left, right = frame.left, frame.right
    sx, ox = frame.sx, frame.ox
    n = max(1, int((right - left) / COLUMN_PX))
    px_edges = left + np.arange(n + 1) * COLUMN_PX
    edges = (px_edges - ox) / sx
    xs_all, ys_all, keys_all = [], [], []
    for lane, o0, o1 in dense:
        lb = lay.lane_begin[o0:o1]
        lf = lay.lane_finish[o0:o1]
        counts = overlap_counts(lb, lf, edges)
        cols = np.flatnonzero(counts > 0)
        if len(cols) == 0:
            continue
        first = o0 + np.minimum(np.searchsorted(lf, edges[cols], side="right"), o1 - o0 - 1)
        xs_all.append(px_edges[cols])
        ys_all.append(np.full(len(cols), frame.sy * lane + frame.oy))
        keys_all.append(style.color_keys(a.category[lay.order[first]]))
    if not xs_all:
        return
    xs = np.concatenate(xs_all)
    ys = np.concatenate(ys_all)
    keys = np.concatenate(keys_all)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
    p.setPen(Qt.PenStyle.NoPen)
    column_rects = rects(xs, xs + COLUMN_PX, ys, style.sizes.dense_half)
    idx, runs = batches(keys, np.ones(len(keys), dtype=bool))
    column_rects = column_rects[idx]
    for key, run in runs:
        p.setBrush(style.brush(key, "dense"))
        draw_rects(p, column_rects[run])


def paint_strip(style: MarkStyle, p: QtGui.QPainter, a: EventArrays, frame: Frame) -> None:
    """Density of all events (every lane) per column, docked to the frame's bottom."""
    theme = style.theme
    span = a.span()
    assert span is not None
    sx, ox = frame.sx, frame.ox
    left, right, bottom = frame.left, frame.right, frame.bottom
    d0 = max(left, sx * span[0] + ox)
    d1 = min(right, sx * span[1] + ox)
    if d1 <= d0:
        return
    n = max(1, math.ceil((d1 - d0) / COLUMN_PX))
    px_edges = d0 + np.arange(n + 1) * COLUMN_PX
    counts = np.diff(np.searchsorted(a.begin, (px_edges - ox) / sx)).astype(np.float64)
    # a light triangular smoothing turns sparse counts into a readable density
    counts = np.convolve(counts, _STRIP_KERNEL, mode="same")
    strip_height = style.sizes.strip_height
    top = bottom - strip_height
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(with_alpha(theme.timeline_bg, 0.88))
    p.drawRect(QRectF(d0, top, d1 - d0, strip_height))
    cmax = counts.max() if len(counts) else 0
    if cmax <= 0:
        return
    h = np.sqrt(counts / cmax) * (strip_height - 4)
    h = np.where(counts > 0, np.maximum(np.round(h), 1.0), 0.0)
    cols = np.flatnonzero(h > 0)
    p.setBrush(with_alpha(theme.density, 0.75))
    draw_rects(
        p,
        np.column_stack(
            [px_edges[cols], bottom - 1 - h[cols], np.full(len(cols), COLUMN_PX), h[cols]]
        ),
    )
    p.setPen(QtGui.QPen(with_alpha(theme.label_text, 0.25), 1.0))
    p.drawLine(QPointF(d0, top + 0.5), QPointF(d1, top + 0.5))


def hit_index(
    arrays: EventArrays,
    lay: ViewLayout,
    style: MarkStyle,
    sx: float,
    sy: float,
    x: float,
    y: float,
    hits: LabelHits | None,
) -> int | None:
    """The event (position in ``arrays``) drawn at ``(x, y)`` (axis seconds, lanes) in
    a frame of ``sx`` px per second and ``sy`` px per lane, or ``None``.  Marks are hit
    with a tolerance of a few pixels, and a drawn label counts as its event."""
    sz = style.sizes
    lane = math.floor(y + 0.5)
    if lane < 0 or lane >= lay.n_lanes:
        return None
    if abs(y - lane) * sy > sz.bar_half + HIT_TOLERANCE:
        return None
    tol = HIT_TOLERANCE / sx
    o0, o1 = int(lay.offsets[lane]), int(lay.offsets[lane + 1])
    reach = (sz.marker_radius + HIT_TOLERANCE + 1.0) / sx
    lo = o0 + int(np.searchsorted(lay.lane_finish[o0:o1], x - reach, side="right"))
    hi = o0 + int(np.searchsorted(lay.lane_begin[o0:o1], x + reach, side="left"))
    a = arrays
    i = lay.order[max(lo - 1, o0) : min(hi + 1, o1)]
    if len(i):
        b, f = a.begin[i], a.finish[i]
        # distance (in seconds) from x to each mark: bar, or marker and band
        bar = np.maximum.reduce([np.zeros(len(i)), b - x, x - np.maximum(f, b + sz.min_range / sx)])
        marker = np.maximum(0.0, np.abs(x - (b + f) * 0.5) - sz.marker_radius / sx)
        band = np.where(
            (f - b) * sx >= MIN_BAND_PX, np.maximum(0.0, np.maximum(b - x, x - f)), np.inf
        )
        dist = np.where(a.is_range[i], bar, np.minimum(marker, band))
        k = int(np.argmin(dist))
        if dist[k] <= tol:
            return int(i[k])
    if hits is not None:
        m = np.flatnonzero((hits.lanes == lane) & (hits.x0 <= x) & (x <= hits.x1))
        if len(m):
            return int(hits.index[m[0]])
    return None
