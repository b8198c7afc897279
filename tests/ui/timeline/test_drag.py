"""Dragging events on the timeline: snapping rules, and real mouse drags on the view."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from viewer.model.dates import SECONDS_PER_DAY, DateError, PartialDate, Precision, Qualifier
from viewer.model.event import Event
from viewer.store.columns import EventArrays
from viewer.ui.timeline.drag import moved, not_after, not_before, resized, units_for
from viewer.ui.timeline.view import TimelineView

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

LEFT = QtCore.Qt.MouseButton.LeftButton
NO_BUTTON = QtCore.Qt.MouseButton.NoButton
NO_MODIFIER = QtCore.Qt.KeyboardModifier.NoModifier
MOVE = QtCore.QEvent.Type.MouseMove
DAY = float(SECONDS_PER_DAY)


def d(*parts: int) -> PartialDate:
    return PartialDate(*parts)


# -- snapping rules (no Qt) -------------------------------------------------------------


def test_units_round_to_the_nearest_whole_unit_of_the_dates_precision() -> None:
    assert units_for(d(2024, 5, 16), 2.4 * DAY) == 2
    assert units_for(d(2024, 5, 16), 2.6 * DAY) == 3
    assert units_for(d(2024, 5, 16), -0.4 * DAY) == 0
    assert units_for(d(2024, 5, 16, 9, 30), 95.0) == 2  # minutes
    assert units_for(d(2024, 3), 20 * DAY) == 1  # past half of March
    assert units_for(d(2024, 3), 10 * DAY) == 0
    assert units_for(d(2024, 3), -50 * DAY) == -2
    assert units_for(d(2024), 200 * DAY) == 1
    assert units_for(d(2024), 100 * DAY) == 0


def test_a_move_keeps_precision_and_moves_both_ends() -> None:
    assert moved(d(2024, 5, 16), None, 3 * DAY) == (d(2024, 5, 19), None)
    assert moved(d(2000, 7), None, 62 * DAY) == (d(2000, 9), None)
    # same precision: the end moves by the same number of units
    assert moved(d(2020, 1), d(2020, 3), 31 * DAY) == (d(2020, 2), d(2020, 4))
    assert moved(d(2024, 5, 16), d(2024, 5, 17), -DAY) == (d(2024, 5, 15), d(2024, 5, 16))
    # another precision: the start's actual shift, in whole units of the end's
    start, end = moved(d(2024, 1), d(2024, 2, 10), 31 * DAY)
    assert (start, end) == (d(2024, 2), d(2024, 3, 12))  # February 2024 has 29 days
    assert end.precision is Precision.DAY
    # nothing moves below half a unit
    assert moved(d(2024, 1), d(2024, 2, 10), 10 * DAY) == (d(2024, 1), d(2024, 2, 10))


def test_an_end_never_lands_before_the_start() -> None:
    assert not_before(d(1914), d(1914, 1, 5)) == d(1915)
    assert not_before(d(1914, 1, 3), d(1914, 1, 5)) == d(1914, 1, 5)
    assert not_before(d(1914, 2), d(1914, 1, 5)) == d(1914, 2)
    assert not_after(d(1914, 3), d(1914, 2, 10)) == d(1914, 2)
    start, end = moved(d(1914), d(1914, 1, 5), 365 * DAY)
    assert start == d(1915)
    assert end.begin() >= start.begin()


def test_a_resize_changes_one_end_and_stops_at_the_other() -> None:
    s, e = d(2024, 5, 16), d(2024, 5, 20)
    assert resized(s, e, "end", 2 * DAY) == (s, d(2024, 5, 22))
    assert resized(s, e, "start", -DAY) == (d(2024, 5, 15), e)
    assert resized(s, e, "end", -30 * DAY) == (s, s)
    assert resized(s, e, "start", 30 * DAY) == (e, e)
    assert resized(d(2020, 1), d(2020, 6, 15), "end", -400 * DAY) == (d(2020, 1), d(2020, 1, 1))


def test_a_drag_keeps_what_the_source_said_about_the_dates() -> None:
    approx, after = Qualifier.APPROXIMATE, Qualifier.AFTER
    s, e = d(1450).qualified(approx), d(1500).qualified(after)
    assert moved(s, e, 10 * 366 * DAY) == (d(1460).qualified(approx), d(1510).qualified(after))
    # clamped to the other end, an end keeps its own qualifier
    assert resized(s, e, "end", -80 * 366 * DAY) == (s, d(1450).qualified(after))
    assert resized(s, e, "start", 80 * 366 * DAY) == (d(1500).qualified(approx), e)


def test_deep_time_years_move_by_years() -> None:
    start = d(-65_000_000)
    new, _ = moved(start, None, 3 * 365.2425 * DAY)
    assert new == d(-64_999_997)
    with pytest.raises(DateError):
        moved(d(999_999, 12), None, 62 * DAY)  # no month beyond year 999,999


# -- the view ----------------------------------------------------------------------------

EVENTS = [
    Event("Day point", d(2024, 5, 10), category="a", id=1),
    Event("A range", d(2024, 5, 20), d(2024, 6, 5), category="b", id=2),
    Event("Month point", d(2024, 3), category="c", id=3),
]
BY_ID = {e.id: e for e in EVENTS}


@pytest.fixture
def view(qtbot) -> TimelineView:
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(1000, 400)
    v.show()
    qtbot.waitExposed(v)
    v.set_data(EventArrays.from_events(EVENTS, {"a": 0, "b": 1, "c": 2}))
    v.set_date_lookup(lambda i: (BY_ID[i].start, BY_ID[i].end) if i in BY_ID else None)
    v.set_editable(True)
    v.set_visible_range(d(2024, 4, 20).begin(), d(2024, 6, 20).begin())
    return v


def viewport(v: TimelineView) -> QtWidgets.QWidget:
    return v.plot.viewport()


def to_widget(v: TimelineView, x: float, y: float) -> QtCore.QPoint:
    return v.plot.mapFromScene(v.viewbox.mapViewToScene(QtCore.QPointF(x, y)))


def px_per_second(v: TimelineView) -> float:
    x0, x1 = v.visible_range()
    return v.viewbox.width() / (x1 - x0)


def send_mouse(v: TimelineView, kind, pos: QtCore.QPoint, button, buttons) -> None:
    event = QtGui.QMouseEvent(
        kind,
        QtCore.QPointF(pos),
        QtCore.QPointF(viewport(v).mapToGlobal(pos)),
        button,
        buttons,
        NO_MODIFIER,
    )
    QtCore.QCoreApplication.sendEvent(viewport(v), event)


def press(v: TimelineView, pos: QtCore.QPoint) -> None:
    send_mouse(v, QtCore.QEvent.Type.MouseButtonPress, pos, LEFT, LEFT)


def move_to(v: TimelineView, qtbot, a: QtCore.QPoint, b: QtCore.QPoint, steps: int = 6) -> None:
    for k in range(1, steps + 1):
        qtbot.wait(15)  # pyqtgraph drops mouse moves closer than 10 ms
        send_mouse(v, MOVE, a + (b - a) * (k / steps), NO_BUTTON, LEFT)


def release(v: TimelineView, pos: QtCore.QPoint) -> None:
    send_mouse(v, QtCore.QEvent.Type.MouseButtonRelease, pos, LEFT, NO_BUTTON)


def drag(v: TimelineView, qtbot, a: QtCore.QPoint, b: QtCore.QPoint) -> None:
    press(v, a)
    move_to(v, qtbot, a, b)
    release(v, b)


def hover(v: TimelineView, qtbot, pos: QtCore.QPoint) -> None:
    qtbot.wait(15)
    send_mouse(v, MOVE, pos, NO_BUTTON, NO_BUTTON)


def mark_of(v: TimelineView, event_id: int) -> QtCore.QPoint:
    """Where a point's diamond is drawn."""
    a = v.arrays()
    i = a.index_of(event_id)
    assert i is not None
    lane = v.item.lane_of(event_id)
    assert lane is not None
    return to_widget(v, (a.begin[i] + a.finish[i]) / 2, lane)


