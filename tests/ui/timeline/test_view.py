"""TimelineView: zoom, pan, lanes scrolling, limits, animation and signals."""

from __future__ import annotations

import time

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from viewer.io.formats import read_file
from viewer.model.dates import SECONDS_PER_DAY, PartialDate
from viewer.model.event import Event
from viewer.model.lanes import LABEL_GAP, MARKER_RADIUS
from viewer.paths import sample_path
from viewer.store.columns import EventArrays
from viewer.ui.theme import dark_theme, light_theme
from viewer.ui.timeline.axis import CalendarAxisItem
from viewer.ui.timeline.labels import LABEL_POINT_SIZE
from viewer.ui.timeline.view import ANIMATION_MS, MIN_X_RANGE, ROW_HEIGHT, TimelineView

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

LEFT = QtCore.Qt.MouseButton.LeftButton
NO_BUTTON = QtCore.Qt.MouseButton.NoButton
NO_MODIFIER = QtCore.Qt.KeyboardModifier.NoModifier
SHIFT = QtCore.Qt.KeyboardModifier.ShiftModifier


def d(*parts: int) -> PartialDate:
    return PartialDate(*parts)


NEWS = [
    Event("Putin visits North Korea", d(2000, 7), category="a", id=1),
    Event("UN sanctions votes", d(2006, 10, 14), d(2017, 12, 22), category="b", id=2),
    Event("Vladivostok summit", d(2019, 4, 25), category="a", id=3),
    Event("Borders close", d(2020, 2), category="c", id=4),
    Event("Second visit", d(2024, 6, 18), d(2024, 6, 19), category="a", id=5),
]


def make(events: list[Event]) -> EventArrays:
    return EventArrays.from_events(events, {"a": 0, "b": 1, "c": 2})


def stack(n: int = 60) -> EventArrays:
    """``n`` overlapping ranges: one lane each."""
    return make(
        [
            Event(f"Range {k}", d(2000, 1, 1 + k % 28), d(2001), category="a", id=k + 1)
            for k in range(n)
        ]
    )


@pytest.fixture
def view(qtbot) -> TimelineView:
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(1000, 400)
    v.show()
    qtbot.waitExposed(v)
    v.set_data(make(NEWS))
    return v


def viewport(v: TimelineView) -> QtWidgets.QWidget:
    return v.plot.viewport()


def to_widget(v: TimelineView, x: float, y: float) -> QtCore.QPoint:
    return v.plot.mapFromScene(v.viewbox.mapViewToScene(QtCore.QPointF(x, y)))


def to_view(v: TimelineView, pos: QtCore.QPoint) -> QtCore.QPointF:
    return v.viewbox.mapSceneToView(v.plot.mapToScene(pos))


def send_mouse(v, kind, pos, button, buttons, modifiers=NO_MODIFIER) -> None:
    event = QtGui.QMouseEvent(
        kind,
        QtCore.QPointF(pos),
        QtCore.QPointF(viewport(v).mapToGlobal(pos)),
        button,
        buttons,
        modifiers,
    )
    QtCore.QCoreApplication.sendEvent(viewport(v), event)


def click(v: TimelineView, pos: QtCore.QPoint, *, double: bool = False) -> None:
    send_mouse(v, QtCore.QEvent.Type.MouseButtonPress, pos, LEFT, LEFT)
    send_mouse(v, QtCore.QEvent.Type.MouseButtonRelease, pos, LEFT, NO_BUTTON)
    if double:
        send_mouse(v, QtCore.QEvent.Type.MouseButtonDblClick, pos, LEFT, LEFT)
        send_mouse(v, QtCore.QEvent.Type.MouseButtonRelease, pos, LEFT, NO_BUTTON)


