"""Timelines on paper: a long timeline split across pages at a readable scale.

One picture (:func:`~viewer.ui.export.paint_timeline`) scaled onto one page makes a long
timeline unreadable.  Here the axis is cut into equal slices, one per page, all at the
same scale, so that a reader can lay the pages side by side:

* **How many pages.** As few as let every page show all its lanes at the picture's
  normal size (the size of a 1600-px picture on an A4 page, whatever the paper):
  the lanes are laid out once per candidate scale (the events keep their lanes from
  page to page), and the pages grow until the lanes of the busiest slice fit the
  page's height.  A big file, whose lanes are the store's and do not depend on the
  scale, gets a page per :data:`EVENTS_PER_PAGE` events instead.  Never more than
  :data:`MAX_PAGES`; a number given by the caller wins.
* **Overlap.** Each page shows :data:`OVERLAP` of its neighbour's share again at the
  break, tinted and marked "also on page N", so that an event on the cut is seen
  whole on one page or the other.
* **Header and numbers.** Each page has the timeline's title, the span of the page
  with its number ("1939–1945 · page 2 of 5"), the axis, legend and source as any
  picture has, and "2 / 5" at the bottom right.

The same pages go to a PDF (:func:`render_paged`: ``render --paged``) and to a printer
(:func:`print_timeline`: File ▸ Print, on the paper and orientation chosen in the
print dialog).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
)

from viewer.io.files import write_atomically
from viewer.model.dates import PartialDate
from viewer.model.filters import Filters
from viewer.model.time_scale import LINEAR, TimeScale
from viewer.store.columns import EventArrays
from viewer.ui.export import (
    BASE_WIDTH,
    MAX_ROWS,
    PageLayout,
    layout_page,
    output_format,
    paint_timeline,
    pdf_writer,
    placement,
)
from viewer.ui.picture_data import RenderData, render_data, span_text
from viewer.ui.theme import Theme, light_theme
from viewer.ui.timeline.groups import Grouper
from viewer.ui.timeline.layout import LaneLayouts

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
    from PySide6.QtWidgets import QWidget

    from viewer.store import EventStore

__all__ = [
    "EVENTS_PER_PAGE",
    "MAX_PAGES",
    "OVERLAP",
    "PAPER_SIZES",
    "Paper",
    "choose_pages",
    "paged_pdf_bytes",
    "paint_pages",
    "print_timeline",
    "render_paged",
    "slices",
]

#: Most pages a timeline is split into.
MAX_PAGES = 60
#: Share of a page's slice of the axis shown again on the neighbouring page.
OVERLAP = 0.05
#: Events per page for a big file (its lanes do not depend on the scale).
EVENTS_PER_PAGE = 400
#: Paper this wide holds a picture of :data:`~viewer.ui.export.BASE_WIDTH` px: the
#: size of type and marks on paper (A4 landscape).
REFERENCE_MM = 297.0
#: Paper sizes by name, for ``render --paged --paper``.
PAPER_SIZES = {
    "a4": QPageSize.PageSizeId.A4,
    "a3": QPageSize.PageSizeId.A3,
    "letter": QPageSize.PageSizeId.Letter,
    "legal": QPageSize.PageSizeId.Legal,
    "tabloid": QPageSize.PageSizeId.Tabloid,
}
MARGIN_MM = 10.0


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper size and orientation (A4 landscape unless told)."""

    size: str = "a4"
    landscape: bool = True

    def page_layout(self) -> QPageLayout:
        orientation = (
            QPageLayout.Orientation.Landscape
            if self.landscape
            else QPageLayout.Orientation.Portrait
        )
        return QPageLayout(
            QPageSize(PAPER_SIZES[self.size]),
            orientation,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )


@dataclass(frozen=True, slots=True)
class _Slice:
    """One page's part of the axis (axis coordinates of the picture's time scale), and
    the parts it shares with the pages before and after it (``None``: no neighbour)."""

    u0: float
    u1: float
    shared_before: float | None  # the axis position up to which the previous page shows
    shared_after: float | None  # the axis position from which the next page shows


def slices(data: RenderData, pages: int) -> list[_Slice]:
    """The axis of ``data`` cut into ``pages`` equal parts, each widened by
    :data:`OVERLAP` of a part at each break."""
    u0, u1 = data.axis_range()
    share = (u1 - u0) / pages
    overlap = share * OVERLAP
    out = []
    for k in range(pages):
        a = u0 + k * share - (overlap if k else 0.0)
        b = u0 + (k + 1) * share + (overlap if k < pages - 1 else 0.0)
        before = u0 + k * share + overlap if k else None
        after = u0 + (k + 1) * share - overlap if k < pages - 1 else None
        out.append(_Slice(a, b, before, after))
    return out


