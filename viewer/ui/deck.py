"""A deck that travels: the presentation as a PDF, one slide per page.

For presenting from a machine without the app: a title slide (the timeline's title,
its lead, span and count), then every step of the presentation exactly as
:class:`~viewer.ui.presentation.PresentationWindow` shows it — the same events in the
same order (those shown, or the selected ones), the same card and timeline band, in
the window's appearance, swimlanes and time scale.  Each slide is the presentation
window painted into a PDF page (its text stays text, its marks vector shapes); the
page is the slide's size in pixels at 96 per inch (``--size 1920x1080`` is a 16:9
deck, ``1600x1200`` a 4:3 one).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QPoint, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QRegion
from PySide6.QtWidgets import QApplication, QWidget

from viewer.io.files import write_atomically
from viewer.model.dates import Precision
from viewer.store.columns import EventArrays
from viewer.ui.export import pdf_writer
from viewer.ui.picture_data import span_text
from viewer.ui.present_steps import presented_indices
from viewer.ui.presentation import PresentationWindow
from viewer.ui.richtext import one_line, plain_text
from viewer.ui.theme import Theme

__all__ = ["DEFAULT_SIZE", "TitleSlide", "deck_bytes", "title_slide", "write_deck"]

#: A 16:9 slide, in pixels.
DEFAULT_SIZE = (1920, 1080)
#: Pixels per inch of a slide on its PDF page.
SLIDE_DPI = 96
#: Sizes a slide may have (each side, pixels).
MIN_SIDE, MAX_SIDE = 320, 8000


@dataclass(frozen=True, slots=True)
class TitleSlide:
    """What the first page says: the title, a lead paragraph, the span and count
    ("July 2000 – June 2024 · 14 events"), and the source."""

    title: str
    lead: str = ""
    subtitle: str = ""
    source: str = ""


def title_slide(
    meta: Mapping[str, str], arrays: EventArrays, ids: Sequence[int] | None
) -> TitleSlide:
    """The title slide of a presentation of ``ids`` of ``arrays`` (``None``: all of
    them), from a store's ``meta``: the description's first paragraph is the lead."""
    order = presented_indices(arrays, ids)
    subtitle = ""
    if order:
        first = min(order, key=lambda i: float(arrays.begin[i]))
        last = max(order, key=lambda i: float(arrays.finish[i]))
        finest = Precision(min(int(arrays.start_precision[first]), int(arrays.end_precision[last])))
        span = span_text(float(arrays.begin[first]), float(arrays.finish[last]), finest)
        n = len(order)
        subtitle = f"{span} · {n:,} event{'s' * (n != 1)}"
    lead = plain_text(meta.get("description", "")).strip().split("\n\n")[0]
    return TitleSlide(
        title=one_line(meta.get("title", "")) or "Timeline",
        lead=" ".join(lead.split()),
        subtitle=subtitle,
        source=" ".join(meta.get("source", "").split()),
    )


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _paint_title(p: QPainter, size: tuple[int, int], slide: TitleSlide, theme: Theme) -> None:
    w, h = size
    base = max(11.0, min(h / 30, w / 52))  # the presentation's body size
    p.fillRect(QRectF(0, 0, w, h), theme.window)
    margin = base * 3
    width = w - 2 * margin
    lines: list[tuple[QFont, QColor, str, float]] = []
    title_font = QFont()
    title_font.setPixelSize(round(base * 3.2))
    title_font.setBold(True)
    body = QFont()
    body.setPixelSize(round(base * 1.2))
    small = QFont()
    small.setPixelSize(round(base * 0.8))
    for font, color, text, after in (
        (title_font, theme.text, slide.title, base * 1.2),
        (body, theme.accent, slide.subtitle, base * 1.0),
        (body, theme.text, slide.lead, 0.0),
    ):
        if text:
            lines.append((font, color, text, after))
    # the block is set left, its middle a little above the page's
    heights = []
    for font, _color, text, after in lines:
        rect = QFontMetricsF(font).boundingRect(
            QRectF(0, 0, width, h), int(Qt.TextFlag.TextWordWrap), text
        )
        heights.append(min(rect.height(), h * 0.4) + after)
    y = max(margin, (h - sum(heights)) / 2 - base)
    for (font, color, text, _after), height in zip(lines, heights, strict=True):
        p.setFont(font)
        p.setPen(color)
        p.drawText(QRectF(margin, y, width, height), int(Qt.TextFlag.TextWordWrap), text)
        y += height
    if slide.source:
        p.setFont(small)
        p.setPen(theme.muted_text)
        fm = QFontMetricsF(small)
        text = fm.elidedText(slide.source, Qt.TextElideMode.ElideRight, width)
        p.drawText(QPointF(margin, h - margin + fm.ascent()), text)


def deck_bytes(
    presenter: PresentationWindow,
    slide: TitleSlide,
    theme: Theme,
    size: tuple[int, int] = DEFAULT_SIZE,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The PDF of the title slide and every step of ``presenter`` at ``size``.

    ``presenter`` is made for the purpose (shown nowhere on the screen here, and
    moved from step to step); ``progress(done, total)`` is told after each slide.
    """
    w, h = size
    if not (MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE):
        raise ValueError(f"a slide must be {MIN_SIDE} to {MAX_SIDE} pixels a side, not {w}×{h}")
    presenter.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    presenter.resize(w, h)
    presenter.show()
    _settle()
    buffer, writer = pdf_writer(slide.title)
    writer.setResolution(SLIDE_DPI)
    page = QPageSize(QSizeF(w * 72 / SLIDE_DPI, h * 72 / SLIDE_DPI), QPageSize.Unit.Point, "Slide")
    writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    total = presenter.count + 1
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError("could not start the PDF")
    try:
        scale = writer.width() / w
        painter.scale(scale, scale)
        _paint_title(painter, size, slide, theme)
        if progress is not None:
            progress(1, total)
        for step in range(presenter.count):
            writer.newPage()
            presenter.go_to(step, animate=False)
            _settle()
            presenter.finish_animations()
            _settle()
            presenter.render(painter, QPoint(0, 0), QRegion(), _RENDER_FLAGS)
            if progress is not None:
                progress(step + 2, total)
    finally:
        painter.end()
    return bytes(buffer.data().data())


_RENDER_FLAGS = QWidget.RenderFlag.DrawWindowBackground | QWidget.RenderFlag.DrawChildren


def write_deck(
    out: str | os.PathLike[str],
    presenter: PresentationWindow,
    slide: TitleSlide,
    theme: Theme,
    size: tuple[int, int] = DEFAULT_SIZE,
) -> int:
    """Write the deck to ``out`` (whole or not at all); how many pages it has."""
    try:
        payload = deck_bytes(presenter, slide, theme, size)
        pages = presenter.count + 1
    finally:
        presenter.close()
    write_atomically(out, payload)
    return pages