def ends_of(v: TimelineView, event_id: int) -> tuple[QtCore.QPoint, QtCore.QPoint]:
    """The two ends of a range's bar."""
    a = v.arrays()
    i = a.index_of(event_id)
    assert i is not None
    lane = v.item.lane_of(event_id)
    assert lane is not None
    return to_widget(v, a.begin[i], lane), to_widget(v, a.finish[i], lane)


def by(px: float) -> QtCore.QPoint:
    return QtCore.QPoint(round(px), 0)


class Recorder:
    def __init__(self, v: TimelineView) -> None:
        self.dragged: list[tuple[int, PartialDate, PartialDate | None, bool]] = []
        self.clicked: list[object] = []
        v.eventDragged.connect(lambda *args: self.dragged.append(args))
        v.clicked.connect(lambda event_id, _mods: self.clicked.append(event_id))


def test_dragging_a_day_point_moves_it_by_whole_days(view: TimelineView, qtbot) -> None:
    seen = Recorder(view)
    a = mark_of(view, 1)
    drag(view, qtbot, a, a + by(5 * DAY * px_per_second(view)))
    assert seen.dragged == [(1, d(2024, 5, 15), None, False)]
    assert seen.clicked == []
    assert not view.is_dragging()


def test_month_points_move_by_months(view: TimelineView, qtbot) -> None:
    view.set_visible_range(d(2023, 6).begin(), d(2025, 6).begin())
    seen = Recorder(view)
    a = mark_of(view, 3)
    drag(view, qtbot, a, a + by(61 * DAY * px_per_second(view)))
    assert seen.dragged == [(3, d(2024, 5), None, False)]
    assert seen.dragged[0][1].precision is Precision.MONTH


