"""Eras drawn as bands behind the events (viewer.ui.timeline.eras)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from viewer.model.dates import PartialDate
from viewer.model.event import Event
from viewer.store.columns import EventArrays
from viewer.ui.timeline.view import TimelineView

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


def y(year: int) -> float:
    return PartialDate(year).begin()


@pytest.fixture
def view(qtbot):
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(800, 300)
    v.show()
    qtbot.waitExposed(v)
    return v


def test_eras_tint_their_span_and_leave_the_rest_alone(qtbot, view: TimelineView) -> None:
    events = [Event("Start", PartialDate(600)), Event("End", PartialDate(720))]
    view.set_data(EventArrays.from_events(events, {}))
    view.set_visible_range(y(600), y(720))
    qtbot.wait(10)
    view.set_eras([("Era A", y(620), y(650)), ("Era B", y(650), y(700))])
    qtbot.wait(10)
    image = view.plot.grab().toImage()
    vb = view.viewbox

    def pixel_at(year: int) -> QColor:
        middle = vb.viewRect().center().y()
        scene = vb.mapViewToScene(QPointF(y(year), middle))
        point = view.plot.mapFromScene(scene)
        return image.pixelColor(point.x(), image.height() // 3)

    background = pixel_at(610)
    assert pixel_at(630) != background
    assert pixel_at(670) != background
    assert pixel_at(630) != pixel_at(670)  # neighbouring eras alternate tints
    assert pixel_at(710) == background


def test_eras_do_not_widen_fit_everything(view: TimelineView) -> None:
    view.set_eras([("Long ago", y(-3000), y(3000))])
    assert view.eras.dataBounds(0) is None
    assert len(view.eras) == 1
