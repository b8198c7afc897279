"""The overview strip: histogram of the whole span, and a draggable window."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtGui

from viewer.model.dates import SECONDS_PER_YEAR, year_start
from viewer.ui.theme import dark_theme, light_theme
from viewer.ui.timeline.overview import EMPTY_SPAN, HISTOGRAM_BINS, OverviewStrip

LEFT = QtCore.Qt.MouseButton.LeftButton
NO_MODIFIER = QtCore.Qt.KeyboardModifier.NoModifier


@pytest.fixture
def events() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    begin = np.concatenate(
        [
            rng.normal(year_start(1940), 5 * SECONDS_PER_YEAR, 500),
            rng.uniform(year_start(1900), year_start(2020), 300),
        ]
    )
    return begin, begin + rng.exponential(SECONDS_PER_YEAR, begin.size)


@pytest.fixture
def strip(qtbot, events) -> OverviewStrip:
    widget = OverviewStrip()
    qtbot.addWidget(widget)
    widget.resize(800, widget.height())
    widget.set_events(*events)
    widget.set_window(year_start(1950), year_start(1960))
    widget.show()
    qtbot.waitExposed(widget)
    widget.grab()
    return widget


def to_pixel(strip: OverviewStrip, x: float) -> QtCore.QPoint:
    """Viewport position of view coordinate ``x``, halfway up the plot."""
    view = strip.getPlotItem().getViewBox()
    scene = view.mapViewToScene(QtCore.QPointF(x, 0.5))
    return strip.mapFromScene(scene)


def send_mouse(strip: OverviewStrip, kind: QtCore.QEvent.Type, pos: QtCore.QPoint, buttons):
    local = QtCore.QPointF(pos)
    glob = QtCore.QPointF(strip.viewport().mapToGlobal(pos))
    button = QtCore.Qt.MouseButton.NoButton if kind == QtCore.QEvent.Type.MouseMove else LEFT
    event = QtGui.QMouseEvent(kind, local, glob, button, buttons, NO_MODIFIER)
    QtCore.QCoreApplication.sendEvent(strip.viewport(), event)


def drag(qtbot, strip: OverviewStrip, start: float, end: float, steps: int = 6) -> None:
    """Press at view x ``start``, move to ``end`` in a few steps, release."""
    a, b = to_pixel(strip, start), to_pixel(strip, end)
    send_mouse(strip, QtCore.QEvent.Type.MouseButtonPress, a, LEFT)
    for i in range(1, steps + 1):
        qtbot.wait(15)  # pyqtgraph rate-limits mouse moves
        point = QtCore.QPoint(a.x() + (b.x() - a.x()) * i // steps, a.y())
        send_mouse(strip, QtCore.QEvent.Type.MouseMove, point, LEFT)
    qtbot.wait(15)
    no_button = QtCore.Qt.MouseButton.NoButton
    send_mouse(strip, QtCore.QEvent.Type.MouseButtonRelease, b, no_button)


def test_is_a_short_strip(strip) -> None:
    assert 55 <= strip.height() <= 70
    assert strip.sizeHint().height() == strip.height()


def test_histogram_covers_the_whole_span(strip, events) -> None:
    begin, finish = events
    lo, hi = strip.full_span()
    assert lo < begin.min() and hi > max(begin.max(), finish.max())
    assert (hi - lo) < 1.1 * (max(begin.max(), finish.max()) - begin.min())
    view = strip.getPlotItem().getViewBox()
    assert view.viewRange()[0] == pytest.approx([lo, hi])
    curves = [item for item in view.addedItems if isinstance(item, pg.PlotCurveItem)]
    assert len(curves) == 1  # one item draws the whole histogram
    x, y = curves[0].getData()
    assert len(x) == HISTOGRAM_BINS + 1 and len(y) == HISTOGRAM_BINS
    assert y.max() == pytest.approx(1.0)
    # The dense cluster around 1940 stands out.
    assert x[int(np.argmax(y))] == pytest.approx(year_start(1940), abs=5 * SECONDS_PER_YEAR)


def test_empty_events_give_an_empty_strip(qtbot) -> None:
    widget = OverviewStrip()
    qtbot.addWidget(widget)
    widget.set_events(np.array([]), np.array([]))
    assert widget.full_span() == EMPTY_SPAN
    widget.show()
    widget.grab()


def test_single_event_gets_a_span(qtbot) -> None:
    widget = OverviewStrip()
    qtbot.addWidget(widget)
    widget.set_events(np.array([year_start(1969)]), np.array([np.nan]))
    lo, hi = widget.full_span()
    assert lo < year_start(1969) < hi


def test_set_window_moves_the_region_silently(qtbot, strip) -> None:
    with qtbot.assertNotEmitted(strip.windowChanged):
        strip.set_window(year_start(1930), year_start(1935))
    assert strip.window_range() == (year_start(1930), year_start(1935))
    region = next(
        item
        for item in strip.getPlotItem().getViewBox().addedItems
        if isinstance(item, pg.LinearRegionItem)
    )
    assert region.getRegion() == pytest.approx((year_start(1930), year_start(1935)))


def test_moving_the_region_emits(qtbot, strip) -> None:
    region = next(
        item
        for item in strip.getPlotItem().getViewBox().addedItems
        if isinstance(item, pg.LinearRegionItem)
    )
    with qtbot.waitSignal(strip.windowChanged, timeout=1000) as blocker:
        region.setRegion((year_start(1970), year_start(1980)))
    assert blocker.args == pytest.approx([year_start(1970), year_start(1980)])


def test_dragging_the_region_with_the_mouse_moves_the_window(qtbot, strip) -> None:
    x0, x1 = strip.window_range()
    middle = (x0 + x1) / 2
    received: list[tuple[float, float]] = []
    strip.windowChanged.connect(lambda a, b: received.append((a, b)))
    drag(qtbot, strip, middle, middle + 20 * SECONDS_PER_YEAR)
    assert received
    a, b = received[-1]
    assert b - a == pytest.approx(x1 - x0, rel=1e-6)  # moved, not resized
    assert a == pytest.approx(x0 + 20 * SECONDS_PER_YEAR, abs=SECONDS_PER_YEAR)
    assert strip.window_range() == received[-1]


def test_dragging_into_the_edge_keeps_the_width(qtbot, strip) -> None:
    x0, x1 = strip.window_range()
    received: list[tuple[float, float]] = []
    strip.windowChanged.connect(lambda a, b: received.append((a, b)))
    drag(qtbot, strip, (x0 + x1) / 2, year_start(1850))
    a, b = received[-1]
    assert a == pytest.approx(strip.full_span()[0])
    assert b - a == pytest.approx(x1 - x0, rel=1e-6)


def test_dragging_an_edge_resizes(qtbot, strip) -> None:
    x0, x1 = strip.window_range()
    received: list[tuple[float, float]] = []
    strip.windowChanged.connect(lambda a, b: received.append((a, b)))
    drag(qtbot, strip, x1, x1 + 15 * SECONDS_PER_YEAR)
    a, b = received[-1]
    assert a == pytest.approx(x0)
    assert b == pytest.approx(x1 + 15 * SECONDS_PER_YEAR, abs=SECONDS_PER_YEAR)


def test_click_outside_the_region_centres_the_window(qtbot, strip) -> None:
    x0, x1 = strip.window_range()
    target = year_start(2000)
    with qtbot.waitSignal(strip.windowChanged, timeout=1000) as blocker:
        qtbot.mouseClick(strip.viewport(), LEFT, pos=to_pixel(strip, target))
    a, b = blocker.args
    assert b - a == pytest.approx(x1 - x0)
    assert (a + b) / 2 == pytest.approx(target, abs=SECONDS_PER_YEAR)


def test_click_inside_the_region_does_nothing(qtbot, strip) -> None:
    x0, x1 = strip.window_range()
    with qtbot.assertNotEmitted(strip.windowChanged):
        qtbot.mouseClick(strip.viewport(), LEFT, pos=to_pixel(strip, (x0 + x1) / 2))
        qtbot.wait(20)
    assert strip.window_range() == (x0, x1)


def test_click_near_the_edge_keeps_the_window_inside(qtbot, strip) -> None:
    x0, x1 = strip.window_range()
    hi = strip.full_span()[1]
    with qtbot.waitSignal(strip.windowChanged, timeout=1000) as blocker:
        qtbot.mouseClick(strip.viewport(), LEFT, pos=to_pixel(strip, hi - SECONDS_PER_YEAR))
    assert blocker.args[1] == pytest.approx(hi)
    assert blocker.args[1] - blocker.args[0] == pytest.approx(x1 - x0)


def test_wheel_and_background_drag_do_not_move_the_view(qtbot, strip) -> None:
    view = strip.getPlotItem().getViewBox()
    before = view.viewRange()
    pos = QtCore.QPointF(to_pixel(strip, year_start(1990)))
    wheel = QtGui.QWheelEvent(
        pos,
        QtCore.QPointF(strip.viewport().mapToGlobal(pos.toPoint())),
        QtCore.QPoint(0, 0),
        QtCore.QPoint(0, 240),
        QtCore.Qt.MouseButton.NoButton,
        NO_MODIFIER,
        QtCore.Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QtCore.QCoreApplication.sendEvent(strip.viewport(), wheel)
    drag(qtbot, strip, year_start(1905), year_start(1990))
    after = view.viewRange()
    assert after[0] == pytest.approx(before[0])
    assert after[1] == pytest.approx(before[1])
    # Dragging the background scrubs the window along instead.
    a, b = strip.window_range()
    assert (a + b) / 2 == pytest.approx(year_start(1990), abs=2 * SECONDS_PER_YEAR)


def test_new_events_keep_the_window(qtbot, strip) -> None:
    strip.set_window(year_start(1950), year_start(1960))
    with qtbot.assertNotEmitted(strip.windowChanged):
        strip.set_events(np.array([year_start(1800), year_start(1900)]), np.array([np.nan] * 2))
    assert strip.window_range() == (year_start(1950), year_start(1960))


def test_dark_mode_switches_colours(strip) -> None:
    light = strip.grab().toImage().pixelColor(5, 5)
    strip.set_theme(dark_theme())
    assert strip.theme.is_dark
    dark = strip.grab().toImage().pixelColor(5, 5)
    assert dark.lightness() < 80 < light.lightness()
    assert dark == dark_theme().overview_bg  # the theme's colour is the one painted
    strip.set_theme(light_theme())
    assert not strip.theme.is_dark
