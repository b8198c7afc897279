"""EventsItem: painting, hit testing, signals, labels and level of detail."""

from __future__ import annotations

import itertools

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtGui

from viewer.model.dates import SECONDS_PER_DAY, PartialDate
from viewer.model.event import Event
from viewer.model.lanes import LABEL_GAP, MARKER_RADIUS
from viewer.store.columns import EventArrays
from viewer.ui.theme import dark_theme
from viewer.ui.timeline import labels as labels_mod
from viewer.ui.timeline import marks, painter
from viewer.ui.timeline.item import DEFAULT_COLORS, EventsItem
from viewer.ui.timeline.marks import BAR_ALPHA

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

LEFT = QtCore.Qt.MouseButton.LeftButton
WHITE = QtGui.QColor("#ffffff")
ROW = 26.0


def d(*parts: int) -> PartialDate:
    return PartialDate(*parts)


def make(events: list[Event]) -> EventArrays:
    return EventArrays.from_events(events, {"a": 0, "b": 1, "c": 2})


NEWS = [
    Event("Putin visits North Korea", d(2000, 7), category="a", id=1),
    Event("UN sanctions votes", d(2006, 10, 14), d(2017, 12, 22), category="b", id=2),
    Event("Vladivostok summit", d(2019, 4, 25), category="a", id=3),
    Event("Borders close", d(2020, 2), category="c", id=4),
]


class Harness:
    """A bare view box with one EventsItem, shown offscreen."""

    def __init__(self, qtbot, width: int = 800, height: int = 300) -> None:
        self.widget = pg.GraphicsLayoutWidget()
        self.widget.setBackground("w")
        self.widget.ci.layout.setContentsMargins(0, 0, 0, 0)
        self.widget.resize(width, height)
        self.vb = self.widget.addViewBox()
        self.vb.invertY(True)
        self.vb.setMouseEnabled(x=True, y=False)
        self.vb.disableAutoRange()
        self.vb.setMenuEnabled(False)
        self.item = EventsItem()
        self.vb.addItem(self.item)
        qtbot.addWidget(self.widget)
        self.widget.show()
        qtbot.waitExposed(self.widget)
        self.rows = height / ROW

    def resize_view(self, width: int) -> None:
        self.widget.resize(width, self.widget.height())
        QtCore.QCoreApplication.processEvents()

    def show_range(self, x0: float, x1: float, top: float = -0.5) -> None:
        self.vb.setRange(xRange=(x0, x1), yRange=(top, top + self.rows), padding=0.0)
        self.item.flush_layout()

    def set_data(self, arrays: EventArrays, x0: float, x1: float) -> None:
        self.show_range(x0, x1)
        self.item.set_data(arrays)

    def to_widget(self, x: float, y: float) -> QtCore.QPoint:
        scene = self.vb.mapViewToScene(QtCore.QPointF(x, y))
        return self.widget.mapFromScene(scene)

    def image(self) -> QtGui.QImage:
        return self.widget.grab().toImage()


def send_mouse(
    widget: pg.GraphicsView,
    kind: QtCore.QEvent.Type,
    pos: QtCore.QPoint,
    button: QtCore.Qt.MouseButton,
    buttons: QtCore.Qt.MouseButton,
    modifiers: QtCore.Qt.KeyboardModifier = QtCore.Qt.KeyboardModifier.NoModifier,
) -> None:
    """Deliver a mouse event to the view's viewport as the window system would.

    (``qtbot.mouseClick`` warns when no item accepts the press, which pyqtgraph's scene
    never needs: it turns press and release into its own click events.)
    """
    local = QtCore.QPointF(pos)
    glob = QtCore.QPointF(widget.viewport().mapToGlobal(pos))
    event = QtGui.QMouseEvent(kind, local, glob, button, buttons, modifiers)
    QtCore.QCoreApplication.sendEvent(widget.viewport(), event)


