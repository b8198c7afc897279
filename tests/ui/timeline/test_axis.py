"""The calendar axis in a real plot: BCE and deep-time labels, never clipped or crowded."""

from __future__ import annotations

import itertools

import pyqtgraph as pg
import pytest
from PySide6 import QtGui

from viewer.model.dates import PartialDate, year_start
from viewer.ui.timeline.axis import CalendarAxisItem

SPANS = {
    "hours": (PartialDate(2023, 9, 13, 9).begin(), PartialDate(2023, 9, 13, 17).begin()),
    "days": (PartialDate(2023, 8, 20).begin(), PartialDate(2023, 10, 10).begin()),
    "months": (PartialDate(2022, 11).begin(), PartialDate(2024, 2).begin()),
    "decades": (year_start(1990), year_start(2030)),
    "era": (year_start(-1500), year_start(1500)),
    "universe": (year_start(-13_800_000_000), year_start(2025)),
    "seconds": (
        PartialDate(2023, 12, 31, 23, 59, 50).begin(),
        PartialDate(2024, 1, 1, 0, 0, 20).begin(),
    ),
}


@pytest.fixture
def plot(qtbot):
    axis = CalendarAxisItem("bottom")
    widget = pg.PlotWidget(axisItems={"bottom": axis})
    qtbot.addWidget(widget)
    widget.resize(900, 200)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, axis


def drawn_labels(widget: pg.PlotWidget, axis: CalendarAxisItem, span: tuple[float, float]):
    """Lay the axis out for ``span`` and return the label boxes pyqtgraph would draw."""
    widget.setXRange(*span, padding=0)
    widget.grab()  # a real paint, as the user would see it
    picture = QtGui.QPicture()
    painter = QtGui.QPainter(picture)
    try:
        if axis.style["tickFont"]:
            painter.setFont(axis.style["tickFont"])
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    assert specs is not None
    _, _, text_specs = specs
    return sorted(((rect, text) for rect, _, text in text_specs if text), key=lambda s: s[0].x())


@pytest.mark.parametrize("name", list(SPANS))
def test_labels_fit_and_never_overlap(plot, name: str) -> None:
    widget, axis = plot
    labels = drawn_labels(widget, axis, SPANS[name])
    assert len(labels) >= 3, [text for _, text in labels]
    bounds = axis.boundingRect()
    for rect, _ in labels:
        assert bounds.contains(rect) or (bounds & rect) == rect
    for (a, _), (b, _) in itertools.pairwise(labels):
        assert a.right() <= b.left()


@pytest.mark.parametrize("name", list(SPANS))
def test_tick_spacing_exceeds_label_widths(plot, name: str) -> None:
    """Measured with QFontMetrics: each gap between label centres fits both half-labels."""
    widget, axis = plot
    vmin, vmax = SPANS[name]
    widget.setXRange(vmin, vmax, padding=0)
    widget.grab()
    width = axis.size().width()
    levels = axis.tickValues(vmin, vmax, width)
    metrics = QtGui.QFontMetricsF(axis.style["tickFont"] or QtGui.QFont())
    ticks = []
    for i, (spacing, values) in enumerate(levels):
        for value, text in zip(values, axis.tickStrings(values, 1.0, spacing), strict=True):
            if text:
                ticks.append(((value - vmin) / (vmax - vmin) * width, text, i))
    ticks.sort()
    assert len(ticks) >= 3
    for (xa, a, _), (xb, b, _) in itertools.pairwise(ticks):
        assert xb - xa >= (metrics.horizontalAdvance(a) + metrics.horizontalAdvance(b)) / 2
    for x, text, _ in ticks:
        half = metrics.horizontalAdvance(text) / 2
        assert x - half >= 0 and x + half <= width


def test_before_the_common_era(plot) -> None:
    widget, axis = plot
    texts = [text for _, text in drawn_labels(widget, axis, SPANS["era"])]
    assert "1000 BC" in texts
    assert "500 BC" in texts
    assert "AD 500" in texts


def test_deep_time(plot) -> None:
    widget, axis = plot
    texts = [text for _, text in drawn_labels(widget, axis, SPANS["universe"])]
    assert "10B years ago" in texts
    assert all(text.endswith("years ago") or text == "AD 1" for text in texts)


def test_hours_show_the_date_once_and_times(plot) -> None:
    widget, axis = plot
    texts = [text for _, text in drawn_labels(widget, axis, SPANS["hours"])]
    assert texts[0].startswith("13 Sep 2023 ")
    assert "12:00" in texts


def test_major_and_minor_levels(plot) -> None:
    widget, axis = plot
    vmin, vmax = SPANS["months"]
    widget.setXRange(vmin, vmax, padding=0)
    widget.grab()
    major, minor = axis.tickValues(vmin, vmax, axis.size().width())
    assert major[1] == [PartialDate(2023, 1).begin(), PartialDate(2024, 1).begin()]
    assert axis.tickStrings(major[1], 1.0, major[0]) == ["2023", "2024"]
    assert PartialDate(2023, 7).begin() in minor[1]


def test_unknown_values_still_get_a_readable_label(qtbot) -> None:
    axis = CalendarAxisItem()
    assert axis.tickStrings([year_start(-43) + 10.0], 1.0, 100 * 365.0 * 86400) == ["44 BC"]


def test_tick_font_change_is_measured(qtbot, plot) -> None:
    widget, axis = plot
    font = QtGui.QFont()
    font.setPointSize(20)
    axis.setTickFont(font)
    widget.setXRange(*SPANS["decades"], padding=0)
    widget.grab()
    qtbot.wait(20)  # the axis grows to the taller labels on the next layout pass
    labels = drawn_labels(widget, axis, SPANS["decades"])
    assert len(labels) >= 2
    for (a, _), (b, _) in itertools.pairwise(labels):
        assert a.right() <= b.left()


def test_vertical_axis_works(qtbot) -> None:
    axis = CalendarAxisItem("left")
    widget = pg.PlotWidget(axisItems={"left": axis})
    qtbot.addWidget(widget)
    widget.resize(400, 600)
    widget.setYRange(year_start(1900), year_start(2000), padding=0)
    widget.show()
    qtbot.waitExposed(widget)
    widget.grab()
    levels = axis.tickValues(year_start(1900), year_start(2000), axis.size().height())
    assert sum(len(values) for _, values in levels) >= 3


def test_min_spacing_is_configurable(qtbot) -> None:
    axis = CalendarAxisItem(min_spacing_px=120.0)
    assert axis.min_spacing_px == 120.0
    axis.setMinSpacing(80.0)
    assert axis.min_spacing_px == 80.0
    assert axis.orientation == "bottom"
