"""How the timeline's marks look: their sizes, their colours, and the few painter calls
that draw many of them at once.

* :class:`MarkSizes`: every pixel size of marks and labels at one size factor (1.0 on
  screen; a presentation or a big picture makes everything larger);
* :class:`MarkStyle`: the colours of marks (by category key, from the document's
  categories) and of the canvas (from the :class:`~viewer.ui.theme.Theme`), and what is
  made from them once: brushes, pre-rendered sprites (diamonds, outlines, the rounded
  ends of bars) and an atlas of those sprites for one ``drawPixmapFragments`` call;
* batch primitives: ``drawRects`` straight from a numpy buffer, sprites stamped in one
  call, runs of one colour (:func:`batches`).

:mod:`viewer.ui.timeline.painter` draws with these, for the window, the presentation,
image files and print alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shiboken6
from PySide6 import QtGui
from PySide6.QtCore import QPointF, QRectF, Qt

from viewer.model.colors import CATEGORY_COLORS, NEUTRAL_COLOR, SINGLE_COLOR
from viewer.model.event import Category
from viewer.model.lanes import LABEL_GAP, MARKER_RADIUS, MIN_RANGE_PX
from viewer.ui.theme import Theme, light_theme

__all__ = [
    "BAR_ALPHA",
    "FADE_ALPHA",
    "MarkSizes",
    "MarkStyle",
    "batches",
    "category_colors",
    "draw_fragments",
    "draw_rects",
    "draw_sprites",
    "rects",
    "with_alpha",
]

BAR_HALF = 9.0  # half the height of a range bar (px)
BAND_HALF = 7.0  # half the height of a point's period band (px)
CORNER = 3.0  # corner radius of a bar (px)
FADE_ALPHA = 0.06  # alpha at the far end of a vague (month/year) start or end
BAR_ALPHA = 0.55
SOFT_ALPHA = 0.42  # alpha where a soft (approximate) end leaves its mark
TAIL_ALPHA = 0.36  # alpha where an open end's wedge leaves its mark
#: Left-to-right alpha ramps of the ends of qualified dates, by brush kind.
_EDGE_RAMPS = {
    "soft_in": (0.0, SOFT_ALPHA),
    "soft_out": (SOFT_ALPHA, 0.0),
    "tail_in": (0.0, TAIL_ALPHA),
    "tail_out": (TAIL_ALPHA, 0.0),
}
BAND_ALPHA = 0.22
DENSE_ALPHA = 0.85
LABEL_MAX_PX = 520.0  # longer titles are always elided (lanes reserve up to this)
MIN_LABEL_PX = 64.0  # a label elided to fit is never narrower than this
ELIDE_STEP = 16.0  # elided widths are rounded down to this step (fewer cached texts)
STRIP_HEIGHT = 22.0  # density strip at the bottom of the view (px)
LABEL_PLACE_GAP = 3.0  # free pixels between a label and the next mark
ROW_PX = 26.0  # one lane's row (px)


@dataclass(frozen=True, slots=True)
class MarkSizes:
    """Pixel sizes of marks and labels at one size factor (1.0: the module's constants).

    Heights, corners and the ring around a selected mark are whole pixels, so that bars
    and the sprites of their ends meet without seams.  Mouse tolerances (hit, drag,
    resize) are not here: they are about the hand, not the eye.
    """

    factor: float
    bar_half: float
    band_half: float
    corner: float
    ring: float  # how far the hover and selection outlines stand off a mark
    line: float  # width of a 1-px line
    dense_half: float  # half the height of an occupancy column
    strip_height: float
    row: float  # one lane's row
    marker_radius: float
    label_gap: float
    min_range: float
    label_max: float
    min_label: float
    elide_step: float
    place_gap: float
    diamond_px: float  # side of the (square) diamond sprite
    ring_px: float  # side of the (square) hover and selection sprites

    @classmethod
    def at(cls, factor: float) -> MarkSizes:
        def whole(px: float) -> float:
            return float(max(1, round(px * factor)))

        marker = MARKER_RADIUS * factor
        ring = whole(3.0)
        return cls(
            factor=factor,
            bar_half=whole(BAR_HALF),
            band_half=whole(BAND_HALF),
            corner=whole(CORNER),
            ring=ring,
            line=max(1.0, factor),
            dense_half=whole(5.0),
            strip_height=whole(STRIP_HEIGHT),
            row=ROW_PX * factor,
            marker_radius=marker,
            label_gap=LABEL_GAP * factor,
            min_range=MIN_RANGE_PX * factor,
            label_max=LABEL_MAX_PX * factor,
            min_label=MIN_LABEL_PX * factor,
            elide_step=whole(ELIDE_STEP),
            place_gap=LABEL_PLACE_GAP * factor,
            # room for the outline around the shape (16 and 22 px at factor 1)
            diamond_px=2.0 * math.ceil(marker + 2.0),
            ring_px=2.0 * math.ceil(marker + ring + 2.0),
        )

    def sprite_size(self, kind: str) -> tuple[float, float]:
        if kind == "diamond":
            return self.diamond_px, self.diamond_px
        if kind in ("hover", "selected"):
            return self.ring_px, self.ring_px
        return self.corner, 2 * self.bar_half  # the rounded ends of bars


def category_colors(categories: Sequence[Category]) -> tuple[list[QtGui.QColor | None], str]:
    """Mark colours by category key (``EventArrays.category``: the category's id) and
    the colour of events without one: grey beside categorised ones; in a timeline with
    no categories at all, the one colour, not the grey that sets them apart."""
    top = max((c.id for c in categories if c.id is not None), default=-1)
    colors: list[QtGui.QColor | None] = [None] * (top + 1)
    for c in categories:
        if c.id is not None:
            colors[c.id] = QtGui.QColor(c.color)
    if not categories:
        return [QtGui.QColor(SINGLE_COLOR)], SINGLE_COLOR
    return colors, NEUTRAL_COLOR


def with_alpha(color: QtGui.QColor, alpha: float) -> QtGui.QColor:
    c = QtGui.QColor(color)
    c.setAlphaF(max(0.0, min(1.0, alpha)))
    return c


def gradient(color: QtGui.QColor, a0: float, a1: float) -> QtGui.QBrush:
    """A left-to-right alpha ramp of ``color`` over each shape drawn with it."""
    g = QtGui.QLinearGradient(0.0, 0.0, 1.0, 0.0)
    g.setCoordinateMode(QtGui.QGradient.CoordinateMode.ObjectBoundingMode)
    g.setColorAt(0.0, with_alpha(color, a0))
    g.setColorAt(1.0, with_alpha(color, a1))
    return QtGui.QBrush(g)


class MarkStyle:
    """Colours of marks and canvas, and the brushes and sprites made from them."""

    def __init__(self, sizes: MarkSizes | None = None, theme: Theme | None = None) -> None:
        self.sizes = sizes or MarkSizes.at(1.0)
        self.theme = theme or light_theme()
        self._colors: list[QtGui.QColor | None] = [QtGui.QColor(c) for c in CATEGORY_COLORS]
        self._uncategorised = QtGui.QColor(NEUTRAL_COLOR)
        self._sprites: dict[tuple[str, int, int, float], QtGui.QPixmap] = {}
        self._atlases: dict[tuple[object, ...], tuple[QtGui.QPixmap, dict[str, np.ndarray]]] = {}
        self._brushes: dict[tuple[int, str], QtGui.QBrush] = {}

    def set_sizes(self, sizes: MarkSizes) -> None:
        self.sizes = sizes
        self._sprites.clear()
        self._atlases.clear()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._sprites.clear()  # diamonds are outlined in the background colour
        self._atlases.clear()

    def set_colors(
        self,
        colors: Iterable[QtGui.QColor | str | None],
        uncategorised: QtGui.QColor | str | None = None,
    ) -> None:
        """Colours by category key (cycled when there are more keys); a ``None`` colour,
        a key of ``-1`` (no category) and keys with no colour take ``uncategorised``
        (default: neutral grey)."""
        cols = [None if c is None else QtGui.QColor(c) for c in colors]
        self._colors = cols or [QtGui.QColor(c) for c in CATEGORY_COLORS]
        self._uncategorised = QtGui.QColor(uncategorised or NEUTRAL_COLOR)
        self._brushes.clear()
        self._atlases.clear()

    def color(self, key: int) -> QtGui.QColor:
        color = self._colors[key % len(self._colors)] if key >= 0 else None
        return color if color is not None else self._uncategorised

    def color_keys(self, category: np.ndarray) -> np.ndarray:
        """The colour key of each category key (``-1``: none; others cycled)."""
        return np.where(category < 0, -1, category % len(self._colors))

    def brush(self, key: int, kind: str) -> QtGui.QBrush:
        """The brush of colour ``key`` for a kind of mark (cached until colours change)."""
        brush = self._brushes.get((key, kind))
        if brush is None:
            color = self.color(key)
            if kind == "fade_in":
                brush = gradient(color, FADE_ALPHA, BAR_ALPHA)
            elif kind == "fade_out":
                brush = gradient(color, BAR_ALPHA, FADE_ALPHA)
            elif kind in _EDGE_RAMPS:  # viewer.ui.timeline.edges: soft and open ends
                brush = gradient(color, *_EDGE_RAMPS[kind])
            else:
                alpha = {"band": BAND_ALPHA, "bar": BAR_ALPHA, "dense": DENSE_ALPHA}[kind]
                brush = QtGui.QBrush(with_alpha(color, alpha))
            self._brushes[(key, kind)] = brush
        return brush

    def diamond(self, cx: float, cy: float, r: float) -> QtGui.QPolygonF:
        return QtGui.QPolygonF(
            [QPointF(cx, cy - r), QPointF(cx + r, cy), QPointF(cx, cy + r), QPointF(cx - r, cy)]
        )

    def sprite(self, kind: str, color: QtGui.QColor, dpr: float) -> QtGui.QPixmap:
        """A small pre-rendered shape (diamond, ring, rounded bar end), cached."""
        background = self.theme.timeline_bg
        key = (kind, color.rgba(), background.rgba(), dpr)
        pm = self._sprites.get(key)
        if pm is not None:
            return pm
        sz = self.sizes
        w, h = sz.sprite_size(kind)
        pm = QtGui.QPixmap(round(w * dpr), round(h * dpr))
        pm.setDevicePixelRatio(dpr)
        pm.fill(Qt.GlobalColor.transparent)
        q = QtGui.QPainter(pm)
        q.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        if kind in ("diamond", "hover", "selected"):
            r = sz.marker_radius if kind == "diamond" else sz.marker_radius + sz.ring
            if kind == "diamond":
                q.setPen(QtGui.QPen(background, 1.5 * sz.line))
                q.setBrush(color)
            else:
                q.setPen(QtGui.QPen(color, (2.0 if kind == "selected" else 1.5) * sz.line))
                q.setBrush(Qt.BrushStyle.NoBrush)
            q.drawPolygon(self.diamond(w / 2, w / 2, r))
        else:  # the rounded left or right end of a bar, one corner radius wide
            q.setPen(Qt.PenStyle.NoPen)
            q.setBrush(with_alpha(color, BAR_ALPHA))
            corner = sz.corner
            x = 0.0 if kind == "cap_l" else -2 * corner
            q.drawRoundedRect(QRectF(x, 0.0, 3 * corner, h), corner, corner)
        q.end()
        if len(self._sprites) > 256:
            self._sprites.clear()
        self._atlases.clear()
        self._sprites[key] = pm
        return pm

    def atlas(self, keys: list[int], dpr: float) -> tuple[QtGui.QPixmap, dict[str, np.ndarray]]:
        """One pixmap with the rounded ends and the diamond of every colour of ``keys``
        (a row each), and where each is in it: ``places[kind][key]`` is ``(left, top,
        width, height)`` in device pixels (rows for other keys are zero)."""
        wanted = tuple(sorted(keys))
        cache_key = (wanted, self.theme.timeline_bg.rgba(), dpr, self.sizes.factor)
        found = self._atlases.get(cache_key)
        if found is not None:
            return found
        kinds = ("cap_l", "cap_r", "diamond")
        sprites = {
            (kind, k): self.sprite(kind, self.color(k), dpr) for kind in kinds for k in wanted
        }
        widths = [max(sprites[(kind, k)].width() for k in wanted) for kind in kinds]
        row = max(pm.height() for pm in sprites.values())
        atlas = QtGui.QPixmap(sum(widths), row * len(wanted))
        atlas.setDevicePixelRatio(1.0)  # coordinates in device pixels
        atlas.fill(Qt.GlobalColor.transparent)
        size = max(wanted) + 2  # key -1 (none) goes in the last slot
        places = {kind: np.zeros((size, 4)) for kind in kinds}
        q = QtGui.QPainter(atlas)
        left = 0
        for kind, width in zip(kinds, widths, strict=True):
            for r, k in enumerate(wanted):
                pm = sprites[(kind, k)]
                pm_plain = QtGui.QPixmap(pm)
                pm_plain.setDevicePixelRatio(1.0)
                q.drawPixmap(left, r * row, pm_plain)
                places[kind][k] = (left, r * row, pm.width(), pm.height())
            left += width
        q.end()
        if len(self._atlases) > 16:
            self._atlases.clear()
        self._atlases[cache_key] = (atlas, places)
        return atlas, places


# -- batch primitives ----------------------------------------------------------------------


def draw_rects(p: QtGui.QPainter, rects_: np.ndarray) -> None:
    """Draw ``(n, 4)`` rects ``x, y, w, h`` in one call, straight from the numpy buffer."""
    n = len(rects_)
    if n == 0:
        return
    buf = np.ascontiguousarray(rects_, dtype=np.float64)
    # (an array of QRectF from the buffer: the stubs know only a list of them)
    p.drawRects(shiboken6.wrapInstance(buf.ctypes.data, QRectF), n)  # type: ignore[call-overload]


def rects(x0: np.ndarray, x1: np.ndarray, yc: np.ndarray, half: float) -> np.ndarray:
    """``(n, 4)`` rects from ``x0`` to ``x1``, ``half`` pixels above and below ``yc``."""
    out = np.empty((len(x0), 4), dtype=np.float64)
    out[:, 0] = x0
    out[:, 1] = yc - half
    out[:, 2] = x1 - x0
    out[:, 3] = 2.0 * half
    return out


def draw_sprites(
    p: QtGui.QPainter, pixmap: QtGui.QPixmap, cx: np.ndarray, cy: np.ndarray, dpr: float
) -> None:
    """Stamp ``pixmap`` centred on each ``(cx, cy)`` in one ``drawPixmapFragments`` call."""
    source = np.zeros((len(cx), 4), dtype=np.float64)
    source[:, 2] = pixmap.width()  # source size in device pixels
    source[:, 3] = pixmap.height()
    draw_fragments(p, pixmap, cx, cy, source, dpr)


def draw_fragments(
    p: QtGui.QPainter,
    atlas: QtGui.QPixmap,
    cx: np.ndarray,
    cy: np.ndarray,
    source: np.ndarray,
    dpr: float,
) -> None:
    """Stamp pieces of ``atlas`` centred on each ``(cx, cy)``, in one call; ``source``
    gives each piece's ``(left, top, width, height)`` in the atlas' device pixels."""
    n = len(cx)
    if n == 0:
        return
    frag = np.zeros((n, 10), dtype=np.float64)  # QPainter::PixmapFragment, field by field
    frag[:, 0] = cx
    frag[:, 1] = cy
    frag[:, 2:6] = source
    frag[:, 6] = frag[:, 7] = 1.0 / dpr  # scale back to logical pixels
    frag[:, 9] = 1.0  # opacity
    fragments = shiboken6.wrapInstance(frag.ctypes.data, QtGui.QPainter.PixmapFragment)
    p.drawPixmapFragments(fragments, n, atlas)  # type: ignore[arg-type]  # (an array of them)


def batches(keys: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, list[tuple[int, slice]]]:
    """Positions where ``mask`` holds, ordered by key, and the slice of each key's run.

    Draw data built once in this order is then drawn per colour by slicing, without
    selecting again for every colour.
    """
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return idx, []
    idx = idx[np.argsort(keys[idx], kind="stable")]
    k = keys[idx]
    cuts = (np.flatnonzero(k[1:] != k[:-1]) + 1).tolist()
    starts = [0, *cuts]
    stops = [*cuts, len(idx)]
    return idx, [(int(k[a]), slice(a, b)) for a, b in zip(starts, stops, strict=True)]