def click(widget: pg.GraphicsView, pos: QtCore.QPoint, modifiers=None, *, double=False) -> None:
    mods = modifiers or QtCore.Qt.KeyboardModifier.NoModifier
    none = QtCore.Qt.MouseButton.NoButton
    send_mouse(widget, QtCore.QEvent.Type.MouseButtonPress, pos, LEFT, LEFT, mods)
    send_mouse(widget, QtCore.QEvent.Type.MouseButtonRelease, pos, LEFT, none, mods)
    if double:
        send_mouse(widget, QtCore.QEvent.Type.MouseButtonDblClick, pos, LEFT, LEFT, mods)
        send_mouse(widget, QtCore.QEvent.Type.MouseButtonRelease, pos, LEFT, none, mods)


def is_background(c: QtGui.QColor, bg: QtGui.QColor = WHITE) -> bool:
    return abs(c.red() - bg.red()) + abs(c.green() - bg.green()) + abs(c.blue() - bg.blue()) < 6


def composite(color: str, alpha: float) -> tuple[float, float, float]:
    c = QtGui.QColor(color)
    return tuple(255 - (255 - v) * alpha for v in (c.red(), c.green(), c.blue()))


def close_to(c: QtGui.QColor, rgb: tuple[float, ...], tol: float = 14) -> bool:
    return all(abs(a - b) <= tol for a, b in zip((c.red(), c.green(), c.blue()), rgb, strict=True))


@pytest.fixture
def h(qtbot) -> Harness:
    return Harness(qtbot)


@pytest.fixture
def news(h: Harness) -> Harness:
    h.set_data(make(NEWS), d(1999).begin(), d(2022).begin())
    return h


def centre_of(h: Harness, event_id: int) -> tuple[float, float]:
    a = h.item.arrays
    i = a.index_of(event_id)
    assert i is not None
    lane = h.item.lane_of(event_id)
    assert lane is not None
    return (float(a.begin[i] + a.finish[i]) / 2, float(lane))


# -- painting ---------------------------------------------------------------------------


def test_marks_are_painted_where_the_events_are(news: Harness) -> None:
    img = news.image()
    x, lane = centre_of(news, 1)  # a point: solid diamond in category a's colour
    p = news.to_widget(x, lane)
    assert close_to(img.pixelColor(p), composite(DEFAULT_COLORS[0], 1.0))
    x, lane = centre_of(news, 2)  # a range: translucent bar in category b's colour
    p = news.to_widget(x, lane)
    assert close_to(img.pixelColor(p), composite(DEFAULT_COLORS[1], BAR_ALPHA))
    # far from any event: background
    p = news.to_widget(d(2010).begin(), 6.0)
    assert is_background(img.pixelColor(p))


def test_short_events_never_vanish(h: Harness) -> None:
    one_second = Event("A second", PartialDate(2000, 1, 1, 12, 0, 0), category="a", id=1)
    short = Event("A day", d(2005, 1, 1), d(2005, 1, 1), category="b", id=2)
    h.set_data(make([one_second, short]), d(1900).begin(), d(2100).begin())
    img = h.image()
    for event_id in (1, 2):
        x, lane = centre_of(h, event_id)
        p = h.to_widget(x, lane)
        assert not is_background(img.pixelColor(p))


def test_vague_start_is_faded_over_its_year(h: Harness) -> None:
    ev = Event("Vague start", d(2000), d(2010, 6, 1), category="a", id=1)
    h.set_data(make([ev]), d(1999).begin(), d(2012).begin())
    img = h.image()
    y = 8 / ROW  # 8 px below the middle of the bar: clear of the label's text
    early = img.pixelColor(h.to_widget(d(2000, 1, 20).begin(), y))
    late = img.pixelColor(h.to_widget(d(2000, 12, 10).begin(), y))
    solid = img.pixelColor(h.to_widget(d(2005).begin(), y))
    # the further into the uncertain year, the stronger the colour
    assert early.red() > late.red() >= solid.red()
    assert close_to(solid, composite(DEFAULT_COLORS[0], BAR_ALPHA))
    # the end is given to the day: sharp
    assert is_background(img.pixelColor(h.to_widget(d(2010, 6, 20).begin(), y)))


