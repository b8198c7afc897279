"""Timeline pictures for slides and reports: PNG, SVG and PDF files, and printing.

One renderer, :func:`paint_timeline`, draws the whole picture with a plain
:class:`QPainter`, independent of any widget: the timeline's title and a subtitle with
its span ("July 2000 – June 2024 · 14 events"), the events in packed lanes, a calendar
axis along the bottom, a legend of categories and a footer with the source.  The same
drawing goes to a :class:`QImage` (PNG), a :class:`QSvgGenerator` (SVG, text stays
text), a :class:`QPdfWriter` (PDF, vector text) or a :class:`QPrinter`.

The layout is computed before anything is drawn (:func:`layout_size`): the width is
given and the height follows from the number of lanes.  Sizes scale with the width (a
1600-px picture is the reference), within limits so that a narrow picture stays
readable.  How the events are drawn depends on how many there are:

* **labels**: every event gets its label (headline and date) beside its mark, after
  it or, near the right edge, before it; a long bar holds its label.  Labels are
  measured with :class:`QFontMetricsF` and packed into lanes together with their marks
  in pixel space (first fit, as :func:`~viewer.model.lanes.pack_lanes`, taken in
  time order so that a cluster stacks as it happened), so no two overlap.  Long
  headlines are elided; the longest labels are kept that cost at most one lane more
  than the shortest tried.
* **marks**: too many to label them all within :data:`MAX_LANES` lanes: events take,
  in time order, the first lane where they fit with a label, else the first where the
  mark alone fits (the last lanes are kept for marks alone, and drawn lower).
* **compact**: too many even for that: smaller marks without labels, packed with
  :func:`~viewer.model.lanes.pack_lanes`.
* **density**: more than :data:`MAX_COMPACT_LANES` lanes of those: a histogram of
  events per calendar period (day, week, month, year, decade…), stacked by category.

Only :func:`render_data` reads the store; everything else works on :class:`RenderData`.
"""

from __future__ import annotations

import bisect
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRect, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
)

from viewer.io.files import write_atomically
from viewer.model.colors import NEUTRAL_COLOR, SINGLE_COLOR
from viewer.model.dates import (
    CALENDAR_YEAR_LIMIT,
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    SECONDS_PER_DAY,
    SECONDS_PER_YEAR,
    PartialDate,
    Precision,
    days_from_civil,
    format_range,
    year_from_position,
    year_start,
)
from viewer.model.filters import Filters
from viewer.model.lanes import pack_lanes
from viewer.store.columns import EventArrays
from viewer.store.filtering import FilterState
from viewer.ui.timeline.ticks import calendar_ticks

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
    from PySide6.QtWidgets import QWidget

    from viewer.store import EventStore

