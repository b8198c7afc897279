"""Timeline pictures for slides and reports: PNG, SVG and PDF files, and printing.

A picture is a page around the timeline: the timeline's title and a subtitle with its
span ("July 2000 – June 2024 · 14 events"), the events, a calendar axis along the
bottom, a legend of categories and a footer with the source.  :func:`paint_timeline`
draws it with a plain :class:`QPainter`, independent of any widget, and the same
drawing goes to a :class:`QImage` (PNG), a :class:`QSvgGenerator` (SVG, text stays
text), a :class:`QPdfWriter` (PDF, vector text) or a :class:`QPrinter`.

The events are drawn as the window draws them, by the one timeline renderer: laid
out by :class:`~viewer.ui.timeline.layout.LaneLayouts` and painted by
:class:`~viewer.ui.timeline.painter.EventPainter` (with each label's date where it has
room, since a picture has no tooltips), eras by
:func:`~viewer.ui.timeline.eras.paint_eras`, in the colours of a
:class:`~viewer.ui.theme.Theme`.  What is this module's own is the page: its layout
(computed before anything is drawn, :func:`layout_size`: the width is given and the
height follows from the lanes), its title, axis, legend and footer, and writing files.
Sizes scale with the width (a 1600-px picture is the reference), within limits so that
a narrow picture stays readable.

Only :func:`~viewer.ui.picture_data.render_data` reads the store; everything here
works on its :class:`~viewer.ui.picture_data.RenderData`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRect, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTransform,
)

from viewer.io.files import write_atomically
from viewer.model.dates import (
    PartialDate,
)
from viewer.model.filters import Filters
from viewer.model.time_scale import LINEAR, TimeScale
from viewer.store.columns import EventArrays
from viewer.ui.picture_data import OTHER_NAME, LegendEntry, RenderData, render_data
from viewer.ui.theme import Theme, light_theme
from viewer.ui.timeline.eras import paint_eras
from viewer.ui.timeline.groups import Grouper
from viewer.ui.timeline.labels import LabelCache, picture_font
from viewer.ui.timeline.layout import LaneLayouts, ViewLayout
from viewer.ui.timeline.marks import MarkSizes, MarkStyle
from viewer.ui.timeline.painter import DrawnLabel, EventPainter, Frame, LabelHits
from viewer.ui.timeline.scale_ticks import scale_ticks
from viewer.ui.timeline.scaled import on_axis

if TYPE_CHECKING:
    from viewer.store import EventStore
__all__ = [
    "FORMATS",
    "LegendEntry",
    "PageLayout",
    "RenderData",
    "layout_page",
    "layout_size",
    "output_format",
    "paint_timeline",
    "placement",
    "render_data",
    "render_file",
    "render_image",
    "render_picture",
]

#: File extensions :func:`render_file` writes, and what they are.
FORMATS = {".png": "PNG image", ".svg": "SVG vector image", ".pdf": "PDF document"}
#: Widths (px) a picture may have.
MIN_WIDTH = 200
MAX_WIDTH = 10_000
#: Sizes are given for a picture of this width and scale with it.
BASE_WIDTH = 1600.0
_MIN_SCALE = 0.75
_MAX_SCALE = 4.0
#: Width of the PDF page (A4 landscape); its height follows the picture's aspect.
PDF_PAGE_WIDTH_MM = 297.0
PDF_RESOLUTION = 300
#: Most lanes a picture shows (the density strip still counts every event).
MAX_ROWS = 40
#: Lanes of room above the first lane, and below the last (more where the strip is).
TOP_ROOM = 0.25
BOTTOM_ROOM = 0.25
STRIP_ROOM = 1.0
#: Page margin left and right (px at the reference width).
MARGIN_X = 48.0


# -- the page ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Fonts:
    title: QFont
    subtitle: QFont
    axis: QFont
    axis_major: QFont
    legend: QFont
    footer: QFont
    note: QFont
    era: QFont


def _fonts(u: float) -> _Fonts:
    return _Fonts(
        title=picture_font(38 * u, QFont.Weight.Bold),
        subtitle=picture_font(20 * u),
        axis=picture_font(14 * u),
        axis_major=picture_font(14 * u, QFont.Weight.DemiBold),
        legend=picture_font(15 * u),
        footer=picture_font(13 * u),
        note=picture_font(13 * u),
        era=picture_font(11.5 * u, QFont.Weight.Bold),
    )


@dataclass(slots=True)
class _Events:
    """The timeline of a picture: its events laid out, and how they are painted."""

    labels: LabelCache
    painter: EventPainter
    layout: ViewLayout
    arrays: EventArrays  # the rows drawn (in swimlanes, a row per band an event is in)
    frame: Frame
    rows: int  # lanes shown
    lanes: int  # lanes the span needs (down to the last holding an event in it)
    drawn: LabelHits | None = None  # the labels the last paint drew


@dataclass(slots=True)
class PageLayout:
    """Where everything of a picture goes (pixels of a picture ``width`` wide)."""

    width: float
    height: float
    u: float  # the size factor
    fonts: _Fonts
    title_lines: list[tuple[float, str]]  # (baseline, text)
    subtitle: tuple[float, str]
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float  # the axis line
    ticks: list[tuple[float, str, bool]]  # (x, label, major)
    axis_baseline: float = 0.0
    legend: list[tuple[float, float, int]] = field(default_factory=list)  # (x, centre y, k)
    footer: tuple[float, str] | None = None
    footer_rule: float | None = None
    note: str = ""
    events: _Events | None = None
    #: what the page's x is (the picture's, :attr:`RenderData.time_scale`)
    time_scale: TimeScale = LINEAR

    def lanes_of(self, arrays: EventArrays) -> dict[int, int]:
        """The lane of each event (by id), as laid out for the picture."""
        if self.events is None:
            return {}
        lanes = self.events.layout.lanes
        return dict(zip(self.events.arrays.ids.tolist(), lanes.tolist(), strict=True))

    def drawn_labels(self, arrays: EventArrays) -> list[DrawnLabel]:
        """The labels the last paint of this layout drew (x in axis seconds)."""
        events = self.events
        if events is None or events.drawn is None:
            return []
        return events.drawn.drawn(events.arrays, events.labels)

    def x_px(self, pos: float) -> float:
        """Where axis position ``pos`` (seconds) is on the page."""
        assert self.events is not None
        f = self.events.frame
        return f.sx * self.time_scale.to_axis(pos) + f.ox


def _scale(width: float, view_width: float | None) -> float:
    if view_width:  # the window's lanes: its base scale, so sizes in proportion
        return min(max(width / (view_width + 2 * MARGIN_X), _MIN_SCALE), _MAX_SCALE)
    return min(max(width / BASE_WIDTH, _MIN_SCALE), _MAX_SCALE)


def _wrap(text: str, fm: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap to at most ``max_lines`` lines, the last one elided."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for k, word in enumerate(words):
        trial = f"{current} {word}" if current else word
        if fm.horizontalAdvance(trial) <= width or not current:
            current = trial
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines - 1:
            current = " ".join(words[k:])
            break
    if current:
        lines.append(current)
    return [fm.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines]


def _lay_out_events(
    data: RenderData, u: float, left: float, right: float, top: float, theme: Theme
) -> _Events | None:
    """The events' lanes, as the window lays them out, and the frame they fill (on the
    axis of the picture's time scale)."""
    a = on_axis(data.arrays, data.time_scale)
    if data.shown == 0 or len(a) == 0:
        return None
    x0, x1 = data.axis_range()
    sizes = MarkSizes.at(u)
    labels = LabelCache(pictures=True)
    labels.set_size(u)
    style = MarkStyle(sizes, theme)
    style.set_colors(data.colors, data.uncategorised or None)
    painter = EventPainter(style, labels)
    painter.dates = True
    layouts = LaneLayouts()
    groups = data.grouper(a) if data.grouper is not None else None
    if groups is not None:
        a = groups.arrays
    widths = (
        None
        if LaneLayouts.stored_for(len(a))
        else labels.widths(a, np.arange(len(a)), np.zeros(1, bool))
    )
    layouts.set_events(a, widths, factor=u, label_max=sizes.label_max, groups=groups)
    scale = (right - left) / (x1 - x0)
    lay: ViewLayout | None = (
        layouts.at_key(data.layout_key)
        if data.layout_key is not None and not layouts.stored
        else layouts.at(scale)
    )
    assert lay is not None
    # the lanes down to the last that holds an event in the span
    inside = (a.finish[lay.order] > x0) & (a.begin[lay.order] < x1)
    used = lay.lanes[lay.order[inside]]
    last = int(used.max()) if len(used) else 0
    if lay.bands:  # every band's header, collapsed ones too
        last = max(last, lay.bands[-1].last)
    rows = min(last + 1, MAX_ROWS)
    starts = np.searchsorted(a.begin, [x0, x1])
    strip = bool(starts[1] - starts[0] > right - left)
    y0 = -0.5 - TOP_ROOM
    y1 = rows - 0.5 + (STRIP_ROOM if strip else BOTTOM_ROOM)
    height = (y1 - y0) * sizes.row + (sizes.strip_height if strip else 0.0)
    frame = Frame.fitted(x0, x1, y0, y1, QRectF(left, top, right - left, height))
    return _Events(labels, painter, lay, a, frame, rows, last + 1)