def test_month_point_is_a_band_over_its_month(h: Harness) -> None:
    h.set_data(
        make([Event("July", d(2000, 7), category="a", id=1)]),
        d(2000, 5).begin(),
        d(2000, 10).begin(),
    )
    img = h.image()
    band = img.pixelColor(h.to_widget(d(2000, 7, 4).begin(), 0.0))
    assert not is_background(band)
    assert band.red() > 200  # faint, not the marker's solid colour
    outside = img.pixelColor(h.to_widget(d(2000, 8, 10).begin(), 0.0))
    assert is_background(outside)


def test_bounding_rect_covers_everything_painted(news: Harness) -> None:
    news.item.set_selected([1, 2])
    img = news.image()
    bounds = news.item.mapRectToScene(news.item.boundingRect())
    rect = QtCore.QRectF(news.widget.mapFromScene(bounds).boundingRect())
    rect.adjust(-1, -1, 1, 1)
    view = news.widget.mapFromScene(news.vb.sceneBoundingRect()).boundingRect()
    painted = [
        (x, y)
        for y in range(view.top(), min(view.bottom(), img.height() - 1), 2)
        for x in range(view.left(), min(view.right(), img.width() - 1), 2)
        if not is_background(img.pixelColor(x, y))
    ]
    assert painted
    assert all(rect.contains(QtCore.QPointF(x, y)) for x, y in painted)


def test_empty_data_draws_nothing(h: Harness) -> None:
    h.set_data(EventArrays.empty(), 0.0, 1e9)
    assert h.item.boundingRect().isEmpty()
    assert h.item.lane_count == 0
    assert h.item.event_at(QtCore.QPointF(1.0, 0.0)) is None
    h.image()


def test_colors_and_dark_mode(news: Harness) -> None:
    news.item.set_colors([QtGui.QColor("#00ff00")])
    x, lane = centre_of(news, 1)
    p = news.to_widget(x, lane)
    assert close_to(news.image().pixelColor(p), (0, 255, 0))
    # dark: labels are light on a dark background
    dark = dark_theme()
    news.widget.setBackground(dark.timeline_bg)
    news.item.set_theme(dark)
    assert news.item.theme is dark
    img = news.image()
    label = next(lab for lab in news.item.visible_labels() if lab[0] == 1)
    a = news.to_widget(label[2], lane)
    b = news.to_widget(label[3], lane)
    brightest = max(
        img.pixelColor(x, y).lightness()
        for x in range(a.x(), b.x())
        for y in range(a.y() - 6, a.y() + 6)
    )
    assert brightest > 200


# -- labels -------------------------------------------------------------------------------


def crowd(n: int = 120, seed: int = 3) -> EventArrays:
    rng = np.random.default_rng(seed)
    days = np.sort(rng.integers(0, 3 * 365, n))
    events = []
    for k, day in enumerate(days.tolist()):
        start = PartialDate.from_position(d(2000).begin() + day * SECONDS_PER_DAY, 2)
        end = None
        if k % 3 == 0:
            end = PartialDate.from_position(start.begin() + 40 * SECONDS_PER_DAY, 2)
        events.append(
            Event(f"Headline number {k} of the crowd", start, end, category="a", id=k + 1)
        )
    return make(events)


def test_labels_never_overlap_each_other_or_the_next_mark(h: Harness) -> None:
    a = crowd()
    h.set_data(a, d(2000).begin(), d(2003).begin())
    h.image()
    labels = h.item.visible_labels()
    assert labels
    by_lane: dict[int, list[tuple[float, float, int]]] = {}
    for event_id, lane, x0, x1 in labels:
        assert h.item.lane_of(event_id) == lane
        by_lane.setdefault(lane, []).append((x0, x1, event_id))
    for lane, spans in by_lane.items():
        spans.sort()
        for (_, end, _), (start, _, _) in itertools.pairwise(spans):
            assert end <= start
        # no label runs into a mark of its lane, before or after it, nor out of view
        in_lane = [i for i in range(len(a)) if h.item.lane_of(int(a.ids[i])) == lane]
        for x0, x1, event_id in spans:
            assert d(2000).begin() <= x0 and x1 <= d(2003).begin()
            for i in in_lane:
                if a.ids[i] != event_id:
                    assert x1 <= a.begin[i] or a.finish[i] <= x0