__all__ = [
    "FORMATS",
    "LegendEntry",
    "RenderData",
    "layout_size",
    "output_format",
    "paint_on_printer",
    "paint_timeline",
    "print_timeline",
    "render_data",
    "render_file",
    "render_image",
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
#: Colour of events without a category.
#: Colour of the events of a timeline without categories.
#: The legend's name for events without a category.
OTHER_NAME = "Other"
#: Width of the PDF page (A4 landscape); its height follows the picture's aspect.
PDF_PAGE_WIDTH_MM = 297.0
PDF_RESOLUTION = 300

#: More events than this are never all labelled (no text is measured for them).
LABEL_LIMIT = 600
#: Longest labels tried, longest first (px at the reference width).
LABEL_WIDTHS = (640.0, 460.0, 320.0, 220.0)
#: A vague end of a range fades to this fraction of the bar's opacity.
FADE_FLOOR = 0.2
#: Height of a lane of unlabelled full-size marks (px at the reference width).
MARK_ROW = 19.0
#: Bars at least this long (px at the reference width) hold their label.
LONG_BAR = 160.0
#: Lanes that are never too many for full labels.
FEW_LANES = 12
#: Most lanes drawn with labels, or with full-size marks.
MAX_LANES = 22
#: Most lanes of compact marks; beyond that the picture shows a density histogram.
MAX_COMPACT_LANES = 60
#: Margin (fraction of the span) on each side of the whole timeline.
SPAN_MARGIN = 0.035

_VAGUE = int(Precision.DAY)  # coarser than a day: a month or a year
_MONTH_RE = re.compile(r"\b(" + "|".join(MONTH_NAMES) + r")\b")


# -- data --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """A category in the legend: its name, colour (``#rrggbb``) and events drawn."""

    name: str
    color: str
    count: int


@dataclass(slots=True)
class RenderData:
    """Everything a picture shows (no Qt here).

    ``arrays`` are the events drawn (numpy columns sorted by ``begin``, their texts
    fetched on use); positions are axis seconds (:mod:`viewer.model.dates`).
    ``color_index`` points into ``legend``; ``total`` is how many events passed the
    filters before the picture's span was applied.
    """

    title: str
    subtitle: str
    source: str
    x0: float
    x1: float
    arrays: EventArrays
    color_index: np.ndarray
    legend: list[LegendEntry] = field(default_factory=list)
    total: int = 0
    #: False for a timeline without events and no span asked for: no axis to draw.
    has_span: bool = True

    def __len__(self) -> int:
        return len(self.arrays)

    @property
    def begin(self) -> np.ndarray:
        return self.arrays.begin

    @property
    def finish(self) -> np.ndarray:
        return self.arrays.finish

    @property
    def start_until(self) -> np.ndarray:
        return self.arrays.start_finish

    @property
    def end_from(self) -> np.ndarray:
        return self.arrays.end_begin

    @property
    def is_range(self) -> np.ndarray:
        return self.arrays.is_range

    @property
    def start_precision(self) -> np.ndarray:
        return self.arrays.start_precision

    @property
    def end_precision(self) -> np.ndarray:
        return self.arrays.end_precision

    @property
    def titles(self) -> Sequence[str]:
        return self.arrays.titles

    def date_text(self, i: int) -> str:
        """The date of event ``i`` as a label shows it ("24 Feb 2022", "16–17 May 2024")."""
        text = self.arrays.dates[i]
        return _MONTH_RE.sub(lambda m: MONTH_ABBREVIATIONS[MONTH_NAMES.index(m[1])], text)


def _count_text(n: int) -> str:
    return f"{n:,} event{'s' * (n != 1)}"


def _span_text(x0: float, x1: float) -> str:
    """A span for people, to a precision that suits its length."""
    last = max(x0, x1 - 1.0)
    length = x1 - x0
    if (
        max(abs(x0), abs(x1)) > abs(year_start(CALENDAR_YEAR_LIMIT))
        or length > 60 * SECONDS_PER_YEAR
    ):
        precision = Precision.YEAR
    elif length > 90 * SECONDS_PER_DAY:
        precision = Precision.MONTH
    elif length > 2 * SECONDS_PER_DAY:
        precision = Precision.DAY
    else:
        precision = Precision.MINUTE
    a = PartialDate.from_position(x0, precision)
    b = PartialDate.from_position(last, precision)
    return format_range(a, b)


def render_data(
    store: EventStore,
    *,
    date_from: PartialDate | None = None,
    date_to: PartialDate | None = None,
    x_range: tuple[float, float] | None = None,
    filters: Filters | None = None,
    arrays: EventArrays | None = None,
) -> RenderData:
    """What to draw: the events passing ``filters`` in the picture's span.

    The span is ``x_range`` (the visible range of a view, axis seconds) when given,
    else ``date_from``–``date_to`` (either may be open: that side follows the events),
    else the whole timeline with a small margin.  Events overlapping the span are drawn.
    ``arrays`` are every event of the store, as the window's data pipeline holds them
    (default: read from the store).
    """
    base = filters or Filters()
    date_from = date_from if date_from is not None else base.date_from
    date_to = date_to if date_to is not None else base.date_to
    if date_from is not None and date_to is not None and date_to.finish() <= date_from.begin():
        raise ValueError(f"the end ({date_to.format()}) is before the start ({date_from.format()})")
    everything = arrays if arrays is not None else store.load_arrays()
    rest = replace(base, date_from=None, date_to=None)  # the span is the picture's own
    if not rest.is_empty:
        state = FilterState(store)
        state.update(rest)
        everything = everything.where(state.mask(everything, rest))
    meta = store.meta()
    begin, finish = everything.begin, everything.finish
    total = len(everything)

    restricted = x_range is not None or date_from is not None or date_to is not None
    if x_range is not None:
        x0, x1 = float(min(x_range)), float(max(x_range))
        if not (math.isfinite(x0) and math.isfinite(x1)) or x1 <= x0:
            raise ValueError(f"not a time range: {x_range!r}")
    else:
        lo = date_from.begin() if date_from is not None else None
        hi = date_to.finish() if date_to is not None else None
        inside = np.ones(total, dtype=bool)
        if lo is not None:
            inside &= finish > lo
        if hi is not None:
            inside &= begin < hi
        if np.any(inside):
            e0, e1 = float(begin[inside].min()), float(finish[inside].max())
        else:
            e0 = lo if lo is not None else (hi - SECONDS_PER_YEAR if hi is not None else 0.0)
            e1 = hi if hi is not None else e0 + SECONDS_PER_YEAR
            e0 = min(e0, e1 - 1.0)
        margin = (e1 - e0) * SPAN_MARGIN
        x0 = lo if lo is not None else e0 - margin
        x1 = hi if hi is not None else e1 + margin

    drawn = everything.where((finish > x0) & (begin < x1))
    n = len(drawn)
    # the legend: the categories drawn, in the store's order, then those without one
    keys, counts = np.unique(drawn.category, return_counts=True)
    count_of = dict(zip(keys.tolist(), counts.tolist(), strict=True))
    legend: list[LegendEntry] = []
    index: dict[int, int] = {}
    for c in store.categories():
        if c.id in count_of:
            index[c.id] = len(legend)
            legend.append(LegendEntry(c.name, c.color, count_of[c.id]))
    others = sum(k for key, k in count_of.items() if key not in index)
    if others:
        # Grey sets the uncategorised apart from the rest; alone, they get a colour.
        color = NEUTRAL_COLOR if legend else SINGLE_COLOR
        legend.append(LegendEntry(OTHER_NAME, color, others))
    lut_keys = np.array(sorted(index), dtype=np.int64)
    lut = np.array([index[k] for k in lut_keys.tolist()], dtype=np.int64)
    pos = np.searchsorted(lut_keys, drawn.category) if len(lut_keys) else np.zeros(n, np.int64)
    pos = np.minimum(pos, max(len(lut_keys) - 1, 0))
    known = (lut_keys[pos] == drawn.category) if len(lut_keys) else np.zeros(n, dtype=bool)
    color_index = np.where(known, lut[pos] if len(lut) else 0, len(legend) - 1).astype(np.int64)

    if n <= LABEL_LIMIT:
        drawn.titles.many(np.arange(n))  # one fetch for every label's text
    if date_from is not None and date_to is not None and x_range is None:
        period = format_range(date_from, date_to)
    elif n and not restricted:
        period = _span_text(float(drawn.begin.min()), float(drawn.finish.max()))
    else:
        period = _span_text(x0, x1)
    count = _count_text(n) if not restricted or n == total else f"{n:,} of {_count_text(total)}"
    has_span = restricted or total > 0
    subtitle = f"{period} · {count}" if has_span else ""
    return RenderData(
        title=meta["title"].strip() or "Timeline",
        subtitle=subtitle,
        has_span=has_span,
        source=" ".join(meta["source"].split()),
        x0=x0,
        x1=x1,
        arrays=drawn,
        color_index=color_index,
        legend=legend,
        total=total,
    )


# -- layout ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Fonts:
    title: QFont
    subtitle: QFont
    label: QFont
    axis: QFont
    axis_major: QFont
    legend: QFont
    footer: QFont
    note: QFont


#: Fallbacks named after the application's font in an SVG, for viewers without it.
_FALLBACK_FAMILIES = ("Helvetica Neue", "Arial", "sans-serif")


def _font(px: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    font = QFont()
    font.setStyleHint(QFont.StyleHint.SansSerif)
    # The first family is the one measured; an SVG names the rest for other machines.
    family = QFontInfo(font).family()
    font.setFamilies([family, *(f for f in _FALLBACK_FAMILIES if f != family)])
    font.setPixelSize(max(1, round(px)))
    font.setWeight(weight)
    # Glyph advances then do not depend on the device: measured once, right everywhere.
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def _fonts(u: float) -> _Fonts:
    return _Fonts(
        title=_font(38 * u, QFont.Weight.Bold),
        subtitle=_font(20 * u),
        label=_font(15 * u),
        axis=_font(14 * u),
        axis_major=_font(14 * u, QFont.Weight.DemiBold),
        legend=_font(15 * u),
        footer=_font(13 * u),
        note=_font(13 * u),
    )


@dataclass(frozen=True, slots=True)
class _Marks:
    """Sizes of the marks in one drawing mode (pixels)."""

    row: float  # lane height
    radius: float  # half the width of a point's diamond
    dot: float  # radius of a vague point's circle
    bar_half: float  # half the height of a range bar
    band_half: float  # half the height of a vague point's band
    min_bar: float  # narrowest range bar
    corner: float  # rounding of a bar


@dataclass(frozen=True, slots=True)
class _Label:
    index: int
    x: float
    title: str
    date: str
    title_width: float
    on_bar: bool = False  # drawn over its own bar


@dataclass(slots=True)
class _Density:
    edges: np.ndarray  # pixel x of bin edges
    counts: np.ndarray  # (categories, bins)
    top: float  # the count at the top of the chart
    step: float  # between horizontal gridlines
    caption: str


@dataclass(slots=True)
class _Layout:
    width: float
    height: float
    u: float
    fonts: _Fonts
    title_lines: list[tuple[float, str]]  # (baseline, text)
    subtitle: tuple[float, str]
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float  # the axis line
    mode: str  # "labels" | "marks" | "compact" | "density" | "empty"
    marks: _Marks
    lanes: np.ndarray
    labels: list[_Label]
    ticks: list[tuple[float, str, bool]]  # (x, label, major)
    axis_baseline: float
    legend: list[tuple[float, float, int]]  # (x, centre y, entry index)
    footer: tuple[float, str] | None
    footer_rule: float | None
    density: _Density | None = None
    note: str = ""
    labelled_lanes: int = 0  # "marks": lanes from this one on hold marks alone
    lane_centres: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def x(self, pos: np.ndarray | float, data: RenderData) -> np.ndarray:
        scale = (self.plot_right - self.plot_left) / (data.x1 - data.x0)
        return self.plot_left + (np.asarray(pos, dtype=np.float64) - data.x0) * scale


_LABEL_MARKS = _Marks(row=30, radius=7, dot=5.5, bar_half=9, band_half=7, min_bar=6, corner=4)
_COMPACT_MARKS = _Marks(row=11, radius=4, dot=3.2, bar_half=3.5, band_half=3, min_bar=3, corner=1.5)


def _scaled_marks(marks: _Marks, u: float) -> _Marks:
    return _Marks(*(getattr(marks, f.name) * u for f in fields(marks)))


def _scale(width: float) -> float:
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


class _Measure:
    """Widths of event labels, measured once per event."""

    def __init__(self, data: RenderData, fm: QFontMetricsF) -> None:
        self.data = data
        self.fm = fm
        self.sep = fm.horizontalAdvance("  ")
        self._title: dict[int, float] = {}
        self._date: dict[int, tuple[str, float]] = {}

    def title(self, i: int) -> float:
        w = self._title.get(i)
        if w is None:
            w = self._title[i] = self.fm.horizontalAdvance(self.data.titles[i])
        return w

    def date(self, i: int) -> tuple[str, float]:
        found = self._date.get(i)
        if found is None:
            text = self.data.date_text(i)
            found = self._date[i] = (text, self.fm.horizontalAdvance(text))
        return found

    def full(self, i: int) -> float:
        return self.title(i) + self.sep + self.date(i)[1]

    def fit(self, i: int, room: float, min_width: float) -> tuple[str, str, float, float] | None:
        """``(title, date, title width, total width)`` fitting ``room``, or None.

        The headline matters more than the date: the date goes first, then the
        headline is elided (keeping the date if the headline keeps two thirds).
        """
        if room < min_width:
            return None
        title = self.data.titles[i]
        wt = self.title(i)
        date, wd = self.date(i)
        if wt + self.sep + wd <= room:
            return title, date, wt, wt + self.sep + wd
        if wt <= room:
            return title, "", wt, wt
        keep = room - self.sep - wd
        if keep >= max(0.65 * wt, min_width):
            text = self.fm.elidedText(title, Qt.TextElideMode.ElideRight, keep)
            w = self.fm.horizontalAdvance(text)
            return text, date, w, w + self.sep + wd
        text = self.fm.elidedText(title, Qt.TextElideMode.ElideRight, room)
        if text in ("", "…"):
            return None
        w = self.fm.horizontalAdvance(text)
        return text, "", w, w


@dataclass(slots=True)
class _Geometry:
    """Pixel geometry of each event's mark (numpy arrays over the events)."""

    m0: np.ndarray  # mark extent, clipped to the plot
    m1: np.ndarray
    right: np.ndarray  # where a label after (or inside) the mark starts
    left: np.ndarray  # where a label before the mark ends
    inside: np.ndarray  # a bar holding its label


def _bars(data: RenderData, lay: _Layout, marks: _Marks) -> np.ndarray:
    """Which events are drawn as bars: ranges wide enough to show their length.

    A range narrower than a point's marker ("16–17 May 2024" over twenty years) is
    drawn as a point: a capsule a few pixels wide reads as neither.
    """
    width = (data.finish - data.begin) * (lay.plot_right - lay.plot_left) / (data.x1 - data.x0)
    return data.is_range & (width >= 2 * marks.radius)


def _geometry(data: RenderData, lay: _Layout, marks: _Marks, gap: float) -> _Geometry:
    b = lay.x(data.begin, data)
    f = lay.x(data.finish, data)
    cx = (b + f) * 0.5
    bars = _bars(data, lay, marks)
    lo_clip, hi_clip = lay.plot_left, lay.plot_right
    bar0 = np.clip(b, lo_clip, hi_clip)
    bar1 = np.clip(np.maximum(f, b + marks.min_bar), lo_clip, hi_clip)
    vague = (~bars) & (data.start_precision < _VAGUE)
    r = np.where(vague, marks.dot, marks.radius)
    m0 = np.where(bars, bar0, np.minimum(np.clip(b, lo_clip, hi_clip), cx - r))
    m1 = np.where(
        bars, np.maximum(bar1, bar0 + 1.0), np.maximum(np.clip(f, lo_clip, hi_clip), cx + r)
    )
    # A label goes inside a bar long enough to hold a fair part of it, else after it.
    inside = bars & (bar1 - bar0 >= LONG_BAR * lay.u)
    right = np.where(inside, bar0 + 2 * gap, np.where(bars, m1 + gap, cx + r + gap))
    left = np.where(bars, bar0 - gap, cx - r - gap)
    return _Geometry(m0, m1, right, left, inside)


class _Lanes:
    """Occupied extents of each lane, for first-fit packing in any order.

    Taken in order of their start, extents get exactly the lanes of
    :func:`~viewer.model.lanes.pack_lanes` (the first lane where an extent fits,
    ``gap`` clear of its neighbours); here they may come in any order.
    """

    def __init__(self, gap: float, limit: int | None = None) -> None:
        self.gap = gap
        self.limit = limit
        self.starts: list[list[float]] = []
        self.ends: list[list[float]] = []

    def fits(self, k: int, a: float, b: float) -> bool:
        if self.limit is not None and k >= self.limit:
            return False
        if k == len(self.starts):
            return True
        starts, ends = self.starts[k], self.ends[k]
        at = bisect.bisect_right(starts, a)
        if at > 0 and ends[at - 1] + self.gap > a:
            return False
        return not (at < len(starts) and starts[at] < b + self.gap)

    def first_fit(self, a: float, b: float, below: int | None = None) -> int | None:
        """The first lane (below lane ``below``, if given) where ``[a, b)`` fits."""
        stop = len(self.starts) + 1 if below is None else min(below, len(self.starts) + 1)
        for k in range(stop):
            if self.fits(k, a, b):
                return k
        return None

    def add(self, k: int, a: float, b: float) -> None:
        if k == len(self.starts):
            self.starts.append([])
            self.ends.append([])
        at = bisect.bisect_right(self.starts[k], a)
        self.starts[k].insert(at, a)
        self.ends[k].insert(at, b)


def _label_options(
    i: int,
    geo: _Geometry,
    lay: _Layout,
    measure: _Measure,
    max_width: float,
    min_width: float,
) -> list[tuple[_Label, float, float]]:
    """Ways to label event ``i``, best first: ``(label, extent start, extent end)``.

    After the mark (inside a long bar) when the whole label fits there, else before
    it; where neither holds the whole label, the side with more room, elided.
    """
    right_room = min(max_width, lay.plot_right - geo.right[i])
    if geo.inside[i]:  # the label stays within its bar
        right_room = geo.m1[i] - geo.right[i] - 5 * lay.u
    left_room = min(max_width, geo.left[i] - lay.plot_left)
    full = measure.full(i)
    sides = ["right", "left"]
    if full > right_room and (full <= left_room or left_room > right_room):
        sides.reverse()
    options: list[tuple[_Label, float, float]] = []
    for side in sides:
        room = right_room if side == "right" else left_room
        fit = measure.fit(i, float(room), min_width)
        if fit is None:
            continue
        title, date, title_width, width = fit
        if side == "right":
            x = float(geo.right[i])
            label = _Label(i, x, title, date, title_width, bool(geo.inside[i]))
            options.append((label, float(geo.m0[i]), max(float(geo.m1[i]), x + width)))
        else:
            x = float(geo.left[i] - width)
            label = _Label(i, x, title, date, title_width)
            options.append((label, min(float(geo.m0[i]), x), float(geo.m1[i])))
    return options


def _label_lanes(
    data: RenderData, lay: _Layout, measure: _Measure, max_width: float
) -> tuple[np.ndarray, list[_Label]]:
    """Every event labelled (where there is any room), lanes as many as that takes.

    The extents (mark and label) are packed in event order, so a cluster of events
    stacks top to bottom as they happened even where labels sit left of their marks.
    """
    u = lay.u
    geo = _geometry(data, lay, lay.marks, 5 * u)
    lo = geo.m0.copy()
    hi = geo.m1.copy()
    labels: list[_Label] = []
    for i in range(len(data)):
        options = _label_options(i, geo, lay, measure, max_width, 90 * u)
        if options:
            label, lo[i], hi[i] = options[0]
            labels.append(label)
    if len(lo) < 2 or bool(np.all(lo[1:] >= lo[:-1])):
        return pack_lanes(lo, hi, gap=14 * u), labels
    lanes = _Lanes(14 * u)
    out = np.zeros(len(lo), dtype=np.int32)
    for i, (a, b) in enumerate(zip(lo.tolist(), hi.tolist(), strict=True)):
        k = lanes.first_fit(a, b)
        assert k is not None  # no limit
        lanes.add(k, a, b)
        out[i] = k
    return out, labels


def _some_label_lanes(
    data: RenderData, lay: _Layout, measure: _Measure, max_lanes: int
) -> tuple[np.ndarray, list[_Label], int] | None:
    """Labels where they fit in ``max_lanes`` lanes, marks alone for the rest.

    Each event, in order, takes the first lane where it fits with its label (either
    side), else the first lane where its mark alone fits; None when even that fails.
    Labelled extents keep out of the last lanes, as many as the marks alone need, so
    that labels never crowd out a mark.
    """
    u = lay.u
    geo = _geometry(data, lay, lay.marks, 5 * u)
    gap = 10 * u
    labelled_lanes = max_lanes - (int(pack_lanes(geo.m0, geo.m1, gap=gap).max()) + 1)
    lanes = _Lanes(gap, max_lanes)
    out = np.zeros(len(data), dtype=np.int32)
    labels: list[_Label] = []
    for i in range(len(data)):
        k: int | None = None
        if labelled_lanes > 0:
            for label, a, b in _label_options(i, geo, lay, measure, 320 * u, 130 * u):
                k = lanes.first_fit(a, b, below=labelled_lanes)
                if k is not None:
                    labels.append(label)
                    break
        if k is None:
            a, b = float(geo.m0[i]), float(geo.m1[i])
            k = lanes.first_fit(a, b)
            if k is None:
                return None
        lanes.add(k, a, b)
        out[i] = k
    return out, labels, max(labelled_lanes, 0)


# Calendar bins for the density histogram: (unit, size, name of one bin).
_BINS: tuple[tuple[str, int, str], ...] = (
    ("day", 1, "day"),
    ("day", 7, "week"),
    ("month", 1, "month"),
    ("month", 3, "quarter"),
    ("year", 1, "year"),
    ("year", 2, "2 years"),
    ("year", 5, "5 years"),
    ("year", 10, "decade"),
    ("year", 25, "25 years"),
    ("year", 50, "50 years"),
    ("year", 100, "century"),
    ("year", 250, "250 years"),
    ("year", 500, "500 years"),
    ("year", 1000, "millennium"),
)


def _bin_sizes() -> list[tuple[str, int, str]]:
    bins = list(_BINS)
    for exponent in range(4, 12):
        for mantissa in (1, 2, 5):
            years = mantissa * 10**exponent
            name = (
                f"{years // 10**9:,} billion years"
                if years >= 10**9
                else f"{years // 10**6:,} million years"
                if years >= 10**6
                else f"{years:,} years"
            )
            bins.append(("year", years, name))
    return bins


def _bin_edges(unit: str, size: int, x0: float, x1: float) -> np.ndarray:
    """Positions of calendar boundaries every ``size`` units, covering ``[x0, x1]``."""
    if unit == "day":
        d0 = math.floor(x0 / SECONDS_PER_DAY / size) * size
        d1 = math.ceil(x1 / SECONDS_PER_DAY / size) * size
        return np.arange(d0, d1 + size, size, dtype=np.float64) * SECONDS_PER_DAY
    if unit == "month":
        a = PartialDate.from_position(x0, Precision.MONTH)
        b = PartialDate.from_position(x1, Precision.MONTH)
        assert a.month is not None and b.month is not None
        i0 = (a.year * 12 + a.month - 1) // size * size
        i1 = b.year * 12 + b.month
        return np.array(
            [
                days_from_civil(k // 12, k % 12 + 1, 1) * SECONDS_PER_DAY
                for k in range(i0, i1 + size, size)
            ],
            dtype=np.float64,
        )
    y0 = year_from_position(x0) // size * size
    y1 = -(-(year_from_position(x1) + 1) // size) * size
    return np.array([year_start(y) for y in range(y0, y1 + size, size)], dtype=np.float64)


def _nice_step(top: float, lines: int = 4) -> float:
    raw = max(top / lines, 1.0)
    base = 10 ** math.floor(math.log10(raw))
    return next(m * base for m in (1, 2, 5, 10) if m * base >= raw)


def _density(data: RenderData, lay: _Layout) -> _Density:
    u = lay.u
    span = data.x1 - data.x0
    px_per_s = (lay.plot_right - lay.plot_left) / span
    unit_seconds = {"day": SECONDS_PER_DAY, "month": SECONDS_PER_YEAR / 12}
    sizes = _bin_sizes()
    if max(abs(data.x0), abs(data.x1)) > abs(year_start(CALENDAR_YEAR_LIMIT)):
        sizes = [b for b in sizes if b[0] == "year"]  # no months in deep time
    unit, size, name = next(
        (
            (unit, size, name)
            for unit, size, name in sizes
            if size * unit_seconds.get(unit, SECONDS_PER_YEAR) * px_per_s >= 7 * u
        ),
        sizes[-1],
    )
    edges = _bin_edges(unit, size, data.x0, data.x1)
    n_cat = max(1, len(data.legend))
    counts = np.zeros((n_cat, len(edges) - 1), dtype=np.int64)
    inside = (data.begin >= edges[0]) & (data.begin < edges[-1])
    bins = np.searchsorted(edges, data.begin[inside], side="right") - 1
    np.add.at(counts, (data.color_index[inside] if len(data.legend) else 0, bins), 1)
    peak = int(counts.sum(axis=0).max()) if counts.size else 0
    step = _nice_step(max(peak, 1))
    top = step * math.ceil(max(peak, 1) / step)
    return _Density(
        edges=np.clip(lay.x(edges, data), lay.plot_left, lay.plot_right),
        counts=counts,
        top=top,
        step=step,
        caption=f"Events per {name}",
    )


def _layout(data: RenderData, width: float) -> _Layout:
    u = _scale(width)
    fonts = _fonts(u)
    margin_x = 48 * u
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

    lay = _Layout(
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
        mode="empty",
        marks=_scaled_marks(_LABEL_MARKS, u),
        lanes=np.zeros(len(data), dtype=np.int32),
        labels=[],
        ticks=[],
        axis_baseline=0.0,
        legend=[],
        footer=None,
        footer_rule=None,
    )
    n = len(data)
    lanes_top = y + 12 * u
    if n == 0:
        lay.note = "No events in this period" if data.has_span else "No events yet"
        area = 110 * u
    else:
        _choose_mode(data, lay, u)
        if lay.mode == "density":
            lay.density = _density(data, lay)
            area = 260 * u
        else:
            n_lanes = max(int(lay.lanes.max()) + 1, 2)
            # Lanes of marks alone (below the labelled ones) need not be as tall.
            rows = np.full(n_lanes, lay.marks.row)
            if lay.mode == "marks":
                rows[lay.labelled_lanes :] = MARK_ROW * u
            lay.lane_centres = lanes_top + np.cumsum(rows) - rows / 2
            area = float(rows.sum())
    lay.plot_top = lanes_top
    lay.plot_bottom = lanes_top + area + 12 * u
    y = lay.plot_bottom

    # the axis
    axis_fm = QFontMetricsF(fonts.axis_major)
    pixels = lay.plot_right - lay.plot_left
    scale = pixels / (data.x1 - data.x0)
    # Labels at the ends of the axis may reach into the margin, not beyond it.
    reach = margin_x - 8 * u
    levels = calendar_ticks(
        data.x0 - reach / scale if data.has_span else math.nan,
        data.x1 + reach / scale,
        pixels + 2 * reach,
        min_spacing_px=80 * u,
        text_width=axis_fm.horizontalAdvance,
        label_gap_px=18 * u,
    )
    for k, level in enumerate(levels):
        for pos, label in level.ticks:
            x = lay.plot_left + (pos - data.x0) * scale
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


def _choose_mode(data: RenderData, lay: _Layout, u: float) -> None:
    n = len(data)
    measure = _Measure(data, QFontMetricsF(lay.fonts.label))
    if n <= LABEL_LIMIT:
        # The longest labels that fit in a few lanes, or cost at most one lane more
        # than the shortest ones.
        tries = [_label_lanes(data, lay, measure, width * u) for width in LABEL_WIDTHS]
        counts = [int(lanes.max()) + 1 for lanes, _ in tries]
        fewest = min(counts)
        if fewest <= MAX_LANES:
            enough = min(max(fewest + 1, FEW_LANES), MAX_LANES)
            best = next(k for k, c in enumerate(counts) if c <= enough)
            lay.mode, (lay.lanes, lay.labels) = "labels", tries[best]
            return
    if n <= 4 * LABEL_LIMIT:
        found = _some_label_lanes(data, lay, measure, MAX_LANES)
        if found is not None:
            lay.mode, (lay.lanes, lay.labels, lay.labelled_lanes) = "marks", found
            return
    lay.marks = _scaled_marks(_COMPACT_MARKS, u)
    geo = _geometry(data, lay, lay.marks, 0.0)
    lanes = pack_lanes(geo.m0, geo.m1, gap=2 * u)
    if int(lanes.max()) < MAX_COMPACT_LANES:
        lay.mode, lay.lanes, lay.labels = "compact", lanes, []
        lay.note = "Too many events to label: each mark is one event"
        return
    lay.mode, lay.lanes, lay.labels = "density", np.zeros(n, dtype=np.int32), []


def layout_size(data: RenderData, width: float) -> QSizeF:
    """The size of the picture of ``data`` at ``width`` (its height follows the lanes)."""
    return QSizeF(width, _layout(data, width).height)


# -- painting ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Palette:
    background: QColor
    text: QColor
    muted: QColor
    grid: QColor
    grid_major: QColor
    rule: QColor


def _palette(dark: bool) -> _Palette:
    if dark:
        return _Palette(
            background=QColor("#15171b"),
            text=QColor("#e6e8eb"),
            muted=QColor("#9ba3af"),
            grid=QColor("#24272d"),
            grid_major=QColor("#383c44"),
            rule=QColor("#2e3138"),
        )
    return _Palette(
        background=QColor("#ffffff"),
        text=QColor("#1c1f24"),
        muted=QColor("#5b6270"),
        grid=QColor("#eef0f3"),
        grid_major=QColor("#d5d9df"),
        rule=QColor("#e3e6ea"),
    )


def _alpha(color: QColor, alpha: float) -> QColor:
    c = QColor(color)
    c.setAlphaF(max(0.0, min(1.0, alpha)))
    return c


def _baseline(fm: QFontMetricsF, centre: float) -> float:
    """Baseline that centres a line of text (its cap and x heights) on ``centre``."""
    return centre + (fm.ascent() - fm.descent()) / 2


def paint_timeline(
    painter: QPainter, rect: QRectF, data: RenderData, *, dark: bool = False
) -> None:
    """Draw the picture of ``data`` into ``rect`` (laid out for the rect's width).

    The background fills ``rect``; a picture taller than ``rect`` is scaled down to fit,
    a shorter one is centred vertically.
    """
    lay = _layout(data, rect.width())
    pal = _palette(dark)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(rect, pal.background)
    s = min(1.0, rect.height() / lay.height) if lay.height > 0 else 1.0
    painter.translate(
        rect.left() + (rect.width() - lay.width * s) / 2,
        rect.top() + max(0.0, (rect.height() - lay.height * s) / 2),
    )
    painter.scale(s, s)
    _paint(painter, lay, data, pal)
    painter.restore()


def _paint(p: QPainter, lay: _Layout, data: RenderData, pal: _Palette) -> None:
    fonts = lay.fonts
    u = lay.u
    p.setPen(pal.text)
    p.setFont(fonts.title)
    for baseline, line in lay.title_lines:
        p.drawText(QPointF(lay.plot_left, baseline), line)
    p.setPen(pal.muted)
    p.setFont(fonts.subtitle)
    p.drawText(QPointF(lay.plot_left, lay.subtitle[0]), lay.subtitle[1])

    _paint_grid(p, lay, pal)
    if lay.mode == "density" and lay.density is not None:
        _paint_density(p, lay, data, pal)
    elif lay.mode != "empty":
        _paint_events(p, lay, data, pal)
        _paint_labels(p, lay, data, pal)
    if lay.note:
        fm = QFontMetricsF(fonts.note)
        p.setFont(fonts.note)
        p.setPen(pal.muted)
        if lay.mode == "empty":
            w = fm.horizontalAdvance(lay.note)
            centre = (lay.plot_top + lay.plot_bottom) / 2
            p.drawText(
                QPointF((lay.plot_left + lay.plot_right - w) / 2, _baseline(fm, centre)), lay.note
            )
        else:
            p.drawText(QPointF(lay.plot_left, lay.plot_top - 10 * u - fm.descent()), lay.note)
    _paint_axis(p, lay, pal)
    _paint_legend(p, lay, data, pal)
    if lay.footer is not None and lay.footer_rule is not None:
        p.setPen(QPen(pal.rule, max(1.0, u)))
        p.drawLine(
            QPointF(lay.plot_left, lay.footer_rule), QPointF(lay.plot_right, lay.footer_rule)
        )
        p.setFont(fonts.footer)
        p.setPen(pal.muted)
        p.drawText(QPointF(lay.plot_left, lay.footer[0]), lay.footer[1])


def _paint_grid(p: QPainter, lay: _Layout, pal: _Palette) -> None:
    top = lay.plot_top - 6 * lay.u
    for major in (False, True):
        pen = QPen(pal.grid_major if major else pal.grid, max(1.0, lay.u))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        p.setPen(pen)
        for x, _, is_major in lay.ticks:
            if is_major == major:
                p.drawLine(QPointF(x, top), QPointF(x, lay.plot_bottom))


def _paint_axis(p: QPainter, lay: _Layout, pal: _Palette) -> None:
    u = lay.u
    pen = QPen(pal.grid_major, max(1.0, 1.2 * u))
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
                p.setPen(pal.text if major else pal.muted)
                w = fm.horizontalAdvance(label)
                p.drawText(QPointF(x - w / 2, lay.axis_baseline), label)


def _paint_legend(p: QPainter, lay: _Layout, data: RenderData, pal: _Palette) -> None:
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
        p.setPen(pal.text)
        p.drawText(QPointF(tx, base), entry.name)
        p.setPen(pal.muted)
        p.drawText(QPointF(tx + fm.horizontalAdvance(entry.name + "  "), base), f"{entry.count:,}")


def _colors(data: RenderData) -> list[QColor]:
    return [QColor(e.color) for e in data.legend] or [QColor(NEUTRAL_COLOR)]


def _paint_events(p: QPainter, lay: _Layout, data: RenderData, pal: _Palette) -> None:
    marks = lay.marks
    fine = lay.mode != "compact"
    colors = _colors(data)
    b = lay.x(data.begin, data)
    f = lay.x(data.finish, data)
    su = lay.x(data.start_until, data)
    ef = lay.x(data.end_from, data)
    cy = lay.lane_centres[lay.lanes]
    left, right = lay.plot_left, lay.plot_right
    rng = _bars(data, lay, marks)
    vague_start = data.start_precision < _VAGUE
    vague_end = data.end_precision < _VAGUE
    p.setPen(Qt.PenStyle.NoPen)
    bar_alpha = 0.5 if fine else 0.75

    # ranges: rounded bars, faded over a start or end known only to the month or year
    for i in np.flatnonzero(rng).tolist():
        color = colors[data.color_index[i]]
        x0 = max(b[i], left)
        x1 = min(max(f[i], b[i] + marks.min_bar), right)
        x1 = max(x1, x0 + 1.0)
        box = QRectF(x0, cy[i] - marks.bar_half, x1 - x0, 2 * marks.bar_half)
        solid = _alpha(color, bar_alpha)
        fade_in = fine and vague_start[i] and su[i] - b[i] >= 2.0
        fade_out = fine and vague_end[i] and f[i] - ef[i] >= 2.0
        if fade_in or fade_out:
            span = max(f[i] - b[i], 1.0)
            solid_from = (su[i] - b[i]) / span if fade_in else 0.0
            solid_to = (ef[i] - b[i]) / span if fade_out else 1.0
            if solid_from > solid_to:  # the vague ends meet
                solid_from = solid_to = (solid_from + solid_to) / 2
            faint = _alpha(color, bar_alpha * FADE_FLOOR)
            grad = QLinearGradient(b[i], 0.0, b[i] + span, 0.0)
            grad.setColorAt(0.0, faint if fade_in else solid)
            grad.setColorAt(min(max(solid_from, 0.0), 1.0), solid)
            grad.setColorAt(min(max(solid_to, 0.0), 1.0), solid)
            grad.setColorAt(1.0, faint if fade_out else solid)
            p.setBrush(grad)
        else:
            p.setBrush(solid)
        path = QPainterPath()
        path.addRoundedRect(box, marks.corner, marks.corner)
        if b[i] < left or f[i] > right:  # cut square where the bar leaves the picture
            square = QPainterPath()
            if b[i] < left:
                square.addRect(
                    QRectF(x0, box.top(), min(box.width(), 2 * marks.corner), box.height())
                )
            if f[i] > right:
                w = min(box.width(), 2 * marks.corner)
                square.addRect(QRectF(x1 - w, box.top(), w, box.height()))
            path = path.united(square)
        p.drawPath(path)

    # points: a soft band over a month or year, a circle for it; a diamond for a day
    cx = (b + f) * 0.5
    pts = np.flatnonzero(~rng)
    vague = pts[vague_start[pts]]
    for i in vague.tolist():
        if f[i] - b[i] < 3.0:
            continue
        color = colors[data.color_index[i]]
        x0, x1 = max(b[i], left), min(f[i], right)
        if fine:
            grad = QLinearGradient(b[i], 0.0, f[i], 0.0)
            grad.setColorAt(0.0, _alpha(color, 0.04))
            grad.setColorAt(0.5, _alpha(color, 0.26))
            grad.setColorAt(1.0, _alpha(color, 0.04))
            p.setBrush(grad)
        else:
            p.setBrush(_alpha(color, 0.18))
        p.drawRoundedRect(
            QRectF(x0, cy[i] - marks.band_half, x1 - x0, 2 * marks.band_half),
            marks.corner,
            marks.corner,
        )
    outline = QPen(pal.background, max(1.0, 1.5 * lay.u if fine else 0.8 * lay.u))
    by_color: dict[int, QPainterPath] = {}
    for i in pts.tolist():
        path = by_color.setdefault(int(data.color_index[i]), QPainterPath())
        x, y = float(cx[i]), float(cy[i])
        if vague_start[i]:
            path.addEllipse(QPointF(x, y), marks.dot, marks.dot)
        else:
            r = marks.radius
            path.moveTo(x, y - r)
            path.lineTo(x + r, y)
            path.lineTo(x, y + r)
            path.lineTo(x - r, y)
            path.closeSubpath()
    p.setPen(outline)
    for key, path in by_color.items():
        p.setBrush(colors[key])
        p.drawPath(path)
    p.setPen(Qt.PenStyle.NoPen)


def _paint_labels(p: QPainter, lay: _Layout, data: RenderData, pal: _Palette) -> None:
    if not lay.labels:
        return
    fm = QFontMetricsF(lay.fonts.label)
    sep = fm.horizontalAdvance("  ")
    p.setFont(lay.fonts.label)
    for label in lay.labels:
        cy = float(lay.lane_centres[lay.lanes[label.index]])
        base = _baseline(fm, cy)
        p.setPen(pal.text)
        p.drawText(QPointF(label.x, base), label.title)
        if label.date:
            p.setPen(_alpha(pal.text, 0.72) if label.on_bar else pal.muted)
            p.drawText(QPointF(label.x + label.title_width + sep, base), label.date)


def _paint_density(p: QPainter, lay: _Layout, data: RenderData, pal: _Palette) -> None:
    dens = lay.density
    assert dens is not None
    u = lay.u
    bottom = lay.plot_bottom
    top = lay.plot_top + 16 * u
    height = bottom - top
    fm = QFontMetricsF(lay.fonts.note)
    values: list[float] = []
    value = dens.step
    while value <= dens.top + 1e-9:
        values.append(value)
        value += dens.step
    # horizontal gridlines behind the columns, their counts in front
    p.setPen(QPen(pal.grid, max(1.0, u)))
    for value in values:
        y = bottom - height * value / dens.top
        p.drawLine(QPointF(lay.plot_left, y), QPointF(lay.plot_right, y))
    colors = _colors(data)
    edges = dens.edges
    gap = 1.0 * u if (edges[1:] - edges[:-1]).min(initial=0.0) >= 5 * u else 0.0
    base = np.zeros(dens.counts.shape[1])
    p.setPen(Qt.PenStyle.NoPen)
    for k in range(dens.counts.shape[0]):
        c = dens.counts[k]
        p.setBrush(_alpha(colors[k % len(colors)], 0.9))
        for j in np.flatnonzero(c).tolist():
            y0 = bottom - height * (base[j] + c[j]) / dens.top
            y1 = bottom - height * base[j] / dens.top
            x0, x1 = edges[j] + gap / 2, edges[j + 1] - gap / 2
            if x1 > x0:
                p.drawRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        base += c
    p.setFont(lay.fonts.note)
    p.setPen(pal.muted)
    for value in values:
        y = bottom - height * value / dens.top
        text = f"{round(value):,}"
        p.drawText(QPointF(lay.plot_right - fm.horizontalAdvance(text), y - 4 * u), text)
    p.drawText(QPointF(lay.plot_left, lay.plot_top - 10 * u - fm.descent()), dens.caption)


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


def render_image(data: RenderData, width: int = 1600, *, dark: bool = False) -> QImage:
    """The picture as an image exactly ``width`` pixels wide (device pixel ratio 1)."""
    width = _check_width(width)
    size = layout_size(data, width)
    image = QImage(
        QSize(width, math.ceil(size.height())), QImage.Format.Format_ARGB32_Premultiplied
    )
    image.setDevicePixelRatio(1.0)
    image.fill(_palette(dark).background)
    painter = QPainter(image)
    try:
        paint_timeline(painter, QRectF(0, 0, width, image.height()), data, dark=dark)
    finally:
        painter.end()
    return image


def _png_bytes(data: RenderData, width: int, dark: bool) -> bytes:
    image = render_image(data, width, dark=dark)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("could not encode the PNG image")
    return bytes(buffer.data().data())


def _svg_bytes(data: RenderData, width: int, dark: bool) -> bytes:
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
        paint_timeline(painter, QRectF(0, 0, width, height), data, dark=dark)
    finally:
        painter.end()
    return bytes(buffer.data().data())


def _pdf_bytes(data: RenderData, width: int, dark: bool) -> bytes:
    size = layout_size(data, width)
    height = math.ceil(size.height())
    page_h = PDF_PAGE_WIDTH_MM * height / width
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(data.title)
    writer.setCreator("Timeline Viewer")
    page = QPageSize(QSizeF(PDF_PAGE_WIDTH_MM, page_h), QPageSize.Unit.Millimeter, "Timeline")
    orientation = QPageLayout.Orientation.Portrait
    writer.setPageLayout(
        QPageLayout(page, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    )
    painter = QPainter(writer)
    try:
        scale = writer.width() / width
        painter.scale(scale, scale)
        paint_timeline(painter, QRectF(0, 0, width, height), data, dark=dark)
    finally:
        painter.end()
    return bytes(buffer.data().data())


_WRITERS: dict[str, Callable[[RenderData, int, bool], bytes]] = {
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
    dark: bool = False,
    arrays: EventArrays | None = None,
) -> None:
    """Write the picture to ``out``: PNG, SVG or PDF by its extension.

    ``width`` is the PNG's width in pixels, and the width the SVG and PDF are laid out
    for (their height follows, as the PNG's does).  Raises ValueError for an unknown
    extension or a width out of range, OSError when the file cannot be written (nothing
    is left behind then).
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
    )
    write_atomically(out, _WRITERS[ext](data, width, dark))


# -- printing ----------------------------------------------------------------------------


def paint_on_printer(
    printer: QPrinter, data: RenderData, *, width: int = 1600, dark: bool = False
) -> bool:
    """Paint the picture on ``printer``'s page, scaled to fit; False if it cannot start."""
    from PySide6.QtPrintSupport import QPrinter

    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        page = printer.pageRect(QPrinter.Unit.DevicePixel)
        size = layout_size(data, width)
        scale = min(page.width() / size.width(), page.height() / size.height())
        painter.translate((page.width() - size.width() * scale) / 2, 0.0)
        painter.scale(scale, scale)
        paint_timeline(painter, QRectF(QPointF(0, 0), size), data, dark=dark)
    finally:
        painter.end()
    return True


def print_timeline(
    parent: QWidget | None,
    store: EventStore,
    *,
    date_from: PartialDate | None = None,
    date_to: PartialDate | None = None,
    x_range: tuple[float, float] | None = None,
    filters: Filters | None = None,
    width: int = 1600,
    arrays: EventArrays | None = None,
) -> QPrintPreviewDialog:
    """A print preview of the picture (landscape, scaled to the page); not yet shown.

    The caller runs it (``exec()`` or ``open()``); printing always uses the light colours.
    """
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    data = render_data(
        store,
        date_from=date_from,
        date_to=date_to,
        x_range=x_range,
        filters=filters,
        arrays=arrays,
    )
    dialog = QPrintPreviewDialog(parent)
    dialog.setWindowTitle(f"Print {data.title}")
    printer = dialog.printer()
    printer.setDocName(data.title)
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)

    def paint(target: QPrinter) -> None:
        paint_on_printer(target, data, width=width)

    dialog.paintRequested.connect(paint)
    return dialog