def _page_data(data: RenderData, piece: _Slice, k: int, pages: int) -> RenderData:
    """The picture of one page: its slice of the axis, its span and number."""
    scale = data.time_scale
    x0, x1 = float(scale.from_axis(piece.u0)), float(scale.from_axis(piece.u1))
    a = data.arrays
    shown = int(np.count_nonzero((a.finish > x0) & (a.begin < x1)))
    subtitle = f"{span_text(x0, x1)} · page {k + 1} of {pages}" if pages > 1 else data.subtitle
    return replace(data, x0=x0, x1=x1, shown=shown, subtitle=subtitle)


def _rows_needed(
    data: RenderData, pages: int, width: float, theme: Theme
) -> tuple[int, float, float]:
    """At ``pages`` pages: the lanes the busiest page needs, the height of a lane, and
    the height of the rest of a page (title, axis, legend, footer)."""
    pieces = slices(data, pages)
    lay = layout_page(_page_data(data, pieces[0], 0, pages), width, theme)
    events = lay.events
    if events is None:
        return 0, 1.0, lay.height
    row = events.painter.style.sizes.row
    fixed = lay.height - events.rows * row
    lanes, a = events.layout.lanes, events.arrays
    need = 0
    for piece in pieces:
        inside = (a.finish > piece.u0) & (a.begin < piece.u1)
        if np.any(inside):
            need = max(need, int(lanes[inside].max()) + 1)
    if events.layout.bands:
        need = max(need, events.layout.bands[-1].last + 1)
    return min(need, MAX_ROWS), row, fixed