def news_labels(h: Harness) -> dict[int, painter.DrawnLabel]:
    h.image()
    return {lab.event_id: lab for lab in h.item.drawn_labels()}


def test_labels_near_the_end_of_the_data_go_before_their_marks(h: Harness) -> None:
    events = [
        Event("The first event of the timeline", d(2000, 1, 1), category="a", id=1),
        Event("Something in the middle", d(2005, 1, 1), category="a", id=2),
        Event("The very last event of the timeline", d(2010, 1, 1), category="b", id=3),
    ]
    h.set_data(make(events), d(1999, 7).begin(), d(2010, 7).begin())
    labels = news_labels(h)
    assert [labels[i].side for i in (1, 2, 3)] == ["after", "after", "before"]
    last = labels[3]
    assert not last.elided and last.text == "The very last event of the timeline"
    # right-aligned just left of its marker
    px = (d(2010, 7).begin() - d(1999, 7).begin()) / h.vb.width()
    marker_left = (d(2010, 1, 1).begin() + d(2010, 1, 1).finish()) / 2 - MARKER_RADIUS * px
    assert marker_left - (LABEL_GAP + 2) * px <= last.x1 <= marker_left


def test_a_label_the_view_edge_would_cut_flips_before_its_mark(h: Harness) -> None:
    # panned so that an event in the middle of the data sits near the right edge: its
    # layout puts the label after it, the view's edge would cut it, the lane is free
    # on the left: drawn whole before the mark, and back after it once there is room
    events = [
        Event("An early event", d(1990, 1, 1), category="a", id=1),
        Event("A label that would be cut", d(2005, 1, 1), category="a", id=2),
        Event("A late event", d(2020, 1, 1), category="b", id=3),
    ]
    h.set_data(make(events), d(2004).begin(), d(2005, 2).begin())
    lanes = [h.item.lane_of(i) for i in (1, 2, 3)]
    label = news_labels(h)[2]
    assert label.side == "before" and not label.elided
    h.show_range(d(2004, 12).begin(), d(2006).begin())  # a pan: the same lanes
    assert [h.item.lane_of(i) for i in (1, 2, 3)] == lanes
    label = news_labels(h)[2]
    assert label.side == "after" and not label.elided


def test_a_bar_holds_its_label_when_long_enough(h: Harness) -> None:
    title = "A short range with a long title"
    events = [
        Event("Long war", d(2000, 1, 1), d(2008, 1, 1), category="a", id=1),
        Event(title, d(2010, 1, 1), d(2010, 3, 1), category="b", id=2),
        Event("Point", d(2020, 1, 1), category="c", id=3),
    ]
    h.set_data(make(events), d(1999).begin(), d(2021).begin())
    labels = news_labels(h)
    assert labels[1].side == "inside"
    assert d(2000).begin() < labels[1].x0 and labels[1].x1 < d(2008).begin()
    assert labels[2].side == "after"  # beside its short bar, not over it
    assert labels[2].x0 > d(2010, 3, 1).begin()
    assert not any(lab.elided for lab in labels.values())


def test_ellipsis_is_the_last_resort(h: Harness) -> None:
    # marks too close for the label to fit whole between them, or anywhere in view
    title = "A headline far too long to fit anywhere near its mark at this zoom level"
    events = [
        Event("Left", d(2000, 1, 1), category="a", id=1),
        Event(title, d(2000, 1, 20), category="a", id=2),
        Event("Right", d(2000, 2, 10), category="a", id=3),
    ]
    h.resize_view(300)
    h.set_data(make(events), d(1999, 12, 20).begin(), d(2000, 2, 20).begin())
    labels = news_labels(h)
    cut = labels[2]
    assert cut.elided and cut.text.endswith("…") and len(cut.text) < len(title)
    assert not labels[1].elided and not labels[3].elided
    # with room enough, the same label is whole again
    h.resize_view(1400)
    h.show_range(d(1999, 6).begin(), d(2000, 8).begin())
    labels = news_labels(h)
    assert labels[2].text == title and not labels[2].elided


