"""The ends of approximate, uncertain and open dates, as the one painter draws them."""

from __future__ import annotations

import pytest
from PySide6 import QtCore

from tests.ui.timeline.test_item import ROW, Harness, d, make
from viewer.model.dates import Qualifier
from viewer.model.event import Event
from viewer.ui.timeline.edges import SOFT_PX, TAIL_PX

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

A, B, F = Qualifier.APPROXIMATE, Qualifier.BEFORE, Qualifier.AFTER
BELOW = 6 / ROW  # a little below a bar's middle line: clear of any label's text


@pytest.fixture
def h(qtbot) -> Harness:
    return Harness(qtbot)


def strength(h: Harness, x: float, dx: float, y: float) -> int:
    """How far from white the pixel ``dx`` px right of position ``x`` is (0: white)."""
    img = h.image()
    p = h.to_widget(x, y) + QtCore.QPoint(round(dx), 0)
    c = img.pixelColor(p)
    return 765 - (c.red() + c.green() + c.blue())


def test_an_approximate_end_bleeds_beyond_its_mark_and_fades(h: Harness) -> None:
    soft = Event("Soft", d(2000, 3, 1).qualified(A), d(2000, 9, 1), category="a", id=1)
    h.set_data(make([soft]), d(1999).begin(), d(2001, 6).begin())
    start = d(2000, 3, 1).begin()
    near, far = strength(h, start, -3, BELOW), strength(h, start, -SOFT_PX + 2, BELOW)
    assert near > far > 0  # tinted outside the bar, fainter further out
    assert strength(h, start, -SOFT_PX - 4, BELOW) == 0
    # the exact end stays sharp
    assert strength(h, d(2000, 9, 2).begin(), 3, BELOW) == 0


def test_an_exact_event_has_no_soft_end(h: Harness) -> None:
    exact = Event("Exact", d(2000, 3, 1), d(2000, 9, 1), category="a", id=1)
    h.set_data(make([exact]), d(1999).begin(), d(2001, 6).begin())
    assert strength(h, d(2000, 3, 1).begin(), -3, BELOW) == 0


def test_an_open_start_trails_a_wedge_that_narrows(h: Harness) -> None:
    event = Event("Before", d(2000, 3, 1).qualified(B), d(2000, 9, 1), category="a", id=1)
    h.set_data(make([event]), d(1999).begin(), d(2001, 6).begin())
    start = d(2000, 3, 1).begin()
    assert strength(h, start, -TAIL_PX / 2, 0.0) > 0  # on the middle line, half-way out
    assert strength(h, start, -TAIL_PX / 2, 8 / ROW) == 0  # but narrower than the bar
    assert strength(h, start, -TAIL_PX - 4, 0.0) == 0


def test_an_open_point_points_its_way(h: Harness) -> None:
    after = Event("After", d(2000, 6, 15).qualified(F), category="a", id=1)
    h.set_data(make([after]), d(1999).begin(), d(2001, 6).begin())
    x = after.start.begin() + 43_200
    assert strength(h, x, 18, 0.0) > 0  # right of the diamond
    assert strength(h, x, -18, 0.0) == 0  # nothing on the left


def test_the_wedges_count_in_the_room_fit_all_leaves(h: Harness) -> None:
    plain = Event("Plain", d(2000, 3, 1), d(2000, 9, 1), category="a", id=1)
    h.set_data(make([plain]), d(1999).begin(), d(2001).begin())
    scale = 800 / (d(2001).begin() - d(1999).begin())
    before_plain = h.item.label_reach(scale)[0]
    h.item.set_data(make([plain.evolve(start=plain.start.qualified(B))]))
    assert h.item.label_reach(scale)[0] >= max(before_plain, TAIL_PX)