def layout_page(data: RenderData, width: float, theme: Theme | None = None) -> PageLayout:
    """Where everything of the picture of ``data`` goes, at ``width``."""
    theme = theme or light_theme()
    u = _scale(width, data.view_width)
    fonts = _fonts(u)
    margin_x = MARGIN_X * u
    content = width - 2 * margin_x
    y = 40 * u
    fm = QFontMetricsF(fonts.title)
    title_lines: list[tuple[float, str]] = []
    for line in _wrap(data.title, fm, content, 2):
        title_lines.append((y + fm.ascent(), line))
        y += fm.lineSpacing()
    y += 6 * u
    fm = QFontMetricsF(fonts.subtitle)
    subtitle = (y + fm.ascent(), fm.elidedText(data.subtitle, Qt.TextElideMode.ElideRight, content))
    y += fm.height() + 30 * u
    lay = PageLayout(
        width=width,
        height=0.0,
        u=u,
        fonts=fonts,
        title_lines=title_lines,
        subtitle=subtitle,
        plot_left=margin_x,
        plot_right=width - margin_x,
        plot_top=y,
        plot_bottom=y,
        ticks=[],
        time_scale=data.time_scale,
    )
    lay.events = _lay_out_events(data, u, lay.plot_left, lay.plot_right, y, theme)
    if lay.events is None:
        lay.note = "No events in this period" if data.has_span else "No events yet"
        area = 110 * u
    else:
        area = lay.events.frame.bottom - y
        if lay.events.lanes > lay.events.rows:
            lay.note = f"The first {lay.events.rows} of {lay.events.lanes:,} lanes"
    lay.plot_bottom = y + area
    y = lay.plot_bottom

    # the axis
    axis_fm = QFontMetricsF(fonts.axis_major)
    pixels = lay.plot_right - lay.plot_left
    x0, x1 = data.axis_range()
    scale = pixels / (x1 - x0)
    # Labels at the ends of the axis may reach into the margin, not beyond it.
    reach = margin_x - 8 * u
    levels = scale_ticks(
        data.time_scale,
        x0 - reach / scale if data.has_span else math.nan,
        x1 + reach / scale,
        pixels + 2 * reach,
        min_spacing_px=80 * u,
        text_width=axis_fm.horizontalAdvance,
        label_gap_px=18 * u,
    )
    for k, level in enumerate(levels):
        for pos, label in level.ticks:
            x = lay.plot_left + (pos - x0) * scale
            if lay.plot_left - 0.5 <= x <= lay.plot_right + 0.5:
                lay.ticks.append((x, label, k == 0))
    lay.axis_baseline = y + 10 * u + axis_fm.ascent()
    y += 10 * u + axis_fm.height()

    # the legend: swatch and name, in rows that wrap
    entries = data.legend
    if len(entries) > 1 or (entries and entries[0].name != OTHER_NAME):
        y += 28 * u
        fm = QFontMetricsF(fonts.legend)
        swatch = 12 * u
        row = max(fm.height(), swatch) + 10 * u
        x = margin_x
        for k, entry in enumerate(entries):
            w = swatch + 8 * u + fm.horizontalAdvance(_legend_text(entry))
            if x > margin_x and x + w > lay.plot_right:
                x = margin_x
                y += row
            lay.legend.append((x, y + row / 2 - 5 * u, k))
            x += w + 30 * u
        y += row - 10 * u

    if data.source:
        y += 24 * u
        lay.footer_rule = y
        y += 12 * u
        fm = QFontMetricsF(fonts.footer)
        lay.footer = (
            y + fm.ascent(),
            fm.elidedText(data.source, Qt.TextElideMode.ElideRight, content),
        )
        y += fm.height()
    lay.height = math.ceil(y + 32 * u)
    return lay