def wheel(v: TimelineView, pos: QtCore.QPoint, dy: int, dx: int = 0, modifiers=NO_MODIFIER):
    event = QtGui.QWheelEvent(
        QtCore.QPointF(pos),
        QtCore.QPointF(viewport(v).mapToGlobal(pos)),
        QtCore.QPoint(0, 0),
        QtCore.QPoint(dx, dy),
        NO_BUTTON,
        modifiers,
        QtCore.Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QtCore.QCoreApplication.sendEvent(viewport(v), event)


def width_of(v: TimelineView) -> float:
    x0, x1 = v.visible_range()
    return x1 - x0


def y_range(v: TimelineView) -> tuple[float, float]:
    _, (y0, y1) = v.viewbox.viewRange()
    return y0, y1


# -- layout of the widget -----------------------------------------------------------------


def test_uses_the_calendar_axis_and_fits_all_events(view: TimelineView) -> None:
    assert isinstance(view.axis, CalendarAxisItem)
    x0, x1 = view.visible_range()
    span = view.arrays().span()
    assert span is not None
    assert x0 <= span[0] and x1 >= span[1]
    img = view.grab().toImage()
    i = view.arrays().index_of(2)
    assert i is not None
    pos = to_widget(
        view, (view.arrays().begin[i] + view.arrays().finish[i]) / 2, view.item.lane_of(2)
    )
    assert img.pixelColor(pos).name() != "#ffffff"


def test_rows_have_a_fixed_height_and_y_never_zooms(view: TimelineView, qtbot) -> None:
    y0, y1 = y_range(view)
    assert (y1 - y0) * ROW_HEIGHT == pytest.approx(view.viewbox.height(), abs=1.0)
    wheel(view, viewport(view).rect().center(), 120)
    assert y_range(view)[1] - y_range(view)[0] == pytest.approx(y1 - y0)
    view.resize(1000, 600)
    qtbot.waitUntil(lambda: view.viewbox.height() > 500, timeout=2000)
    y0, y1 = y_range(view)
    assert (y1 - y0) * ROW_HEIGHT == pytest.approx(view.viewbox.height(), abs=1.0)


# -- zoom, pan and limits -------------------------------------------------------------------


def test_wheel_zooms_time_around_the_cursor(view: TimelineView) -> None:
    pos = QtCore.QPoint(300, 100)
    under = to_view(view, pos).x()
    before = width_of(view)
    wheel(view, pos, 120)
    assert width_of(view) < before * 0.9
    pixel = width_of(view) / view.viewbox.width()
    assert to_view(view, pos).x() == pytest.approx(under, abs=2 * pixel)
    wheel(view, pos, -240)
    assert width_of(view) > before * 0.9


def test_horizontal_wheel_pans(view: TimelineView) -> None:
    view.zoom(4.0)
    x0, _ = view.visible_range()
    wheel(view, QtCore.QPoint(300, 100), 0, dx=-120)
    assert view.visible_range()[0] > x0


def test_drag_pans_time_only(view: TimelineView, qtbot) -> None:
    view.zoom(3.0)
    x0, x1 = view.visible_range()
    y_before = y_range(view)
    a, b = QtCore.QPoint(500, 100), QtCore.QPoint(300, 140)
    send_mouse(view, QtCore.QEvent.Type.MouseButtonPress, a, LEFT, LEFT)
    for k in range(1, 11):
        qtbot.wait(15)  # pyqtgraph rate-limits mouse moves
        p = a + (b - a) * (k / 10)
        send_mouse(view, QtCore.QEvent.Type.MouseMove, p, NO_BUTTON, LEFT)
    send_mouse(view, QtCore.QEvent.Type.MouseButtonRelease, b, LEFT, NO_BUTTON)
    pixel = (x1 - x0) / view.viewbox.width()
    shifted = view.visible_range()[0] - x0
    assert shifted == pytest.approx(200 * pixel, rel=0.1)
    assert width_of(view) == pytest.approx(x1 - x0)
    assert y_range(view) == pytest.approx(y_before)


def test_limits_hold(view: TimelineView) -> None:
    span = view.arrays().span()
    assert span is not None
    lo, hi = span
    view.zoom(1e12)
    assert width_of(view) >= MIN_X_RANGE * 0.999
    view.zoom(1e-12)
    assert width_of(view) <= 1.5 * (hi - lo) * 1.001
    view.set_visible_range(lo - 100 * (hi - lo), lo - 99 * (hi - lo))
    x0, _ = view.visible_range()
    assert x0 >= lo - 0.25 * (hi - lo) - 1.0
    for _ in range(30):
        wheel(view, QtCore.QPoint(300, 100), -240)
    assert width_of(view) <= 1.5 * (hi - lo) * 1.001


def test_zoom_keys_and_home(view: TimelineView, qtbot) -> None:
    full = view.visible_range()
    qtbot.keyClick(view, QtCore.Qt.Key.Key_Plus)
    assert width_of(view) < (full[1] - full[0]) * 0.8
    qtbot.keyClick(view, QtCore.Qt.Key.Key_Minus)
    qtbot.keyClick(view, QtCore.Qt.Key.Key_Minus)
    qtbot.keyClick(view, QtCore.Qt.Key.Key_Home)
    assert view.visible_range() == pytest.approx(full)


def test_other_keys_go_to_the_parent(view: TimelineView) -> None:
    for key in (QtCore.Qt.Key.Key_Left, QtCore.Qt.Key.Key_Right, QtCore.Qt.Key.Key_Return):
        event = QtGui.QKeyEvent(QtCore.QEvent.Type.KeyPress, key, NO_MODIFIER)
        view.keyPressEvent(event)
        assert not event.isAccepted()


def test_zoom_keeps_the_centre(view: TimelineView) -> None:
    x0, x1 = view.visible_range()
    view.zoom(2.0, center=x0 + (x1 - x0) / 4)
    a, b = view.visible_range()
    assert b - a == pytest.approx((x1 - x0) / 2)
    assert (x0 + (x1 - x0) / 4 - a) / (b - a) == pytest.approx(0.25)
    with pytest.raises(ValueError):
        view.zoom(0.0)


# -- lanes -----------------------------------------------------------------------------------


def test_lanes_scroll_with_shift_wheel_and_scrollbar(view: TimelineView) -> None:
    view.set_data(stack(60), fit=True)
    assert view.item.lane_count == 60
    assert view.scrollbar.isVisible()
    top, bottom = y_range(view)
    wheel(view, QtCore.QPoint(300, 100), -120, modifiers=SHIFT)
    new_top, new_bottom = y_range(view)
    assert new_top == pytest.approx(top + 3)
    assert new_bottom - new_top == pytest.approx(bottom - top)
    view.scrollbar.setValue(view.scrollbar.maximum())
    assert y_range(view)[1] >= 59.5  # the last lane can be reached
    view.scroll_lanes(-1000)
    assert y_range(view)[0] == pytest.approx(top)


def test_ensure_visible_scrolls_time_and_lanes(view: TimelineView) -> None:
    view.set_data(stack(60), fit=True)
    last = 60
    view.set_visible_range(d(1990).begin(), d(1991).begin())
    assert view.ensure_visible(last)
    a = view.arrays()
    i = a.index_of(last)
    assert i is not None
    x0, x1 = view.visible_range()
    assert x1 - x0 == pytest.approx(d(1991).begin() - d(1990).begin())
    assert x0 <= a.begin[i] <= x1 or x0 <= a.finish[i] <= x1 or a.begin[i] <= x0
    lane = view.item.lane_of(last)
    assert lane is not None
    y0, y1 = y_range(view)
    assert y0 <= lane - 0.5 and lane + 0.5 <= y1
    assert not view.ensure_visible(123456)


def test_scrollbar_policy(view: TimelineView) -> None:
    view.set_data(stack(60), fit=True)
    assert view.scrollbar.isVisible()  # as needed: 60 lanes do not fit
    view.set_scrollbar_policy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    assert view.scrollbar_policy() == QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert not view.scrollbar.isVisible()
    top, _ = y_range(view)
    view.scroll_lanes(5)  # the lanes still scroll
    assert y_range(view)[0] == pytest.approx(top + 5)
    assert not view.scrollbar.isVisible()
    view.set_data(make(NEWS), fit=True)
    view.set_scrollbar_policy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    assert view.scrollbar.isVisible()  # even with nothing to scroll
    view.set_scrollbar_policy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    assert not view.scrollbar.isVisible()


def new_view(qtbot) -> TimelineView:
    """A view before its first resize (it fits everything then, unless told not to)."""
    v = TimelineView()
    qtbot.addWidget(v)
    return v


def show(qtbot, v: TimelineView) -> None:
    v.resize(900, 300)
    v.show()
    qtbot.waitExposed(v)
    qtbot.waitUntil(lambda: v.viewbox.width() > 800)
    QtWidgets.QApplication.processEvents()


def test_no_fit_keeps_a_range_set_before_the_first_resize(qtbot) -> None:
    target = (d(2019).begin(), d(2021).begin())
    v = new_view(qtbot)
    v.set_data(make(NEWS), fit=False)
    v.set_visible_range(*target)
    show(qtbot, v)
    assert v.visible_range() == pytest.approx(target)


def test_no_fit_is_not_undone_by_the_first_resize(qtbot) -> None:
    v = new_view(qtbot)
    v.set_data(make(NEWS), fit=False)
    before = v.visible_range()
    show(qtbot, v)
    assert v.visible_range() == pytest.approx(before)
    assert v.visible_range() != pytest.approx(v.fit_range())


def test_a_range_set_before_the_first_resize_is_kept(qtbot) -> None:
    target = (d(2019).begin(), d(2021).begin())
    v = new_view(qtbot)
    v.set_data(make(NEWS))
    v.set_visible_range(*target)
    show(qtbot, v)
    assert v.visible_range() == pytest.approx(target)


def test_new_data_keeps_the_visible_range(view: TimelineView) -> None:
    view.set_visible_range(d(2019).begin(), d(2021).begin())
    view.set_data(make(NEWS[:3]))
    assert view.visible_range() == pytest.approx((d(2019).begin(), d(2021).begin()))
    view.set_data(make(NEWS), fit=True)
    assert view.visible_range()[0] < d(2000).begin()


# -- animation and signals --------------------------------------------------------------------


def test_animated_range_reaches_the_target(view: TimelineView, qtbot) -> None:
    target = (d(2019).begin(), d(2019).begin() + 90 * SECONDS_PER_DAY)
    view.set_visible_range(*target, animate=True)
    assert view.is_animating()
    qtbot.waitUntil(lambda: not view.is_animating(), timeout=3000)
    assert view.visible_range() == pytest.approx(target)


def test_animation_takes_its_duration_and_emits_when_done(view: TimelineView, qtbot) -> None:
    target = (d(2019).begin(), d(2020).begin())
    start = time.perf_counter()
    with qtbot.waitSignal(view.animationFinished, timeout=3000):
        view.set_visible_range(*target, animate=True, duration_ms=250)
        assert view.is_animating()
    assert time.perf_counter() - start >= 0.2
    assert not view.is_animating()
    assert view.visible_range() == pytest.approx(target)
    # the default duration
    view.set_visible_range(d(2001).begin(), d(2003).begin(), animate=True)
    assert view._animation.duration() == ANIMATION_MS
    view.finish_animation()


def test_finish_animation_jumps_to_the_target(view: TimelineView, qtbot) -> None:
    target = (d(2006).begin(), d(2008).begin())
    view.set_visible_range(*target, animate=True, duration_ms=60_000)
    with qtbot.waitSignal(view.animationFinished, timeout=100):
        assert view.finish_animation()
    assert not view.is_animating()
    assert view.visible_range() == pytest.approx(target)
    assert not view.finish_animation()  # nothing left to finish


def test_an_animation_cut_short_does_not_emit(view: TimelineView, qtbot) -> None:
    seen: list[bool] = []
    view.animationFinished.connect(lambda: seen.append(True))
    view.set_visible_range(d(2006).begin(), d(2008).begin(), animate=True, duration_ms=100)
    view.set_visible_range(d(2010).begin(), d(2012).begin())  # replaces it, at once
    qtbot.wait(200)
    assert not seen and not view.is_animating()
    assert view.visible_range() == pytest.approx((d(2010).begin(), d(2012).begin()))


def test_range_changed_is_coalesced(view: TimelineView, qtbot) -> None:
    seen: list[tuple[float, float]] = []
    view.rangeChanged.connect(lambda a, b: seen.append((a, b)))
    for k in range(5):
        view.set_visible_range(d(2001 + k).begin(), d(2010 + k).begin())
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    qtbot.wait(20)
    assert seen == [pytest.approx((d(2005).begin(), d(2014).begin()))]


def test_clicks_are_passed_through(view: TimelineView, qtbot) -> None:
    i = view.arrays().index_of(3)
    assert i is not None
    x = float(view.arrays().begin[i] + view.arrays().finish[i]) / 2
    pos = to_widget(view, x, view.item.lane_of(3))
    with qtbot.waitSignal(view.clicked, timeout=2000) as blocker:
        click(view, pos)
    assert blocker.args[0] == 3
    with qtbot.waitSignal(view.doubleClicked, timeout=2000) as blocker:
        click(view, pos, double=True)
    assert blocker.args[0] == 3
    # empty space, even outside the item's bounds (left margin of the view)
    with qtbot.waitSignal(view.clicked, timeout=2000) as blocker:
        click(view, QtCore.QPoint(3, 150))
    assert blocker.args[0] is None


def test_hover_sets_a_tooltip(view: TimelineView, qtbot) -> None:
    i = view.arrays().index_of(2)
    assert i is not None
    pos = to_widget(view, d(2012).begin(), view.item.lane_of(2))
    qtbot.wait(20)
    with qtbot.waitSignal(view.hovered, timeout=2000) as blocker:
        qtbot.mouseMove(viewport(view), pos)
    assert blocker.args == [2]
    assert "UN sanctions votes" in view.item.toolTip()
    assert "2006" in view.item.toolTip()


def test_dark_mode_changes_the_background(view: TimelineView) -> None:
    dark = dark_theme()
    view.set_theme(dark)
    assert view.theme is dark and view.item.theme is dark
    img = view.grab().toImage()
    assert img.pixelColor(5, 5) == dark.timeline_bg  # the theme's colour is the one painted
    view.set_theme(light_theme())
    assert view.grab().toImage().pixelColor(5, 5) == light_theme().timeline_bg


def test_selection_passes_to_the_item(view: TimelineView) -> None:
    view.set_selected([1, 3])
    assert view.item.selected() == {1, 3}
    view.set_colors(["#ff0000"])
    view.grab()


# -- lanes by range, without moving ------------------------------------------------------


def test_lanes_in_a_range_without_moving_the_view(view: TimelineView) -> None:
    view.set_data(stack(60), fit=True)
    here = view.visible_range()
    span = view.arrays().span()
    assert span is not None
    assert view.lanes_in(*span) == (0, 59)
    assert view.lanes_in(d(1990).begin(), d(1991).begin()) is None  # nothing there
    assert view.visible_range() == here


def test_lanes_in_tells_what_the_view_shows_once_there(qtbot) -> None:
    v = TimelineView()
    qtbot.addWidget(v)
    show(qtbot, v)
    arrays = sample()
    v.set_data(arrays)
    ranges = [
        (d(2019).begin(), d(2021).begin()),
        (d(2023, 6).begin(), d(2024, 9).begin()),
        (d(2000).begin(), d(2025).begin()),
        (d(2022).begin(), d(2022, 6).begin()),
    ]
    predicted = [v.lanes_in(*r) for r in ranges]
    for r, lanes in zip(ranges, predicted, strict=True):
        v.set_visible_range(*r)
        v.relayout()
        shown = [v.item.lane_of(int(arrays.ids[i])) for i in arrays.visible(*r)]
        assert lanes == (min(shown), max(shown)), r  # type: ignore[type-var]


def test_height_for_rows_shows_them_whole(qtbot) -> None:
    for scale in (1.0, 1.7):
        v = TimelineView()
        qtbot.addWidget(v)
        v.set_scale(scale)
        v.set_data(stack(5), fit=True)
        v.resize(900, v.height_for_rows(5))
        v.show()
        qtbot.waitExposed(v)
        qtbot.waitUntil(lambda v=v: v.viewbox.width() > 100)
        QtWidgets.QApplication.processEvents()
        y0, y1 = y_range(v)
        assert y0 <= -0.5 and y1 >= 4.5, scale
        assert not v.scrollbar.isVisible()


# -- scale -----------------------------------------------------------------------------------


def test_scale_sizes_rows_labels_marks_and_axis(view: TimelineView, qtbot) -> None:
    widths = view.item.label_widths().copy()
    font = view.axis.style["tickFont"]
    axis_height = view.height_for_rows(0)
    spacing = view.axis.min_spacing_px
    # a point's marker: 9 px right of its centre is past it (radius 6), not at 2x
    i = view.arrays().index_of(1)
    assert i is not None
    mid = float(view.arrays().begin[i] + view.arrays().finish[i]) / 2

    def right_of_marker() -> QtGui.QColor:
        centre = to_widget(view, mid, view.item.lane_of(1))
        return view.grab().toImage().pixelColor(centre + QtCore.QPoint(9, 0))

    assert right_of_marker().name() == "#ffffff"

    view.set_scale(2.0)
    assert view.scale_factor() == 2.0
    assert view.row_height() == 2 * ROW_HEIGHT
    qtbot.waitUntil(lambda: view.viewbox.height() < 400 - axis_height)  # the axis grew
    y0, y1 = y_range(view)
    assert (y1 - y0) * 2 * ROW_HEIGHT == pytest.approx(view.viewbox.height(), abs=1.0)
    assert view.item.label_font().pointSizeF() == pytest.approx(2 * LABEL_POINT_SIZE)
    # the labels were measured again in the larger font
    ratio = view.item.label_widths() / widths
    assert ratio.min() > 1.8 and ratio.max() < 2.2
    assert view.axis.style["tickFont"].pointSizeF() == pytest.approx(2 * font.pointSizeF())
    assert view.axis.min_spacing_px == 2 * spacing
    assert view.height_for_rows(0) >= 1.8 * axis_height
    view.fit_all()
    assert right_of_marker().name() != "#ffffff"
    # and back: everything as it was
    view.set_scale(1.0)
    assert view.row_height() == ROW_HEIGHT
    assert view.item.label_widths() == pytest.approx(widths)
    view.fit_all()
    assert right_of_marker().name() == "#ffffff"
    with pytest.raises(ValueError):
        view.set_scale(0.0)


def test_scaled_labels_fit_whole(qtbot) -> None:
    # 1.6 times larger in a view 1.6 times wider (and taller) than the main window's
    # at 1600x900: the lanes and labels are laid out as there, only larger
    v = TimelineView()
    qtbot.addWidget(v)
    v.set_scale(1.6)
    v.resize(1677, 720)
    v.show()
    qtbot.waitExposed(v)
    arrays = sample()
    v.set_data(arrays)
    check_labels_whole(v, arrays)
    for lab in v.item.drawn_labels():
        assert lab.x1 - lab.x0 > 0
    height = QtGui.QFontMetricsF(v.item.label_font()).height()
    assert height >= 1.5 * QtGui.QFontMetricsF(TimelineView().item.label_font()).height()


# -- labels after fitting everything ------------------------------------------------------


def sample() -> EventArrays:
    """The bundled sample: 14 news events, 2000-2024, most of them after 2019."""
    return EventArrays.from_events(read_file(sample_path()).events, {})


def check_labels_whole(v: TimelineView, arrays: EventArrays) -> None:
    """Every event labelled with its whole title, in view, with no overlaps."""
    v.grab()
    labels = v.item.drawn_labels()
    x0, x1 = v.visible_range()
    titles = {int(arrays.ids[i]): " ".join(arrays.titles[i].split()) for i in range(len(arrays))}
    assert sorted(lab.event_id for lab in labels) == sorted(titles)
    for lab in labels:
        assert not lab.elided
        assert lab.text == titles[lab.event_id]
        assert x0 <= lab.x0 < lab.x1 <= x1
    by_lane: dict[int, list[tuple[float, float]]] = {}
    for lab in labels:
        by_lane.setdefault(lab.lane, []).append((lab.x0, lab.x1))
    marks: dict[int, list[tuple[float, float, int]]] = {}
    for i in range(len(arrays)):
        event_id = int(arrays.ids[i])
        lane = v.item.lane_of(event_id)
        assert lane is not None
        span = (float(arrays.begin[i]), float(arrays.finish[i]), event_id)
        marks.setdefault(lane, []).append(span)
    for lab in labels:
        # no other label, and no mark but its own (a bar holding it), in the way
        others = [s for s in by_lane[lab.lane] if s != (lab.x0, lab.x1)]
        others += [(b0, b1) for b0, b1, i in marks[lab.lane] if i != lab.event_id]
        assert all(lab.x1 <= b0 or b1 <= lab.x0 for b0, b1 in others), lab
    _, (y0, y1) = v.viewbox.viewRange()
    assert y0 <= -0.5 and v.item.lane_count - 0.5 <= y1  # every lane in view


# the timeline's size in the main window at 1280x800 and 1600x900
@pytest.mark.parametrize("size", [(728, 377), (1048, 445)], ids=["1280x800", "1600x900"])
def test_the_sample_fits_with_every_label_whole(qtbot, size: tuple[int, int]) -> None:
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(*size)
    v.show()
    qtbot.waitExposed(v)
    arrays = sample()
    v.set_data(arrays)
    check_labels_whole(v, arrays)
    # labels near the right end go before their marks: the fit needs a small margin
    lo, hi = arrays.span() or (0.0, 0.0)
    _, x1 = v.visible_range()
    assert x1 - hi < 0.06 * (hi - lo)
    # the same after Home, in dark mode, and once the lanes were laid out again
    v.zoom(3.0)
    v.set_theme(dark_theme())
    v.fit_all()
    check_labels_whole(v, arrays)


def test_fit_all_widens_for_labels_that_fit_on_neither_side(qtbot) -> None:
    # one event: its label fits neither before nor after it within the data's span,
    # and centred in the view there is no room for it either: the fit makes room
    # (within the pan limits)
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(700, 300)
    v.show()
    qtbot.waitExposed(v)
    arrays = make(
        [
            Event(
                "Parliament votes on the long awaited railway reform",
                d(2000, 6, 1),
                category="a",
                id=1,
            )
        ]
    )
    v.set_data(arrays)
    width = float(v.item.label_widths()[0])
    # centred, the label would fit on neither side of its mark
    assert v.viewbox.width() / 2 - MARKER_RADIUS - LABEL_GAP < width < v.viewbox.width() - 40
    x0, x1 = v.visible_range()
    mid = float(arrays.begin[0] + arrays.finish[0]) / 2
    # room made on the right
    assert x1 - mid > 1.05 * (mid - x0)
    check_labels_whole(v, arrays)