def test_dragging_a_range_body_moves_both_ends(view: TimelineView, qtbot) -> None:
    seen = Recorder(view)
    b, f = ends_of(view, 2)
    middle = (b + f) / 2
    drag(view, qtbot, middle, middle - by(3 * DAY * px_per_second(view)))
    assert seen.dragged == [(2, d(2024, 5, 17), d(2024, 6, 2), False)]


def test_dragging_a_range_end_resizes_it(view: TimelineView, qtbot) -> None:
    seen = Recorder(view)
    _b, f = ends_of(view, 2)
    grip = f - by(2)
    hover(view, qtbot, grip)
    assert view.item.cursor().shape() == QtCore.Qt.CursorShape.SizeHorCursor
    drag(view, qtbot, grip, grip + by(4 * DAY * px_per_second(view)))
    assert seen.dragged == [(2, d(2024, 5, 20), d(2024, 6, 9), True)]


def test_dragging_a_range_start_resizes_it(view: TimelineView, qtbot) -> None:
    seen = Recorder(view)
    b, _f = ends_of(view, 2)
    grip = b + by(2)
    drag(view, qtbot, grip, grip - by(2 * DAY * px_per_second(view)))
    assert seen.dragged == [(2, d(2024, 5, 18), d(2024, 6, 5), True)]


def test_a_resize_cannot_pass_the_other_end(view: TimelineView, qtbot) -> None:
    seen = Recorder(view)
    _b, f = ends_of(view, 2)
    grip = f - by(2)
    drag(view, qtbot, grip, grip - by(40 * DAY * px_per_second(view)))
    assert seen.dragged == [(2, d(2024, 5, 20), d(2024, 5, 20), True)]


def test_the_preview_follows_the_drag_and_esc_cancels(view: TimelineView, qtbot) -> None:
    seen = Recorder(view)
    a = mark_of(view, 1)
    b = a + by(2 * DAY * px_per_second(view))
    press(view, a)
    move_to(view, qtbot, a, b)
    assert view.is_dragging()
    assert view.item.drag_preview() == (d(2024, 5, 12), None)
    assert view.item.cursor().shape() == QtCore.Qt.CursorShape.ClosedHandCursor
    # the ghost is drawn where the event would land
    lane = view.item.lane_of(1)
    assert lane is not None
    ghost = to_widget(view, d(2024, 5, 12).begin() + DAY / 2, lane)
    image = view.plot.grab().toImage()
    assert image.pixelColor(ghost).name() != "#ffffff"
    qtbot.keyClick(view, QtCore.Qt.Key.Key_Escape)
    assert not view.is_dragging()
    assert view.item.drag_preview() is None
    move_to(view, qtbot, b, b + by(40))
    release(view, b + by(40))
    assert seen.dragged == []
    assert seen.clicked == []