def _legend_text(entry: LegendEntry) -> str:
    return f"{entry.name}  {entry.count:,}"


def layout_size(data: RenderData, width: float) -> QSizeF:
    """The size of the picture of ``data`` at ``width`` (its height follows the lanes)."""
    return QSizeF(width, layout_page(data, width).height)


def _baseline(fm: QFontMetricsF, centre: float) -> float:
    """Baseline that centres a line of text (its cap and x heights) on ``centre``."""
    return centre + (fm.ascent() - fm.descent()) / 2


def paint_timeline(
    painter: QPainter, rect: QRectF, data: RenderData, *, theme: Theme | None = None
) -> PageLayout:
    """Draw the picture of ``data`` into ``rect`` (laid out for the rect's width), in
    ``theme``'s colours (default: light); how it was laid out.

    The background fills ``rect``; a picture taller than ``rect`` is scaled down to fit,
    a shorter one is centred vertically.
    """
    theme = theme or light_theme()
    lay = layout_page(data, rect.width(), theme)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(rect, theme.timeline_bg)
    painter.setTransform(placement(rect, lay), combine=True)
    _paint(painter, lay, data, theme)
    painter.restore()
    return lay


def placement(rect: QRectF, lay: PageLayout) -> QTransform:
    """Where :func:`paint_timeline` puts a picture laid out as ``lay`` in ``rect``: scaled
    down to fit when taller, centred vertically when shorter."""
    s = min(1.0, rect.height() / lay.height) if lay.height > 0 else 1.0
    t = QTransform()
    t.translate(
        rect.left() + (rect.width() - lay.width * s) / 2,
        rect.top() + max(0.0, (rect.height() - lay.height * s) / 2),
    )
    t.scale(s, s)
    return t