def test_a_selected_title_near_the_length_cap_stays_whole(h: Harness) -> None:
    # its regular width is under LABEL_MAX_PX, its bold one over it
    metrics = QtGui.QFontMetricsF(h.item.labels.font)
    words = iter(("votes", "again", "on", "the", "reform") * 20)
    title = "Parliament"
    while metrics.horizontalAdvance(title) < marks.LABEL_MAX_PX - 40:
        title += " " + next(words)
    assert metrics.horizontalAdvance(title) < marks.LABEL_MAX_PX
    h.resize_view(1400)
    events = [
        Event("Start", d(2000, 1, 1), category="a", id=1),
        Event(title, d(2010, 1, 1), category="a", id=2),
    ]
    h.set_data(make(events), d(1999).begin(), d(2011).begin())
    h.item.set_selected([2])
    label = news_labels(h)[2]
    assert QtGui.QFontMetricsF(h.item.labels.bold).horizontalAdvance(title) > marks.LABEL_MAX_PX
    assert label.text == title and not label.elided


def test_more_labels_appear_when_zooming_in(h: Harness) -> None:
    h.set_data(crowd(300), d(2000).begin(), d(2003).begin())
    h.image()
    far = len(h.item.visible_labels())
    h.show_range(d(2000).begin(), d(2000, 4).begin())
    h.image()
    near = [lab for lab in h.item.visible_labels()]
    assert near
    # zoomed in, the labels shown per visible event go up
    visible_near = h.item.arrays.visible(d(2000).begin(), d(2000, 4).begin())
    visible_far = h.item.arrays.visible(d(2000).begin(), d(2003).begin())
    assert len(near) / len(visible_near) > far / len(visible_far)


def test_static_text_cache_is_bounded(h: Harness, monkeypatch) -> None:
    monkeypatch.setattr(labels_mod, "STATIC_TEXT_CACHE", 5)
    h.set_data(crowd(200), d(2000).begin(), d(2000, 6).begin())
    h.image()
    assert len(h.item.visible_labels()) > 5
    assert len(h.item.labels._static) <= 5


# -- level of detail ---------------------------------------------------------------------


def test_density_strip_when_events_are_denser_than_pixels(h: Harness) -> None:
    n = 5000
    begin = d(2000).begin() + np.arange(n) * 600.0
    a = EventArrays.from_arrays(
        ids=np.arange(n),
        begin=begin,
        finish=begin + 60.0,
        start_precision=np.full(n, 5),
        end_precision=np.full(n, 5),
        is_range=np.zeros(n, bool),
        category=np.zeros(n, np.int32),
        titles=[f"e{i}" for i in range(n)],
        dates=[""] * n,
    )
    h.set_data(a, begin[0], begin[-1])
    img = h.image()
    view = h.widget.mapFromScene(h.vb.sceneBoundingRect()).boundingRect()
    y = view.bottom() - 3
    strip = [img.pixelColor(x, y) for x in range(view.left() + 20, view.right() - 20, 10)]
    assert sum(not is_background(c) for c in strip) > 0.8 * len(strip)


def test_lanes_are_stable_under_panning_and_redone_on_zoom(h: Harness, qtbot) -> None:
    a = crowd(200)
    h.set_data(a, d(2000).begin(), d(2001).begin())
    before = [h.item.lane_of(int(i)) for i in a.ids]
    emitted: list[int] = []
    h.item.sigLayoutChanged.connect(emitted.append)
    for k in range(1, 6):  # pan by a quarter of the view, five times
        shift = k * 0.25 * (d(2001).begin() - d(2000).begin())
        h.show_range(d(2000).begin() + shift, d(2001).begin() + shift)
    assert emitted == []
    assert [h.item.lane_of(int(i)) for i in a.ids] == before
    h.show_range(d(2000).begin(), d(2002, 6).begin())  # zoom out 2.5x
    assert len(emitted) == 1


