"""The timeline and the overview on a logarithmic time scale, through real widgets:
events spread out, zoom, pan, fit, drags that snap by precision, the overview's
window, and edits that patch only what changed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from viewer.io.formats import read_file
from viewer.model.dates import SECONDS_PER_YEAR, PartialDate, year_start
from viewer.model.time_scale import LINEAR, TimeScale
from viewer.store.columns import EventArrays
from viewer.ui.timeline.overview import OverviewStrip
from viewer.ui.timeline.scaled import AxisArrays, on_axis
from viewer.ui.timeline.view import TimelineView

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

DEEP_TIME = Path(__file__).resolve().parents[2] / "data" / "timelinejs" / "deep_time.json"
NOW = year_start(2026)
LOG = TimeScale.log(now=NOW)
LEFT = QtCore.Qt.MouseButton.LeftButton
NO_BUTTON = QtCore.Qt.MouseButton.NoButton


def deep_events() -> list:
    events = read_file(DEEP_TIME).events
    return [dataclasses.replace(e, id=k + 1) for k, e in enumerate(events)]


def deep_arrays() -> EventArrays:
    return EventArrays.from_events(deep_events(), {})


@pytest.fixture
def view(qtbot) -> TimelineView:
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(1200, 420)
    v.show()
    qtbot.waitExposed(v)
    v.set_data(deep_arrays())
    return v


def pixels(v: TimelineView) -> np.ndarray:
    """The pixel column of each event's start, as the view draws it."""
    a = v.item.arrays
    x0, x1 = v.viewbox.viewRange()[0]
    return np.floor((a.begin - x0) / (x1 - x0) * v.viewbox.width())


def test_linear_puts_most_events_on_one_pixel_and_log_spreads_them(view) -> None:
    view.fit_all()
    linear = pixels(view)
    assert len(np.unique(linear)) <= 5  # the Big Bang's, and a pile by the present
    assert np.sum(linear == linear.max()) >= 6
    view.set_time_scale(LOG)
    logged = pixels(view)
    assert len(np.unique(logged)) >= 10  # (the Big Bang and recombination share one)
    assert np.all(np.diff(logged) >= 0)  # in the same order
    assert view.axis.time_scale is LOG and view.item.painter.time_scale is LOG


def test_what_the_view_says_stays_in_seconds(view, qtbot) -> None:
    view.set_time_scale(LOG)
    a, b = year_start(-10_000), year_start(1900)
    view.set_visible_range(a, b)
    x0, x1 = view.visible_range()
    assert x0 == pytest.approx(a, rel=1e-9) and x1 == pytest.approx(b, rel=1e-9)
    u0, u1 = view.viewbox.viewRange()[0]
    assert (u0, u1) == pytest.approx((LOG.to_axis(a), LOG.to_axis(b)))
    with qtbot.waitSignal(view.rangeChanged) as blocker:
        view.zoom(2.0)
    lo, hi = blocker.args
    assert a < lo < hi < b  # seconds, inside what was shown
    # the middle of a zoom is the middle along the axis, not in time
    assert LOG.to_axis(lo) + LOG.to_axis(hi) == pytest.approx(u0 + u1)
    fit = view.fit_range()
    span = deep_arrays().span()
    assert span is not None and fit[0] < span[0] and fit[1] > span[1]


def test_home_fits_and_keys_zoom_along_the_axis(view, qtbot) -> None:
    view.set_time_scale(LOG)
    whole = view.viewbox.viewRange()[0]
    assert whole[0] < LOG.to_axis(year_start(-13_800_000_000)) < whole[1]
    view.setFocus()
    qtbot.keyClick(view, QtCore.Qt.Key.Key_Plus)
    narrower = view.viewbox.viewRange()[0]
    assert narrower[1] - narrower[0] == pytest.approx((whole[1] - whole[0]) / 1.5)
    qtbot.keyClick(view, QtCore.Qt.Key.Key_Home)
    assert view.viewbox.viewRange()[0] == pytest.approx(whole)