def _paint(p: QPainter, lay: PageLayout, data: RenderData, theme: Theme) -> None:
    fonts = lay.fonts
    u = lay.u
    p.setPen(theme.label_text)
    p.setFont(fonts.title)
    for baseline, line in lay.title_lines:
        p.drawText(QPointF(lay.plot_left, baseline), line)
    p.setPen(theme.axis_text)
    p.setFont(fonts.subtitle)
    p.drawText(QPointF(lay.plot_left, lay.subtitle[0]), lay.subtitle[1])
    _paint_grid(p, lay, theme)
    if data.eras and data.has_span:
        titles = [e[0] for e in data.eras]
        to_axis = data.time_scale.to_axis
        begin = to_axis(np.array([e[1] for e in data.eras], dtype=np.float64))
        finish = to_axis(np.array([e[2] for e in data.eras], dtype=np.float64))
        x0, x1 = data.axis_range()
        sx = (lay.plot_right - lay.plot_left) / (x1 - x0)
        area = QRectF(lay.plot_left, lay.plot_top, lay.plot_right - lay.plot_left,
                      lay.plot_bottom - lay.plot_top)  # fmt: skip
        paint_eras(p, titles, begin, finish, (sx, lay.plot_left - sx * x0), area, theme,
                   fonts.era)  # fmt: skip
    if lay.events is not None:
        _paint_events(p, lay.events, data)
    if lay.note:
        fm = QFontMetricsF(fonts.note)
        p.setFont(fonts.note)
        p.setPen(theme.axis_text)
        if lay.events is None:
            w = fm.horizontalAdvance(lay.note)
            centre = (lay.plot_top + lay.plot_bottom) / 2
            p.drawText(
                QPointF((lay.plot_left + lay.plot_right - w) / 2, _baseline(fm, centre)), lay.note
            )
        else:
            p.drawText(QPointF(lay.plot_left, lay.plot_top - 10 * u - fm.descent()), lay.note)
    _paint_axis(p, lay, theme)
    _paint_legend(p, lay, data, theme)
    if lay.footer is not None and lay.footer_rule is not None:
        p.setPen(QPen(theme.grid, max(1.0, u)))
        p.drawLine(
            QPointF(lay.plot_left, lay.footer_rule), QPointF(lay.plot_right, lay.footer_rule)
        )
        p.setFont(fonts.footer)
        p.setPen(theme.axis_text)
        p.drawText(QPointF(lay.plot_left, lay.footer[0]), lay.footer[1])


