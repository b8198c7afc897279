"""Lane packing and label placement: pure functions, no Qt."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.model import lanes as lanes_mod
from viewer.model.lanes import (
    AFTER,
    BEFORE,
    INSIDE,
    LABEL_GAP,
    LAYOUT_GRID,
    LONG_BAR_PX,
    MARKER_RADIUS,
    MIN_RANGE_PX,
    RELAYOUT_RATIO,
    event_extents,
    label_sides,
    label_spans,
    layout_lanes,
    mark_geometry,
    needs_relayout,
    pack_lanes,
    place_labels,
    snap_scale,
)

intervals = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=200),
        st.integers(min_value=1, max_value=60),
    ),
    max_size=80,
)


def as_arrays(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    begin = np.array([b for b, _ in pairs], dtype=float)
    end = np.array([b + d for b, d in pairs], dtype=float)
    return begin, end


def max_depth(begin: np.ndarray, end: np.ndarray) -> int:
    """Most intervals ``[b, e)`` over one point (brute force)."""
    if len(begin) == 0:
        return 0
    return max(int(np.sum((begin <= b) & (end > b))) for b in begin)


# -- pack_lanes ------------------------------------------------------------------------


def test_pack_lanes_empty() -> None:
    assert pack_lanes(np.array([]), np.array([])).tolist() == []


def test_pack_lanes_disjoint_share_lane_zero() -> None:
    lanes = pack_lanes(np.array([0.0, 10.0, 20.0]), np.array([5.0, 15.0, 25.0]))
    assert lanes.tolist() == [0, 0, 0]
    assert lanes.dtype == np.int32


def test_pack_lanes_nested_each_get_a_lane() -> None:
    lanes = pack_lanes(np.array([0.0, 1.0, 2.0]), np.array([10.0, 10.0, 10.0]))
    assert lanes.tolist() == [0, 1, 2]


def test_pack_lanes_first_fit_takes_the_lowest_free_lane() -> None:
    # lanes 1 and 2 are both free when the last one begins; lane 2 freed up first
    begin = np.array([0.0, 1.0, 2.0, 4.0])
    end = np.array([10.0, 3.8, 3.0, 5.0])
    assert pack_lanes(begin, end).tolist() == [0, 1, 2, 1]


def test_pack_lanes_gap_is_kept() -> None:
    begin = np.array([0.0, 10.0])
    end = np.array([9.0, 20.0])
    assert pack_lanes(begin, end, gap=1.0).tolist() == [0, 0]
    assert pack_lanes(begin, end, gap=1.5).tolist() == [0, 1]


def test_pack_lanes_sorts_unsorted_input() -> None:
    begin = np.array([6.0, 0.0, 2.0, 1.0])
    end = np.array([7.0, 5.0, 4.0, 3.0])
    assert pack_lanes(begin, end).tolist() == [0, 0, 2, 1]


def test_pack_lanes_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError):
        pack_lanes(np.array([0.0]), np.array([1.0, 2.0]))


@given(intervals, st.sampled_from([0.0, 0.5, 3.0]))
@settings(max_examples=200, deadline=None)
def test_pack_lanes_never_overlaps_and_is_optimal(pairs, gap) -> None:
    begin, end = as_arrays(pairs)
    lanes = pack_lanes(begin, end, gap)
    assert len(lanes) == len(begin)
    for lane in np.unique(lanes):
        idx = np.flatnonzero(lanes == lane)
        idx = idx[np.argsort(begin[idx], kind="stable")]
        assert np.all(end[idx][:-1] + gap <= begin[idx][1:])
    # first fit in order of begin is an optimal colouring of an interval graph
    n_lanes = int(lanes.max()) + 1 if len(lanes) else 0
    assert n_lanes == max_depth(begin, end + gap)
    # lanes are used from the top: every lane below the highest holds something
    assert set(lanes.tolist()) == set(range(n_lanes))


# -- marks and label sides ----------------------------------------------------------------


def test_mark_geometry_of_points_and_ranges() -> None:
    geo = mark_geometry(
        np.array([100.0, 100.0, 200.0]),
        np.array([100.0, 140.0, 201.0]),
        np.array([False, True, True]),
    )
    r, g = MARKER_RADIUS, LABEL_GAP
    # a point: a marker centred on its period, labels a gap away on either side
    assert (geo.lo[0], geo.hi[0]) == (100 - r, 100 + r)
    assert (geo.after[0], geo.before[0]) == (100 + r + g, 100 - r - g)
    assert geo.bar_room[0] == -math.inf
    # a range: its bar; inside it a label keeps the gap from both ends
    assert (geo.lo[1], geo.hi[1]) == (100, 140)
    assert (geo.after[1], geo.before[1], geo.inside[1]) == (140 + g, 100 - g, 100 + g)
    assert geo.bar_room[1] == 40 - 2 * g
    # a very short range still gets a bar of MIN_RANGE_PX
    assert geo.hi[2] - geo.lo[2] == MIN_RANGE_PX


def sides_of(x: list[float], widths: list[float], left: float, right: float) -> list[int]:
    """Sides of points at ``x`` (pixels) in a data span ``[left, right]``."""
    xs = np.array(x)
    geo = mark_geometry(xs, xs, np.zeros(len(xs), bool))
    return label_sides(geo, np.array(widths), left, right).tolist()


def test_labels_go_after_their_marks_by_default() -> None:
    assert sides_of([0.0, 300.0], [100.0, 100.0], 0.0, 1000.0) == [AFTER, AFTER]


def test_labels_near_the_right_end_go_before_their_marks() -> None:
    # the last label-width of the span: the label would cross its right end
    right = 1000.0
    near = right - MARKER_RADIUS - LABEL_GAP - 100.0 + 1.0
    assert sides_of([near - 2.0, near, right], [100.0] * 3, 0.0, right) == [AFTER, BEFORE, BEFORE]


def test_without_room_on_either_side_the_label_takes_the_larger_side() -> None:
    # 500 px labels in a 600 px span: neither side holds them whole
    assert sides_of([100.0, 450.0], [500.0, 500.0], 0.0, 600.0) == [AFTER, BEFORE]


def test_a_bar_holds_its_label_when_long_enough_else_it_goes_beside() -> None:
    b = np.array([0.0, 500.0, 900.0])
    f = np.array([300.0, 560.0, 990.0])
    geo = mark_geometry(b, f, np.ones(3, bool))
    sides = label_sides(geo, np.array([200.0, 200.0, 200.0]), 0.0, 1000.0)
    # held by the long bar; after the short one; before the short one near the end
    assert sides.tolist() == [INSIDE, AFTER, BEFORE]
    x0, x1 = label_spans(geo, sides, np.array([200.0, 200.0, 200.0]))
    assert x0[0] == LABEL_GAP and x1[0] <= 300.0 - LABEL_GAP
    assert x0[1] == 560.0 + LABEL_GAP
    assert x1[2] == 900.0 - LABEL_GAP


def test_a_long_bar_holds_a_label_that_fits_nowhere_else() -> None:
    # a bar over the middle of a short span: 400 px label, neither side has room,
    # the bar (LONG_BAR_PX or more) holds its label from its start, running past its end
    b = np.array([100.0])
    geo = mark_geometry(b, b + LONG_BAR_PX + 30, np.ones(1, bool))
    sides = label_sides(geo, np.array([400.0]), 0.0, 600.0)
    assert sides.tolist() == [INSIDE]


def test_unknown_widths_go_after_or_inside_long_bars() -> None:
    b = np.array([0.0, 10.0, 20.0])
    geo = mark_geometry(b, b + np.array([0.0, 5.0, 200.0]), np.array([False, True, True]))
    sides = label_sides(geo, np.full(3, np.nan), 0.0, 220.0)
    assert sides.tolist() == [AFTER, AFTER, INSIDE]


# -- extents and layout ---------------------------------------------------------------


def test_event_extents_marks_and_labels() -> None:
    begin = np.array([0.0, 100.0, 1000.0])
    finish = np.array([50.0, 101.0, 1001.0])  # a range, two points one pixel wide
    is_range = np.array([True, False, False])
    lo, hi, _ = event_extents(begin, finish, is_range, 1.0)
    assert lo[0] == 0 and hi[0] == 50
    centre = 100.5
    assert lo[1] == pytest.approx(centre - MARKER_RADIUS)
    assert hi[1] == pytest.approx(centre + MARKER_RADIUS)
    lo, hi, sides = event_extents(begin, finish, is_range, 1.0, np.array([80.0, 30.0, 40.0]))
    assert sides.tolist() == [AFTER, AFTER, BEFORE]
    assert hi[0] == pytest.approx(50 + LABEL_GAP + 80)  # the label is longer than the bar
    assert hi[1] == pytest.approx(centre + MARKER_RADIUS + LABEL_GAP + 30)
    # the last one, at the right end of the span, reaches left
    assert lo[2] == pytest.approx(1000.5 - MARKER_RADIUS - LABEL_GAP - 40)
    assert hi[2] == pytest.approx(1000.5 + MARKER_RADIUS)


def test_event_extents_short_range_gets_minimum_width() -> None:
    lo, hi, _ = event_extents(np.array([0.0]), np.array([1.0]), np.array([True]), 0.01)
    assert hi[0] - lo[0] == pytest.approx(MIN_RANGE_PX)


def test_layout_lanes_label_width_pushes_neighbours_apart() -> None:
    begin = np.array([0.0, 100.0, 400.0])
    finish = begin + 1.0
    is_range = np.zeros(3, bool)
    lanes, _ = layout_lanes(begin, finish, is_range, 1.0)
    assert lanes.tolist() == [0, 0, 0]
    widths = np.array([200.0, 200.0, 10.0])
    lanes, sides = layout_lanes(begin, finish, is_range, 1.0, widths)
    assert lanes.tolist() == [0, 1, 0]
    # the last label would cross the end of the span: it goes before its mark
    assert sides.tolist() == [AFTER, AFTER, BEFORE]
    # zoomed in enough, the labels fit before the next event
    lanes, _ = layout_lanes(begin, finish, is_range, 10.0, widths)
    assert lanes.tolist() == [0, 0, 0]


def test_layout_lanes_large_sets_ignore_labels(monkeypatch) -> None:
    monkeypatch.setattr(lanes_mod, "PIXEL_LAYOUT_LIMIT", 1)
    begin = np.array([0.0, 100.0])
    widths = np.array([200.0, 200.0])
    lanes, sides = layout_lanes(begin, begin + 1.0, np.zeros(2, bool), 1.0, widths)
    assert lanes.tolist() == [0, 0]
    assert sides.tolist() == [AFTER, AFTER]


def test_a_staircase_of_labels_before_their_marks_reads_in_time_order() -> None:
    # five events close together at the end of the span, labels of different widths:
    # each needs a lane of its own, and the lanes go down in time order (packing by
    # the extents' starts alone would put the widest label on top)
    begin = np.array([0.0, 900.0, 920.0, 940.0, 960.0, 980.0])
    widths = np.array([100.0, 150.0, 400.0, 80.0, 300.0, 200.0])
    lanes, sides = layout_lanes(begin, begin, np.zeros(6, bool), 1.0, widths)
    assert sides.tolist() == [AFTER] + [BEFORE] * 5
    # the first of them shares lane 0 with the early event; the rest follow in order
    assert lanes.tolist() == [0, 0, 1, 2, 3, 4]
    lo, hi, _ = event_extents(begin, begin, np.zeros(6, bool), 1.0, widths)
    assert pack_lanes(lo, hi, 2 * LABEL_GAP).tolist() != lanes.tolist()


def test_lanes_share_when_a_short_label_clears_a_long_one() -> None:
    # the first label ends at ~311; a later event's label before its mark starts
    # after that: both keep lane 0
    begin = np.array([0.0, 500.0, 510.0])
    widths = np.array([300.0, 100.0, 300.0])
    lanes, sides = layout_lanes(begin, begin, np.zeros(3, bool), 1.0, widths)
    assert sides.tolist() == [AFTER, BEFORE, BEFORE]
    assert lanes.tolist() == [0, 0, 1]


events_px = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3000),  # begin
        st.integers(min_value=0, max_value=400),  # duration
        st.booleans(),  # a range?
        st.one_of(st.just(0.0), st.just(math.nan), st.floats(min_value=1, max_value=450)),
    ),
    max_size=50,
)


def as_events(rows):
    rows = sorted(rows, key=lambda r: r[0])
    begin = np.array([r[0] for r in rows], dtype=float)
    finish = begin + np.array([r[1] for r in rows], dtype=float)
    is_range = np.array([r[2] for r in rows], dtype=bool)
    widths = np.array([r[3] for r in rows], dtype=float)
    return begin, finish, is_range, widths


def drawn_extent(b, f, rng, w, side):
    """Mark and label of one event in pixels, worked out here from the policy."""
    bar_end = max(f, b + MIN_RANGE_PX)
    c = (b + f) / 2
    lo, hi = (b, bar_end) if rng else (min(b, c - MARKER_RADIUS), max(f, c + MARKER_RADIUS))
    if not (w > 0):
        return lo, hi
    if side == INSIDE:
        x0 = b + LABEL_GAP
    elif side == BEFORE:
        x0 = (b if rng else c - MARKER_RADIUS) - LABEL_GAP - w
    else:
        x0 = (bar_end if rng else c + MARKER_RADIUS) + LABEL_GAP
    return min(lo, x0), max(hi, x0 + w)


@given(events_px, st.sampled_from([0.05, 0.3, 1.0, 4.0]))
@settings(max_examples=300, deadline=None)
def test_packed_extents_never_overlap_whichever_side_labels_go(rows, scale) -> None:
    begin, finish, is_range, widths = as_events(rows)
    lanes, sides = layout_lanes(begin, finish, is_range, scale, widths)
    assert len(lanes) == len(sides) == len(begin)
    if len(begin) == 0:
        return
    b = (begin - begin[0]) * scale
    f = (finish - begin[0]) * scale
    ext = [
        drawn_extent(*args)
        for args in zip(
            b.tolist(), f.tolist(), is_range.tolist(), widths.tolist(), sides.tolist(), strict=True
        )
    ]
    lo = np.array([e[0] for e in ext])
    hi = np.array([e[1] for e in ext])
    for lane in np.unique(lanes):
        idx = np.flatnonzero(lanes == lane)
        idx = idx[np.argsort(lo[idx], kind="stable")]
        assert np.all(hi[idx][:-1] + 2 * LABEL_GAP <= lo[idx][1:] + 1e-6)
        # in lane order, begins and finishes are sorted (the item's binary searches)
        assert np.all(np.diff(begin[np.sort(idx)]) >= 0)
        assert np.all(np.diff(finish[np.sort(idx)]) >= 0)
    # as few lanes as the extents need, all of them used
    n_lanes = int(lanes.max()) + 1
    assert n_lanes == int(pack_lanes(lo, hi, 2 * LABEL_GAP).max()) + 1
    assert set(lanes.tolist()) == set(range(n_lanes))
    # a label goes before its mark only when after it, it would cross the span's end
    geo = mark_geometry(b, f, is_range)
    right_end = float(geo.hi.max())
    before = sides == BEFORE
    assert np.all(geo.after[before] + widths[before] > right_end)
    assert np.all(is_range[sides == INSIDE])


@given(events_px, st.integers(min_value=-(2**20), max_value=2**20), st.booleans())
@settings(max_examples=100, deadline=None)
def test_layout_depends_on_scale_not_on_position(rows, shift, with_labels) -> None:
    # The layout has no notion of the view, so panning cannot move an event to another
    # lane or a label to another side; moving the whole set (by an exactly
    # representable amount) changes nothing.
    begin, finish, is_range, widths = as_events(rows)
    w = widths if with_labels else None
    offset = shift * 4096.0
    lanes, sides = layout_lanes(begin, finish, is_range, 0.5, w)
    moved_lanes, moved_sides = layout_lanes(begin + offset, finish + offset, is_range, 0.5, w)
    np.testing.assert_array_equal(lanes, moved_lanes)
    np.testing.assert_array_equal(sides, moved_sides)


def test_snap_scale_rounds_down_to_the_grid() -> None:
    for scale in (1e-9, 0.37, 1.0, 3.3, 7e6):
        snapped = snap_scale(scale)
        assert snapped <= scale * (1 + 1e-12)
        assert snapped * LAYOUT_GRID > scale
        assert snap_scale(snapped) == pytest.approx(snapped)
    with pytest.raises(ValueError):
        snap_scale(0.0)


def test_needs_relayout_only_on_real_zoom() -> None:
    base = snap_scale(1.0)
    assert needs_relayout(None, 1.0)
    assert not needs_relayout(base, base)  # a pan keeps the scale
    assert not needs_relayout(base, base * 1.2)
    assert needs_relayout(base, base * RELAYOUT_RATIO * 1.1)
    assert needs_relayout(base, base / 1.1)
    assert not needs_relayout(base, math.nan)


# -- placing labels at draw time ----------------------------------------------------


def place_one(w: float, lo: float, hi: float, *, prefer_before: bool = False, **kw):
    """One point-like mark ``[lo, hi]`` alone in its lane."""
    p = place_labels(
        np.array([0]),
        np.array([w]),
        np.array([hi + LABEL_GAP]),
        np.array([lo - LABEL_GAP]),
        np.array([np.inf]),
        np.array([-np.inf]),
        np.array([prefer_before]),
        gap=2.0,
        **kw,
    )
    return p


def test_place_labels_keeps_the_preferred_side() -> None:
    p = place_one(100.0, 500.0, 510.0, min_x=0.0, max_x=1000.0)
    assert p.shown[0] and not p.before[0] and not p.elided[0]
    assert p.x0[0] == 515.0 and p.width[0] == 100.0
    p = place_one(100.0, 500.0, 510.0, prefer_before=True, min_x=0.0, max_x=1000.0)
    assert p.shown[0] and p.before[0] and not p.elided[0]
    assert p.x0[0] + p.width[0] == 495.0  # right-aligned, just left of the mark


def test_a_label_the_view_edge_would_cut_flips_before_its_mark() -> None:
    p = place_one(100.0, 900.0, 910.0, min_x=0.0, max_x=1000.0)
    assert p.shown[0] and p.before[0] and not p.elided[0]
    # and one the left edge would cut goes after
    p = place_one(100.0, 50.0, 60.0, prefer_before=True, min_x=0.0, max_x=1000.0)
    assert p.shown[0] and not p.before[0]


def test_ellipsis_only_where_neither_side_holds_the_label() -> None:
    p = place_one(300.0, 200.0, 210.0, min_x=0.0, max_x=400.0, min_width=64.0, step=16.0)
    # 193 px before, 183 after: elided before, to a multiple of the step
    assert p.shown[0] and p.elided[0] and p.before[0]
    assert p.width[0] == 192.0
    assert p.x0[0] >= 0.0 + 2.0
    # too little room anywhere: not drawn at all
    p = place_one(300.0, 40.0, 50.0, min_x=0.0, max_x=100.0, min_width=64.0)
    assert not p.shown[0]
    # a title wider than max_width is always elided
    p = place_one(300.0, 0.0, 10.0, min_x=0.0, max_x=1000.0, max_width=200.0)
    assert p.shown[0] and p.elided[0] and p.width[0] == 200.0


def test_unmeasured_labels_are_never_drawn() -> None:
    assert not place_one(math.nan, 0.0, 10.0).shown[0]


def test_two_labels_between_the_same_marks_do_not_overlap() -> None:
    # marks at [0, 10] and [200, 210]: the first wants its label after, the second
    # before; both 150 px wide, so they cannot both have the gap between them
    p = place_labels(
        np.array([0, 0]),
        np.array([150.0, 150.0]),
        np.array([15.0, 215.0]),
        np.array([-5.0, 195.0]),
        np.array([200.0, np.inf]),
        np.array([-np.inf, 10.0]),
        np.array([False, True]),
        min_x=-1000.0,
        max_x=1000.0,
        gap=2.0,
    )
    assert p.shown.all()
    # the first keeps its place; the second finds its other side free
    assert not p.before[0] and not p.before[1]
    assert p.x0[0] + p.width[0] + 2.0 <= 200.0
    assert p.x0[1] == 215.0


lanes_of_marks = st.lists(
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=300),  # space before the mark
            st.floats(min_value=1, max_value=40),  # width of the mark
            st.one_of(st.just(math.nan), st.floats(min_value=1, max_value=300)),  # label
            st.booleans(),  # prefers before
        ),
        max_size=12,
    ),
    max_size=5,
)


@given(
    lanes_of_marks,
    st.floats(min_value=-100, max_value=800),
    st.floats(min_value=50, max_value=1500),
    st.sampled_from([(0.0, 1.0), (64.0, 16.0)]),
)
@settings(max_examples=300, deadline=None)
def test_placed_labels_never_overlap_marks_labels_or_the_view_edges(
    lanes, min_x, view_width, elision
) -> None:
    min_width, step = elision
    max_x = min_x + view_width
    gap = 3.0
    rows = []  # (lane, mark lo, mark hi, label width, prefers before)
    for k, marks in enumerate(lanes):
        x = 0.0
        for space, width, label, prefer in marks:
            lo = x + space + 0.5
            x = lo + width
            rows.append((k, lo, x, label, prefer))
    if not rows:
        return
    lane = np.array([r[0] for r in rows])
    mlo = np.array([r[1] for r in rows])
    mhi = np.array([r[2] for r in rows])
    w = np.array([r[3] for r in rows])
    same_next = np.append(lane[1:] == lane[:-1], False)
    same_prev = np.insert(lane[1:] == lane[:-1], 0, False)
    right_limit = np.where(same_next, np.append(mlo[1:], np.inf), np.inf)
    left_limit = np.where(same_prev, np.insert(mhi[:-1], 0, -np.inf), -np.inf)
    p = place_labels(
        lane,
        w,
        mhi + LABEL_GAP,
        mlo - LABEL_GAP,
        right_limit,
        left_limit,
        np.array([r[4] for r in rows]),
        min_x=min_x,
        max_x=max_x,
        gap=gap,
        min_width=min_width,
        max_width=250.0,
        step=step,
    )
    shown = np.flatnonzero(p.shown)
    x0, x1 = p.x0[shown], p.x0[shown] + p.width[shown]
    # inside the view, whole
    assert np.all(x0 >= min_x - 1e-9) and np.all(x1 <= max_x + 1e-9)
    # beside its own mark: right after it, or ending right before it
    anchor = np.where(p.before[shown], x1 - (mlo[shown] - LABEL_GAP), x0 - (mhi[shown] + LABEL_GAP))
    assert np.allclose(anchor, 0.0)
    # whole, or elided (never below min_width, never above max_width)
    assert np.all(np.where(p.elided[shown], p.width[shown] < w[shown], p.width[shown] == w[shown]))
    assert np.all(p.width[shown] <= 250.0)
    assert np.all(p.width[shown][p.elided[shown]] >= min_width)
    assert not np.any(np.isnan(w[shown]))
    for k in np.unique(lane):
        in_lane = np.flatnonzero(lane == k)
        labels = sorted(
            (float(p.x0[i]), float(p.x0[i] + p.width[i])) for i in in_lane if p.shown[i]
        )
        for (_, end), (start, _) in itertools.pairwise(labels):
            assert end + gap <= start + 1e-9
        for a, b in labels:  # no label over a mark of its lane
            assert np.all((mhi[in_lane] + gap <= a + 1e-9) | (b + gap <= mlo[in_lane] + 1e-9))


@given(
    st.floats(min_value=1, max_value=400),
    st.floats(min_value=0, max_value=1000),
    st.floats(min_value=1, max_value=40),
    st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_a_label_that_fits_somewhere_is_shown_whole(w, lo, width, prefer_before) -> None:
    hi = lo + width
    p = place_one(w, lo, hi, prefer_before=prefer_before, min_x=0.0, max_x=1000.0)
    room_after = 1000.0 - 2.0 - (hi + LABEL_GAP)
    room_before = lo - LABEL_GAP - 2.0
    fits_after, fits_before = w <= room_after, w <= room_before
    if fits_after or fits_before:
        assert p.shown[0] and not p.elided[0] and p.width[0] == w
        preferred_fits = fits_before if prefer_before else fits_after
        assert bool(p.before[0]) == (prefer_before if preferred_fits else not prefer_before)
    else:
        assert not (p.shown[0] and not p.elided[0])