def test_relayout_gives_the_lanes_lanes_at_predicts(h: Harness) -> None:
    a = crowd(200)
    h.set_data(a, d(2000).begin(), d(2001).begin())
    emitted: list[int] = []
    h.item.sigLayoutChanged.connect(emitted.append)
    # zoom in a little: the lanes are kept (see needs_relayout)…
    h.show_range(d(2000).begin(), d(2000, 11).begin())
    assert emitted == []
    scale = h.vb.width() / (d(2000, 11).begin() - d(2000).begin())
    predicted = h.item.lanes_at(scale).tolist()
    assert [h.item.lane_of(int(i)) for i in a.ids] != predicted
    # …until laid out afresh for exactly this zoom
    h.item.relayout()
    assert len(emitted) == 1
    assert [h.item.lane_of(int(i)) for i in a.ids] == predicted
    h.item.relayout()  # already so: nothing to do
    assert len(emitted) == 1


def test_size_scale_measures_and_lays_out_again(news: Harness) -> None:
    item = news.item
    news.image()
    widths = item.label_widths().copy()
    padding = item.pixelPadding()
    assert item.labels._static
    emitted: list[int] = []
    item.sigLayoutChanged.connect(emitted.append)
    item.set_size_scale(2.0)
    assert item.size_scale() == 2.0
    assert len(emitted) == 1
    assert not item.labels._static and not item.style._sprites  # made with the old font and sizes
    ratio = item.label_widths() / widths
    assert ratio.min() > 1.8 and ratio.max() < 2.2
    assert item.pixelPadding() == pytest.approx(2 * padding)
    assert item.label_font().pointSizeF() == pytest.approx(2 * labels_mod.LABEL_POINT_SIZE)
    news.image()
    metrics = QtGui.QFontMetricsF(item.label_font())
    labels = [lab for lab in item.drawn_labels() if not lab.elided]
    assert labels
    for lab in labels:  # as wide as the text in the larger font
        drawn = (lab.x1 - lab.x0) * news.vb.width() / axis_span(news)
        assert drawn == pytest.approx(metrics.horizontalAdvance(lab.text), abs=2)
    item.set_size_scale(2.0)  # the same: nothing to do
    assert len(emitted) == 1
    with pytest.raises(ValueError):
        item.set_size_scale(float("nan"))


def test_size_scale_reaches_further_for_hits_and_marks(h: Harness) -> None:
    # rows twice as tall, as the view makes them at scale 2
    h.rows = h.widget.height() / (2 * ROW)
    h.set_data(make(NEWS), d(1999).begin(), d(2022).begin())
    x, lane = centre_of(h, 1)  # a month's point: a marker of radius 6
    off = QtCore.QPointF(x, lane + 15 / (2 * ROW))  # 15 px below its centre
    assert h.item.event_at(off) is None  # beyond the marker and the tolerance
    centre = h.to_widget(x, lane)
    assert is_background(h.image().pixelColor(centre + QtCore.QPoint(9, 0)))
    h.item.set_size_scale(2.0)
    assert h.item.event_at(off) == 1
    assert not is_background(h.image().pixelColor(centre + QtCore.QPoint(9, 0)))


def axis_span(h: Harness) -> float:
    (x0, x1), _ = h.vb.viewRange()
    return x1 - x0


# -- hit testing and signals --------------------------------------------------------------