def _paint_events(p: QPainter, events: _Events, data: RenderData) -> None:
    """The events, through the timeline's own painter, in device pixels (the painter
    paints untransformed: the page's scale, if any, is folded into its frame)."""
    f = events.frame
    tr = p.transform()
    if tr.m12() != 0 or tr.m21() != 0:
        return
    frame = Frame(
        f.x0, f.x1, f.y0, f.y1,
        f.sx * tr.m11(), f.ox * tr.m11() + tr.dx(), f.sy * tr.m22(), f.oy * tr.m22() + tr.dy(),
    )  # fmt: skip
    scaled = abs(tr.m11() - 1.0) > 1e-9 or abs(tr.m22() - 1.0) > 1e-9
    p.save()
    p.setClipRect(QRectF(f.left, f.top, f.right - f.left, f.bottom - f.top))  # (page coordinates)
    p.resetTransform()
    if scaled:  # marks and text in device pixels: sized for them
        factor = events.painter.style.sizes.factor * tr.m11()
        events.painter.style.set_sizes(MarkSizes.at(factor))
        events.labels.set_size(factor)
    try:
        events.drawn = events.painter.paint(p, events.arrays, events.layout, frame)
    finally:
        if scaled:
            factor = events.painter.style.sizes.factor / tr.m11()
            events.painter.style.set_sizes(MarkSizes.at(factor))
            events.labels.set_size(factor)
        p.restore()


def _paint_grid(p: QPainter, lay: PageLayout, theme: Theme) -> None:
    top = lay.plot_top - 6 * lay.u
    for major in (False, True):
        pen = QPen(theme.grid_major if major else theme.grid, max(1.0, lay.u))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        p.setPen(pen)
        for x, _, is_major in lay.ticks:
            if is_major == major:
                p.drawLine(QPointF(x, top), QPointF(x, lay.plot_bottom))


def _paint_axis(p: QPainter, lay: PageLayout, theme: Theme) -> None:
    u = lay.u
    pen = QPen(theme.grid_major, max(1.0, 1.2 * u))
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    p.setPen(pen)
    p.drawLine(QPointF(lay.plot_left, lay.plot_bottom), QPointF(lay.plot_right, lay.plot_bottom))
    for major in (False, True):
        font = lay.fonts.axis_major if major else lay.fonts.axis
        fm = QFontMetricsF(font)
        p.setFont(font)
        for x, label, is_major in lay.ticks:
            if is_major != major:
                continue
            p.setPen(pen)
            p.drawLine(QPointF(x, lay.plot_bottom), QPointF(x, lay.plot_bottom + 5 * u))
            if label:
                p.setPen(theme.label_text if major else theme.axis_text)
                w = fm.horizontalAdvance(label)
                p.drawText(QPointF(x - w / 2, lay.axis_baseline), label)


def _paint_legend(p: QPainter, lay: PageLayout, data: RenderData, theme: Theme) -> None:
    if not lay.legend:
        return
    u = lay.u
    fm = QFontMetricsF(lay.fonts.legend)
    p.setFont(lay.fonts.legend)
    swatch = 12 * u
    for x, cy, k in lay.legend:
        entry = data.legend[k]
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(entry.color))
        p.drawRoundedRect(QRectF(x, cy - swatch / 2, swatch, swatch), 3 * u, 3 * u)
        tx = x + swatch + 8 * u
        base = _baseline(fm, cy)
        p.setPen(theme.label_text)
        p.drawText(QPointF(tx, base), entry.name)
        p.setPen(theme.axis_text)
        p.drawText(QPointF(tx + fm.horizontalAdvance(entry.name + "  "), base), f"{entry.count:,}")


# -- files -------------------------------------------------------------------------------


def output_format(path: str | os.PathLike[str]) -> str:
    """The extension (".png", ".svg", ".pdf") of ``path``; ValueError for any other."""
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        known = ", ".join(FORMATS)
        shown = f'"{ext}"' if ext else "no extension"
        raise ValueError(f"cannot render to {os.fspath(path)} ({shown}): use one of {known}")
    return ext


_app: QGuiApplication | None = None


def _ensure_app() -> None:
    """Fonts need a QGuiApplication; a command run without a display gets an offscreen one."""
    global _app
    if QGuiApplication.instance() is not None:
        return
    if "QT_QPA_PLATFORM" not in os.environ and not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    _app = QApplication(["timeline-viewer"])


def _check_width(width: int) -> int:
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise ValueError(
            f"the width must be between {MIN_WIDTH} and {MAX_WIDTH} pixels, not {width}"
        )
    return int(width)