def test_esc_without_a_drag_goes_to_the_parent(view: TimelineView) -> None:
    event = QtGui.QKeyEvent(QtCore.QEvent.Type.KeyPress, QtCore.Qt.Key.Key_Escape, NO_MODIFIER)
    view.keyPressEvent(event)
    assert not event.isAccepted()


@pytest.mark.parametrize("instant", [False, True])
def test_a_little_jitter_is_a_click_not_a_drag(view: TimelineView, qtbot, instant) -> None:
    if instant:
        # pyqtgraph starts a drag at once (as after holding the button for 0.5 s):
        # the item's own threshold still makes it a click
        view.plot.scene().minDragTime = 0.0
    seen = Recorder(view)
    x0 = view.visible_range()
    a = mark_of(view, 1)
    drag(view, qtbot, a, a + QtCore.QPoint(2, 1))
    assert seen.dragged == []
    assert seen.clicked == [1]
    assert view.visible_range() == pytest.approx(x0)


def test_a_drag_that_ends_where_it_began_changes_nothing(view: TimelineView, qtbot) -> None:
    seen = Recorder(view)
    a = mark_of(view, 1)
    press(view, a)
    move_to(view, qtbot, a, a + by(60))
    move_to(view, qtbot, a + by(60), a)
    release(view, a)
    assert seen.dragged == []
    assert seen.clicked == []


def test_double_click_still_reaches_the_owner(view: TimelineView) -> None:
    got: list[object] = []
    view.doubleClicked.connect(lambda event_id, _x: got.append(event_id))
    a = mark_of(view, 1)
    for kind, button, buttons in (
        (QtCore.QEvent.Type.MouseButtonPress, LEFT, LEFT),
        (QtCore.QEvent.Type.MouseButtonRelease, LEFT, NO_BUTTON),
        (QtCore.QEvent.Type.MouseButtonDblClick, LEFT, LEFT),
        (QtCore.QEvent.Type.MouseButtonRelease, LEFT, NO_BUTTON),
    ):
        send_mouse(view, kind, a, button, buttons)
    assert got == [1]


def test_not_editable_a_drag_on_an_event_pans(view: TimelineView, qtbot) -> None:
    view.set_editable(False)
    seen = Recorder(view)
    x0, x1 = view.visible_range()
    a = mark_of(view, 1)
    hover(view, qtbot, ends_of(view, 2)[1] - by(2))
    assert not view.item.hasCursor()
    drag(view, qtbot, a, a + by(120))
    assert seen.dragged == []
    pixel = (x1 - x0) / view.viewbox.width()
    assert view.visible_range()[0] == pytest.approx(x0 - 120 * pixel, rel=0.02)


def test_dragging_empty_space_still_pans(view: TimelineView, qtbot) -> None:
    seen = Recorder(view)
    x0, x1 = view.visible_range()
    lane = view.item.lane_count + 1
    a = to_widget(view, d(2024, 6, 12).begin(), lane)
    drag(view, qtbot, a, a - by(150))
    assert seen.dragged == []
    pixel = (x1 - x0) / view.viewbox.width()
    assert view.visible_range()[0] == pytest.approx(x0 + 150 * pixel, rel=0.02)


def test_new_data_mid_drag_drops_the_drag(view: TimelineView, qtbot) -> None:
    seen = Recorder(view)
    a = mark_of(view, 1)
    press(view, a)
    move_to(view, qtbot, a, a + by(80))
    assert view.is_dragging()
    view.set_data(view.arrays())
    assert not view.is_dragging()
    release(view, a + by(80))
    assert seen.dragged == []


def test_events_the_lookup_does_not_know_are_not_dragged(view: TimelineView, qtbot) -> None:
    view.set_date_lookup(lambda _i: None)
    seen = Recorder(view)
    x0 = view.visible_range()[0]
    a = mark_of(view, 1)
    drag(view, qtbot, a, a + by(100))
    assert seen.dragged == []
    assert view.visible_range()[0] < x0  # it panned instead