def choose_pages(data: RenderData, width: float, height: float, theme: Theme | None = None) -> int:
    """How many pages ``width`` × ``height`` (picture px) the timeline of ``data`` needs
    to be read at its normal size (see the module docstring)."""
    theme = theme or light_theme()
    if data.shown == 0 or not data.has_span:
        return 1
    if LaneLayouts.stored_for(len(data.arrays)):
        return max(1, min(MAX_PAGES, math.ceil(data.shown / EVENTS_PER_PAGE)))
    need, row, fixed = _rows_needed(data, 1, width, theme)
    if need == 0:
        return 1
    fits = max(1, int((height - fixed) // row))
    # paging further than the lanes need (bands' headers, a pile-up at one moment)
    # would not help: aim at what the most pages give, if that is more than fits
    target = max(fits, _rows_needed(data, MAX_PAGES, width, theme)[0])
    if need <= target:
        return 1
    lo, hi = 1, MAX_PAGES  # need(lo) > target >= need(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _rows_needed(data, mid, width, theme)[0] <= target:
            hi = mid
        else:
            lo = mid
    return hi


def _paper_width(device: QPagedPaintDevice) -> float:
    """The picture width (px) that puts type at its normal size on ``device``'s paper."""
    return BASE_WIDTH * max(device.widthMM(), 1) / REFERENCE_MM


def paint_pages(
    device: QPagedPaintDevice,
    data: RenderData,
    *,
    pages: int | None = None,
    theme: Theme | None = None,
) -> int:
    """Paint ``data`` on ``device`` page by page; how many pages (0: painting could
    not start).  ``pages`` fixes the number (default: :func:`choose_pages`)."""
    theme = theme or light_theme()
    width = _paper_width(device)
    height = width * device.height() / max(device.width(), 1)
    n = max(
        1, min(MAX_PAGES, pages if pages is not None else choose_pages(data, width, height, theme))
    )
    painter = QPainter()
    if not painter.begin(device):
        return 0
    try:
        s = device.width() / width
        for k, piece in enumerate(slices(data, n)):
            if k:
                device.newPage()
            painter.save()
            painter.scale(s, s)
            rect = QRectF(0.0, 0.0, width, height)
            page = _page_data(data, piece, k, n)
            lay = paint_timeline(painter, rect, page, theme=theme)
            painter.setTransform(placement(rect, lay), combine=True)
            _paint_breaks(painter, lay, page, piece, k, theme)
            if n > 1:
                _paint_number(painter, lay, k, n, theme)
            painter.restore()
    finally:
        painter.end()
    return n


def _paint_breaks(
    p: QPainter, lay: PageLayout, data: RenderData, piece: _Slice, k: int, theme: Theme
) -> None:
    """Tint the parts of the page its neighbours show too, and say which page."""
    x0, x1 = data.axis_range()
    sx = (lay.plot_right - lay.plot_left) / (x1 - x0)
    tint = QColor(theme.axis_text)
    tint.setAlphaF(0.08)
    fm = QFontMetricsF(lay.fonts.footer)
    p.setFont(lay.fonts.footer)
    top, bottom = lay.plot_top, lay.plot_bottom
    for edge, other in ((piece.shared_before, k), (piece.shared_after, k + 2)):
        if edge is None:
            continue
        x = lay.plot_left + (edge - x0) * sx
        a, b = (lay.plot_left, x) if other == k else (x, lay.plot_right)
        p.fillRect(QRectF(a, top, b - a, bottom - top), tint)
        p.setPen(QPen(theme.axis_text, max(1.0, lay.u), Qt.PenStyle.DashLine))
        p.drawLine(QPointF(x, top), QPointF(x, bottom))
        text = f"also on page {other}"
        w = fm.horizontalAdvance(text)
        tx = a + 4 * lay.u if other == k else b - w - 4 * lay.u
        p.setPen(theme.axis_text)
        p.drawText(QPointF(tx, top - 6 * lay.u), text)


def _paint_number(p: QPainter, lay: PageLayout, k: int, n: int, theme: Theme) -> None:
    fm = QFontMetricsF(lay.fonts.footer)
    text = f"{k + 1} / {n}"
    baseline = lay.footer[0] if lay.footer is not None else lay.height - 16 * lay.u
    p.setFont(lay.fonts.footer)
    p.setPen(theme.axis_text)
    p.drawText(QPointF(lay.plot_right - fm.horizontalAdvance(text), baseline), text)


def paged_pdf_bytes(
    data: RenderData,
    paper: Paper | None = None,
    *,
    pages: int | None = None,
    theme: Theme | None = None,
) -> bytes:
    """A PDF of ``data`` on ``paper`` (default: A4 landscape), page by page."""
    buffer, writer = pdf_writer(data.title)
    writer.setPageLayout((paper or Paper()).page_layout())
    if paint_pages(writer, data, pages=pages, theme=theme) == 0:
        raise OSError("could not start the PDF")
    return bytes(buffer.data().data())


def render_paged(
    store: EventStore,
    out: str | os.PathLike[str],
    paper: Paper | None = None,
    *,
    pages: int | None = None,
    theme: Theme | None = None,
    **what: Any,
) -> None:
    """Write the timeline of ``store`` to ``out`` (a ``.pdf``) across pages; ``what``
    is what :func:`~viewer.ui.picture_data.render_data` takes (dates, filters,
    grouper, time scale).  Raises ValueError for a name that is not a PDF's."""
    ext = output_format(out)
    if ext != ".pdf":
        raise ValueError(f"pages are written as a PDF, not {ext[1:].upper()}: name it .pdf")
    data = render_data(store, **what)
    write_atomically(out, paged_pdf_bytes(data, paper, pages=pages, theme=theme))


# -- printing ----------------------------------------------------------------------------


def print_timeline(
    parent: QWidget | None,
    store: EventStore,
    *,
    date_from: PartialDate | None = None,
    date_to: PartialDate | None = None,
    filters: Filters | None = None,
    arrays: EventArrays | None = None,
    grouper: Grouper | None = None,
    time_scale: TimeScale = LINEAR,
) -> QPrintPreviewDialog:
    """A print preview of the timeline on paper (landscape unless the person chooses
    otherwise): split across pages at a readable scale, with overlap marks, the span of
    each page in its header and page numbers; not yet shown.

    The caller runs it (``exec()`` or ``open()``); printing always uses the light colours.
    """
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    data = render_data(
        store,
        date_from=date_from,
        date_to=date_to,
        filters=filters,
        arrays=arrays,
        grouper=grouper,
        time_scale=time_scale,
    )
    dialog = QPrintPreviewDialog(parent)
    dialog.setWindowTitle(f"Print {data.title}")
    printer = dialog.printer()
    printer.setDocName(data.title)
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)

    def paint(target: QPrinter) -> None:
        paint_pages(target, data)

    dialog.paintRequested.connect(paint)
    return dialog