def render_picture(
    data: RenderData, width: int = 1600, *, theme: Theme | None = None
) -> tuple[QImage, PageLayout]:
    """The picture as an image exactly ``width`` pixels wide (device pixel ratio 1),
    and how it was laid out."""
    width = _check_width(width)
    theme = theme or light_theme()
    size = layout_size(data, width)
    image = QImage(
        QSize(width, math.ceil(size.height())), QImage.Format.Format_ARGB32_Premultiplied
    )
    image.setDevicePixelRatio(1.0)
    image.fill(theme.timeline_bg)
    painter = QPainter(image)
    try:
        lay = paint_timeline(painter, QRectF(0, 0, width, image.height()), data, theme=theme)
    finally:
        painter.end()
    return image, lay


def render_image(data: RenderData, width: int = 1600, *, theme: Theme | None = None) -> QImage:
    """The picture as an image exactly ``width`` pixels wide (device pixel ratio 1)."""
    return render_picture(data, width, theme=theme)[0]


def _png_bytes(data: RenderData, width: int, theme: Theme) -> bytes:
    image = render_image(data, width, theme=theme)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # (Qt takes a str)
        raise OSError("could not encode the PNG image")
    return bytes(buffer.data().data())


def _svg_bytes(data: RenderData, width: int, theme: Theme) -> bytes:
    from PySide6.QtSvg import QSvgGenerator

    size = layout_size(data, width)
    height = math.ceil(size.height())
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(width, height))
    generator.setViewBox(QRect(0, 0, width, height))
    generator.setResolution(96)
    generator.setTitle(data.title)
    generator.setDescription(" · ".join(t for t in (data.subtitle, data.source) if t))
    painter = QPainter(generator)
    try:
        paint_timeline(painter, QRectF(0, 0, width, height), data, theme=theme)
    finally:
        painter.end()
    return bytes(buffer.data().data())


def pdf_writer(title: str) -> tuple[QBuffer, QPdfWriter]:
    """A PDF writer into a buffer in memory (the file is written once it is whole)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(title)
    writer.setCreator("Timeline Viewer")
    return buffer, writer


def _pdf_bytes(data: RenderData, width: int, theme: Theme) -> bytes:
    size = layout_size(data, width)
    height = math.ceil(size.height())
    page_h = PDF_PAGE_WIDTH_MM * height / width
    buffer, writer = pdf_writer(data.title)
    page = QPageSize(QSizeF(PDF_PAGE_WIDTH_MM, page_h), QPageSize.Unit.Millimeter, "Timeline")
    orientation = QPageLayout.Orientation.Portrait
    writer.setPageLayout(
        QPageLayout(page, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    )
    painter = QPainter(writer)
    try:
        scale = writer.width() / width
        painter.scale(scale, scale)
        paint_timeline(painter, QRectF(0, 0, width, height), data, theme=theme)
    finally:
        painter.end()
    return bytes(buffer.data().data())


_WRITERS: dict[str, Callable[[RenderData, int, Theme], bytes]] = {
    ".png": _png_bytes,
    ".svg": _svg_bytes,
    ".pdf": _pdf_bytes,
}


def render_file(
    store: EventStore,
    out: str | os.PathLike[str],
    *,
    width: int = 1600,
    date_from: PartialDate | None = None,
    date_to: PartialDate | None = None,
    x_range: tuple[float, float] | None = None,
    filters: Filters | None = None,
    theme: Theme | None = None,
    arrays: EventArrays | None = None,
    layout_key: float | None = None,
    view_width: float | None = None,
    grouper: Grouper | None = None,
    time_scale: TimeScale = LINEAR,
) -> None:
    """Write the picture to ``out``: PNG, SVG or PDF by its extension.

    ``width`` is the PNG's width in pixels, and the width the SVG and PDF are laid out
    for (their height follows, as the PNG's does).  (A PDF for paper, across pages:
    :func:`viewer.ui.paged.render_paged`.)  Raises ValueError for an unknown
    extension or a width out of range, OSError when the file cannot be written (nothing
    is left behind then).  ``theme`` gives the colours (default: light); see
    :func:`render_data` for the rest.
    """
    ext = output_format(out)
    width = _check_width(width)
    _ensure_app()
    data = render_data(
        store,
        date_from=date_from,
        date_to=date_to,
        x_range=x_range,
        filters=filters,
        arrays=arrays,
        layout_key=layout_key,
        view_width=view_width,
        grouper=grouper,
        time_scale=time_scale,
    )
    write_atomically(out, _WRITERS[ext](data, width, theme or light_theme()))
