"""Swimlanes on the canvas: band backgrounds, headers and collapsed summaries.

Part of the one painter (:class:`~viewer.ui.timeline.painter.EventPainter` calls these
around the events), so the window, the presentation band, image files and print all
draw bands alike.  A band (:class:`~viewer.ui.timeline.layout.Band`) starts with a
header row; the header is a chip with the band's colour, name and count, drawn at the
frame's left edge, so it stays in sight while the timeline is panned (and at the
frame's top while the band is scrolled partly out of it).  A collapsed band
is its header row alone, with the density of its events drawn along the row after the
chip.  Costs what is in view: bands are few, and a summary is one binary search per
2-px column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6 import QtGui
from PySide6.QtCore import QPointF, QRectF, Qt

from viewer.ui.timeline.frame import Frame
from viewer.ui.timeline.labels import LabelCache
from viewer.ui.timeline.layout import Band, ViewLayout
from viewer.ui.timeline.marks import MarkStyle, draw_rects, with_alpha

__all__ = ["BandChip", "paint_band_backs", "paint_band_headers"]

COLUMN_PX = 2.0
#: Gap (px at size 1) between the frame's left edge and a header chip.
CHIP_INSET = 6.0
EXPANDED = "\u25be"  # ▾
COLLAPSED = "\u25b8"  # ▸


@dataclass(frozen=True, slots=True)
class BandChip:
    """A header chip as drawn (device pixels), for hit testing."""

    band: int
    rect: QRectF


def _row_y(frame_sy: float, frame_oy: float, row: float) -> float:
    return frame_sy * row + frame_oy


def paint_band_backs(
    style: MarkStyle, p: QtGui.QPainter, lay: ViewLayout, frame: Frame, focus: int | None
) -> None:
    """Every other band tinted, a rule above each band, the focused band outlined, and
    the density of each collapsed band along its row."""
    theme, sz = style.theme, style.sizes
    f = frame
    left, right, top, bottom = f.left, f.right, f.top, f.bottom
    sy, oy = f.sy, f.oy
    p.save()
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
    for k, band in enumerate(lay.bands):
        y0 = _row_y(sy, oy, band.first - 0.5)
        y1 = _row_y(sy, oy, band.last + 0.5)
        if y1 < top or y0 > bottom:
            continue
        rect = QRectF(left, y0, right - left, y1 - y0)
        if k % 2 == 1:
            p.fillRect(rect, theme.band_tint)
        if k == focus:
            p.fillRect(rect, with_alpha(theme.accent, 0.07))
        if k > 0:
            p.setPen(QtGui.QPen(theme.grid_major, max(1.0, sz.factor)))
            p.drawLine(QPointF(left, math.floor(y0) + 0.5), QPointF(right, math.floor(y0) + 0.5))
        if band.spec.collapsed and len(band.begin):
            _paint_summary(style, p, band, f, _row_y(sy, oy, band.first))
    p.restore()


def _paint_summary(style: MarkStyle, p: QtGui.QPainter, band: Band, f: Frame, yc: float) -> None:
    """A collapsed band's events along its row: per 2-px column, a bar as high as the
    square root of how many of them overlap the column (a range all along its span)."""
    left, right = f.left, f.right
    sx, ox = f.sx, f.ox
    d0 = max(left, sx * float(band.begin[0]) + ox)
    d1 = min(right, sx * float(band.finish[-1]) + ox + COLUMN_PX)
    if d1 <= d0:
        return
    n = max(1, math.ceil((d1 - d0) / COLUMN_PX))
    edges = (d0 + np.arange(n + 1) * COLUMN_PX - ox) / sx
    # overlapping [e0, e1): begun before e1, less those finished by e0; a column a
    # point begins in counts it too
    begun = np.searchsorted(band.begin, edges[1:], side="left")
    done = np.searchsorted(band.finish, edges[:-1], side="right")
    counts = np.maximum(begun - done, 0).astype(np.float64)
    counts[(counts == 0) & (np.diff(np.searchsorted(band.begin, edges)) > 0)] = 1.0
    cmax = counts.max() if len(counts) else 0.0
    if cmax <= 0:
        return
    full = 2 * style.sizes.bar_half
    h = np.where(counts > 0, np.maximum(np.round(np.sqrt(counts / cmax) * full), 2.0), 0.0)
    cols = np.flatnonzero(h > 0)
    xs = d0 + cols * COLUMN_PX
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(with_alpha(style.color(band.spec.color), 0.75))
    draw_rects(
        p,
        np.column_stack([xs, np.floor(yc - h[cols] / 2), np.full(len(cols), COLUMN_PX), h[cols]]),
    )


def chip_text(band: Band, toggles: bool = True) -> str:
    """A header's text: its name, after ▾ (expanded) or ▸ (collapsed) where a click
    toggles it (not in a picture)."""
    if not toggles:
        return band.spec.name
    return f"{COLLAPSED if band.spec.collapsed else EXPANDED}  {band.spec.name}"


def paint_band_headers(
    style: MarkStyle,
    p: QtGui.QPainter,
    lay: ViewLayout,
    frame: Frame,
    labels: LabelCache,
    focus: int | None,
    *,
    toggles: bool = True,
) -> list[BandChip]:
    """Each band's header chip at the frame's left edge: ▾/▸, a swatch of its colour,
    its name and count.  Returns the chips drawn."""
    theme, sz = style.theme, style.sizes
    f = frame
    left, right, top, bottom = f.left, f.right, f.top, f.bottom
    sy, oy = f.sy, f.oy
    bold = QtGui.QFont(labels.bold)
    fm = QtGui.QFontMetricsF(bold)
    small = QtGui.QFont(labels.font)
    sfm = QtGui.QFontMetricsF(small)
    pad = 6.0 * sz.factor
    swatch = max(6.0, 8.0 * sz.factor)
    height = min(abs(sy) - 4.0, fm.height() + 6.0 * sz.factor)
    chips: list[BandChip] = []
    p.save()
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    for k, band in enumerate(lay.bands):
        yc = _row_y(sy, oy, band.first)
        # a band scrolled partly out at the top keeps its header in sight (sticky),
        # until the band's own end pushes it out
        band_bottom = _row_y(sy, oy, band.last + 0.5)
        yc = max(yc, min(top + height / 2 + 2.0, band_bottom - height / 2 - 2.0))
        if yc + height < top or yc + height / 2 > bottom + 2.0:
            continue  # (not a sliver of a chip cut at the bottom either)
        name = chip_text(band, toggles)
        count = f"{band.count:,}"
        room = max(40.0, (right - left) * 0.45)
        name = fm.elidedText(name, Qt.TextElideMode.ElideRight, room)
        w = pad + swatch + pad + fm.horizontalAdvance(name) + pad + sfm.horizontalAdvance(count)
        rect = QRectF(left + CHIP_INSET * sz.factor, yc - height / 2, w + pad, height)
        border = theme.accent if k == focus else theme.grid_major
        p.setPen(QtGui.QPen(border, max(1.0, sz.factor * (1.5 if k == focus else 1.0))))
        p.setBrush(with_alpha(theme.timeline_bg, 0.94))
        p.drawRoundedRect(rect, height / 2, height / 2)
        x = rect.left() + pad
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(style.color(band.spec.color))
        p.drawEllipse(QRectF(x, yc - swatch / 2, swatch, swatch))
        x += swatch + pad
        p.setPen(theme.label_text)
        p.setFont(bold)
        text_rect = QRectF(x, rect.top(), rect.right() - x, height)
        p.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
        x += fm.horizontalAdvance(name) + pad
        p.setPen(theme.axis_text)
        p.setFont(small)
        count_rect = QRectF(x, rect.top(), rect.right() - x, height)
        p.drawText(count_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, count)
        chips.append(BandChip(k, rect))
    p.restore()
    return chips
