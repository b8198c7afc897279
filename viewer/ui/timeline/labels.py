"""The timeline's label text: measured once, elided once, prepared once, by event id.

Measuring text is the costly part of drawing labels, so :class:`LabelCache` keeps,
per event id, the headline as one line, its width in the regular and the bold font,
elided versions and prepared :class:`QStaticText`, in LRU caches.  A headline with
type styles of its own (``<i>Hamlet</i> opens``: the title of a work) is drawn whole
with them, as rich text through the same allowlist as everywhere
(:func:`~viewer.ui.richtext.styled_html`), and measured so; an elided label is its
plain words.  Only what is drawn
(or, for a set small enough to lay out with its labels, every label) is measured;
headlines come from the arrays' text source, fetched for many labels at once.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
from PySide6 import QtGui
from PySide6.QtCore import Qt

from viewer.store.columns import EventArrays
from viewer.ui.richtext import one_line, styled_html

__all__ = ["LABEL_PIXEL_SIZE", "LABEL_POINT_SIZE", "LabelCache", "picture_font"]

LABEL_POINT_SIZE = 9.5  # labels' font size (pt) at size scale 1, on screen
LABEL_PIXEL_SIZE = LABEL_POINT_SIZE * 96 / 72  # the same in pixels, for pictures
#: Most labels whose text and widths are kept; prepared texts kept.
TEXT_CACHE = 50_000
STATIC_TEXT_CACHE = 4096


#: Fallbacks named after the application's font in an SVG, for viewers without it.
_FALLBACK_FAMILIES = ("Helvetica Neue", "Arial", "sans-serif")


def picture_font(px: float, weight: QtGui.QFont.Weight = QtGui.QFont.Weight.Normal) -> QtGui.QFont:
    """A font for pictures (files, print): sized in pixels and unhinted, so that text
    measured once is as wide on every device, a PDF's 300 dpi as a PNG's pixels."""
    font = QtGui.QFont()
    font.setStyleHint(QtGui.QFont.StyleHint.SansSerif)
    # The first family is the one measured; an SVG names the rest for other machines.
    family = QtGui.QFontInfo(font).family()
    font.setFamilies([family, *(f for f in _FALLBACK_FAMILIES if f != family)])
    font.setPixelSize(max(1, round(px)))
    font.setWeight(weight)
    font.setHintingPreference(QtGui.QFont.HintingPreference.PreferNoHinting)
    return font


class LabelCache:
    """Label fonts, and what was measured in them, by event id.

    On screen the fonts follow the desktop's point sizes; ``pictures`` makes them
    :func:`picture_font` s (pixel sizes), for files and print.
    """

    def __init__(self, *, pictures: bool = False) -> None:
        self.pictures = pictures
        self.factor = 1.0
        self.font = QtGui.QFont()
        self.bold = QtGui.QFont()
        self.metrics = QtGui.QFontMetricsF(self.font)
        self.bold_metrics = QtGui.QFontMetricsF(self.bold)
        # id -> [text, width, bold width, styled] (widths nan until measured; styled:
        # the headline with its type styles, "" when it has none)
        self._texts: OrderedDict[int, list] = OrderedDict()
        # (id, bold, elided width) -> (text, width); elided width 0 is the whole title
        self._elided: OrderedDict[tuple[int, bool, int], tuple[str, float]] = OrderedDict()
        self._static: OrderedDict[tuple[int, bool, int], tuple[str, QtGui.QStaticText]] = (
            OrderedDict()
        )
        self.set_size(1.0)

    def set_size(self, factor: float) -> None:
        """The fonts at ``factor`` times the normal size; what was measured is dropped."""
        self.factor = factor
        if self.pictures:
            self.font = picture_font(LABEL_PIXEL_SIZE * factor)
        else:
            self.font = QtGui.QFont()
            self.font.setPointSizeF(LABEL_POINT_SIZE * factor)
        self.bold = QtGui.QFont(self.font)
        self.bold.setBold(True)
        self.metrics = QtGui.QFontMetricsF(self.font)
        self.bold_metrics = QtGui.QFontMetricsF(self.bold)
        self.forget()

    def forget(self, ids: Iterable[int] | None = None) -> None:
        """Drop what was measured for ``ids`` (``None``: everything)."""
        if ids is None:
            self._texts.clear()
            self._elided.clear()
            self._static.clear()
            return
        gone = {int(i) for i in ids}
        for i in gone:
            self._texts.pop(i, None)
        if gone:
            for cache in (self._elided, self._static):
                for key in [k for k in cache if k[0] in gone]:
                    del cache[key]

    # -- texts and widths ---------------------------------------------------------------

    def _entries(self, arrays: EventArrays, positions: np.ndarray) -> list[list]:
        """The cache entries of these rows, fetching the headlines that are missing."""
        ids = arrays.ids[positions].tolist()
        texts = self._texts
        missing = [k for k, i in enumerate(ids) if i not in texts]
        if missing:
            titles = arrays.titles.many(np.asarray(positions)[missing])
            for k, title in zip(missing, titles, strict=True):
                texts[ids[k]] = [one_line(title), math.nan, math.nan, styled_html(title)]
        out = []
        for i in ids:
            entry = texts[i]
            texts.move_to_end(i)
            out.append(entry)
        while len(texts) > max(TEXT_CACHE, len(ids)):
            texts.popitem(last=False)
        return out

    def widths(self, arrays: EventArrays, positions: np.ndarray, bold: np.ndarray) -> np.ndarray:
        """Width (px) of each row's whole headline, in the bold font where ``bold``."""
        positions = np.asarray(positions, dtype=np.int64)
        bold = np.broadcast_to(np.asarray(bold, dtype=bool), positions.shape)
        out = np.empty(len(positions), dtype=np.float64)
        for k, (entry, b) in enumerate(
            zip(self._entries(arrays, positions), bold.tolist(), strict=True)
        ):
            slot = 2 if b else 1
            w = entry[slot]
            if math.isnan(w):
                if entry[3]:  # drawn with its type styles: as wide as that is
                    w = self._rich(entry[3], b).size().width()
                else:
                    w = (self.bold_metrics if b else self.metrics).horizontalAdvance(entry[0])
                w = entry[slot] = math.ceil(w)
            out[k] = w
        return out

    def text(self, arrays: EventArrays, position: int) -> str:
        """The headline of a row on one line."""
        return self._entries(arrays, np.array([position]))[0][0]

    def known_text(self, event_id: int) -> str:
        """The one-line headline of an event already measured (``""`` if not)."""
        entry = self._texts.get(int(event_id))
        return entry[0] if entry is not None else ""

    def elide(self, event_id: int, text: str, bold: bool, room: int) -> tuple[str, float]:
        """``text`` elided to ``room`` pixels, and its width (cached)."""
        key = (int(event_id), bold, room)
        hit = self._elided.get(key)
        if hit is not None:
            self._elided.move_to_end(key)
            return hit
        metrics = self.bold_metrics if bold else self.metrics
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        hit = (elided, float(math.ceil(metrics.horizontalAdvance(elided))))
        self._elided[key] = hit
        while len(self._elided) > STATIC_TEXT_CACHE:
            self._elided.popitem(last=False)
        return hit

    def styled(self, event_id: int) -> str:
        """The headline of an event measured already, with its type styles (``""``:
        it has none, or it was not measured)."""
        entry = self._texts.get(int(event_id))
        return entry[3] if entry is not None else ""

    def _rich(self, html_text: str, bold: bool) -> QtGui.QStaticText:
        font = self.bold if bold else self.font
        # one line: as wide as the text is (a nowrap style would make its spaces
        # non-breaking ones, which a picture's text would then hold)
        doc = QtGui.QTextDocument()
        doc.setDocumentMargin(0.0)
        doc.setDefaultFont(font)
        doc.setHtml(html_text)
        st = QtGui.QStaticText(html_text)
        st.setTextFormat(Qt.TextFormat.RichText)
        st.setTextWidth(math.ceil(doc.idealWidth()) + 1.0)
        st.setPerformanceHint(QtGui.QStaticText.PerformanceHint.AggressiveCaching)
        st.prepare(QtGui.QTransform(), font)
        return st

    def static_text(self, event_id: int, text: str, bold: bool, room: int) -> QtGui.QStaticText:
        """Prepared text of a label (``room`` 0: ``text`` whole, with the headline's
        type styles where it has them; else its plain words elided to ``room``)."""
        styled = self.styled(event_id) if room == 0 else ""
        shown = styled or (text if room == 0 else self.elide(event_id, text, bold, room)[0])
        key = (int(event_id), bold, room)
        hit = self._static.get(key)
        if hit is not None and hit[0] == shown:
            self._static.move_to_end(key)
            return hit[1]
        if styled:
            st = self._rich(styled, bold)
        else:
            st = QtGui.QStaticText(shown)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.setPerformanceHint(QtGui.QStaticText.PerformanceHint.AggressiveCaching)
            st.prepare(QtGui.QTransform(), self.bold if bold else self.font)
        self._static[key] = (shown, st)
        while len(self._static) > STATIC_TEXT_CACHE:
            self._static.popitem(last=False)
        return st