def test_the_wheel_zooms_around_the_cursor_on_the_axis(view, qtbot) -> None:
    view.set_time_scale(LOG)
    (u0, u1), _ = view.viewbox.viewRange()
    vp = view.plot.viewport()
    pos = QtCore.QPointF(vp.width() * 0.8, vp.height() / 2)
    under = view.viewbox.mapSceneToView(view.plot.mapToScene(pos.toPoint())).x()
    event = QtGui.QWheelEvent(
        pos, QtCore.QPointF(vp.mapToGlobal(pos.toPoint())), QtCore.QPoint(0, 0),
        QtCore.QPoint(0, 120), NO_BUTTON, QtCore.Qt.KeyboardModifier.NoModifier,
        QtCore.Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QtWidgets.QApplication.sendEvent(vp, event)
    (v0, v1), _ = view.viewbox.viewRange()
    assert v1 - v0 < u1 - u0
    after = view.viewbox.mapSceneToView(view.plot.mapToScene(pos.toPoint())).x()
    assert after == pytest.approx(under, abs=1e-6 * (u1 - u0))


def test_a_log_view_zooms_in_to_a_minute_today_and_no_further(view) -> None:
    view.set_time_scale(LOG)
    today = LOG.from_axis(-1e-3)
    view.set_visible_range(today, today + 1.0)  # a second: more than it allows
    x0, x1 = view.visible_range()
    assert 10 < x1 - x0 < 600


def test_eras_and_double_clicks_are_told_in_seconds(view, qtbot) -> None:
    view.set_eras([("Holocene", year_start(-9700), NOW)])
    view.set_time_scale(LOG)
    assert view.eras._begin.tolist() == pytest.approx([LOG.to_axis(year_start(-9700))])
    assert view.eras._finish.tolist() == pytest.approx([0.0])
    with qtbot.waitSignal(view.doubleClicked) as blocker:
        view.item.handle_click(
            QtCore.QPointF(-4.0, 30.0), QtCore.Qt.KeyboardModifier(0), double=True
        )
    assert blocker.args[0] is None
    assert blocker.args[1] == pytest.approx(LOG.from_axis(-4.0))


def test_back_to_linear_is_as_before(view) -> None:
    view.fit_all()
    before = view.visible_range()
    view.set_time_scale(LOG)
    view.set_time_scale(LINEAR)
    assert view.item.arrays is view._on_axis.given  # no copy on a linear axis
    assert view.visible_range() == pytest.approx(before)


def test_an_edit_moves_one_row_on_the_axis(view) -> None:
    given = deep_arrays()
    view.set_data(given)
    view.set_time_scale(LOG)
    drawn = view.item.arrays
    wheel = int(given.ids[given.titles.many(range(len(given))).index("The wheel")])
    moved = dataclasses.replace(
        next(e for e in deep_events() if e.id == wheel), start=PartialDate(-2000)
    )
    row = EventArrays.from_events([moved], {})
    patch = given.move_in_place(row)
    assert patch is not None
    view.apply_patch(given, patch)
    assert view.item.arrays is drawn  # moved in place, not mapped afresh
    fresh = on_axis(given, LOG)
    for name in ("ids", "begin", "finish", "start_until", "end_from", "lane"):
        assert np.array_equal(getattr(drawn, name), getattr(fresh, name)), name


def test_axis_arrays_follow_an_edit_that_adds_and_removes() -> None:
    given = deep_arrays()
    axis = AxisArrays()
    axis.set(given, LOG)
    added = EventArrays.from_events(
        [dataclasses.replace(deep_events()[0], id=99, start=PartialDate(-50_000))], {}
    )
    new, patch = given.patched([3, 7], added)
    drawn, drawn_patch = axis.patch(new, patch)
    assert drawn.ids.tolist() == new.ids.tolist()
    assert np.array_equal(drawn.begin, LOG.to_axis(new.begin))
    assert drawn_patch.inserted.tolist() == patch.inserted.tolist()


def test_a_drag_under_log_snaps_to_the_dates_precision(view, qtbot) -> None:
    """Dragging a year event along the log axis moves it by whole years, by how far
    the mouse went along the axis where it is."""
    view.set_time_scale(LOG)
    given = deep_arrays()
    titles = given.titles.many(range(len(given)))
    i = titles.index("Columbus reaches the Americas")
    event_id = int(given.ids[i])
    start = PartialDate(1492)
    view.set_date_lookup(lambda k: (start, None) if k == event_id else None)
    view.set_editable(True)
    view.set_visible_range(year_start(1000), year_start(1900))
    view.item.flush_layout()
    lane = view.item.lane_of(event_id)
    assert lane is not None
    drawn = view.item.arrays
    j = drawn.index_of(event_id)
    mid = (float(drawn.begin[j]) + float(drawn.finish[j])) / 2
    vp = view.plot.viewport()

    def at(u: float) -> QtCore.QPoint:
        return view.plot.mapFromScene(view.viewbox.mapViewToScene(QtCore.QPointF(u, lane)))

    target = LOG.to_axis(year_start(1700))
    a, b = at(mid), at(target + (mid - float(drawn.begin[j])))

    def send(kind, pos, button, buttons) -> None:
        ev = QtGui.QMouseEvent(
            kind, QtCore.QPointF(pos), QtCore.QPointF(vp.mapToGlobal(pos)), button, buttons,
            QtCore.Qt.KeyboardModifier(0),
        )  # fmt: skip
        QtWidgets.QApplication.sendEvent(vp, ev)

    with qtbot.waitSignal(view.eventDragged) as blocker:
        send(QtCore.QEvent.Type.MouseButtonPress, a, LEFT, LEFT)
        for k in range(1, 7):
            qtbot.wait(15)
            send(QtCore.QEvent.Type.MouseMove, a + (b - a) * (k / 6), NO_BUTTON, LEFT)
        send(QtCore.QEvent.Type.MouseButtonRelease, b, LEFT, NO_BUTTON)
    got_id, new_start, new_end, resized = blocker.args
    assert got_id == event_id and new_end is None and not resized
    assert new_start.precision == start.precision  # a year, still
    assert abs(new_start.year - 1700) <= 3  # (a pixel here is about a year)


def test_the_overview_bins_along_the_axis_and_talks_in_seconds(qtbot) -> None:
    strip = OverviewStrip()
    qtbot.addWidget(strip)
    strip.resize(1000, 66)
    strip.show()
    arrays = deep_arrays()
    strip.set_arrays(arrays)
    strip.set_time_scale(LOG)
    xs, heights = strip._histogram.getData()
    assert xs[0] < LOG.to_axis(float(arrays.begin[0])) and xs[-1] > LOG.to_axis(
        NOW - 40 * SECONDS_PER_YEAR
    )
    assert np.count_nonzero(heights) >= 8  # the events spread over many bins
    lo, hi = strip.full_span()
    assert lo < float(arrays.begin[0]) < hi
    window = (year_start(-100_000), year_start(1000))
    strip.set_window(*window)
    assert strip._region.getRegion() == pytest.approx(tuple(LOG.to_axis(w) for w in window))
    with qtbot.waitSignal(strip.windowChanged) as blocker:
        strip._on_scrubbed(-8.0, True)  # a click far back: the window centred there
    x0, x1 = blocker.args
    assert (LOG.to_axis(x0) + LOG.to_axis(x1)) / 2 == pytest.approx(-8.0)
    assert strip.window_range() == (x0, x1)