def test_event_at_with_tolerance(news: Harness) -> None:
    x, lane = centre_of(news, 1)
    assert news.item.event_at(QtCore.QPointF(x, lane)) == 1
    px = (d(2022).begin() - d(1999).begin()) / news.vb.width()  # seconds per pixel
    assert news.item.event_at(QtCore.QPointF(x + 8 * px, lane)) == 1  # marker + tolerance
    assert news.item.event_at(QtCore.QPointF(x - 30 * px, lane)) is None
    x2, lane2 = centre_of(news, 2)
    assert news.item.event_at(QtCore.QPointF(d(2016).begin(), lane2)) == 2
    assert news.item.event_at(QtCore.QPointF(x2, lane2 + 12 / ROW)) == 2  # a bit below
    assert news.item.event_at(QtCore.QPointF(x2, lane2 + 15 / ROW)) != 2
    assert news.item.event_at(QtCore.QPointF(x, 8.0)) is None  # no such lane
    scene = news.vb.mapViewToScene(QtCore.QPointF(x, lane))
    assert news.item.event_at(scene, scene=True) == 1


def test_a_label_counts_as_its_event(news: Harness) -> None:
    news.image()
    event_id, lane, x0, x1 = news.item.visible_labels()[0]
    assert news.item.event_at(QtCore.QPointF((x0 + x1) / 2, lane)) == event_id


def test_click_emits_the_event_id_and_modifiers(news: Harness, qtbot) -> None:
    x, lane = centre_of(news, 3)
    pos = news.to_widget(x, lane)
    ctrl = QtCore.Qt.KeyboardModifier.ControlModifier
    with qtbot.waitSignal(news.item.sigClicked, timeout=2000) as blocker:
        click(news.widget, pos, ctrl)
    assert blocker.args[0] == 3
    assert blocker.args[1] & ctrl


def test_click_on_empty_space_emits_none(news: Harness, qtbot) -> None:
    empty = news.item.lane_count + 1.0  # below the last lane, still in the view
    pos = news.to_widget(d(2010).begin(), empty)
    with qtbot.waitSignal(news.item.sigClicked, timeout=2000) as blocker:
        click(news.widget, pos)
    assert blocker.args[0] is None


def test_double_click_emits_id_and_position(news: Harness, qtbot) -> None:
    x, lane = centre_of(news, 1)
    pos = news.to_widget(x, lane)
    with qtbot.waitSignal(news.item.sigDoubleClicked, timeout=2000) as blocker:
        click(news.widget, pos, double=True)
    assert blocker.args[0] == 1
    px = (d(2022).begin() - d(1999).begin()) / news.vb.width()
    assert abs(blocker.args[1] - x) < 3 * px


def test_hover_emits_and_highlights(news: Harness, qtbot) -> None:
    x, lane = centre_of(news, 3)
    qtbot.wait(20)  # pyqtgraph drops mouse moves closer than 10 ms apart
    with qtbot.waitSignal(news.item.sigHovered, timeout=2000) as blocker:
        qtbot.mouseMove(news.widget.viewport(), news.to_widget(x, lane))
    assert blocker.args == [3]
    assert news.item.hovered() == 3
    qtbot.wait(20)
    with qtbot.waitSignal(news.item.sigHovered, timeout=2000) as blocker:
        empty = news.item.lane_count + 1.0
        qtbot.mouseMove(news.widget.viewport(), news.to_widget(d(2010).begin(), empty))
    assert blocker.args == [None]


def test_selection_outlines_the_event_and_bolds_its_label(news: Harness) -> None:
    x, lane = centre_of(news, 1)
    p = news.to_widget(x, lane)
    ring = [QtCore.QPoint(p.x(), p.y() - 8), QtCore.QPoint(p.x() - 8, p.y())]
    before = news.image()
    assert all(is_background(before.pixelColor(q)) for q in ring)
    news.item.set_selected([1])
    assert news.item.selected() == {1}
    after = news.image()
    assert any(not is_background(after.pixelColor(q)) for q in ring)
    bold = [lab for lab in news.item.visible_labels() if lab[0] == 1]
    regular = [lab for lab in news.item.visible_labels() if lab[0] != 1]
    assert bold and regular
    assert news.item.labels._static  # labels were drawn from the static text cache


def test_tooltip_text(news: Harness) -> None:
    html = news.item.tooltip_html(2)
    assert "UN sanctions votes" in html
    assert "14 October 2006 – 22 December 2017" in html
    assert news.item.tooltip_html(999) == ""
